"""A login that survives a browser reload: session rows in a real DuckDB file (create, look up, expire, logout,
password change, removal), the session logic through AppTest with the browser's cookie stood in for, and a real
`streamlit run` in Debian's Chromium: log in, reload, still in; log out, reload, out."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.testing.v1 import AppTest

from app_pages import session
from ground import auth
from store import Store
from tests import test_browser
from tests.browser_support import drawn
from tests.test_browser import IDLE, _open

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PASSWORD = "mat-khau-cua-lan"
LOGIN_AT = datetime(2026, 10, 5, 8, 0, 0)


@pytest.fixture
def store(db_path: Path, monkeypatch, fast_hashes) -> Store:
    monkeypatch.setenv("XANH_DB", str(db_path))
    s = Store(db_path, commune="an-phu")
    s.add_user("quantri", "admin", [], auth.hash_password("mat-khau-qt"), who="cli")
    s.add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORD), who="cli")
    return s


def opened(store: Store, name: str, at: datetime = LOGIN_AT) -> str:
    """A session recorded as the login form records it; returns the browser's token."""
    token = auth.new_session_token()
    store.open_session(auth.token_digest(token), store.user(name), at=at, until=at + auth.SESSION_FOR)
    return token


def stored_text(store: Store) -> str:
    with duckdb.connect(str(store.path), read_only=True) as con:
        return repr(con.execute("SELECT * FROM sessions").fetchall())


# ---------------------------------------------------------------- tokens and rules


def test_tokens_are_random_url_safe_and_stored_only_as_their_hash():
    tokens = {auth.new_session_token() for _ in range(50)}
    assert len(tokens) == 50 and all(auth.token_well_formed(t) for t in tokens)
    token = next(iter(tokens))
    digest = auth.token_digest(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest) and token not in digest
    for bad in ("", "abc", token + "\n", token[:-1] + ";", token[:-1] + '"', token + "A", None):
        assert not auth.token_well_formed(bad), bad


def test_session_end_gives_the_reason_in_order():
    lan = auth.User("lan", "staff", ("phong-kinh-te",), 3)
    just_before = LOGIN_AT + auth.SESSION_FOR - timedelta(seconds=1)
    assert auth.session_end(LOGIN_AT, 3, lan, just_before) is None
    assert auth.session_end(LOGIN_AT, 3, lan, LOGIN_AT + auth.SESSION_FOR) == "expired"
    assert auth.session_end(LOGIN_AT, 3, lan, LOGIN_AT - timedelta(minutes=1)) == "expired"  # clock set back
    assert auth.session_end(LOGIN_AT, 3, None, just_before) == "removed"
    assert auth.session_end(LOGIN_AT, 2, lan, just_before) == "password_changed"
    assert auth.session_end(LOGIN_AT, 2, None, LOGIN_AT + auth.SESSION_FOR) == "expired"


def test_the_cookie_script_sets_and_deletes_with_the_right_attributes():
    token = auth.new_session_token()
    set_html = session.cookie_html(("set", token))
    assert f'"{auth.SESSION_COOKIE}={token}"' in set_html
    assert "Path=/; Max-Age=28800; SameSite=Strict" in set_html and 'location.protocol === "https:"' in set_html
    gone = session.cookie_html(("delete", ""))
    assert f'"{auth.SESSION_COOKIE}="' in gone and "Max-Age=0;" in gone and token not in gone
    with pytest.raises(ValueError):
        session.cookie_html(("set", 'x"; alert(1); "' + "a" * 30))


# ---------------------------------------------------------------- the store


def test_a_session_is_recorded_looked_up_and_closed_by_its_hash(store):
    lan = store.user("lan")
    token = opened(store, "lan")
    digest = auth.token_digest(token)
    record = store.session(digest)
    assert record == auth.SessionRecord("lan", LOGIN_AT, LOGIN_AT + timedelta(hours=8), lan.generation)
    assert token not in stored_text(store) and digest in stored_text(store)
    assert store.session(auth.token_digest(auth.new_session_token())) is None
    assert store.close_session(digest) is True
    assert store.session(digest) is None
    assert store.close_session(digest) is False


