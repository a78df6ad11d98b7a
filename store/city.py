"""The city view: many communes' figures rolled up in SQL, from one DuckDB file or a folder of Parquet exports."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from ground.catalogue import Catalogue
from ground.months import month_index
from ground.statuses import ON_TRACK, SPEED_UP, STATUSES
from store.base import StoreBase, now_vietnam
from store.city_catalogue import STATUS_COLUMNS, catalogue_frame, export_frame
from store.connection import writer_lock

_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a commune code is used as a file name
EXPORTS = ("rollup_monthly", "figures", "target_overrides", "communes")

# The figures in force (as store/reads.py counts them) summed per commune, indicator and month.
_ROLLUP = """
    SELECT c.commune, o.indicator, o.period,
           CAST(left(o.period, 4) AS INTEGER) * 12 + CAST(substr(o.period, 6, 2) AS INTEGER) - 1 AS month,
           sum(o.value) AS value, sum(o.denominator) AS denominator, count(*)::INTEGER AS rows
    FROM observations o
    JOIN current_reports c ON c.upload_id = o.upload_id AND c.period = o.period AND c.indicator = o.indicator
    WHERE ($commune IS NULL OR c.commune = $commune)
    GROUP BY ALL
"""

# Which upload is in force for every key, as one number (each row's hash, XOR-ed: the rows are unique by key).
_KEYS_FINGERPRINT = """
    SELECT coalesce((bit_xor(hash(commune, kind, unit, period, indicator, upload_id)) >> 2)::BIGINT, 0)
           + count(*)
    FROM current_reports
"""

_FIGURES = """
    SELECT c.commune, o.indicator, o.period, o.village, o.dim, o.dim_value, sum(o.value) AS value,
           sum(o.denominator) AS denominator, count(*)::INTEGER AS rows
    FROM observations o
    JOIN current_reports c ON c.upload_id = o.upload_id AND c.period = o.period AND c.indicator = o.indicator
    WHERE c.commune = $commune
    GROUP BY ALL ORDER BY ALL
