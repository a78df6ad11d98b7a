"""Reads the dashboard needs beyond store/reads.py: the report in force behind each indicator's month."""

from __future__ import annotations

import pandas as pd

from store.base import StoreBase


class DashboardReads(StoreBase):
    def indicator_reports(self, commune: str | None = None) -> pd.DataFrame:
        """The report in force for each indicator and month, for the reporting-completeness grid:
        indicator, period, unit, kind, upload_id, file_name, uploaded_at, signed_on (that month's own
        signing date when the workbook has one per month, else the report's; NaT when unsigned).
        A register upload's whole-register key (indicator '') is left out: its indicators have their own rows."""
        with self.connect() as con:
            return con.execute(
                """SELECT c.indicator, c.period, c.unit, c.kind, c.upload_id, u.file_name, u.uploaded_at,
                          coalesce(u.signed_by_period[c.period], u.signed_on) AS signed_on
                   FROM current_reports c JOIN uploads u ON u.id = c.upload_id
                   WHERE c.indicator <> '' AND ($commune IS NULL OR c.commune = $commune)
                   ORDER BY c.indicator, c.period""",
                {"commune": self._commune(commune)},
            ).df()
