"""The served app as a visitor's browser meets it: the security headers on every response (no framing by another
site), the page itself still drawn by the st.App entry, and no grid toolbar export of raw cells."""

from __future__ import annotations

import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import chromium, idle, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url(sample_db, tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("cong-khai") / "xanh.duckdb"
    shutil.copy(sample_db, db)
    log = Path(str(db) + ".log")
    with streamlit_server(db, log) as u:
        yield u


@pytest.mark.parametrize("path", ["/", "/chi-tieu", "/_stcore/health", "/static/nothing.js"])
def test_every_response_forbids_framing_by_another_site(url, path):
    try:
        response = urllib.request.urlopen(url + path, timeout=30)
    except urllib.error.HTTPError as exc:  # a 404 is a response too
        response = exc
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-content-type-options"] == "nosniff"


def test_the_page_is_drawn_and_its_grid_offers_no_raw_export(url):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/chi-tieu")
        idle(page)
        assert page.locator("h2, h1").first.inner_text().strip()  # the indicator's own name: the app ran
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.hover()
        labels = [
            (b.get_attribute("aria-label") or "") + b.inner_text()
            for b in page.locator("[data-testid='stElementToolbar'] button").all()
        ]
        assert labels  # the toolbar is there (search, full screen)…
        assert "Tìm kiếm" in labels and not any("csv" in x.lower() for x in labels)  # …without its raw CSV export
        assert page.get_by_role("button", name="Tải Excel").count() >= 1  # the page's own, neutralised files