"""

# indicators.progress.assess() for every commune × indicator at once, on the monthly sums. Each CTE is one step of
# the method (docs: /phuong-phap): month values, actual, baseline, target (an admin's override wins), the plan's
# straight line, the progress ratio, the status. {catalogue} holds each commune's catalogue facts (its plan's first
# month, the month its baselines describe, targets of the phase). Parameters: $m the month, $phase, $indicator (NULL:
# all), $speed_up and $on_track (the thresholds). Written in the subset of DuckDB's SQL that sqlglot translates to
# Spark SQL (store/city_spark.py): FILTER clauses, arg_min (min_by), greatest/least, no GROUP BY ALL. A month's
# value is max(...) FILTER (WHERE month = $m), not any_value: the rollup has one row per commune × indicator × month
# so both give that row, and sqlglot turns DuckDB's any_value into "ANY_VALUE(x) IGNORE NULLS FILTER (...)", which
# Spark's parser refuses.
_STATUS = """
WITH cat AS (SELECT * FROM {catalogue} WHERE $indicator IS NULL OR indicator = $indicator),
overrides AS (SELECT commune, indicator, value, source FROM {overrides} WHERE phase = $phase),
v AS (
    SELECT r.commune, r.indicator, r.month, r.value AS num, r.denominator AS den, c.start_month,
           CASE WHEN c.kind <> 'ratio' THEN r.value
                WHEN r.denominator > 0 THEN r.value / r.denominator * 100 END AS v
    FROM {rollup} r JOIN cat c ON c.commune = r.commune AND c.indicator = r.indicator
    WHERE r.month <= $m
),
agg AS (
    SELECT commune, indicator,
           max(num) FILTER (WHERE month = $m) AS numerator,
           max(den) FILTER (WHERE month = $m) AS denominator,
           max(v) FILTER (WHERE month = $m) AS month_value,
           max(v) FILTER (WHERE month = $m - 1) AS previous_value,
           sum(v) FILTER (WHERE month >= start_month) AS flow_total,
           min(month) FILTER (WHERE v IS NOT NULL) AS first_month,
           arg_min(v, month) FILTER (WHERE v IS NOT NULL) AS first_value
    FROM v GROUP BY commune, indicator
),
base AS (
    SELECT c.commune, c.indicator, c.position, c.kind, c.direction, c.phase, c.end_month,
           a.numerator, a.denominator, a.month_value, a.previous_value,
           a.month_value IS NOT NULL OR a.previous_value IS NOT NULL AS recent,
           CASE WHEN c.kind = 'flow' THEN coalesce(a.flow_total, 0.0)
                ELSE coalesce(a.month_value, a.previous_value) END AS actual,
           CASE WHEN c.kind = 'flow' THEN 0.0 WHEN c.baseline IS NOT NULL THEN c.baseline
                ELSE a.first_value END AS baseline,
           CASE WHEN c.kind = 'flow' OR c.baseline IS NOT NULL THEN c.base_month ELSE a.first_month END
               AS baseline_month,
           CASE WHEN c.direction <> 'none' AND o.value IS NOT NULL THEN o.value ELSE c.target END AS target,
           CASE WHEN c.direction <> 'none' AND o.value IS NOT NULL THEN o.source ELSE c.target_source END
               AS target_source
    FROM cat c
    LEFT JOIN agg a ON a.commune = c.commune AND a.indicator = c.indicator
    LEFT JOIN overrides o ON o.commune = c.commune AND o.indicator = c.indicator
),
method AS (
    SELECT *,
           CASE WHEN direction = 'none' OR target IS NULL THEN 'none'
                WHEN direction = 'up' THEN 'up'
                WHEN kind = 'flow' OR (baseline IS NOT NULL AND target >= baseline) THEN 'down_cap'
                ELSE 'down_level' END AS method,
           greatest(end_month - $m, 0) AS months_left
    FROM base
),
line AS (
    SELECT *,
           CASE WHEN method = 'none' OR baseline IS NULL THEN NULL
                WHEN end_month - baseline_month <= 0 THEN target
                ELSE baseline + (target - baseline)
                     * least(greatest($m - baseline_month, 0), end_month - baseline_month)
                     / (end_month - baseline_month) END AS expected,
           method <> 'none' AND recent AND actual IS NOT NULL AS judged
    FROM method
),
ratio AS (
    SELECT *,
           CASE WHEN NOT judged THEN NULL
                WHEN method = 'down_cap'
                    THEN CASE WHEN target - expected > 0 THEN (target - actual) / (target - expected) END
                WHEN (CASE WHEN method = 'up' THEN expected - baseline ELSE baseline - expected END) > 0
                    THEN (actual - baseline) / (expected - baseline) END AS r,
           judged AND CASE WHEN method = 'up' THEN actual >= target
                           WHEN method = 'down_level' THEN actual <= target
                           ELSE $m >= end_month AND actual <= target END AS met
    FROM line
)
SELECT commune, indicator, kind, direction, method, phase, month_value, numerator, denominator, previous_value,
       actual, baseline, target, target_source, expected, r,
       CASE WHEN target <> 0 THEN actual / target * 100 END AS pct_of_target,
       CASE WHEN method = 'none' OR actual IS NULL OR months_left <= 0 OR met THEN NULL
            WHEN method = 'down_cap' THEN greatest((target - actual) / months_left, 0.0)
            ELSE (target - actual) / months_left END AS required_pace,
       CASE WHEN method = 'none' THEN CASE WHEN recent THEN 'theo_doi' ELSE 'chua_co' END
            WHEN NOT judged THEN 'chua_co'
            WHEN met THEN 'dat'
            WHEN r IS NOT NULL THEN CASE WHEN round(r, 9) < 0 THEN 'di_xuong'
                                         WHEN round(r, 9) < $speed_up THEN 'cham'
                                         WHEN round(r, 9) < $on_track THEN 'day_nhanh'
                                         ELSE 'dung' END
            WHEN method = 'down_cap' THEN CASE WHEN actual <= target THEN 'dung' ELSE 'di_xuong' END
            WHEN method = 'up' THEN CASE WHEN actual >= baseline THEN 'dung' ELSE 'di_xuong' END
            ELSE CASE WHEN actual <= baseline THEN 'dung' ELSE 'di_xuong' END
       END AS status
FROM ratio
"""

_RANKING = """
SELECT rank() OVER (ORDER BY CASE WHEN direction = 'down' THEN actual ELSE -actual END NULLS LAST)::INTEGER AS rank,
       *
FROM ({status}) ORDER BY rank, commune
"""

_TOTALS = """
SELECT indicator,
       count(*) FILTER (WHERE month = $m)::INTEGER AS communes,
       sum(value) FILTER (WHERE month = $m) AS value,
       sum(denominator) FILTER (WHERE month = $m) AS denominator,
       sum(value) FILTER (WHERE month BETWEEN $start AND $m) AS cumulative,
       sum(rows) FILTER (WHERE month = $m)::BIGINT AS rows
