"""What the city roll-up needs of a commune's catalogue, as rows: from a Catalogue, or as an export writes it."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ground.catalogue import Catalogue
from ground.months import add_months, month_index

# The columns the status SQL reads from its catalogue relation (one row per commune × indicator of one phase).
STATUS_COLUMNS = ("commune", "indicator", "position", "kind", "direction", "baseline", "phase", "end_month", "target",
                  "target_source", "start_month", "base_month")  # fmt: skip


def catalogue_frame(catalogue: Catalogue, phase: str) -> pd.DataFrame:
    """What the status SQL needs from the catalogue, one row per indicator in catalogue order: indicator, position,
    kind, direction, baseline (end of 2025, or NaN), phase, end_month (month index of the phase end), target,
    target_source (the catalogue's, for `phase`), start_month (the plan's first month) and base_month (the month
    the catalogue's baselines describe)."""
    ph = catalogue.phase(phase)
    start = catalogue.commune.plan_start
    rows = []
    for n, ind in enumerate(catalogue.indicators):
        t = ind.target(phase)
        rows.append(
            (ind.code, n, ind.kind, ind.direction, ind.baseline, phase, month_index(ph.end),
             None if t is None else float(t.value), "" if t is None else t.source, month_index(start),
             month_index(add_months(start, -1)))
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS[1:])).astype({"baseline": "float64", "target": "float64"})


def export_frame(catalogue: Catalogue, exported_at: datetime) -> pd.DataFrame:
    """The commune's identity and catalogue facts as `cli.py export` writes them (communes/CODE.parquet): one row
    per indicator × phase, so a city computes every status without the commune's catalogue.toml. Columns: commune,
    commune_name, city, exported_at, plan_start, then per phase (phase, phase_name, phase_start, phase_end) and per
    indicator (indicator_name, short, unit, sector, the status columns)."""
    c = catalogue.commune
    frames = []
    for ph in catalogue.phases:
        f = catalogue_frame(catalogue, ph.code)
        f.insert(0, "commune", c.code)
        f.insert(1, "commune_name", c.name)
        f.insert(2, "city", c.city)
        f.insert(3, "exported_at", pd.Timestamp(exported_at))
        f.insert(4, "plan_start", c.plan_start)
        f["phase_name"], f["phase_start"], f["phase_end"] = ph.name, ph.start, ph.end
        for column, attr in (("indicator_name", "name"), ("short", "short"), ("unit", "unit"), ("sector", "sector")):
            f[column] = [getattr(i, attr) for i in catalogue.indicators]
        frames.append(f)
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"position": "int32", "end_month": "int32", "start_month": "int32", "base_month": "int32"})
