"""Hostile input that is not a workbook: formula injection in downloads, file names as paths, forged rights, a
parallel brute force of the login, and raw HTML anywhere in the app's code."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from argon2 import PasswordHasher

from app_pages.lich_su import _download_name
from ground import auth
from ground.auth import User
from intake.importer import import_file
from store import Store
from tests.test_importer import ROWS, tree_book
from tests.waiting import joined
from views.downloads import to_csv, to_xlsx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-dung-cua-lan"

# ---------------------------------------------------------------- CSV / Excel formula injection

FORMULAS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tHYPERLINK", "\r=x", '=HYPERLINK("http://x","bấm")']


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Thôn": [*FORMULAS, "An Lạc", "Đông Hà"],
            "Số liệu": [-5, -2.5, 0, 1, 2.25, 3, 1200, -1, 7],  # negative numbers are figures, never text
            "Ngày": [date(2026, 9, 5)] * 9,
            "=tiêu đề": ["x"] * 9,
        }
    )


def test_csv_download_neutralises_formulas_and_keeps_negative_numbers_numbers():
    text = to_csv(hostile_frame()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][3] == "'=tiêu đề"
    for row, formula in zip(rows[1:], FORMULAS, strict=False):
        assert row[0] == "'" + formula  # a spreadsheet opening the CSV shows the text, runs nothing
    assert [float(r[1]) for r in rows[1:]] == [-5, -2.5, 0, 1, 2.25, 3, 1200, -1, 7]  # plain numbers, no quote mark
    assert rows[1][2] == "2026-09-05"  # ISO 8601: the CSV is for machines
    assert not any(cell[:1] in "=+-@\t\r" for r in rows for cell in (r[0], r[3]))


def test_excel_download_neutralises_formulas_and_keeps_numbers_and_dates():
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(hostile_frame(), "Số liệu"))).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)  # no cell is a formula
    assert ws["D1"].value == "'=tiêu đề"
    assert [ws.cell(r, 1).value for r in range(2, 2 + len(FORMULAS))] == ["'" + f for f in FORMULAS]
    numbers = [ws.cell(r, 2) for r in range(2, 11)]
    assert [c.value for c in numbers] == [-5, -2.5, 0, 1, 2.25, 3, 1200, -1, 7]
    assert all(c.data_type == "n" for c in numbers)
    assert ws["C2"].value == datetime(2026, 9, 5) and ws["C2"].number_format == "dd/mm/yyyy"


# ---------------------------------------------------------------- file names


@pytest.mark.parametrize(
    "given, shown",
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\x\\..\\y.xlsx", "y.xlsx"),
        ("/tmp/khong-duoc-ghi/../bc.xlsx", "bc.xlsx"),
        ("..\\..\\Windows\\win.ini.xlsx", "win.ini.xlsx"),
    ],
)
def test_an_uploaded_file_name_is_only_ever_a_display_name(tmp_path, monkeypatch, catalogue, given, shown):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)  # a name used as a path would land relative to here
    db = tmp_path / "db" / "xanh.duckdb"
    db.parent.mkdir()
    store = Store(db, commune="an-phu")
    before = {p for p in tmp_path.rglob("*")}
    book = tree_book(ROWS)
    out = import_file(store, catalogue, book, given)
    assert out.status == "imported" and out.file == shown, (out.file, [e.message for e in out.errors])
    assert store.uploads().iloc[0]["file_name"] == shown
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p.parent == db.parent for p in created), created  # only the database's own files
    name, data = store.upload_file(int(store.uploads().iloc[0]["upload_id"]))
    assert (name, data) == (shown, book)  # the history's download: the bytes under the display name
    assert "/" not in _download_name(given) and "\\" not in _download_name(given)


# ---------------------------------------------------------------- rights where data is written


def test_a_forged_account_object_gets_no_more_than_the_database_grants(tmp_path, catalogue, monkeypatch):
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    store = Store(tmp_path / "x.duckdb", commune="an-phu")
    store.add_user("hoa", "staff", ["ttpvhcc"], auth.hash_password(PASSWORD), who="cli")
    forged = User("hoa", "admin", ("phong-kinh-te",), 0)  # what a tampered session might claim
    for dry_run in (True, False):
        out = import_file(store, catalogue, tree_book(ROWS), "bc.xlsx", actor=forged, dry_run=dry_run)
        assert out.status == "rejected" and "Phòng Kinh tế" in out.errors[0].message
    assert store.uploads().empty and store.monthly().empty


# ---------------------------------------------------------------- parallel brute force

_ATTEMPTS = """
import sys
from datetime import datetime
sys.path.insert(0, {root!r})
from argon2 import PasswordHasher
from ground import auth
from store import Store
auth.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
store = Store({db!r})
store.clock = lambda: datetime.fromisoformat({at!r})
for guess in sys.argv[1:]:
    print(int(auth.login(store, "lan", guess, client="203.0.113.9").ok), flush=True)
