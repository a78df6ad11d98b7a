"""WCAG 2.1 AA in a real browser: `streamlit run app_pages/server.py` on the sample data, Debian's Chromium through
Playwright and axe-core (axe-playwright-python). Every page, visitor and staff, at 1280 and 390 px, visited once
per width in one browser: zero axe violations (wcag2a, wcag2aa, wcag21a, wcag21aa), lang="vi" from the first byte
and after page changes, no Streamlit English in what a screen reader gets, a name on every chart, the phone grid
and menu."""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ground import auth
from store import Store
from tests.browser_support import IDLE, chromium, streamlit_server

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-kiem-thu-a11y"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"may-tinh": (1280, 900), "dien-thoai": (390, 844)}
PUBLIC = ["/", "/chi-tieu?ma=cay_xanh_trong_moi", "/thon", "/don-vi", "/phuong-phap", "/bao-cao", "/dang-nhap"]
STAFF = ["/tai-len", "/lich-su", "/quan-tri"]
# Streamlit's own English as a browser would read it out; Material icon names are English words in snake_case.
ENGLISH = re.compile(
    r"\b(Skip to main content|Upload|Browse files|Drag and drop|per file|Page not found|Fullscreen|"
    r"Download as CSV|Search|Show/hide columns|Close|Clear all|Vega visualization|Running|Deploy|Collapse sidebar|"
    r"Expand sidebar|Show password|Hide password)\b"
)
ICON_NAME = re.compile(r"\b(?:[a-z]+_)+[a-z]+\b|\b(?:dashboard|monitoring|functions|description|groups|eco)\b")


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("a11y")
    db = folder / "xanh.duckdb"
    shutil.copy(sample_db, db)
    Store(db, commune="an-phu").add_user("quantri", "admin", [], auth.hash_password(PASSWORD), who="cli")
    with streamlit_server(db, folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as b:
        yield b


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector("[data-testid='stHeading']", timeout=30_000)
    page.wait_for_timeout(400)  # let a rerun start (widgets syncing the URL) before waiting for the end again
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_load_state("networkidle")


def _log_in(page, server: str) -> None:
    _open(page, server + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # Signed in, and the session cookie written (the staff pages are then opened by URL, i.e. reloaded).
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=60_000)
    page.wait_for_function("() => document.cookie.includes('xanh_phien=')", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:4]]} {v['nodes'][0].get('failureSummary', '')}"
        for v in result.response["violations"]
    ]


def _spoken(page) -> str:
    """What a screen reader gets: the accessibility tree of the page (names, roles, texts), as Playwright sees it;
    link targets (`/url:` lines, which hold indicator codes) are not read out."""
    tree = page.locator("body").aria_snapshot()
    return "\n".join(line for line in tree.splitlines() if "/url:" not in line)


def test_every_page_has_no_axe_violation_is_vietnamese_and_names_its_charts(server, browser):
    problems: dict[str, list[str]] = {}
    for device, (width, height) in WIDTHS.items():
        page = browser.new_page(viewport={"width": width, "height": height})
        paths = PUBLIC[:]
        for n, path in enumerate(paths + STAFF):
            if n == len(paths):
                _log_in(page, server)
            _open(page, server + path)
            where = f"{device} {path}"
            if path in STAFF:
                assert page.get_by_role("button", name="Đăng xuất").count(), where  # the page itself, not the login
            assert page.evaluate("document.documentElement.lang") == "vi", where
            found = _axe(page)
            if found:
                problems[where] = found
            spoken = _spoken(page)
            english = ENGLISH.search(spoken)
            assert not english, (where, english.group(0), spoken[max(english.start() - 200, 0) : english.end() + 80])
            icon = ICON_NAME.search(spoken)
            assert not icon, (where, icon.group(0), spoken[max(icon.start() - 200, 0) : icon.end() + 80])
            # Every chart has a name of its own: Vega writes the spec's description as the SVG's aria-label.
            labels = page.eval_on_selector_all(
                "[data-testid='stVegaLiteChart'] svg[role], [data-testid='stVegaLiteChart'] [aria-label]",
                "els => els.map(e => e.getAttribute('aria-label') || '')",
            )
            assert all(lab and "Vega visualization" not in lab for lab in labels), (where, labels)
        page.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_lang_is_vi_in_the_first_byte_and_across_page_changes(server, browser):
    # The HTML the server sends already says lang="vi": nothing is ever painted as English.
    for path in ("/", "/thon", "/trang-khong-co"):
        head = urllib.request.urlopen(server + path, timeout=10).read(4096).decode("utf-8", "replace")
        assert '<html lang="vi"' in head, path
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _open(page, server + "/")
    for title in ("Theo thôn", "Chỉ tiêu", "Báo cáo"):
        page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
        page.wait_for_timeout(300)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert page.evaluate("document.documentElement.lang") == "vi", title
    page.close()