FROM {rollup} WHERE month <= $m GROUP BY indicator
"""

_SERIES = """
SELECT month, count(DISTINCT commune)::INTEGER AS communes, sum(value) AS value, sum(denominator) AS denominator
FROM {rollup} WHERE indicator = $indicator AND month <= $m GROUP BY month ORDER BY month
"""

# The status SQL's catalogue relation when every commune shares one catalogue (registered as city_catalogue).
_ONE_CATALOGUE = "(SELECT k.commune, f.* FROM (SELECT DISTINCT commune FROM {rollup}) k CROSS JOIN city_catalogue f)"
# ... and when each commune's export carries its own (communes/CODE.parquet, one row per indicator × phase).
_OWN_CATALOGUES = "(SELECT " + ", ".join(STATUS_COLUMNS) + " FROM {communes} WHERE phase = $phase)"


@dataclass(frozen=True)
class Relations:
    """Where the roll-up reads: SQL relations (a table, a view or a read_parquet call) of the monthly sums, the
    admins' targets and the catalogue facts (see _ONE_CATALOGUE and _OWN_CATALOGUES)."""

    rollup: str
    overrides: str
    catalogue: str


@dataclass(frozen=True)
class Query:
    """One roll-up statement in DuckDB's SQL and its named parameters: what either engine runs (DuckDB as it is,
    Spark after store/city_spark.py translates it)."""

    sql: str
    params: dict


def one_catalogue(rollup: str, overrides: str) -> Relations:
    """Relations for communes sharing one catalogue (register catalogue_frame() as city_catalogue)."""
    return Relations(rollup, overrides, _ONE_CATALOGUE.format(rollup=rollup))


def own_catalogues(rollup: str, overrides: str, communes: str) -> Relations:
    """Relations for communes whose exports carry their own catalogue facts (store/city_catalogue.export_frame)."""
    return Relations(rollup, overrides, _OWN_CATALOGUES.format(communes=communes))


def thresholds(month: str, phase: str, indicator: str | None = None) -> dict:
    """The parameters of the status and ranking statements."""
    return {"m": month_index(month), "phase": phase, "indicator": indicator, "speed_up": SPEED_UP, "on_track": ON_TRACK}


def status_query(rel: Relations, month: str, phase: str, indicator: str | None = None) -> Query:
    """indicators.assess() of every commune × indicator (or of one indicator) at `month`, in commune order then
    catalogue order."""
    sql = _STATUS.format(rollup=rel.rollup, overrides=rel.overrides, catalogue=rel.catalogue)
    return Query(sql + " ORDER BY commune, position", thresholds(month, phase, indicator))


def ranking_query(rel: Relations, indicator: str, month: str, phase: str) -> Query:
    """One indicator's communes, best first (highest actual; lowest for a lower-is-better one), communes without
    a figure last: rank (ties share one), then the status columns."""
    status = _STATUS.format(rollup=rel.rollup, overrides=rel.overrides, catalogue=rel.catalogue)
    return Query(_RANKING.format(status=status), thresholds(month, phase, indicator))


def series_query(rollup: str, indicator: str, month: str) -> Query:
    """Every commune summed per month for one indicator, up to `month`: month, communes, value, denominator."""
    return Query(_SERIES.format(rollup=rollup), {"m": month_index(month), "indicator": indicator})


def with_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The status code's Vietnamese label and its most-behind-first rank beside it."""
    frame["status_label"] = frame["status"].map({c: s.label for c, s in STATUSES.items()})
    frame["status_rank"] = frame["status"].map({c: s.rank for c, s in STATUSES.items()})
    return frame


def _phase(catalogue: Catalogue, month: str, phase: str | None) -> str:
    return phase or catalogue.phase_of(month).code


def status_table(
    con: duckdb.DuckDBPyConnection,
    rollup: str,
    overrides: str,
    catalogue: Catalogue,
    month: str,
    *,
    phase: str | None = None,
    indicator: str | None = None,
) -> pd.DataFrame:
    """The status of every commune × indicator at `month`, computed in SQL over the relation `rollup` (the
    monthly sums) with one catalogue for every commune; `overrides` is a relation of admins' targets (commune,
    indicator, phase, value, source)."""
    phase = _phase(catalogue, month, phase)
    con.register("city_catalogue", catalogue_frame(catalogue, phase))
    q = status_query(one_catalogue(rollup, overrides), month, phase, indicator)
    return with_labels(con.execute(q.sql, q.params).df())


