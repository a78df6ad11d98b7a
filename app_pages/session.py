"""Who is signed in: the login form, the 8-hour session checked against the database on every run and kept across
a browser reload by a cookie, logout."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable
from datetime import datetime

import streamlit as st

from app_pages import data
from app_pages.layout import header, md
from ground import auth
from ground.auth import User
from ground.catalogue import load_catalogue
from store import Store, StoreBusy, StoreReadOnly, now_vietnam

# {"name", "login_at", "generation", "token"}: nothing else about the account lives in the session. "token" is the
# SHA-256 of the browser's cookie (absent for a session started without one, as in AppTest).
STATE = "auth_session"
NOTICE = "auth_notice"  # why a session just ended, shown once
COOKIE_JOB = "auth_cookie_job"  # ("set", token) or ("delete", ""): written into the browser at the next chance
# The hash of the cookie this tab connected with, once looked up: restored or refused, it is never used again here
# (a logout must not be undone by the cookie the tab still holds in st.context.cookies).
COOKIE_SEEN = "auth_cookie_seen"
# The account this run was decided for (None: a visitor), kept by current_user() so the tables, banners and
# downloads can apply views/privacy.py without another database read. Absent counts as a visitor.
VIEWER = data.VIEWER

TEXT = {
    "title": "Đăng nhập",
    "intro": "Cán bộ nhập liệu và quản trị viên đăng nhập để tải lên báo cáo, khôi phục phiên bản cũ và quản trị.",
    "name": "Tên đăng nhập",
    "password": "Mật khẩu",
    "submit": "Đăng nhập",
    "empty": "Hãy nhập tên đăng nhập và mật khẩu.",
    "logged_in": "Đã đăng nhập: **{name}** ({role})",
    "logout": "Đăng xuất",
    "logged_out": "Bạn đã đăng xuất.",
    "expired": "Phiên làm việc đã quá 8 giờ nên đã kết thúc. Hãy đăng nhập lại.",
    "removed": "Tài khoản {name} không còn tồn tại nên phiên làm việc đã kết thúc.",
    "password_changed": "Mật khẩu của tài khoản {name} vừa được đổi; hãy đăng nhập lại bằng mật khẩu mới.",
    "need_login_to_view": "Bảng điều khiển chỉ dành cho tài khoản đã đăng nhập. Hãy đăng nhập để xem số liệu.",
    "no_account": "Chưa có tài khoản? Hãy nhờ quản trị viên của xã tạo tài khoản cho bạn.",
    "hello": "Bạn đang đăng nhập với tài khoản **{name}** ({role}).",
    "busy": (
        "Hệ thống đang bận vì đang ghi số liệu của một lần nhập khác. Hãy chờ vài giây rồi thử lại (tải lại trang); "
        "số liệu đã nhập không bị ảnh hưởng."
    ),
}

log = logging.getLogger(__name__)

# Replaceable in tests: the session's clock (the store keeps its own for what it writes).
clock = now_vietnam


def app_store() -> Store:
    """The app's database, for the commune of the catalogue (with the pages' wait on a busy file)."""
    return data.app_store(data.db_path(), load_catalogue())


@st.cache_data(show_spinner=False, max_entries=256)
def _account(path: str, stamp: tuple, name: str, timeout: float) -> User | None:
    # Keyed on the file's stamp: any write (a role change, a removal) changes it, so the next run sees it.
    return Store(path, timeout=timeout).user(name)


@st.cache_data(show_spinner=False, max_entries=16)
def _login_required(path: str, stamp: tuple) -> bool:
    return Store(path, timeout=data.BUSY_TIMEOUT).login_required()


def busy_notice() -> None:
    """Another process held the database past the wait: say so in Vietnamese, never show the lock error."""
    st.warning(TEXT["busy"], icon=":material/hourglass_top:")


def guarded(render: Callable[[], None]) -> None:
    """Run a page; a database kept busy past the wait ends it with the busy notice instead of an exception."""
    try:
        render()
    except StoreBusy:
        busy_notice()
    except StoreReadOnly as exc:  # a write on a database opened read-only: what to fix, nothing changed
        st.error(str(exc), icon=":material/lock:")


def _or_stop(read: Callable[[], object]) -> object:
    # Before the page runs (router, account check) there is nothing to show without the database.
    try:
        return read()
    except StoreBusy:
        busy_notice()
        st.stop()


def login_required(store: Store | None = None) -> bool:
    """Whether visitors must log in to see the dashboards (set by an admin on /quan-tri)."""
    store = store or app_store()
    stamp = store.file_stamp()
    if stamp[0] == 0:  # no database yet: nothing to require, and a visit must not create the file
        return False
    try:
        return _or_stop(lambda: _login_required(str(store.path), stamp))
    except Exception as exc:  # a damaged file: nothing in it can be shown either; the page says it is unreadable
        log.error("the login setting of %s could not be read: %s", store.path, exc)
        return False


def current_user(store: Store | None = None) -> User | None:
    """The signed-in account, read afresh from the database; None for a visitor.

    Without a session in this browser tab, the session cookie (a reload, a phone re-opening the tab) restores
    the login it stands for. Ends the session (with a notice shown once) when it is older than 8 hours, when the
    account was removed, when its password was changed since the login, or when it was logged out elsewhere.
    """
    store = store or app_store()
    st.session_state[VIEWER] = None  # until the account is confirmed below: fail towards the visitor's view
    write_cookie()
    held = st.session_state.get(STATE) or _restored(store)
    if not held:
        write_cookie()
        return None
    user = _or_stop(lambda: _account(str(store.path), store.file_stamp(), held["name"], store.timeout))
    reason = auth.session_end(held["login_at"], held["generation"], user, clock())
    if reason is None and held.get("token") and _recorded(store, held["token"]) is None:
        reason = "logged_out"  # in another tab of this browser, which shares the cookie
    if reason is None:
        st.session_state[VIEWER] = user
        return user
    end_session(TEXT[reason].format(name=held["name"]), store)
    write_cookie()
    return None


def viewer() -> User | None:
    """Who reads this run's page, as current_user() last found it; None (a visitor) when it has not run."""
    held = st.session_state.get(VIEWER)
    return held if isinstance(held, User) else None


