"""Real processes at once: a `streamlit run` server, two staff of different units uploading from two browser
contexts at the same moment, a `cli.py import` of a large log meanwhile, a leader reloading the overview; then
the figures against the sums the files were built from. And hostile text in the real browser: nothing injected."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ground import auth
from store import Store
from tests.browser_support import chromium, idle, streamlit_server, tables_drawn
from tests.hardening_support import planting_log, planting_totals
from tests.test_hardening_app import HOSTILE_FIELD, HOSTILE_FILE, HOSTILE_SHEET, IMG, hostile_tthc
from tests.test_importer import ROWS, tree_book
from tests.waiting import alive, wait_until

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
PASSWORDS = {"lan": "mat-khau-cua-lan", "hoa": "mat-khau-cua-hoa", "tuan": "mat-khau-cua-tuan"}
LOG_ROWS = 130_000  # the command line holds the database for seconds while it stores this
LOCK_WORDS = re.compile(r"could not set lock|conflicting lock|IO Error|Traceback|StoreBusy", re.IGNORECASE)


# The real command line, its transaction for the log made to last (a slow disk, a bigger log): it writes a marker
# once inside it, after every INSERT, then holds the database until the test writes a line to its stdin.
_SLOW_CLI = """
import sys
sys.path.insert(0, {root!r})
from store.writes import Writes

_audit = Writes._audit

def audit_then_linger(self, con, who, action, upload_id, detail):
    _audit(self, con, who, action, upload_id, detail)
    if detail.get("file") == {log!r}:
        open({marker!r}, "w").close()
        sys.stdin.readline()

