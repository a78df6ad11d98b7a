"""Short-lived DuckDB connections: open with retry on another process's lock, migrate, close."""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d+)_[\w-]+\.sql$")
_LOCK_WORDS = ("could not set lock", "conflicting lock")

RETRY_SECONDS = 30.0
_FIRST_DELAY, _MAX_DELAY = 0.02, 1.0

# DuckDB shares one database instance between the connections of a process, and two writers in
# it would conflict on the same rows (the data_version counter at least): one writer per path at a time.
_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_GUARD = threading.Lock()
# One connect at a time in a process. Two threads opening the file at once while another process holds it can be
# handed a database without the Python client's table functions, and every con.register() on it then fails
# ("python_arrow_scan does not exist", DuckDB 2.0.1): two staff confirming uploads while a command-line import ran.
# Only the opening waits (≈ 20 ms for the first connection, less while the database is open), never a query.
_CONNECTING = threading.Lock()


class StoreBusy(RuntimeError):
    """The database file stayed locked by another process for the whole retry window."""

    def __init__(self, path: Path, waited: float):
        self.path = path
        super().__init__(
            f"Cơ sở dữ liệu đang bận (một tiến trình khác đang ghi) và vẫn bận sau {waited:.0f} giây. "
            "Hãy chờ một lát rồi thử lại."
        )


class StoreReadOnly(PermissionError):
    """A write to a database file this process may not write (read-only media, a service user without rights)."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"Không ghi được vào cơ sở dữ liệu {path}: tệp hoặc thư mục chứa nó chỉ cho phép đọc (ổ chỉ đọc, hoặc "
            "tài khoản chạy chương trình không có quyền ghi). Số liệu vẫn xem được; để nhập, sửa hay đăng nhập, "
            "hãy cấp quyền ghi tệp và thư mục đó cho tài khoản chạy chương trình rồi thử lại. Chưa có gì bị thay đổi."
        )


_READ_ONLY_WORDS = ("permission denied", "read-only file system", "read only file system")


def writable(path: Path) -> bool:
    """Whether this process may write the database file and its folder (DuckDB writes a .wal beside it)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    parent = next((p for p in path.parents if p.exists()), None)
    return parent is not None and os.access(parent, os.W_OK)


def is_read_only_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(w in str(exc).lower() for w in _READ_ONLY_WORDS)


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error) and any(w in str(exc).lower() for w in _LOCK_WORDS)


def open_with_retry(
    path: Path, timeout: float = RETRY_SECONDS, *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """Connect, retrying with exponential backoff and jitter while another process holds the file. A file this
    process cannot write is opened read-only (its figures stay readable); `read_only` asks for that outright."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    delay = _FIRST_DELAY
    while True:
        try:
            with _CONNECTING:
                return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            waited = time.monotonic() - start
            if not read_only and path.exists() and is_read_only_error(exc):
                read_only = True  # the check in writable() cannot see every case (a root user on read-only media)
                continue
            if not is_lock_error(exc):
                raise
            if waited >= timeout:
                raise StoreBusy(path, waited) from exc
            # Full jitter: processes that collided do not retry in step.
            time.sleep(min(random.uniform(0, delay), max(timeout - waited, 0.0)))
            delay = min(delay * 2, _MAX_DELAY)


def migrations() -> list[tuple[int, Path]]:
    """The numbered .sql files of store/migrations/, in order; two files with one number are a mistake."""
    found: dict[int, Path] = {}
    for f in sorted(MIGRATIONS.glob("*.sql")):
        m = _MIGRATION_NAME.match(f.name)
        if not m:
            raise RuntimeError(f"migration file name must be NNN_name.sql: {f.name}")
        n = int(m.group(1))
        if n in found:
            raise RuntimeError(f"two migrations numbered {n}: {found[n].name}, {f.name}")
        found[n] = f
    numbers = sorted(found)
    if numbers != list(range(1, len(numbers) + 1)):
        # A gap would let a migration numbered into it later be skipped on databases already past it.
        raise RuntimeError(f"migrations must be numbered 1, 2, 3… without gaps: {numbers}")
    return sorted(found.items())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version' AND table_schema = 'main'"
    ).fetchone()[0]
    if not has:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations newer than the database, each in its own transaction; return the version."""
    current = schema_version(con)
    pending = [(n, f) for n, f in migrations() if n > current]
    for n, f in pending:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
            )
            con.execute(f.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [n, f.name])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        log.info("applied migration %s", f.name)
        current = n
    return current


def writer_lock(path: Path) -> threading.RLock:
    key = str(path.resolve())
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(key, threading.RLock())


@contextmanager
def connection(path: Path, *, timeout: float = RETRY_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for one call: opened with retry and closed at the end, so no lock outlives the call."""
    con = open_with_retry(path, timeout)
    try:
        yield con
    finally:
        con.close()
