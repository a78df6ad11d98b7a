"""One file end to end: read it, check its bounds, hand it to the store in one transaction, say what happened."""

from __future__ import annotations

import errno
import logging
import math
import re
from array import array
from dataclasses import dataclass, field

from ground.auth import RightsError, User, write_refusal
from ground.catalogue import Catalogue
from intake import limits
from intake.sandbox import read_report  # loaders.read_report in a worker process with memory and time caps
from loaders.model import KIND_NAMES, Problem, Report, observation_column
from loaders.period import in_range, month_label
from loaders.text import vn_number
from store import Change, Store, StoreBusy

log = logging.getLogger(__name__)

_MAX_ROW_PROBLEMS = 20  # per check: a systematic mistake is clear after a few lines

STATUS_VI = {"imported": "đã nhập", "unchanged": "không đổi", "rejected": "bị từ chối"}


@dataclass
class ImportOutcome:
    """What importing one file did (or, in a dry run, would do)."""

    file: str
    status: str  # "imported" | "unchanged" | "rejected"
    kind: str | None = None
    unit: str | None = None
    periods: list[str] = field(default_factory=list)
    rows: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    upload_id: int | None = None
    replaced: list[int] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False
    report: Report | None = field(default=None, repr=False, compare=False)  # what was read, for a preview

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    @property
    def status_vi(self) -> str:
        return STATUS_VI[self.status]

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind or "", "Không rõ loại báo cáo")

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "kind": self.kind,
            "unit": self.unit,
            "periods": list(self.periods),
            "rows": self.rows,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def display_name(file_name: str) -> str:
    """The file's own name without any folder (either slash): only that is shown and stored."""
    return re.split(r"[\\/]", file_name or "")[-1] or "tệp không tên"


DISK_FULL = (
    "Ổ đĩa chứa cơ sở dữ liệu ({folder}) đã đầy nên chưa lưu được tệp; chưa có số liệu nào của tệp được ghi. "
    "Thử lại lúc này cũng không được: hãy báo quản trị viên giải phóng dung lượng ổ đĩa (trang Quản trị báo "
    "dung lượng còn trống), rồi tải lên lại."
)
_DISK_FULL_WORDS = ("no space left", "disk full", "not enough space", "disk is full")


