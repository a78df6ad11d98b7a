"""Where the database lives, how one call opens it, migrates it and runs one write transaction."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

from store.connection import (
    RETRY_SECONDS,
    StoreReadOnly,
    migrate,
    migrations,
    open_with_retry,
    schema_version,
    writable,
    writer_lock,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "xanh.duckdb"
# Vietnam keeps UTC+7 all year: a naive local timestamp is unambiguous and reads right on every page.
VIETNAM = timezone(timedelta(hours=7), "ICT")


def default_db_path() -> Path:
    """$XANH_DB when set (relative to the working directory), else data/xanh.duckdb in the project."""
    env = os.environ.get("XANH_DB")
    return Path(env).expanduser().resolve() if env else DEFAULT_DB


def now_vietnam() -> datetime:
    return datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0)


class Transaction:
    """One write transaction: commits at the end of the block unless `rollback()` was called or it raised."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.keep = True

    def rollback(self) -> None:
        self.keep = False


def _is_read_only(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return bool(row[0])


class StoreBase:
    """A DuckDB file used through short-lived connections; no connection is kept between calls."""

    def __init__(
        self, path: str | os.PathLike | None = None, *, commune: str | None = None, timeout: float | None = None
    ):
        self.path = Path(path).expanduser().resolve() if path else default_db_path()
        self.commune = commune
        self.timeout = RETRY_SECONDS if timeout is None else timeout  # seconds to wait for another process's lock
        self.clock = now_vietnam  # replaceable in tests

    # ------------------------------------------------------------ connections

    def read_only(self) -> bool:
        """Whether the file exists and this process may not write it: reads still work, writes are refused."""
        return self.path.exists() and not writable(self.path)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for one call, the schema brought up to date first, closed at the end. A file that cannot
        be written is opened read-only, as it is (no migration)."""
        con = open_with_retry(self.path, self.timeout, read_only=self.read_only())
        try:
            known = migrations()
            if known and schema_version(con) < known[-1][0] and not _is_read_only(con):
                with writer_lock(self.path):
                    migrate(con)
            yield con
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One write transaction; bumps data_version when it commits, rolls back on any exception. StoreReadOnly
        (a Vietnamese sentence naming the file) when the file cannot be written."""
        if self.read_only():
            raise StoreReadOnly(self.path)
        with writer_lock(self.path), self.connect() as con:
            if _is_read_only(con):
                raise StoreReadOnly(self.path)
            con.execute("BEGIN TRANSACTION")
            tx = Transaction(con)
            try:
                yield tx
            except BaseException:
                con.execute("ROLLBACK")
                raise
            if tx.keep:
                con.execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
                con.execute("COMMIT")
            else:
                con.execute("ROLLBACK")

    def _commune(self, commune: str | None) -> str | None:
        return commune if commune is not None else self.commune

    # ------------------------------------------------------------ cheap version checks

    def data_version(self) -> int:
        """A counter bumped by every committed write: equal values mean equal data."""
        with self.connect() as con:
            return int(con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])

    def schema_version(self) -> int:
        with self.connect() as con:
            return schema_version(con)

    def file_stamp(self) -> tuple[int, int, int, int]:
        """(mtime_ns, size) of the database file and of its .wal, without opening the database.

        Changes whenever a write lands (in the WAL first, in the file at checkpoint); zeros for a
        missing file. Cheap enough to use as the app's cache key on every rerun.
        """
        out: list[int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = p.stat()
                out += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                out += [0, 0]
        return out[0], out[1], out[2], out[3]
