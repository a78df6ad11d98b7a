"""Phase-aware progress of one indicator at one place and month: actual, expected-to-date, ratio, status, paces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from ground.catalogue import Catalogue, Indicator, Phase
from ground.months import add_months, month_index, period_at
from ground.statuses import STATUSES, Status, status_from_ratio

# A month's figures, already summed over the rows that matter: (numerator, denominator or None).
# For flow and stock indicators the numerator is the counted quantity and the denominator None.
Figures = tuple[float, float | None]
Series = Mapping[str, Figures]

METHODS = {
    "up": "Càng cao càng tốt: r = (thực hiện − cơ sở) ÷ (kỳ vọng − cơ sở)",
    "down_level": "Càng thấp càng tốt, mục tiêu thấp hơn mức cơ sở: r = (cơ sở − thực hiện) ÷ (cơ sở − kỳ vọng)",
    "down_cap": "Mức trần cộng dồn (không vượt quá): r = (mục tiêu − thực hiện) ÷ (mục tiêu − kỳ vọng)",
    "none": "Chỉ theo dõi, không có mục tiêu",
}

BASELINE_SOURCES = {
    "flow": "0 (chỉ tiêu cộng dồn từ đầu kế hoạch)",
    "catalogue": "Danh mục (giá trị cuối năm 2025)",
    "first": "Tháng đầu tiên có số liệu",
}


@dataclass(frozen=True)
class Assessment:
    """Every input and output of one status, so a methodology page can print it and anyone recompute it.

    Values are in the indicator's unit (percent for ratios). For a flow indicator `actual` is the
    cumulative total since the plan's start and `target` cumulative too; for ratio/stock it is the
    level of `actual_period` (the month itself, or the month before when the month is missing).
    For a village, flow/stock targets and catalogue baselines are the commune's × `share`.
    """

    indicator: str
    kind: str
    direction: str
    unit: str
    method: str  # a key of METHODS
    place: str | None  # a village code; None for the whole commune
    share: float  # the village's share of a flow/stock target (1 for the commune)
    period: str  # the month looked at
    phase: str
    phase_end: str
    # The month itself.
    reported: bool  # a figure exists for the month
    month_value: float | None  # flow: the month's amount; ratio: its pooled share; stock: its level
    numerator: float | None
    denominator: float | None
    previous_value: float | None  # the same for the month before
    change: float | None  # month_value − previous_value (for a flow: this month's amount minus last month's)
    # Where the indicator stands.
    actual: float | None
    actual_period: str | None
    last_period: str | None  # the latest month with a figure, however old
    last_value: float | None
    # The trajectory.
    baseline: float | None
    baseline_period: str | None
    baseline_source: str  # a key of BASELINE_SOURCES
    target: float | None  # this place's target for the phase
    target_source: str
    commune_target: float | None
    months_elapsed: int | None  # from the baseline month to the month looked at (capped at the phase end)
    months_to_phase_end: int | None  # from the baseline month to the phase end
    months_left: int  # from the month looked at to the phase end
    expected: float | None
    r: float | None  # None when the plan expects no move yet (expected == baseline) or there is no target
    pct_of_target: float | None  # actual ÷ target × 100 (for a cap: the share of the cap used)
    status: Status
    required_pace: float | None  # per month to reach the target by the phase end (cap: the most allowed)
    current_pace: float | None  # flow: mean monthly amount of the last 3 months; else mean monthly change
    pace_from: str | None  # first month of the window current_pace was computed on
    note: str  # a Vietnamese sentence when a special rule applied

    @property
    def met(self) -> bool:
        return self.status.code == "dat"

    def as_dict(self) -> dict:
        """A flat record (status split into code, label, icon, colour, rank) for a DataFrame row."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}  # asdict() deep-copies: 10× slower
        st = d.pop("status")
        d.update(
            status=st.code,
            status_label=st.label,
            status_icon=st.icon,
            status_colour=st.colour,
            status_rank=st.rank,
        )
        return d


def month_value(kind: str, numerator: float | None, denominator: float | None) -> float | None:
    """The figure of one month: a ratio is Σnumerator ÷ Σdenominator × 100 (None without a denominator)."""
    if numerator is None:
        return None
    if kind == "ratio":
        return numerator / denominator * 100 if denominator else None
    return numerator