def _recorded(store: Store, token_sha256: str) -> auth.SessionRecord | None:
    return _or_stop(lambda: _session(str(store.path), store.file_stamp(), token_sha256, store.timeout))


@st.cache_data(show_spinner=False, max_entries=256)
def _session(path: str, stamp: tuple, token_sha256: str, timeout: float) -> auth.SessionRecord | None:
    # Keyed on the file's stamp like _account: a logout in another tab deletes the row and changes the stamp.
    return Store(path, timeout=timeout).session(token_sha256)


def cookie_token() -> str | None:
    """The session token the browser sent when this tab connected (st.context.cookies is fixed at that moment)."""
    value = st.context.cookies.get(auth.SESSION_COOKIE)
    return value if isinstance(value, str) else None  # AppTest's stand-in runtime answers with a mock


def _restored(store: Store) -> dict | None:
    """The session the cookie stands for, now held in this tab; None (and the cookie dropped) when there is none."""
    token = cookie_token()
    if not token or store.file_stamp()[0] == 0:  # no database: nothing to restore, and a visit must not create it
        return None
    digest = auth.token_digest(token)
    if st.session_state.get(COOKIE_SEEN) == digest:  # used and ended in this tab, or refused: not again
        return None
    record = _recorded(store, digest) if auth.token_well_formed(token) else None
    st.session_state[COOKIE_SEEN] = digest
    if record is None:  # not ours, logged out, purged after expiry, or the account removed
        st.session_state[COOKIE_JOB] = ("delete", "")
        return None
    held = {"name": record.name, "login_at": record.created_at, "generation": record.generation, "token": digest}
    st.session_state[STATE] = held
    return held


def start_session(user: User, store: Store | None = None, at: datetime | None = None) -> None:
    """Hold the login in this tab and record it in the database; its cookie is written on the next run."""
    at = at or clock()
    token = auth.new_session_token()
    digest = auth.token_digest(token)
    (store or app_store()).open_session(digest, user, at=at, until=at + auth.SESSION_FOR)
    st.session_state[STATE] = {"name": user.name, "login_at": at, "generation": user.generation, "token": digest}
    st.session_state[COOKIE_JOB] = ("set", token)
    st.session_state.pop(NOTICE, None)


def end_session(notice: str | None = None, store: Store | None = None) -> None:
    """Forget the login in this tab, delete its database row and, on the next run, its cookie."""
    held = st.session_state.pop(STATE, None)
    if notice:
        st.session_state[NOTICE] = notice
    if not held or not held.get("token"):
        return None
    st.session_state[COOKIE_JOB] = ("delete", "")
    with contextlib.suppress(StoreBusy):  # the cookie still goes; the row lapses at its expiry
        (store or app_store()).close_session(held["token"])
    return None


# The cookie is written by the page, which is the only way Streamlit offers; the element hides itself (no gap).
_COOKIE_HTML = (
    '<style>[data-testid="stElementContainer"]:has(.xanh-phien){{display:none}}</style>'
    '<span class="xanh-phien"></span>'
    '<script>document.cookie = {value} + "; Path=/; Max-Age={age}; SameSite=Strict"'
    ' + (location.protocol === "https:" ? "; Secure" : "");</script>'
)


def cookie_html(job: tuple[str, str]) -> str:
    """The hidden element that sets ("set", token) or deletes ("delete", "") the session cookie in the browser."""
    action, token = job
    if action == "set":
        if not auth.token_well_formed(token):
            raise ValueError("not a session token")
        return _COOKIE_HTML.format(
            value=json.dumps(f"{auth.SESSION_COOKIE}={token}"), age=int(auth.SESSION_FOR.total_seconds())
        )
    return _COOKIE_HTML.format(value=json.dumps(f"{auth.SESSION_COOKIE}="), age=0)


def write_cookie() -> None:
    """Send the pending cookie change to the browser, once. Called at the start of a run, so a login's st.rerun()
    cannot drop it."""
    job = st.session_state.pop(COOKIE_JOB, None)
    if job:
        st.html(cookie_html(job), unsafe_allow_javascript=True)


