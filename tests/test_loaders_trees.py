"""Tree planting reports: the per-village wide form and the event log, with every layout trait of real sheets."""

from __future__ import annotations

import datetime as dt
import io
import random
import unicodedata
from collections import Counter

import openpyxl
import pytest

from loaders import read_report
from tests.workbooks import SheetSpec, ods, report_sheet, xls, xlsx

HEADER = [
    ["STT", "Thôn", "Địa điểm trồng", "", "", "", "", "Tổng số\n(cây)", "Loại cây", "Ghi chú"],
    ["", "", "Khu công cộng", "Trường học", "", "Nhà văn hóa", "Tuyến đường", "", "", ""],
]
# Column E is an empty column in the middle of the table (no header under "Địa điểm trồng", no data).
MERGES = ["A1:A2", "B1:B2", "C1:G1", "H1:H2", "I1:I2", "J1:J2"]


def by_key(report) -> dict:
    out: Counter = Counter()
    for o in report.observations:
        out[(o.period, o.village, o.breakdown)] += o.value
    return dict(out)


def problems(report, severity="error") -> list[tuple]:
    return [(p.sheet, p.row, p.column) for p in report.problems if p.severity == severity]


def wide_sheet(data, **kw) -> SheetSpec:
    kw.setdefault("title", "BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH")
    return report_sheet(HEADER, data, header_merges=MERGES, **kw)


def test_wide_form_with_every_layout_trait(catalogue):
    nfd = unicodedata.normalize("NFD", "Thôn Đông Hà")
    data = [
        ["I", "Cụm An Phú"],
        [1, "Thôn An Lạc", 10, 20, "", "", 5, 35, "Sao đen", ""],
        [2, nfd, "1.250", 0, "", 3, "", "1.253", "Bàng", "trồng bổ sung"],
        [],
        ["II", "Cụm An Bình"],
        [3, "DONG LU", 1, 1, "", 1, 1, 4],
        [4, "binh ha", "", "", "", "", "", ""],
        ["", "Tổng cộng", "=SUM(C10:C16)", "", "", "", "", 1292],
    ]
    spec = wide_sheet(data, period="Tháng 10 năm 2026")
    report = read_report(xlsx({"T10": spec, "Mẫu": SheetSpec([["Thôn", "Số cây"]], hidden=True)}), "x.xlsx", catalogue)
    assert report.problems == []
    assert report.kind == "trong_cay" and report.unit == "phong-kinh-te"
    assert report.periods == ["2026-10"] and report.sheets == ["T10"]
    assert report.signed_on == dt.date(2026, 11, 5)
    assert report.title == "BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH"
    p = "2026-10"
    assert by_key(report) == {
        (p, "an-lac", ("dia_diem", "khu-cong-cong")): 10,
        (p, "an-lac", ("dia_diem", "truong-hoc")): 20,
        (p, "an-lac", ("dia_diem", "tuyen-duong")): 5,
        (p, "dong-ha", ("dia_diem", "khu-cong-cong")): 1250,
        (p, "dong-ha", ("dia_diem", "truong-hoc")): 0,
        (p, "dong-ha", ("dia_diem", "nha-van-hoa")): 3,
        (p, "dong-lu", ("dia_diem", "khu-cong-cong")): 1,
        (p, "dong-lu", ("dia_diem", "truong-hoc")): 1,
        (p, "dong-lu", ("dia_diem", "nha-van-hoa")): 1,
        (p, "dong-lu", ("dia_diem", "tuyen-duong")): 1,
    }
    rows = {o.village: o.row for o in report.observations}
    assert rows == {"an-lac": spec.data_row(1), "dong-ha": spec.data_row(2), "dong-lu": spec.data_row(5)}


def test_totals_row_that_disagrees_is_a_warning_not_data(catalogue):
    data = [[1, "An Lạc", 10, 0, "", 0, 0, 10], [2, "Đông Hà", 5, 0, "", 0, 0, 5], ["", "Tổng", 20, "", "", "", "", 25]]
    spec = wide_sheet(data)
    report = read_report(xlsx({"T10": spec}), "x.xlsx", catalogue)
    assert report.errors == []
    assert sum(o.value for o in report.observations) == 15
    assert problems(report, "warning") == [("T10", spec.data_row(2), "C"), ("T10", spec.data_row(2), "H")]


