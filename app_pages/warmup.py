"""The work the server does once when it starts, before its first visitor: the libraries the pages use imported,
the database read and the month's default views computed into the caches every session shares."""

from __future__ import annotations

import importlib
import logging
import time
from datetime import date

log = logging.getLogger(__name__)

# What the leader pages import besides what the caches below need (the first run then loads none of it).
PAGE_MODULES = ("app_pages.chart_download", "app_pages.page_start", "app_pages.session", "app_pages.snapshot_banner")


def warm(today: date | None = None) -> float:
    """Import what the leader pages import and fill the shared caches with the views a visitor opens first (the
    latest month, its phase, the first indicator, the whole commune). Returns the seconds it took. Never raises:
    a database that cannot be read now is said by the page itself, as without the warm-up."""
    start = time.perf_counter()
    try:
        # The pages' own imports (pandas, Altair, DuckDB and the project's layers); the first run then pays none.
        import pandas as pd

        for module in PAGE_MODULES:
            importlib.import_module(module)
        from app_pages import cached, data, filters, tables
        from store import now_vietnam

        tables.styled(pd.DataFrame({"x": [1.5]})).to_html()  # the Styler's templates (Jinja2) load on first use

        snap = data.live_snapshot()
        if snap.catalogue is None or snap.problem_kind is not None or snap.empty:
            return time.perf_counter() - start
        cat = snap.catalogue
        month = filters.default(snap, "thang")
        phase = cat.phase(filters.default(snap, "giai_doan", month))
        indicator = filters.default(snap, "ma")
        cached.overview(snap, month, phase.code)  # /
        cached.villages(snap, month, phase.code)  # /thon
        cached.grid_spec(snap, month, phase.code)
        cached.units(snap, month, phase.code, today or now_vietnam().date())  # /don-vi
        until = cached.series_until(cat, month, phase, vision=False)  # /chi-tieu of the first indicator
        cached.series_spec(snap, indicator, None, month, until)
        cached.village_spec(snap, indicator, month, phase.code)
    except Exception:  # the warm-up only saves time: whatever fails here, the page meets and explains again
        log.exception("warming the caches failed; the first visitor computes them")
    return time.perf_counter() - start