def test_expired_sessions_are_purged_at_the_next_login(store):
    old = auth.token_digest(opened(store, "lan", LOGIN_AT))
    recent = auth.token_digest(opened(store, "quantri", LOGIN_AT + timedelta(hours=2)))
    # A login exactly 8 hours after the first: the first has just expired, the second has not.
    new = auth.token_digest(opened(store, "lan", LOGIN_AT + auth.SESSION_FOR))
    assert store.session(old) is None
    assert store.session(recent) is not None and store.session(new) is not None
    assert store.purge_sessions(LOGIN_AT + timedelta(hours=10)) == 1
    assert store.session(recent) is None and store.session(new) is not None


def test_a_password_change_makes_the_recorded_generation_stale(store):
    digest = auth.token_digest(opened(store, "lan"))
    during = LOGIN_AT + timedelta(hours=1)
    record = store.session(digest)
    assert auth.session_end(record.created_at, record.generation, store.user("lan"), during) is None
    store.set_password("lan", auth.hash_password("mat-khau-moi-123"), who="quantri")
    record = store.session(digest)
    assert auth.session_end(record.created_at, record.generation, store.user("lan"), during) == "password_changed"


def test_removing_an_account_deletes_its_sessions_so_a_new_account_of_that_name_gets_none(store):
    digest = auth.token_digest(opened(store, "lan"))
    other = auth.token_digest(opened(store, "quantri"))
    store.remove_user("lan", who="quantri")
    store.add_user("lan", "staff", ["ttpvhcc"], auth.hash_password("nguoi-khac-ten-lan"), who="quantri")
    assert store.session(digest) is None and store.session(other) is not None


# ---------------------------------------------------------------- the app (AppTest: the cookie stood in for)


def cookie_scripts(at: AppTest) -> list[str]:
    return [h.value for h in at.html if "xanh-phien" in h.value]


@pytest.fixture
def browser_cookie(monkeypatch):
    """What the browser sent when the tab connected: set `.token` before the AppTest's first run."""

    class Jar:
        token: str | None = None

    monkeypatch.setattr(session, "cookie_token", lambda: Jar.token)
    return Jar