def ranking_table(
    con: duckdb.DuckDBPyConnection,
    rollup: str,
    overrides: str,
    catalogue: Catalogue,
    indicator: str,
    month: str,
    *,
    phase: str | None = None,
) -> pd.DataFrame:
    """One indicator's communes, best first (see ranking_query), with one catalogue for every commune."""
    catalogue.indicator(indicator)  # KeyError for an unknown code, rather than an empty ranking
    phase = _phase(catalogue, month, phase)
    con.register("city_catalogue", catalogue_frame(catalogue, phase))
    q = ranking_query(one_catalogue(rollup, overrides), indicator, month, phase)
    return with_labels(con.execute(q.sql, q.params).df())


def totals_table(con: duckdb.DuckDBPyConnection, rollup: str, catalogue: Catalogue, month: str) -> pd.DataFrame:
    """Every commune summed per indicator at `month` (catalogue order): indicator, communes (with a figure that
    month), value, denominator (Σ, NaN without one), month_value (a ratio pooled: Σvalue ÷ Σdenominator × 100),
    cumulative (Σ from the plan's start through `month`; what a flow is judged on), rows."""
    params = {"m": month_index(month), "start": month_index(catalogue.commune.plan_start)}
    found = con.execute(_TOTALS.format(rollup=rollup), params).df()
    order = pd.DataFrame({"indicator": [i.code for i in catalogue.indicators]})
    out = order.merge(found, on="indicator", how="left")
    out["communes"] = out["communes"].fillna(0).astype(int)
    kinds = out["indicator"].map({i.code: i.kind for i in catalogue.indicators})
    den = out["denominator"].where(out["denominator"] > 0)
    out["month_value"] = out["value"].where(kinds != "ratio", out["value"] / den * 100)
    return out