def test_row_total_must_equal_its_places(catalogue):
    spec = wide_sheet([[1, "An Lạc", 10, 20, "", 0, 0, 35]])
    report = read_report(xlsx({"T10": spec}), "x.xlsx", catalogue)
    assert problems(report) == [("T10", spec.data_row(0), "H")]
    assert "35" in report.errors[0].message and "30" in report.errors[0].message


def test_unknown_village_negative_fraction_and_ambiguous_numbers_are_placed(catalogue):
    data = [
        [1, "Thôn Đông Hải", 1, 0, "", 0, 0, 1],
        [2, "An Lạc", -4, 0, "", 0, 0, ""],
        [3, "Lai Vu", "12,5", 0, "", 0, 0, ""],
        [4, "Yên Mỹ", "1,250", 0, "", 0, 0, ""],
    ]
    spec = wide_sheet(data)
    report = read_report(xlsx({"T10": spec}), "x.xlsx", catalogue)
    assert problems(report) == [
        ("T10", spec.data_row(0), "B"),
        ("T10", spec.data_row(1), "C"),
        ("T10", spec.data_row(2), "C"),
        ("T10", spec.data_row(3), "C"),
    ]
    messages = [p.message for p in report.errors]
    assert "Đông Hải" in messages[0] and "catalogue.toml" in messages[0]
    assert "âm" in messages[1] and "nguyên" in messages[2] and "1,25" in messages[3]


def test_only_a_total_column_gives_no_breakdown(catalogue):
    header = [["STT", "Tên thôn", "Số cây trồng mới (cây)", "Loại cây"]]
    report = read_report(
        xlsx({"Sheet1": report_sheet(header, [[1, "An Lạc", 12, "Sao"], [2, "Lai Vu", 0, ""]])}), "x.xlsx", catalogue
    )
    assert report.errors == []
    assert by_key(report) == {("2026-10", "an-lac", ("", "")): 12, ("2026-10", "lai-vu", ("", "")): 0}


def test_a_place_column_nobody_named_is_classified(catalogue):
    header = [["Thôn", "Địa điểm trồng", "", ""], ["", "Trường học", "Đình, chùa", "Vườn hộ gia đình"]]
    spec = report_sheet(header, [["An Lạc", 1, 2, 4]], header_merges=["A1:A2", "B1:D1"], numbers_row=False)
    report = read_report(xlsx({"Sheet1": spec}), "x.xlsx", catalogue)
    assert report.errors == []
    assert {o.breakdown[1]: o.value for o in report.observations} == {"truong-hoc": 1, "khu-cong-cong": 2, "khac": 4}


def test_one_sheet_per_month_with_the_year_in_the_title(catalogue):
    sheets = {
        name: wide_sheet([[1, "An Lạc", n, 0, "", 0, 0, n]], title="BÁO CÁO TRỒNG CÂY NĂM 2026", period=None)
        for name, n in (("T7", 7), ("T8", 8), ("Thang 9", 9))
    }
    report = read_report(xlsx(sheets), "x.xlsx", catalogue)
    assert report.errors == []
    assert report.periods == ["2026-07", "2026-08", "2026-09"]
    assert {o.period: o.value for o in report.observations if o.value} == {"2026-07": 7, "2026-08": 8, "2026-09": 9}


def test_duplicate_village_rows_in_one_month(catalogue):
    spec = wide_sheet(
        [[1, "An Lạc", 1, 0, "", 0, 0, 1], [2, "Lai Vu", 1, 0, "", 0, 0, 1], [3, "thon an lac", 2, 0, "", 0, 0, 2]]
    )
    report = read_report(xlsx({"T10": spec}), "x.xlsx", catalogue)
    assert problems(report) == [("T10", spec.data_row(2), None)]
    assert f"dòng {spec.data_row(0)}" in report.errors[0].message and "Thôn An Lạc" in report.errors[0].message


def test_formula_without_value_in_a_data_row(catalogue):
    spec = wide_sheet([[1, "An Lạc", 1, 0, "", 0, 0, "=C10+D10"]])
    report = read_report(xlsx({"T10": spec}), "x.xlsx", catalogue)
    assert problems(report) == [("T10", spec.data_row(0), "H")]
    assert "công thức" in report.errors[0].message


