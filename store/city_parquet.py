"""The city view over a folder of communes' Parquet exports, read by DuckDB in memory: no database file needed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from ground.catalogue import Catalogue
from ground.months import period_at
from store.city import (
    Query,
    Relations,
    own_catalogues,
    ranking_query,
    ranking_table,
    series_query,
    status_query,
    status_table,
    totals_table,
    with_labels,
)
from store.city_files import CityFiles, CityFolderError, check, literal, parquet_list, scan

EMPTY_ROLLUP = ("(SELECT NULL::VARCHAR AS commune, NULL::VARCHAR AS indicator, NULL::VARCHAR AS period, "
                "NULL::INTEGER AS month, NULL::DOUBLE AS value, NULL::DOUBLE AS denominator, NULL::INTEGER AS rows "
                "WHERE false)")  # fmt: skip
EMPTY_OVERRIDES = ("(SELECT NULL::VARCHAR AS commune, NULL::VARCHAR AS indicator, NULL::VARCHAR AS phase, "
                   "NULL::DOUBLE AS value, NULL::VARCHAR AS source WHERE false)")  # fmt: skip


def phase_of(phases: pd.DataFrame, month: str) -> str:
    """The phase a month falls in, as Catalogue.phase_of: the first whose end has not passed (the last one after)."""
    for row in phases.itertuples():
        if month <= row.phase_end:
            return row.phase
    return phases["phase"].iloc[-1]


class ParquetCity:
    """The city view over a folder of communes' Parquet exports (Store.export_parquet), without a database file:
    the same status, ranking and totals, read by DuckDB straight from the files. Given a catalogue, every commune
    is judged by it; given None, each by the catalogue facts its own export carries (communes/CODE.parquet)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        # What was checked of the files as they were (their names, mtimes and sizes): thousands of small files are
        # checked once per change, not once per call (3.321 communes: ~7.000 files).
        self._stamp: tuple | None = None
        self._figures_checked = False
        self._ids: pd.DataFrame | None = None
        self._facts: pd.DataFrame | None = None

    def files(self) -> CityFiles:
        """The export files now in the folder (CityFolderError when there is none)."""
        return scan(self.folder)

    @contextmanager
    def _connect(self, identity: bool) -> Iterator[tuple[duckdb.DuckDBPyConnection, CityFiles, pd.DataFrame | None]]:
        files = self.files()
        con = duckdb.connect(":memory:")
        try:
            yield con, files, self._checked(con, files, identity)
        finally:
            con.close()

    def _checked(self, con: duckdb.DuckDBPyConnection, files: CityFiles, identity: bool) -> pd.DataFrame | None:
        stamp = files.fingerprint()
        if stamp != self._stamp:
            self._stamp, self._figures_checked, self._ids, self._facts = stamp, False, None, None
        if not self._figures_checked or (identity and self._ids is None):
            ids = check(con, files, identity=identity)
            self._figures_checked = True
            if identity:
                self._ids = ids
        return self._ids.copy() if identity else None

    @staticmethod
    def _rollup(files: CityFiles) -> str:
        return f"read_parquet({parquet_list(files.rollup)}, union_by_name = true)" if files.rollup else EMPTY_ROLLUP

    @staticmethod
    def _overrides(files: CityFiles) -> str:
        if not files.overrides:
            return EMPTY_OVERRIDES
        return f"read_parquet({parquet_list(files.overrides)}, union_by_name = true)"

    @classmethod
    def relations(cls, files: CityFiles) -> Relations:
        """The relations of the roll-up when each commune is judged by its own export's catalogue facts."""
        communes = f"read_parquet({parquet_list(files.communes)}, union_by_name = true)"
        return own_catalogues(cls._rollup(files), cls._overrides(files), communes)

    def _run(self, con: duckdb.DuckDBPyConnection, q: Query, ids: pd.DataFrame) -> pd.DataFrame:
        out = with_labels(con.execute(q.sql, q.params).df())
        names = out["commune"].map(ids.set_index("commune")["commune_name"])
        out.insert(out.columns.get_loc("commune") + 1, "commune_name", names)
        return out

    def _need_rollup(self, files: CityFiles) -> None:
        if not files.rollup:
            raise CityFolderError(f"không có tệp Parquet nào trong {self.folder / 'rollup_monthly'}")

    # ------------------------------------------------------------ what the exports say

    def communes(self) -> pd.DataFrame:
        """One row per commune that exported: commune, commune_name, city, exported_at (Vietnam time), plan_start,
        last_period (its latest month with a figure, None without one)."""
        with self._connect(True) as (con, files, ids):
            if files.rollup:
                sql = f"SELECT commune, max(period) AS last_period FROM {self._rollup(files)} GROUP BY commune"
                last = con.execute(sql).df()
                ids = ids.merge(last, on="commune", how="left")
            else:
                ids = ids.assign(last_period=None)
            return ids

    def catalogue_facts(self) -> pd.DataFrame:
        """The catalogue facts every export carries, one row per commune × phase × indicator."""
        with self._connect(True) as (con, files, _):
            if self._facts is None:
                sql = f"SELECT * FROM read_parquet({parquet_list(files.communes)}, union_by_name = true)"
                self._facts = con.execute(sql).df()
            return self._facts.copy()

    def indicators(self) -> pd.DataFrame:
        """The indicators the communes report, in catalogue order: indicator, indicator_name, short, unit, kind,
        direction (as the first commune, by code, describes them)."""
        facts = self.catalogue_facts().sort_values(["commune", "position"], kind="stable")
        cols = ["indicator", "indicator_name", "short", "unit", "kind", "direction", "position"]
        return facts.drop_duplicates("indicator")[cols].sort_values("position", ignore_index=True)

    def phases(self) -> pd.DataFrame:
        """The plan's phases as the exports describe them: phase, phase_name, phase_start, phase_end."""
        facts = self.catalogue_facts()
        cols = ["phase", "phase_name", "phase_start", "phase_end"]
        return facts.drop_duplicates("phase")[cols].sort_values("phase_start", ignore_index=True)

    def periods(self) -> list[str]:
        """Every month some commune has a figure for, oldest first."""
        with self._connect(False) as (con, files, _):
            if not files.rollup:
                return []
            sql = f"SELECT DISTINCT period FROM {self._rollup(files)} ORDER BY 1"
            return [r[0] for r in con.execute(sql).fetchall()]

    # ------------------------------------------------------------ the roll-up

    def city_status(
        self, catalogue: Catalogue | None, month: str, *, phase: str | None = None, indicator: str | None = None
    ) -> pd.DataFrame:
        """As Store.city_status, from the files. With catalogue None each commune is judged by its own export's
        catalogue facts, and commune_name follows commune."""
        if catalogue is not None:
            with self._connect(False) as (con, files, _):
                self._need_rollup(files)
                return status_table(con, self._rollup(files), self._overrides(files), catalogue, month, phase=phase,
                                    indicator=indicator)  # fmt: skip
        phase = phase or phase_of(self.phases(), month)
        with self._connect(True) as (con, files, ids):
            return self._run(con, status_query(self.relations(files), month, phase, indicator), ids)

    def commune_ranking(
        self, catalogue: Catalogue | None, indicator: str, month: str, *, phase: str | None = None
    ) -> pd.DataFrame:
        """As Store.commune_ranking, from the files (catalogue None: each commune's own catalogue facts)."""
        if catalogue is not None:
            with self._connect(False) as (con, files, _):
                self._need_rollup(files)
                return ranking_table(con, self._rollup(files), self._overrides(files), catalogue, indicator, month,
                                     phase=phase)  # fmt: skip
        if indicator not in set(self.indicators()["indicator"]):
            raise KeyError(indicator)
        phase = phase or phase_of(self.phases(), month)
        with self._connect(True) as (con, files, ids):
            return self._run(con, ranking_query(self.relations(files), indicator, month, phase), ids)

    def city_totals(self, catalogue: Catalogue, month: str) -> pd.DataFrame:
        """As Store.city_totals, from the files."""
        with self._connect(False) as (con, files, _):
            self._need_rollup(files)
            return totals_table(con, self._rollup(files), catalogue, month)

    def city_series(self, indicator: str, month: str) -> pd.DataFrame:
        """Every commune summed per month for one indicator, up to `month`: period, month, communes, value,
        denominator, cumulative (Σ value from the first month shown)."""
        with self._connect(False) as (con, files, _):
            if not files.rollup:
                return pd.DataFrame(columns=["period", "month", "communes", "value", "denominator", "cumulative"])
            q = series_query(self._rollup(files), indicator, month)
            out = con.execute(q.sql, q.params).df()
        out.insert(0, "period", out["month"].map(period_at))
        out["cumulative"] = out["value"].cumsum()
        return out


__all__ = ["EMPTY_OVERRIDES", "EMPTY_ROLLUP", "CityFolderError", "ParquetCity", "literal", "phase_of"]
