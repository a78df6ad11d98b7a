"""Administrative procedures reports: two-level headers, derived totals, and the checks between columns."""

from __future__ import annotations

from loaders import read_report
from tests.workbooks import report_sheet, xlsx

CENTRE = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
HEADER = [
    ["STT", "Lĩnh vực", "Tổng số hồ sơ tiếp nhận", "Trong đó", "", "Trực tuyến toàn trình", "Số hồ sơ đã giải quyết",
     "", "", "Số hồ sơ đang giải quyết", "", "Tỷ lệ trực tuyến (%)"],
    ["", "", "", "Trực tuyến", "Trực tiếp, bưu chính", "", "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn", "Quá hạn",
     ""],
]  # fmt: skip
MERGES = ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "G1:I1", "J1:K1", "L1:L2"]


def sheet(data, **kw):
    kw.setdefault("unit", CENTRE)
    kw.setdefault("title", "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT TTHC")
    kw.setdefault("period", "Kỳ báo cáo: tháng 10/2026")
    return report_sheet(HEADER, data, header_merges=MERGES, **kw)


def figures(report) -> dict:
    return {(o.indicator, o.breakdown[1]): (o.value, o.denominator) for o in report.observations}


def test_two_level_header_with_pending_block_and_split_resolution(catalogue):
    data = [
        ["I", "Lĩnh vực tư pháp"],
        [1, "Hộ tịch", 100, 80, 20, 50, 10, 85, 2, 3, 1, 0.8],
        [2, "Chứng thực", "1.200", 600, 600, 100, 0, 1000, 0, 0, 0, "50%"],
        ["II", "Lĩnh vực đất đai"],
        [3, "  Đất đai ", 10, 4, 6, 0, 0, 5, 1, 2, 7, 40],
        ["", "Tổng cộng", 1310, 684, 626, 150, 10, 1090, 3, 5, 8, ""],
    ]
    report = read_report(xlsx({"Sheet1": sheet(data)}), "tthc.xlsx", catalogue)
    assert report.problems == []
    assert report.kind == "thu_tuc_hanh_chinh" and report.unit == "ttpvhcc" and report.periods == ["2026-10"]
    assert figures(report) == {
        ("tthc_truc_tuyen", "Hộ tịch"): (80, 100),
        ("tthc_toan_trinh", "Hộ tịch"): (50, 100),
        ("tthc_dung_han", "Hộ tịch"): (95, 97),  # early counts as on time; resolved = 10 + 85 + 2
        ("tthc_truc_tuyen", "Chứng thực"): (600, 1200),
        ("tthc_toan_trinh", "Chứng thực"): (100, 1200),
        ("tthc_dung_han", "Chứng thực"): (1000, 1000),
        ("tthc_truc_tuyen", "Đất đai"): (4, 10),
        ("tthc_toan_trinh", "Đất đai"): (0, 10),
        ("tthc_dung_han", "Đất đai"): (5, 6),
    }
    assert all(o.village is None and o.breakdown[0] == "linh_vuc" for o in report.observations)


def test_online_above_received_and_on_time_above_resolved_are_errors(catalogue):
    header = [["Lĩnh vực", "Số hồ sơ tiếp nhận", "Tiếp nhận trực tuyến", "Toàn trình", "Đã giải quyết", "Đúng hạn"]]
    data = [["Hộ tịch", 10, 12, 3, 5, 5], ["Chứng thực", 10, 5, 11, 5, 6], ["Đất đai", 10, 5, 5, 8, 8]]
    spec = report_sheet(header, data, unit=CENTRE, period="tháng 10/2026")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    got = [(p.row, p.column) for p in report.errors]
    assert got == [(spec.data_row(0), "C"), (spec.data_row(1), "D"), (spec.data_row(1), "F")]
    assert "trực tuyến (12)" in report.errors[0].message and "(10)" in report.errors[0].message
    assert {o.breakdown[1] for o in report.observations} == {"Đất đai"}


def test_online_plus_direct_not_received_and_percent_disagreement_are_warnings(catalogue):
    data = [[1, "Hộ tịch", 100, 80, 15, 50, 0, 90, 0, "", "", "70%"]]
    spec = sheet(data)
    report = read_report(xlsx({"Sheet1": spec}), "x.xlsx", catalogue)
    assert report.errors == []
    assert [(p.row, p.column) for p in report.warnings] == [(spec.data_row(0), "E"), (spec.data_row(0), "L")]
    assert "80%" in report.warnings[1].message  # the share from the counts is shown, the counts win
    assert figures(report)[("tthc_truc_tuyen", "Hộ tịch")] == (80, 100)


def test_received_and_resolved_derived_from_their_parts(catalogue):
    header = [["Lĩnh vực", "Trực tuyến", "Trực tiếp", "Đúng hạn, trước hạn", "Quá hạn"]]
    spec = report_sheet(header, [["Hộ tịch", 30, 70, 40, 10]], unit=CENTRE, period="T10-2026")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.errors == []
    assert figures(report) == {("tthc_truc_tuyen", "Hộ tịch"): (30, 100), ("tthc_dung_han", "Hộ tịch"): (40, 50)}


def test_headers_without_accents_and_abbreviations(catalogue):
    header = [["STT", "Linh vuc", "TS ho so tiep nhan", "Truc tuyen", "DVC truc tuyen toan trinh", "Da giai quyet",
               "Dung han"]]  # fmt: skip
    spec = report_sheet(header, [[1, "Ho tich", 20, 10, 5, 10, 9]], unit=CENTRE, period="THANG 10 NAM 2026")
    report = read_report(xlsx({"S": spec}), "x.xlsx", catalogue)
    assert report.errors == []
    assert figures(report) == {
        ("tthc_truc_tuyen", "Ho tich"): (10, 20),
        ("tthc_toan_trinh", "Ho tich"): (5, 20),
        ("tthc_dung_han", "Ho tich"): (9, 10),
    }


def test_official_statistics_form_with_three_header_levels(catalogue):
    header = [
        ["STT", "Lĩnh vực giải quyết", "Số hồ sơ nhận giải quyết", "", "", "", "Kết quả giải quyết", "", "", "", "",
         "", ""],
        ["", "", "Tổng số", "Trong kỳ", "", "Từ kỳ trước", "Số hồ sơ đã giải quyết", "", "", "",
         "Số hồ sơ đang giải quyết", "", ""],
        ["", "", "", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "", "Tổng số", "Trả trước hạn", "Trả đúng hạn",
         "Trả quá hạn", "Tổng số", "Trong hạn", "Quá hạn"],
    ]  # fmt: skip
    merges = ["A1:A3", "B1:B3", "C1:F1", "C2:C3", "D2:E2", "F2:F3", "G1:M1", "G2:J2", "K2:M2"]
    spec = report_sheet(header, [[1, "Hộ tịch", 110, 70, 30, 10, 100, 20, 75, 5, 10, 8, 2]], header_merges=merges,
                        unit=CENTRE)  # fmt: skip
    report = read_report(xlsx({"Biểu 06": spec}), "x.xlsx", catalogue)
    assert report.problems == []
    # Carried-over dossiers were received earlier: the month's receipts are 110 - 10.
    assert figures(report) == {("tthc_truc_tuyen", "Hộ tịch"): (70, 100), ("tthc_dung_han", "Hộ tịch"): (95, 100)}
