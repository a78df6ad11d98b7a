"""The server's warm-up (app_pages/warmup.py): it fills the caches the first visitor reads, and never stops a start."""

from __future__ import annotations

import contextlib

import pytest
import streamlit as st

from app_pages import cached, data, filters, warmup
from tests.pages_support import use_db


@pytest.fixture
def empty_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_after_the_warm_up_the_first_views_are_read_from_the_caches(sample_db, empty_caches, monkeypatch):
    with contextlib.contextmanager(use_db)(sample_db):
        assert warmup.warm() > 0
        snap = data.live_snapshot()
        month = filters.default(snap, "thang")
        phase = filters.default(snap, "giai_doan", month)
        indicator = filters.default(snap, "ma")

        def recomputed(*_a, **_k):
            raise AssertionError("computed again: the warm-up did not fill this cache")

        # Whatever the first visitor's pages would compute afresh now fails: the answers must come from the caches.
        monkeypatch.setattr(data, "assess_all", recomputed)
        monkeypatch.setattr(cached.charts, "series_chart", recomputed)
        monkeypatch.setattr(cached.charts, "village_chart", recomputed)
        monkeypatch.setattr(cached.charts, "heat_grid", recomputed)
        assert not cached.overview(snap, month, phase).table.empty
        assert not cached.villages(snap, month, phase).ranking.empty
        assert cached.grid_spec(snap, month, phase)
        until = max(snap.catalogue.phase(phase).end, snap.catalogue.phase_of(month).end)
        assert cached.series_spec(snap, indicator, None, month, until)[0]
        cached.village_spec(snap, indicator, month, phase)


def test_a_database_that_cannot_be_read_does_not_stop_the_server(tmp_path, empty_caches):
    broken = tmp_path / "hong.duckdb"
    broken.write_bytes(b"not a database" * 100)
    with contextlib.contextmanager(use_db)(broken):
        assert warmup.warm() >= 0  # said by the page itself when a visitor comes, as without the warm-up
    with contextlib.contextmanager(use_db)(tmp_path / "missing.duckdb"):
        assert warmup.warm() >= 0
        assert not (tmp_path / "missing.duckdb").exists()  # nothing created
