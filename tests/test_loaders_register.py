"""OCOP / VietGAP / organic register: items, validity at the month's end, derived expiry, and refusals."""

from __future__ import annotations

import datetime as dt

from loaders import read_report
from tests.workbooks import report_sheet, xlsx

HEADER = [["STT", "Tên sản phẩm", "Chủ thể", "Thôn", "Loại chứng nhận", "Hạng sao", "Số quyết định", "Ngày cấp",
           "Ngày hết hạn", "Diện tích (ha)"]]  # fmt: skip
TITLE = "DANH SÁCH SẢN PHẨM OCOP, CƠ SỞ ĐƯỢC CHỨNG NHẬN VIETGAP, HỮU CƠ"


def register(data, period="(Cập nhật đến ngày 31/10/2026)", header=HEADER):
    spec = report_sheet(header, data, title=TITLE, period=period)
    return spec, xlsx({"Danh sách": spec})


def stocks(report) -> dict:
    out: dict = {}
    for o in report.observations:
        out[(o.indicator, o.breakdown)] = out.get((o.indicator, o.breakdown), 0) + o.value
    return out


def test_register_items_and_stocks_at_the_month_end(catalogue):
    data = [
        ["I", "Sản phẩm OCOP"],
        [1, "Bánh đa Kinh Thầy", "HTX Kinh Thầy", "Kinh Thầy", "OCOP", "4 sao", 123, "01/03/2025", "", ""],
        [2, "Mật ong", "Hộ bà Ba", "Lai Vu", "OCOP", "***", "12/QĐ", "01/01/2020", "01/01/2023", ""],
        [3, "Rượu nếp", "Hộ ông Tư", "Lai Vu", "OCOP 5 sao", "", "45/QĐ", "15/11/2026", "15/11/2029", ""],
        [4, "Dưa hấu", "HTX Yên Mỹ", "Yên Mỹ", "OCOP", "2 sao", "7", "01/01/2026", "01/01/2029", ""],
        ["II", "VietGAP, hữu cơ"],
        [5, "Rau cải", "HTX Yên Mỹ", "Thôn Yên Mỹ", "VietGAP", "", "VG-01", "05/09/2025", "05/09/2027", "2,5"],
        [6, "Rau muống", "htx yen my", "Yên Mỹ", "Viet GAP", "", "VG-02", "05/09/2025", "05/09/2027", 1.5],
        [7, "Cà chua", "Hộ bà Năm", "Đông Hà", "VietGAP", "", "VG-03", "01/10/2024", "01/10/2026", 3],
        [8, "Lúa", "HTX Lúa sạch", "Lai Vu", "Hữu cơ", "", "HC-1", dt.date(2026, 1, 1), dt.date(2028, 12, 31), 10],
    ]
    spec, data_bytes = register(data)
    report = read_report(data_bytes, "ds.xlsx", catalogue)
    assert report.errors == []
    assert report.kind == "ocop_vietgap" and report.periods == ["2026-10"] and report.unit == "phong-kinh-te"
    assert len(report.register) == 8
    first = report.register[0]
    assert (first.village, first.stars, first.decision, first.expiry_derived) == ("kinh-thay", 4, "123", True)
    assert first.expires == dt.date(2028, 3, 1)
    assert report.register[2].stars == 5  # stars written in the certificate cell
    # Valid at 31/10/2026: Bánh đa (4★); Mật ong expired; Rượu nếp issued later; Dưa hấu has 2★.
    # VietGAP: HTX Yên Mỹ (two items, one producer, 4 ha); Cà chua expired on 01/10/2026.
    assert stocks(report) == {
        ("ocop_san_pham", ("hang_sao", "4")): 1,
        ("vietgap_co_so", ("", "")): 1,
        ("vietgap_dien_tich", ("", "")): 4.0,
        ("huu_co_dien_tich", ("", "")): 10,
    }
    assert [(p.row, p.column) for p in report.warnings] == [(spec.data_row(1), "I")]
    assert "01/03/2028" in report.warnings[0].message and "36 tháng" in report.warnings[0].message


def test_nothing_valid_is_zero_not_missing(catalogue):
    _, data = register([[1, "Mật ong", "Hộ bà Ba", "Lai Vu", "OCOP", "3 sao", "12", "01/01/2020", "01/01/2023", ""]])
    report = read_report(data, "ds.xlsx", catalogue)
    assert report.errors == []
    assert stocks(report) == {
        ("ocop_san_pham", ("", "")): 0,
        ("vietgap_co_so", ("", "")): 0,
        ("vietgap_dien_tich", ("", "")): 0,
        ("huu_co_dien_tich", ("", "")): 0,
    }


def test_missing_dates_stars_and_unknown_village_are_errors(catalogue):
    data = [
        [1, "Lúa", "HTX Lúa", "Lai Vu", "Hữu cơ", "", "HC-1", "01/01/2026", "", 10],
        [2, "Rau", "Hộ A", "Lai Vu", "VietGAP", "", "VG-9", "", "01/01/2027", 1],
        [3, "Bánh", "Hộ B", "Lai Vu", "OCOP", "", "1", "01/01/2026", "", ""],
        [4, "Chè", "Hộ C", "Thôn Núi Đá", "VietGAP", "", "2", "01/01/2026", "", 1],
        [5, "Nấm", "Hộ D", "Lai Vu", "GlobalGAP Plus khác", "", "3", "01/01/2026", "01/01/2027", 1],
        [6, "Gạo", "Hộ E", "Lai Vu", "VietGAP", "", "4", "01/01/2026", "01/01/2025", 1],
    ]
    spec, data_bytes = register(data)
    report = read_report(data_bytes, "ds.xlsx", catalogue)
    got = [(p.row, p.column) for p in report.errors]
    assert got == [
        (spec.data_row(0), "I"),  # organic without expiry
        (spec.data_row(1), "H"),  # no issue date
        (spec.data_row(2), "F"),  # OCOP without stars
        (spec.data_row(3), "D"),  # unknown village
        (spec.data_row(4), "E"),  # GlobalGAP is not one of the plan's certificates
        (spec.data_row(5), "I"),  # expiry before issue
    ]
    assert "Hữu cơ" in report.errors[0].message and "Núi Đá" in report.errors[3].message


def test_area_in_square_metres_and_validity_as_a_duration(catalogue):
    header = [["Tên cơ sở", "Chủ thể", "Thôn", "Chứng nhận", "Số GCN", "Ngày cấp", "Thời hạn", "Diện tích (m2)"]]
    data = [["Vườn rau", "Hộ A", "An Lạc", "VietGAP", "1", "01/06/2026", "24 tháng", "5.000"]]
    _, data_bytes = register(data, header=header)
    report = read_report(data_bytes, "ds.xlsx", catalogue)
    assert report.errors == []
    item = report.register[0]
    assert item.area_ha == 0.5 and item.expires == dt.date(2028, 6, 1) and not item.expiry_derived
    assert stocks(report)[("vietgap_dien_tich", ("", ""))] == 0.5


def test_register_needs_its_as_of_month(catalogue):
    _, data = register([[1, "Bánh", "Hộ B", "Lai Vu", "OCOP", "3 sao", "1", "01/01/2026", "", ""]], period=None)
    report = read_report(data, "danh_sach.xlsx", catalogue)
    assert len(report.errors) == 1 and "--period" in report.errors[0].message
    report = read_report(data, "danh_sach.xlsx", catalogue, period="2026-12")
    assert report.errors == [] and report.periods == ["2026-12"]