def village_share(catalogue: Catalogue, village: str, shares: Mapping[str, float] | None = None) -> float:
    """A village's share of a commune flow/stock target: `shares[village]` when given, else 1/N villages.

    Equal shares are the default because the plan splits no target by village; a commune that
    agrees other splits (by households, by area) passes them here.
    """
    if shares and village in shares:
        return float(shares[village])
    return 1.0 / len(catalogue.villages)


def baseline_period(catalogue: Catalogue) -> str:
    """The month the catalogue baselines describe: the one before the plan starts (2025-12)."""
    return add_months(catalogue.commune.plan_start, -1)


def expected_at(baseline: float, base_index: int, target: float, phase_end: str, index: int) -> float:
    """The straight line from the baseline month to the target at the phase end, read at month `index`."""
    span = month_index(phase_end) - base_index
    if span <= 0:
        return target
    elapsed = min(max(index - base_index, 0), span)
    return baseline + (target - baseline) * elapsed / span


def _method(ind: Indicator, target: float | None, baseline: float | None) -> str:
    if ind.direction == "none" or target is None:
        return "none"
    if ind.direction == "up":
        return "up"
    # Lower is better: a flow target is a cumulative cap, as is a level allowed to rise to at most the target.
    if ind.kind == "flow" or (baseline is not None and target >= baseline):
        return "down_cap"
    return "down_level"


def assess(
    indicator: Indicator,
    catalogue: Catalogue,
    series: Series,
    month: str,
    phase: str | None = None,
    *,
    share: float = 1.0,
    place: str | None = None,
) -> Assessment:
    """Assess `indicator` at the end of `month` in `phase` (default: the phase the month falls in).

    `series` maps "YYYY-MM" to (numerator, denominator|None) summed over the place's rows; months
    after `month` are ignored, so an old month is assessed as it stood then. `share` scales the
    commune's flow/stock target (and a catalogue baseline of a stock) for one village.
    """
    m = month_index(month)
    values: dict[int, float] = {}
    figures: Figures | None = None
    for p, fig in series.items():
        i = month_index(p)
        if i > m:
            continue
        num, den = fig if isinstance(fig, tuple) else (fig, None)
        v = month_value(indicator.kind, num, den)
        if i == m:
            figures = (num, den)
        if v is not None:
            values[i] = v
    return assess_values(indicator, catalogue, values, month, phase, share=share, place=place, figures=figures)