def disk_full(exc: BaseException | None) -> bool:
    """Whether a failure (or what caused it) is a full disk: errno ENOSPC, or DuckDB's words for it."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if any(w in str(exc).lower() for w in _DISK_FULL_WORDS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def too_big_message(size: int) -> str:
    """Why a file over the upload cap ($XANH_MAX_UPLOAD_MB) is refused, and what to do."""
    weight = f"{vn_number(size / 2**20, 1)} MB" if size >= 2**20 else f"{vn_number(size / 1024, 1)} kB"
    return (
        f"Tệp nặng {weight}, vượt giới hạn {vn_number(limits.upload_mb())} MB của một báo cáo tháng. Hãy xóa các "
        "trang, hình ảnh không cần thiết (hoặc chép riêng bảng báo cáo sang sổ làm việc mới) rồi tải lên lại."
    )


def rejected(file_name: str, message: str, **kw) -> ImportOutcome:
    return ImportOutcome(display_name(file_name), "rejected", errors=[Problem(message)], **kw)


def import_file(
    store: Store,
    catalogue: Catalogue,
    data: bytes,
    file_name: str,
    *,
    period: str | None = None,
    unit: str | None = None,
    user: str = "cli",
    dry_run: bool = False,
    actor: User | None = None,
) -> ImportOutcome:
    """Read `data` as a monthly report and store it, all rows or none. Never raises for a bad file.

    `actor` is the signed-in account of the web app: its rights are read afresh from the database and a
    report of a unit it may not write is refused (also in a dry run), recorded under its name. Without an
    actor the caller is the trusted local operator (the command line) and `user` names them.
    """
    name = display_name(file_name)
    if actor is not None:
        try:
            fresh = store.user(actor.name)
        except StoreBusy as exc:
            return rejected(name, f"{exc} Tệp chưa được nhận.", dry_run=dry_run)
        if fresh is None or not fresh.may_upload:
            refusal = write_refusal(fresh, None, {}) if fresh else _gone(actor)
            return _record(store, rejected(name, refusal, dry_run=dry_run), data, actor.name, dry_run)
        actor, user = fresh, fresh.name
    if len(data) > limits.upload_bytes():
        outcome = rejected(name, too_big_message(len(data)), dry_run=dry_run)
        return _record(store, outcome, data, user, dry_run)
    try:
        report = read_report(data, name, catalogue, period=period, unit=unit)
    except Exception:
        log.exception("reading %s failed", name)
        outcome = rejected(
            name,
            "Lỗi không mong đợi khi đọc tệp. Tệp chưa được nhận; hãy gửi tệp này cho người quản trị để kiểm tra.",
            dry_run=dry_run,
        )
        return _record(store, outcome, data, user, dry_run)
    report.problems.extend(bounds_problems(report, catalogue, store.clock().strftime("%Y-%m")))
    if actor is not None and report.unit:
        names = {u.code: u.name for u in catalogue.units}
        refusal = write_refusal(actor, report.unit, names)
        if refusal is None and unit and not actor.is_admin:
            refusal = _unit_override(report, unit, names)
        if refusal:
            report.problems.append(Problem(refusal))
    outcome = ImportOutcome(
        name,
        "rejected",
        kind=report.kind,
        unit=report.unit,
        periods=list(report.periods),
        rows=len(report.observations),
        errors=report.errors,
        warnings=report.warnings,
        dry_run=dry_run,
        report=report,
    )
    if outcome.errors:
        outcome.rows = 0
        return _record(store, outcome, data, user, dry_run)
    try:
        result = store.save_report(
            report, data=data, file_name=name, user=user, commune=catalogue.commune.code, dry_run=dry_run
        )
    except StoreBusy as exc:
        outcome.errors = [Problem(f"{exc} Tệp chưa được nhận.")]
        outcome.status, outcome.rows = "rejected", 0
        return outcome
    except Exception as exc:
        if disk_full(exc):
            log.critical("disk full while storing %s in %s: %s", name, store.path, exc)
            outcome.errors = [Problem(DISK_FULL.format(folder=store.path.parent))]
        else:
            log.exception("storing %s failed", name)
            outcome.errors = [
                Problem(
                    "Lỗi không mong đợi khi lưu tệp; chưa có số liệu nào của tệp được ghi. Hãy thử lại, nếu vẫn lỗi "
                    "thì gửi tệp này cho người quản trị."
                )
            ]
        outcome.status, outcome.rows = "rejected", 0
        return outcome
    outcome.status = result.status
    outcome.upload_id = result.upload_id
    outcome.replaced = result.replaced
    outcome.changes = result.changes
    return outcome


def restore_version(store: Store, catalogue: Catalogue, upload_id: int, actor: User | None) -> list[int]:
    """Put an earlier upload back in force (audited by the store); return the uploads it supersedes.

    RightsError (Vietnamese) when `actor`, read afresh from the database, may not write that upload's unit;
    None is the trusted local operator. KeyError when there is no such upload.
    """
    unit = store.upload_unit(upload_id)
    who = "cli"
    if actor is not None:
        fresh = store.user(actor.name)
        if fresh is None:
            raise RightsError(_gone(actor))
        refusal = write_refusal(fresh, unit, {u.code: u.name for u in catalogue.units})
        if refusal:
            raise RightsError(refusal)
        who = fresh.name
    return store.restore(upload_id, who)


def _unit_override(report: Report, unit: str, names: dict[str, str]) -> str | None:
    """A staff member may name the unit only of a file that names none: never file another unit's report as theirs."""
    stated = report.stated_unit
    if stated and stated != unit:
        return (
            f"Tệp này là báo cáo của {names.get(stated, stated)}, không thể nhập thành báo cáo của "
            f"{names.get(unit, unit)}. Hãy kiểm tra lại tệp."
        )
    return None


def _gone(actor: User) -> str:
    return f"Tài khoản {actor.name} không còn tồn tại; hãy đăng nhập lại hoặc nhờ quản trị viên."