@pytest.mark.parametrize("writer", [xls, ods])
def test_legacy_xls_and_ods(catalogue, writer):
    spec = wide_sheet([[1, "An Lạc", 10, 2, "", 0, 0, 12], [2, "Lai Vu", 0, 0, "", 4, 0, 4]], period="T10/2026")
    report = read_report(writer({"Báo cáo": spec}), "x", catalogue)
    assert report.errors == [], [p.message for p in report.errors]
    assert sum(o.value for o in report.observations) == 16
    assert {o.breakdown[1] for o in report.observations if o.value} == {"khu-cong-cong", "truong-hoc", "nha-van-hoa"}


LOG_HEADER = [["STT", "Ngày trồng", "Thôn", "Địa điểm/Nơi trồng", "Loại cây", "Số lượng (cây)", "Đơn vị thực hiện"]]


def test_event_log_takes_months_from_row_dates(catalogue):
    data = [
        [1, dt.date(2026, 9, 30), "An Lạc", "Trường Mầm non An Lạc", "Sao đen", 20, "Đoàn TN"],
        [2, "05/10/2026", "Đông Hà", "Đường trục thôn", "Bàng", "15", "Thôn"],
        [3, "6/10/2026", "dong ha", "Nhà văn hóa thôn", "Đa", 3, ""],
        [4, "07-10-2026", "Lai Vu", "Sân đình", "Đa", 2, ""],
        [5, "08.10.2026", "", "Vườn nhà dân", "Đa", 1, ""],
    ]
    spec = report_sheet(LOG_HEADER, data, title="SỔ THEO DÕI TRỒNG CÂY XANH", period=None, numbers_row=False)
    report = read_report(xlsx({"Nhật ký": spec}), "nhat_ky.xlsx", catalogue)
    assert report.errors == []
    assert report.periods == ["2026-09", "2026-10"]
    assert [(o.period, o.village, o.breakdown[1], o.value, o.row) for o in report.observations] == [
        ("2026-09", "an-lac", "truong-hoc", 20, spec.data_row(0)),
        ("2026-10", "dong-ha", "tuyen-duong", 15, spec.data_row(1)),
        ("2026-10", "dong-ha", "nha-van-hoa", 3, spec.data_row(2)),
        ("2026-10", "lai-vu", "khu-cong-cong", 2, spec.data_row(3)),
        ("2026-10", None, "khac", 1, spec.data_row(4)),
    ]


def test_event_log_outside_the_stated_month_and_bad_dates(catalogue):
    data = [
        [1, "30/09/2026", "An Lạc", "Sân đình", "Sao", 2, ""],
        [2, "31/10/2026", "An Lạc", "Sân đình", "Sao", 2, ""],
        [3, "", "An Lạc", "Sân đình", "Sao", 2, ""],
        [4, "32/10/2026", "An Lạc", "Sân đình", "Sao", 2, ""],
    ]
    spec = report_sheet(LOG_HEADER, data, period="Tháng 10 năm 2026", numbers_row=False)
    report = read_report(xlsx({"NK": spec}), "x.xlsx", catalogue)
    assert problems(report) == [("NK", spec.data_row(i), "B") for i in (0, 2, 3)]
    assert "tháng 10/2026" in report.errors[0].message


def test_event_log_with_a_place_type_column_and_section_rows(catalogue):
    header = [["Ngày", "Thôn", "Loại địa điểm", "Địa điểm", "Số cây"]]
    data = [
        ["Trường học"],
        ["01/10/2026", "An Lạc", "", "Khuôn viên phía tây", 4],
        ["02/10/2026", "An Lạc", "Tuyến đường", "Trường THCS", 6],
    ]
    report = read_report(xlsx({"NK": report_sheet(header, data, period=None, numbers_row=False)}), "x.xlsx", catalogue)
    assert report.errors == []
    assert [(o.breakdown[1], o.value) for o in report.observations] == [("truong-hoc", 4), ("tuyen-duong", 6)]


@pytest.mark.slow
def test_event_log_of_30_000_rows_with_mixed_date_cells_is_read_whole(catalogue):
    rnd = random.Random(7)
    names = [v.name for v in catalogue.villages]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký")
    ws.append(["SỔ THEO DÕI TRỒNG CÂY NĂM 2026"])
    ws.append(LOG_HEADER[0])
    total = 0
    for i in range(30_000):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randrange(365))
        n = rnd.randrange(1, 50)
        total += n
        ws.append([i + 1, day if i % 2 else day.strftime("%d/%m/%Y"), rnd.choice(names), "Sân đình", "Sao", n, ""])
    bio = io.BytesIO()
    wb.save(bio)
    data = bio.getvalue()
    report = read_report(data, "log.xlsx", catalogue)  # its speed against openpyxl: bench/ingest.py
    assert report.errors == [], [p.message for p in report.errors][:5]
    assert len(report.observations) == 30_000 and sum(o.value for o in report.observations) == total


