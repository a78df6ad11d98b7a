"""Read a unit's monthly workbook into a Report: recognise the report kind, its month and unit, and every figure."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePath

from ground.catalogue import Catalogue
from ground.text import fold
from loaders import cashless, generic, procedures, register, trees
from loaders.context import SheetContext
from loaders.headers import Match, Vocabulary, match_all
from loaders.model import KIND_NAMES, Problem, Report, observation_column
from loaders.period import in_range, month_label, sheet_period, signed_on
from loaders.places import Villages, unit_in_title
from loaders.table import Column, Table, find_table, header_candidates
from loaders.workbook import Sheet, read_workbook

__all__ = ["read_report"]

SPECIFIC = (trees, procedures, register, cashless)  # recognised before the generic table
_SHAPES = {
    "trong_cay": "Thôn, Khu công cộng / Trường học / Nhà văn hóa / Tuyến đường, Tổng số (cây); hoặc nhật ký: "
    "Ngày trồng, Thôn, Địa điểm, Số lượng (cây)",
    "thu_tuc_hanh_chinh": "Lĩnh vực, Tổng số hồ sơ tiếp nhận, Trực tuyến, Trực tuyến toàn trình, Đã giải quyết, "
    "Đúng hạn",
    "ocop_vietgap": "Tên sản phẩm, Chủ thể, Thôn, Loại chứng nhận, Hạng sao, Số quyết định, Ngày cấp, Ngày hết hạn, "
    "Diện tích (ha)",
    "khong_tien_mat": "Đơn vị, Tổng số giao dịch, Giao dịch không dùng tiền mặt, Tổng giá trị (đồng), Giá trị không "
    "dùng tiền mặt (đồng)",
    "bang_thang": "Thôn (hoặc Đơn vị) và các cột chỉ tiêu trong danh mục, ví dụ 'Tổng số hộ', 'Số hộ phân loại rác "
    "tại nguồn'; hoặc Nội dung, Đơn vị tính, Số lượng",
}
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@lru_cache(maxsize=4)
def _vocabularies(catalogue: Catalogue) -> dict[str, Vocabulary]:
    """Each report kind's header vocabulary (built once per catalogue: the catalogue's names are in them)."""
    vocab = {m.KIND: m.vocabulary(catalogue) for m in SPECIFIC}
    vocab[generic.KIND] = generic.vocabulary(catalogue)
    return vocab


def _score(kind: str, matches: dict[int, Match], columns: list[Column], catalogue: Catalogue) -> int:
    if kind == generic.KIND:
        return generic.score(matches, columns, catalogue)
    module = next(m for m in SPECIFIC if kind == m.KIND)
    return module.score(matches, columns)


def read_report(
    data: bytes, file_name: str, catalogue: Catalogue, *, period: str | None = None, unit: str | None = None
) -> Report:
    """Read workbook bytes into a Report. Never raises for bad input: every problem is in `Report.problems`."""
    report = Report()
    try:
        _read(report, data, file_name, catalogue, period, unit)
    except MemoryError:
        raise  # the reading process reached its memory cap: sandbox.py refuses the file in its own words
    except Exception as exc:  # a reader bug must still end as a message, never a traceback
        report.problems.append(
            Problem(
                f"Lỗi không mong đợi khi đọc tệp ({type(exc).__name__}). Tệp chưa được nhận; hãy gửi tệp này cho "
                "người quản trị để kiểm tra."
            )
        )
    report.periods = sorted(set(observation_column(report.observations, "period")) | set(report.periods))
    return report


def _read(report: Report, data: bytes, file_name: str, catalogue: Catalogue, period: str | None, unit: str | None):
    if period is not None:
        m = _PERIOD.match(str(period))
        if not m or not in_range(period):
            report.problems.append(
                Problem(
                    f"Tháng được chọn '{period}' không hợp lệ; hãy chọn tháng dạng YYYY-MM (ví dụ 2026-10), "
                    "từ 2020-01 đến 2060-12."
                )
            )
            return
    if unit is not None and unit not in {u.code for u in catalogue.units}:
        codes = ", ".join(u.code for u in catalogue.units)
        report.problems.append(Problem(f"Đơn vị '{unit}' không có trong danh mục; hãy chọn một trong: {codes}."))
        return
    wb = read_workbook(data, file_name)
    report.problems.extend(wb.problems)
    if any(p.is_error and p.sheet is None for p in wb.problems):
        return
    kinds = _vocabularies(catalogue)
    chosen: list[tuple[Sheet, Table, str, dict[int, Match]]] = []
    unknown: list[tuple[str, list[str]]] = []
    for sheet in wb.sheets:
        if not any(v != "" for r in sheet.rows for v in r):
            continue
        picked = _recognise(sheet, kinds, catalogue, report)
        if picked is None:
            unknown.append((sheet.name, header_candidates(sheet)))
        elif picked != "tie":
            chosen.append(picked)
    if report.errors:
        return
    if not chosen:
        report.problems.append(_unknown_shape(wb, unknown, file_name))
        return
    for name, _ in unknown:
        report.problems.append(
            Problem(
                f"Trang '{name}' không phải bảng báo cáo nhận biết được nên đã bỏ qua.", sheet=name, severity="warning"
            )
        )
    kinds_found = {k for _, _, k, _ in chosen}
    if len(kinds_found) > 1:
        listing = "; ".join(f"trang '{s.name}': {KIND_NAMES[k]}" for s, _, k, _ in chosen)
        report.problems.append(
            Problem(
                f"Một tệp chỉ được chứa một loại báo cáo, tệp này có nhiều loại ({listing}). Hãy tách thành các tệp "
                "riêng rồi tải lên từng tệp."
            )
        )
        return
    kind = kinds_found.pop()
    report.kind = kind
    report.sheets = [s.name for s, _, _, _ in chosen]
    first_table = chosen[0][1]
    report.title = _title(first_table, catalogue)
    months = {
        s.name: sheet_period(s.name, t.title_lines, file_name, period, from_rows=_is_log(k, m), dates=t.title_dates)
        for s, t, k, m in chosen
    }
    if len(chosen) > 1 and any(p.stated for p in months.values()):
        # Beside sheets that each state their month, a sheet stating none is a summary ("Tổng hợp quý III"):
        # reading it would count its months twice.
        for s, _, k, m in list(chosen):
            if months[s.name].stated is None and not months[s.name].problems and not _is_log(k, m):
                chosen = [c for c in chosen if c[0] is not s]
                report.sheets.remove(s.name)
                report.problems.append(
                    Problem(
                        f"Trang '{s.name}' không ghi tháng báo cáo trong khi các trang khác có ghi, nên được coi là "
                        "trang tổng hợp và bỏ qua. Nếu đây là số liệu của một tháng, hãy ghi tháng ở đầu trang.",
                        sheet=s.name,
                        severity="warning",
                    )
                )
    villages = Villages(catalogue)
    contexts: list[SheetContext] = []
    for sheet, table, _, matches in chosen:
        ctx = _read_sheet(report, catalogue, villages, sheet, table, kind, matches, months[sheet.name])
        if ctx is not None:
            contexts.append(ctx)
    report.signed_on = _signed(chosen)
    report.signed_by_period = _signed_by_period(contexts)
    report.unit = _unit(report, catalogue, unit, kind, chosen)
    if kind != register.KIND:
        _duplicates(report, catalogue, kind, contexts)
    if not report.errors and not report.observations and not report.register:
        report.problems.append(
            Problem(
                "Không đọc được số liệu nào từ tệp (bảng chưa có dòng số liệu). Hãy điền số liệu vào bảng rồi tải "
                "lên lại."
            )
        )
    if kind == register.KIND and not report.register and not report.errors:
        report.problems.append(Problem("Danh sách chưa có sản phẩm/cơ sở nào; hãy điền danh sách rồi tải lên lại."))


def _recognise(sheet: Sheet, kinds: dict[str, Vocabulary], catalogue: Catalogue, report: Report):
    """The sheet's table and report kind (best specific kind, else the generic table), None, or "tie"."""

    def best_score(columns: list[Column]) -> int:
        return max(_score(k, match_all(v, columns), columns, catalogue) for k, v in kinds.items())

    table = find_table(sheet, best_score)
    if table is None:
        return None
    scored = []
    for k, v in kinds.items():
        matches = match_all(v, table.columns)
        if k == cashless.KIND:
            matches = cashless.resolve(matches, table.columns)
        scored.append((_score(k, matches, table.columns, catalogue), k, matches))
    specific = sorted((s for s in scored if s[1] != generic.KIND and s[0] > 0), key=lambda s: -s[0])
    if specific:
        if len(specific) > 1 and specific[0][0] == specific[1][0]:
            a, b = KIND_NAMES[specific[0][1]], KIND_NAMES[specific[1][1]]
            report.problems.append(
                Problem(
                    f"Trang '{sheet.name}': tiêu đề cột (dòng {table.header_top + 1}) vừa giống '{a}' vừa giống '{b}', "
                    "không xác định được loại báo cáo. Hãy sửa tiêu đề cột cho rõ.",
                    sheet=sheet.name,
                    row=table.header_top + 1,
                )
            )
            return "tie"
        _, k, matches = specific[0]
        return sheet, table, k, matches
    g = next(s for s in scored if s[1] == generic.KIND)
    if g[0] > 0:
        return sheet, table, generic.KIND, g[2]
    return None


