"""Reading workbook bytes: sniffing, refusals, caps, hidden sheets, merged ranges, formulas without values."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import loaders.workbook as workbook
from loaders import read_report
from tests.workbooks import SheetSpec, ods, ole2_with_stream, xls, xlsx

CORPUS = Path(__file__).resolve().parent / "corpus" / "odd-spreadsheets"


def only_error(report) -> str:
    assert len(report.errors) == 1, [p.message for p in report.problems]
    assert report.observations == []
    return report.errors[0].message


def test_empty_file_is_refused(catalogue):
    assert "rỗng" in only_error(read_report(b"", "bc.xlsx", catalogue))


def test_csv_renamed_xlsx_is_refused(catalogue):
    data = "Thôn,Số cây\nAn Lạc,10\n".encode()
    msg = only_error(read_report(data, "bao_cao.xlsx", catalogue))
    assert "CSV" in msg and "bao_cao.xlsx" in msg and "Lưu thành" in msg


def test_html_renamed_xls_is_refused(catalogue):
    msg = only_error(read_report(b"<html><table><tr><td>1</td></tr></table></html>", "bc.xls", catalogue))
    assert "HTML" in msg


def test_zip_that_is_not_a_spreadsheet(catalogue):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "không phải bảng tính" in only_error(read_report(bio.getvalue(), "bc.xlsx", catalogue))


def test_password_protected_ole2_container_is_refused(catalogue):
    msg = only_error(read_report(ole2_with_stream("EncryptionInfo"), "bc.xlsx", catalogue))
    assert "mật khẩu" in msg


@pytest.mark.parametrize("name", ["pass_protected.xlsx", "pass_protected.ods", "pass_protected.xlsb"])
def test_password_protected_corpus_files(catalogue, name):
    path = CORPUS / name
    assert "mật khẩu" in only_error(read_report(path.read_bytes(), name, catalogue))


def test_truncated_workbook_is_refused_with_a_message(catalogue):
    good = xlsx({"T10": [["Thôn", "Số cây"], ["An Lạc", 3]]})
    msg = only_error(read_report(good[: len(good) // 2], "bc.xlsx", catalogue))
    assert "bc.xlsx" in msg


def test_workbook_without_data(catalogue):
    data = xlsx({"Sheet1": [], "Mẫu": SheetSpec([["Thôn", "Số cây"]], hidden=True)})
    msg = only_error(read_report(data, "bc.xlsx", catalogue))
    assert "không có trang tính nào có dữ liệu" in msg and "Mẫu" in msg


def test_row_and_column_caps_refuse_a_sheet(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    monkeypatch.setattr(workbook, "MAX_COLUMNS", 3)
    data = xlsx({"Dài": [[i] for i in range(10)], "Rộng": [list(range(8))], "Vừa": [[1, 2]]})
    wb = workbook.read_workbook(data, "bc.xlsx")
    assert [s.name for s in wb.sheets] == ["Vừa"]
    by_sheet = {p.sheet: p.message for p in wb.problems}
    assert "10 dòng" in by_sheet["Dài"] and "5 dòng" in by_sheet["Dài"]
    assert "8 cột" in by_sheet["Rộng"]


def test_hidden_sheets_are_skipped_and_merges_are_read():
    data = xlsx(
        {"T10": SheetSpec([["Trong đó", ""], ["a", "b"]], merges=["A1:B1"]), "Mẫu": SheetSpec([[1]], hidden=True)}
    )
    wb = workbook.read_workbook(data, "bc.xlsx")
    assert [s.name for s in wb.sheets] == ["T10"] and wb.hidden == ["Mẫu"]
    sheet = wb.sheets[0]
    assert sheet.merged == [(0, 0, 0, 1)]
    assert sheet.merged_value(0, 1) == "Trong đó"


def test_formula_cells_without_a_value_are_found():
    data = xlsx({"T10": [["Thôn", "Số cây"], ["An Lạc", 3], ["Đông Hà", "=B2*2"]]})
    wb = workbook.read_workbook(data, "bc.xlsx")
    assert wb.sheets[0].uncached == frozenset({(2, 1)})
    assert wb.format == "xlsx"


def test_xls_and_ods_are_read_with_their_merges():
    spec = SheetSpec([["Địa điểm trồng", "", ""], ["Khu công cộng", "Trường học", "Tuyến đường"]], merges=["A1:C1"])
    for data, fmt in ((xls({"T10": spec}), "xls"), (ods({"T10": spec}), "ods")):
        wb = workbook.read_workbook(data, f"bc.{fmt}")
        assert wb.format == fmt
        sheet = wb.sheets[0]
        assert sheet.merged == [(0, 0, 0, 2)], fmt
        assert sheet.merged_value(0, 2) == "Địa điểm trồng"
        assert sheet.rows[1][1] == "Trường học"


def test_every_odd_spreadsheet_ends_in_figures_or_errors(catalogue):
    """Spreadsheet-reader edge cases (passwords, broken files, 1904 dates…): a Report each, no exception
    (a file that would hang is stopped by the reader worker's time limit: test_hardening_workbooks.py)."""
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"))
    assert len(files) > 100
    for path in files:
        report = read_report(path.read_bytes(), path.name, catalogue)
        assert report.observations or report.errors, path.name
        for p in report.errors:
            assert "Lỗi không mong đợi" not in p.message, (path.name, p.message)
