"""Viewing frozen figures: `?snapshot=ID` kept across pages, the frozen frames data.snapshot() serves in place of
the live ones, and what changed since the latest snapshot (no page furniture here: data.py imports this module)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from briefs.changes import differences
from ground.catalogue import Catalogue, load_catalogue
from store import SnapshotInfo, Store

PARAM = "snapshot"
_STATE = "frozen_id"  # the snapshot being viewed (int) or None for the figures in force
_WRITTEN = "_frozen_written"  # what this session last wrote to the URL
_NOTICE = "_frozen_notice"
BUSY_TIMEOUT = 8.0

BAD_ID = "Không có lần chốt số liệu mã “{value}”; đang hiển thị số liệu hiện tại."


@dataclass(frozen=True)
class Frozen:
    """A snapshot's frames in the shapes data.Snapshot holds."""

    info: SnapshotInfo
    catalogue: Catalogue
    monthly: pd.DataFrame
    reports: pd.DataFrame


# ---------------------------------------------------------------- the choice, kept in the session and the URL


def sync_url() -> None:
    """Adopt `?snapshot=ID` when the URL changed it (a link, a deep link), then write the choice back: a page
    switch drops query parameters, the choice must not drop with them. Called by dashboard.py before any read."""
    written = st.session_state.get(_WRITTEN)
    url = st.query_params.get(PARAM)
    if url is not None and url != written:
        try:
            st.session_state[_STATE] = int(url)
        except ValueError:
            st.session_state[_STATE] = None
            st.session_state[_NOTICE] = BAD_ID.format(value=url[:40])
    chosen = st.session_state.get(_STATE)
    if chosen is None:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != str(chosen):
        st.query_params[PARAM] = str(chosen)
    st.session_state[_WRITTEN] = None if chosen is None else str(chosen)


def chosen_id() -> int | None:
    """The snapshot the session is viewing, or None for the figures in force."""
    return st.session_state.get(_STATE)


def unknown(snapshot_id: int) -> None:
    """The chosen snapshot does not exist: back to the live figures, with a notice shown once."""
    st.session_state[_STATE] = None
    st.session_state[_NOTICE] = BAD_ID.format(value=snapshot_id)
    if PARAM in st.query_params:
        del st.query_params[PARAM]
    st.session_state[_WRITTEN] = None


def take_notice() -> str | None:
    """Why the session is back on the live figures (an unknown snapshot id), once."""
    return st.session_state.pop(_NOTICE, None)


def leave() -> None:
    st.session_state[_STATE] = None
    st.session_state[_WRITTEN] = None
    if PARAM in st.query_params:
        del st.query_params[PARAM]


# ---------------------------------------------------------------- the frozen frames


@st.cache_resource(max_entries=4, show_spinner=False)
def load(path: str, stamp: tuple, catalogue_path: str, snapshot_id: int) -> Frozen | None:
    """The frozen frames of one snapshot (None when the commune has none with that id). Cached per database
    state like the live frames; the frames are shared between sessions, never modify them."""
    base = load_catalogue(catalogue_path)
    store = Store(Path(path), commune=base.commune.code, timeout=BUSY_TIMEOUT)
    try:
        info = store.snapshot(snapshot_id)
    except KeyError:
        return None
    known = {i.code for i in base.indicators}
    monthly = store.snapshot_monthly(snapshot_id)
    monthly = monthly[monthly["indicator"].isin(known)].reset_index(drop=True)
    reports = store.snapshot_indicator_reports(snapshot_id)
    return Frozen(info, store.snapshot_catalogue(snapshot_id, base), monthly, reports)


@st.cache_data(max_entries=8, show_spinner=False)
def _latest_changes(path: str, stamp: tuple, catalogue_path: str, _live: pd.DataFrame):
    base = load_catalogue(catalogue_path)
    store = Store(Path(path), commune=base.commune.code, timeout=BUSY_TIMEOUT)
    listed = store.snapshots()
    if listed.empty:
        return None, None
    info = store.snapshot(int(listed["id"].iloc[0]))
    frozen = store.snapshot_monthly(info.id)
    return info, differences(frozen, _live, base)


def latest_changes(snap) -> tuple[SnapshotInfo | None, pd.DataFrame | None]:
    """(the latest snapshot, the commune figures whose live value differs from it) for a live data.Snapshot."""
    if snap.catalogue is None or not snap.stamp or snap.stamp[0] == 0:
        return None, None
    return _latest_changes(str(snap.path), tuple(snap.stamp), str(snap.catalogue.path), snap.monthly)