def test_upload_page_and_unknown_page_speak_vietnamese(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, server)
    _open(page, server + "/tai-len")
    text = page.inner_text("body")
    spoken = _spoken(page)
    for english in ("Upload", "20MB per file", "Browse files", "Drag and drop"):
        assert english not in text and english not in spoken, english
    assert "Tối đa 20 MB mỗi tệp" in text
    assert "Chuyển đến nội dung chính" in page.content() or "Skip to main content" not in page.content()
    page.goto(server + "/trang-khong-co")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "Page not found" not in body and "You have requested page" not in body
    page.close()


def test_phone_heat_map_keeps_the_village_in_view_and_every_cell_has_a_glyph(server, browser, tmp_path: Path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _open(page, server + "/thon")
    table = page.locator("table.xanh-heat").first
    assert table.is_visible()
    assert not page.locator("[class*='st-key-wideonly_grid']").first.is_visible()  # the chart is for wide screens
    rows = table.locator("tbody tr")
    assert rows.count() == 20
    glyphs = set("▼◆●▲✔○◇")
    for r in range(rows.count()):
        cells = rows.nth(r).locator("td").all_inner_texts()
        assert cells and all(c.strip()[:1] in glyphs for c in cells), cells
    # Scrolled sideways, the village names stay where they were.
    first = table.locator("tbody th").first
    before = first.bounding_box()["x"]
    table.locator("xpath=..").evaluate("box => { box.scrollLeft = 600; }")
    page.wait_for_function("() => document.querySelector('table.xanh-heat').parentElement.scrollLeft > 0")
    assert abs(first.bounding_box()["x"] - before) < 1
    assert table.locator("tbody td").nth(8).bounding_box()["x"] < 390  # the cells did scroll
    # The bundled Noto Sans reached the browser: loaded (a bounded wait, it may still be on its way), then usable.
    page.evaluate("document.fonts.load('12px \"Noto Sans\"')")
    page.wait_for_function(
        "() => [...document.fonts].some(f => f.family.includes('Noto Sans') && f.status === 'loaded')"
    )
    assert page.evaluate("document.fonts.check('12px \"Noto Sans\"')")
    page.screenshot(path=str(tmp_path / "thon-390.png"))
    page.close()


def test_phone_overview_counts_in_the_first_screen_and_menu_closes_after_a_choice(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _open(page, server + "/")
    first_tile = page.locator("[data-testid='stMetric']").first
    box = first_tile.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    # Every indicator behind plan is listed under "Cần chú ý", each link saying where it goes.
    anchors = page.locator("[data-testid='stPageLink'] a")
    # Their accessible names (the icon beside each is hidden from assistive tech).
    names = [re.search(r'link "([^"]*)"', anchors.nth(i).aria_snapshot()) for i in range(anchors.count())]
    links = [m.group(1) for m in names if m]
    assert links and len(set(links)) == len(links), links
    assert all(link.startswith("Xem chi tiết: ") for link in links), links
    counts = page.locator("[data-testid='stMetric']").all_inner_texts()
    behind = sum(int(re.search(r"\n(\d+)", t).group(1)) for t in counts if re.match(r"^[▼◆●] ", t))
    assert len(links) == behind, (links, counts)
    # The phone menu closes once a page is chosen.
    page.get_by_test_id("stExpandSidebarButton").first.click()
    state = "() => document.querySelector('[data-testid=stSidebar]').getAttribute('data-collapsed')"
    page.wait_for_function(f"() => ({state})() === 'false'")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Theo thôn").first.click()
    page.wait_for_function(f"() => ({state})() === 'true'", timeout=10_000)
    page.wait_for_url("**/thon**", timeout=30_000)
    page.close()