def test_a_summary_sheet_beside_monthly_sheets_is_skipped(catalogue):
    sheets = {
        "T8": wide_sheet([[1, "An Lạc", 8, 0, "", 0, 0, 8]], period="Tháng 8 năm 2026"),
        "T9": wide_sheet([[1, "An Lạc", 9, 0, "", 0, 0, 9]], period="Tháng 9 năm 2026"),
        "Tổng hợp": wide_sheet([[1, "An Lạc", 17, 0, "", 0, 0, 17]], period="QUÝ III NĂM 2026"),
    }
    report = read_report(xlsx(sheets), "x.xlsx", catalogue)
    assert report.errors == [] and report.sheets == ["T8", "T9"]
    assert sum(o.value for o in report.observations) == 17
    assert [p.sheet for p in report.warnings] == ["Tổng hợp"]


def test_event_log_dates_outside_the_plan_window(catalogue):
    data = [
        [1, "05/10/2019", "An Lạc", "Sân đình", "Sao", 2, ""],
        [2, "05/10/2026", "An Lạc", "Sân đình", "Sao", 3, ""],
    ]
    spec = report_sheet(LOG_HEADER, data, period=None, numbers_row=False)
    report = read_report(xlsx({"NK": spec}), "x.xlsx", catalogue)
    assert problems(report) == [("NK", spec.data_row(0), "B")]
    assert "2020" in report.errors[0].message


def test_section_row_right_under_a_two_level_header_is_not_a_third_header_level(catalogue):
    # No "(1) (2)" row: the section row follows the merged header directly (seen in a unit's sheet).
    data = [
        ["I", "KHU VỰC AN PHÚ (CŨ)"],
        [1, "Thôn An Lạc", 10, 20, "", "", 5, 35],
        ["", "Cộng", 10, 20, "", "", 5, 35],
        ["II", "KHU VỰC AN BÌNH (CŨ)"],
        [1, "Thôn Bình Hà", 1, "", "", 2, "", 3],
        ["", "Cộng", 1, "", "", 2, "", 3],
        ["", "Tổng cộng", 11, 20, "", 2, 5, 38],
    ]
    report = read_report(xlsx({"T10": wide_sheet(data, numbers_row=False)}), "x.xlsx", catalogue)
    assert report.errors == [] and report.warnings == []
    totals = by_key(report)
    assert sum(totals.values()) == 38
    assert totals[("2026-10", "binh-ha", ("dia_diem", "nha-van-hoa"))] == 2


def test_totals_row_above_the_data_is_checked_against_the_whole_table(catalogue):
    data = [
        ["", "Tổng cộng", 11, 20, "", 2, 5, 38],
        [1, "Thôn An Lạc", 10, 20, "", "", 5, 35],
        [2, "Thôn Bình Hà", 1, "", "", 2, "", 3],
    ]
    report = read_report(xlsx({"T10": wide_sheet(data)}), "x.xlsx", catalogue)
    assert report.problems == []
    assert sum(by_key(report).values()) == 38
    data[0][-1] = 40  # a wrong total is reported, and still never counted
    report = read_report(xlsx({"T10": wide_sheet(data)}), "x.xlsx", catalogue)
    assert report.errors == []
    assert [p.column for p in report.warnings] == ["H"]
    assert sum(by_key(report).values()) == 38


def test_one_sheet_per_month_keeps_each_sheets_signing_date(catalogue):
    data = [[1, "Thôn An Lạc", 10, "", "", "", "", 10]]
    sheets = {
        f"T{m}": wide_sheet(data, period=f"Tháng {m} năm 2026", signed=f"An Phú, ngày {d:02d} tháng {m + 1} năm 2026")
        for m, d in ((7, 3), (8, 11), (9, 4))
    }
    report = read_report(xlsx(sheets), "quy III.xlsx", catalogue)
    assert report.errors == []
    assert report.signed_by_period == {
        "2026-07": dt.date(2026, 8, 3),
        "2026-08": dt.date(2026, 9, 11),
        "2026-09": dt.date(2026, 10, 4),
    }
