"""Assess every indicator at once from the store's DataFrame, and the tables the charts draw."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ground.catalogue import Catalogue, Indicator
from ground.months import month_index, months_between, period_at
from indicators.progress import (
    Assessment,
    Series,
    assess_values,
    baseline_period,
    expected_at,
    month_value,
    village_share,
)

COMMUNE = None  # the place key of the whole commune in series_by_place()


@dataclass(frozen=True)
class _Grid:
    """Observations summed per (indicator, place) group and month, as dense matrices [group, month]."""

    groups: list[tuple[str, str | None]]
    periods: list[str]  # sorted
    indexes: np.ndarray  # month index of each period
    numerator: np.ndarray
    denominator: np.ndarray  # NaN where no row carried one
    present: np.ndarray  # bool: some row exists for the group and month


def _grid(observations: pd.DataFrame, villages: bool) -> _Grid:
    # Factorised integer keys and bincount sums: a pandas groupby on three string columns took
    # most of the 100 ms budget for 25 indicators × 60 months × 21 places.
    obs = observations[observations["value"].notna()]
    ind_codes, ind_names = pd.factorize(obs["indicator"])
    per_codes, per_names = pd.factorize(obs["period"].astype(str))
    indexes = np.array([month_index(p) for p in per_names], dtype=np.int64)
    order = np.argsort(indexes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    col = rank[per_codes]
    n_p, n_i = len(per_names), len(ind_names)
    num = obs["value"].to_numpy(dtype=float)
    den = np.full(len(obs), np.nan)
    if "denominator" in obs:
        den = obs["denominator"].to_numpy(dtype=float, na_value=np.nan)
    has_den = ~np.isnan(den)
    den0 = np.where(has_den, den, 0.0)

    groups: list[tuple[str, str | None]] = [(str(c), COMMUNE) for c in ind_names]
    keys, n_groups = [ind_codes * n_p + col], [n_i]
    if villages and "village" in obs:
        vil = obs["village"].where(obs["village"] != "")
        vil_codes, vil_names = pd.factorize(vil)
        n_v = len(vil_names)
        ok = vil_codes >= 0
        keys.append(np.where(ok, (n_i + ind_codes * n_v + vil_codes) * n_p + col, -1))
        n_groups.append(n_i * n_v)
        groups += [(str(i), str(v)) for i in ind_names for v in vil_names]
    size = sum(n_groups) * n_p
    sums = [np.zeros(size), np.zeros(size), np.zeros(size), np.zeros(size)]
    for key in keys:
        ok = key >= 0
        k = key[ok]
        for acc, w in zip(sums, (num[ok], den0[ok], has_den[ok], None), strict=True):
            acc += np.bincount(k, weights=w, minlength=size)
    num_m, den_m, den_n, rows = (a.reshape(-1, n_p) for a in sums)
    return _Grid(
        groups=groups,
        periods=[str(per_names[j]) for j in order],
        indexes=indexes[order],
        numerator=num_m,
        denominator=np.where(den_n > 0, den_m, np.nan),
        present=rows > 0,
    )


def series_by_place(observations: pd.DataFrame, *, villages: bool = True) -> dict[tuple[str, str | None], Series]:
    """{(indicator, place): {period: (Σvalue, Σdenominator|None)}} from rows [indicator, period, value,
    denominator(, village)]. Place None is the whole commune (every row); with `villages`, each village
    code also gets its own rows' sums. Sums are pooled, so a ratio is Σnumerator ÷ Σdenominator."""
    if observations.empty:
        return {}
    g = _grid(observations, villages)
    out: dict[tuple[str, str | None], Series] = {}
    for row, key in enumerate(g.groups):
        cols = np.flatnonzero(g.present[row])
        if len(cols):
            nums, dens = g.numerator[row, cols].tolist(), g.denominator[row, cols].tolist()
            pairs = zip(cols.tolist(), nums, dens, strict=True)
            out[key] = {g.periods[c]: (n, None if math.isnan(d) else d) for c, n, d in pairs}
    return out


def assess_all(
    observations: pd.DataFrame,
    catalogue: Catalogue,
    month: str,
    *,
    phase: str | None = None,
    villages: bool = False,
    shares: Mapping[str, float] | None = None,
    indicators: Iterable[str] | None = None,
) -> list[Assessment]:
    """One Assessment per catalogue indicator for the commune and, with `villages`, one per catalogue
    village for each indicator reported by village at least once (indicators kept by field or by unit,
    such as procedures or OCOP, get no village rows). Rows [indicator, period, value, denominator(,
    village)] as the store gives them; rows after `month` are ignored. Catalogue order throughout."""
    wanted = set(indicators) if indicators is not None else None
    m = month_index(month)
    kinds = {i.code: i.kind for i in catalogue.indicators}
    data: dict[tuple[str, str | None], tuple[dict[int, float], tuple | None]] = {}
    if not observations.empty:
        g = _grid(observations, villages)
        upto = g.indexes <= m
        at_m = np.flatnonzero(g.indexes == m)
        is_ratio = np.array([kinds.get(ind) == "ratio" for ind, _ in g.groups])
        with np.errstate(divide="ignore", invalid="ignore"):
            share_pct = g.numerator / g.denominator * 100
        ratio_ok = g.present & (g.denominator > 0)
        value = np.where(is_ratio[:, None], share_pct, g.numerator)
        valid = np.where(is_ratio[:, None], ratio_ok, g.present) & upto
        for row in np.flatnonzero(g.present[:, upto].any(axis=1)).tolist():
            cols = np.flatnonzero(valid[row])
            values = dict(zip(g.indexes[cols].tolist(), value[row, cols].tolist(), strict=True))
            figures = None
            if len(at_m) and g.present[row, at_m[0]]:
                d = float(g.denominator[row, at_m[0]])
                figures = (float(g.numerator[row, at_m[0]]), None if math.isnan(d) else d)
            data[g.groups[row]] = (values, figures)
    with_villages = {ind for ind, place in data if place is not COMMUNE}
    empty: tuple[dict[int, float], None] = ({}, None)
    out = []
    for ind in catalogue.indicators:
        if wanted is not None and ind.code not in wanted:
            continue
        values, figures = data.get((ind.code, COMMUNE), empty)
        out.append(assess_values(ind, catalogue, values, month, phase, figures=figures))
        if villages and ind.code in with_villages:
            for v in catalogue.villages:
                values, figures = data.get((ind.code, v.code), empty)
                share = village_share(catalogue, v.code, shares)
                out.append(
                    assess_values(ind, catalogue, values, month, phase, share=share, place=v.code, figures=figures)
                )
    return out


