"""Vietnamese formats: 1.234,5 · 63,2% · T10/2026 · tháng 10/2026 · 05/09/2026 · 12.500.000 đ · +1,2 / −0,8."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from ground import fmt


@pytest.mark.parametrize(
    ("x", "decimals", "text"),
    [
        (1234.5, None, "1.234,5"),
        (20000, None, "20.000"),
        (1234567.891, None, "1.234.568"),  # big figures need no decimals
        (63.25, None, "63,25"),
        (2.50, None, "2,5"),  # needless zeros go
        (0.125, None, "0,13"),  # half-up, as by hand (not banker's 0,12)
        (2.675, None, "2,68"),  # 2.675 is 2.67499… in binary; people still expect 2,68
        (-0.8, None, "−0,8"),
        (-0.0001, None, "0"),  # never "−0"
        (0, None, "0"),
        (7, 1, "7,0"),  # explicit decimals are kept
        (1234.5, 0, "1.235"),
        (999999.5, 0, "1.000.000"),
    ],
)
def test_number(x, decimals, text):
    assert fmt.number(x, decimals) == text


@pytest.mark.parametrize("missing", [None, math.nan, float("nan"), pd.NA, pd.NaT])
def test_missing_values_show_a_dash(missing):
    assert fmt.number(missing) == "–"
    assert fmt.percent(missing) == "–"
    assert fmt.month(missing) == "–"
    assert fmt.date(missing) == "–"


def test_percent_points_signed_money_integer():
    assert fmt.percent(63.24) == "63,2%"
    assert fmt.percent(63.25) == "63,3%"
    assert fmt.percent(80) == "80%"
    assert fmt.percent(80, trim=False) == "80,0%"
    assert fmt.percent(7.456, 2) == "7,46%"
    assert fmt.points(2.14) == "2,1 điểm %"
    assert fmt.signed(1.2) == "+1,2"
    assert fmt.signed(-0.8) == "−0,8"
    assert fmt.signed(0) == "0"
    assert fmt.signed(-0.04) == "0"  # rounds to nothing: no sign
    assert fmt.signed(1500, 0) == "+1.500"
    assert fmt.money(12_500_000) == "12.500.000 đ"
    assert fmt.money(12_499.6) == "12.500 đ"
    assert fmt.integer(12_499.6) == "12.500"
    assert fmt.quantity(63.24, "%") == "63,2%"
    assert fmt.quantity(1500, "cây") == "1.500 cây"
    assert fmt.quantity(None, "cây") == "–"


def test_months_and_dates_day_first():
    assert fmt.month("2026-10") == "T10/2026"
    assert fmt.month("2027-01") == "T1/2027"
    assert fmt.month(dt.date(2026, 3, 31)) == "T3/2026"
    assert fmt.month(pd.Timestamp("2026-10-01")) == "T10/2026"
    assert fmt.month_long("2026-10") == "tháng 10/2026"
    assert fmt.date(dt.date(2026, 9, 5)) == "05/09/2026"
    assert fmt.date("2026-09-05") == "05/09/2026"
    assert fmt.date(dt.datetime(2026, 9, 5, 23, 59)) == "05/09/2026"
    assert fmt.datetime(dt.datetime(2026, 9, 5, 14, 3)) == "05/09/2026 14:03"
    assert fmt.datetime("2026-09-05T14:03:59") == "05/09/2026 14:03"


def test_no_english_separators_anywhere():
    for x in (0.5, 1234.5, 98765432.1, -3.25):
        text = fmt.number(x, 2)
        whole, _, frac = text.lstrip("−").partition(",")
        assert len(frac) == 2 and "." not in frac
        assert all(len(g) == 3 for g in whole.split(".")[1:])
