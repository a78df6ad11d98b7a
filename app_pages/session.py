"""Who is signed in: the login form, the 8-hour session checked against the database on every run, logout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

import auth
from app_pages import data
from app_pages.layout import header, md
from auth import User
from catalogue import load_catalogue
from store import Store, StoreBusy, now_vietnam

STATE = "auth_session"  # {"name", "login_at", "generation"}: nothing else about the account lives in the session
NOTICE = "auth_notice"  # why a session just ended, shown once

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
    return _or_stop(lambda: _login_required(str(store.path), stamp))


def current_user(store: Store | None = None) -> User | None:
    """The signed-in account, read afresh from the database; None for a visitor.

    Ends the session (with a notice shown once) when it is older than 8 hours, when the account was removed,
    or when its password was changed since the login.
    """
    held = st.session_state.get(STATE)
    if not held:
        return None
    store = store or app_store()
    user = _or_stop(lambda: _account(str(store.path), store.file_stamp(), held["name"], store.timeout))
    if auth.session_expired(held["login_at"], clock()):
        return end_session(TEXT["expired"])
    if user is None:
        return end_session(TEXT["removed"].format(name=held["name"]))
    if user.generation != held["generation"]:
        return end_session(TEXT["password_changed"].format(name=held["name"]))
    return user


def start_session(user: User, at: datetime | None = None) -> None:
    st.session_state[STATE] = {"name": user.name, "login_at": at or clock(), "generation": user.generation}
    st.session_state.pop(NOTICE, None)


def end_session(notice: str | None = None) -> None:
    st.session_state.pop(STATE, None)
    if notice:
        st.session_state[NOTICE] = notice
    return None


def show_notice() -> None:
    """The reason the last session ended, once."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(notice)


def login_form(store: Store | None = None, *, key: str = "dang_nhap") -> User | None:
    """The login form; on success starts the session and reruns the page the user is on."""
    show_notice()
    with st.form(key, clear_on_submit=True, width=420):
        name = st.text_input(TEXT["name"], autocomplete="username", max_chars=64)
        password = st.text_input(TEXT["password"], type="password", autocomplete="current-password", max_chars=256)
        submitted = st.form_submit_button(TEXT["submit"], type="primary")
    st.caption(TEXT["no_account"])
    if not submitted:
        return None
    if not name.strip() or not password:
        st.error(TEXT["empty"])
        return None
    try:
        result = auth.login(store or app_store(), name, password)
    except StoreBusy:
        busy_notice()
        return None
    if not result.ok:
        st.error(result.message)
        return None
    start_session(result.user)
    st.rerun()
    return result.user


def account_box(user: User | None) -> None:
    """In the sidebar: who is signed in, and the logout button."""
    if user is None:
        return
    with st.sidebar:
        st.caption(TEXT["logged_in"].format(name=md(user.name), role=user.role_name))
        if st.button(TEXT["logout"], key="dang_xuat"):
            end_session(TEXT["logged_out"])
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
