"""Entry point and router of the dashboard: the page list, the shared selectors kept in the URL, then the page."""

from __future__ import annotations

import os

import streamlit as st

from app_pages import data, filters, frozen, layout, session, snapshot_banner, tables
from views import texts

st.set_page_config(page_title=texts.APP_TITLE, page_icon=":material/eco:", layout="wide")

# One entry per page, in menu order: (script, title, URL path, icon). Append new pages here; the URL path
# is part of every link a leader sends, so never change an existing one.
PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/tong_quan.py", "Tổng quan", "", ":material/dashboard:"),
    ("app_pages/chi_tieu.py", "Chỉ tiêu", "chi-tieu", ":material/monitoring:"),
    ("app_pages/thon.py", "Theo thôn", "thon", ":material/holiday_village:"),
    ("app_pages/don_vi.py", "Theo đơn vị", "don-vi", ":material/groups:"),
    ("app_pages/phuong_phap.py", "Phương pháp", "phuong-phap", ":material/functions:"),
    ("app_pages/bao_cao.py", "Báo cáo", "bao-cao", ":material/description:"),
]

# The city's page, only when the dashboard is started with XANH_CITY_DIR (the folder the communes export into).
CITY_PAGE = ("app_pages/thanh_pho.py", "Toàn thành phố", "thanh-pho", ":material/location_city:")


def pages() -> list[st.Page]:
    return [
        st.Page(script, title=title, url_path=path or None, icon=icon, default=not path)
        for script, title, path, icon in PAGES
    ]


def city_page(default: bool) -> st.Page:
    script, title, path, icon = CITY_PAGE
    return st.Page(script, title=title, url_path=path, icon=icon, default=default)


if os.environ.get("XANH_CITY_DIR") and not data.db_path().exists():
    # A city server: the exports' folder and no commune database, so the city page alone (nothing to log into).
    # The city page keeps its /thanh-pho address (links sent stay valid when a commune database is added later);
    # "/" sends there.
    city = city_page(default=False)
    home = st.Page(
        lambda: st.switch_page(city, query_params=st.query_params.to_dict()),  # ?ma=, ?thang= kept
        title=CITY_PAGE[1],
        url_path="trang-chu",
        default=True,
    )
    only = st.navigation([home, city], position="hidden")
    layout.style()
    only.run()
    st.stop()

user = session.current_user()  # None for a visitor; read afresh from the database on every run
city_pages = [city_page(default=False)] if os.environ.get("XANH_CITY_DIR") else []
page = st.navigation(pages() + city_pages + session.account_pages(user))
st.session_state[tables.PAGE_TITLE] = page.title  # named in the first line of every download
layout.style()
session.account_box(user)
frozen.sync_url()  # ?snapshot=ID: the pages read that snapshot's frozen figures (before any read)
on_city = page.url_path == CITY_PAGE[2]  # its ?thang=, ?ma= are the exports', not this commune's catalogue's
if not on_city:
    filters.sync_url(data.snapshot())
if not session.require_login_to_view():  # an admin may require login to view (Quản trị > Cài đặt)
    if not on_city:
        snapshot_banner.show(data.snapshot())
    page.run()