def _unknown_shape(wb, unknown: list[tuple[str, list[str]]], file_name: str) -> Problem:
    if not unknown:
        hidden = f" (các trang ẩn {', '.join(repr(h) for h in wb.hidden)} không được đọc)" if wb.hidden else ""
        return Problem(
            f"Tệp '{PurePath(file_name or 'tệp').name}' không có trang tính nào có dữ liệu{hidden}. Hãy kiểm tra "
            "lại tệp và tải lên tệp báo cáo có số liệu."
        )
    seen = "; ".join(f"trang '{n}': " + (", ".join(h) if h else "(không thấy tiêu đề cột)") for n, h in unknown)
    shapes = " | ".join(f"{KIND_NAMES[k]}: {v}" for k, v in _SHAPES.items())
    return Problem(
        f"Không nhận ra loại báo cáo. Tiêu đề thấy trong tệp — {seen}. Các loại báo cáo được "
        f"nhận — {shapes}. Hãy dùng đúng tiêu đề cột như trên, hoặc bổ sung tên cột vào catalogue.toml."
    )


def _is_log(kind: str, matches: dict[int, Match]) -> bool:
    """A tree-planting log: a date per row gives each event its month."""
    return kind == trees.KIND and any(m.key == "date" for m in matches.values())


def _read_sheet(report, catalogue, villages, sheet, table, kind, matches, found) -> SheetContext | None:
    labels = _labels(kind, catalogue)
    for col in table.columns:
        m = matches.get(col.index)
        if m and m.candidates:
            names = " hoặc ".join(f"'{labels.get(k, k)}'" for k in m.candidates)
            report.problems.append(
                Problem(
                    f"Tiêu đề cột '{col.label}' không rõ nghĩa: có thể là {names}. Hãy sửa tiêu đề cột cho rõ.",
                    sheet.name,
                    table.header_top + 1,
                    col.letter,
                )
            )
    is_log = _is_log(kind, matches)
    for message, row, severity in found.problems:
        report.problems.append(Problem(message, sheet.name, row, None, severity))
    if found.period is None and not is_log:
        if not any(p.is_error and p.sheet == sheet.name for p in report.problems):
            report.problems.append(
                Problem(
                    "Không tìm thấy tháng báo cáo: đầu trang, tên trang và tên tệp đều không ghi tháng. Hãy ghi kỳ báo "
                    "cáo ở đầu trang (ví dụ 'Tháng 10 năm 2026'), hoặc chọn tháng khi tải lên (dòng lệnh: "
                    "--period 2026-10).",
                    sheet.name,
                )
            )
        return None
    if any(p.is_error for p in report.problems):
        return None
    ctx = SheetContext(catalogue, villages, table, matches, found.period)
    if found.period is not None:
        ctx.periods.add(found.period)
    module = generic if kind == generic.KIND else next(m for m in SPECIFIC if kind == m.KIND)
    module.read(ctx)
    ctx.finish()
    report.problems.extend(ctx.problems)
    report.observations.extend(ctx.observations)
    report.register.extend(ctx.register)
    report.periods.extend(ctx.periods)
    return ctx


