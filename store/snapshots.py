"""Frozen figures ("Chốt số liệu"): copy the figures in force as of a day, and read them back as the live reads do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from ground.catalogue import Catalogue
from store.accounts import audit
from store.base import StoreBase
from store.reads import _UPLOAD_KEYS, observations_sql, sources_sql
from store.targets import with_targets

# The versions in force at a past moment: for each key, the upload of the latest event that pointed it there.
# Every import, replacement and restore points all keys of its upload at it and writes one audit line, so
# replaying those lines up to the moment gives exactly what current_reports held then.
_KEYS_AT = f"""
    WITH k AS ({_UPLOAD_KEYS}),
    events AS (
        SELECT id AS event, upload_id FROM audit_log
        WHERE action IN ('import', 'replace', 'restore') AND upload_id IS NOT NULL AND "at" <= $cutoff
    )
    SELECT k.kind, k.unit, k.period, k.indicator, k.upload_id
    FROM k JOIN events e USING (upload_id)
    WHERE k.commune = $commune
    QUALIFY row_number() OVER (PARTITION BY k.kind, k.unit, k.period, k.indicator ORDER BY e.event DESC) = 1
"""
_KEYS_NOW = "SELECT kind, unit, period, indicator, upload_id FROM current_reports WHERE commune = $commune"

# The frozen counterpart of store/reads.py's _CURRENT: observations of the uploads the snapshot holds.
_FROZEN = """
    SELECT o.*, k.kind, k.unit
    FROM observations o
    JOIN snapshot_keys k ON k.upload_id = o.upload_id AND k.period = o.period AND k.indicator = o.indicator
    WHERE k.snapshot_id = $sid
