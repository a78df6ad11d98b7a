"""Crash safety, integrity checks and backups on real DuckDB files with real processes: kill -9 inside a write
transaction, damage of every kind found by store.check_integrity(), backup while another process writes, restore."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from ground.catalogue import load_catalogue
from intake.importer import import_file
from store import BackupError, Store
from store import backup as store_backup
from tests.hardening_support import dump, planting_log
from tests.test_importer import ROWS, tree_book
from tests.waiting import alive, joined, wait_until

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, str(ROOT / "cli.py")]
CORRECTED = {**ROWS, "LAI VU": [0, 0, 0, 9]}


def cli(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def big_log(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("so-lieu") / "nhat-ky-trong-cay-2026.xlsx"
    path.write_bytes(planting_log(130_000))  # past one DuckDB row group (122.880): rows reach the file before COMMIT
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bao-cao")
    out = {}
    for name, data in {
        "t10": tree_book(ROWS),
        "t10-sua": tree_book(CORRECTED),
        **{f"t{m}": tree_book(ROWS, period=f"Tháng {m} năm 2026", sheet=f"T{m}") for m in range(1, 10)},
    }.items():
        out[name] = folder / f"{name}.xlsx"
        out[name].write_bytes(data)
    return out


def imported(db: Path, *files: Path) -> None:
    store = Store(db, commune="an-phu")
    for f in files:
        out = import_file(store, load_catalogue(), f.read_bytes(), f.name)
        assert out.status == "imported", (f.name, [e.message for e in out.errors])


@pytest.fixture
def base_db(tmp_path, books) -> Path:
    """A database holding one report in force, the T10 tree report."""
    db = tmp_path / "xanh.duckdb"
    imported(db, books["t10"])
    return db


# ---------------------------------------------------------------- 4. crash safety

_HANG_BEFORE_COMMIT = """
import sys, time
sys.path.insert(0, {root!r})
from store.writes import Writes

_audit = Writes._audit

def audit_then_hang(self, con, who, action, upload_id, detail):
    # The last statement of the import's transaction: every INSERT is done, COMMIT has not run.
    _audit(self, con, who, action, upload_id, detail)
    if action in ("import", "replace"):
        open({marker!r}, "w").write(str(upload_id))
        time.sleep(600)

Writes._audit = audit_then_hang
import cli
sys.exit(cli.main(["import", {file!r}, "--db", {db!r}]))
"""


@pytest.mark.parametrize("which", ["big_log", "t10-sua"])
def test_kill_9_inside_the_transaction_leaves_no_half_upload(base_db, big_log, books, tmp_path, which):
    file = big_log if which == "big_log" else books[which]
    before = dump(base_db)
    marker = tmp_path / "inside-transaction"
    driver = tmp_path / "driver.py"
    driver.write_text(
        _HANG_BEFORE_COMMIT.format(root=str(ROOT), marker=str(marker), file=str(file), db=str(base_db)),
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(driver)], cwd=ROOT, stdout=subprocess.DEVNULL)
    wait_until(marker.exists, 120, "the import to reach its COMMIT", unless=alive(proc, "the import"))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    store = Store(base_db, commune="an-phu")
    assert store.check_integrity() == []  # opens, and holds no trace of the killed upload
    assert dump(base_db) == before
    if which != "big_log":  # the same file goes in cleanly afterwards (the big one would only cost time)
        imported(base_db, file)
        assert store.check_integrity() == [] and len(store.uploads()) == 2


def test_kill_9_at_random_moments_of_imports_never_leaves_a_half_upload(base_db, big_log, books):
    rnd = random.Random(6)
    for round_ in range(3):
        proc = subprocess.Popen(
            [*CLI, "import", str(big_log), str(books["t10-sua"]), str(books["t10"]), "--db", str(base_db)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Not a synchronisation: a random moment, and every moment (even before the first file) must leave the
        # database whole.
        time.sleep(rnd.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        store = Store(base_db, commune="an-phu")
        assert store.check_integrity() == [], f"round {round_}"
        uploads = store.uploads()
        assert (uploads["rows"] > 0).all()
    print(f"after 3 kills: {len(uploads)} uploads, all complete")


# ---------------------------------------------------------------- integrity findings


def _damage(con: duckdb.DuckDBPyConnection, kind: str) -> None:
    first = con.execute("SELECT min(id) FROM uploads").fetchone()[0]
    if kind == "observations without an upload":
        con.execute("INSERT INTO observations SELECT 999, * EXCLUDE (upload_id) FROM observations LIMIT 1")
    elif kind == "upload without its file":
        con.execute("DELETE FROM files")
    elif kind == "orphan file":
        con.execute("INSERT INTO files VALUES ('ab' || repeat('0', 62), 1, 'x'::BLOB)")
    elif kind == "half upload":
        con.execute("DELETE FROM observations WHERE rowid IN (SELECT min(rowid) FROM observations)")
    elif kind == "version in force without its upload":
        con.execute("UPDATE current_reports SET upload_id = 999")
    elif kind == "upload without history":
        con.execute("DELETE FROM audit_log WHERE upload_id = ?", [first])
    elif kind == "damaged original":
        con.execute("UPDATE files SET bytes = 'PK'::BLOB")


FINDINGS = {
    "observations without an upload": "không còn trong lịch sử",
    "upload without its file": "mất tệp gốc",
    "orphan file": "mồ côi",
    "half upload": "nhập dở dang",
    "version in force without its upload": "không tồn tại",
    "upload without history": "không có dòng nhật ký",
    "damaged original": "bị hỏng",
}


@pytest.mark.parametrize("kind", FINDINGS)
def test_check_integrity_names_each_kind_of_damage(base_db, kind):
    store = Store(base_db, commune="an-phu")
    assert store.check_integrity() == []
    with duckdb.connect(str(base_db)) as con:
        _damage(con, kind)
    found = store.check_integrity()
    assert found and any(FINDINGS[kind] in f for f in found), found


def test_cli_check_tells_the_operator(base_db):
    assert "toàn vẹn" in cli("check", "--db", str(base_db)).stdout
    with duckdb.connect(str(base_db)) as con:
        _damage(con, "half upload")
    proc = cli("check", "--db", str(base_db), check=False)
    assert proc.returncode == 1 and "nhập dở dang" in proc.stdout


# ---------------------------------------------------------------- 6. backups

# The real command line, held before its last file until the test writes a line to its stdin (or closes it): it is
# still writing while the backup runs, however fast or slow the machine, and the cut comes before that last file.
_HOLD_BEFORE_LAST = """
import sys
sys.path.insert(0, {root!r})
import cli
from commands import imports

