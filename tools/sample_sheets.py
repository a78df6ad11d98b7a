"""Sheets shaped as the commune's units really keep them, written from the sample figures."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import xlwt
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sample_figures import (
    FORMER_COMMUNES,
    YEAR,
    Figures,
    RegisterEntry,
    TableRow,
    month_end,
)

from ground.catalogue import Catalogue
from ground.text import fold
from intake.templates import (
    CENTER,
    DATE_FORMAT,
    DEC_FORMAT,
    INT_FORMAT,
    LEFT,
    PLACE_TYPES,
    box,
    font,
    landscape,
    put,
    put_footer,
    put_header,
    put_merged,
    put_title_block,
    set_widths,
    tthc_groups,
)

ROMAN = ("I", "II", "III", "IV", "V", "VI")
STAFF = {
    "van-phong": ("Đỗ Thị Thu Hà", "Nguyễn Văn Thắng", "CHÁNH VĂN PHÒNG"),
    "phong-vhxh": ("Lê Thị Ngọc", "Phạm Quốc Việt", "TRƯỞNG PHÒNG"),
    "phong-kinh-te": ("Vũ Minh Đức", "Trần Văn Hùng", "TRƯỞNG PHÒNG"),
    "cong-an": ("Nguyễn Hữu Nam", "Bùi Đức Long", "TRƯỞNG CÔNG AN XÃ"),
    "quan-su": ("Phạm Văn Toàn", "Đinh Công Sơn", "CHỈ HUY TRƯỞNG"),
    "ttpvhcc": ("Hoàng Thị Hương", "Mai Văn Phúc", "GIÁM ĐỐC"),
    "mttq": ("Trịnh Thị Lan", "Nguyễn Đình Khải", "CHỦ TỊCH"),
    "ttdvsnc": ("Đặng Thu Trang", "Lương Văn Bình", "GIÁM ĐỐC"),
    "truong-hoc": ("Phan Thị Yến", "Cao Văn Dũng", "THỦ TRƯỞNG ĐƠN VỊ"),
    "tram-y-te": ("Ngô Thị Huyền", "Tạ Quang Minh", "TRƯỞNG TRẠM"),
    "thon": ("Vương Văn Hải", "Trần Văn Hùng", "THỦ TRƯỞNG ĐƠN VỊ"),
}


@dataclass(frozen=True)
class Look:
    """How one sheet is laid out: the traits of the real sheet it imitates."""

    month: str = "nam"  # nam | slash | ky | dash | range | sheet | file | none (how the month is written)
    numbers_row: bool = False  # "(1) (2) (3)" under the header
    totals: str = "value"  # value | formula | top | none
    totals_merged: bool = False  # "Tổng cộng" merged over STT and the label column
    sections: bool = False  # section rows (I, II, III) grouping the lines
    subtotals: bool = False  # a "Cộng" row after each section
    gap: bool = False  # an empty row in the middle of the table
    text_numbers: bool = False  # some numbers typed as text, Vietnamese style
    odd_names: bool = False  # village names typed by hand: no accents, odd case, spaces
    nfd: bool = False  # names in decomposed Unicode
    variant: int = 0  # which header spellings to use
    doc_number: str = ""
    addressee: bool = False
    note: str = ""


@dataclass
class Line:
    """One data row: its label and its cells (numbers, text, dates or formulas)."""

    label: str
    cells: list[object]
    section: str = ""
    stt: object = None


@dataclass
class Heading:
    committee: str
    unit: str
    unit_name: str
    kind: str
    title: str
    m: int
    signed: date
    staff: tuple[str, str, str] = field(default=("", "", "THỦ TRƯỞNG ĐƠN VỊ"))


# ---------------------------------------------------------------- text of the heading


def date_line(signed: date, place: str = "An Phú") -> str:
    """The place-and-date line as the decree on documents writes it: "ngày 05 tháng 11 năm 2026"."""
    month = f"{signed.month:02d}" if signed.month < 3 else str(signed.month)
    return f"{place}, ngày {signed.day:02d} tháng {month} năm {signed.year}"


def title_lines(title: str, m: int, style: str) -> list[str]:
    mm = f"{m:02d}" if m < 3 else str(m)
    if style == "nam":
        return [f"{title} THÁNG {mm} NĂM {YEAR}"]
    if style == "slash":
        return [title, f"(tháng {m}/{YEAR})"]
    if style == "ky":
        return [title, f"Kỳ báo cáo: tháng {m}/{YEAR}"]
    if style == "dash":
        return [f"{title} T{m}-{YEAR}"]
    if style == "range":
        return [title, f"(Từ ngày 01/{m:02d}/{YEAR} đến ngày {month_end(m).day}/{m:02d}/{YEAR})"]
    if style == "sheet":
        return [f"{title} NĂM {YEAR}"]
    return [title]


def write_heading(ws: Worksheet, width: int, h: Heading, look: Look, extra: Sequence[str] = ()) -> int:
    lines = title_lines(h.title, h.m, look.month) + list(extra)
    return put_title_block(
        ws,
        width,
        committee=h.committee,
        unit_name=h.unit_name,
        date_line=date_line(h.signed),
        title_lines=lines,
        doc_number=look.doc_number,
        addressee="Kính gửi: Ủy ban nhân dân xã An Phú" if look.addressee else "",
    )


def write_footer(ws: Worksheet, row: int, width: int, h: Heading, look: Look) -> int:
    maker, head, head_title = h.staff
    return put_footer(ws, row, width, note=look.note, right_title=head_title, left_name=maker, right_name=head)


# ---------------------------------------------------------------- how people type numbers and names


def vn_number(x: float) -> str:
    """A number typed as text the Vietnamese way: "1.250", "27,5"."""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", ".")
    whole, frac = f"{x:.1f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def odd_name(name: str, i: int) -> str:
    """A village name as someone typed it by hand; still the same village whatever the accents and case."""
    bare = name.removeprefix("Thôn ")
    forms = (
        lambda: fold(name) + " ",  # "thon dong ha "
        lambda: fold(bare).upper(),  # "DONG HA"
        lambda: bare,  # "Đông Hà"
        lambda: "Thôn  " + bare,  # double space
        lambda: name.lower(),  # "thôn đông hà"
        lambda: " " + name.upper(),
        lambda: name,
    )
    return forms[i % len(forms)]()


def section_of(village_code: str) -> str:
    return next(s for s, codes in FORMER_COMMUNES.items() if village_code in codes)


def percent_text(n: float, d: float) -> str:
    return vn_number(round(100 * n / d, 1)) + "%" if d else ""


def pct(n: float, d: float) -> float | None:
    return round(100 * n / d, 1) if d else None


# ---------------------------------------------------------------- a table of lines under a header


def write_table(
    ws: Worksheet,
    row: int,
    groups: Sequence[tuple[str, Sequence[str]]],
    lines: Sequence[Line],
    look: Look,
    *,
    sums: Sequence[int],
    formats: dict[int, str] | None = None,
) -> int:
    """Header, lines (with the look's sections, gap, totals) and borders; returns the row after the table.

    Column 1 is STT, column 2 the label, then the lines' cells; `sums` are the 0-based cell
    indexes summed in totals rows. Formats map 0-based cell indexes to number formats.
    """
    formats = formats or {}
    width = 2 + max(len(ln.cells) for ln in lines)
    top = put_header(ws, row, groups, numbers_row=look.numbers_row)
    r = top
    if look.totals == "top":
        r = _totals_row(ws, r, width, "Tổng số", [_sum(lines, i) for i in range(width - 2)], sums, look, formats)
    sections: list[str] = []
    for ln in lines:
        if ln.section and ln.section not in sections:
            sections.append(ln.section)
    blocks = [(s, [ln for ln in lines if ln.section == s]) for s in sections] if look.sections else [("", lines)]
    first_data = r
    gap_at = len(lines) // 2 if look.gap else -1
    k = 0
    for si, (section, block) in enumerate(blocks):
        if section:
            put(ws, r, 1, ROMAN[si], font=font(bold=True), align=CENTER)
            put(ws, r, 2, section, font=font(bold=True), align=LEFT)
            r += 1
        for i, ln in enumerate(block, start=1):
            if k == gap_at:
                r += 1
            put(ws, r, 1, ln.stt if ln.stt is not None else i, align=CENTER)
            put(ws, r, 2, ln.label, align=LEFT)
            for j, v in enumerate(ln.cells):
                text = look.text_numbers and isinstance(v, int | float) and not isinstance(v, bool) and (k % 3 == 1)
                value = vn_number(v) if text and v is not None else v
                fmt = formats.get(j)
                style = {"fmt": fmt} if fmt and not isinstance(value, str) else {}
                put(ws, r, 3 + j, value, align=CENTER if isinstance(value, int | float) else LEFT, **style)
            r += 1
            k += 1
        if look.subtotals and section:
            r = _totals_row(ws, r, width, "Cộng", [_sum(block, i) for i in range(width - 2)], sums, look, formats)
    last_data = r - 1

    def formula(i: int) -> str:
        letter = get_column_letter(3 + i)
        return f"=SUM({letter}{first_data}:{letter}{last_data})"

    if look.totals in ("value", "formula"):
        # A column whose rows are formulas can only be totalled by a formula too.
        cells = [
            formula(i) if look.totals == "formula" or _has_formula(lines, i) else _sum(lines, i)
            for i in range(width - 2)
        ]
        r = _totals_row(ws, r, width, "Tổng cộng", cells, sums, look, formats)
    box(ws, row, r - 1, 1, width)
    return r


def _sum(lines: Sequence[Line], i: int) -> float:
    total = sum(ln.cells[i] for ln in lines if i < len(ln.cells) and _is_number(ln.cells[i]))
    return round(total, 3)


def _has_formula(lines: Sequence[Line], i: int) -> bool:
    return any(i < len(ln.cells) and isinstance(ln.cells[i], str) and ln.cells[i].startswith("=") for ln in lines)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _totals_row(ws, r, width, label, cells, sums, look: Look, formats) -> int:
    if look.totals_merged:
        put_merged(ws, r, 1, 2, label, font=font(bold=True), align=CENTER)
    else:
        put(ws, r, 2, label, font=font(bold=True), align=CENTER)
    for i, v in enumerate(cells):
        if i in sums and v is not None:
            put(ws, r, 3 + i, v, font=font(bold=True), align=CENTER, fmt=formats.get(i, INT_FORMAT))
    return r + 1


# ---------------------------------------------------------------- trees


def tree_wide(ws: Worksheet, fig: Figures, h: Heading, look: Look) -> None:
    """Wide form: one row per village, the month's trees per place type."""
    width = 9
    row = write_heading(ws, width, h, look)
    groups = [("STT", []), ("Thôn", []), ("Địa điểm trồng", list(PLACE_TYPES))]
    groups += [("Tổng số (cây)", []), ("Loại cây", []), ("Ghi chú", [])]
    lines = []
    for i, v in enumerate(fig.villages):
        events = [e for e in fig.trees[h.m] if e.village == v.code]
        places = [sum(e.count for e in events if e.place == p) or None for p in range(4)]
        total = sum(p or 0 for p in places)
        species = ", ".join(sorted({s for e in events for s in e.species.split(", ")}))
        label = odd_name(v.name, i) if look.odd_names and i % 4 == 2 else v.name
        note = "Hưởng ứng Tết trồng cây" if h.m == 2 and total else ("Chưa trồng" if not total else "")
        lines.append(Line(label, [*places, total or None, species, note], section=section_of(v.code)))
    end = write_table(ws, row, groups, lines, look, sums=range(5), formats=dict.fromkeys(range(5), INT_FORMAT))
    write_footer(ws, end, width, h, look)
    set_widths(ws, [5, 22, 11, 11, 11, 11, 11, 26, 22])
    landscape(ws)


_LOG_DATE_TEXT = (
    lambda d: d,
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
)


def tree_log(ws: Worksheet, fig: Figures, h: Heading, look: Look, *, dates: str = "real") -> None:
    """Event log: one planting per row with its date; dates real, day-first text, or a mix."""
    width = 8
    row = write_heading(ws, width, h, look)
    groups = [("STT", []), ("Ngày trồng", []), ("Thôn", []), ("Nơi trồng", []), ("Loại cây", [])]
    groups += [("Số lượng (cây)", []), ("Đơn vị thực hiện", []), ("Ghi chú", [])]
    r = put_header(ws, row, groups, numbers_row=look.numbers_row)
    events = fig.trees[h.m]
    for i, e in enumerate(events):
        if look.gap and i == len(events) // 2:
            r += 1
        if dates == "real":
            when: object = e.day
        elif dates == "text":
            when = _LOG_DATE_TEXT[1 + i % 3](e.day)
        else:
            when = _LOG_DATE_TEXT[i % 4](e.day)
        village = fig.village(e.village).name
        label = odd_name(village, i) if look.odd_names and i % 3 == 1 else village
        place = PLACE_TYPES[e.place] if i % 5 else PLACE_TYPES[e.place].lower()
        count = vn_number(e.count) if look.text_numbers and e.count >= 1000 else e.count
        put(ws, r, 1, i + 1, align=CENTER)
        put(ws, r, 2, when, align=CENTER, fmt=DATE_FORMAT)
        put(ws, r, 3, label, align=LEFT)
        put(ws, r, 4, place, align=LEFT)
        put(ws, r, 5, e.species, align=LEFT)
        put(ws, r, 6, count, align=CENTER, fmt=INT_FORMAT)
        put(ws, r, 7, e.planter, align=LEFT)
        r += 1
    if look.totals != "none":
        put_merged(ws, r, 1, 5, "Tổng cộng", font=font(bold=True), align=CENTER)
        total = sum(e.count for e in events)
        put(ws, r, 6, f"=SUM(F{row + 1}:F{r - 1})" if look.totals == "formula" else total, font=font(bold=True))
        r += 1
    box(ws, row, r - 1, 1, width)
    write_footer(ws, r, width, h, look)
    set_widths(ws, [5, 13, 22, 16, 24, 12, 26, 16])
    landscape(ws)


def blank_form(ws: Worksheet, h: Heading) -> None:
    """The hidden "Mẫu" sheet units keep in their workbook: the form with nothing filled in."""
    width = 9
    put_merged(ws, 1, 1, width, "MẪU BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH", font=font(bold=True), align=CENTER)
    put_merged(ws, 2, 1, width, "THÁNG ...... NĂM ........", font=font(italic=True), align=CENTER)
    groups = [("STT", []), ("Thôn", []), ("Địa điểm trồng", list(PLACE_TYPES))]
    groups += [("Tổng số (cây)", []), ("Loại cây", []), ("Ghi chú", [])]
    put_header(ws, 4, groups)
    ws.sheet_state = "hidden"


# ---------------------------------------------------------------- administrative procedures


def procedures(ws: Worksheet, fig: Figures, h: Heading, look: Look, *, rate: str, resolved_total: bool) -> None:
    """One row per field of procedures; rate is how the people's percent column is typed: text, share, number."""
    resolved = ["Tổng số", "Đúng hạn", "Quá hạn"] if resolved_total else ["Đúng hạn", "Quá hạn"]
    groups = tthc_groups(resolved)
    width = 8 + resolved_total
    row = write_heading(ws, width, h, look)
    lines = []
    for r in fig.tthc[h.m]:
        share = r.online / r.received
        rate_cell: object = {"text": percent_text(r.online, r.received), "share": round(share, 3)}.get(
            rate, round(100 * share, 1)
        )
        done = [r.on_time + r.late] if resolved_total else []
        lines.append(
            Line(r.field, [r.received, r.online, r.direct, r.full_online, *done, r.on_time, r.late, rate_cell])
        )
    n = 6 + resolved_total
    formats = dict.fromkeys(range(n), INT_FORMAT)
    formats[n] = "0.0%" if rate == "share" else "0.0"
    end = write_table(ws, row, groups, lines, look, sums=range(n), formats=formats)
    write_footer(ws, end, width, h, look)
    set_widths(ws, [5, 30, 12, 11, 12, 12, 11, 11, 11, 11][:width])
    landscape(ws)


# ---------------------------------------------------------------- the OCOP / VietGAP / organic register


def register(ws: Worksheet, fig: Figures, h: Heading, look: Look, *, text_dates: bool) -> None:
    """The whole register as of the month's end; expired items stay listed, as units keep them."""
    width = 11
    end = month_end(h.m)
    extra = [f"(Tính đến ngày {end.day:02d}/{end.month:02d}/{end.year})"]
    row = write_heading(ws, width, h, replace(look, month="none"), extra)
    headers = ["STT", "Tên sản phẩm", "Chủ thể", "Thôn", "Loại chứng nhận", "Hạng sao", "Số quyết định"]
    headers += ["Ngày cấp", "Ngày hết hạn", "Diện tích (ha)", "Ghi chú"]
    sections = {"OCOP": "SẢN PHẨM OCOP", "VietGAP": "CHỨNG NHẬN VIETGAP", "Hữu cơ": "CHỨNG NHẬN HỮU CƠ"}
    listed = [e for e in fig.register if e.listed_at(end)]
    listed.sort(key=lambda e: (list(sections).index(e.certificate), e.issued))
    lines = []
    for i, e in enumerate(listed):
        village = fig.village(e.village).name
        lines.append(
            Line(
                e.name,
                [
                    e.owner,
                    odd_name(village, i) if look.odd_names and i % 3 == 0 else village,
                    _certificate_text(e, i),
                    e.stars_text or None,
                    e.decision,
                    _date_cell(e.issued, text_dates and i % 2 == 0),
                    _date_cell(e.written_expiry, text_dates and i % 2 == 1),
                    (vn_number(e.area_ha) if look.text_numbers and i % 2 else e.area_ha) if e.area_ha else None,
                    _register_note(fig, e, end),
                ],
                section=sections[e.certificate],
            )
        )
    table_look = replace(look, totals="none", subtotals=False)
    end_row = write_table(
        ws, row, [(h_, []) for h_ in headers], lines, table_look, sums=(), formats={5: DATE_FORMAT, 6: DATE_FORMAT}
    )
    write_footer(ws, end_row, width, h, look)
    set_widths(ws, [5, 28, 30, 18, 13, 9, 15, 12, 12, 10, 16])
    landscape(ws)


def _certificate_text(e: RegisterEntry, i: int) -> str:
    if e.certificate == "VietGAP" and i % 3 == 1:
        return "Vietgap"
    return e.certificate


def _date_cell(d: date | None, as_text: bool) -> object:
    if d is None:
        return None
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if as_text else d


def _register_note(fig: Figures, e: RegisterEntry, end: date) -> str:
    if not e.valid_at(end):
        return "Đã hết hạn"
    if any(o is not e and o.name == e.name and o.issued < e.issued for o in fig.register):
        return "Cấp lại"
    return ""


# ---------------------------------------------------------------- cashless payments


def cashless(ws: Worksheet, fig: Figures, h: Heading, look: Look, *, money_text: bool, rate_text: bool) -> None:
    """One collecting unit per row; money sometimes typed as "12.500.000 đ"."""
    heads = [
        ("Tổng số giao dịch", "TS giao dịch", "Tổng số giao dịch"),
        ("Giao dịch không dùng tiền mặt", "Giao dịch TTKDTM", "Số giao dịch không dùng tiền mặt"),
        ("Tổng giá trị (đồng)", "Tổng giá trị thanh toán (đồng)", "Tổng giá trị giao dịch (đồng)"),
        (
            "Giá trị không dùng tiền mặt (đồng)",
            "Giá trị TTKDTM (đồng)",
            "Giá trị thanh toán không dùng tiền mặt (đồng)",
        ),
    ]
    pick = [hh[look.variant % 3] for hh in heads]
    groups = [
        ("STT", []),
        ("Đơn vị", []),
        (pick[0], []),
        (pick[1], []),
        ("Tỷ lệ (%)", []),
        (pick[2], []),
        (pick[3], []),
    ]
    width = 7
    row = write_heading(ws, width, h, look)
    lines = []
    for i, c in enumerate(fig.cash[h.m]):
        rate: object = percent_text(c.cashless, c.transactions) if rate_text else pct(c.cashless, c.transactions)
        money = [c.value, c.cashless_value]
        if money_text and i % 2 == 0:
            money = [vn_number(x) + " đ" for x in money]
        lines.append(Line(c.unit, [c.transactions, c.cashless, rate, *money]))
    formats = {0: INT_FORMAT, 1: INT_FORMAT, 2: "0.0", 3: INT_FORMAT, 4: INT_FORMAT}
    table_lines = lines
    if money_text:
        # Totals must stay numbers even where rows hold money as text.
        totals = [sum(c.value for c in fig.cash[h.m]), sum(c.cashless_value for c in fig.cash[h.m])]
        end = write_table(
            ws, row, groups, table_lines, replace(look, totals="none"), sums=(0, 1, 3, 4), formats=formats
        )
        if look.totals != "none":
            put(ws, end, 2, "Tổng cộng", font=font(bold=True), align=CENTER)
            for j, v in enumerate([_sum(lines, 0), _sum(lines, 1), None, *totals]):
                if v is not None:
                    put(ws, end, 3 + j, v, font=font(bold=True), fmt=INT_FORMAT)
            box(ws, end, end, 1, width)
            end += 1
    else:
        end = write_table(ws, row, groups, table_lines, look, sums=(0, 1, 3, 4), formats=formats)
    write_footer(ws, end, width, h, look)
    set_widths(ws, [5, 34, 13, 15, 9, 18, 20])
    landscape(ws)


# ---------------------------------------------------------------- the units' monthly tables


@dataclass(frozen=True)
class Col:
    """A column of a monthly table: header spellings (one chosen per month) and what it holds."""

    spellings: tuple[str, ...]
    key: str = ""  # "indicator.numerator" / "indicator.denominator"; "" for a people column
    rate_of: tuple[str, str] = ("", "")  # a people percent column: (numerator key, denominator key)
    fmt: str = INT_FORMAT
    text: Callable[[TableRow, int], str] | None = None  # a text column: its value for a row


def _spelling(col: Col, variant: int) -> str:
    return col.spellings[variant % len(col.spellings)]


def monthly_table(
    ws: Worksheet,
    rows: Sequence[TableRow],
    h: Heading,
    look: Look,
    *,
    label: str,
    layout: Sequence[tuple[str, Sequence[Col]]],
    widths: Sequence[float],
    heading: bool = True,
    catalogue: Catalogue | None = None,
    section: Callable[[TableRow], str] | None = None,
) -> None:
    """A unit's table, one row per village (or school, or facility), grouped two-level headers."""
    cols = [c for _, cs in layout for c in cs]
    groups: list[tuple[str, list[str]]] = [("STT", []), (label, [])]
    for title, cs in layout:
        names = [_spelling(c, look.variant) for c in cs]
        groups.append((title, names) if title else (names[0], []))
    if catalogue is not None:
        for c in cols:
            if c.key:
                check_header(catalogue, c.key, _spelling(c, look.variant))
    width = 2 + len(cols)
    if heading:
        row = write_heading(ws, width, h, look)
    else:
        lines_ = title_lines(h.title, h.m, look.month)
        for i, text in enumerate(lines_):
            put_merged(ws, 1 + i, 1, width, text, font=font(bold=i == 0, size=13), align=CENTER)
        row = len(lines_) + 2
    lines = []
    for i, tr in enumerate(rows):
        cells: list[object] = []
        for c in cols:
            if c.text is not None:
                cells.append(c.text(tr, i))
            elif c.key:
                cells.append(tr.values.get(c.key))
            elif c.rate_of[0]:
                cells.append(pct(tr.values[c.rate_of[0]], tr.values[c.rate_of[1]]))
            else:
                cells.append(None)
        name = tr.label
        if tr.village and look.odd_names and i % 4 == 1:
            name = odd_name(name, i // 4)
        if look.nfd:
            name = unicodedata.normalize("NFD", name)
        group = section(tr) if section else (section_of(tr.village) if tr.village else "")
        lines.append(Line(name, cells, section=group))
    sums = [j for j, c in enumerate(cols) if c.key]
    formats = {j: c.fmt for j, c in enumerate(cols) if c.key or c.rate_of[0]}
    end = write_table(ws, row, groups, lines, look, sums=sums, formats=formats)
    if heading:
        write_footer(ws, end, width, h, look)
    set_widths(ws, widths)
    landscape(ws)


def transposed(ws: Worksheet, h: Heading, look: Look, items: Sequence[tuple[str, str, str, object]]) -> None:
    """Rows are quantities: STT | Nội dung | ĐVT | Số lượng. Items are (stt, text, unit, value)."""
    width = 4
    row = write_heading(ws, width, h, look)
    r = put_header(
        ws, row, [("STT", []), ("Nội dung", []), ("ĐVT", []), ("Số lượng", [])], numbers_row=look.numbers_row
    )
    for stt, text, unit, value in items:
        bold = not text.startswith("-")
        put(ws, r, 1, stt, align=CENTER)
        put(ws, r, 2, text, font=font(bold=bold, italic=not bold), align=LEFT)
        put(ws, r, 3, unit, align=CENTER)
        put(ws, r, 4, value, align=CENTER, fmt=DEC_FORMAT if isinstance(value, float) else INT_FORMAT)
        r += 1
    box(ws, row, r - 1, 1, width)
    write_footer(ws, r, width, h, look)
    set_widths(ws, [6, 56, 10, 14])


# ---------------------------------------------------------------- checks and legacy output


_BRACKETS = re.compile(r"\([^)]*\)")


def check_header(catalogue: Catalogue, key: str, text: str) -> None:
    """Refuse to write a header the catalogue does not know for that quantity (accents, case, units aside)."""
    code, role = key.split(".")
    column = getattr(catalogue.indicator(code), role)
    wanted = {fold(n) for n in column.names}
    if fold(_BRACKETS.sub("", text)) not in wanted:
        raise ValueError(f"header {text!r} is not a spelling of {key} in the catalogue")


def xls_bytes(ws: Worksheet) -> bytes:
    """The worksheet as a legacy Excel 97-2003 .xls (values, dates, merges, bold), as old templates are."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(ws.title)
    plain = xlwt.easyxf("font: name Times New Roman, height 240")
    bold = xlwt.easyxf("font: name Times New Roman, height 240, bold on; align: horiz center, wrap on")
    day = xlwt.easyxf("font: name Times New Roman, height 240", num_format_str="DD/MM/YYYY")
    merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    covered = {(r, c) for m in ws.merged_cells.ranges for r, c in _cells(m) if (r, c) != (m.min_row, m.min_col)}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in covered:
                continue
            value = cell.value
            if isinstance(value, str) and value.startswith("="):
                raise ValueError("formulas are not written to the legacy .xls sample")
            style = day if isinstance(value, date) else bold if cell.font and cell.font.b else plain
            m = merged.get((cell.row, cell.column))
            if m is not None:
                sheet.write_merge(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, value, style)
            else:
                sheet.write(cell.row - 1, cell.column - 1, value, style)
    for letter, dim in ws.column_dimensions.items():
        if dim.width:
            sheet.col(column_index_from_string(letter) - 1).width = int(dim.width * 256)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(rng) -> list[tuple[int, int]]:
    return [(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)]