def show_notice() -> None:
    """The reason the last session ended, once."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(notice)


LOCALHOST = "127.0.0.1"


def client() -> str:
    """The address a login attempt counts against (ground/auth.client_of): the browser's, or behind a reverse proxy
    listed in XANH_TRUSTED_PROXIES (comma-separated addresses), the one that proxy forwarded."""
    peer = st.context.ip_address
    # Streamlit answers None for a connection from this machine itself, which is where a reverse proxy connects.
    peer = peer if isinstance(peer, str) and peer else LOCALHOST
    forwarded = st.context.headers.get("X-Forwarded-For") if hasattr(st.context.headers, "get") else None
    trusted = os.environ.get("XANH_TRUSTED_PROXIES", "").split(",")
    return auth.client_of(peer, forwarded if isinstance(forwarded, str) else None, trusted)


def _take_password(key: str) -> None:
    # Runs before the script: the password leaves its box (never shown again), the name stays for a second try.
    st.session_state[key + "_given"] = st.session_state.get(key + "_pw", "")
    st.session_state[key + "_pw"] = ""


def signed_in(store: Store, why: str, *, key: str) -> User | None:
    """The signed-in user of a staff page; None after showing why the page needs a login, and the login form."""
    user = current_user(store)
    if user is None:
        st.info(why)
        login_form(store, key=key)
    return user


def login_form(store: Store | None = None, *, key: str = "dang_nhap") -> User | None:
    """The login form; on success starts the session and reruns the page the user is on. A refusal keeps the name
    typed and empties the password."""
    show_notice()
    with st.form(key, clear_on_submit=False, width=420):
        name = st.text_input(TEXT["name"], autocomplete="username", max_chars=64, key=key + "_name")
        st.text_input(
            TEXT["password"], type="password", autocomplete="current-password", max_chars=256, key=key + "_pw"
        )
        submitted = st.form_submit_button(TEXT["submit"], type="primary", on_click=_take_password, args=(key,))
    st.caption(TEXT["no_account"])
    password = st.session_state.pop(key + "_given", "")
    if not submitted:
        return None
    if not name.strip() or not password:
        st.error(TEXT["empty"])
        return None
    store = store or app_store()
    try:
        result = auth.login(store, name, password, client=client())
        if result.ok:
            start_session(result.user, store)
    except StoreBusy:
        busy_notice()
        return None
    except StoreReadOnly as exc:  # a login writes (its counters, the session): say why it cannot
        st.error(str(exc), icon=":material/lock:")
        return None
    if not result.ok:
        st.error(result.message)
        return None
    st.rerun()
    return result.user


def account_box(user: User | None) -> None:
    """In the sidebar: who is signed in, and the logout button."""
    if user is None:
        return
    with st.sidebar:
        st.caption(TEXT["logged_in"].format(name=md(user.name), role=user.role_name))
        if st.button(TEXT["logout"], key="dang_xuat"):
            end_session(TEXT["logged_out"])  # the cookie is deleted at the start of the next run
            st.rerun()


def login_page() -> None:
    """The /dang-nhap page: the form, or who is signed in."""
    header(TEXT["title"])
    store = app_store()
    user = current_user(store)
    if user is not None:
        st.success(TEXT["hello"].format(name=md(user.name), role=user.role_name))
        for path, title, url, icon in ACCOUNT_PAGES:
            if url in visible_paths(user):
                st.page_link(path, label=title, icon=icon)
        return
    st.write(TEXT["intro"])
    login_form(store)


# (file, title, url path, icon) of the account pages, for the router's list.
ACCOUNT_PAGES = (
    ("app_pages/dang_nhap.py", "Đăng nhập", "dang-nhap", ":material/login:"),
    ("app_pages/tai_len.py", "Tải lên", "tai-len", ":material/upload_file:"),
    ("app_pages/lich_su.py", "Lịch sử", "lich-su", ":material/history:"),
    ("app_pages/quan_tri.py", "Quản trị", "quan-tri", ":material/admin_panel_settings:"),
)


def visible_paths(user: User | None) -> set[str]:
    """The account pages shown in the navigation for this user; the others stay reachable by link and explain."""
    if user is None:
        return {"dang-nhap"}
    shown = {"lich-su"}
    if user.may_upload:
        shown.add("tai-len")
    if user.is_admin:
        shown.add("quan-tri")
    return shown


def account_pages(user: User | None) -> list[st.Page]:
    """st.Page objects of the account pages, each visible in the menu only to whom it serves."""
    shown = visible_paths(user)
    return [
        st.Page(path, title=title, url_path=url, icon=icon, visibility="visible" if url in shown else "hidden")
        for path, title, url, icon in ACCOUNT_PAGES
    ]


def require_login_to_view(store: Store | None = None) -> bool:
    """For the router: True (after showing the login form) when a visitor may not see the dashboards."""
    store = store or app_store()
    if current_user(store) is not None or not login_required(store):
        return False
    header(TEXT["title"])
    st.info(TEXT["need_login_to_view"])
    login_form(store, key="dang_nhap_xem")
    return True
