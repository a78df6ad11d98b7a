"""Printed-form furniture read by what it is: the row of column numbers with the form's arithmetic."""

from __future__ import annotations

import pytest

from loaders import read_report
from tests.workbooks import SheetSpec, ods, report_sheet, xls, xlsx

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