def _labels(kind: str, catalogue: Catalogue) -> dict[str, str]:
    if kind == generic.KIND:
        return {k: q.header for k, q in generic.quantities(catalogue).items.items()}
    module = next(m for m in SPECIFIC if kind == m.KIND)
    return getattr(module, "LABELS", {})


def _signed(chosen) -> object:
    for _, table, _, _ in chosen:
        d = _table_signed(table)
        if d is not None:
            return d
    return None


def _table_signed(table: Table) -> object:
    for text in [*table.title_text(), *table.date_text(), *table.footer_lines]:
        d = signed_on(text)
        if d is not None:
            return d
    return None


def _signed_by_period(contexts: list[SheetContext]) -> dict:
    """Each month's signing date, from the sheet that reported it (the first sheet that names one)."""
    out: dict = {}
    for ctx in contexts:
        d = _table_signed(ctx.table)
        if d is not None:
            for period in sorted(ctx.periods):
                out.setdefault(period, d)
    return out


_TITLE_WORDS = ("bao cao", "danh sach", "tong hop", "bang", "ket qua", "so lieu", "thong ke", "theo doi", "so theo doi")
_NOT_TITLE = ("cong hoa xa hoi", "doc lap", "ubnd", "uy ban nhan dan")


def _title(table: Table, catalogue: Catalogue) -> str:
    lines = table.title_text()
    for text in lines:
        f = fold(text)
        if f.startswith(_TITLE_WORDS):
            return text
    candidates = [t for t in lines if not fold(t).startswith(_NOT_TITLE) and signed_on(t) is None]
    candidates = [t for t in candidates if unit_in_title(catalogue, [t]) is None]
    return max(candidates, key=len, default="")


