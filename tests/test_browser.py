"""The dashboard as people see it: a real `streamlit run dashboard.py` driven by Debian's Chromium (Playwright) at a
laptop and a phone width: cold deep links, filters kept across pages, no error box, no English, the key figures
written Vietnamese-style, hostile text shown literally. Screenshots go to the test's temporary folder."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ground.catalogue import load_catalogue
from store import Store
from tests.browser_support import IDLE, chromium, drawn, idle, streamlit_server
from tests.pages_support import MONTH

pytestmark = pytest.mark.browser

ENGLISH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Deploy|Running|Page not found)\b"
)
MISSING_WORDS = re.compile(r"\b(None|NaN|nan|null|undefined)\b")
WIDTHS = {"may-tinh": (1280, 900), "dien-thoai": (390, 844)}


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    """One server for the module, started cold: no page is requested before the first test's deep link."""
    with streamlit_server(sample_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def figures(sample_db):
    """Key figures computed here from the store, written the Vietnamese way."""
    cat = load_catalogue()
    rows = Store(sample_db, commune=cat.commune.code).monthly()
    trees = rows[(rows["indicator"] == "cay_xanh_trong_moi") & (rows["period"] <= MONTH)]["value"].sum()
    online = rows[(rows["indicator"] == "tthc_truc_tuyen") & (rows["period"] == MONTH)]
    share = online["value"].sum() / online["denominator"].sum() * 100
    target = cat.indicator("cay_xanh_trong_moi").target("2026-2027").value
    return {
        "trees": f"{round(trees):,}".replace(",", ".") + " cây",
        "trees_pct": f"Cây xanh trồng mới: {round(trees / target * 100)}% chỉ tiêu",  # the sector card
        "online": f"{share:.1f}".replace(".", ",") + "%",
    }


def _open(page, url: str) -> None:
    """Load `url` and wait until its first script run has ended (a new page shows no finished run before it) and
    the title is there. (How long that takes is measured by bench/memory.py, never asserted.)"""
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector("[data-testid='stHeading']", timeout=30_000)


def _main(page):
    return page.locator("[data-testid='stMain']")


def _main_text(page) -> str:
    return _main(page).inner_text()


def _full_screenshot(page, path: Path) -> None:
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(height + 40, 12_000)})
    drawn(page)
    page.screenshot(path=str(path))


def _choose(page, label: str, option: str) -> None:
    """Pick an option; the caller then waits for what the new run shows (the address, a figure)."""
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


def _selected(page, label: str):
    return page.locator(f"[data-testid='stSelectbox'] input[aria-label='{label}']").first


def _nav(page, title: str, then: re.Pattern) -> None:
    """Follow the sidebar link `title`; wait until the address matches `then` and that page's run has ended."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
    expect(page).to_have_url(then, timeout=60_000)
    idle(page)


# This test must stay first: it is the very first request the server sees.
def test_first_request_is_a_deep_link_to_an_indicator(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page, server + "/chi-tieu?ma=tthc_truc_tuyen")
    name = load_catalogue().indicator("tthc_truc_tuyen").name
    assert page.locator("h2").first.inner_text().strip() == name
    assert page.locator("[role='dialog']").count() == 0 and not dialogs
    assert "Page not found" not in page.inner_text("body")
    assert "/chi-tieu" in page.url and "ma=tthc_truc_tuyen" in page.url
    page.screenshot(path=str(tmp_path / "deep-link.png"))
    page.close()


def test_switching_pages_keeps_the_month_and_the_village(server, browser, figures):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open(page, server + "/?thang=2026-09")
    _nav(page, "Theo thôn", re.compile(r"/thon\?(?=.*thang=2026-09)"))
    _choose(page, "Thôn", "Thôn Đông Hà")
    expect(page).to_have_url(re.compile(r"/thon\?(?=.*thon=dong-ha)(?=.*thang=2026-09)"), timeout=60_000)
    idle(page)
    _nav(page, "Chỉ tiêu", re.compile(r"/chi-tieu\?(?=.*thang=2026-09)(?=.*thon=dong-ha)"))
    expect(_selected(page, "Tháng")).to_have_value("T9/2026", timeout=30_000)
    expect(_selected(page, "Thôn")).to_have_value("Thôn Đông Hà", timeout=30_000)
    _nav(page, "Tổng quan", re.compile(r":\d+/\?(?=.*thang=2026-09)"))
    expect(_main(page)).to_contain_text(EXPECT_TEXT["tong-quan"], timeout=30_000)  # the overview, not the last page
    expect(page.locator("[data-testid='stCaptionContainer']").first).to_contain_text("T9/2026", timeout=30_000)
    # Back to the latest month: the default leaves the URL.
    _choose(page, "Tháng", "T10/2026")
    expect(page).not_to_have_url(re.compile(r"thang="), timeout=60_000)
    page.close()


PAGES = {
    "/": ("tong-quan", "trees_pct"),
    "/chi-tieu?ma=cay_xanh_trong_moi": ("chi-tieu", "trees"),
    "/chi-tieu?ma=tthc_truc_tuyen": ("chi-tieu-tthc", "online"),
    "/thon?thon=dong-ha": ("thon", None),
    "/don-vi": ("don-vi", None),
    "/phuong-phap": ("phuong-phap", None),
}
EXPECT_TEXT = {
    "thon": "Trang của Thôn Đông Hà",
    "don-vi": "Công an xã",
    "phuong-phap": "Tỷ số tiến độ r",
    "tong-quan": "Cần chú ý",
}


@pytest.mark.parametrize("device", list(WIDTHS))
def test_every_page_at_laptop_and_phone_width(server, browser, figures, tmp_path, device):
    width, height = WIDTHS[device]
    page = browser.new_page(viewport={"width": width, "height": height})
    for path, (name, figure) in PAGES.items():
        page.set_viewport_size({"width": width, "height": height})
        _open(page, server + path)
        if figure:
            expect(_main(page), path).to_contain_text(figures[figure], timeout=30_000)
        if name in EXPECT_TEXT:
            expect(_main(page), path).to_contain_text(EXPECT_TEXT[name], timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0, path
        text = _main_text(page)
        body = page.inner_text("body")
        assert not ENGLISH.search(body), (path, ENGLISH.search(body))
        assert not MISSING_WORDS.search(text), (path, MISSING_WORDS.search(text))
        assert page.get_by_text("Deploy").count() == 0
        # Nothing wider than the screen except what scrolls inside its own box (tables, wide charts).
        overflow = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollWidth")
        assert overflow <= width + 1, (path, overflow)
        _full_screenshot(page, tmp_path / f"{name}-{device}.png")
    page.close()


def test_hostile_text_in_a_link_is_shown_literally(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = "<img src=x onerror=alert(1)>**x**"
    _open(page, server + "/?ma=" + urllib.request.quote(hostile))
    warning = page.locator("[data-testid='stAlertContentWarning']").first.inner_text()
    assert hostile in warning
    assert page.locator("img[src='x']").count() == 0 and not dialogs
    page.close()
