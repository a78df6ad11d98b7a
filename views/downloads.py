"""The files a download button gives: Excel and CSV built from the frame on screen, text cells neutralised against
formula injection."""

from __future__ import annotations

import io
import math
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ground import fmt

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _export_value(x: object) -> object:
    """What a cell holds in a download: numbers and dates as such, text neutralised, gaps empty."""
    if isinstance(x, list | tuple):
        return neutralise(", ".join(str(v) for v in x))
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
    return neutralise(str(x))


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it goes into a download: one Python value per cell (see _export_value)."""
    return pd.DataFrame(
        {c: pd.Series([_export_value(v) for v in frame[c]], dtype=object) for c in frame.columns},
        index=range(len(frame)),
    )


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese letters right."""
    out = export_frame(frame)
    for c in out.columns:
        out[c] = [v.strftime("%d/%m/%Y") if isinstance(v, date) and not isinstance(v, datetime) else v for v in out[c]]
    out.columns = [neutralise(str(c)) for c in out.columns]  # a header may carry a name from the data too
    # CRLF rows (RFC 4180): the writer then quotes any cell holding a CR, which would otherwise end the row in
    # Excel and start the next one with the rest of the cell, formula and all.
    return out.to_csv(index=False, date_format="%d/%m/%Y %H:%M", lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Số liệu") -> bytes:
    """One sheet: a bold header row, then the raw values (numbers stay numbers, dates are dates)."""
    out = export_frame(frame)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet))
    ws.freeze_panes = "A2"
    widths = [min(max(len(str(c)), *(len(str(v)) for v in out[c] if v is not None), 8), 60) for c in out.columns]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w + 2
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for c in out.columns:
        cell = WriteOnlyCell(ws, value=neutralise(str(c)))
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    ws.append(header)
    for row in out.itertuples(index=False):
        cells = []
        for v in row:
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(v, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm" if (v.hour, v.minute) != (0, 0) else "dd/mm/yyyy"
            elif isinstance(v, date):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_title(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31] or "Số liệu"
