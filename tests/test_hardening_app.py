"""The app under pressure, through Streamlit's AppTest: a database held by another process, a file over the upload
cap, and hostile text from files shown literally on the upload, history and indicator pages."""

from __future__ import annotations

import re
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import store.base
import store.connection
from app_pages import data, session
from intake import importer
from intake.importer import import_file
from store import Store
from tests.hardening_support import planting_log
from tests.test_importer import ROWS, TTHC_HEADER, tree_book
from tests.test_upload_page import PASSWORDS, staffed_store
from tests.waiting import line_from
from tests.workbooks import report_sheet, xlsx

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_FILE = f"{IMG}**x**.xlsx"
HOSTILE_SHEET = IMG  # 28 characters: a legal sheet name
HOSTILE_FIELD = f"**x** {IMG}"
_LOCKER = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()"


pytestmark = pytest.mark.usefixtures("fast_hashes")  # conftest: a cheap argon2id


@pytest.fixture
def db(db_path: Path, monkeypatch) -> Store:
    return staffed_store(db_path, monkeypatch)


def open_page(page: str, user: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    if user is not None:
        at.session_state[session.STATE] = {"name": user, "login_at": session.clock(), "generation": 0}
    at.run()
    if page != "tong_quan":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


@contextmanager
def locked(path: Path) -> Iterator[subprocess.Popen]:
    """Another process (a command-line import, say) holding the database file until its stdin is closed, or to the
    end of the block."""
    proc = subprocess.Popen([sys.executable, "-c", _LOCKER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert line_from(proc, 60, "the other process to hold the database") == "ready"
        yield proc
    finally:
        proc.kill()
        proc.wait(10)


# ---------------------------------------------------------------- a busy database


def assert_busy_notice(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at.warning)
    assert "bận" in shown, shown
    assert "lock" not in shown.lower() and "duckdb" not in shown.lower()


@pytest.fixture
def busy_soon(db, catalogue, monkeypatch) -> Store:
    """A database with a report, and pages that give up waiting for it after 0,3 s."""
    import_file(db, catalogue, tree_book(ROWS), "bc.xlsx")
    monkeypatch.setattr(data, "BUSY_TIMEOUT", 0.3)
    monkeypatch.setattr(store.base, "RETRY_SECONDS", 0.3)
    return db


@pytest.mark.parametrize("page, user", [("tong_quan", None), ("chi_tieu", None), ("tai_len", "lan"),
                                        ("lich_su", "lan"), ("quan_tri", "quantri")])  # fmt: skip
def test_a_first_visit_while_another_process_holds_the_database_shows_a_busy_notice(busy_soon, page, user):
    with locked(busy_soon.path):
        at = AppTest.from_file(APP, default_timeout=60)
        if user is not None:
            at.session_state[session.STATE] = {"name": user, "login_at": session.clock(), "generation": 0}
        at.run()
        if page != "tong_quan":
            at.switch_page(f"app_pages/{page}.py").run()
        assert_busy_notice(at)


@pytest.mark.parametrize("page, user", [("lich_su", "lan"), ("quan_tri", "quantri")])
def test_a_page_read_while_another_process_holds_the_database_shows_a_busy_notice(busy_soon, page, user):
    at = open_page(page, user)  # signed in and shown once: the account is known, the page reads afresh
    with locked(busy_soon.path):
        at.run()
        assert_busy_notice(at)


@pytest.mark.parametrize("required", [False, True])
def test_a_login_while_another_process_holds_the_database_shows_a_busy_notice(busy_soon, required):
    if required:  # the router's own login form, before any page
        busy_soon.set_login_required(True, who="quantri")
        at = AppTest.from_file(APP, default_timeout=60).run()
    else:
        at = open_page("dang_nhap")
    with locked(busy_soon.path):
        at.text_input[0].input("lan")
        at.text_input[1].input(PASSWORDS["lan"])
        at.get("form_submit_button")[0].click().run()
        assert_busy_notice(at)


def test_a_confirmed_upload_waits_for_a_command_line_import_and_lands(db, monkeypatch):
    monkeypatch.setattr(data, "BUSY_TIMEOUT", 1.0)  # a page read gives up sooner than the import below lasts
    at = open_page("tai_len", "lan")
    at.file_uploader[0].set_value([("bc.xlsx", tree_book(ROWS), XLSX)]).run()
    met = []
    is_lock_error = store.connection.is_lock_error

    def released_once_the_import_waits(exc: BaseException) -> bool:
        found = is_lock_error(exc)
        if found and not met and any(f.name == "import_file" for f in traceback.extract_stack()):
            met.append(exc)
            cli.stdin.close()  # the command-line import ends, only once the upload has had to wait for it
        return found

    monkeypatch.setattr(store.connection, "is_lock_error", released_once_the_import_waits)
    with locked(db.path) as cli:  # a long command-line import
        at.button(key="confirm_import").click().run()
    assert met, "the upload never met the command line's lock"
    assert not at.exception
    assert "đã nhập 1" in texts(at.success) and "bận" not in texts(at.warning)
    assert len(db.uploads()) == 1


def test_the_upload_page_refuses_a_file_over_the_cap_before_reading_it(db, monkeypatch):
    monkeypatch.setenv("XANH_MAX_UPLOAD_MB", "0.01")
    at = open_page("tai_len", "lan")
    assert at.file_uploader[0].proto.max_upload_size_mb == 1  # the browser's own check, in whole MB
    assert "0,01 MB" in at.file_uploader[0].help
    monkeypatch.setattr(importer, "import_file", lambda *a, **kw: pytest.fail("the page must refuse it first"))
    at.file_uploader[0].set_value([("to.xlsx", planting_log(300), XLSX)]).run()  # ~12 kB
    assert not at.exception
    assert "vượt giới hạn 0,01 MB" in texts(at.error) and at.button(key="confirm_import").disabled


# ---------------------------------------------------------------- hostile text


def hostile_tthc() -> bytes:
    rows = [[1, HOSTILE_FIELD, 40, 30, 75], [2, "Hộ tịch", 10, 5, 50]]
    spec = report_sheet(
        TTHC_HEADER,
        rows,
        unit="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        title="BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC",
        period="Kỳ báo cáo: tháng 10/2026",
    )
    return xlsx({HOSTILE_SHEET: spec})


def literal_everywhere(at: AppTest) -> str:
    """Every text the page shows; fails when any Markdown-rendered element carries the hostile text unescaped."""
    markup = []
    for kind in ("markdown", "caption", "success", "info", "warning", "error", "header", "subheader", "title"):
        markup += at.get(kind)
    for el in markup:
        raw = str(el.value)
        assert "<img" not in raw.replace("\\<img", ""), raw  # raw HTML would render as an element
        assert "**x**" not in raw, raw  # unescaped Markdown would render as bold
    cells = [str(v) for d in at.dataframe for col in d.value.columns for v in [col, *d.value[col]]]
    options = [str(o) for s in at.selectbox for o in s.options]
    return "\n".join([texts(markup), *cells, *options])


def test_hostile_file_sheet_and_cell_text_show_literally_on_upload_history_and_indicator_pages(db):
    at = open_page("tai_len", "hoa")
    at.file_uploader[0].set_value([(HOSTILE_FILE, hostile_tthc(), XLSX)]).run()
    assert not at.exception and not texts(at.error), texts(at.error)
    shown = literal_everywhere(at)
    assert HOSTILE_FILE in shown and HOSTILE_SHEET in shown and HOSTILE_FIELD in shown
    at.button(key="confirm_import").click().run()
    assert "đã nhập 1" in texts(at.success)
    assert HOSTILE_FILE in literal_everywhere(at)

    history = open_page("lich_su", "hoa")
    assert HOSTILE_FILE in literal_everywhere(history)

    indicator = open_page("chi_tieu", ma="tthc_truc_tuyen", thang="2026-10")
    shown = literal_everywhere(indicator)
    assert HOSTILE_FILE in shown and HOSTILE_SHEET in shown


def test_a_hostile_name_in_a_refusal_shows_literally(db):
    rows = {"Thôn An Lạc": [1, 0, 0, 0], f"Thôn {IMG} **x**": [2, 0, 0, 0]}  # an unknown village is refused by name
    at = open_page("tai_len", "lan")
    at.file_uploader[0].set_value([(HOSTILE_FILE, tree_book(rows, sheet=HOSTILE_SHEET), XLSX)]).run()
    assert not at.exception
    errors = texts(at.error)
    assert f"{IMG} **x**" in errors and HOSTILE_SHEET in errors
    literal_everywhere(at)
