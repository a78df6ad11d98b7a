"""The whole report: its month (workbook, sheet name, file name, upload form), unit, kind and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

import loaders.trees
from loaders import read_report
from tests.workbooks import report_sheet, xlsx

TREES = [["STT", "Thôn", "Tổng số cây"]]
ROW = [[1, "An Lạc", 5]]


def trees(period="Tháng 10 năm 2026", **kw) -> bytes:
    return xlsx({kw.pop("sheet", "Sheet1"): report_sheet(TREES, ROW, period=period, **kw)})


def error_text(report) -> str:
    return " | ".join(p.message for p in report.errors)


def test_month_given_at_upload_must_agree_with_the_workbook(catalogue):
    report = read_report(trees(), "x.xlsx", catalogue, period="2026-09")
    assert len(report.errors) == 1 and report.observations == []
    assert "tháng 10/2026" in report.errors[0].message and "tháng 9/2026" in report.errors[0].message
    assert read_report(trees(), "x.xlsx", catalogue, period="2026-10").periods == ["2026-10"]


def test_month_from_the_upload_form_or_the_file_name_when_the_workbook_is_silent(catalogue):
    silent = trees(period=None)
    assert read_report(silent, "x.xlsx", catalogue, period="2026-08").periods == ["2026-08"]
    assert read_report(silent, "BC_T7_2026.xlsx", catalogue).periods == ["2026-07"]
    report = read_report(silent, "bao_cao.xlsx", catalogue)
    assert len(report.errors) == 1 and "--period" in report.errors[0].message and report.periods == []


def test_the_workbook_wins_over_the_file_name(catalogue):
    report = read_report(trees(), "BC_T9_2026.xlsx", catalogue)
    assert report.errors == [] and report.periods == ["2026-10"]
    assert "tháng 9/2026" in report.warnings[0].message


def test_two_months_in_the_title_block(catalogue):
    data = trees(period="Tháng 10 năm 2026", extra_title=["(Từ ngày 01/09/2026 đến ngày 30/09/2026)"])
    report = read_report(data, "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "hai tháng" in report.errors[0].message
    assert "tháng 9/2026" in report.errors[0].message and "tháng 10/2026" in report.errors[0].message


def test_sheet_name_month_must_agree_with_the_title(catalogue):
    report = read_report(trees(sheet="T9"), "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "'T9'" in report.errors[0].message


@pytest.mark.parametrize("title", ["THÁNG 10 NĂM 2019", "THÁNG 1 NĂM 2061"])
def test_months_outside_the_plan_window(catalogue, title):
    report = read_report(trees(period=title), "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "2020" in report.errors[0].message


@pytest.mark.parametrize(("kw", "word"), [({"period": "2026-13"}, "YYYY-MM"), ({"unit": "phong-ma"}, "phong-ma")])
def test_bad_arguments(catalogue, kw, word):
    report = read_report(trees(), "x.xlsx", catalogue, **kw)
    assert len(report.errors) == 1 and word in report.errors[0].message


def test_unit_from_title_argument_or_kind(catalogue):
    assert read_report(trees(unit="PHÒNG KINH TẾ"), "x.xlsx", catalogue).unit == "phong-kinh-te"
    assert read_report(trees(unit="BAN CHỈ HUY QUÂN SỰ XÃ"), "x.xlsx", catalogue).unit == "quan-su"
    assert read_report(trees(unit="THÔN AN LẠC"), "x.xlsx", catalogue).unit == "phong-kinh-te"
    assert read_report(trees(unit="PHÒNG KINH TẾ"), "x.xlsx", catalogue, unit="mttq").unit == "mttq"


def test_signing_date_from_the_footer(catalogue):
    spec = report_sheet(TREES, [*ROW, [], ["", "", "An Phú, ngày 03 tháng 11 năm 2026"]], signed=None)
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.errors == [] and report.signed_on == dt.date(2026, 11, 3)
    assert sum(o.value for o in report.observations) == 5


def test_one_kind_per_file(catalogue):
    procedures = report_sheet([["Lĩnh vực", "Tổng số hồ sơ tiếp nhận", "Trực tuyến"]], [["Hộ tịch", 10, 5]])
    data = xlsx({"Cây": report_sheet(TREES, ROW), "TTHC": procedures})
    report = read_report(data, "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "'Cây'" in report.errors[0].message and "'TTHC'" in report.errors[0].message
    assert report.observations == []


def test_unknown_shape_lists_what_was_seen_and_what_is_accepted(catalogue):
    data = xlsx({"Danh bạ": [["Họ tên", "Số điện thoại", "Email"], ["An", "0901", "a@b.vn"]]})
    report = read_report(data, "x.xlsx", catalogue)
    msg = error_text(report)
    assert "Họ tên, Số điện thoại, Email" in msg and "Báo cáo trồng cây xanh" in msg and "Lĩnh vực" in msg


def test_an_unrecognised_extra_sheet_is_skipped_with_a_warning(catalogue):
    data = xlsx({"Báo cáo": report_sheet(TREES, ROW), "Ghi chép": [["Việc cần làm", "Hạn"], ["Gọi điện", "mai"]]})
    report = read_report(data, "x.xlsx", catalogue)
    assert report.errors == [] and report.sheets == ["Báo cáo"]
    assert [(p.sheet, p.severity) for p in report.warnings] == [("Ghi chép", "warning")]


def test_ambiguous_header_is_an_error(catalogue):
    header = [["Đơn vị", "Trong đó", "Tổng số giao dịch", "Tổng giá trị", "Giá trị không dùng tiền mặt"],
              ["", "Không dùng tiền mặt", "", "", ""]]  # fmt: skip
    spec = report_sheet(header, [["Trạm Y tế", 3, 10, 100, 50]], header_merges=["A1:A2", "C1:C2", "D1:D2", "E1:E2"])
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert [(p.row, p.column) for p in report.errors] == [(spec.first_data_row - 3, "B")]
    assert "không rõ nghĩa" in report.errors[0].message


def test_a_reader_bug_becomes_a_message(catalogue, monkeypatch):
    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(loaders.trees, "read", broken)
    report = read_report(trees(), "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "Lỗi không mong đợi" in report.errors[0].message
