"""Cached access to the store for the pages: one snapshot per state of the database file, derived frames per view.

Every cache is keyed by `Store.file_stamp()` (mtime and size of the file and its WAL, read without opening
the database), so an import from the command line shows on the next page load, and the database is opened
only briefly when the stamp has changed.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import frozen
from ground import fmt
from ground.catalogue import Catalogue, CatalogueError, load_catalogue
from indicators import add_months, assess_all, series_by_place, to_frame
from store import SnapshotInfo, Store, StoreBusy, default_db_path
from views import privacy

Stamp = tuple[int, ...]
BUSY_TIMEOUT = 8.0  # seconds a page waits for an import to finish before saying the database is busy


# Where app_pages/session.py keeps who reads this run (a User, or None for a visitor).
VIEWER = "auth_viewer"
UNREADABLE_PUBLIC = "Chi tiết lỗi đã được ghi lại cho quản trị viên (đăng nhập để xem)."
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """What every page reads, for one state of the database. Frames are shared between sessions:
    never modify them in place."""

    path: Path
    stamp: Stamp
    catalogue: Catalogue | None  # with the admins' targets in force; None when the catalogue is broken
    monthly: pd.DataFrame = field(default_factory=pd.DataFrame)  # Store.monthly()
    reports: pd.DataFrame = field(default_factory=pd.DataFrame)  # Store.indicator_reports()
    months: tuple[str, ...] = ()  # months with a figure, oldest first
    problem: str | None = None  # why the database or the catalogue could not be read (shown as is)
    problem_kind: str | None = None  # "busy" | "catalogue" | "unreadable"
    frozen: SnapshotInfo | None = None  # the snapshot shown (?snapshot=ID, app_pages/frozen.py); None: figures in force

    @property
    def empty(self) -> bool:
        return not self.months

    @property
    def latest(self) -> str | None:
        return self.months[-1] if self.months else None

    @property
    def updated_at(self) -> pd.Timestamp | None:
        if self.reports.empty:
            return None
        return self.reports["uploaded_at"].max()

    def store(self) -> Store:
        return app_store(self.path, self.catalogue)


def db_path() -> Path:
    return default_db_path()


def app_store(path: Path, catalogue: Catalogue | None = None) -> Store:
    commune = catalogue.commune.code if catalogue else None
    return Store(path, commune=commune, timeout=BUSY_TIMEOUT)


def _catalogue_key() -> tuple[str, int]:
    cat = load_catalogue()
    return str(cat.path), cat.path.stat().st_mtime_ns


def snapshot() -> Snapshot:
    """The current snapshot: cached until the database file or the catalogue changes.
    A missing database file is an empty one (and is not created here)."""
    return _read(frozen.chosen_id())


def live_snapshot() -> Snapshot:
    """The figures in force, whatever a session is viewing: what app_pages/warmup.py reads before any session."""
    return _read(None)


def _read(snapshot_id: int | None) -> Snapshot:
    path = db_path()
    try:
        cat_key = _catalogue_key()
    except CatalogueError as exc:
        return Snapshot(path, (), None, problem=str(exc), problem_kind="catalogue")
    stamp = Store(path).file_stamp()
    if stamp[0] == 0:
        return Snapshot(path, stamp, load_catalogue())
    try:
        if snapshot_id is not None:
            return _frozen_snapshot(str(path), stamp, cat_key, snapshot_id)
        return _snapshot(str(path), stamp, cat_key)
    except StoreBusy:
        return Snapshot(path, stamp, load_catalogue(), problem_kind="busy")
    except Exception as exc:  # a damaged file or a database from a newer version: say so, keep the app up
        log.error("the database %s could not be read: %s", path, exc)
        # The server's path and the raw error are for staff and admins (views/privacy.py), never for a visitor.
        shown = f"{path}: {exc}" if privacy.sees_people(st.session_state.get(VIEWER)) else UNREADABLE_PUBLIC
        return Snapshot(path, stamp, load_catalogue(), problem=shown, problem_kind="unreadable")


# cache_resource, not cache_data: the frames are large and read-only, and copying them on every
# rerun would cost more than the page itself.
@st.cache_resource(max_entries=3, show_spinner=False)
def _snapshot(path: str, stamp: Stamp, cat_key: tuple[str, int]) -> Snapshot:
    base = load_catalogue(cat_key[0])
    store = app_store(Path(path), base)
    catalogue = store.effective_catalogue(base)
    monthly = store.monthly()
    reports = store.indicator_reports()
    known = {i.code for i in catalogue.indicators}
    monthly = monthly[monthly["indicator"].isin(known)].reset_index(drop=True)
    months = tuple(sorted(set(monthly["period"].astype(str))))
    return Snapshot(Path(path), stamp, catalogue, monthly, reports, months)


def _frozen_snapshot(path: str, stamp: Stamp, cat_key: tuple[str, int], snapshot_id: int) -> Snapshot:
    got = frozen.load(path, stamp, cat_key[0], snapshot_id)
    if got is None:
        frozen.unknown(snapshot_id)
        return _snapshot(path, stamp, cat_key)
    months = tuple(sorted(set(got.monthly["period"].astype(str))))
    # The snapshot's id joins the stamp, so every cache keyed on (path, stamp) keeps frozen and live views apart.
    return Snapshot(Path(path), (*stamp, snapshot_id), got.catalogue, got.monthly, got.reports, months, frozen=got.info)


def _key(snap: Snapshot) -> tuple:
    return str(snap.path), snap.stamp


# ---------------------------------------------------------------- assessments


@st.cache_data(max_entries=48, show_spinner=False)
def _assessments(_snap: Snapshot, key: tuple, month: str, phase: str | None) -> pd.DataFrame:
    rows = assess_all(_snap.monthly, _snap.catalogue, month, phase=phase, villages=True)
    return to_frame(rows, _snap.catalogue)


def assessments(snap: Snapshot, month: str, phase: str | None = None) -> pd.DataFrame:
    """indicators.to_frame() of every indicator for the commune (place None) and for each village of the
    indicators reported by village, at the end of `month`, against `phase` (default: the month's)."""
    return _assessments(snap, _key(snap), month, phase)


def commune_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["place"].isna()].reset_index(drop=True)


