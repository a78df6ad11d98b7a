"""The opening every month-and-phase page shares: the figures, the header line, the selectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from app_pages import data, filters, layout
from app_pages.data import Snapshot
from ground import fmt
from ground.catalogue import Catalogue, Phase


@dataclass(frozen=True)
class PageStart:
    snap: Snapshot
    cat: Catalogue
    f: filters.Filters
    phase: Phase


def month_and_phase(title: str, controls: Sequence[str]) -> PageStart:
    """Reads the snapshot, writes the page's header ("T10/2026 · Giai đoạn … · Số liệu đến …") and draws the
    selectors named in `controls`. Stops the page, after the friendly explanation, when there are no figures."""
    snap = data.snapshot()
    if not layout.ready(snap, title):
        st.stop()
    cat = snap.catalogue
    f = filters.current(snap)
    phase = cat.phase(f.status_phase(snap))
    layout.header(title, f"{fmt.month(f.month)} · {phase.name} · {layout.snapshot_line(snap)}")
    layout.print_head(snap, title, f.month)
    f = filters.bar(snap, tuple(controls))
    return PageStart(snap, cat, f, phase)
