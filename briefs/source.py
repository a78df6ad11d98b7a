"""Where a brief's figures come from: the figures in force now, or a frozen snapshot, in the same shapes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from ground.catalogue import Catalogue
from store import SnapshotInfo, Store


@dataclass(frozen=True)
class Figures:
    """Everything a brief or a chart is computed from. Live and frozen figures have the same columns, so
    nothing downstream knows which it got except through `snapshot`."""

    catalogue: Catalogue  # with the targets in force (live: the admins' overrides; a snapshot: as frozen)
    monthly: pd.DataFrame  # Store.monthly() columns
    reports: pd.DataFrame  # Store.indicator_reports() columns (who reported what)
    cutoff: datetime | None  # live: the latest upload in force; a snapshot: the end of its day (None: no data)
    made_on: date  # the brief's date: today, or the day a snapshot was frozen (so its brief never changes)
    snapshot: SnapshotInfo | None = None

    @property
    def months(self) -> list[str]:
        """Months with a figure, oldest first."""
        return sorted(set(self.monthly["period"].astype(str))) if len(self.monthly) else []

    @property
    def cutoff_date(self) -> date | None:
        if self.snapshot is not None:
            return self.snapshot.as_of
        return None if self.cutoff is None else self.cutoff.date()


def load_figures(store: Store, catalogue: Catalogue, snapshot_id: int | None = None) -> Figures:
    """The figures in force now (targets with the admins' overrides), or those of snapshot `snapshot_id`
    (KeyError when the store's commune has no such snapshot)."""
    known = {i.code for i in catalogue.indicators}
    if snapshot_id is None:
        monthly = store.monthly()
        reports = store.indicator_reports()
        latest = reports["uploaded_at"].max() if len(reports) else None
        cutoff = None if latest is None or pd.isna(latest) else pd.Timestamp(latest).to_pydatetime()
        figures = Figures(store.effective_catalogue(catalogue), monthly, reports, cutoff, store.clock().date())
    else:
        info = store.snapshot(snapshot_id)
        figures = Figures(
            catalogue=store.snapshot_catalogue(snapshot_id, catalogue),
            monthly=store.snapshot_monthly(snapshot_id),
            reports=store.snapshot_indicator_reports(snapshot_id),
            cutoff=info.cutoff,
            made_on=info.created_at.date(),
            snapshot=info,
        )
    # An indicator since removed from the catalogue has no name, unit or target to report against.
    monthly = figures.monthly[figures.monthly["indicator"].isin(known)].reset_index(drop=True)
    return Figures(figures.catalogue, monthly, figures.reports, figures.cutoff, figures.made_on, figures.snapshot)