def _record(store: Store, outcome: ImportOutcome, data: bytes, user: str, dry_run: bool) -> ImportOutcome:
    """A refusal leaves an audit line (never figures); failing to write it must not hide the refusal."""
    if not dry_run:
        try:
            store.record_rejection(outcome.file, data, outcome.errors, user)
        except Exception:
            log.exception("could not record the refusal of %s", outcome.file)
    return outcome


def _may_be_out_of_bounds(report: Report, indicators: set[str], villages: set[str]) -> bool:
    """Whether any observation could fail a bound, judged on each field's distinct values (a 100.000-row log has a
    handful); only then are the observations looked at one by one, in order, for the messages."""
    obs = report.observations
    try:
        return bool(
            set(observation_column(obs, "indicator")) - indicators
            or set(observation_column(obs, "village")) - villages - {None}
            or not all(in_range(p) for p in set(observation_column(obs, "period")))
            or not _finite_and_not_negative(observation_column(obs, "value"))
            or not _finite_and_not_negative(observation_column(obs, "denominator"))
        )
    except (TypeError, OverflowError):  # a value of an odd type or size: the one-by-one checks say what is wrong
        return True


def _finite_and_not_negative(values: list) -> bool:
    """Whether every number that is not None is finite and not negative (min and sum in C; a sum that overflows
    only sends the values to the one-by-one checks)."""
    numbers = values if values.__class__ is array or values.count(None) == 0 else [v for v in values if v is not None]
    return not numbers or (min(numbers) >= 0 and math.isfinite(sum(numbers)))


def bounds_problems(report: Report, catalogue: Catalogue, this_month: str) -> list[Problem]:
    """What the store must never hold, checked whatever the loader: unknown codes, impossible numbers."""
    if report.errors:
        return []
    out: list[Problem] = []
    if report.kind is None:
        return [Problem("Không nhận ra loại báo cáo của tệp; tệp chưa được nhận.")]
    units = {u.code for u in catalogue.units}
    if not report.unit:
        out.append(
            Problem(
                "Không xác định được đơn vị báo cáo. Hãy ghi tên đơn vị ở đầu trang hoặc chọn đơn vị khi tải lên "
                "(dòng lệnh: --unit)."
            )
        )
    elif report.unit not in units:
        out.append(Problem(f"Đơn vị '{report.unit}' không có trong danh mục đơn vị của xã."))
    indicators = {i.code for i in catalogue.indicators}
    villages = {v.code for v in catalogue.villages}
    found: dict[str, int] = {}

    def add(check: str, problem: Problem) -> None:
        found[check] = found.get(check, 0) + 1
        if found[check] <= _MAX_ROW_PROBLEMS:
            out.append(problem)

    suspects = report.observations if _may_be_out_of_bounds(report, indicators, villages) else ()
    for o in suspects:
        where = {"sheet": o.sheet or None, "row": o.row or None}
        if o.indicator not in indicators:
            add("indicator", Problem(f"Chỉ tiêu '{o.indicator}' không có trong danh mục.", **where))
        if o.village is not None and o.village not in villages:
            add("village", Problem(f"Thôn '{o.village}' không có trong danh mục thôn của xã.", **where))
        if not in_range(o.period):
            add("period", Problem(f"Tháng báo cáo {o.period} nằm ngoài khoảng cho phép.", **where))
        for label, v in (("Số liệu", o.value), ("Mẫu số", o.denominator)):
            if v is None:
                continue
            if not math.isfinite(v):
                add("finite", Problem(f"{label} không phải là một số hữu hạn; hãy sửa lại ô này.", **where))
            elif v < 0:
                add("negative", Problem(f"{label} âm ({v:g}); số liệu báo cáo không thể âm, hãy sửa lại.", **where))
    for p in sorted(p for p in set(observation_column(report.observations, "period")) if p > this_month):
        out.append(
            Problem(
                f"Tệp có số liệu cho {month_label(p)}, tháng chưa kết thúc. Hãy kiểm tra lại kỳ báo cáo.",
                severity="warning",
            )
        )
    return out