def assess_values(
    indicator: Indicator,
    catalogue: Catalogue,
    values: Mapping[int, float],
    month: str,
    phase: str | None = None,
    *,
    share: float = 1.0,
    place: str | None = None,
    figures: Figures | None = None,
) -> Assessment:
    """assess() on month values already computed: {month_index: value} with no None and nothing
    after `month`; `figures` are the month's (numerator, denominator) shown beside the status."""
    kind = indicator.kind
    ph: Phase = catalogue.phase(phase) if phase else catalogue.phase_of(month)
    m = month_index(month)
    start = catalogue.commune.plan_start
    scale = share if kind in ("flow", "stock") else 1.0
    has_month, has_prev = m in values, (m - 1) in values
    last_i = max(values) if values else None

    # Actual.
    start_i = month_index(start)
    if kind == "flow":
        actual: float | None = sum(v for i, v in values.items() if i >= start_i)
        actual_i: int | None = m
    elif has_month or has_prev:
        actual_i = m if has_month else m - 1
        actual = values[actual_i]
    else:
        actual, actual_i = None, None

    # Baseline.
    base_i0 = month_index(baseline_period(catalogue))
    if kind == "flow":
        baseline, base_i, base_src = 0.0, base_i0, "flow"
    elif indicator.baseline is not None:
        baseline, base_i, base_src = indicator.baseline * scale, base_i0, "catalogue"
    elif values:
        base_i = min(values)
        baseline, base_src = values[base_i], "first"
    else:
        baseline, base_i, base_src = None, None, "first"

    tgt = indicator.target(ph.code)
    target = None if tgt is None else tgt.value * scale
    method = _method(indicator, target, baseline)
    end_i = month_index(ph.end)
    months_left = max(end_i - m, 0)

    expected = r = None
    months_elapsed = months_to_end = None
    note = ""
    if method != "none" and baseline is not None and base_i is not None:
        months_to_end = end_i - base_i
        months_elapsed = min(max(m - base_i, 0), max(months_to_end, 0))
        expected = expected_at(baseline, base_i, target, ph.end, m)

    no_data = not (has_month or has_prev)
    met = False
    if method == "none":
        st = STATUSES["chua_co" if no_data else "theo_doi"]
    elif no_data or actual is None:
        st = STATUSES["chua_co"]
    else:
        if method == "up":
            met = actual >= target
        elif method == "down_level":
            met = actual <= target
        else:  # a cap is only kept once the phase is over
            met = m >= end_i and actual <= target
        r, st, note = _ratio_and_status(method, actual, baseline, expected, target, met)

    pct = actual / target * 100 if actual is not None and target else None
    required = None
    if method != "none" and actual is not None and months_left > 0 and not met:
        required = (target - actual) / months_left
        if method == "down_cap":
            required = max(required, 0.0)  # once the cap is used up nothing more is allowed

    pace, pace_from = _current_pace(kind, values, m, actual_i, start_i, base_i, baseline)
    num, den = figures or (None, None)
    prev_value = values.get(m - 1)
    return Assessment(
        indicator=indicator.code,
        kind=kind,
        direction=indicator.direction,
        unit=indicator.unit,
        method=method,
        place=place,
        share=share,
        period=month,
        phase=ph.code,
        phase_end=ph.end,
        reported=has_month,
        month_value=values.get(m),
        numerator=num,
        denominator=den,
        previous_value=prev_value,
        change=values[m] - prev_value if has_month and has_prev else None,
        actual=actual,
        actual_period=None if actual_i is None else period_at(actual_i),
        last_period=None if last_i is None else period_at(last_i),
        last_value=None if last_i is None else values[last_i],
        baseline=baseline,
        baseline_period=None if base_i is None else period_at(base_i),
        baseline_source=base_src,
        target=target,
        target_source="" if tgt is None else tgt.source,
        commune_target=None if tgt is None else tgt.value,
        months_elapsed=months_elapsed,
        months_to_phase_end=months_to_end,
        months_left=months_left,
        expected=expected,
        r=r,
        pct_of_target=pct,
        status=st,
        required_pace=required,
        current_pace=pace,
        pace_from=pace_from,
        note=note,
    )


def _ratio_and_status(
    method: str, actual: float, baseline: float, expected: float, target: float, met: bool
) -> tuple[float | None, Status, str]:
    if method == "down_cap":
        room = target - expected
        r = (target - actual) / room if room > 0 else None
    else:
        gap = expected - baseline
        wanted = gap if method == "up" else -gap  # how far the plan expects it to have moved the good way
        r = (actual - baseline) / gap if wanted > 0 else None
    if met:
        return r, STATUSES["dat"], ""
    if r is not None:
        return r, status_from_ratio(r), ""
    # The plan expects no move yet (first month of a baseline taken from the data, or a target not
    # beyond the baseline): judge by the direction of travel alone.
    if method == "down_cap":
        ok = actual <= target
        note = "Không còn hạn mức để chia theo tháng: so thực hiện với mức trần."
    else:
        ok = actual >= baseline if method == "up" else actual <= baseline
        note = "Kỳ vọng đến nay bằng mức cơ sở: xét theo chiều thay đổi so với mức cơ sở."
    return None, STATUSES["dung" if ok else "di_xuong"], note


def _current_pace(
    kind: str,
    values: dict[int, float],
    m: int,
    actual_i: int | None,
    start_i: int,
    base_i: int | None,
    baseline: float | None,
) -> tuple[float | None, str | None]:
    if kind == "flow":
        window = range(max(m - 2, start_i), m + 1)
        if not window:
            return None, None
        # A missing month counts 0, as in the cumulative total.
        return sum(values.get(i, 0.0) for i in window) / len(window), period_at(window[0])
    if actual_i is None:
        return None, None
    points = {i: values[i] for i in range(actual_i - 3, actual_i + 1) if i in values}
    if base_i is not None and baseline is not None and actual_i - 3 <= base_i < actual_i:
        points.setdefault(base_i, baseline)
    if len(points) < 2:
        return None, None
    first, last = min(points), max(points)
    return (points[last] - points[first]) / (last - first), period_at(first)
