"""A staff member in a real browser: log in, upload a workbook through the file input, confirm, see the figure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ground import auth
from store import Store
from tests.browser_support import chromium, drawn, idle, streamlit_server, tables_drawn
from tests.test_importer import tree_book

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-cua-lan"
# A name a hostile or careless user could give: it must show literally, never as markup.
FILE_NAME = "BC trong cay T10 <b>in-dam<b> **sao** [x](y).xlsx"
ROWS = {"Thôn An Lạc": [1200, 100, 0, 57], "thon dong ha": [0, 0, 0, 0]}  # 1.357 trees in all
TOTAL = "1.357"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("tai-len")
    db = folder / "xanh.duckdb"
    Store(db, commune="an-phu").add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORD), who="cli")
    with streamlit_server(db, folder / "streamlit.log") as url:
        yield url, db


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def shoot(page, folder: Path, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so the window is stretched to its height first."""
    size = page.viewport_size
    page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollTo(0, 0)")
    height = page.evaluate("document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    drawn(page)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    drawn(page)
    return path


def test_staff_uploads_confirms_and_the_leaders_see_the_figure(server, browser, tmp_path):
    url, db = server
    book = tree_book(ROWS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(url + "/tai-len")
    idle(page)
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    file_input = page.locator("[data-testid='stFileUploaderDropzoneInput']")
    file_input.wait_for(state="attached", timeout=60_000)  # signed in
    idle(page)
    file_input.set_input_files(files=[{"name": FILE_NAME, "mimeType": "application/octet-stream", "buffer": book}])
    page.get_by_text("Sẽ nhập mới.").wait_for(timeout=60_000)
    idle(page)
    tables_drawn(page)  # on a canvas, after the script ends
    shoot(page, tmp_path, "tai-len-xem-truoc-1280")
    body = page.inner_text("body")
    assert "Báo cáo trồng cây xanh" in body and "T10/2026" in body and "1.357" in body, body[-3000:]
    assert FILE_NAME in body and page.locator("b", has_text="in-dam").count() == 0  # shown literally
    assert not page.locator("[data-testid='stException']").count()
    page.set_viewport_size({"width": 390, "height": 844})
    drawn(page)
    phone = shoot(page, tmp_path, "tai-len-xem-truoc-390")
    # Nothing pushes the page sideways (the layout may take a few frames to follow the new width).
    page.wait_for_function("() => document.documentElement.scrollWidth <= 390 + 1", timeout=30_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    drawn(page)
    assert Store(db).uploads().empty  # nothing written before the confirm button

    page.locator(".st-key-confirm_import button").first.click()  # a button with help is drawn twice
    result = page.locator("[data-testid='stAlert']").filter(has_text="Kết quả nhập")
    expect(result).to_contain_text(re.compile(r"đã nhập 1\b"), timeout=60_000)  # failing, it shows the result
    idle(page)
    assert Store(db).uploads().iloc[0]["uploaded_by"] == "lan"
    shoot(page, tmp_path, "tai-len-ket-qua-1280")

    page.get_by_role("link", name="Lịch sử").first.click()
    page.get_by_text("Nhật ký thao tác").wait_for(timeout=60_000)
    idle(page)
    tables_drawn(page)
    shoot(page, tmp_path, "lich-su-1280")
    body = page.inner_text("body")
    picked = page.get_by_role("combobox", name="Chọn một lần tải lên để tải tệp gốc hoặc khôi phục")
    assert FILE_NAME in picked.input_value() and "Đang dùng" in picked.input_value()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải tệp gốc").click()
    assert Path(download.value.path()).read_bytes() == book  # the original file, byte for byte
    assert not page.locator("[data-testid='stException']").count()
    page.set_viewport_size({"width": 390, "height": 844})
    drawn(page)
    shoot(page, tmp_path, "lich-su-390")
    page.close()

    leader = browser.new_page(viewport={"width": 1280, "height": 900})  # a new visitor: no login
    leader.goto(url + "/chi-tieu?ma=cay_xanh_trong_moi")
    idle(leader)
    expect(leader.locator("[data-testid='stMain']")).to_contain_text(TOTAL, timeout=30_000)
    assert not leader.locator("[data-testid='stException']").count()
    shoot(leader, tmp_path, "chi-tieu-1280")
    leader.close()
    print(f"screenshots: {tmp_path} ({phone.name} …)")