def most_behind_first(assessments: Iterable[Assessment]) -> list[Assessment]:
    """Sorted by status severity (Đi xuống first), then by progress ratio, lowest first."""
    return sorted(assessments, key=lambda a: (a.status.rank, math.inf if a.r is None else a.r))


def to_frame(assessments: Iterable[Assessment], catalogue: Catalogue | None = None) -> pd.DataFrame:
    """One row per assessment (Assessment.as_dict()); with the catalogue also the indicator's `name`,
    `short`, `sector`, `responsible` and the place's `place_name` ("Xã An Phú" for the commune)."""
    rows = [a.as_dict() for a in assessments]
    frame = pd.DataFrame(rows)
    if catalogue is not None and rows:
        inds = {i.code: i for i in catalogue.indicators}
        villages = {v.code: v.name for v in catalogue.villages}
        for col in ("name", "short", "sector", "responsible"):
            frame[col] = [getattr(inds[c], col) for c in frame["indicator"]]
        frame["place_name"] = [catalogue.commune.name if p is None else villages.get(p, p) for p in frame["place"]]
    return frame


def series_frame(
    indicator: Indicator,
    catalogue: Catalogue,
    series: Series,
    month: str,
    *,
    share: float = 1.0,
    until: str | None = None,
) -> pd.DataFrame:
    """Month by month from the baseline month to `until` (default: the end of the phase `month` is in):
    period; value (the month's figure); actual (flow: cumulative; else the level) up to `month`;
    expected (the plan's straight line towards each month's phase target, as assess() uses); phase;
    target (that phase's target for this place). Months without figures hold NaN."""
    kind = indicator.kind
    scale = share if kind in ("flow", "stock") else 1.0
    m = month_index(month)
    values = {}
    for p, fig in series.items():
        num, den = fig if isinstance(fig, tuple) else (fig, None)
        v = month_value(kind, num, den)
        if v is not None:
            values[month_index(p)] = v
    base_p = baseline_period(catalogue)
    if kind == "flow":
        baseline, base_i = 0.0, month_index(base_p)
    elif indicator.baseline is not None:
        baseline, base_i = indicator.baseline * scale, month_index(base_p)
    else:
        seen = [i for i in values if i <= m]
        base_i = min(seen) if seen else None
        baseline = values[base_i] if seen else None
    until = until or catalogue.phase_of(month).end
    first = min(month_index(base_p), *(values or [month_index(base_p)]))
    start_i = month_index(catalogue.commune.plan_start)
    rows, total = [], 0.0
    for p in months_between(period_at(first), until):
        i = month_index(p)
        ph = catalogue.phase_of(p)
        tgt = indicator.target(ph.code)
        target = None if tgt is None or indicator.direction == "none" else tgt.value * scale
        v = values.get(i) if i <= m else None
        if kind == "flow":
            total += values.get(i, 0.0) if start_i <= i <= m else 0.0
            # The cumulative line starts from 0 at the baseline month, as the expected path does.
            actual = total if start_i - 1 <= i <= m else None
        else:
            actual = v
        expected = None
        if target is not None and baseline is not None and i >= base_i:
            expected = expected_at(baseline, base_i, target, ph.end, i)
        rows.append((p, v, actual, expected, ph.code, target))
    frame = pd.DataFrame(rows, columns=["period", "value", "actual", "expected", "phase", "target"])
    return frame.astype({c: "float64" for c in ("value", "actual", "expected", "target")})


def targets_frame(indicator: Indicator, catalogue: Catalogue, *, share: float = 1.0) -> pd.DataFrame:
    """The phase targets of this place: phase, name, start, end, target, source (empty when none)."""
    scale = share if indicator.kind in ("flow", "stock") else 1.0
    rows = []
    for ph in catalogue.phases:
        t = indicator.target(ph.code)
        if t is not None and indicator.direction != "none":
            rows.append((ph.code, ph.name, ph.start, ph.end, t.value * scale, t.source))
    return pd.DataFrame(rows, columns=["phase", "name", "start", "end", "target", "source"])
