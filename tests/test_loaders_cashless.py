"""Cashless payment reports: money as text, two-level headers, shares above 100% and disagreeing percents."""

from __future__ import annotations

from loaders import read_report
from tests.workbooks import report_sheet, xlsx

OFFICE = "VĂN PHÒNG HĐND VÀ UBND XÃ"
TITLE = "BÁO CÁO KẾT QUẢ THANH TOÁN KHÔNG DÙNG TIỀN MẶT"


def figures(report) -> dict:
    return {(o.indicator, o.breakdown[1]): (o.value, o.denominator) for o in report.observations}


def test_flat_header_with_money_as_text(catalogue):
    header = [["STT", "Đơn vị", "Tổng số giao dịch", "Giao dịch không dùng tiền mặt", "Tỷ lệ (%)",
               "Tổng giá trị (đồng)", "Giá trị không dùng tiền mặt (đồng)", "Ghi chú"]]  # fmt: skip
    data = [
        [1, "TT PVHCC ", 200, 150, "75%", "12.500.000 đ", "10.000.000đ", ""],
        [2, "Trạm Y tế xã", "1.000", 300, 0.3, "5 000 000", "1.000.000 VNĐ", ""],
        [3, "Trường THCS An Phú", 50, 50, 100, 2_000_000, 2_000_000, ""],
        ["", "Cộng", 1250, 500, "", 19_500_000, 13_000_000],
    ]
    report = read_report(xlsx({"S": report_sheet(header, data, unit=OFFICE, title=TITLE, period="T10/2026")}), "x.xlsx",
                         catalogue)  # fmt: skip
    assert report.problems == []
    assert report.kind == "khong_tien_mat" and report.unit == "van-phong"
    assert figures(report) == {
        ("ttkdtm_giao_dich", "TT PVHCC"): (150, 200),
        ("ttkdtm_gia_tri", "TT PVHCC"): (10_000_000, 12_500_000),
        ("ttkdtm_giao_dich", "Trạm Y tế xã"): (300, 1000),
        ("ttkdtm_gia_tri", "Trạm Y tế xã"): (1_000_000, 5_000_000),
        ("ttkdtm_giao_dich", "Trường THCS An Phú"): (50, 50),
        ("ttkdtm_gia_tri", "Trường THCS An Phú"): (2_000_000, 2_000_000),
    }


def test_two_level_header_under_trong_do_and_million_dong(catalogue):
    header = [
        ["Đơn vị", "Số giao dịch", "", "", "Giá trị (triệu đồng)", "", ""],
        ["", "Tổng số", "Trong đó", "Tỷ lệ (%)", "Tổng số", "Trong đó", "Tỷ lệ (%)"],
        ["", "", "Không dùng tiền mặt", "", "", "Không dùng tiền mặt", ""],
    ]
    merges = ["A1:A3", "B1:D1", "E1:G1", "B2:B3", "D2:D3", "E2:E3", "G2:G3"]
    data = [["Bưu điện văn hóa xã", 40, 10, 25, 8, 2, 25]]
    spec = report_sheet(header, data, header_merges=merges, unit=OFFICE, title=TITLE, period="Tháng 10/2026")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.problems == []
    assert figures(report) == {
        ("ttkdtm_giao_dich", "Bưu điện văn hóa xã"): (10, 40),
        ("ttkdtm_gia_tri", "Bưu điện văn hóa xã"): (2_000_000, 8_000_000),
    }


def test_share_above_100_percent_and_disagreeing_percent(catalogue):
    header = [["Đơn vị", "Tổng số giao dịch", "Số giao dịch TTKDTM", "Tỷ lệ (%)"]]
    data = [["Trạm Y tế", 10, 12, ""], ["Trường Mầm non", 10, 5, 0.8], ["Trường Tiểu học", 10, 5, 50]]
    spec = report_sheet(header, data, unit=OFFICE, title=TITLE, period="Tháng 10/2026")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert [(p.row, p.column) for p in report.errors] == [(spec.data_row(0), "C")]
    assert "vượt 100%" in report.errors[0].message
    assert [(p.row, p.column) for p in report.warnings] == [(spec.data_row(1), "D")]
    assert "80%" in report.warnings[0].message and "50%" in report.warnings[0].message
