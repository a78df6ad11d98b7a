"""A database file this process may not write (read-only media, a service user without rights): every read still
works, every write is refused with a Vietnamese sentence naming the file and the permission, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from store import Store, StoreReadOnly
from tests.pages_support import ROOT, SAMPLE

SETPRIV = Path("/usr/bin/setpriv")
NOBODY = 65534


@pytest.fixture(scope="module")
def folder(sample_db) -> Iterator[Path]:
    """The sample database in a folder nobody but its owner may write; an output folder anyone may."""
    top = Path(tempfile.mkdtemp(prefix="xanh-chi-doc-"))
    top.chmod(0o755)
    ro = top / "chi-doc"
    ro.mkdir()
    shutil.copy(sample_db, ro / "xanh.duckdb")
    (ro / "xanh.duckdb").chmod(0o444)
    ro.chmod(0o555)
    out = top / "ra"
    out.mkdir()
    out.chmod(0o777)
    yield top
    ro.chmod(0o755)
    shutil.rmtree(top)


def reader(args: list[str]) -> subprocess.CompletedProcess:
    """cli.py as a user without write rights: as `nobody` when the tests run as root (root writes anything)."""
    cmd = [sys.executable, str(ROOT / "cli.py"), *args]
    if os.geteuid() == 0:
        if not SETPRIV.exists():
            pytest.skip("cần setpriv (util-linux) để chạy với quyền của người dùng khác")
        cmd = [str(SETPRIV), f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
    env = dict(os.environ, HOME="/tmp")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)


def test_every_read_only_command_works_on_a_file_it_cannot_write(folder):
    db = str(folder / "chi-doc" / "xanh.duckdb")
    out = folder / "ra"
    for args in (
        ["check", "--db", db],
        ["value", "cay_xanh_trong_moi", "--period", "2026-10", "--db", db],
        ["backup", "--out", str(out / "sao-luu"), "--db", db],
        ["brief", "--period", "2026-10", "--out", str(out / "bc.docx"), "--db", db],
    ):
        done = reader(args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert (out / "bc.docx").stat().st_size > 0 and (out / "sao-luu").is_dir()


def test_a_write_is_refused_naming_the_file_and_the_permission(folder):
    db = folder / "chi-doc" / "xanh.duckdb"
    before = db.read_bytes()
    done = reader(["import", str(SAMPLE / "BC trong cay T10.2026.xlsx"), "--db", str(db)])
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert str(db) in done.stderr and "quyền ghi" in done.stderr
    assert db.read_bytes() == before


def test_the_pages_serve_a_read_only_database(folder, monkeypatch):
    monkeypatch.setattr("store.base.writable", lambda path: False)  # this process is root: it could write anyway
    monkeypatch.setenv("XANH_DB", str(folder / "chi-doc" / "xanh.duckdb"))
    for page in ("app_pages/tong_quan.py", "app_pages/chi_tieu.py", "app_pages/bao_cao.py"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.run()
        if page != "app_pages/tong_quan.py":
            at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.header and not at.error  # the figures are read as usual
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/dang_nhap.py").run()
    at.text_input[0].input("lan")
    at.text_input[1].input("mat-khau-bat-ky")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception and any("quyền ghi" in e.value for e in at.error)  # a login writes: told why not
    with pytest.raises(StoreReadOnly):
        Store(folder / "chi-doc" / "xanh.duckdb").set_login_required(True, who="x")
