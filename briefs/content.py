"""What goes in the month's brief, computed from the store's frames and the status maths (pure: no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from briefs import sentences
from briefs.source import Figures
from ground import fmt
from ground.catalogue import Catalogue
from indicators import STATUSES, Assessment, Status, assess_all, to_frame
from views import reporting

BEHIND = ("di_xuong", "cham", "day_nhanh")  # the statuses that get a sentence, most severe first
# A commune report states what was achieved first, then what lags.
COUNT_ORDER = ("dat", "dung", "day_nhanh", "cham", "di_xuong", "chua_co", "theo_doi")
ISSUER_UNIT = "van-phong"  # the catalogue unit that drafts the brief for the People's Committee
PROPOSED = "Đề xuất"  # a target source starting so is a proposal, not yet approved
SOURCE_LINE = (
    "Nguồn: báo cáo tháng của các đơn vị (tệp Excel), tổng hợp trên Bảng theo dõi chuyển đổi xanh {commune}; "
    "tiến độ tính theo phương pháp đánh giá tiến độ theo giai đoạn của Kế hoạch."
)
RECIPIENTS = (
    "Thường trực Đảng ủy xã;",
    "Thường trực HĐND xã;",
    "Chủ tịch, các Phó Chủ tịch UBND xã;",
    "Các phòng, ban, đơn vị thuộc UBND xã;",
    "Lưu: VT, VP.",
)


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the status table, already written in Vietnamese."""

    number: int
    code: str
    name: str
    value: str  # "8.370 cây" / "61,4%" / "–"
    value_note: str  # "lũy kế" for a flow, "T9/2026" for a level carried from the month before, else ""
    target: str  # "20.000 cây"; "–" without a target
    proposed: bool  # the target is a proposal ("Đề xuất"), marked (*) in the table
    pct: str  # "41,9%"; "–"
    status: Status
    unit_name: str  # the responsible unit


@dataclass(frozen=True)
class SectorBlock:
    code: str
    name: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True)
class BehindItem:
    code: str
    status: Status
    sentence: str
    unit_name: str


