"""Downloads a leader opens in Excel: numeric cells with number formats fitting each figure, shares as 0.0%, dates
as dates, the commune/page/month/source named above a bold frozen header carrying the unit, a page setup that
prints one page wide with the header on every page; CSV for machines: BOM, commas, dot decimals, rounded, ISO
dates; both neutralise formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pandas as pd

from views import downloads
from views.downloads import Layout

ABOUT = downloads.about_lines("Xã An Phú", "Chỉ tiêu", "2026-10", "Số liệu hiện tại", "Theo thôn")


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Thôn": ["An Lạc", '=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "Đông Hà"],
            "Thực hiện": [8370.0, 416.6666666666667, 9.0, 2.3912],
            "% chỉ tiêu": [41.85, 63.2444, 100.0, 0.0],
            "Tỷ số tiến độ r": [0.21428571428571427, 1.0, 0.5, 2.25],
            "Thời điểm nhập": [datetime(2026, 11, 3, 14, 5)] * 4,
            "Đơn vị tính": ["cây", "cây", "cây", "cây"],
        }
    )


LAYOUT = Layout(ABOUT, ("cây",) * 4, frozenset({"Thực hiện"}))


def test_excel_holds_numbers_with_formats_dates_and_a_header_that_prints():
    ws = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(frame(), "Theo thôn", LAYOUT))).active
    assert ws["A1"].value == "Xã An Phú · Chỉ tiêu · Theo thôn" and ws["A1"].font.bold
    assert ws["A2"].value == "Tháng 10/2026 · Số liệu hiện tại"
    head = 4
    assert [c.value for c in ws[head]][:3] == ["Thôn", "Thực hiện (cây)", "% chỉ tiêu"]  # the unit in the header
    assert all(c.font.bold for c in ws[head])
    assert ws.freeze_panes == f"A{head + 1}"
    assert ws.print_title_rows == f"${head}:${head}"
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert ws.page_setup.orientation == "landscape"  # six columns
    figures = [ws.cell(r, 2) for r in range(head + 1, head + 5)]
    assert [c.value for c in figures] == [8370, 416.7, 9, 2.39] and all(c.data_type == "n" for c in figures)
    assert [c.number_format for c in figures] == ["#,##0", "#,##0.0", "#,##0", "#,##0.00"]
    shares = [ws.cell(r, 3) for r in range(head + 1, head + 5)]
    assert [c.value for c in shares] == [0.419, 0.632, 1, 0]  # percent points as Excel's fractions
    assert [c.number_format for c in shares] == ["0.0%", "0.0%", "0%", "0%"]
    ratio = ws.cell(head + 1, 4)
    assert ratio.value == 0.21 and ratio.number_format == "#,##0.00"
    when = ws.cell(head + 1, 5)
    assert when.value == datetime(2026, 11, 3, 14, 5) and when.number_format == "dd/mm/yyyy hh:mm"
    texts = [ws.cell(r, 1) for r in range(head + 1, head + 5)]
    assert texts[1].value.startswith("'=") and texts[2].value.startswith("'+")
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert all(ws.column_dimensions[col].width >= 8 for col in "ABCDEF")


def test_csv_is_for_machines_rounded_like_the_screen():
    data = downloads.to_csv(frame(), LAYOUT)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:2] == ["Thôn", "Thực hiện (cây)"]
    assert [r[1] for r in rows[1:]] == ["8370", "416.7", "9", "2.39"]  # never 416.6666666666667 or 9.0
    assert [r[2] for r in rows[1:]] == ["41.9", "63.2", "100", "0"]
    assert rows[1][3] == "0.21" and rows[1][4] == "2026-11-03 14:05"
    assert rows[2][0].startswith("'=") and rows[3][0].startswith("'+")
    assert not any(cell[:1] in "=+-@\t\r" for r in rows for cell in r if not cell[:1].isdigit())
