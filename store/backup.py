"""Backups: a consistent copy of the database file taken while the app runs, with a manifest, and its restore."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb

from store.base import StoreBase, now_vietnam
from store.connection import open_with_retry, schema_version, writer_lock
from store.integrity import findings

BACKUP_FILE = "xanh.duckdb"
MANIFEST = "manifest.json"
FORMAT = 1  # of the backup folder; bumped if its layout ever changes
_CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore that was refused or failed; the message is the Vietnamese sentence to show."""


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    return {t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


def _data_version(con: duckdb.DuckDBPyConnection) -> int | None:
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    except duckdb.Error:
        return None
    return None if row is None else int(row[0])


def _copy(src: Path, dst: Path) -> str:
    """Copy byte for byte, flushed to disk; the SHA-256 of what was written."""
    h = hashlib.sha256()
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(_CHUNK):
            h.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return h.hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _inspect(path: Path) -> tuple[int, int | None, dict[str, int], list[str]]:
    """(schema version, data version, row counts, integrity findings) of a database file, opened read-only."""
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return schema_version(con), _data_version(con), _counts(con), findings(con)
    except duckdb.Error as exc:
        raise BackupError(f"Không mở được tệp cơ sở dữ liệu {path} ({str(exc).splitlines()[0][:200]}).") from None


def read_manifest(folder: Path) -> dict:
    """The manifest of a backup folder; BackupError (Vietnamese) when it is missing or unreadable."""
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"Thư mục {folder} không phải bản sao lưu: không có tệp {MANIFEST}.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"Không đọc được {path}: {exc}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"Tệp {path} không đúng định dạng bản sao lưu (phiên bản {FORMAT}).")
    return manifest


class Backups(StoreBase):
    def backup(self, out: str | os.PathLike) -> dict:
        """Copy the database into the new folder `out` (xanh.duckdb + manifest.json) and return the manifest.

        Consistent while the app runs: the copy is taken holding the database (other processes wait, retrying,
        as for any write), right after a checkpoint has moved every committed transaction into the file. The copy
        is then opened on its own and checked (row counts, integrity) before the manifest is written.
        """
        folder = Path(out).expanduser().resolve()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise BackupError(f"Thư mục {folder} đã có tệp; hãy chọn một thư mục mới cho bản sao lưu.")
        if not self.path.exists():
            raise BackupError(f"Không có cơ sở dữ liệu {self.path} để sao lưu.")
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / (BACKUP_FILE + ".dang-chep")
        wal = self.path.with_name(self.path.name + ".wal")
        with writer_lock(self.path), self.connect() as con:
            con.execute("CHECKPOINT")
            if wal.exists() and wal.stat().st_size > 0:
                raise BackupError("Không ghi được toàn bộ dữ liệu vào tệp chính (checkpoint); hãy thử lại sau.")
            version, data_version, counts = schema_version(con), _data_version(con), _counts(con)
            taken_at = now_vietnam()
            sha = _copy(self.path, partial)
        copy_version, _, copy_counts, problems = _inspect(partial)
        if (copy_version, copy_counts) != (version, counts):
            partial.unlink()
            raise BackupError("Bản sao không khớp với cơ sở dữ liệu (số dòng khác nhau); hãy thử lại.")
        partial.replace(folder / BACKUP_FILE)
        manifest = {
            "format": FORMAT,
            "file": BACKUP_FILE,
            "source": str(self.path),
            "created_at": taken_at.isoformat(),
            "schema_version": version,
            "data_version": data_version,
            "counts": counts,
            "size": (folder / BACKUP_FILE).stat().st_size,
            "sha256": sha,
            "duckdb": duckdb.__version__,
            "integrity": problems,
        }
        tmp = folder / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(folder / MANIFEST)
        return manifest

    def restore_backup(self, folder: str | os.PathLike, *, force: bool = False) -> dict:
        """Put the backup in `folder` in place of this store's database file; return the manifest (with "previous":
        where the replaced database was moved, or None).

        Refused (BackupError) when the manifest is missing, the copy does not match its checksum, size, schema
        version or row counts, or when this database already holds data and `force` is not given. A replaced
        database is kept beside it (name + ".truoc-khoi-phuc-<time>"), never deleted.
        """
        folder = Path(folder).expanduser().resolve()
        manifest = read_manifest(folder)
        source = folder / str(manifest.get("file", BACKUP_FILE))
        if not source.is_file():
            raise BackupError(f"Thư mục sao lưu thiếu tệp {source.name}.")
        if source.stat().st_size != manifest.get("size") or _sha256(source) != manifest.get("sha256"):
            raise BackupError(
                f"Tệp {source} không khớp mã kiểm tra SHA-256 trong {MANIFEST}: bản sao lưu bị hỏng hoặc đã bị sửa. "
                "Hãy dùng một bản sao lưu khác."
            )
        if self.path.exists() and not force and self._holds_data():
            raise BackupError(
                f"Cơ sở dữ liệu {self.path} đang có dữ liệu. Khôi phục sẽ thay thế toàn bộ; nếu chắc chắn, hãy dừng "
                "ứng dụng rồi chạy lại lệnh với --force (bản hiện tại được giữ lại bên cạnh, không bị xóa)."
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        incoming = self.path.with_name(self.path.name + ".dang-khoi-phuc")
        _copy(source, incoming)
        version, _, counts, _ = _inspect(incoming)
        if version != manifest.get("schema_version") or counts != manifest.get("counts"):
            incoming.unlink()
            raise BackupError(f"Tệp {source} không khớp với {MANIFEST} (phiên bản lược đồ hoặc số dòng khác).")
        previous = None
        with writer_lock(self.path):
            if self.path.exists():
                # Opening waits for any other process to let go, and closing checkpoints its WAL into the file.
                open_with_retry(self.path, self.timeout).close()
                previous = self.path.with_name(f"{self.path.name}.truoc-khoi-phuc-{now_vietnam():%Y%m%d-%H%M%S}")
                self.path.replace(previous)
            wal = self.path.with_name(self.path.name + ".wal")
            if wal.exists():  # a log of the replaced database must never be replayed onto the restored one
                wal.replace(Path(str(previous or self.path) + ".wal.cu"))
            incoming.replace(self.path)
        return {**manifest, "previous": str(previous) if previous else None}

    def _holds_data(self) -> bool:
        try:
            with self.connect() as con:
                counts = _counts(con)
        except duckdb.Error:
            return True  # unreadable: only --force may replace it
        return any(counts.get(t, 0) for t in ("uploads", "users", "audit_log", "target_overrides", "settings"))