def run_app(page: str | None = None, scripts: list[str] | None = None) -> AppTest:
    """The real router: the first run on the overview (a tab opening), then `page`; `scripts` collects the cookie
    scripts of both runs."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    if scripts is not None:
        scripts += cookie_scripts(at)
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        if scripts is not None:
            scripts += cookie_scripts(at)
    assert not at.exception, at.exception
    return at


def test_a_login_records_the_session_and_writes_its_cookie_on_the_next_run(store, browser_cookie):
    at = run_app("tai_len")
    at.text_input[0].input("lan")
    at.text_input[1].input(PASSWORD)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception and at.file_uploader
    [script] = cookie_scripts(at)
    token = re.search(rf'"{auth.SESSION_COOKIE}=([^"]+)"', script).group(1)
    assert at.session_state[session.STATE]["token"] == auth.token_digest(token)
    assert store.session(auth.token_digest(token)).name == "lan"
    at.run()
    assert not cookie_scripts(at)  # written once


def test_the_cookie_restores_the_session_in_a_new_tab_and_logout_ends_it_everywhere(store, browser_cookie):
    browser_cookie.token = opened(store, "lan", session.clock())
    scripts: list[str] = []
    first, second = run_app("tai_len", scripts), run_app("tai_len")
    assert first.file_uploader and second.file_uploader and not scripts  # a restore writes no cookie
    assert first.session_state[session.STATE]["name"] == "lan"
    [logout] = [b for b in second.sidebar.button if b.label == "Đăng xuất"]
    logout.click().run()
    assert not second.file_uploader and "Bạn đã đăng xuất." in [i.value for i in second.info]
    assert store.session(auth.token_digest(browser_cookie.token)) is None
    [script] = cookie_scripts(second)
    assert "Max-Age=0;" in script
    second.run()  # the tab still holds the cookie it connected with: it must not log back in
    assert not second.file_uploader and session.STATE not in second.session_state
    first.run()  # the other tab shares the cookie, and the logout
    assert not first.file_uploader and "Bạn đã đăng xuất." in [i.value for i in first.info]


@pytest.mark.parametrize(
    ("change", "notice"),
    [("password", "vừa được đổi"), ("expired", "quá 8 giờ")],
    ids=["doi-mat-khau", "het-8-gio"],
)
def test_a_cookie_for_a_session_that_has_ended_logs_in_nobody(store, browser_cookie, change, notice):
    at_login = session.clock() - (auth.SESSION_FOR if change == "expired" else timedelta(hours=1))
    browser_cookie.token = opened(store, "lan", at_login)
    if change == "password":
        store.set_password("lan", auth.hash_password("mat-khau-moi-123"), who="quantri")
    scripts: list[str] = []
    at = run_app("tai_len", scripts)
    assert not at.file_uploader and notice in "\n".join(i.value for i in at.info)
    assert store.session(auth.token_digest(browser_cookie.token)) is None
    assert len(scripts) == 1 and "Max-Age=0;" in scripts[0]


def test_an_unknown_or_malformed_cookie_is_dropped_once(store, browser_cookie):
    for token in (auth.new_session_token(), "không-phải-mã", "x" * 4000):
        browser_cookie.token = token
        scripts: list[str] = []
        at = run_app("tai_len", scripts)
        assert not at.file_uploader and [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
        assert len(scripts) == 1 and "Max-Age=0;" in scripts[0]  # dropped on the first run, not again


# ---------------------------------------------------------------- a real browser

# test_browser's fixtures, used as they are: its server serves this module's sample_db (below), its browser is
# Debian's Chromium with the flags every browser test uses.
server = test_browser.server
browser = test_browser.browser


@pytest.fixture(scope="module")
def sample_db(sample_db, tmp_path_factory):
    """The shared sample database, copied (it must not be written), with a staff account: test_browser's server
    fixture serves this one."""
    folder = tmp_path_factory.mktemp("phien")
    db = folder / "xanh.duckdb"
    shutil.copy(sample_db, db)
    Store(db).add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORD), who="cli")
    return db


def _cookie(page) -> dict | None:
    found = [c for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE]
    return found[0] if found else None


_TOP = "document.querySelector('[data-testid=stHeading]').getBoundingClientRect().top"


def _heading_top(page) -> float:
    drawn(page)  # after a resize or a run: the layout has followed
    return page.evaluate(_TOP)


def _heading_settles_at(page, top: float) -> None:
    """The title sits at `top` (within a pixel) once the layout has settled, or the test fails saying where it is."""
    try:
        page.wait_for_function(f"top => Math.abs({_TOP} - top) < 1", arg=top, timeout=30_000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the title is at {page.evaluate(_TOP)} px, not {top} px") from None


def _shot(page, folder: Path, name: str) -> None:
    drawn(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_in_a_real_browser_a_login_survives_a_reload_and_a_logout_does_not(server, browser, sample_db, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _open(page, server + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("lan")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Bạn đang đăng nhập với tài khoản").wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function(f"document.cookie.includes('{auth.SESSION_COOKIE}=')", timeout=10_000)
    cookie = _cookie(page)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and not cookie["secure"]
    assert 28_000 < cookie["expires"] - datetime.now().timestamp() <= 28_801
    token = cookie["value"]
    assert Store(sample_db).session(auth.token_digest(token)).name == "lan"
    assert token not in page.content().replace(f"{auth.SESSION_COOKIE}={token}", "")  # only inside its script
    # The element that wrote the cookie is still on the page, hidden: no gap above the title, at either width.
    holder = "[data-testid=stElementContainer]:has(.xanh-phien)"
    assert page.evaluate(f"getComputedStyle(document.querySelector('{holder}')).display") == "none"
    tops = {1280: _heading_top(page)}
    _shot(page, tmp_path, "dang-nhap-vua-xong-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    tops[390] = _heading_top(page)
    _shot(page, tmp_path, "dang-nhap-vua-xong-390")

    page.reload()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text("Bạn đang đăng nhập với tài khoản").wait_for(timeout=60_000)
    assert page.locator(holder).count() == 0
    _heading_settles_at(page, tops[390])
    _shot(page, tmp_path, "sau-khi-tai-lai-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    _heading_settles_at(page, tops[1280])
    tab = context.new_page()  # a second tab of the same browser: the cookie logs it in too
    _open(tab, server + "/tai-len")
    assert tab.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 1
    tab.close()

    page.get_by_role("button", name="Đăng xuất").click()
    page.get_by_text("Bạn đã đăng xuất.").wait_for(timeout=60_000)
    page.wait_for_function(f"!document.cookie.includes('{auth.SESSION_COOKIE}=')", timeout=10_000)
    assert _cookie(page) is None and Store(sample_db).session(auth.token_digest(token)) is None
    page.reload()
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_label("Tên đăng nhập").wait_for(timeout=60_000)
    assert "Bạn đang đăng nhập" not in page.inner_text("body")
    assert not page.locator("[data-testid='stException']").count()
    context.close()
    print(f"screenshots: {tmp_path}")
