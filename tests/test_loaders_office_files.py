"""Files from every office program: each fixture of tests/office_files/, re-saved by LibreOffice Calc and Gnumeric
(and written as Excel's binary .xlsb), reads to the same figures as the workbook it was made from; .xlsb is read like
.xlsx (merged ranges included), an .ods indented by Gnumeric is opened."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from loaders import read_report
from loaders.workbook import _ods_without_layout_space, read_workbook
from tests.test_loaders_forms import HEADER, MERGES, NUMBER_ROWS, TREES, wide
from tests.workbooks import SheetSpec, xlsb, xlsx

HERE = Path(__file__).resolve().parent / "office_files"
ORIGINALS = sorted(p for p in HERE.glob("*.xlsx") if p.name.count(".") == 1)
VARIANTS = sorted(p for p in HERE.iterdir() if p.suffix != ".py" and p.suffix != ".md" and p not in ORIGINALS)
PROGRAMS = ("libreoffice.xls", "libreoffice.ods", "libreoffice.xlsx", "gnumeric.xls", "gnumeric.ods", "gnumeric.xlsx")


def original_of(variant: Path) -> Path:
    return HERE / f"{variant.name.split('.')[0]}.xlsx"


def figures(report) -> tuple:
    return (
        [(o.indicator, o.period, o.value, o.denominator, o.village, o.breakdown, o.sheet, o.row) for o in
         report.observations],
        report.register,
        (report.kind, report.unit, report.periods, report.sheets, report.title, report.signed_on),
    )  # fmt: skip


def test_every_original_was_re_saved_by_each_program():
    assert len(ORIGINALS) == 4
    for original in ORIGINALS:
        made = {p.name.removeprefix(original.stem + ".") for p in VARIANTS if original_of(p) == original}
        assert set(PROGRAMS) | {"xlsb"} <= made, original.name


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda p: p.name)
def test_a_re_saved_file_reads_to_the_figures_of_its_original(catalogue, variant):
    original = original_of(variant)
    want = read_report(original.read_bytes(), original.name, catalogue)
    assert want.errors == [] and (want.observations or want.register)
    got = read_report(variant.read_bytes(), variant.name, catalogue)
    assert figures(got) == figures(want)
    # The same warnings, and the note of an old font encoding wherever the original has one.
    assert [p for p in got.problems if p.severity != "note"] == [p for p in want.problems if p.severity != "note"]
    notes = [re.sub(r"\(nhận ra.*", "", p.message) for p in got.problems if p.severity == "note"]
    assert notes == [re.sub(r"\(nhận ra.*", "", p.message) for p in want.problems if p.severity == "note"]


@pytest.mark.parametrize("variant", [p for p in VARIANTS if "tcvn3" in p.name or "vni" in p.name], ids=lambda p: p.name)
def test_the_old_font_is_found_in_what_every_program_writes(variant):
    [note] = [p for p in read_workbook(variant.read_bytes(), variant.name).problems if p.severity == "note"]
    # .xlsb keeps its fonts in binary style records that are not read: its characters tell.
    expected = "các ký tự trong ô" if variant.suffix == ".xlsb" else "phông chữ của ô"
    assert f"(nhận ra theo {expected})" in note.message


def test_the_fixtures_really_come_from_those_programs():
    for variant in VARIANTS:
        if variant.suffix not in (".xlsx", ".ods"):
            continue
        z = zipfile.ZipFile(variant)
        part = "docProps/app.xml" if variant.suffix == ".xlsx" else "meta.xml"
        program = "LibreOffice" if "libreoffice" in variant.name else "gnumeric"
        assert program in z.read(part).decode(), variant.name


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
