"""Who reported what and when, and the plan's "6 rõ" per unit: pure frames for the units page (no Streamlit, no SQL).

A unit owes, every month from the plan's start, the figures of the indicators it is responsible for (the
catalogue's `responsible`). A month's report is due by REPORT_DUE_DAY of the following month; it counts as
submitted on its signing date when the sheet carries one, else on the day it was uploaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ground import fmt
from ground.catalogue import Catalogue
from indicators import STATUSES, add_months, months_between
from views.summaries import BEHIND, status_text
from views.texts import COL

REPORT_DUE_DAY = 10  # the one place the due day lives: the 10th of the month after the reporting month


@dataclass(frozen=True)
class Completeness:
    code: str
    label: str
    icon: str
    colour: str
    ink: str
    rank: int  # sorts "has not reported" first


COMPLETENESS = {
    c.code: c
    for c in (
        Completeness("thieu", "Chưa nộp", "✖", "#B2182B", "#FFFFFF", 0),
        Completeness("chua_den_han", "Chưa nộp (chưa đến hạn)", "…", "#767676", "#000000", 1),
        Completeness("mot_phan", "Nộp thiếu", "◐", "#A67C00", "#000000", 2),
        Completeness("muon", "Nộp muộn", "⏱", "#D55E00", "#000000", 3),
        Completeness("dung_han", "Đúng hạn", "✔", "#009E73", "#000000", 4),
    )
}


def due_date(period: str) -> date:
    """The day a month's report is due: REPORT_DUE_DAY of the next month (T10/2026 → 10/11/2026)."""
    nxt = add_months(period, 1)
    return date(int(nxt[:4]), int(nxt[5:7]), REPORT_DUE_DAY)


def owed(catalogue: Catalogue) -> dict[str, list[str]]:
    """Unit code → the indicators it is responsible for (units responsible for none are left out)."""
    out: dict[str, list[str]] = {}
    for ind in catalogue.indicators:
        out.setdefault(ind.responsible, []).append(ind.code)
    return out


def _submitted(reports: pd.DataFrame) -> pd.Series:
    signed = pd.to_datetime(reports["signed_on"])
    uploaded = pd.to_datetime(reports["uploaded_at"]).dt.normalize()
    return signed.where(signed.notna(), uploaded).dt.date


def completeness(reports: pd.DataFrame, catalogue: Catalogue, month: str, today: date) -> pd.DataFrame:
    """One row per unit and month from the plan's start to `month`: unit, unit_name, period, owed, received,
    submitted (the day the unit's last figure of that month came in), due, days_late, status (a
    COMPLETENESS code). `reports` is Store.indicator_reports()."""
    periods = months_between(catalogue.commune.plan_start, month)
    units = {u.code: u.name for u in catalogue.units}
    got: dict[tuple[str, str], date] = {}
    if not reports.empty:
        frame = reports.assign(submitted=_submitted(reports))
        for r in frame.itertuples(index=False):
            key = (r.indicator, r.period)
            got[key] = max(got.get(key, r.submitted), r.submitted)
    rows = []
    for unit, indicators in owed(catalogue).items():
        for p in periods:
            dates = [got[(i, p)] for i in indicators if (i, p) in got]
            due = due_date(p)
            submitted = max(dates) if dates else None
            if not dates:
                status = "chua_den_han" if today <= due else "thieu"
            elif len(dates) < len(indicators):
                status = "mot_phan"
            else:
                status = "dung_han" if submitted <= due else "muon"
            late = (submitted - due).days if submitted and submitted > due else 0
            rows.append(
                {
                    "unit": unit,
                    "unit_name": units.get(unit, unit),
                    "period": p,
                    "owed": len(indicators),
                    "received": len(dates),
                    "submitted": submitted,
                    "due": due,
                    "days_late": late,
                    "status": status,
                }
            )
    return pd.DataFrame(rows)


def cell_text(row: dict) -> str:
    c = COMPLETENESS[row["status"]]
    if row["status"] == "muon":
        return f"{c.icon} Muộn {row['days_late']} ngày"
    if row["status"] == "mot_phan":
        return f"{c.icon} Thiếu {row['owed'] - row['received']}/{row['owed']} chỉ tiêu"
    return f"{c.icon} {c.label}"


def cell_colours(text: object) -> tuple[str, str] | None:
    """(background, ink) of a grid cell from its text."""
    for c in COMPLETENESS.values():
        if isinstance(text, str) and text.startswith(c.icon + " "):
            return c.colour, c.ink
    return None


