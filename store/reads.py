"""Reading: the figures in force pre-aggregated in SQL, their source rows, the upload history and the audit log."""

from __future__ import annotations

import pandas as pd

from store.base import StoreBase

# The figures in force: an observation counts when its upload holds the key (period, indicator) it belongs to.
_CURRENT = """
    SELECT o.*, c.kind, c.unit
    FROM observations o
    JOIN current_reports c ON c.upload_id = o.upload_id AND c.period = o.period AND c.indicator = o.indicator
    WHERE ($commune IS NULL OR c.commune = $commune)
"""

# Every key an upload ever held, to tell whether it is in force, partly or not at all.
_UPLOAD_KEYS = """
    SELECT DISTINCT u.id AS upload_id, u.commune, u.kind, u.unit, o.period, o.indicator
    FROM uploads u JOIN observations o ON o.upload_id = u.id
    UNION
    SELECT id, commune, kind, unit, unnest(periods), '' FROM uploads WHERE register_rows > 0
"""

STATUS_VI = {"current": "Đang dùng", "partial": "Dùng một phần", "superseded": "Đã được thay thế"}
ACTION_VI = {
    "import": "Nhập mới",
    "replace": "Nhập thay thế",
    "restore": "Khôi phục phiên bản cũ",
    "reject": "Từ chối",
    "user_add": "Thêm tài khoản",
    "user_update": "Sửa vai trò, đơn vị",
    "user_password": "Đặt lại mật khẩu",
    "user_remove": "Xóa tài khoản",
    "login_locked": "Tạm khóa đăng nhập",
    "login_burst": "Đăng nhập sai dồn dập",
    "target_set": "Điều chỉnh chỉ tiêu",
    "target_clear": "Trả chỉ tiêu về danh mục",
    "setting": "Đổi cài đặt",
    "snapshot_create": "Chốt số liệu",
}


def observations_sql(observations: str) -> str:
    """The rows behind one figure ($indicator, $period and $village, each NULL for all), live or frozen, each with
    its upload's file: `observations` selects the rows in force."""
    return f"""SELECT o.upload_id, u.file_name, o.kind, o.unit, u.uploaded_at, u.uploaded_by, o.sheet, o.row,
               o.indicator, o.period, o.village, o.dim, o.dim_value, o.value, o.denominator
        FROM ({observations}) o JOIN uploads u ON u.id = o.upload_id
        WHERE o.indicator = $indicator AND ($period IS NULL OR o.period = $period)
          AND ($village IS NULL OR o.village = $village)
        ORDER BY o.period, o.upload_id, o.sheet, o.row"""


def sources_sql(keys: str, observations: str) -> str:
    """The uploads behind one indicator ($indicator), live or frozen: `keys` selects the (upload_id, period) in
    force, `observations` the rows in force. Columns: upload_id, file_name, kind, unit, periods, rows (its rows in
    force for the indicator), uploaded_by, uploaded_at, signed_on."""
    return f"""WITH held AS (
            SELECT upload_id, list(period ORDER BY period) AS periods FROM ({keys}) GROUP BY upload_id
        ), counted AS (
            SELECT upload_id, count(*)::INTEGER AS rows FROM ({observations})
            WHERE indicator = $indicator GROUP BY upload_id
        )
        SELECT u.id AS upload_id, u.file_name, u.kind, u.unit, h.periods, coalesce(n.rows, 0) AS rows,
               u.uploaded_by, u.uploaded_at, u.signed_on
        FROM held h JOIN uploads u ON u.id = h.upload_id LEFT JOIN counted n ON n.upload_id = h.upload_id
        ORDER BY u.unit, h.periods[1], u.id"""


