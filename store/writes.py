"""Writing: one report per transaction with replace-by-key, restore of an older version, and the audit log."""

from __future__ import annotations

import hashlib
import json
from array import array
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.model import Observations, Problem, Report, observation_column
from store.base import StoreBase
from store.connection import migrate

REGISTER_KEY = ""  # the indicator of the key a register upload holds as a whole (its items)


class Change(NamedTuple):
    """A figure an import changes. For a row with a denominator (a ratio) the values are the share in %.

    old_value is None for a figure that did not exist; new_value is None for one the new version drops.
    """

    indicator: str
    period: str
    village: str | None
    dim: str
    dim_value: str
    old_value: float | None
    new_value: float | None


@dataclass
class SaveResult:
    status: str  # "imported" | "unchanged"
    upload_id: int | None  # None for a new file in a dry run
    replaced: list[int] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


# Threads that prepare a report's columns while DuckDB opens the file (see save_report).
_PREPARE = ThreadPoolExecutor(max_workers=2, thread_name_prefix="save_report-prepare")
_BIG_REPORT_ROWS = 10_000  # observations from which a save skips the WAL and runs on one thread (see save_report)
_OBS_COLUMNS = ["indicator", "period", "village", "dim", "dim_value", "value", "denominator", "sheet", "row"]
_REG_COLUMNS = ["name", "owner", "village", "certificate", "stars", "decision", "issued", "expires", "expiry_derived",
                "area_ha", "sheet", "row"]  # fmt: skip

# The keys an upload holds: each (period, indicator) it has figures for, and the register key of each
# of its periods when it carries register items.
_UPLOAD_KEYS = """
    SELECT DISTINCT u.commune, u.kind, u.unit, o.period, o.indicator
    FROM uploads u JOIN observations o ON o.upload_id = u.id WHERE u.id = $id
    UNION
    SELECT u.commune, u.kind, u.unit, unnest(u.periods) AS period, '' AS indicator
    FROM uploads u WHERE u.id = $id AND u.register_rows > 0
"""


def content_sha256(report: Report, observations: pd.DataFrame) -> str:
    """A fingerprint of what was read (not of the bytes): the same file read under another catalogue differs.

    Hashes the frames about to be stored (vectorised: 100.000 rows in a few ms, where repr() of each
    observation took 0,4 s).
    """
    h = hashlib.sha256()
    h.update(repr((report.kind, report.unit, report.periods)).encode())
    h.update(pd.util.hash_pandas_object(observations, index=False).to_numpy().tobytes())
    if report.register:
        h.update(pd.util.hash_pandas_object(_register_frame(report), index=False).to_numpy().tobytes())
    return h.hexdigest()


_ARROW_TO_PANDAS = {
    pa.large_string(): pd.StringDtype("pyarrow", na_value=pd.NA),
    pa.float64(): pd.Float64Dtype(),
    pa.int64(): pd.Int64Dtype(),
}.get


def _observations_table(report: Report) -> pa.Table:
    # Columns built as Arrow arrays: pd.array(..., dtype="string") checks every element in Python. A loader's
    # Observations are already columns; a list of Observation objects is split first.
    obs = report.observations
    indicator, period, value, denominator, village, dim, dim_value, sheet, row = (
        observation_column(obs, name) for name in Observations.COLUMNS
    )
    return pa.table(
        {
            "indicator": _text_array(indicator),
            "period": _text_array(period),
            "village": _text_array(village),
            "dim": _text_array(_texts(dim)),
            "dim_value": _text_array(_texts(dim_value)),
            "value": _float_array(value),
            "denominator": _number_array(denominator),
            "sheet": _text_array(sheet),
            "row": _int_array(row),
        }
    )


def _prepared(report: Report) -> tuple[pa.Table, str]:
    """The observations to insert (DuckDB reads Arrow directly) and the fingerprint of what was read."""
    table = _observations_table(report)
    return table, content_sha256(report, _observations_frame(table))


def _observations_frame(table: pa.Table) -> pd.DataFrame:
    """The observations as pandas, wrapped without a copy; its dtypes are what content_sha256 has always hashed."""
    return table.to_pandas(types_mapper=_ARROW_TO_PANDAS)


def _text_array(values: list) -> pa.Array:
    """Texts (or None) as an Arrow column; one text repeated (a log's indicator, sheet) is copied in C."""
    n = len(values)
    if n > 1 and values.count(values[0]) == n:  # C: the same object repeated compares by identity
        return pa.array(values[:1], pa.large_string()).take(np.zeros(n, np.int32))
    return pa.array(values, pa.large_string())