Writes._audit = audit_then_linger
import cli
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path, Path]]:
    folder = tmp_path_factory.mktemp("dong-thoi")
    db = folder / "xanh.duckdb"
    store = Store(db, commune="an-phu")
    store.add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORDS["lan"]), who="cli")
    store.add_user("hoa", "staff", ["ttpvhcc"], auth.hash_password(PASSWORDS["hoa"]), who="cli")
    store.add_user("tuan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORDS["tuan"]), who="cli")
    first = folder / "t1.xlsx"
    first.write_bytes(tree_book(ROWS, period="Tháng 1 năm 2026", sheet="T1"))
    subprocess.run([sys.executable, "cli.py", "import", str(first), "--db", str(db)], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    with streamlit_server(db, folder / "streamlit.log") as url:
        yield url, db, folder


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def watched(browser, alerts: list[str]):
    """A new browser context (its own cookies: another person) whose page records any script dialog."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    return page


def login(page, url: str, name: str) -> None:
    page.goto(url + "/tai-len")
    idle(page)
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").wait_for(state="attached", timeout=60_000)
    idle(page)


def choose(page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )


def clean(page) -> str:
    """The page's text, after checking it shows no exception, no lock error and no injected element."""
    body = page.inner_text("body")
    assert not page.locator("[data-testid='stException']").count(), body[-2000:]
    assert not LOCK_WORDS.search(body), LOCK_WORDS.search(body)
    assert page.locator("img[src='x']").count() == 0  # the hostile <img> never became an element
    assert page.locator("strong").filter(has_text=re.compile(r"^x$")).count() == 0  # nor **x** bold text
    return body


def test_two_staff_upload_at_once_while_the_command_line_imports_and_a_leader_browses(server, browser):
    url, db, folder = server
    alerts: list[str] = []
    log = folder / "nhat-ky-2025.xlsx"
    log.write_bytes(planting_log(LOG_ROWS, year=2025))
    months = []
    for m in range(2, 10):
        months.append(folder / f"t{m}.xlsx")
        months[-1].write_bytes(tree_book(ROWS, period=f"Tháng {m} năm 2026", sheet=f"T{m}"))
    lan, hoa, leader = (watched(browser, alerts) for _ in range(3))
    login(lan, url, "lan")
    login(hoa, url, "hoa")
    choose(lan, "BC trong cay T10.xlsx", tree_book(ROWS))
    choose(hoa, HOSTILE_FILE, hostile_tthc())
    for page in (lan, hoa):
        page.get_by_text("Sẽ nhập mới.").wait_for(timeout=60_000)
        idle(page)
    body = clean(hoa)
    assert HOSTILE_FILE in body  # the file's name, shown literally in the card

    marker = folder / "cli-inside-its-transaction"
    driver = folder / "slow_cli.py"
    driver.write_text(_SLOW_CLI.format(root=str(ROOT), log=log.name, marker=str(marker)), encoding="utf-8")
    cli = subprocess.Popen(
        [sys.executable, str(driver), "import", *map(str, months[:3]), str(log), *map(str, months[3:]),
         "--db", str(db)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    leader.goto(url)
    # The command line holds the database inside its transaction until let go: the uploads below meet its lock.
    wait_until(marker.exists, 120, "the command line to store the log", unless=alive(cli, "the command line"))
    for page in (lan, hoa):  # both confirm within milliseconds: two sessions writing at once
        page.locator(".st-key-confirm_import button").first.click()
    # Both runs have begun, so wait for the database the command line still holds (a page waits BUSY_TIMEOUT, 8 s,
    # before it says the system is busy: let go of the command line now).
    for page in (lan, hoa):
        app = page.locator("[data-testid='stApp']")
        expect(app).to_have_attribute("data-test-script-state", "running", timeout=60_000)
    assert cli.poll() is None, "the command line ended before the uploads met its lock"
    cli.stdin.write("go\n")
    cli.stdin.flush()
    reloads = 0

    def leader_reloads_until_all_is_done() -> bool:
        nonlocal reloads
        leader.reload()
        idle(leader)
        clean(leader)
        reloads += 1
        return all(p.get_by_text("Kết quả nhập").count() for p in (lan, hoa)) and cli.poll() is not None

    try:
        wait_until(leader_reloads_until_all_is_done, 240, "both uploads' results and the command line's end")
    except AssertionError as exc:
        shown = {n: p.inner_text("[data-testid='stMain']")[-1500:] for n, p in (("lan", lan), ("hoa", hoa))}
        raise AssertionError(f"{exc}; command line's exit code {cli.poll()}; the staff's pages: {shown}") from None
    out, err = cli.communicate(timeout=240)
    assert cli.returncode == 0, out + err
    assert "Traceback" not in out + err
    for page in (lan, hoa):
        result = page.locator("[data-testid='stAlert']").filter(has_text="Kết quả nhập")
        expect(result).to_contain_text(re.compile(r"đã nhập 1\b"), timeout=60_000)  # failing, it shows the result
        idle(page)
        clean(page)
    assert alerts == []
    print(f"leader reloaded the overview {reloads} times while the three imports ran")

    # The figures: each file's own sums, nothing lost, nothing counted twice.
    store = Store(db, commune="an-phu")
    assert store.check_integrity() == []
    trees = store.series("cay_xanh_trong_moi").set_index("period")["value"].to_dict()
    per_book = sum(map(sum, ROWS.values()))
    expected = {f"2026-{m:02d}": per_book for m in range(1, 11)} | planting_totals(LOG_ROWS, year=2025)
    assert trees == pytest.approx(expected)
    tthc = store.series("tthc_truc_tuyen").set_index("period").loc["2026-10"]
    assert (tthc["value"], tthc["denominator"]) == (30 + 5, 40 + 10)
    uploads = store.uploads().set_index("file_name")
    assert (
        uploads.loc["BC trong cay T10.xlsx", "uploaded_by"] == "lan"
        and uploads.loc[HOSTILE_FILE, "uploaded_by"] == "hoa"
    )
    log_id = uploads.loc[log.name, "upload_id"]
    # Clicked while the command line held the database: both committed after it, having waited.
    assert (
        uploads.loc["BC trong cay T10.xlsx", "upload_id"] > log_id and uploads.loc[HOSTILE_FILE, "upload_id"] > log_id
    )

    # The hostile names on the history and indicator pages: literal, nothing injected, no script ran.
    hoa.get_by_role("link", name="Lịch sử").first.click()  # the same session: a new address would sign out
    hoa.get_by_text("Nhật ký thao tác").wait_for(timeout=60_000)
    idle(hoa)
    tables_drawn(hoa)
    clean(hoa)
    picked = hoa.get_by_role("combobox", name="Chọn một lần tải lên để tải tệp gốc hoặc khôi phục")
    picked.click()  # the list of uploads, each labelled with its file name
    hoa.get_by_role("option").first.wait_for(timeout=30_000)
    assert any(HOSTILE_FILE in t for t in hoa.get_by_role("option").all_inner_texts())
    clean(hoa)
    hoa.keyboard.press("Escape")
    leader.goto(url + "/chi-tieu?ma=tthc_truc_tuyen&thang=2026-10")
    idle(leader)
    tables_drawn(leader)  # after the script ends
    clean(leader)
    assert alerts == []


def test_hostile_sheet_text_in_a_refusal_shows_literally_in_the_browser(server, browser):
    url, _, _ = server
    alerts: list[str] = []
    page = watched(browser, alerts)
    login(page, url, "tuan")
    rows = {"Thôn An Lạc": [1, 0, 0, 0], f"Thôn {HOSTILE_FIELD}": [2, 0, 0, 0]}
    choose(page, HOSTILE_FILE, tree_book(rows, sheet=HOSTILE_SHEET))
    page.get_by_text("Có lỗi, chưa thể nhập tệp này").wait_for(timeout=60_000)
    idle(page)
    body = clean(page)
    assert HOSTILE_FIELD in body and HOSTILE_SHEET in body and IMG in body
    assert alerts == []