"""


class SnapshotError(ValueError):
    """A freeze refused; the message is the Vietnamese sentence to show. `usage`: the request itself was wrong
    (an empty name, a day still to come), as opposed to nothing being there to freeze."""

    def __init__(self, message: str, *, usage: bool = False):
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class SnapshotInfo:
    """One frozen set of figures: its name, the day it was frozen to, who froze it and when."""

    id: int
    name: str
    as_of: date
    cutoff: datetime
    created_by: str
    created_at: datetime
    latest_upload_at: datetime | None
    rows: int  # figures copied (rows of snapshot_monthly)


class Snapshots(StoreBase):
    # ------------------------------------------------------------ freezing

    def freeze(self, name: str, as_of_date: date | None, who: str, *, catalogue: Catalogue | None = None) -> int:
        """Copy the figures in force at the end of `as_of_date` (default today; today means now) under `name`;
        return the snapshot's id. With `catalogue`, every phase target in force (the catalogue's with the
        admins' overrides) is frozen too, else the overrides alone. Audited as 'snapshot_create'.
        SnapshotError (Vietnamese) for an empty name, a future day or nothing to freeze."""
        commune = self._commune(None)
        if not commune:
            raise ValueError("no commune: build the Store with one")
        name = " ".join((name or "").split())
        if not name:
            raise SnapshotError("Hãy đặt tên cho lần chốt số liệu, ví dụ “Họp giao ban tháng 11”.", usage=True)
        if len(name) > 200:
            raise SnapshotError("Tên lần chốt số liệu dài quá 200 ký tự; hãy viết ngắn lại.", usage=True)
        now = self.clock()
        as_of = as_of_date or now.date()
        if as_of > now.date():
            raise SnapshotError(
                f"Ngày chốt {as_of:%d/%m/%Y} chưa đến; chỉ chốt được số liệu đến hôm nay ({now:%d/%m/%Y}) "
                "hoặc một ngày đã qua.",
                usage=True,
            )
        targets = self._targets_in_force(catalogue) if catalogue is not None else self.target_rows(commune)
        today = as_of == now.date()
        cutoff = now if today else datetime.combine(as_of + timedelta(days=1), time()) - timedelta(microseconds=1)
        with self.transaction() as tx:
            con = tx.con
            sid = con.execute(
                "INSERT INTO snapshots (commune, name, as_of, cutoff, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [commune, name, as_of, cutoff, who, now],
            ).fetchone()[0]
            keys, params = (_KEYS_NOW, {}) if today else (_KEYS_AT, {"cutoff": cutoff})
            con.execute(
                f"INSERT INTO snapshot_keys SELECT $sid, kind, unit, period, indicator, upload_id FROM ({keys})",
                params | {"sid": sid, "commune": commune},
            )
            rows = con.execute(
                f"""INSERT INTO snapshot_monthly
                    SELECT $sid, indicator, period, village, dim, dim_value, sum(value), sum(denominator),
                           count(*)::INTEGER
                    FROM ({_FROZEN}) GROUP BY ALL""",
                {"sid": sid},
            ).fetchone()[0]
            if not rows:
                tx.rollback()
                when = "hiện tại" if today else f"đến ngày {as_of:%d/%m/%Y}"
                raise SnapshotError(f"Chưa có số liệu nào {when} để chốt.")
            latest = con.execute(
                "SELECT max(u.uploaded_at) FROM snapshot_keys k JOIN uploads u ON u.id = k.upload_id "
                "WHERE k.snapshot_id = ?",
                [sid],
            ).fetchone()[0]
            con.execute("UPDATE snapshots SET latest_upload_at = ? WHERE id = ?", [latest, sid])
            if len(targets):
                con.register("frozen_targets", targets)
                con.execute(
                    "INSERT INTO snapshot_targets SELECT ?, indicator, phase, value, source FROM frozen_targets", [sid]
                )
            detail = {"id": sid, "name": name, "as_of": as_of.isoformat(), "cutoff": cutoff, "rows": rows}
            audit(con, now, who, "snapshot_create", detail)
            return int(sid)

    def _targets_in_force(self, catalogue: Catalogue) -> pd.DataFrame:
        effective = self.effective_catalogue(catalogue)
        rows = [
            (ind.code, t.phase, float(t.value), t.source)
            for ind in effective.indicators
            if ind.direction != "none"
            for t in ind.targets
        ]
        return pd.DataFrame(rows, columns=["indicator", "phase", "value", "source"])

    def target_rows(self, commune: str) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(
                "SELECT indicator, phase, value, source FROM target_overrides WHERE commune = ? ORDER BY ALL",
                [commune],
            ).df()

    # ------------------------------------------------------------ the list

    def snapshots(self, commune: str | None = None) -> pd.DataFrame:
        """Every snapshot, newest first: id, name, as_of, cutoff, created_by, created_at, latest_upload_at, rows."""
        with self.connect() as con:
            return con.execute(
                """SELECT s.id, s.name, s.as_of, s.cutoff, s.created_by, s.created_at, s.latest_upload_at,
                          (SELECT count(*) FROM snapshot_monthly m WHERE m.snapshot_id = s.id)::INTEGER AS rows
                   FROM snapshots s WHERE ($commune IS NULL OR s.commune = $commune) ORDER BY s.id DESC""",
                {"commune": self._commune(commune)},
            ).df()

    def snapshot(self, snapshot_id: int) -> SnapshotInfo:
        """One snapshot of this store's commune; KeyError when there is none with that id."""
        frame = self.snapshots()
        row = frame[frame["id"] == int(snapshot_id)]
        if row.empty:
            raise KeyError(snapshot_id)
        r = row.iloc[0]
        latest = r["latest_upload_at"]
        return SnapshotInfo(
            id=int(r["id"]),
            name=str(r["name"]),
            as_of=pd.Timestamp(r["as_of"]).date(),
            cutoff=pd.Timestamp(r["cutoff"]).to_pydatetime(),
            created_by=str(r["created_by"]),
            created_at=pd.Timestamp(r["created_at"]).to_pydatetime(),
            latest_upload_at=None if pd.isna(latest) else pd.Timestamp(latest).to_pydatetime(),
            rows=int(r["rows"]),
        )

    # ------------------------------------------------------------ frozen reads, same columns as the live ones

    def _frozen(self, snapshot_id: int, sql: str, params: dict | None = None) -> pd.DataFrame:
        """`sql` run for one snapshot ($sid); KeyError for a missing snapshot or another commune's."""
        with self.connect() as con:
            found = con.execute(
                "SELECT count(*) FROM snapshots WHERE id = $sid AND ($commune IS NULL OR commune = $commune)",
                {"sid": int(snapshot_id), "commune": self._commune(None)},
            ).fetchone()[0]
            if not found:
                raise KeyError(snapshot_id)
            return con.execute(sql, {"sid": int(snapshot_id)} | (params or {})).df()

    def snapshot_monthly(self, snapshot_id: int) -> pd.DataFrame:
        """Store.monthly() as frozen: indicator, period, village, dim, dim_value, value, denominator, rows."""
        return self._frozen(
            snapshot_id,
            """SELECT indicator, period, village, dim, dim_value, value, denominator, rows
               FROM snapshot_monthly WHERE snapshot_id = $sid
               ORDER BY indicator, period, village NULLS FIRST, dim, dim_value""",
        )

    def snapshot_commune_monthly(self, snapshot_id: int) -> pd.DataFrame:
        """Store.commune_monthly() as frozen: indicator, period, value, denominator, rows."""
        return self._frozen(
            snapshot_id,
            """SELECT indicator, period, sum(value) AS value, sum(denominator) AS denominator,
                      sum(rows)::INTEGER AS rows
               FROM snapshot_monthly WHERE snapshot_id = $sid GROUP BY ALL ORDER BY indicator, period""",
        )

    def snapshot_village_monthly(self, snapshot_id: int) -> pd.DataFrame:
        """Store.village_monthly() as frozen: indicator, period, village, value, denominator, rows."""
        return self._frozen(
            snapshot_id,
            """SELECT indicator, period, village, sum(value) AS value, sum(denominator) AS denominator,
                      sum(rows)::INTEGER AS rows
               FROM snapshot_monthly WHERE snapshot_id = $sid AND village IS NOT NULL
               GROUP BY ALL ORDER BY indicator, period, village""",
        )

    def snapshot_series(self, snapshot_id: int, indicator: str, village: str | None = None) -> pd.DataFrame:
        """Store.series() as frozen: period, value, denominator, rows."""
        return self._frozen(
            snapshot_id,
            """SELECT period, sum(value) AS value, sum(denominator) AS denominator, sum(rows)::INTEGER AS rows
               FROM snapshot_monthly
               WHERE snapshot_id = $sid AND indicator = $indicator AND ($village IS NULL OR village = $village)
               GROUP BY period ORDER BY period""",
            {"indicator": indicator, "village": village},
        )

    def snapshot_observations(
        self, snapshot_id: int, indicator: str, period: str | None = None, village: str | None = None
    ) -> pd.DataFrame:
        """Store.observations() as frozen: the rows behind a frozen figure, each with its file, sheet and row."""
        return self._frozen(
            snapshot_id,
            observations_sql(_FROZEN),
            {"indicator": indicator, "period": period, "village": village},
        )

    def snapshot_sources(self, snapshot_id: int, indicator: str) -> pd.DataFrame:
        """Store.sources() as frozen: upload_id, file_name, kind, unit, periods, rows, uploaded_by, uploaded_at,
        signed_on."""
        return self._frozen(
            snapshot_id,
            sources_sql(
                "SELECT upload_id, period FROM snapshot_keys WHERE snapshot_id = $sid AND indicator = $indicator",
                _FROZEN,
            ),
            {"indicator": indicator},
        )

    def snapshot_reports_received(self, snapshot_id: int) -> pd.DataFrame:
        """Store.reports_received() as frozen: unit, kind, period, upload_id, file_name, uploaded_at, signed_on."""
        return self._frozen(
            snapshot_id,
            """SELECT DISTINCT k.unit, k.kind, k.period, k.upload_id, u.file_name, u.uploaded_at,
                      coalesce(u.signed_by_period[k.period], u.signed_on) AS signed_on
               FROM snapshot_keys k JOIN uploads u ON u.id = k.upload_id
               WHERE k.snapshot_id = $sid
               ORDER BY k.unit, k.kind, k.period, k.upload_id""",
        )

    def snapshot_indicator_reports(self, snapshot_id: int) -> pd.DataFrame:
        """DashboardReads.indicator_reports() as frozen: indicator, period, unit, kind, upload_id, file_name,
        uploaded_at, signed_on (the completeness grid's input)."""
        return self._frozen(
            snapshot_id,
            """SELECT k.indicator, k.period, k.unit, k.kind, k.upload_id, u.file_name, u.uploaded_at,
                      coalesce(u.signed_by_period[k.period], u.signed_on) AS signed_on
               FROM snapshot_keys k JOIN uploads u ON u.id = k.upload_id
               WHERE k.snapshot_id = $sid AND k.indicator <> ''
               ORDER BY k.indicator, k.period""",
        )

    def snapshot_register(self, snapshot_id: int, period: str | None = None) -> pd.DataFrame:
        """Store.register() as frozen: the register items in force at the freeze for `period` (default: each
        unit's latest register month)."""
        return self._frozen(
            snapshot_id,
            """WITH held AS (
                   SELECT unit, period, upload_id FROM snapshot_keys
                   WHERE snapshot_id = $sid AND indicator = '' AND ($period IS NULL OR period = $period)
               ), chosen AS (
                   SELECT * FROM held QUALIFY $period IS NOT NULL OR period = max(period) OVER (PARTITION BY unit)
               )
               SELECT h.period, h.unit, h.upload_id, u.file_name, i.name, i.owner, i.village, i.certificate, i.stars,
                      i.decision, i.issued, i.expires, i.expiry_derived, i.area_ha, i.sheet, i.row
               FROM chosen h JOIN uploads u ON u.id = h.upload_id JOIN register_items i ON i.upload_id = h.upload_id
               ORDER BY h.period, h.unit, i.sheet, i.row""",
            {"period": period},
        )

    def snapshot_catalogue(self, snapshot_id: int, catalogue: Catalogue) -> Catalogue:
        """The catalogue with the phase targets frozen in the snapshot in place of today's (the merge
        of Targets.effective_catalogue: a frozen target replaces its phase's, others are kept)."""
        frozen = self._frozen(
            snapshot_id,
            "SELECT indicator, phase, value, source FROM snapshot_targets WHERE snapshot_id = $sid ORDER BY ALL",
        )
        if frozen.empty:
            return catalogue
        return with_targets(catalogue, frozen)
