"""What each page shows, computed once per database state and view and cached: tables, cards and chart specs.

A rerun (a filter changed back, another leader opening the same page) then costs only drawing. Chart specs
are cached as Vega-Lite dicts, so Altair does not rebuild and validate them on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

import charts
from app_pages import data
from app_pages.data import Snapshot
from ground.catalogue import Catalogue, Phase
from indicators import series_frame, targets_frame, village_share
from views import reporting, summaries


def _key(snap: Snapshot) -> tuple:
    return str(snap.path), snap.stamp


# ---------------------------------------------------------------- overview


@dataclass(frozen=True)
class Overview:
    table: pd.DataFrame
    attention: list[summaries.Attention]
    counts: dict[str, int]
    previous_counts: dict[str, int]
    cards: list[summaries.SectorCard]
    missing: list[str]


@st.cache_data(max_entries=32, show_spinner=False)
def _overview(_snap: Snapshot, key: tuple, month: str, phase: str) -> Overview:
    frame = data.assessments(_snap, month, phase)
    commune, villages = data.commune_rows(frame), data.village_rows(frame)
    previous = data.commune_rows(data.assessments(_snap, data.previous_month(month), phase))
    cat = _snap.catalogue
    return Overview(
        table=summaries.status_table(commune, previous, cat),
        attention=summaries.attention(commune, villages, cat),
        counts=summaries.status_counts(commune),
        previous_counts=summaries.status_counts(previous),
        cards=summaries.sector_cards(commune, cat),
        missing=summaries.missing_data(commune),
    )


def overview(snap: Snapshot, month: str, phase: str) -> Overview:
    return _overview(snap, _key(snap), month, phase)


@st.cache_data(max_entries=16, show_spinner=False)
def _trends(_snap: Snapshot, key: tuple, month: str, phase: str) -> pd.DataFrame:
    commune = data.commune_rows(data.assessments(_snap, month, phase))
    series = {i.code: data.series(_snap, i.code) for i in _snap.catalogue.indicators}
    return summaries.trend_table(series, commune, _snap.catalogue, month)


def trends(snap: Snapshot, month: str, phase: str) -> pd.DataFrame:
    """The 2050 view's table: each indicator's trend projected to the last phase's end."""
    return _trends(snap, _key(snap), month, phase)


# ---------------------------------------------------------------- villages


@dataclass(frozen=True)
class Villages:
    values: pd.DataFrame
    statuses: pd.DataFrame
    ranking: pd.DataFrame


@st.cache_data(max_entries=32, show_spinner=False)
def _villages(_snap: Snapshot, key: tuple, month: str, phase: str) -> Villages:
    rows = data.village_rows(data.assessments(_snap, month, phase))
    values, statuses = summaries.village_grid(rows, _snap.catalogue)
    return Villages(values, statuses, summaries.village_ranking(rows, _snap.catalogue))


def villages(snap: Snapshot, month: str, phase: str) -> Villages:
    return _villages(snap, _key(snap), month, phase)


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class Units:
    long: pd.DataFrame  # reporting.completeness()
    grid: pd.DataFrame
    summary: pd.DataFrame
    six_clear: pd.DataFrame
    not_reported: list[str]


@st.cache_data(max_entries=32, show_spinner=False)
def _units(_snap: Snapshot, key: tuple, month: str, phase: str, today: date) -> Units:
    cat = _snap.catalogue
    commune = data.commune_rows(data.assessments(_snap, month, phase))
    long = reporting.completeness(_snap.reports, cat, month, today)
    return Units(
        long=long,
        grid=reporting.grid(long, month),
        summary=reporting.unit_summary(commune, long, cat, month),
        six_clear=reporting.six_clear(commune, cat),
        not_reported=reporting.not_reported(long, month),
    )


def units(snap: Snapshot, month: str, phase: str, today: date) -> Units:
    return _units(snap, _key(snap), month, phase, today)


# ---------------------------------------------------------------- chart specs


def _spec(chart) -> dict:
    # charts.py's charts are checked by its own tests; skipping the JSON-schema validation saves ~40 ms each.
    return chart.to_dict(validate=False)


@st.cache_data(max_entries=64, show_spinner=False)
def _series_spec(
    _snap: Snapshot, key: tuple, indicator: str, village: str | None, month: str, until: str
) -> tuple[dict, pd.DataFrame]:
    cat = _snap.catalogue
    ind = cat.indicator(indicator)
    share = village_share(cat, village) if village else 1.0
    frame = series_frame(ind, cat, data.series(_snap, indicator, village), month, share=share, until=until)
    targets = targets_frame(ind, cat, share=share)
    chart = charts.series_chart(frame, kind=ind.kind, unit=ind.unit, month=month, targets=targets)
    return _spec(chart), frame


def series_until(catalogue: Catalogue, month: str, phase: Phase, vision: bool) -> str:
    """How far the series chart of /chi-tieu draws: the last phase's end under the 2050 vision, else the end of
    the chosen phase or the month's own, whichever is later."""
    return catalogue.phases[-1].end if vision else max(phase.end, catalogue.phase_of(month).end)


def series_spec(
    snap: Snapshot, indicator: str, village: str | None, month: str, until: str
) -> tuple[dict, pd.DataFrame]:
    """(the series chart's spec, indicators.series_frame() it was drawn from)."""
    return _series_spec(snap, _key(snap), indicator, village, month, until)


@st.cache_data(max_entries=64, show_spinner=False)
def _village_spec(_snap: Snapshot, key: tuple, indicator: str, month: str, phase: str) -> dict | None:
    rows = data.village_rows(data.assessments(_snap, month, phase))
    rows = rows[rows["indicator"] == indicator]
    if rows.empty:
        return None
    rows = rows[["place", "place_name", "actual", "expected", "target", "status"]]  # what it draws, nothing more
    return _spec(charts.village_chart(rows, unit=_snap.catalogue.indicator(indicator).unit))


def village_spec(snap: Snapshot, indicator: str, month: str, phase: str) -> dict | None:
    """The villages of one indicator as bars by status; None when it is not reported by village."""
    return _village_spec(snap, _key(snap), indicator, month, phase)


@st.cache_data(max_entries=32, show_spinner=False)
def _grid_spec(_snap: Snapshot, key: tuple, month: str, phase: str, cell_width: int) -> dict:
    rows = data.village_rows(data.assessments(_snap, month, phase))
    # Only what the grid draws: Altair serialises every column it is given (50 here) into the spec.
    rows = rows[["place", "place_name", "short", "unit", "actual", "status"]]
    return _spec(charts.heat_grid(rows, cell_width=cell_width, cell_height=26))


def grid_spec(snap: Snapshot, month: str, phase: str, cell_width: int = 48) -> dict:
    """The village × indicator grid coloured by status."""
    return _grid_spec(snap, _key(snap), month, phase, cell_width)


@st.cache_data(max_entries=64, show_spinner=False)
def _breakdown_spec(_snap: Snapshot, key: tuple, rows: pd.DataFrame, group_title: str, unit: str) -> dict:
    return _spec(charts.breakdown_chart(rows, group_title=group_title, unit=unit))


def breakdown_spec(snap: Snapshot, rows: pd.DataFrame, group_title: str, unit: str) -> dict:
    """Stacked bars of a breakdown ([period, group, value])."""
    return _breakdown_spec(snap, _key(snap), rows, group_title, unit)
