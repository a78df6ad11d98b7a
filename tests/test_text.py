"""Text helpers: Vietnamese numbers, percents, dates, stars, months, village and header matching."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from loaders.headers import normalise
from loaders.period import month_of_sheet_name, months_in_text, period_of_file_name, signed_on
from loaders.places import Villages, unit_in_title
from loaders.text import CellError, count, fold, number, percent_readings, quantity, stars, to_date


def test_fold_removes_accents_case_and_spacing():
    assert fold("  Thôn   ĐÔNG Hà ") == "thon dong ha"
    assert fold(unicodedata.normalize("NFD", "Thôn Đông Hà")) == "thon dong ha"
    assert fold(None) == ""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.250", 1250),
        ("12,5", 12.5),
        ("1.250.000", 1_250_000),
        ("1.250,5", 1250.5),
        ("12.500.000 đ", 12_500_000),
        ("12.500.000đ", 12_500_000),
        ("12.500.000 VNĐ", 12_500_000),
        ("1 250", 1250),
        ("1\u00a0250,75", 1250.75),
        ("0,250", 0.25),  # a leading zero rules out the thousands reading
        ("1234,567", 1234.567),  # four digits before the comma cannot be a thousands group
        ("120 cây", 120),
        ("-5", -5),
        (7, 7),
        (3.5, 3.5),
    ],
)
def test_number_reads_vietnamese_text(text, value):
    assert number(text) == pytest.approx(value)


@pytest.mark.parametrize("blank", ["", None, "  ", "-", "–"])
def test_number_blank_is_none(blank):
    assert number(blank) is None


def test_ambiguous_comma_names_both_readings():
    with pytest.raises(CellError) as exc:
        number("1,250")
    assert "1,25" in str(exc.value) and "1.250" in str(exc.value)


def test_single_dot_decimal_is_refused_with_the_vietnamese_spelling():
    with pytest.raises(CellError) as exc:
        number("1.5")
    assert "1,5" in str(exc.value)


@pytest.mark.parametrize(
    "bad", ["abc", "12a", "1.25.0", "1.2,3.4", "#DIV/0!", True, dt.date(2026, 1, 5), "5 triệu đồng"]
)
def test_unreadable_numbers_are_refused(bad):
    with pytest.raises(CellError):
        number(bad)


def test_counts_must_be_whole_and_not_negative():
    assert count("1.250") == 1250
    assert count(12.0) == 12
    with pytest.raises(CellError, match="âm"):
        count(-3)
    with pytest.raises(CellError, match="nguyên"):
        count("12,5")
    with pytest.raises(CellError, match="âm"):
        quantity("-2,5")
    assert quantity("2,5") == 2.5


@pytest.mark.parametrize(
    ("cell", "readings"),
    [("85%", (85,)), ("85,0%", (85,)), (0.85, (0.85, 85)), (85, (85, 8500)), ("85", (85, 8500)), ("", ())],
)
def test_percent_readings(cell, readings):
    assert percent_readings(cell) == pytest.approx(readings)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        (dt.date(2026, 9, 5), dt.date(2026, 9, 5)),
        (dt.datetime(2026, 9, 5, 14, 30), dt.date(2026, 9, 5)),
        ("05/09/2026", dt.date(2026, 9, 5)),  # day first: 5 September
        ("5/9/2026", dt.date(2026, 9, 5)),
        ("05-09-2026", dt.date(2026, 9, 5)),
        ("05.09.2026", dt.date(2026, 9, 5)),
        ("2026-09-05", dt.date(2026, 9, 5)),
        ("05/09/26", dt.date(2026, 9, 5)),
        ("ngày 5 tháng 9 năm 2026", dt.date(2026, 9, 5)),
        ("05/09/2026 08:30", dt.date(2026, 9, 5)),
    ],
)
def test_dates_are_day_first(cell, day):
    assert to_date(cell) == day


def test_impossible_and_month_first_dates_are_refused():
    with pytest.raises(CellError, match="không có thật"):
        to_date("31/02/2026")
    with pytest.raises(CellError, match="ngày ghi trước"):
        to_date("09/25/2026")
    with pytest.raises(CellError, match="05/09/2026"):
        to_date(46270.0)  # an Excel day number without a date format: the message shows the date
    with pytest.raises(CellError):
        to_date("hôm qua")


@pytest.mark.parametrize(
    ("cell", "n"),
    [("3 sao", 3), ("4★", 4), ("4", 4), (4.0, 4), ("***", 3), ("3*", 3), ("Hạng 4 sao", 4), ("★★★★★", 5),
     ("ba sao", 3), ("", None)],
)  # fmt: skip
def test_star_ratings(cell, n):
    assert stars(cell) == n


@pytest.mark.parametrize("bad", ["6 sao", "sao", "hạng A", 0])
def test_unreadable_star_ratings(bad):
    with pytest.raises(CellError):
        stars(bad)


@pytest.mark.parametrize(
    ("line", "period"),
    [
        ("BÁO CÁO KẾT QUẢ THÁNG 10 NĂM 2026", "2026-10"),
        ("tháng 10/2026", "2026-10"),
        ("Kỳ báo cáo: tháng 10/2026", "2026-10"),
        ("T10-2026", "2026-10"),
        ("T10/2026", "2026-10"),
        ("Tháng 10 - 2026", "2026-10"),
        ("(Từ ngày 01/10/2026 đến ngày 31/10/2026)", "2026-10"),
        ("Số liệu tính đến ngày 31/10/2026", "2026-10"),
        ("(cập nhật đến 31/10/2026)", "2026-10"),
        ("Tính đến ngày 31 tháng 10 năm 2026", "2026-10"),
        ("THANG 9 NAM 2026", "2026-09"),
    ],
)
def test_months_in_title_lines(line, period):
    assert months_in_text(line).periods == [period]


def test_signing_line_is_not_a_month():
    line = "An Phú, ngày 05 tháng 11 năm 2026"
    assert months_in_text(line).periods == []
    assert signed_on(line) == dt.date(2026, 11, 5)
    assert signed_on("An Phú, ngày 05/11/2026") == dt.date(2026, 11, 5)
    assert signed_on("An Phú, ngày    tháng    năm 2026") is None
    assert signed_on("(Từ ngày 01/10/2026 đến ngày 31/10/2026)") is None


def test_a_range_over_several_months_is_a_problem():
    found = months_in_text("Từ ngày 01/07/2026 đến ngày 30/09/2026")
    assert found.periods == [] and "nhiều tháng" in found.problems[0]


def test_a_dated_reference_is_not_a_month():
    assert months_in_text("(Kèm theo Công văn số 12/UBND ngày 05/01/2026)").periods == []


def test_year_and_month_alone():
    found = months_in_text("BÁO CÁO TRỒNG CÂY NĂM 2026")
    assert found.year == 2026 and found.periods == []
    assert months_in_text("BÁO CÁO THÁNG 10").month == 10


@pytest.mark.parametrize(
    ("name", "got"),
    [("T10", (10, None)), ("Thang 10", (10, None)), ("Tháng 7", (7, None)), ("T10-2026", (10, 2026)),
     ("10.2026", (10, 2026)), ("Sheet1", None), ("T13", None), ("Tổng hợp", None)],
)  # fmt: skip
def test_month_of_sheet_name(name, got):
    assert month_of_sheet_name(name) == got


@pytest.mark.parametrize(
    ("file_name", "period"),
    [("BC_T10_2026.xlsx", "2026-10"), ("bao cao thang 9 nam 2026.xls", "2026-09"), ("2026-10 trong cay.xlsx",
     "2026-10"), ("BC-thang10-2026.xlsx", "2026-10"), ("baocao.xlsx", None), ("BC_2026.xlsx", None)],
)  # fmt: skip
def test_period_of_file_name(file_name, period):
    assert period_of_file_name(file_name) == period


@pytest.mark.parametrize(
    "written",
    ["Thôn Đông Hà", "thon dong ha", "Đông Hà", "DONG HA", "  Đông  Hà ", unicodedata.normalize("NFD", "Thôn Đông Hà"),
     "Thôn Đông Hà, xã An Phú", "dongha"],
)  # fmt: skip
def test_village_names_match_whatever_the_spelling(catalogue, written):
    assert Villages(catalogue).code(written) == "dong-ha"


def test_village_alias_and_unknown_village(catalogue):
    v = Villages(catalogue)
    assert v.code("Thôn Cộng Hoà") == "cong-hoa"
    assert v.code("") is None
    with pytest.raises(CellError) as exc:
        v.code("Thôn Đông Hải")
    assert "Đông Hà" in str(exc.value) and "catalogue.toml" in str(exc.value)


def test_unit_named_in_title_block(catalogue):
    assert unit_in_title(catalogue, ["UBND XÃ AN PHÚ", "PHÒNG KINH TẾ"]) == "phong-kinh-te"
    assert unit_in_title(catalogue, ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"]) == "ttpvhcc"
    assert unit_in_title(catalogue, ["TRẠM Y TẾ XÃ AN PHÚ"]) == "tram-y-te"
    assert unit_in_title(catalogue, ["UBND XÃ AN PHÚ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]) is None


def test_header_normalisation():
    h = normalise("Tổng số\n(cây)")
    assert h.key == "tong so" and h.units == ("cay",)
    assert normalise("Số hộ phân loại CTRSH tại nguồn").key == "so ho phan loai chat thai ran sinh hoat tai nguon"
    assert normalise("Tỷ lệ (%)").units == ("%",)
    assert normalise("1. Số  hộ").key == "so ho"
    assert normalise("TS hộ").short == normalise("Số hộ").short == "ho"
    assert normalise("Số hộ phân loại").short != normalise("Số hộ").short
