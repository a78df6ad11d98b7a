"""The long-run trend for the 2050 vision view: a least-squares line over the reported months, projected."""

from __future__ import annotations

from dataclasses import dataclass

from ground.catalogue import Catalogue, Indicator
from ground.months import month_index, period_at
from indicators.progress import Series, month_value


@dataclass(frozen=True)
class Trend:
    """The fitted line and where it leads. For a flow indicator it is fitted to the cumulative total
    (so the slope is the average monthly amount); for ratio/stock to the monthly levels."""

    indicator: str
    place: str | None
    points: int  # months the line was fitted on
    first_period: str | None
    last_period: str | None
    slope: float | None  # units (or percentage points) per month
    horizon: str  # the month projected to: the end of the last phase (2030-12)
    projected: float | None
    clipped: bool  # the projection was held inside what the quantity can be (0-100 %, never negative)
    target: float | None  # the last phase's target (this place's share of it)
    meets: bool | None  # whether the projection reaches the target (None without target or line)


def trend(
    indicator: Indicator,
    catalogue: Catalogue,
    series: Series,
    month: str | None = None,
    *,
    share: float = 1.0,
    place: str | None = None,
) -> Trend:
    """Fit y = a + b·month over the months reported up to `month` (all when None) and project it
    to the last phase's end. At least two months are needed for a line."""
    kind = indicator.kind
    last_phase = catalogue.phases[-1]
    horizon = last_phase.end
    limit = month_index(month) if month else None
    values: dict[int, float] = {}
    for p, fig in series.items():
        i = month_index(p)
        if limit is not None and i > limit:
            continue
        num, den = fig if isinstance(fig, tuple) else (fig, None)
        v = month_value(kind, num, den)
        if v is not None:
            values[i] = v
    start_i = month_index(catalogue.commune.plan_start)
    if kind == "flow":
        values = {i: v for i, v in values.items() if i >= start_i}
        pts: list[tuple[int, float]] = []
        if values:
            total = 0.0
            for i in range(start_i, max(values) + 1):
                total += values.get(i, 0.0)
                pts.append((i, total))
    else:
        pts = sorted(values.items())

    scale = share if kind in ("flow", "stock") else 1.0
    tgt = indicator.target(last_phase.code)
    target = None if tgt is None or indicator.direction == "none" else tgt.value * scale
    slope = projected = None
    clipped = False
    if len(pts) >= 2:
        n = len(pts)
        mx = sum(i for i, _ in pts) / n
        my = sum(v for _, v in pts) / n
        sxx = sum((i - mx) ** 2 for i, _ in pts)
        slope = sum((i - mx) * (v - my) for i, v in pts) / sxx
        projected = my + slope * (month_index(horizon) - mx)
        upper = 100.0 if kind == "ratio" else float("inf")
        bounded = min(max(projected, 0.0), upper)
        clipped, projected = bounded != projected, bounded
    meets = None
    if projected is not None and target is not None:
        meets = projected >= target if indicator.direction == "up" else projected <= target
    return Trend(
        indicator=indicator.code,
        place=place,
        points=len(pts),
        first_period=period_at(pts[0][0]) if pts else None,
        last_period=period_at(pts[-1][0]) if pts else None,
        slope=slope,
        horizon=horizon,
        projected=projected,
        clipped=clipped,
        target=target,
        meets=meets,
    )
