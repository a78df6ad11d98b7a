"""The database checked against itself: no half upload, no orphan file or row, every version in force backed by its
rows, every original file intact; findings in Vietnamese for the operator (`cli.py check`) and the tests."""

from __future__ import annotations

import hashlib

import duckdb

from store.base import StoreBase

_SHOWN = 10  # ids listed per finding; the count says how many there are

# (query returning the offending ids or keys, Vietnamese finding with {n} and {ids}). Each query reads
# only what it needs, so the check stays fast on a large database.
_CHECKS: list[tuple[str, str]] = [
    (
        "SELECT DISTINCT o.upload_id FROM observations o ANTI JOIN uploads u ON u.id = o.upload_id ORDER BY 1",
        "{n} lần tải lên không còn trong lịch sử nhưng vẫn còn dòng số liệu (mã lần tải lên: {ids}).",
    ),
    (
        "SELECT DISTINCT r.upload_id FROM register_items r ANTI JOIN uploads u ON u.id = r.upload_id ORDER BY 1",
        "{n} lần tải lên không còn trong lịch sử nhưng vẫn còn dòng danh sách sản phẩm (mã: {ids}).",
    ),
    (
        "SELECT u.id FROM uploads u ANTI JOIN files f ON f.sha256 = u.sha256 ORDER BY 1",
        "{n} lần tải lên mất tệp gốc trong kho lưu trữ (mã lần tải lên: {ids}).",
    ),
    (
        "SELECT f.sha256[:12] FROM files f ANTI JOIN uploads u ON u.sha256 = f.sha256 ORDER BY 1",
        "{n} tệp gốc trong kho lưu trữ không thuộc lần tải lên nào (tệp mồ côi; mã băm: {ids}).",
    ),
    (
        """SELECT u.id FROM uploads u
           LEFT JOIN (SELECT upload_id, count(*) AS n FROM observations GROUP BY ALL) o ON o.upload_id = u.id
           LEFT JOIN (SELECT upload_id, count(*) AS n FROM register_items GROUP BY ALL) r ON r.upload_id = u.id
           WHERE coalesce(o.n, 0) <> u.rows OR coalesce(r.n, 0) <> u.register_rows
              OR (coalesce(o.n, 0) = 0 AND coalesce(r.n, 0) = 0)
           ORDER BY 1""",
        "{n} lần tải lên không đủ dòng số liệu như đã ghi khi nhập (nhập dở dang; mã lần tải lên: {ids}).",
    ),
    (
        """SELECT c.upload_id || ' (' || c.kind || ', ' || c.period || ', ' || c.indicator || ')' FROM current_reports c
           ANTI JOIN uploads u ON u.id = c.upload_id AND u.commune = c.commune AND u.kind = c.kind AND u.unit = c.unit
           ORDER BY c.upload_id""",
        "{n} số liệu đang dùng trỏ tới lần tải lên không tồn tại hoặc khác loại, khác đơn vị ({ids}).",
    ),
    (
        """SELECT c.upload_id || ' (' || c.period || ', ' || c.indicator || ')' FROM current_reports c
           WHERE c.indicator <> '' AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.upload_id = c.upload_id
                 AND o.period = c.period AND o.indicator = c.indicator)
           ORDER BY c.upload_id""",
        "{n} số liệu đang dùng không có dòng số liệu nào trong lần tải lên của nó ({ids}).",
    ),
    (
        """SELECT c.upload_id || ' (' || c.period || ')' FROM current_reports c
           WHERE c.indicator = '' AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.id = c.upload_id
                 AND u.register_rows > 0 AND list_contains(u.periods, c.period))
           ORDER BY c.upload_id""",
        "{n} danh sách sản phẩm đang dùng không có trong lần tải lên của nó ({ids}).",
    ),
    (
        """SELECT u.id FROM uploads u WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.upload_id = u.id
                 AND a.action IN ('import', 'replace')) ORDER BY 1""",
        "{n} lần tải lên không có dòng nhật ký nhập tương ứng (lịch sử không giải thích được; mã: {ids}).",
    ),
    (
        """SELECT DISTINCT a.upload_id FROM audit_log a WHERE a.upload_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.id = a.upload_id) ORDER BY 1""",
        "{n} dòng nhật ký nhắc tới lần tải lên không còn tồn tại (mã: {ids}).",
    ),
    (
        "SELECT DISTINCT m.name FROM user_units m ANTI JOIN users u ON u.name = m.name ORDER BY 1",
        "{n} tài khoản đã xóa vẫn còn được giao đơn vị ({ids}).",
    ),
]
# Only when the frozen-figures tables exist (migration 004).
_SNAPSHOT_CHECK = (
    "SELECT DISTINCT k.upload_id FROM snapshot_keys k ANTI JOIN uploads u ON u.id = k.upload_id ORDER BY 1",
    "{n} số liệu đã chốt trỏ tới lần tải lên không còn tồn tại (mã: {ids}).",
)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
    return {r[0] for r in rows}


def findings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every inconsistency found through an open connection, each a Vietnamese sentence; [] when all is well."""
    out: list[str] = []
    tables = _tables(con)
    checks = list(_CHECKS) + ([_SNAPSHOT_CHECK] if "snapshot_keys" in tables else [])
    for sql, message in checks:
        ids = [str(r[0]) for r in con.execute(sql).fetchall()]
        if ids:
            shown = ", ".join(ids[:_SHOWN]) + (", …" if len(ids) > _SHOWN else "")
            out.append(message.format(n=len(ids), ids=shown))
    if not con.execute("SELECT count(*) FROM meta WHERE key = 'data_version'").fetchone()[0]:
        out.append("Thiếu bộ đếm phiên bản dữ liệu (bảng meta).")
    out += _damaged_files(con)
    return out


def _damaged_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Original files whose bytes no longer match their SHA-256 or size, read one at a time (they may be MB each)."""
    damaged = []
    for (sha,) in con.execute("SELECT sha256 FROM files ORDER BY sha256").fetchall():
        size, data = con.execute("SELECT size, bytes FROM files WHERE sha256 = ?", [sha]).fetchone()
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            damaged.append(sha[:12])
    if not damaged:
        return []
    shown = ", ".join(damaged[:_SHOWN]) + (", …" if len(damaged) > _SHOWN else "")
    return [f"{len(damaged)} tệp gốc bị hỏng: nội dung không còn khớp mã băm SHA-256 đã lưu ({shown})."]


class Integrity(StoreBase):
    def check_integrity(self) -> list[str]:
        """What is inconsistent in the database (Vietnamese findings), or [] when uploads, rows, versions in force,
        original files and the history all agree."""
        with self.connect() as con:
            return findings(con)