def village_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["place"].notna()].reset_index(drop=True)


def previous_month(month: str) -> str:
    return add_months(month, -1)


# ---------------------------------------------------------------- one indicator


def indicator_rows(snap: Snapshot, indicator: str) -> pd.DataFrame:
    return snap.monthly[snap.monthly["indicator"] == indicator]


def series(snap: Snapshot, indicator: str, village: str | None = None) -> dict[str, tuple[float, float | None]]:
    """{period: (Σvalue, Σdenominator|None)} of one indicator for the commune or one village."""
    rows = indicator_rows(snap, indicator)
    if village is not None:
        rows = rows[rows["village"] == village]
    by_place = series_by_place(rows, villages=False)
    return dict(by_place.get((indicator, None), {}))


def breakdown(snap: Snapshot, indicator: str, village: str | None = None) -> pd.DataFrame:
    """The indicator's rows summed per month and breakdown value: period, dim, dim_value, value, denominator.
    Empty when the indicator has no breakdown."""
    rows = indicator_rows(snap, indicator)
    if village is not None:
        rows = rows[rows["village"] == village]
    rows = rows[rows["dim"].astype(str) != ""]
    if rows.empty:
        return pd.DataFrame(columns=["period", "dim", "dim_value", "value", "denominator"])
    out = rows.groupby(["period", "dim", "dim_value"], as_index=False).agg(
        value=("value", "sum"), denominator=("denominator", lambda s: s.sum(min_count=1))
    )
    return out


def by_village(snap: Snapshot, indicator: str) -> bool:
    """Whether the indicator has ever been reported village by village."""
    rows = indicator_rows(snap, indicator)
    return bool(rows["village"].notna().any())


@st.cache_data(max_entries=64, show_spinner=False)
def _observations(
    path: str, stamp: Stamp, commune: str, indicator: str, month: str, village: str | None, frozen_id: int | None = None
):
    store = Store(Path(path), commune=commune, timeout=BUSY_TIMEOUT)
    if frozen_id is not None:
        return store.snapshot_observations(frozen_id, indicator, month, village)
    return store.observations(indicator, month, village)


def observations(snap: Snapshot, indicator: str, month: str, village: str | None = None) -> pd.DataFrame:
    """The rows in force behind one month's figure, each with its file, sheet and row (Store.observations);
    empty while an import holds the database past the wait (the rest of the page still shows)."""
    try:
        frozen_id = snap.frozen.id if snap.frozen else None
        return _observations(
            str(snap.path), snap.stamp, snap.catalogue.commune.code, indicator, month, village, frozen_id
        )
    except StoreBusy:
        return pd.DataFrame(columns=["file_name", "sheet", "row", "village", "dim", "dim_value", "value"])


@st.cache_data(max_entries=64, show_spinner=False)
def _sources(path: str, stamp: Stamp, commune: str, indicator: str, frozen_id: int | None = None) -> pd.DataFrame:
    store = Store(Path(path), commune=commune, timeout=BUSY_TIMEOUT)
    return store.sources(indicator) if frozen_id is None else store.snapshot_sources(frozen_id, indicator)


def sources(snap: Snapshot, indicator: str) -> pd.DataFrame:
    """The uploads in force for an indicator (Store.sources); empty while an import holds the database."""
    try:
        frozen_id = snap.frozen.id if snap.frozen else None
        return _sources(str(snap.path), snap.stamp, snap.catalogue.commune.code, indicator, frozen_id)
    except StoreBusy:
        return pd.DataFrame(columns=["file_name", "kind", "unit", "periods", "rows", "signed_on"])


def number_or_none(x: object) -> float | None:
    if fmt.is_missing(x):
        return None
    value = float(x)
    return None if math.isnan(value) else value
