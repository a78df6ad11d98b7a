"""Pure status maths: value, cumulative, expected-to-date, progress ratio, status, pace and trend."""

from ground.months import add_months, month_index, months_between, period_at
from ground.statuses import ON_TRACK, SPEED_UP, STATUS_ORDER, STATUSES, Status, status, status_from_ratio
from indicators.frames import (
    COMMUNE,
    assess_all,
    most_behind_first,
    series_by_place,
    series_frame,
    targets_frame,
    to_frame,
)
from indicators.progress import (
    BASELINE_SOURCES,
    METHODS,
    Assessment,
    Series,
    assess,
    baseline_period,
    expected_at,
    month_value,
    village_share,
)
from indicators.trend import Trend, trend

__all__ = [
    "BASELINE_SOURCES",
    "COMMUNE",
    "METHODS",
    "ON_TRACK",
    "SPEED_UP",
    "STATUSES",
    "STATUS_ORDER",
    "Assessment",
    "Series",
    "Status",
    "Trend",
    "add_months",
    "assess",
    "assess_all",
    "baseline_period",
    "expected_at",
    "month_index",
    "month_value",
    "months_between",
    "most_behind_first",
    "period_at",
    "series_by_place",
    "series_frame",
    "status",
    "status_from_ratio",
    "targets_frame",
    "to_frame",
    "trend",
    "village_share",
]