@dataclass(frozen=True)
class BriefContent:
    """Every word and number of the brief, in the order the document prints them."""

    committee: str  # "UBND XÃ AN PHÚ"
    office: str | None  # "VĂN PHÒNG HĐND VÀ UBND"
    place: str  # "An Phú"
    commune: str  # "xã An Phú", as it reads mid-sentence
    made_on: date
    month: str
    phase_name: str
    title: str  # "Tiến độ thực hiện Kế hoạch chuyển đổi xanh tháng 10/2026"
    cutoff_line: str
    headline: str
    counts: tuple[tuple[Status, int], ...]
    sectors: tuple[SectorBlock, ...]
    any_proposed: bool
    behind: tuple[BehindItem, ...]
    missing_units: tuple[tuple[str, str], ...]  # (unit name, what is missing)
    missing_sentence: str
    snapshot_line: str
    source_line: str
    recipients: tuple[str, ...]
    assessments: pd.DataFrame  # indicators.to_frame() of the commune rows, for the charts

    @property
    def rows(self) -> list[IndicatorRow]:
        return [r for s in self.sectors for r in s.rows]

    @property
    def date_line(self) -> str:
        d = self.made_on
        return f"{self.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def place_name(catalogue: Catalogue) -> str:
    """ "An Phú" from "Xã An Phú": the place in the date line."""
    name = catalogue.commune.name.strip()
    for prefix in ("Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _value(a: Assessment) -> tuple[str, str]:
    if a.actual is None:
        return fmt.MISSING, ""
    text = sentences.quantity(a.actual, a.unit)
    if a.kind == "flow":
        return text, "lũy kế"
    if a.actual_period and a.actual_period != a.period:
        return text, fmt.month(a.actual_period)
    return text, ""


def indicator_row(number: int, a: Assessment, catalogue: Catalogue) -> IndicatorRow:
    ind = catalogue.indicator(a.indicator)
    units = {u.code: u.name for u in catalogue.units}
    value, note = _value(a)
    has_target = a.target is not None and a.method != "none"
    return IndicatorRow(
        number=number,
        code=a.indicator,
        name=ind.name,
        value=value,
        value_note=note,
        target=sentences.quantity(a.target, a.unit) if has_target else fmt.MISSING,
        proposed=has_target and a.target_source.strip().startswith(PROPOSED),
        pct=fmt.percent(a.pct_of_target, 1) if has_target and a.pct_of_target is not None else fmt.MISSING,
        status=a.status,
        unit_name=units.get(ind.responsible, ind.responsible),
    )


def status_counts(assessments: list[Assessment]) -> dict[str, int]:
    """Indicators per status, achievements first (Đã đạt … Đi xuống, then Chưa có số liệu); "Theo dõi" only
    when some indicator is tracked without a target."""
    counts = {c: 0 for c in COUNT_ORDER}
    for a in assessments:
        counts[a.status.code] += 1
    return {c: n for c, n in counts.items() if c != "theo_doi" or n}


def most_behind(assessments: list[Assessment]) -> list[Assessment]:
    """The indicators behind schedule, most severe status first, then the lowest progress ratio."""
    behind = [a for a in assessments if a.status.code in BEHIND]
    return sorted(behind, key=lambda a: (a.status.rank, float("inf") if a.r is None else a.r))


def missing_units(reports: pd.DataFrame, catalogue: Catalogue, month: str, on: date) -> list[tuple[str, str]]:
    """Units that have not (fully) reported `month` by `on`, with what is missing; the dashboard's rule
    (app_pages.reporting: a unit owes every indicator it is responsible for)."""
    long = reporting.completeness(reports, catalogue, month, on)
    if long.empty:
        return []
    now = long[long["period"] == month].set_index("unit_name")
    out = []
    for name in reporting.not_reported(long, month):
        r = now.loc[name]
        if r["status"] == "mot_phan":
            detail = f"thiếu {r['owed'] - r['received']}/{r['owed']} chỉ tiêu"
        elif r["status"] == "chua_den_han":
            detail = f"chưa đến hạn {fmt.date(r['due'])}"
        else:
            detail = f"quá hạn {fmt.date(r['due'])}"
        out.append((name, detail))
    return out


def build_content(figures: Figures, month: str) -> BriefContent:
    """The brief of `month` from `figures`: the same assessments as the dashboard (indicators.assess_all on the
    store's monthly rows, against the phase the month falls in)."""
    cat = figures.catalogue
    phase = cat.phase_of(month)
    assessments = assess_all(figures.monthly, cat, month)
    by_code = {a.indicator: a for a in assessments}

    blocks, number = [], 0
    for sector in cat.sectors:
        rows = []
        for ind in cat.indicators:
            if ind.sector == sector.code:
                number += 1
                rows.append(indicator_row(number, by_code[ind.code], cat))
        if rows:
            blocks.append(SectorBlock(sector.code, sector.name, tuple(rows)))
    known = {s.code for s in cat.sectors}
    orphans = [ind for ind in cat.indicators if ind.sector not in known]
    if orphans:  # the catalogue validates sectors; kept so no indicator can ever drop out of the table
        rows = [indicator_row(number + i + 1, by_code[ind.code], cat) for i, ind in enumerate(orphans)]
        blocks.append(SectorBlock("", "Chỉ tiêu khác", tuple(rows)))

    counts = status_counts(assessments)
    units = {u.code: u.name for u in cat.units}
    behind = tuple(
        BehindItem(
            a.indicator,
            a.status,
            sentences.behind_sentence(a, cat.indicator(a.indicator), cat),
            units.get(cat.indicator(a.indicator).responsible, cat.indicator(a.indicator).responsible),
        )
        for a in most_behind(assessments)
    )
    # The dashboard's grid judges reports on the day it is looked at; a snapshot on the day it was frozen to.
    on = figures.snapshot.as_of if figures.snapshot is not None else figures.made_on
    missing = missing_units(figures.reports, cat, month, on)
    office = next((u.name.upper() for u in cat.units if u.code == ISSUER_UNIT), None)
    commune_rows = to_frame([a for a in assessments if a.place is None], cat)
    return BriefContent(
        committee=cat.commune.people_committee,
        office=office,
        place=place_name(cat),
        commune=cat.commune.name[:1].lower() + cat.commune.name[1:],
        made_on=figures.made_on,
        month=month,
        phase_name=phase.name,
        title=f"Tiến độ thực hiện Kế hoạch chuyển đổi xanh {fmt.month_long(month)}",
        cutoff_line=cutoff_line(figures),
        headline=sentences.headline(counts, month, phase.name),
        counts=tuple((STATUSES[c], n) for c, n in counts.items()),
        sectors=tuple(blocks),
        any_proposed=any(r.proposed for b in blocks for r in b.rows),
        behind=behind,
        missing_units=tuple(missing),
        missing_sentence=sentences.missing_reports_sentence(missing, month, fmt.date(on)),
        snapshot_line=snapshot_line(figures),
        source_line=SOURCE_LINE.format(commune=cat.commune.name[:1].lower() + cat.commune.name[1:]),
        recipients=RECIPIENTS,
        assessments=commune_rows,
    )


def cutoff_line(figures: Figures) -> str:
    """ "Số liệu chốt đến ngày 05/11/2026" for a snapshot; for live figures "Số liệu hiện tại, cập nhật đến ngày
    05/11/2026" (the day of the latest upload in force): nothing is frozen, so the brief must not say so."""
    if figures.cutoff_date is None:
        return "Chưa có số liệu nào được tải lên."
    if figures.snapshot is None:
        return f"Số liệu hiện tại, cập nhật đến ngày {fmt.date(figures.cutoff_date)}"
    return f"Số liệu chốt đến ngày {fmt.date(figures.cutoff_date)}"


def snapshot_line(figures: Figures) -> str:
    """Which figures the brief was made from: a named snapshot, or the figures in force when it was made."""
    s = figures.snapshot
    if s is None:
        when = f" (cập nhật lần cuối {fmt.datetime(figures.cutoff)})" if figures.cutoff else ""
        return f"Báo cáo lập từ số liệu hiện tại, tại thời điểm lập báo cáo{when}."
    return (
        # Never who froze it: the brief is forwarded beyond the staff (views/privacy.py).
        f"Báo cáo lập từ số liệu đã chốt “{s.name}” (mã {s.id}), chốt đến ngày {fmt.date(s.as_of)}, "
        f"chốt lúc {fmt.datetime(s.created_at)}."
    )