class City(StoreBase):
    """Many communes in one DuckDB file: the pre-aggregated monthly sums, their status, rankings and exports."""

    @contextmanager
    def _city(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection whose rollup_monthly reflects every committed write (rebuilt first when it does not)."""
        with self.connect() as con:
            if self._rollup_stale(con):
                with writer_lock(self.path):
                    if self._rollup_stale(con):
                        self._refresh(con)
            yield con

    @staticmethod
    def _rollup_stale(con: duckdb.DuckDBPyConnection) -> bool:
        sql = "SELECT key, value FROM meta WHERE key IN ('data_version', 'rollup_version')"
        got = dict(con.execute(sql).fetchall())
        return got.get("rollup_version") != got.get("data_version")

    @staticmethod
    def _refresh(con: duckdb.DuckDBPyConnection) -> None:
        # Derived data only: data_version is not bumped, so the app's caches and the dashboards are unaffected.
        # The figures in force are the observations (never changed) of the uploads current_reports points at, so
        # an unchanged fingerprint of current_reports means an unchanged rollup: no rebuild after a login.
        con.execute("BEGIN TRANSACTION")
        try:
            keys = con.execute(_KEYS_FINGERPRINT).fetchall()[0][0]
            known = con.execute("SELECT value FROM meta WHERE key = 'rollup_keys'").fetchall()
            if not known or known[0][0] != keys:
                con.execute("DELETE FROM rollup_monthly")
                con.execute(f"INSERT INTO rollup_monthly {_ROLLUP}", {"commune": None})
                con.execute("UPDATE meta SET value = $keys WHERE key = 'rollup_keys'", {"keys": keys})
            con.execute(
                "UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'data_version') "
                "WHERE key = 'rollup_version'"
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def refresh_rollup(self) -> int:
        """Bring rollup_monthly up to date now (it is otherwise rebuilt on the first city read after a write);
        returns its row count."""
        with self._city() as con:
            return int(con.execute("SELECT count(*) FROM rollup_monthly").fetchone()[0])

    def rollup(self, commune: str | None = None) -> pd.DataFrame:
        """The pre-aggregated monthly sums (of `commune`, or of the store's commune, or of all communes when both
        are None), in no particular order: commune, indicator, period, month (month index), value, denominator,
        rows."""
        with self._city() as con:
            # Through Arrow: 5 million rows arrive in a fraction of the time .df() takes to build string columns.
            rel = con.sql(
                "SELECT * FROM rollup_monthly WHERE $commune IS NULL OR commune = $commune",
                params={"commune": self._commune(commune)},
            )
            return rel.to_arrow_table().to_pandas()

    def commune_targets(self) -> pd.DataFrame:
        """Every commune's admins' targets: commune, indicator, phase, value, source."""
        with self.connect() as con:
            return con.execute(
                "SELECT commune, indicator, phase, value, source FROM target_overrides ORDER BY ALL"
            ).df()

    def city_status(self, catalogue: Catalogue, month: str, *, phase: str | None = None) -> pd.DataFrame:
        """indicators.assess() of every commune × indicator at `month`, in SQL: commune, indicator, kind, direction,
        method, phase, month_value, numerator, denominator, previous_value, actual, baseline, target, target_source,
        expected, r, pct_of_target, required_pace, status (code), status_label, status_rank. Each commune's admins'
        targets replace the catalogue's, as the commune's own dashboard does."""
        with self._city() as con:
            return status_table(con, "rollup_monthly", "target_overrides", catalogue, month, phase=phase)

    def commune_ranking(
        self, catalogue: Catalogue, indicator: str, month: str, *, phase: str | None = None
    ) -> pd.DataFrame:
        """One indicator's communes at `month`, best first: rank and the city_status() columns."""
        with self._city() as con:
            return ranking_table(con, "rollup_monthly", "target_overrides", catalogue, indicator, month, phase=phase)

    def city_totals(self, catalogue: Catalogue, month: str) -> pd.DataFrame:
        """Every commune rolled up per indicator at `month` (see totals_table)."""
        with self._city() as con:
            return totals_table(con, "rollup_monthly", catalogue, month)

    def export_parquet(
        self, folder: str | os.PathLike, commune: str | None = None, *, catalogue: Catalogue | None = None
    ) -> list[Path]:
        """Write the figures in force of `commune` (default: the store's; None on both: every commune) as Parquet:
        FOLDER/rollup_monthly/CODE.parquet (the city view's input), FOLDER/figures/CODE.parquet (per village and
        breakdown, what the commune's dashboard reads), FOLDER/target_overrides/CODE.parquet and, given the
        commune's `catalogue`, FOLDER/communes/CODE.parquet: its name, the export's time and the catalogue facts
        a city needs to compute every status (store/city_catalogue.export_frame). Each file is written beside its
        final name and renamed, so a reader never sees half a file; communes/ last, so a city that sees the new
        identity file sees the new figures too. Returns the files."""
        root = Path(folder)
        written: list[Path] = []
        with self._city() as con:
            wanted = self._commune(commune)
            if catalogue is not None:
                wanted = wanted or catalogue.commune.code
                if wanted != catalogue.commune.code:
                    raise ValueError(f"danh mục của xã '{catalogue.commune.code}' không phải của xã '{wanted}'")
            every = "SELECT DISTINCT commune FROM uploads ORDER BY 1"
            codes = [wanted] if wanted else [r[0] for r in con.execute(every).fetchall()]
            for code in codes:
                if not _CODE.match(code or ""):
                    raise ValueError(f"mã xã '{code}' không dùng được làm tên tệp (chỉ chữ thường, số, '-', '_')")
                queries = {
                    "rollup_monthly": "SELECT * FROM rollup_monthly WHERE commune = $commune ORDER BY indicator, month",
                    "figures": _FIGURES,
                    "target_overrides": "SELECT * FROM target_overrides WHERE commune = $commune ORDER BY ALL",
                }
                if catalogue is not None:
                    con.register("export_catalogue", export_frame(catalogue, now_vietnam()))
                    queries["communes"] = "SELECT * FROM export_catalogue"
                for name, sql in queries.items():
                    target = root / name / f"{code}.parquet"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    partial = target.with_name(f".{code}.parquet.part")
                    _copy(con, sql, code, partial)
                    os.replace(partial, target)
                    written.append(target)
        return written


def _copy(con: duckdb.DuckDBPyConnection, sql: str, commune: str, path: Path) -> None:
    # COPY takes no parameters: the query is bound through a temporary view instead of pasting the commune in.
    con.execute(f"CREATE OR REPLACE TEMP VIEW export_rows AS {sql.replace('$commune', _literal(commune))}")
    con.execute(f"COPY export_rows TO {_literal(str(path))} (FORMAT parquet)")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