def _number_array(values: list) -> pa.Array:
    """Numbers or None as an Arrow column of floats; a column of None only (every count's denominator) in C."""
    n = len(values)
    if n > 1 and values.count(None) == n:
        return pa.nulls(n, pa.float64())
    return pa.array(_floats(values, nullable=True), pa.float64())


def _float_array(values: list | array) -> pa.Array:
    """float() of each value as an Arrow column; an array of floats (as values come from a worker) without a copy."""
    if values.__class__ is array and values.typecode == "d":
        return pa.array(np.frombuffer(values, np.float64))
    return pa.array(_floats(values), pa.float64())


def _int_array(values: list | array) -> pa.Array:
    """int() of each value as an Arrow column; an array of ints (as row numbers come from a worker) without a copy."""
    if values.__class__ is array and values.typecode == "q":
        return pa.array(np.frombuffer(values, np.int64))
    return pa.array(values if set(map(type, values)) <= {int} else [int(v) for v in values], pa.int64())


def _floats(values: list, nullable: bool = False) -> list:
    """float() of each value (None kept when `nullable`): the list itself when it holds only floats already."""
    if set(map(type, values)) <= ({float, type(None)} if nullable else {float}):
        return values
    return [None if v is None and nullable else float(v) for v in values]


def _texts(values: list) -> list:
    """Each value or "" for none: the list itself when every value is a text already (judged on the distinct
    values: a few, and texts equal only texts)."""
    try:
        texts = set(map(type, set(values))) <= {str}
    except TypeError:  # an unhashable value
        texts = False
    return values if texts else [v or "" for v in values]


def _register_frame(report: Report) -> pd.DataFrame:
    return pd.DataFrame([[getattr(r, c) for c in _REG_COLUMNS] for r in report.register], columns=_REG_COLUMNS).astype(
        {"stars": "Int64", "area_ha": "Float64", "row": "Int64", "expiry_derived": "bool"}
    )


def _keys_frame(report: Report) -> pd.DataFrame:
    obs = report.observations
    keys = set(zip(observation_column(obs, "period"), observation_column(obs, "indicator"), strict=True))
    if report.register:
        keys |= {(p, REGISTER_KEY) for p in report.periods}
    return pd.DataFrame(sorted(keys), columns=["period", "indicator"], dtype="string")


def _store_file(con: duckdb.DuckDBPyConnection, sha: str, data: bytes) -> None:
    """The original bytes, once per content. Looked up first: "ON CONFLICT DO NOTHING" with the bytes as a
    parameter costs 0,13 s for a 4 MB file."""
    if not con.execute("SELECT 1 FROM files WHERE sha256 = ?", [sha]).fetchall():  # all: no result left pending
        con.execute("INSERT INTO files VALUES (?, ?, ?)", [sha, len(data), data])


