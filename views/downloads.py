"""The files a download button gives: Excel and CSV built from the frame on screen, figures rounded and formatted to
their precision, text cells neutralised against formula injection.

Excel is for people: numeric cells with a number format (#,##0 · #,##0.0 · 0.0%), dates as dates, the commune,
page, month and source named above a bold frozen header, fitted widths, and a page setup that prints one page
wide with the header on every page. CSV is for machines: UTF-8 with a byte-order mark, comma-separated, dot
decimals, ISO dates, figures rounded like the screen (never "142.0").
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import pandas as pd

from ground import fmt
from views import formats, privacy

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
PERCENT = "%"
WIDE = 5  # more columns than this print landscape
TEXT_WIDTH = 28  # characters: a longer text wraps within its column


@dataclass(frozen=True)
class Layout:
    """How a table's figures are read: `units` per row (the unit of measure of each row, as on screen) for the
    `unit_columns`, and the lines naming what the file holds (commune, page, month, source)."""

    about: tuple[str, ...] = ()
    units: tuple[str, ...] | None = None
    unit_columns: frozenset[str] = frozenset()


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _text(x: object) -> str:
    return neutralise(privacy.visible_text(str(x)))


def _export_value(x: object) -> object:
    """What a cell holds in a download: numbers and dates as such, text neutralised, gaps empty."""
    if isinstance(x, list | tuple):
        return _text(", ".join(str(v) for v in x))
    if fmt.is_missing(x):
        return None
    if isinstance(x, bool):
        return "Có" if x else "Không"
    if isinstance(x, int | float):
        return None if isinstance(x, float) and math.isinf(x) else x
    if hasattr(x, "item") and not isinstance(x, str):  # numpy scalars
        return _export_value(x.item())
    if isinstance(x, pd.Timestamp):
        return x.to_pydatetime()
    if isinstance(x, datetime | date):
        return x
    return _text(x)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it goes into a download: one Python value per cell (see _export_value)."""
    return pd.DataFrame(
        {c: pd.Series([_export_value(v) for v in frame[c]], dtype=object) for c in frame.columns},
        index=range(len(frame)),
    )


# ---------------------------------------------------------------- precision


def _is_percent(column: str, unit: str | None) -> bool:
    return unit == PERCENT or (unit is None and PERCENT in column)


def decimals_of(value: float, percent: bool, with_unit: bool = False) -> int:
    """The decimals a figure is read to, as on screen, needless zeros dropped: a share to one decimal, a figure in
    its row's unit by size (views/formats.py: 8.333 cây · 416,7 cây · 2,39 sản phẩm), any other up to two decimals
    (ground/fmt.py: none from 10.000 up)."""
    if percent:
        places = 1
    elif with_unit:
        places = formats.decimals(value)
    else:
        places = 0 if abs(value) >= 10_000 else 2
    while places and rounded(value, places) == rounded(value, places - 1):
        places -= 1
    return places


def rounded(value: float, decimals: int) -> float | int:
    """Half-up as on screen (fmt.number), an int when no decimals are left."""
    text = fmt.number(value, decimals, trim=False).replace(".", "").replace(",", ".").replace(fmt.MINUS, "-")
    return int(text) if decimals == 0 else float(text)


def number_format(decimals: int, percent: bool) -> str:
    tail = "." + "0" * decimals if decimals else ""
    return f"0{tail}%" if percent else f"#,##0{tail}"


def _row_units(frame: pd.DataFrame, layout: Layout) -> list[str | None]:
    units = list(layout.units) if layout.units is not None else []
    return units + [None] * (len(frame) - len(units))


def _header(column: str, layout: Layout) -> str:
    """A column of one unit carries it in its header: "Chỉ tiêu (cây)"."""
    units = set(layout.units or ())
    if column in layout.unit_columns and len(units) == 1:
        unit = next(iter(units))
        if unit and unit != PERCENT:
            return f"{column} ({unit})"
    return column


def _unit_for(column: str, row_unit: str | None, layout: Layout) -> str | None:
    return row_unit if column in layout.unit_columns else None


# ---------------------------------------------------------------- CSV


