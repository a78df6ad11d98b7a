"""What a visitor gets holds no login name (views/privacy.py): a report imported under a named account and a
snapshot frozen by a named admin, then every public page, live and frozen, and every file its buttons give (Excel,
CSV, the Word brief) scanned for either name. Staff still see who uploaded what."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ground import auth
from ground.catalogue import load_catalogue
from intake.importer import import_file
from store import Store
from tests.pages_support import ROOT, SAMPLE, app_on, unescape, use_db
from tests.pages_support import texts as page_texts

UPLOADER, FREEZER = "lan.bimat", "quantri.bimat"
TREES = "cay_xanh_trong_moi"
PUBLIC = ["tong_quan", "chi_tieu", "thon", "don_vi", "phuong_phap", "bao_cao"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("privacy") / "xanh.duckdb"
    catalogue = load_catalogue()
    store = Store(path, commune=catalogue.commune.code)
    for name in ("BC trong cay T10.2026.xlsx", "BC trong cay T3.2026.xlsx", "TTHC_thang10_2026.xlsx"):
        out = import_file(store, catalogue, (SAMPLE / name).read_bytes(), name, user=UPLOADER)
        assert out.status in ("imported", "replaced"), out
    store.add_user(UPLOADER, "staff", ["phong-kinh-te"], auth.hash_password("mat-khau-lan-1"), who="cli")
    store.freeze("Họp giao ban tháng 11", None, FREEZER, catalogue=catalogue)
    return path


@pytest.fixture
def files(monkeypatch) -> list:
    """Every download button's data, as the page gave it (bytes, or the function that makes them on a click)."""
    given: list = []
    real = streamlit.download_button

    def spy(label, data=None, *args, **kwargs):
        given.append((kwargs.get("file_name") or (args[0] if args else ""), data))
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", spy)
    return given


def run(page: str, user: str | None = None, **params: str) -> AppTest:
    at = app_on(f"app_pages/{page}.py", user or None, **params)
    if page == "bao_cao":
        at.button(key="bao_cao_lap").click().run()  # the Word brief, as a visitor may make it
        assert not at.exception
    return at


def _content(name: str, data) -> str:
    """The text a leader could read in a downloaded file."""
    raw = data() if callable(data) else data
    if isinstance(raw, str):
        raw = raw.encode()
    if name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(raw))
        return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    if name.endswith(".csv"):
        return "\n".join(",".join(r) for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return raw.decode("latin-1")  # a chart's PNG or SVG: any text in it


def _screen(at: AppTest) -> str:
    parts = [unescape(page_texts(at))]  # layout.md() escapes "lan.bimat" as "lan\\.bimat"
    for d in at.dataframe:
        parts += [" ".join(map(str, d.value.columns)), *(str(v) for v in d.value.to_numpy().ravel())]
    return "\n".join(parts)


@pytest.mark.slow
def test_a_visitor_sees_no_login_name_on_any_page_or_in_any_file(db, files):
    catalogue = load_catalogue()
    with contextlib.contextmanager(use_db)(db):
        sid = str(int(Store(db).snapshots()["id"].iloc[0]))
        seen = []
        for page in PUBLIC:
            for params in ({}, {"snapshot": sid}):
                extra = {"ma": TREES} if page == "chi_tieu" else {}
                at = run(page, **params, **extra)
                seen.append((page, params, _screen(at)))
        for page, params, text in seen:
            for name in (UPLOADER, FREEZER):
                assert name not in text, (page, params, name)
        assert any("BC trong cay T10.2026.xlsx" in t for _, _, t in seen)  # the file names are there, not who
        assert any(catalogue.unit("phong-kinh-te").name in t for _, _, t in seen)
        assert len(files) >= 20 and any(n.endswith(".docx") for n, _ in files)
        for name, data in files:
            content = _content(name, data)
            assert UPLOADER not in content and FREEZER not in content, name


def test_staff_still_see_who_uploaded_and_who_froze(db):
    with contextlib.contextmanager(use_db)(db):
        sid = str(int(Store(db).snapshots()["id"].iloc[0]))
        at = run("chi_tieu", UPLOADER, ma=TREES, snapshot=sid)
        text = _screen(at)
    assert UPLOADER in text and FREEZER in text  # "Người nhập" on the sources table, "… chốt lúc" on the banner


def test_the_rule_lives_in_one_place():
    from views import privacy

    for role, sees in (("admin", True), ("staff", True), ("viewer", False)):
        assert privacy.sees_people(auth.User("x", role)) is sees
    assert not privacy.sees_people(None)
    assert privacy.visible_text("bao-cao\u202excod.exe") == "bao-cao\ufffdxcod.exe"  # nothing reads reversed
    code = {p: p.read_text(encoding="utf-8") for p in (ROOT / "app_pages").glob("*.py")}
    for path, text in code.items():  # people's columns reach the screen only through tables.show / for_reader
        if "uploaded_by" in text or "created_by" in text:
            assert path.name in {"chi_tieu.py", "bao_cao.py", "snapshot_banner.py", "lich_su.py", "tai_len.py"}, path


def test_a_damaged_database_shows_a_visitor_no_server_path_or_raw_error(tmp_path, monkeypatch):
    bad = tmp_path / "bi-mat-duong-dan" / "xanh.duckdb"
    bad.parent.mkdir()
    bad.write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv("XANH_DB", str(bad))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not at.exception
    shown = _screen(at) + "\n".join(str(t.value) for t in at.text)
    assert "bi-mat-duong-dan" not in shown and "IO Error" not in shown and "duckdb" not in shown.lower()
    assert "quản trị viên" in shown


def test_bidi_controls_in_names_are_made_visible_on_screen_and_in_files():
    from app_pages import layout, tables
    from views import downloads

    name = "bao-cao-\u202eslx.exe"  # would read "bao-cao-exe.xls"
    assert "\u202e" not in layout.md(name) and "\u202e" not in tables.default_formatter(name)
    assert "\u202e" not in downloads.to_csv(pd.DataFrame({"Tệp": [name]})).decode("utf-8-sig")