def grid(long: pd.DataFrame, month: str) -> pd.DataFrame:
    """Units (rows) × months (columns, newest first, "T10/2026"), each cell "✔ Đúng hạn", "⏱ Muộn 4 ngày",
    "✖ Chưa nộp"…; units that have not reported `month` first, then by name."""
    if long.empty:
        return pd.DataFrame(columns=["Đơn vị"])
    long = long.assign(text=[cell_text(r) for r in long.to_dict("records")])
    wide = long.pivot(index="unit_name", columns="period", values="text")
    wide = wide[sorted(wide.columns, reverse=True)]
    now = long[long["period"] == month].set_index("unit_name")
    order = sorted(wide.index, key=lambda u: (COMPLETENESS[now.loc[u, "status"]].rank, u))
    wide = wide.loc[order]
    wide.columns = [fmt.month(p) for p in wide.columns]
    wide.index.name = "Đơn vị"
    return wide.reset_index()


def not_reported(long: pd.DataFrame, month: str) -> list[str]:
    """Names of the units with nothing (or not everything) in for `month`, as the grid orders them."""
    now = long[(long["period"] == month) & long["status"].isin(["thieu", "chua_den_han", "mot_phan"])]
    return [r["unit_name"] for r in now.sort_values("status", key=lambda s: s.map(_RANK)).to_dict("records")]


_RANK = {c.code: c.rank for c in COMPLETENESS.values()}


# ---------------------------------------------------------------- 6 rõ


def six_clear(commune: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The plan's "6 rõ" per unit: one row per unit and indicator it leads or supports: rõ người (the unit),
    rõ việc (the indicator), rõ thời gian (each phase's deadline), rõ sản phẩm (the target figure), rõ trách
    nhiệm and thẩm quyền (leads or supports, the plan clause), with the status now; raw numbers."""
    by_code = {r["indicator"]: r for r in commune.to_dict("records")}
    phases = catalogue.phases
    rows = []
    for unit in catalogue.units:
        for ind in catalogue.indicators:
            if ind.responsible == unit.code:
                role = "Chủ trì"
            elif unit.code in ind.cooperating:
                role = "Phối hợp"
            else:
                continue
            r = by_code.get(ind.code, {})
            row = {
                "Đơn vị (rõ người)": unit.name,
                "Vai trò (rõ trách nhiệm)": role,
                "Chỉ tiêu (rõ việc)": ind.short,
            }
            for ph in phases:
                t = ind.target(ph.code)
                end = date(int(ph.end[:4]), int(ph.end[5:7]), 1)
                last_day = (pd.Timestamp(end) + pd.offsets.MonthEnd(0)).date()
                row[f"Sản phẩm {ph.name.replace('Giai đoạn ', '')} (rõ sản phẩm)"] = (
                    None if t is None or ind.direction == "none" else t.value
                )
                row[f"Thời hạn {ph.name.replace('Giai đoạn ', '')} (rõ thời gian)"] = last_day
            row[COL["status"]] = status_text(r.get("status"))
            row[COL["actual"]] = _float(r.get("actual"))
            row["Căn cứ (rõ thẩm quyền)"] = _authority(ind.plan_clause, unit.clause, role)
            row[COL["unit"]] = ind.unit
            row[COL["code"]] = ind.code
            rows.append(row)
    return pd.DataFrame(rows)


def _authority(plan_clause: str, unit_clause: str, role: str) -> str:
    parts = [f"Kế hoạch mục {plan_clause}"]
    if unit_clause:
        parts.append(f"nhiệm vụ của đơn vị mục {unit_clause}")
    return "; ".join(parts)


def _float(x: object) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if v != v else v


def unit_summary(commune: pd.DataFrame, long: pd.DataFrame, catalogue: Catalogue, month: str) -> pd.DataFrame:
    """Per unit that leads indicators: how many, how many per status, and this month's report; units with
    the most indicators behind first."""
    names = {u.code: u.name for u in catalogue.units}
    now = long[long["period"] == month].set_index("unit") if not long.empty else pd.DataFrame()
    rows = []
    for unit, codes in owed(catalogue).items():
        mine = commune[commune["indicator"].isin(codes)]
        counts = mine["status"].value_counts()
        row = {
            "Đơn vị": names.get(unit, unit),
            f"Báo cáo {fmt.month(month)}": cell_text(now.loc[unit].to_dict()) if unit in now.index else fmt.MISSING,
            "Số chỉ tiêu chủ trì": len(codes),
        }
        for c in ("di_xuong", "cham", "day_nhanh", "dung", "dat", "chua_co", "theo_doi"):
            row[STATUSES[c].label] = int(counts.get(c, 0))
        row["_behind"] = int(sum(counts.get(c, 0) for c in BEHIND))
        rows.append(row)
    frame = pd.DataFrame(rows).sort_values(["_behind", "Đơn vị"], ascending=[False, True])
    return frame.drop(columns="_behind").reset_index(drop=True)
