"""What changed since figures were frozen: each commune figure whose live value differs from a snapshot's (pure)."""

from __future__ import annotations

import math

import pandas as pd

from ground.catalogue import Catalogue
from indicators import month_value, series_by_place

COLUMNS = ["indicator", "name", "unit", "period", "frozen", "live"]


def _month_values(monthly: pd.DataFrame, catalogue: Catalogue) -> dict[tuple[str, str], float | None]:
    kinds = {i.code: i.kind for i in catalogue.indicators}
    out: dict[tuple[str, str], float | None] = {}
    for (code, place), series in series_by_place(monthly, villages=False).items():
        if place is None and code in kinds:
            for period, (num, den) in series.items():
                out[(code, period)] = month_value(kinds[code], num, den)
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def differences(frozen: pd.DataFrame, live: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Commune figures (a month's value: a flow's amount, a ratio's pooled share, a stock's level) that differ
    between frozen and live Store.monthly() rows, in catalogue order then by month: indicator, name, unit,
    period, frozen, live (None where that side has no figure)."""
    old, new = _month_values(frozen, catalogue), _month_values(live, catalogue)
    order = {i.code: n for n, i in enumerate(catalogue.indicators)}
    rows = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (order[k[0]], k[1])):
        a, b = old.get(key), new.get(key)
        if not _same(a, b):
            ind = catalogue.indicator(key[0])
            rows.append((key[0], ind.short, ind.unit, key[1], a, b))
    return pd.DataFrame(rows, columns=COLUMNS)
