"""Any other monthly table: columns matched to the catalogue by meaning, per village, per unit, or transposed."""

from __future__ import annotations

from loaders import read_report
from loaders.generic import quantities, vocabulary
from loaders.headers import match_column, normalise
from tests.workbooks import report_sheet, xlsx


def figures(report) -> dict:
    return {(o.indicator, o.village or o.breakdown[1]): (o.value, o.denominator) for o in report.observations}


def test_catalogue_quantities_never_read_the_same(catalogue):
    """Two different quantities whose names read the same after normalising would make headers ambiguous."""
    seen: dict[str, str] = {}
    for q in quantities(catalogue).items.values():
        for name in q.names:
            short = normalise(name).short
            assert seen.setdefault(short, q.key) == q.key, (name, q.header)


def test_shared_denominator_and_abbreviated_headers(catalogue):
    header = [["STT", "Tên thôn", "TS hộ", "Số hộ phân loại CTRSH tại nguồn", "Tỷ lệ (%)", "Số hộ dùng nước sạch",
               "Lũy kế", "Ghi chú"]]  # fmt: skip
    data = [[1, "An Lạc", 200, 150, 75, 190, 1000, ""], [2, "Đông Hà", "1.000", 500, "", 990, 10, "x"],
            ["", "Toàn xã", 1200, 650, "", 1180]]  # fmt: skip
    spec = report_sheet(header, data, unit="PHÒNG KINH TẾ", period="THÁNG 10 NĂM 2026")
    report = read_report(xlsx({"Sheet1": spec}), "x.xlsx", catalogue)
    assert report.problems == []
    assert report.kind == "bang_thang" and report.unit == "phong-kinh-te"
    assert figures(report) == {
        ("rac_phan_loai", "an-lac"): (150, 200),
        ("nuoc_sach", "an-lac"): (190, 200),
        ("rac_phan_loai", "dong-ha"): (500, 1000),
        ("nuoc_sach", "dong-ha"): (990, 1000),
    }


def test_numerator_without_denominator_and_ignored_numeric_column(catalogue):
    header = [["Thôn", "Số hộ phân loại rác tại nguồn", "Số con gà"]]
    spec = report_sheet(header, [["An Lạc", 10, 99]], unit="PHÒNG KINH TẾ")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert [(p.row, p.column) for p in report.errors] == [(None, "B")]
    assert "Tổng số hộ" in report.errors[0].message
    assert [(p.row, p.column) for p in report.warnings] == [(None, "C")]
    assert "Số con gà" in report.warnings[0].message


def test_per_unit_rows_and_the_choice_of_unit(catalogue):
    header = [["Trường", "Tổng số học sinh", "Số học sinh dùng sổ liên lạc điện tử",
               "Số trường đạt Trường học xanh - sạch - đẹp - an toàn"]]  # fmt: skip
    data = [["Trường Mầm non An Phú", 300, 270, 1], ["Trường THCS An Phú", 500, 480, 0]]
    report = read_report(xlsx({"S": report_sheet(header, data, unit="CÁC TRƯỜNG HỌC")}), "x.xlsx", catalogue)
    assert report.errors == []
    assert report.unit == "truong-hoc"
    assert figures(report) == {
        ("so_lien_lac_dt", "Trường Mầm non An Phú"): (270, 300),
        ("truong_xanh", "Trường Mầm non An Phú"): (1, None),
        ("so_lien_lac_dt", "Trường THCS An Phú"): (480, 500),
        ("truong_xanh", "Trường THCS An Phú"): (0, None),
    }
    assert {o.breakdown[0] for o in report.observations} == {"don_vi"}


def test_indicators_of_several_units_need_the_unit_named(catalogue):
    header = [["Thôn", "Tổng số hộ", "Số hộ phân loại rác", "Số hộ sử dụng nước sạch"]]
    data = xlsx({"S": report_sheet(header, [["An Lạc", 10, 5, 9]], unit="")})
    report = read_report(data, "x.xlsx", catalogue)
    assert len(report.errors) == 1 and "--unit" in report.errors[0].message
    assert read_report(data, "x.xlsx", catalogue, unit="thon").unit == "thon"