def _unit(report: Report, catalogue: Catalogue, given: str | None, kind: str, chosen) -> str | None:
    """The unit the report is filed under: the one given, else the one the file names (see _stated_unit)."""
    report.stated_unit = _stated_unit(report, catalogue, kind, chosen, complain=given is None)
    return given or report.stated_unit


def _stated_unit(report: Report, catalogue: Catalogue, kind: str, chosen, *, complain: bool) -> str | None:
    """The unit the file itself names: in its title, by its report kind, or as the one unit responsible for all
    its indicators. Kept beside a given unit so that a staff member's choice can be checked against the file."""
    for _, table, _, _ in chosen:
        code = unit_in_title(catalogue, table.title_text())
        if code:
            return code
    if kind != generic.KIND:
        module = next(m for m in SPECIFIC if kind == m.KIND)
        return module.DEFAULT_UNIT
    responsible = sorted({catalogue.indicator(i).responsible for i in report.indicators})
    if len(responsible) == 1:
        return responsible[0]
    if responsible and complain:
        names = ", ".join(f"{catalogue.unit(u).name} ({u})" for u in responsible)
        report.problems.append(
            Problem(
                f"Bảng có chỉ tiêu của nhiều đơn vị phụ trách ({names}); không xác định được đơn vị báo cáo. Hãy ghi "
                "tên đơn vị ở đầu trang hoặc chọn đơn vị khi tải lên (dòng lệnh: --unit)."
            )
        )
    return None


def _duplicates(report: Report, catalogue: Catalogue, kind: str, contexts: list[SheetContext]) -> None:
    """Two rows giving the same quantity for the same month and village/breakdown: which one is right?"""
    if any(_is_log(kind, c.matches) for c in contexts):
        return  # a log has many events per village and month
    first: dict[tuple, tuple[str, int]] = {}
    reported: set[tuple] = set()
    for o in report.observations:
        key = (o.indicator, o.period, o.village, o.breakdown[0], fold(o.breakdown[1]))
        if key not in first:
            first[key] = (o.sheet, o.row)
            continue
        pair = (first[key], (o.sheet, o.row))
        if pair in reported:
            continue
        reported.add(pair)
        (s1, r1), (s2, r2) = pair
        where = f"dòng {r1}" + (f" trang '{s1}'" if s1 != s2 else "") + f" và dòng {r2}"
        who = catalogue.village(o.village).name if o.village else (o.breakdown[1] if o.breakdown[0] else "toàn xã")
        report.problems.append(
            Problem(
                f"Có hai dòng số liệu cho '{who}' trong cùng {month_label(o.period)} ({where}). Dòng nào đúng? "
                "Hãy xóa hoặc gộp dòng trùng rồi tải lên lại.",
                s2,
                r2,
            )
        )
