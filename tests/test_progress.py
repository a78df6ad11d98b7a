"""The status maths: thresholds both ways, caps, phases, missing months, baselines, pooling, shares, paces, trend."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

import indicators as ind
from ground.catalogue import Target
from indicators import assess, assess_all, months_between, trend


def monthly(values: dict[str, float], den: float | None = None) -> dict:
    return {p: (v, den) for p, v in values.items()}


def every_month(first: str, last: str, amount: float) -> dict:
    return {p: (amount, None) for p in months_between(first, last)}


@pytest.fixture
def level_up(catalogue):
    """A stock, higher is better: baseline 50 at T12/2025, target 74 at T12/2027 → expected 50 + 1/month."""
    base = catalogue.indicator("vietgap_dien_tich")
    return replace(base, baseline=50.0, targets=(Target("2026-2027", 74, "thử"), Target("2028-2030", 110, "thử")))


@pytest.fixture
def level_down(catalogue):
    """A stock, lower is better, target below the baseline: 80 → 56 at T12/2027, expected 80 − 1/month."""
    base = catalogue.indicator("vietgap_dien_tich")
    return replace(base, direction="down", baseline=80.0, targets=(Target("2026-2027", 56, "thử"),))


@pytest.fixture
def cap24(catalogue):
    """A lower-is-better flow with a cumulative cap of 24 by T12/2027: allowed pace 1 a month."""
    return replace(catalogue.indicator("dot_rac_tuy_tien"), targets=(Target("2026-2027", 24, "thử"),))


# ---------------------------------------------------------------- thresholds, higher is better
@pytest.mark.parametrize(
    ("actual", "r", "code"),
    [
        (49.0, -0.1, "di_xuong"),
        (50.0, 0.0, "cham"),  # exactly 0: slow, not falling
        (55.9, 0.59, "cham"),
        (56.0, 0.6, "day_nhanh"),  # exactly 0,60
        (59.4, 0.94, "day_nhanh"),
        (59.5, 0.95, "dung"),  # exactly 0,95
        (73.9, 2.39, "dung"),  # far ahead of pace but short of the target
        (74.0, 2.4, "dat"),  # target met
    ],
)
def test_up_thresholds(catalogue, level_up, actual, r, code):
    a = assess(level_up, catalogue, {"2026-10": (actual, None)}, "2026-10")
    assert a.method == "up"
    assert (a.baseline, a.baseline_period, a.baseline_source) == (50.0, "2025-12", "catalogue")
    assert (a.months_elapsed, a.months_to_phase_end, a.months_left) == (10, 24, 14)
    assert a.expected == pytest.approx(60.0)
    assert a.r == pytest.approx(r)
    assert a.status.code == code


def test_a_threshold_hit_exactly_survives_float_rounding(catalogue, level_up):
    # 30 → 35,28: expected 32,2 at T10/2026; 31,32 is exactly 60 % of the way, though binary floats
    # make (31,32 − 30) ÷ (32,2 − 30) come out as 0,5999999999999993.
    odd = replace(level_up, baseline=30.0, targets=(Target("2026-2027", 35.28, "thử"),))
    a = assess(odd, catalogue, {"2026-10": (31.32, None)}, "2026-10")
    assert a.r < 0.6 and a.r == pytest.approx(0.6)
    assert a.status.code == "day_nhanh"


@pytest.mark.parametrize(
    ("actual", "r", "code"),
    [
        (81.0, -0.1, "di_xuong"),
        (80.0, 0.0, "cham"),
        (74.5, 0.55, "cham"),
        (74.0, 0.6, "day_nhanh"),
        (70.6, 0.94, "day_nhanh"),
        (70.5, 0.95, "dung"),
        (56.5, 2.35, "dung"),
        (56.0, 2.4, "dat"),
        (40.0, 4.0, "dat"),
    ],
)
def test_down_level_thresholds(catalogue, level_down, actual, r, code):
    a = assess(level_down, catalogue, {"2026-10": (actual, None)}, "2026-10")
    assert a.method == "down_level"
    assert a.expected == pytest.approx(70.0)
    assert a.r == pytest.approx(r)
    assert a.status.code == code


# ---------------------------------------------------------------- the cumulative cap
@pytest.mark.parametrize(
    ("cases", "r", "code"),
    [
        (4, 1.0, "dung"),  # exactly on the allowed pace
        (5, 0.95, "dung"),
        (6, 0.9, "day_nhanh"),
        (12, 0.6, "day_nhanh"),
        (13, 0.55, "cham"),
        (24, 0.0, "cham"),  # the whole cap used up by T4/2026
        (25, -0.05, "di_xuong"),  # cap exceeded
    ],
)
def test_cap_flow_uses_the_headroom_ratio(catalogue, cap24, cases, r, code):
    series = {"2026-01": (1.0, None), "2026-04": (cases - 1.0, None)}
    a = assess(cap24, catalogue, series, "2026-04")
    assert a.method == "down_cap"
    assert a.actual == cases
    assert a.expected == pytest.approx(4.0)
    assert a.r == pytest.approx(r)
    assert a.status.code == code
    assert a.pct_of_target == pytest.approx(cases / 24 * 100)


def test_cap_is_kept_only_at_the_phase_end(catalogue):
    burning = catalogue.indicator("dot_rac_tuy_tien")  # at most 12 cases by T12/2027
    series = every_month("2026-01", "2027-11", 0.0) | {"2026-05": (11.0, None)}
    nov = assess(burning, catalogue, series, "2027-11")
    assert nov.actual == 11
    assert nov.expected == pytest.approx(11.5)  # 12 × 23/24
    assert nov.r == pytest.approx(2.0)  # (12 − 11) ÷ (12 − 11,5)
    assert nov.status.code == "dung"
    assert nov.required_pace == pytest.approx(1.0)  # one more case allowed in the month left
    dec = assess(burning, catalogue, series | {"2027-12": (0.0, None)}, "2027-12")
    assert dec.status.code == "dat"
    over = assess(burning, catalogue, series | {"2027-12": (2.0, None)}, "2027-12")
    assert over.actual == 13
    assert over.r is None  # no headroom left to share out
    assert over.status.code == "di_xuong"


# ---------------------------------------------------------------- phases
def test_phase_boundary_from_december_2027_to_january_2028(catalogue):
    trees = catalogue.indicator("cay_xanh_trong_moi")  # 20.000 by T12/2027, 50.000 by T12/2030
    series = every_month("2026-01", "2027-12", 800.0) | {"2027-12": (1600.0, None)}
    dec = assess(trees, catalogue, series, "2027-12")
    assert (dec.phase, dec.target, dec.expected, dec.actual) == ("2026-2027", 20000, 20000, 20000)
    assert dec.status.code == "dat"
    assert dec.months_left == 0 and dec.required_pace is None
    jan = assess(trees, catalogue, series | {"2028-01": (0.0, None)}, "2028-01")
    assert (jan.phase, jan.target, jan.months_to_phase_end, jan.months_left) == ("2028-2030", 50000, 60, 35)
    assert jan.expected == pytest.approx(50000 * 25 / 60)  # 20.833,3
    assert jan.r == pytest.approx(20000 / (50000 * 25 / 60))  # 0,96
    assert jan.status.code == "dung"
    assert jan.required_pace == pytest.approx(30000 / 35)


def test_a_phase_can_be_chosen(catalogue):
    trees = catalogue.indicator("cay_xanh_trong_moi")
    a = assess(trees, catalogue, every_month("2026-01", "2026-10", 500.0), "2026-10", phase="2028-2030")
    assert a.expected == pytest.approx(50000 * 10 / 60)
    assert a.r == pytest.approx(5000 / (50000 * 10 / 60))  # 0,6
    assert a.status.code == "day_nhanh"


# ---------------------------------------------------------------- missing months and baselines
def test_one_missing_month_uses_the_month_before_and_two_give_no_data(catalogue):
    online = catalogue.indicator("tthc_truc_tuyen")
    series = {"2026-07": (60.0, 100.0), "2026-08": (62.0, 100.0)}
    sep = assess(online, catalogue, series, "2026-09")
    assert (sep.reported, sep.actual, sep.actual_period) == (False, 62.0, "2026-08")
    assert sep.status.code != "chua_co"
    octo = assess(online, catalogue, series, "2026-10")
    assert octo.status.code == "chua_co" and octo.actual is None and octo.r is None
    assert (octo.last_period, octo.last_value) == ("2026-08", 62.0)


def test_flow_counts_missing_months_as_zero(catalogue):
    trees = catalogue.indicator("cay_xanh_trong_moi")
    series = every_month("2026-01", "2026-10", 100.0)
    del series["2026-05"]
    a = assess(trees, catalogue, series, "2026-10")
    assert a.actual == 900
    late = assess(trees, catalogue, {p: v for p, v in series.items() if p != "2026-10"}, "2026-10")
    assert late.actual == 800 and late.status.code != "chua_co"
    stale = assess(trees, catalogue, series, "2026-12")
    assert stale.actual == 900 and stale.status.code == "chua_co"


def test_baseline_from_the_first_month_reported(catalogue):
    online = catalogue.indicator("tthc_truc_tuyen")  # no catalogue baseline; 85% by T12/2027
    first = assess(online, catalogue, {"2026-03": (430.0, 1000.0)}, "2026-03")
    assert (first.baseline, first.baseline_period, first.baseline_source) == (43.0, "2026-03", "first")
    assert first.expected == first.baseline and first.r is None
    assert first.status.code == "dung" and first.note
    series = {"2026-03": (430.0, 1000.0), "2026-06": (466.0, 1000.0)}
    jun = assess(online, catalogue, series, "2026-06")
    assert jun.months_to_phase_end == 21 and jun.months_elapsed == 3
    assert jun.expected == pytest.approx(49.0)  # 43 + (85 − 43) × 3/21
    assert jun.r == pytest.approx(0.6)
    assert jun.status.code == "day_nhanh"
    falling = assess(online, catalogue, {"2026-03": (430.0, 1000.0), "2026-04": (420.0, 1000.0)}, "2026-04")
    assert falling.status.code == "di_xuong"


def test_a_target_already_behind_the_baseline(catalogue):
    water = replace(catalogue.indicator("vietgap_dien_tich"), baseline=100.0, targets=(Target("2026-2027", 95, "t"),))
    assert assess(water, catalogue, {"2026-10": (97.0, None)}, "2026-10").status.code == "dat"
    slipped = assess(water, catalogue, {"2026-10": (90.0, None)}, "2026-10")
    assert slipped.r is None and slipped.status.code == "di_xuong"


def test_tracked_only_indicator(catalogue):
    breaches = catalogue.indicator("vi_pham_moi_truong")
    a = assess(breaches, catalogue, {"2026-10": (3.0, None)}, "2026-10")
    assert (a.method, a.status.code, a.status.label, a.expected, a.r) == ("none", "theo_doi", "Theo dõi", None, None)
    assert assess(breaches, catalogue, {}, "2026-10").status.code == "chua_co"


def test_months_after_the_month_looked_at_are_ignored(catalogue):
    online = catalogue.indicator("tthc_truc_tuyen")
    series = {"2026-05": (50.0, 100.0), "2026-06": (10.0, 100.0)}
    a = assess(online, catalogue, series, "2026-05")
    assert a.actual == 50.0 and a.last_period == "2026-05"


# ---------------------------------------------------------------- pooling, villages, all at once
def test_ratio_is_pooled_never_a_mean_of_percentages(catalogue):
    rows = pd.DataFrame(
        [
            ("rac_phan_loai", "2026-10", 90.0, 100.0, "an-lac"),
            ("rac_phan_loai", "2026-10", 10.0, 900.0, "binh-ha"),
        ],
        columns=["indicator", "period", "value", "denominator", "village"],
    )
    got = {(a.indicator, a.place): a for a in assess_all(rows, catalogue, "2026-10", villages=True)}
    commune = got[("rac_phan_loai", None)]
    assert commune.actual == pytest.approx(10.0)  # 100 ÷ 1.000, not (90% + 1,1%) ÷ 2
    assert (commune.numerator, commune.denominator) == (100.0, 1000.0)
    assert got[("rac_phan_loai", "an-lac")].actual == pytest.approx(90.0)
    assert got[("rac_phan_loai", "an-lac")].target == 70  # a ratio village keeps the commune target
    assert got[("rac_phan_loai", "yen-my")].status.code == "chua_co"
    assert ("cay_xanh_trong_moi", "an-lac") not in got  # never reported by village
    assert len([a for a in got.values() if a.place is None]) == len(catalogue.indicators)


def test_village_targets_are_shares_of_the_commune_target(catalogue):
    trees = catalogue.indicator("cay_xanh_trong_moi")
    assert ind.village_share(catalogue, "an-lac") == pytest.approx(1 / 20)
    series = every_month("2026-01", "2026-10", 50.0)
    equal = assess(trees, catalogue, series, "2026-10", share=ind.village_share(catalogue, "an-lac"))
    assert equal.target == pytest.approx(1000.0)
    assert equal.expected == pytest.approx(1000 * 10 / 24)
    assert equal.r == pytest.approx(500 / (1000 * 10 / 24))  # 1,2
    assert equal.status.code == "dung"
    share = ind.village_share(catalogue, "an-lac", {"an-lac": 0.1})
    bigger = assess(trees, catalogue, series, "2026-10", share=share, place="an-lac")
    assert (bigger.target, bigger.commune_target, bigger.place) == (2000.0, 20000.0, "an-lac")
    assert bigger.r == pytest.approx(0.6)
    assert bigger.status.code == "day_nhanh"


def test_assess_all_matches_assess_one_by_one(catalogue):
    rows = []
    for i, p in enumerate(months_between("2026-01", "2026-10")):
        rows.append(("cay_xanh_trong_moi", p, 300.0 + i, None, "an-lac"))
        rows.append(("cay_xanh_trong_moi", p, 200.0, None, "tran-xa"))
        rows.append(("tthc_truc_tuyen", p, 40.0 + i, 80.0, None))
    frame = pd.DataFrame(rows, columns=["indicator", "period", "value", "denominator", "village"])
    series = ind.series_by_place(frame)
    assert series[("tthc_truc_tuyen", None)]["2026-03"] == (42.0, 80.0)
    for a in assess_all(frame, catalogue, "2026-09", villages=True):
        one = assess(
            catalogue.indicator(a.indicator),
            catalogue,
            series.get((a.indicator, a.place), {}),
            "2026-09",
            share=a.share,
            place=a.place,
        )
        assert one == a


def test_most_behind_first(catalogue, level_up):
    made = [assess(level_up, catalogue, {"2026-10": (v, None)}, "2026-10") for v in (74.0, 56.0, 49.0, 51.0, 60.0)]
    made.append(assess(level_up, catalogue, {}, "2026-10"))
    order = [a.status.code for a in ind.most_behind_first(made)]
    assert order == ["di_xuong", "cham", "day_nhanh", "dung", "dat", "chua_co"]


def test_every_status_reads_without_colour():
    labels = {s.label for s in ind.STATUSES.values()}
    icons = {s.icon for s in ind.STATUSES.values()}
    assert len(labels) == len(icons) == len(ind.STATUSES)
    assert [ind.STATUSES[c].label for c in ind.STATUS_ORDER[:6]] == [
        "Đi xuống",
        "Chậm tiến độ",
        "Cần đẩy nhanh",
        "Đúng tiến độ",
        "Đã đạt",
        "Chưa có số liệu",
    ]


# ---------------------------------------------------------------- paces and change
def test_paces_and_change_of_a_flow(catalogue):
    trees = catalogue.indicator("cay_xanh_trong_moi")
    series = every_month("2026-01", "2026-07", 1000.0) | monthly({"2026-08": 300, "2026-09": 600, "2026-10": 900})
    a = assess(trees, catalogue, series, "2026-10")
    assert a.actual == 8800
    assert a.current_pace == pytest.approx(600.0) and a.pace_from == "2026-08"
    assert a.required_pace == pytest.approx((20000 - 8800) / 14)  # 800 a month
    assert a.change == pytest.approx(300.0)


def test_paces_and_change_of_a_ratio(catalogue):
    online = catalogue.indicator("tthc_truc_tuyen")
    series = monthly({"2026-07": 50, "2026-08": 52, "2026-09": 53, "2026-10": 56}, den=100.0)
    a = assess(online, catalogue, series, "2026-10")
    assert a.current_pace == pytest.approx(2.0)  # (56 − 50) ÷ 3 points a month
    assert a.required_pace == pytest.approx((85 - 56) / 14)
    assert a.change == pytest.approx(3.0)
    assert a.pct_of_target == pytest.approx(56 / 85 * 100)
    gap = assess(online, catalogue, {"2026-07": (50.0, 100.0), "2026-10": (56.0, 100.0)}, "2026-10")
    assert gap.current_pace == pytest.approx(2.0) and gap.change is None


def test_ratio_with_zero_denominator_is_no_value(catalogue):
    online = catalogue.indicator("tthc_truc_tuyen")
    a = assess(online, catalogue, {"2026-09": (0.0, 0.0), "2026-10": (0.0, 0.0)}, "2026-10")
    assert a.month_value is None and a.status.code == "chua_co"


# ---------------------------------------------------------------- trend towards 2030
def test_trend_of_a_ratio_projects_to_2030(catalogue):
    online = catalogue.indicator("tthc_truc_tuyen")  # 95% by T12/2030
    series = {p: (40 + 0.5 * (k + 1), 100.0) for k, p in enumerate(months_between("2026-01", "2026-12"))}
    t = trend(online, catalogue, series)
    assert t.points == 12 and t.slope == pytest.approx(0.5)
    assert t.horizon == "2030-12"
    assert t.projected == pytest.approx(70.0)  # 40 + 0,5 × 60
    assert t.meets is False
    fast = {p: (40 + 2.0 * (k + 1), 100.0) for k, p in enumerate(months_between("2026-01", "2026-06"))}
    ft = trend(online, catalogue, fast)
    assert ft.projected == 100.0 and ft.clipped and ft.meets is True


def test_trend_of_a_flow_fits_the_cumulative_total(catalogue):
    trees = catalogue.indicator("cay_xanh_trong_moi")  # 50.000 by T12/2030
    series = every_month("2026-01", "2026-12", 1000.0)
    del series["2026-06"]
    t = trend(trees, catalogue, series, "2026-12")
    assert t.points == 12
    # Cumulative 1.000 … 5.000, 5.000, 6.000 … 11.000: slope 1.000 − 1.000 × 17,5/143
    assert t.slope == pytest.approx(1000 - 17500 / 143)
    assert t.meets is True and t.projected > 50000
    assert trend(trees, catalogue, {"2026-01": (5.0, None)}).slope is None


# ---------------------------------------------------------------- all at once (its speed: bench/pages.py's pages)
def test_all_indicators_for_all_places_in_one_call(catalogue):
    rows = []
    periods = months_between("2026-01", "2030-12")
    for i in catalogue.indicators:
        den = 200.0 if i.kind == "ratio" else None
        for place in [None, *(v.code for v in catalogue.villages)]:
            rows += [(i.code, p, float(k % 7 + 1), den, place) for k, p in enumerate(periods)]
    frame = pd.DataFrame(rows, columns=["indicator", "period", "value", "denominator", "village"])
    assert len(frame) == 25 * 60 * 21
    out = assess_all(frame, catalogue, "2030-12", villages=True)
    assert len(out) == 25 * 21