def test_count_headers_do_not_match_too_loosely(catalogue):
    vocab = vocabulary(catalogue)
    q = quantities(catalogue)
    households = q.of["rac_phan_loai"][1]
    assert match_column(vocab, ["Tổng số hộ"]).key == households
    assert match_column(vocab, ["Số hộ phân loại"]).key is None  # not "Số hộ", the denominator
    assert match_column(vocab, ["Số hộ", " Trong tháng"]).key == households
    assert match_column(vocab, ["Số hộ phân loại rác", "Lũy kế"]).ignored


def test_duplicate_village_rows_and_share_above_100(catalogue):
    header = [["Thôn", "Tổng số hộ", "Số hộ phân loại rác"]]
    spec = report_sheet(header, [["An Lạc", 10, 5], ["Lai Vu", 10, 11], ["an lac", 10, 6]], unit="PHÒNG KINH TẾ")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert [(p.row, p.column) for p in report.errors] == [(spec.data_row(1), "C"), (spec.data_row(2), None)]
    assert "vượt 100%" in report.errors[0].message and f"dòng {spec.data_row(0)}" in report.errors[1].message


def test_transposed_table_gives_commune_figures(catalogue):
    header = [["STT", "Nội dung", "ĐVT", "Kết quả thực hiện trong tháng", "Lũy kế từ đầu năm"]]
    data = [
        ["I", "Môi trường"],
        [1, "Khối lượng CTRSH phát sinh", "tấn", "120,5", 1000],
        [2, "Khối lượng CTRSH được thu gom, xử lý", "kg", "110.000", 900],
        ["II", "Tuyên truyền"],
        [3, "- Số hội nghị, buổi tuyên truyền", "buổi", 4, 30],
        [4, "Số cuộc họp khác", "cuộc", 2, 9],
    ]
    spec = report_sheet(header, data, unit="PHÒNG KINH TẾ", period="Tháng 10 năm 2026")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue, unit="phong-kinh-te")
    assert report.errors == []
    got = {o.indicator: (o.value, o.denominator, o.village, o.row) for o in report.observations}
    assert got == {
        "rac_thu_gom": (110.0, 120.5, None, spec.data_row(2)),  # kg brought to tonnes to match the denominator
        "tt_hoi_nghi": (4, None, None, spec.data_row(4)),
    }
    assert [(p.row, p.column) for p in report.warnings] == [(spec.data_row(5), "B")]


def test_units_row_under_the_header_and_a_footer_on_the_right(catalogue):
    header = [["Thôn", "Tổng số hộ", "Số hộ phân loại rác tại nguồn", "Tỷ lệ"]]
    data = [
        ["", "hộ", "(hộ)", "%"],
        ["An Lạc", 10, 5, 50],
        ["Lai Vu", 10, 2, 0.5],
        [],
        ["", "", "", "THỦ TRƯỞNG ĐƠN VỊ"],
        ["", "", "", "An Phú, ngày 02/11/2026"],
        ["", "", "", "Nguyễn Văn Hùng"],
    ]
    spec = report_sheet(header, data, unit="PHÒNG KINH TẾ", numbers_row=False, footer=False, signed=None)
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.errors == []
    assert figures(report) == {("rac_phan_loai", "an-lac"): (5, 10), ("rac_phan_loai", "lai-vu"): (2, 10)}
    assert [(p.row, p.column) for p in report.warnings] == [(spec.data_row(2), "D")]  # 50% shown, 20% counted
    assert str(report.signed_on) == "2026-11-02"


def test_plan_columns_are_ignored_and_the_month_columns_read(catalogue):
    header = [
        ["STT", "Thôn", "Kế hoạch năm", "", "Thực hiện trong tháng", ""],
        ["", "", "Tổng số hộ", "Số hộ phân loại rác", "Tổng số hộ", "Số hộ phân loại rác"],
    ]
    merges = ["A1:A2", "B1:B2", "C1:D1", "E1:F1"]
    spec = report_sheet(header, [[1, "1. Thôn An Lạc", 100, 100, 90, 45]], header_merges=merges, unit="PHÒNG KINH TẾ")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.problems == []
    assert figures(report) == {("rac_phan_loai", "an-lac"): (45, 90)}
