"""/thanh-pho, the city's page: shown only with XANH_CITY_DIR, alone on a server without a commune database, every
commune from the exports' folder; in AppTest and in Debian's Chromium at a laptop's and a phone's width."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from streamlit.testing.v1 import AppTest

from tests.browser_support import IDLE, chromium, idle, streamlit_server
from tests.city_support import city_folder
from tests.pages_support import shown, table_with

ROOT = Path(__file__).resolve().parent.parent
CITY = "app_pages/thanh_pho.py"
NAMES = {"Xã An Phú", "Xã An Bình"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory, sample_db) -> Path:
    return city_folder(tmp_path_factory.getbasetemp(), sample_db)


@pytest.fixture
def env(monkeypatch) -> Iterator[callable]:
    """Sets XANH_CITY_DIR and XANH_DB for the app (restored after the test)."""

    def use(city: Path | None, db: Path) -> None:
        if city is None:
            monkeypatch.delenv("XANH_CITY_DIR", raising=False)
        else:
            monkeypatch.setenv("XANH_CITY_DIR", str(city))
        monkeypatch.setenv("XANH_DB", str(db))

    yield use


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_a_city_server_shows_every_commune_without_a_database(folder, env, tmp_path):
    db = tmp_path / "khong-co.duckdb"
    env(folder, db)
    at = _app()
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.header] == ["Toàn thành phố Hải Phòng"]
    counts = table_with(at, "▼ Đi xuống").value
    assert set(counts["Xã, phường"]) == NAMES and counts["Mã"].tolist() == ["an-binh", "an-phu"]
    assert counts.filter(like="▲").sum(axis=1).tolist() == [14, 14]
    exports = table_with(at, "Ngày xuất số liệu").value
    assert set(exports["Tình trạng xuất"]) == {"✔ Đã xuất tháng này"}
    assert not db.exists()  # the city page never creates a commune database
    assert any("T10/2026: 2 xã, phường báo cáo" in m.value.replace("\\", "") for m in at.markdown)


def test_ma_ranks_every_commune_on_one_indicator(folder, env, tmp_path):
    env(folder, tmp_path / "khong-co.duckdb")
    at = _app(ma="tthc_truc_tuyen", thang="2026-09")
    assert not at.exception, [e.value for e in at.exception]
    table = table_with(at, "Hạng")
    text = shown(table)
    assert set(text["Xã, phường"]) == NAMES and text["Thực hiện"].str.endswith("%").all()
    assert text["Trạng thái"].str.match(r"^[▼◆●▲✔○◇] ").all()  # the glyph and the word, never colour alone
    assert at.query_params["ma"] in ("tthc_truc_tuyen", ["tthc_truc_tuyen"]) and at.selectbox[0].value == "2026-09"
    series = table_with(at, "Cộng dồn").value
    assert series["Số xã có số liệu"].eq(2).all()
    assert len(at.get("vega_lite_chart")) == 1


def test_exports_older_than_this_month_are_flagged(folder, env, tmp_path):
    import pandas as pd

    old = tmp_path / "cu"
    shutil.copytree(folder, old)
    facts = pd.read_parquet(old / "communes" / "an-binh.parquet")
    facts.assign(exported_at=pd.Timestamp("2026-01-31 23:00")).to_parquet(old / "communes" / "an-binh.parquet")
    env(old, tmp_path / "khong-co.duckdb")
    at = _app()
    assert not at.exception
    assert any("chưa xuất số liệu" in w.value and "Xã An Bình" in w.value.replace("\\", "") for w in at.warning)
    exports = table_with(at, "Ngày xuất số liệu").value
    assert exports["Xã, phường"].iloc[0] == "Xã An Bình" and exports["Tình trạng xuất"].iloc[0].startswith("⚠ ")


def test_a_broken_folder_is_said_on_the_page(env, tmp_path):
    env(tmp_path / "khong-co-thu-muc", tmp_path / "khong-co.duckdb")
    at = _app()
    assert not at.exception
    assert any("Không tìm thấy thư mục" in e.value for e in at.error)


def test_a_commune_with_the_city_folder_keeps_its_pages_and_adds_the_citys(folder, env, sample_db):
    env(folder, sample_db)
    at = _app()
    assert not at.exception and at.header[0].value != "Toàn thành phố Hải Phòng"  # the commune's overview first
    at.switch_page(CITY).run()
    assert not at.exception and at.header[0].value == "Toàn thành phố Hải Phòng"


def test_without_the_city_folder_the_commune_dashboard_is_unchanged(env, sample_db):
    env(None, sample_db)
    at = _app()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page") as raised:
        at.switch_page(CITY)
    assert "thanh_pho" not in str(raised.value).split("Known pages:")[1]  # not one of the pages it has


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_the_city_page_in_a_browser(folder, env, tmp_path, width, height):
    env(folder, tmp_path / "khong-co.duckdb")
    with streamlit_server(tmp_path / "khong-co.duckdb", log=tmp_path / "server.log") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": height}, locale="vi-VN")
        page.goto(url + "/thanh-pho?ma=cay_xanh_trong_moi")
        page.wait_for_selector(IDLE, timeout=90_000)
        page.wait_for_selector("[data-testid='stHeading']", timeout=30_000)
        idle(page)
        main = page.locator("[data-testid='stMain']")
        text = main.inner_text()
        assert "Toàn thành phố Hải Phòng" in text and "Không tìm thấy trang" not in page.inner_text("body")
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.scroll_into_view_if_needed()
        assert grid.bounding_box()["width"] <= width  # the table scrolls inside the page, never the page sideways
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        # Every commune's name is on the page: the tables draw on a canvas, so read them from the page's text
        # and the grid's accessible cells.
        # The grid fills its accessible cells after it draws: wait for them (bounded), then say what was there.
        cells_js = "() => Array.from(document.querySelectorAll(\"[data-testid='stDataFrame'] [role='gridcell']\"))"
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                f"names => names.every(n => ({cells_js})().some(e => e.innerText === n))",
                arg=sorted(NAMES),
                timeout=30_000,
            )
        cells = page.locator("[data-testid='stDataFrame'] [role='gridcell']").all_inner_texts()
        assert set(cells) >= NAMES, cells[:20]
        tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": width, "height": min(tall + 40, 12_000)})
        idle(page)
        page.screenshot(path=str(tmp_path / f"thanh-pho-{width}.png"))  # for a person to look at (--basetemp)
        page.close()
