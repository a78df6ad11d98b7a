"""Synthetic city data for benchmarks and scale tests: many communes' monthly reports generated inside DuckDB."""

from __future__ import annotations

import pandas as pd

from ground.catalogue import Catalogue
from ground.months import months_between
from store.base import StoreBase

# Every (commune, indicator, month) is reported except ~GAP_PERCENT of them, and a few communes stop reporting
# some indicators for the last LATE_MONTHS: the status table then meets "Chưa có số liệu" and last month's level.
GAP_PERCENT = 3
LATE_MONTHS = 2

_KEPT = """
CREATE TEMP TABLE kept AS
SELECT c.n AS cn, c.code AS commune, c.pace, c.start_share, i.n AS i_n, i.code AS indicator, i.kind, i.unit,
       c.n * $units + i.unit_no + 1 AS upload_id, i.per_village, i.target_share, p.n AS month, p.period
FROM communes c, ind i, months p
WHERE hash(c.n, i.n, p.n, $seed) % 100 >= $gap AND NOT (c.n % 23 = 5 AND i.n % 4 = 0 AND p.n >= $months - $late)
"""

# Three uniform draws in [0, 1) from one hash per row: the same seed gives the same database, at any size.
_OBSERVATIONS = """
INSERT INTO observations
SELECT upload_id, commune, indicator, period, village, '', '',
       CASE kind
           WHEN 'flow' THEN floor(per_village * pace * (0.5 + u1) + u2)
           WHEN 'ratio' THEN round(den * least(1.0, greatest(0.0,
                start_share + (target_share - start_share) * pace * (month + 1) / $months + (u1 - 0.5) * 0.06)))
           ELSE floor(per_village * pace * (0.2 + 0.8 * (month + 1) / $months) * (0.6 + 0.8 * u1) + u2)
       END,
       CASE WHEN kind = 'ratio' THEN den END,
       'Tổng hợp', row
FROM (SELECT *, (h % 1000000) / 1e6 AS u1, ((h >> 20) % 1000000) / 1e6 AS u2, 50 + (h >> 40) % 300 AS den
      FROM (SELECT k.*, v.code AS village, v.n + 7 AS row, hash(k.cn, k.i_n, k.month, v.n, $seed) AS h
            FROM kept k, vil v))
"""

_CURRENT = """
INSERT INTO current_reports
SELECT commune, 'bang_thang', unit, period, indicator, upload_id, TIMESTAMP '2031-01-05 08:00:00' FROM kept
"""

_UPLOADS = """
INSERT INTO uploads (id, commune, file_name, sha256, size, content_sha256, kind, unit, periods, indicators, sheets,
                     rows, register_rows, title, signed_on, uploaded_by, uploaded_at, warnings)
SELECT c.n * $units + u.unit_no + 1, c.code, 'tong-hop-' || u.unit || '.xlsx', 'synthetic', 0, 'synthetic',
       'bang_thang', u.unit, $periods, u.indicators, ['Tổng hợp'], 0, 0, 'DỮ LIỆU TỔNG HỢP (thử quy mô)',
       DATE '2031-01-05', 'synthetic', TIMESTAMP '2031-01-05 08:00:00', '[]'
FROM communes c, units u
"""


class Synthetic(StoreBase):
    """Fills an empty database with many communes: used by bench/city.py and tests/test_city.py only."""

    def fill_synthetic(
        self, catalogue: Catalogue, communes: int, first: str = "2026-01", last: str = "2030-12", *, seed: int = 1
    ) -> int:
        """Monthly reports of every catalogue indicator for every catalogue village of `communes` communes
        ('xa-0000', 'xa-0001', …), one report per (commune, responsible unit) holding every month, with gaps
        (see GAP_PERCENT), communes from well behind to ahead of plan, and admins' targets in a few communes.
        Built with generate_series-style joins inside DuckDB (no Python loop over rows). Returns the observations
        written."""
        periods = months_between(first, last)
        units = list(dict.fromkeys(i.responsible for i in catalogue.indicators))
        ind = pd.DataFrame(
            [
                (n, i.code, i.kind, i.responsible, units.index(i.responsible), *_scale(i, catalogue, len(periods)))
                for n, i in enumerate(catalogue.indicators)
            ],
            columns=["n", "code", "kind", "unit", "unit_no", "per_village", "target_share"],
        )
        params = {"seed": seed, "units": len(units), "months": len(periods), "gap": GAP_PERCENT, "late": LATE_MONTHS}
        with self.transaction() as tx:
            con = tx.con
            if con.execute("SELECT count(*) FROM uploads").fetchall()[0][0]:
                raise ValueError("fill_synthetic needs an empty database")
            con.register("ind", ind)
            villages = [v.code for v in catalogue.villages]
            con.register("vil", pd.DataFrame({"n": range(len(villages)), "code": villages}))
            con.register("units", pd.DataFrame({
                "unit_no": range(len(units)), "unit": units,
                "indicators": [[i.code for i in catalogue.indicators if i.responsible == u] for u in units],
            }))  # fmt: skip
            con.register("months", pd.DataFrame({"n": range(len(periods)), "period": periods}))
            con.execute(
                "CREATE TEMP TABLE communes AS SELECT range AS n, printf('xa-%04d', range) AS code, "
                "0.4 + 1.2 * (hash(range, $seed) % 1000) / 1000 AS pace, "
                "0.2 + 0.4 * (hash($seed, range) % 1000) / 1000 AS start_share FROM range($n)",
                {"n": communes, "seed": seed},
            )
            con.execute(_UPLOADS, {"units": len(units), "periods": periods})
            con.execute(_KEPT, params)
            con.execute(_CURRENT)
            con.execute(_OBSERVATIONS, {"months": len(periods), "seed": seed})
            # An admin in every 10th commune raised the targets of the higher-is-better indicators.
            con.register("overrides", _overrides(catalogue))
            con.execute(
                "INSERT INTO target_overrides SELECT c.code, o.indicator, o.phase, o.value, o.source, 'synthetic', "
                "TIMESTAMP '2031-01-05 08:00:00' FROM communes c, overrides o WHERE c.n % 10 = 3"
            )
            return int(con.execute("SELECT count(*) FROM observations").fetchone()[0])


def _scale(ind, catalogue: Catalogue, months: int) -> tuple[float, float]:
    """(per-village monthly amount or level that meets the last phase target at pace 1, target share 0-1)."""
    last = catalogue.phases[-1].code
    t = ind.target(last)
    target = t.value if t is not None else 20.0
    villages = len(catalogue.villages)
    if ind.kind == "ratio":
        return 0.0, min(target, 100.0) / 100
    if ind.kind == "flow":
        return target / months / villages, 0.0
    return target / villages, 0.0


def _overrides(catalogue: Catalogue) -> pd.DataFrame:
    rows = [
        (i.code, t.phase, round(t.value * 1.2, 1) if i.kind != "ratio" else min(t.value + 5, 100.0))
        for i in catalogue.indicators
        if i.direction == "up"
        for t in i.targets
    ]
    return pd.DataFrame(rows, columns=["indicator", "phase", "value"]).assign(source="Nghị quyết HĐND xã (thử)")