"""
AT = datetime(2026, 11, 5, 9, 0)  # every attempt at one instant: no wait ever runs out during the test


def test_a_parallel_brute_force_from_threads_and_processes_is_throttled(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    db = tmp_path / "x.duckdb"
    Store(db).add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORD), who="cli")
    script = _ATTEMPTS.format(root=str(ROOT), db=str(db), at=AT.isoformat())

    def processes(guesses: list[list[str]]) -> list[subprocess.Popen]:
        return [
            subprocess.Popen([sys.executable, "-c", script, *g], stdout=subprocess.PIPE, text=True) for g in guesses
        ]

    def threads(guesses: list[list[str]], results: list) -> list[threading.Thread]:
        def attempt(g: list[str]) -> None:
            store = Store(db)  # each session its own store object: only the file is shared
            store.clock = lambda: AT
            results.extend(auth.login(store, "lan", x, client="203.0.113.9").ok for x in g)

        return [threading.Thread(target=attempt, args=(g,)) for g in guesses]

    # 40 wrong guesses at once from one address: 4 threads and 2 processes of the attacker.
    wrong = [[f"doan-{i}-{j}" for j in range(5)] for i in range(8)]
    results: list[bool] = []
    procs, ts = processes(wrong[:2]), threads(wrong[2:6], results)
    for t in ts:
        t.start()
    for t in ts:
        joined(t, 120, "the login attempts of a thread")
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert not any(results) and all(set(o.split()) == {"0"} for o in outs)
    key = auth.client_key("203.0.113.9")
    store = Store(db)
    store.clock = lambda: AT
    counted = store.login_counters([key])[key].score
    assert auth.CLIENT_FREE <= counted < 12  # most of the 40 were turned away before any password was checked

    # Then the right password, from everywhere at once: that address still waits.
    right: list[bool] = []
    procs, ts = processes([[PASSWORD] * 3] * 2), threads([[PASSWORD] * 3] * 3, right)
    for t in ts:
        t.start()
    for t in ts:
        joined(t, 120, "the login attempts of a thread")
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert right == [False] * 9 and all(o.split() == ["0"] * 3 for o in outs)
    assert "thử lại sau" in auth.login(store, "lan", PASSWORD, client="203.0.113.9").message
    assert auth.login(store, "lan", PASSWORD, client="192.168.1.20").ok  # the owner at the office is not locked out


# ---------------------------------------------------------------- no raw HTML


def test_the_app_never_hands_raw_html_or_unescaped_markup_switches_to_streamlit():
    code = {p: p.read_text(encoding="utf-8") for p in [ROOT / "dashboard.py", *(ROOT / "app_pages").glob("*.py")]}
    for path, text in code.items():
        assert "unsafe_allow_html" not in text, path
        assert "components.html" not in text and "components.v1" not in text, path
        # Only the layout's own constant CSS, and the session cookie's script, which carries nothing but a token
        # cookie_html() has checked is one of ours (tests/test_session_cookie.py refuses anything else); the
        # head stylesheet and script read from app_pages/head/ (files of the repository, no data); and the HTML
        # tables and print header, every text of which views/html_table.py or html.escape escapes
        # (tests/test_a11y_units.py).
        allowed = (
            "_CSS",
            "cookie_html(job)",
            'f"<style>{asgi.head_css()}</style>"',
            'f"<script>{asgi.head_js()}</script>"',
            "html_table(",
            "heat_table(",
            "table_html",
            'f\'<div class="xanh-print-only"><p><strong>{line}</strong>',
        )
        for call in re.findall(r"st\.html\(([^)]*\)?[^)]*)\)", text):
            assert call.strip().startswith(allowed), (path, call)
