"""The shared selectors (month, phase, indicator, village), kept in the URL so a link opens the same view.

Why not `bind="query-params"`: in Streamlit 1.67 a bound parameter belongs to the page script whose widget
set it and is dropped on a page switch, a bound widget moved between containers loses its parameter, and
`st.switch_page`/`st.page_link` cannot set a bound parameter. So each selection lives in session state
(`flt_<param>`), is written to `st.query_params` on every run by `sync_url()` (called by dashboard.py before
the page runs), and a parameter that differs from what was last written (a deep link, a page link) wins.
A parameter at its default is left out of the URL, as Streamlit's own binding does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from app_pages.data import Snapshot
from ground import fmt
from views import texts

PARAMS = ("thang", "giai_doan", "ma", "thon")
VISION = "2050"  # the phase selector's "Tầm nhìn 2050" choice
_STATE = "flt_"  # the selection: None means the default
_WIDGET = "w_"
_WRITTEN = "_flt_written"  # what this session last wrote to the URL, per parameter
_NOTICES = "_flt_notices"


@dataclass(frozen=True)
class Filters:
    """The view asked for, defaults resolved. `month` is None only when there is no data."""

    month: str | None
    phase: str | None  # a phase code or VISION
    indicator: str | None
    village: str | None  # a village code; None for the whole commune

    @property
    def vision(self) -> bool:
        return self.phase == VISION

    def status_phase(self, snap: Snapshot) -> str | None:
        """The phase statuses are measured against: the chosen one, or the month's own under the 2050 vision."""
        if self.phase and self.phase != VISION:
            return self.phase
        return snap.catalogue.phase_of(self.month).code if self.month else None


def options(snap: Snapshot, param: str) -> list:
    """The choices of a selector, in the order shown; months newest first."""
    cat = snap.catalogue
    if param == "thang":
        return list(reversed(snap.months))
    if param == "giai_doan":
        return [p.code for p in cat.phases] + [VISION]
    if param == "ma":
        return [i.code for i in cat.indicators]
    return [""] + [v.code for v in cat.villages]


def default(snap: Snapshot, param: str, month: str | None = None) -> str | None:
    cat = snap.catalogue
    if param == "thang":
        return snap.latest
    if param == "giai_doan":
        return cat.phase_of(month).code if month else cat.phases[0].code
    if param == "ma":
        return cat.indicators[0].code
    return ""


def label(snap: Snapshot, param: str, value: str) -> str:
    """How a choice reads in the selector (never the raw code, never "2026-10")."""
    cat = snap.catalogue
    if param == "thang":
        return fmt.month(value)
    if param == "giai_doan":
        return texts.VISION_LABEL if value == VISION else cat.phase(value).name
    if param == "ma":
        return cat.indicator(value).short
    return texts.WHOLE_COMMUNE if not value else cat.village(value).name


def _resolved(snap: Snapshot, param: str, month: str | None) -> str | None:
    chosen = st.session_state.get(_STATE + param)
    if chosen is not None and chosen in options(snap, param):
        return chosen
    return default(snap, param, month)


def current(snap: Snapshot) -> Filters:
    """The selection with defaults filled in (the phase defaults to the month's)."""
    if snap.catalogue is None or snap.empty:
        return Filters(None, None, None, None)
    month = _resolved(snap, "thang", None)
    village = _resolved(snap, "thon", month)
    return Filters(
        month=month,
        phase=_resolved(snap, "giai_doan", month),
        indicator=_resolved(snap, "ma", month),
        village=village or None,
    )


def _set(snap: Snapshot, param: str, value: str | None) -> None:
    """Store a choice; a choice equal to the default is stored as None so the default keeps following
    the data (the latest month, the month's phase)."""
    month = _resolved(snap, "thang", None) if param != "thang" else None
    if param == "thang":
        st.session_state[_STATE + param] = None if value == snap.latest else value
    else:
        st.session_state[_STATE + param] = None if value == default(snap, param, month) else value


def sync_url(snap: Snapshot) -> None:
    """Adopt the URL's parameters that changed since this session last wrote them (a deep link or a page
    link), then write the selection back to the URL. Called once per run, before the page."""
    if snap.catalogue is None or snap.empty:
        return
    written: dict = st.session_state.setdefault(_WRITTEN, {})
    notices: list[str] = []
    # The month first: the phase's default depends on it.
    for param in PARAMS:
        url = st.query_params.get(param)
        if url is None or url == written.get(param):
            continue  # a page switch drops parameters: absence never resets a choice
        if url in options(snap, param):
            _set(snap, param, url)
        else:
            st.session_state[_STATE + param] = None
            f = current(snap)
            shown = {"thang": f.month, "giai_doan": f.phase, "ma": f.indicator, "thon": f.village or ""}[param]
            notices.append(texts.BAD_PARAM[param].format(value=url[:60], shown=label(snap, param, shown)))
    st.session_state[_NOTICES] = notices
    for param in PARAMS:
        value = st.session_state.get(_STATE + param)
        if value is None:
            if param in st.query_params:
                del st.query_params[param]
        elif st.query_params.get(param) != value:
            st.query_params[param] = value
        written[param] = value


def _on_change(snap: Snapshot, param: str) -> None:
    _set(snap, param, st.session_state[_WIDGET + param])


def bar(snap: Snapshot, shown: Sequence[str]) -> Filters:
    """Draw the selectors of `shown` (in PARAMS order) side by side, wrapping on a phone, and return the
    selection. Selectors a page does not draw keep their value and their place in the URL."""
    from app_pages import layout  # layout imports this module's Filters

    for notice in st.session_state.get(_NOTICES, []):
        st.warning(layout.md(notice), icon=":material/info:")
    f = current(snap)
    if f.month is None:
        return f
    values = {"thang": f.month, "giai_doan": f.phase, "ma": f.indicator, "thon": f.village or ""}
    with st.container(horizontal=True, wrap=True, key="filter_bar", gap="small"):
        for param in PARAMS:
            if param not in shown:
                continue
            choices = options(snap, param)
            # Set before the widget exists in this run: the widget shows the shared selection, also on the
            # first run of a page whose widget was never drawn.
            st.session_state[_WIDGET + param] = values[param]
            st.selectbox(
                texts.FILTER_LABELS[param],
                choices,
                format_func=lambda v, p=param: label(snap, p, v),
                key=_WIDGET + param,
                on_change=_on_change,
                args=(snap, param),
                width=_WIDTHS[param],
                placeholder=texts.CHOOSE,
            )
    return current(snap)


_WIDTHS = {"thang": 130, "giai_doan": 210, "ma": 340, "thon": 210}
