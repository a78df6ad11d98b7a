"""Files from every office program: Excel's binary .xlsb read like .xlsx (merged ranges included), an .ods indented
by Gnumeric opened."""

from __future__ import annotations

import io
import zipfile

from loaders import read_report
from loaders.workbook import _ods_without_layout_space, read_workbook
from tests.test_loaders_forms import HEADER, MERGES, NUMBER_ROWS, TREES, wide
from tests.workbooks import SheetSpec, xlsb, xlsx


def test_xlsb_is_read_like_xlsx_merged_two_level_header_included(catalogue):
    spec = wide(NUMBER_ROWS["sum in brackets"])
    report = read_report(xlsb({"T10": spec}), "bc.xlsb", catalogue)
    assert report.problems == [] and {(o.village, o.breakdown[1]): o.value for o in report.observations} == TREES
    same = read_report(xlsx({"T10": spec}), "bc.xlsx", catalogue)
    assert report.observations == same.observations and report.title == same.title
    sheet = read_workbook(xlsb({"T10": SheetSpec(HEADER, MERGES)}), "x.xlsb").sheets[0]
    assert sheet.merged == [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 0, 6)]
    assert sheet.merged_value(0, 5) == "Địa điểm trồng"


def test_layout_space_of_an_indented_ods_is_taken_out_and_paragraph_space_kept():
    content = (
        '<office:document-content><office:body><office:spreadsheet><table:table table:name="S">\n  '
        "<table:table-row>\n    <table:table-cell><text:p>An <text:span>Lạc</text:span></text:p></table:table-cell>\n"
        "    <table:table-cell><text:p><text:span>A</text:span> <text:span>B</text:span></text:p></table:table-cell>\n"
        "  </table:table-row>\n</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    tidy = zipfile.ZipFile(io.BytesIO(_ods_without_layout_space(bio.getvalue())))
    text = tidy.read("content.xml").decode()
    assert "<table:table-row><table:table-cell><text:p>An <text:span>Lạc" in text
    assert "<text:span>A</text:span> <text:span>B</text:span>" in text and "\n" not in text
    assert tidy.namelist()[0] == "mimetype"