class Reads(StoreBase):
    def _frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        with self.connect() as con:
            return con.execute(sql, params or {}).df()

    # ------------------------------------------------------------ figures

    def monthly(self, commune: str | None = None) -> pd.DataFrame:
        """Figures in force summed per indicator × month × village × breakdown.

        Columns: indicator, period ('YYYY-MM'), village (None: not a village row), dim, dim_value,
        value (Σ counts, or Σ numerators), denominator (Σ, NaN when the rows carry none), rows.
        """
        return self._frame(
            f"""SELECT indicator, period, village, dim, dim_value, sum(value) AS value,
                       sum(denominator) AS denominator, count(*)::INTEGER AS rows
                FROM ({_CURRENT}) GROUP BY ALL
                ORDER BY indicator, period, village NULLS FIRST, dim, dim_value""",
            {"commune": self._commune(commune)},
        )

    def commune_monthly(self, commune: str | None = None) -> pd.DataFrame:
        """Figures in force per indicator and month, every village and breakdown summed:
        indicator, period, value, denominator, rows."""
        return self._frame(
            f"""SELECT indicator, period, sum(value) AS value, sum(denominator) AS denominator,
                       count(*)::INTEGER AS rows
                FROM ({_CURRENT}) GROUP BY ALL ORDER BY indicator, period""",
            {"commune": self._commune(commune)},
        )

    def village_monthly(self, commune: str | None = None) -> pd.DataFrame:
        """Figures in force per indicator, month and village (rows without a village left out):
        indicator, period, village, value, denominator, rows."""
        return self._frame(
            f"""SELECT indicator, period, village, sum(value) AS value, sum(denominator) AS denominator,
                       count(*)::INTEGER AS rows
                FROM ({_CURRENT}) WHERE village IS NOT NULL GROUP BY ALL ORDER BY indicator, period, village""",
            {"commune": self._commune(commune)},
        )

    def series(self, indicator: str, village: str | None = None, commune: str | None = None) -> pd.DataFrame:
        """One indicator month by month (for the commune, or one village): period, value, denominator, rows."""
        return self._frame(
            f"""SELECT period, sum(value) AS value, sum(denominator) AS denominator, count(*)::INTEGER AS rows
                FROM ({_CURRENT}) WHERE indicator = $indicator AND ($village IS NULL OR village = $village)
                GROUP BY period ORDER BY period""",
            {"commune": self._commune(commune), "indicator": indicator, "village": village},
        )

    def observations(
        self, indicator: str, period: str | None = None, village: str | None = None, commune: str | None = None
    ) -> pd.DataFrame:
        """The rows in force behind a figure, each with its file, sheet and row: upload_id, file_name, kind,
        unit, uploaded_at, uploaded_by, sheet, row, period, village, dim, dim_value, value, denominator."""
        return self._frame(
            observations_sql(_CURRENT),
            {"commune": self._commune(commune), "indicator": indicator, "period": period, "village": village},
        )

    def sources(self, indicator: str, commune: str | None = None) -> pd.DataFrame:
        """The uploads in force for an indicator: upload_id, file_name, kind, unit, periods (those it holds
        for this indicator), rows (its rows in force for it), uploaded_by, uploaded_at, signed_on."""
        return self._frame(
            sources_sql(
                "SELECT upload_id, period FROM current_reports "
                "WHERE indicator = $indicator AND ($commune IS NULL OR commune = $commune)",
                _CURRENT,
            ),
            {"commune": self._commune(commune), "indicator": indicator},
        )

    # ------------------------------------------------------------ uploads and history

    def uploads(self, commune: str | None = None) -> pd.DataFrame:
        """Every upload, newest first: upload_id, file_name, kind, unit, periods, rows, register_rows, title,
        signed_on, uploaded_by, uploaded_at, sha256, size, warnings (JSON text), keys, keys_in_force,
        status ('current' | 'partial' | 'superseded'), status_vi, replaced_by (uploads now holding its keys)."""
        return self._frame(
            f"""WITH k AS ({_UPLOAD_KEYS}),
                state AS (
                    SELECT k.upload_id, count(*)::INTEGER AS keys,
                           count(*) FILTER (WHERE c.upload_id = k.upload_id)::INTEGER AS keys_in_force,
                           list(DISTINCT c.upload_id ORDER BY c.upload_id)
                               FILTER (WHERE c.upload_id <> k.upload_id) AS replaced_by
                    FROM k LEFT JOIN current_reports c USING (commune, kind, unit, period, indicator)
                    GROUP BY k.upload_id
                )
                SELECT u.id AS upload_id, u.file_name, u.kind, u.unit, u.periods, u.rows, u.register_rows, u.title,
                       u.signed_on, u.uploaded_by, u.uploaded_at, u.sha256, u.size, u.warnings::VARCHAR AS warnings,
                       coalesce(s.keys, 0) AS keys, coalesce(s.keys_in_force, 0) AS keys_in_force,
                       CASE WHEN coalesce(s.keys_in_force, 0) = 0 THEN 'superseded'
                            WHEN s.keys_in_force < s.keys THEN 'partial' ELSE 'current' END AS status,
                       coalesce(s.replaced_by, []) AS replaced_by
                FROM uploads u LEFT JOIN state s ON s.upload_id = u.id
                WHERE ($commune IS NULL OR u.commune = $commune)
                ORDER BY u.id DESC""",
            {"commune": self._commune(commune)},
        ).assign(status_vi=lambda f: f["status"].map(STATUS_VI))

    def upload_file(self, upload_id: int) -> tuple[str, bytes]:
        """The file name as given and the original bytes of an upload; KeyError when there is no such upload."""
        with self.connect() as con:
            row = con.execute(
                "SELECT u.file_name, f.bytes FROM uploads u JOIN files f ON f.sha256 = u.sha256 WHERE u.id = ?",
                [upload_id],
            ).fetchone()
        if row is None:
            raise KeyError(upload_id)
        return row[0], bytes(row[1])

    def reports_received(self, commune: str | None = None) -> pd.DataFrame:
        """The reports in force per unit, kind and month, for the completeness grid:
        unit, kind, period, upload_id, file_name, uploaded_at, signed_on (that month's own signing date)."""
        return self._frame(
            """SELECT DISTINCT c.unit, c.kind, c.period, c.upload_id, u.file_name, u.uploaded_at,
                      coalesce(u.signed_by_period[c.period], u.signed_on) AS signed_on
               FROM current_reports c JOIN uploads u ON u.id = c.upload_id
               WHERE ($commune IS NULL OR c.commune = $commune)
               ORDER BY c.unit, c.kind, c.period, c.upload_id""",
            {"commune": self._commune(commune)},
        )

    def register(self, period: str | None = None, commune: str | None = None) -> pd.DataFrame:
        """Items of the register version in force for `period` (default: each unit's latest register month):
        period, unit, upload_id, file_name, name, owner, village, certificate, stars, decision, issued, expires,
        expiry_derived, area_ha, sheet, row."""
        return self._frame(
            """WITH held AS (
                   SELECT commune, unit, period, upload_id FROM current_reports
                   WHERE indicator = '' AND ($commune IS NULL OR commune = $commune)
                     AND ($period IS NULL OR period = $period)
               ), chosen AS (
                   SELECT * FROM held
                   QUALIFY $period IS NOT NULL OR period = max(period) OVER (PARTITION BY commune, unit)
               )
               SELECT h.period, h.unit, h.upload_id, u.file_name, i.name, i.owner, i.village, i.certificate, i.stars,
                      i.decision, i.issued, i.expires, i.expiry_derived, i.area_ha, i.sheet, i.row
               FROM chosen h JOIN uploads u ON u.id = h.upload_id JOIN register_items i ON i.upload_id = h.upload_id
               ORDER BY h.period, h.unit, i.sheet, i.row""",
            {"commune": self._commune(commune), "period": period},
        )

    def audit(self, limit: int | None = None) -> pd.DataFrame:
        """The audit log, newest first: id, at, who, action, action_vi, upload_id, file_name, detail (JSON text)."""
        frame = self._frame(
            """SELECT a.id, a."at", a.who, a.action, a.upload_id,
                      coalesce(u.file_name, json_extract_string(a.detail, '$.file')) AS file_name,
                      a.detail::VARCHAR AS detail
               FROM audit_log a LEFT JOIN uploads u ON u.id = a.upload_id
               ORDER BY a.id DESC LIMIT $limit""",
            {"limit": limit if limit is not None else 2**62},
        )
        return frame.assign(action_vi=frame["action"].map(ACTION_VI).fillna(frame["action"]))