def to_csv(frame: pd.DataFrame, layout: Layout | None = None) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads the Vietnamese letters right), comma-separated, dot decimals,
    ISO dates, figures rounded to their precision. CRLF rows (RFC 4180): the writer then quotes any cell holding a
    CR, which would otherwise end the row in Excel and start the next one with the rest of the cell."""
    layout = layout or Layout()
    out = export_frame(frame)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_text(_header(str(c), layout)) for c in out.columns])
    row_units = _row_units(out, layout)
    for i, row in enumerate(out.itertuples(index=False)):
        cells = zip(out.columns, row, strict=True)
        writer.writerow([_csv_cell(v, _unit_for(str(c), row_units[i], layout), str(c)) for c, v in cells])
    return buf.getvalue().encode("utf-8-sig")


def _csv_cell(v: object, unit: str | None, column: str) -> object:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour, v.minute) != (0, 0) else v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, int | float):
        percent = _is_percent(column, unit)
        return rounded(v, decimals_of(v, percent, unit is not None))
    return v


# ---------------------------------------------------------------- Excel


def to_xlsx(frame: pd.DataFrame, sheet: str = "Số liệu", layout: Layout | None = None) -> bytes:
    """One sheet: the lines naming what it holds, a bold frozen header, then the figures as numeric cells with a
    number format fitting each (shares as 0.0%), dates as dates; prints one page wide, header on every page."""
    # openpyxl is loaded by the first Excel download, not by every page that offers one (memory, start-up).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    layout = layout or Layout()
    out = export_frame(frame)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet)
    for line in layout.about:
        ws.append([_text(line)])
    if layout.about:
        ws.cell(1, 1).font = Font(bold=True, size=12)
        ws.append([])
    head = len(layout.about) + (1 if layout.about else 0) + 1
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    headers = [_text(_header(str(c), layout)) for c in out.columns]
    widths = [min(max(len(h) * 0.9, 8), 40) for h in headers]
    for j, h in enumerate(headers, start=1):
        cell = ws.cell(head, j, h)
        cell.font, cell.alignment = bold, wrap
    row_units = _row_units(out, layout)
    for i, row in enumerate(out.itertuples(index=False)):
        r = head + 1 + i
        lines = 1
        for j, (c, v) in enumerate(zip(out.columns, row, strict=True), start=1):
            shown = _write_cell(ws.cell(r, j), v, _unit_for(str(c), row_units[i], layout), str(c))
            widths[j - 1] = max(widths[j - 1], min(len(shown), 60))
            if isinstance(v, str) and len(v) > TEXT_WIDTH:
                lines = max(lines, math.ceil(len(v) / (TEXT_WIDTH - 4)))
        if lines > 1:  # a spreadsheet does not grow a row for wrapped text by itself (LibreOffice, print)
            ws.row_dimensions[r].height = 15 * lines
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w + 2
    ws.freeze_panes = ws.cell(head + 1, 1).coordinate
    _page_setup(ws, head, len(out.columns))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write_cell(cell, v: object, unit: str | None, column: str) -> str:
    """Fill one cell; returns roughly the text Excel shows, for the column's width."""
    cell.value = v
    if v is None:
        return ""
    if isinstance(v, str):
        cell.data_type = "s"  # never a formula, whatever the text
        if len(v) > TEXT_WIDTH:
            cell.alignment = _wrap()  # a long name wraps in its column instead of widening the printed page
        return v[:TEXT_WIDTH]
    if isinstance(v, datetime):
        timed = (v.hour, v.minute) != (0, 0)
        cell.number_format = "dd/mm/yyyy hh:mm" if timed else "dd/mm/yyyy"
        return "00/00/0000 00:00" if timed else "00/00/0000"
    if isinstance(v, date):
        cell.number_format = "dd/mm/yyyy"
        return "00/00/0000"
    if isinstance(v, int | float):
        percent = _is_percent(column, unit)
        places = decimals_of(v, percent, unit is not None)
        value = rounded(v, places)
        cell.value = value / 100 if percent else value  # Excel's % multiplies by 100; the data hold percent points
        cell.number_format = number_format(places, percent)
        return fmt.number(value, places, trim=False) + ("%" if percent else "")
    return str(v)


@cache
def _wrap():
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _page_setup(ws, head: int, columns: int) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if columns > WIDE else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.print_title_rows = f"{head}:{head}"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "Trang &P / &N"


def _sheet_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31] or "Số liệu"


def about_lines(commune: str, page: str | None, month: str | None, source: str, table: str) -> tuple[str, ...]:
    """What a downloaded table is, in its first lines: "Xã An Phú · Chỉ tiêu", "Tháng 10/2026 · Số liệu hiện tại"."""
    first = " · ".join(x for x in (commune, page, table) if x)
    when = fmt.month_long(month) if month else ""
    second = " · ".join(x for x in (when[:1].upper() + when[1:], source) if x)
    return tuple(x for x in (first, second) if x)


def columns_of(names: Sequence[str]) -> frozenset[str]:
    return frozenset(str(n) for n in names)