def _problems_json(problems: list[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False)


class Writes(StoreBase):
    def save_report(
        self,
        report: Report,
        *,
        data: bytes,
        file_name: str,
        user: str,
        commune: str | None = None,
        dry_run: bool = False,
    ) -> SaveResult:
        """Store one accepted report in one transaction, replacing the version in force for its keys.

        Same bytes read the same way and already in force for every key: "unchanged", nothing written.
        Same bytes of a superseded upload: that upload becomes current again (no second copy).
        `dry_run` computes the same result and the changes, then rolls back.
        """
        if report.errors or report.kind is None:
            raise ValueError("a report with errors is never stored")
        if not report.observations and not report.register:
            raise ValueError("a report without figures would hold no key and never be in force")
        commune = self._commune(commune)
        if not commune:
            raise ValueError("no commune: pass commune= or build the Store with one")
        sha = hashlib.sha256(data).hexdigest()
        unit = report.unit or ""
        if dry_run and not self.path.exists():
            # Nothing to compare with, and a dry run must not create the file.
            new_obs, content = _prepared(report)
            with duckdb.connect(":memory:") as con:
                migrate(con)
                return self._save(con, report, new_obs, data, sha, content, commune, unit, file_name, user, True)
        # What was read becomes Arrow columns and a fingerprint while the database opens, which DuckDB does without
        # holding the GIL (100.000 rows: 50 ms of Python beside 20 ms of opening).
        prepared = _PREPARE.submit(_prepared, report)
        with self.transaction() as tx:
            if not dry_run:
                _store_file(tx.con, sha, data)  # also while the frame is prepared; undone with the rest if unchanged
            new_obs, content = prepared.result()
            big = len(report.observations) >= _BIG_REPORT_ROWS
            if big:
                # Written straight into the database file at COMMIT instead of into the WAL first and the file
                # again when the connection closes (100.000 rows: 0,12 s → 0,09 s), equally atomic and durable; and
                # on one thread: splitting a 100.000-row insert between two cores cost more than it gained (25 ms
                # against 50 ms). Both are settings of this process's open database (gone when its last connection
                # closes, as this call's does): threads is put back before COMMIT, the threshold only makes another
                # big write checkpoint at its COMMIT too.
                tx.con.execute("SET checkpoint_threshold = '1MB'")
                tx.con.execute("SET threads = 1")
            result = self._save(tx.con, report, new_obs, data, sha, content, commune, unit, file_name, user, dry_run)
            if big:
                tx.con.execute("RESET threads")
            if dry_run or result.status == "unchanged":
                tx.rollback()
            return result

    def _save(self, con, report, new_obs, data, sha, content, commune, unit, file_name, user, dry_run) -> SaveResult:
        new_keys = _keys_frame(report)
        # Registered frames live as long as this call's connection; no unregister (DuckDB refuses it while a
        # result is pending, which would hide the real error on the way out).
        con.register("new_obs", new_obs)
        con.register("new_keys", new_keys)
        existing = con.execute(
            "SELECT id FROM uploads WHERE commune = ? AND sha256 = ? AND kind = ? AND unit = ? "
            "AND periods = ?::VARCHAR[] AND content_sha256 = ? ORDER BY id DESC LIMIT 1",
            [commune, sha, report.kind, unit, report.periods, content],
        ).fetchone()
        current = con.execute(
            "SELECT c.upload_id, count(*) FROM current_reports c JOIN new_keys k USING (period, indicator) "
            "WHERE c.commune = ? AND c.kind = ? AND c.unit = ? GROUP BY c.upload_id",
            [commune, report.kind, unit],
        ).fetchall()
        held = dict(current)
        if existing and held.get(existing[0], 0) == len(new_keys) and len(held) == 1:
            return SaveResult("unchanged", existing[0])
        changes = self._changes(con, commune, report.kind, unit)
        upload_id = existing[0] if existing else None
        replaced = sorted(u for u in held if u != upload_id)
        if dry_run:
            return SaveResult("imported", upload_id, replaced, changes)
        if upload_id is None:
            upload_id = self._insert_upload(con, report, data, sha, content, commune, unit, file_name, user)
        self._make_current(con, upload_id)
        action = "replace" if replaced else "import"
        detail = {"file": file_name, "periods": report.periods, "replaced": replaced, "reused": bool(existing)}
        self._audit(con, user, action, upload_id, detail)
        return SaveResult("imported", upload_id, replaced, changes)

    def _changes(self, con, commune: str, kind: str, unit: str) -> list[Change]:
        # Both sides summed per figure; a ratio row compares as its share so the preview reads "62,0% → 65,3%".
        rows = con.execute(
            """
            WITH old AS (
                SELECT o.indicator, o.period, o.village, o.dim, o.dim_value,
                       sum(o.value) AS v, sum(o.denominator) AS d
                FROM current_reports c
                JOIN new_keys k USING (period, indicator)
                JOIN observations o ON o.upload_id = c.upload_id AND o.period = c.period AND o.indicator = c.indicator
                WHERE c.commune = $commune AND c.kind = $kind AND c.unit = $unit
                GROUP BY ALL
            ), new AS (
                SELECT indicator, period, village, dim, dim_value, sum(value) AS v, sum(denominator) AS d
                FROM new_obs GROUP BY ALL
            ), both_sides AS (
                SELECT coalesce(n.indicator, o.indicator) AS indicator, coalesce(n.period, o.period) AS period,
                       coalesce(n.village, o.village) AS village, coalesce(n.dim, o.dim) AS dim,
                       coalesce(n.dim_value, o.dim_value) AS dim_value,
                       o.v AS ov, o.d AS od, n.v AS nv, n.d AS nd, o.indicator IS NOT NULL AS had,
                       n.indicator IS NOT NULL AS has
                FROM old o FULL OUTER JOIN new n
                  ON n.indicator = o.indicator AND n.period = o.period AND n.village IS NOT DISTINCT FROM o.village
                 AND n.dim = o.dim AND n.dim_value = o.dim_value
            )
            SELECT indicator, period, village, dim, dim_value,
                   CASE WHEN NOT had THEN NULL WHEN od IS NULL THEN ov WHEN od = 0 THEN NULL ELSE ov / od * 100 END,
                   CASE WHEN NOT has THEN NULL WHEN nd IS NULL THEN nv WHEN nd = 0 THEN NULL ELSE nv / nd * 100 END
            FROM both_sides
            WHERE had <> has
               OR abs(ov - nv) > 1e-9 * greatest(1, abs(ov))
               OR (od IS NULL) <> (nd IS NULL)
               OR abs(od - nd) > 1e-9 * greatest(1, abs(od))
            ORDER BY indicator, period, village NULLS FIRST, dim, dim_value
            """,
            {"commune": commune, "kind": kind, "unit": unit},
        ).fetchall()
        return [Change(*r) for r in rows]

    def _insert_upload(self, con, report, data, sha, content, commune, unit, file_name, user) -> int:
        upload_id = con.execute(
            "INSERT INTO uploads (commune, file_name, sha256, size, content_sha256, kind, unit, periods, indicators, "
            "sheets, rows, register_rows, title, signed_on, signed_by_period, uploaded_by, uploaded_at, warnings) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                commune,
                file_name,
                sha,
                len(data),
                content,
                report.kind,
                unit,
                list(report.periods),
                report.indicators,
                list(report.sheets),
                len(report.observations),
                len(report.register),
                report.title or "",
                report.signed_on,
                dict(report.signed_by_period) or None,
                user,
                self.clock(),
                _problems_json(report.warnings),
            ],
        ).fetchone()[0]
        if report.observations:
            con.execute(
                "INSERT INTO observations SELECT ?, ?, indicator, period, village, dim, dim_value, value, denominator, "
                "sheet, row FROM new_obs",
                [upload_id, commune],
            )
        if report.register:
            reg = _register_frame(report)
            con.register("new_register", reg)
            con.execute(
                f"INSERT INTO register_items SELECT ?, {', '.join(_REG_COLUMNS)} FROM new_register", [upload_id]
            )
        return upload_id

    def _make_current(self, con, upload_id: int) -> list[int]:
        """Point every key of the upload at it; return the uploads that held any of those keys."""
        # The keys are gathered once (a scan of the upload's rows: 8 ms for 100.000) for both statements.
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE upload_keys AS SELECT commune, kind, unit, period, indicator "
            f"FROM ({_UPLOAD_KEYS})",
            {"id": upload_id},
        )
        replaced = con.execute(
            "SELECT DISTINCT c.upload_id FROM current_reports c JOIN upload_keys k "
            "USING (commune, kind, unit, period, indicator) WHERE c.upload_id <> $id ORDER BY 1",
            {"id": upload_id},
        ).fetchall()
        con.execute(
            "INSERT OR REPLACE INTO current_reports SELECT commune, kind, unit, period, indicator, $id, $at "
            "FROM upload_keys",
            {"id": upload_id, "at": self.clock()},
        )
        return [r[0] for r in replaced]

    def _audit(self, con, who: str, action: str, upload_id: int | None, detail: dict) -> None:
        con.execute(
            'INSERT INTO audit_log ("at", who, action, upload_id, detail) VALUES (?, ?, ?, ?, ?)',
            [self.clock(), who, action, upload_id, json.dumps(detail, ensure_ascii=False, default=str)],
        )

    def restore(self, upload_id: int, who: str) -> list[int]:
        """Make an earlier upload the version in force again for all its keys; return the uploads it supersedes.

        Audited as 'restore'. Nothing is written when it is already in force everywhere.
        """
        with self.transaction() as tx:
            con = tx.con
            row = con.execute("SELECT file_name FROM uploads WHERE id = ?", [upload_id]).fetchone()
            if row is None:
                raise KeyError(upload_id)
            missing = con.execute(
                f"SELECT count(*) FROM ({_UPLOAD_KEYS}) k LEFT JOIN current_reports c "
                "USING (commune, kind, unit, period, indicator) WHERE c.upload_id IS DISTINCT FROM $id",
                {"id": upload_id},
            ).fetchone()[0]
            if not missing:
                tx.rollback()
                return []
            replaced = self._make_current(con, upload_id)
            self._audit(con, who, "restore", upload_id, {"file": row[0], "replaced": replaced})
            return replaced

    def record_rejection(self, file_name: str, data: bytes, errors: list[Problem], who: str) -> None:
        """An audit line for a refused file; the figures, uploads and files are not touched."""
        detail = {
            "file": file_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "errors": [p.as_dict() for p in errors[:50]],
        }
        with self.transaction() as tx:
            self._audit(tx.con, who, "reject", None, detail)
