"""Printed-form furniture read by what it is: the row of column numbers with the form's arithmetic, and the
report month in a real date cell of the title block."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders import read_report
from tests.workbooks import Fmt, SheetSpec, ods, report_sheet, xls, xlsx

HEADER = [
    ["STT", "Thôn", "Tổng số\n(cây)", "Địa điểm trồng", "", "", ""],
    ["", "", "", "Khu công cộng", "Trường học", "Nhà văn hóa", "Tuyến đường"],
]
MERGES = ["A1:A2", "B1:B2", "C1:C2", "D1:G1"]
ROWS = [[1, "An Lạc", 10, 4, 3, 2, 1], [2, "Đông Hà", 5, 5, 0, 0, 0]]
TREES = {("an-lac", "khu-cong-cong"): 4, ("an-lac", "truong-hoc"): 3, ("an-lac", "nha-van-hoa"): 2,
         ("an-lac", "tuyen-duong"): 1, ("dong-ha", "khu-cong-cong"): 5, ("dong-ha", "truong-hoc"): 0,
         ("dong-ha", "nha-van-hoa"): 0, ("dong-ha", "tuyen-duong"): 0}  # fmt: skip


def trees(report) -> dict:
    return {(o.village, o.breakdown[1]): o.value for o in report.observations}


def wide(numbers, rows=ROWS, **kw) -> SheetSpec:
    kw.setdefault("title", "BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH")
    return report_sheet(HEADER, rows, header_merges=MERGES, numbers_row=numbers, **kw)


# ---------------------------------------------------------------- the row of column numbers

NUMBER_ROWS = {
    "sum in brackets": ["(1)", "(2)", "(3)=(4)+(5)+(6)+(7)", "(4)", "(5)", "(6)", "(7)"],
    "sum without brackets": ["1", "2", "3=4+5+6+7", "4", "5", "6", "7"],
    "spaced, numbers as numbers": [1, 2, "3 = 4 + 5 + 6 + 7", 4, 5, 6, 7],
    "an ellipsis": ["(1)", "(2)", "(3) = (4) + ... + (7)", "(4)", "(5)", "(6)", "(7)"],
    "letters then numbers": ["A", "B", "1=2+3+4+5", "2", "3", "4", "5"],
    "letters alone": ["A", "B", "C", "D", "E", "F", "G"],
    "letters with arithmetic": ["A", "B", "C=D+E+F+G", "D", "E", "F", "G"],
}


@pytest.mark.parametrize("numbers", NUMBER_ROWS.values(), ids=NUMBER_ROWS.keys())
def test_a_row_of_column_numbers_with_the_forms_arithmetic_is_not_data(catalogue, numbers):
    report = read_report(xlsx({"T10": wide(numbers)}), "x.xlsx", catalogue)
    assert report.problems == []
    assert trees(report) == TREES


@pytest.mark.parametrize("fmt", [xls, ods])
def test_the_same_in_legacy_xls_and_ods(catalogue, fmt):
    report = read_report(fmt({"T10": wide(NUMBER_ROWS["sum in brackets"])}), f"x.{fmt.__name__}", catalogue)
    assert report.problems == [] and trees(report) == TREES


def test_a_repeated_row_of_column_numbers_inside_the_table_is_skipped(catalogue):
    repeated = ["(1)", "(2)", "(3)=(4)+(5)+(6)+(7)", "(4)", "(5)", "(6)", "(7)"]
    rows = [ROWS[0], repeated, ["A", "B", "C", "D", "E", "F", "G"], ROWS[1]]
    report = read_report(xlsx({"T10": wide(True, rows)}), "x.xlsx", catalogue)
    assert report.problems == [] and trees(report) == TREES


def test_products_and_shares_in_the_column_numbers(catalogue):
    header = [["STT", "Đơn vị", "Tổng số giao dịch", "Giao dịch không dùng tiền mặt", "Tỷ lệ (%)",
               "Tổng giá trị (đồng)", "Giá trị không dùng tiền mặt (đồng)", "Ghi chú"]]  # fmt: skip
    numbers = ["(1)", "(2)", "(3)", "(4)", "(5)=(4)/(3)*100", "(6)", "(7)", "8=7:6x100%"]
    data = [[1, "Trạm Y tế xã", 200, 150, "75%", 1_000_000, 500_000, ""]]
    spec = report_sheet(header, data, unit="VĂN PHÒNG HĐND VÀ UBND XÃ", period="T10/2026", numbers_row=numbers)
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.problems == []
    assert {o.indicator: (o.value, o.denominator) for o in report.observations} == {
        "ttkdtm_giao_dich": (150, 200),
        "ttkdtm_gia_tri": (500_000, 1_000_000),
    }


@pytest.mark.parametrize(
    "cells",
    [
        ["(1)", "(2)", "(3)=(4)+(5)", "hai"],  # a word is no column reference
        ["(1)", "(3)", "(4)=(5)+(6)"],  # not in sequence
        ["A", "C", "D"],
        ["An Lạc = Đông Hà", "(2)", "(3)"],
    ],
)
def test_rows_that_only_look_like_column_numbers_are_still_read(cells):
    from loaders.table import _is_column_numbers

    assert not _is_column_numbers(cells)


# ---------------------------------------------------------------- the month in a date cell

TREE_HEADER = [["STT", "Thôn", "Tổng số cây"]]


def dated(extra: list[list], *, signed: str | None = None, merges: list[str] = ()) -> SheetSpec:
    """A report whose title block holds `extra` rows (under the title) and states its month nowhere else."""
    spec = report_sheet(TREE_HEADER, [[1, "An Lạc", 5]], period=None, signed=signed)
    spec.rows[5:5] = extra
    spec.merges = list(merges)
    spec.first_data_row += len(extra)
    return spec


MONTH_CELLS = {
    "typed 8/2026 (mm/yyyy)": [[Fmt(dt.date(2026, 8, 1), "mm/yyyy")]],
    "typed 8/2026 (mmm-yy)": [[Fmt(dt.date(2026, 8, 1), "mmm-yy")]],
    "a datetime": [[dt.datetime(2026, 8, 1, 0, 0)]],
    "beside Kỳ báo cáo": [["Kỳ báo cáo:", Fmt(dt.date(2026, 8, 31), "dd/mm/yyyy")]],
    "beside Tháng": [["", "Tháng", dt.date(2026, 8, 15)]],
    "after the title's last word": [["BÁO CÁO KẾT QUẢ THÁNG", "", Fmt(dt.date(2026, 8, 1), "mm/yyyy")]],
    "a range of days": [["Từ ngày", dt.date(2026, 8, 1), "đến ngày", dt.date(2026, 8, 31)]],
    "an as-of day": [["Tính đến ngày", dt.date(2026, 8, 31)]],
}


@pytest.mark.parametrize("fmt", [xlsx, xls, ods])
@pytest.mark.parametrize("extra", MONTH_CELLS.values(), ids=MONTH_CELLS.keys())
def test_the_month_from_a_date_cell_of_the_title_block(catalogue, extra, fmt):
    report = read_report(fmt({"Sheet1": dated(extra)}), f"bao_cao.{fmt.__name__}", catalogue)
    assert report.problems == []
    assert report.periods == ["2026-08"] and [o.period for o in report.observations] == ["2026-08"]


def test_the_month_in_a_merged_title_cell(catalogue):
    spec = dated([[Fmt(dt.date(2026, 8, 1), "mm/yyyy"), "", ""]], merges=["A6:C6"])
    for data, name in ((xlsx({"S": spec}), "x.xlsx"), (xls({"S": spec}), "x.xls"), (ods({"S": spec}), "x.ods")):
        report = read_report(data, name, catalogue)
        assert report.problems == [] and report.periods == ["2026-08"], name


def test_a_date_cell_completes_a_sheet_named_by_its_month_and_the_upload_form_must_agree(catalogue):
    data = xlsx({"T8": dated([[Fmt(dt.date(2026, 8, 1), "mm/yyyy")]])})
    assert read_report(data, "x.xlsx", catalogue).periods == ["2026-08"]
    assert read_report(data, "x.xlsx", catalogue, period="2026-08").periods == ["2026-08"]
    report = read_report(data, "x.xlsx", catalogue, period="2026-09")
    assert len(report.errors) == 1 and "ô A6" in report.errors[0].message and "tháng 9/2026" in report.errors[0].message


def test_the_signing_date_in_a_date_cell_is_not_the_month(catalogue):
    spec = dated([["", "", "An Phú, ngày", dt.date(2026, 9, 5)], ["Tháng 8 năm 2026"]])
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.problems == [] and report.periods == ["2026-08"] and report.signed_on == dt.date(2026, 9, 5)
    spec = dated([["An Phú,", "", dt.date(2026, 9, 5)], ["Kỳ báo cáo: tháng 8/2026"]])
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.problems == [] and report.periods == ["2026-08"] and report.signed_on == dt.date(2026, 9, 5)
    spec = dated([["Ngày lập:", dt.date(2026, 9, 5)], ["Tháng 8 năm 2026"]])
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.problems == [] and report.periods == ["2026-08"]


def test_two_places_that_disagree_are_both_named(catalogue):
    spec = dated([["Tháng 8 năm 2026"], ["", "", Fmt(dt.date(2026, 9, 1), "mm/yyyy")]])
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert [p.message for p in report.errors] == [
        "Đầu trang ghi hai tháng báo cáo khác nhau: tháng 8/2026 (dòng 6) và tháng 9/2026 (ô C7). Hãy sửa cho đúng "
        "một tháng báo cáo."
    ]
    report = read_report(xlsx({"T7": dated([[Fmt(dt.date(2026, 8, 1), "mm/yyyy")]])}), "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "'T7'" in report.errors[0].message and "ô A6" in report.errors[0].message
    spec = dated([["Từ ngày", dt.date(2026, 8, 25), "đến ngày", dt.date(2026, 9, 24)]])
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "nhiều tháng" in report.errors[0].message


def test_a_date_cell_in_the_data_is_still_data(catalogue):
    header = [["STT", "Ngày trồng", "Thôn", "Nơi trồng", "Số lượng (cây)"]]
    rows = [[1, dt.date(2026, 8, 3), "An Lạc", "Trường học", 4], [2, dt.date(2026, 9, 1), "Đông Hà", "Sân đình", 2]]
    spec = report_sheet(header, rows, period=None, title="SỔ THEO DÕI TRỒNG CÂY XANH")
    report = read_report(xlsx({"Nhật ký": spec}), "x.xlsx", catalogue)
    assert report.problems == [] and report.periods == ["2026-08", "2026-09"]