_import_file = imports.import_file

def import_file(store, catalogue, data, file_name, **kw):
    if file_name == {last!r}:
        sys.stdin.readline()
    return _import_file(store, catalogue, data, file_name, **kw)

imports.import_file = import_file
sys.exit(cli.main(sys.argv[1:]))
"""


def test_backup_while_another_process_writes_restores_to_a_consistent_state(base_db, big_log, books, tmp_path):
    months = [books[f"t{m}"] for m in range(1, 10)]
    # After the third upload, two big logs: the backup meets the writer at work (inside a transaction, or between
    # two), then six months, the last one held until the backup is done.
    next_year = tmp_path / "nhat-ky-trong-cay-2027.xlsx"
    next_year.write_bytes(planting_log(130_000, year=2027))
    driver = tmp_path / "held_cli.py"
    driver.write_text(_HOLD_BEFORE_LAST.format(root=str(ROOT), last=months[-1].name), encoding="utf-8")
    files = [*months[:3], big_log, next_year, *months[3:]]
    writer = subprocess.Popen(
        [sys.executable, str(driver), "import", *map(str, files), "--db", str(base_db)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    store = Store(base_db, commune="an-phu")
    wait_until(lambda: len(store.uploads()) >= 3, 120, "the writer's first uploads", unless=alive(writer, "the writer"))
    backup = cli("backup", "--out", str(tmp_path / "sao-luu"), "--db", str(base_db))  # while the writer runs
    assert writer.poll() is None, "the writer ended before the backup: the test proves nothing"
    _, err = writer.communicate("go\n", timeout=180)  # its last file now
    assert writer.returncode == 0, err
    assert "Đã sao lưu" in backup.stdout
    manifest = json.loads((tmp_path / "sao-luu" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["integrity"] == [] and manifest["schema_version"] == store.schema_version()

    restored = tmp_path / "khoi-phuc.duckdb"
    cli("restore", str(tmp_path / "sao-luu"), "--db", str(restored))
    copy = Store(restored, commune="an-phu")
    assert copy.check_integrity() == []
    got, now = dump(restored), dump(base_db)
    assert got["uploads"] and len(got["uploads"]) == manifest["counts"]["uploads"] < len(now["uploads"])
    kept = {u[0] for u in got["uploads"]}
    # A consistent cut: exactly the uploads committed before it, each whole; none after it, none in part.
    assert kept == set(range(1, max(kept) + 1))
    assert got["uploads"] == [u for u in now["uploads"] if u[0] in kept]
    assert got["observations"] == [o for o in now["observations"] if o[0] in kept]
    # Versions in force at the cut: the same as now, unless a later upload has since replaced them.
    in_force_now = {c[:5]: c[5] for c in now["current_reports"]}
    assert {c[:5]: c[5] for c in got["current_reports"] if in_force_now[c[:5]] in kept} == {
        k: u for k, u in in_force_now.items() if u in kept
    }
    assert all(u in kept for *_, u, _ in got["current_reports"])
    assert {f[0] for f in got["files"]} == {u[3] for u in got["uploads"]}


def test_backup_and_restore_keep_the_figures_and_refuse_what_they_should(base_db, books, tmp_path):
    imported(base_db, books["t10-sua"], books["t1"])
    source = Store(base_db, commune="an-phu")
    folder = tmp_path / "sao-luu"
    cli("backup", "--out", str(folder), "--db", str(base_db))
    with pytest.raises(BackupError, match="thư mục mới"):  # never over an earlier backup
        source.backup(folder)

    target = tmp_path / "moi.duckdb"
    cli("restore", str(folder), "--db", str(target))
    restored = Store(target, commune="an-phu")
    assert restored.monthly().equals(source.monthly()) and not restored.monthly().empty
    assert restored.check_integrity() == [] and dump(target) == dump(base_db)
    assert len(restored.uploads()) == len(source.uploads()) == 3

    # Restoring over a database with data needs --force, and keeps the replaced one aside.
    imported(target, books["t2"])
    again = cli("restore", str(folder), "--db", str(target), check=False)
    assert again.returncode == 1 and "--force" in again.stderr and len(restored.uploads()) == 4
    forced = cli("restore", str(folder), "--db", str(target), "--force")
    assert len(restored.uploads()) == 3 and "giữ lại" in forced.stdout
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("moi.duckdb.truoc-khoi-phuc-")]
    assert len(kept) == 1 and len(Store(kept[0]).uploads()) == 4
    before = set(restored.uploads()["upload_id"])
    imported(target, books["t3"])  # ids go on from the restored ones, never collide
    assert len(set(restored.uploads()["upload_id"]) - before) == 1

    # A damaged or tampered copy is refused before anything is replaced.
    tampered = tmp_path / "sua"
    shutil.copytree(folder, tampered)
    with (tampered / "xanh.duckdb").open("r+b") as fh:
        fh.seek(-100, os.SEEK_END)
        fh.write("hỏng".encode())
    elsewhere = Store(tmp_path / "khac.duckdb")
    with pytest.raises(BackupError, match="SHA-256"):
        elsewhere.restore_backup(tampered)
    (tampered / "manifest.json").unlink()
    with pytest.raises(BackupError, match=r"manifest\.json"):
        elsewhere.restore_backup(tampered)
    assert not elsewhere.path.exists()


def test_a_backup_waits_for_a_writer_instead_of_copying_its_half(base_db, tmp_path, monkeypatch):
    # In one process: a write transaction holds the file; the backup (another thread's call) must wait for it.
    store = Store(base_db, commune="an-phu")
    started, release = threading.Event(), threading.Event()

    def slow_write() -> None:
        with store.transaction() as tx:
            tx.con.execute("INSERT INTO settings VALUES ('thu', 'x', 'test', now())")
            started.set()
            assert release.wait(60), "the test never let the writer go"

    t = threading.Thread(target=slow_write)
    t.start()
    assert started.wait(30), "the writer's transaction never began"
    at_the_lock, writer_lock = threading.Event(), store_backup.writer_lock

    def announced(path):  # the backup takes the writer's lock first: it says when it asks for it
        at_the_lock.set()
        return writer_lock(path)

    monkeypatch.setattr(store_backup, "writer_lock", announced)
    result = {}
    b = threading.Thread(target=lambda: result.update(m=store.backup(tmp_path / "sl")))
    b.start()
    assert at_the_lock.wait(30), "the backup never asked for the writer's lock"
    assert b.is_alive()  # waiting on the writer, which holds its lock until released
    release.set()
    joined(t, 30, "the writer to commit")
    joined(b, 60, "the backup after the writer")
    assert result["m"]["counts"]["settings"] == 1  # the committed write is in the copy


def test_a_backup_holds_commits_still_in_the_write_ahead_log(base_db, tmp_path):
    # The app between two calls, or another session of it, may leave committed rows in the .wal only.
    held = duckdb.connect(str(base_db))
    held.execute("INSERT INTO settings VALUES ('thu', 'x', 'test', now())")
    wal = base_db.with_name(base_db.name + ".wal")
    assert wal.exists() and wal.stat().st_size > 0
    try:
        manifest = Store(base_db).backup(tmp_path / "sl")
    finally:
        held.close()
    assert manifest["counts"]["settings"] == 1
    restored = Store(tmp_path / "khoi-phuc.duckdb")
    restored.restore_backup(tmp_path / "sl")
    assert restored.setting("thu") == "x"
