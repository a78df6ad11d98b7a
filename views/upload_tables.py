"""What the upload and history pages show, as plain frames and sentences: rows read, old → new, problems, summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from ground import fmt
from ground.catalogue import Catalogue
from indicators import month_value
from intake.importer import ImportOutcome
from loaders.model import KIND_NAMES, Problem
from store import Change
from views import texts

ROWS_COLUMNS = ["Tháng", "Thôn / lĩnh vực / đơn vị", "Chi tiết", "Chỉ tiêu", "Số liệu", "Trên tổng số", "Trong tệp"]
CHANGE_COLUMNS = ["Chỉ tiêu", "Tháng", "Thôn / lĩnh vực / đơn vị", "Số cũ", "Số mới"]

SUMMARY_KEYS = ("imported", "replaced", "unchanged", "rejected")
SUMMARY_VI = {"imported": "Đã nhập", "replaced": "Thay thế bản cũ", "unchanged": "Không đổi", "rejected": "Bị từ chối"}


def breakdown_text(dim: str, value: str) -> str:
    if not dim:
        return ""
    if dim in texts.DIMENSION_VALUES:
        return texts.DIMENSION_VALUES[dim].get(value, value)
    if dim == "hang_sao":
        return f"{value} sao"
    return value


def place_text(catalogue: Catalogue, village: str | None, dim: str, value: str) -> tuple[str, str]:
    """(where, detail): the village, else the field or unit the row is about, else the whole commune."""
    names = {v.code: v.name for v in catalogue.villages}
    if village:
        return names.get(village, village), breakdown_text(dim, value)
    if dim in ("linh_vuc", "don_vi"):
        return value, ""
    return texts.WHOLE_COMMUNE, breakdown_text(dim, value)


def _indicator_name(catalogue: Catalogue, code: str) -> str:
    try:
        return catalogue.indicator(code).short
    except KeyError:
        return code


def _observations(outcome: ImportOutcome) -> pd.DataFrame:
    obs = outcome.report.observations if outcome.report is not None else []
    frame = pd.DataFrame(
        {
            "period": [o.period for o in obs],
            "village": [o.village or "" for o in obs],
            "dim": [o.breakdown[0] or "" for o in obs],
            "dim_value": [o.breakdown[1] or "" for o in obs],
            "indicator": [o.indicator for o in obs],
            "value": [float(o.value) for o in obs],
            "denominator": pd.to_numeric(pd.Series([o.denominator for o in obs], dtype="object")),
            "sheet": [o.sheet for o in obs],
            "row": [o.row for o in obs],
        }
    )
    return frame


def _where_in_file(sheet: str, row: int, rows: int) -> str:
    if rows > 1:
        return f"{fmt.integer(rows)} dòng"
    return f"trang '{sheet}', dòng {row}" if row else f"trang '{sheet}'"


def rows_frame(outcome: ImportOutcome, catalogue: Catalogue) -> pd.DataFrame:
    """The figures read, one line per month × place × breakdown × indicator (a planting log's events summed),
    each with where it is in the file, so a staff member can find the row in Excel."""
    raw = _observations(outcome)
    if raw.empty:
        return pd.DataFrame(columns=ROWS_COLUMNS)
    keys = ["period", "village", "dim", "dim_value", "indicator"]
    grouped = raw.groupby(keys, sort=False).agg(
        value=("value", "sum"),
        denominator=("denominator", lambda d: d.sum(min_count=1)),
        rows=("value", "size"),
        sheet=("sheet", "first"),
        row=("row", "first"),
    )
    grouped = grouped.reset_index()
    places = grouped[["village", "dim", "dim_value"]].itertuples(index=False)
    where = [place_text(catalogue, v or None, d, dv) for v, d, dv in places]
    spots = grouped[["sheet", "row", "rows"]].itertuples(index=False)
    return pd.DataFrame(
        {
            "Tháng": grouped["period"].map(fmt.month),
            "Thôn / lĩnh vực / đơn vị": [w[0] for w in where],
            "Chi tiết": [w[1] for w in where],
            "Chỉ tiêu": grouped["indicator"].map(lambda c: _indicator_name(catalogue, c)),
            "Số liệu": grouped["value"],
            "Trên tổng số": grouped["denominator"],
            "Trong tệp": [_where_in_file(sh, r, n) for sh, r, n in spots],
        },
        columns=ROWS_COLUMNS,
    ).dropna(axis="columns", how="all")  # no "Trên tổng số" column for a file without shares


def totals(outcome: ImportOutcome, catalogue: Catalogue) -> list[str]:
    """One sentence per indicator and month: the file's figure for the commune, as the dashboard will count it."""
    raw = _observations(outcome)
    if raw.empty:
        return []
    out = []
    sums = raw.groupby(["indicator", "period"], sort=True).agg(
        value=("value", "sum"), denominator=("denominator", lambda d: d.sum(min_count=1))
    )
    for (code, period), r in sums.iterrows():
        try:
            ind = catalogue.indicator(code)
        except KeyError:
            continue
        den = None if pd.isna(r["denominator"]) else float(r["denominator"])
        value = month_value(ind.kind, float(r["value"]), den)
        out.append(f"{ind.short}, {fmt.month(period)}: {figure_text(catalogue, code, value)}")
    return out


def figure_text(catalogue: Catalogue, indicator: str, x: float | None) -> str:
    """A figure of a change as people read it: a share in %, else the number with the indicator's unit."""
    if x is None or x != x:
        return fmt.MISSING
    try:
        ind = catalogue.indicator(indicator)
    except KeyError:
        return fmt.number(x)
    return fmt.percent(x) if ind.kind == "ratio" else fmt.quantity(x, ind.unit)


def changes_frame(changes: Iterable[Change], catalogue: Catalogue) -> pd.DataFrame:
    """Old → new for every figure the file changes (a share compared as its percentage)."""
    out = []
    for c in changes:
        where, detail = place_text(catalogue, c.village, c.dim, c.dim_value)
        out.append(
            [
                _indicator_name(catalogue, c.indicator),
                fmt.month(c.period),
                f"{where} – {detail}" if detail else where,
                "chưa có" if c.old_value is None else figure_text(catalogue, c.indicator, c.old_value),
                "bỏ đi" if c.new_value is None else figure_text(catalogue, c.indicator, c.new_value),
            ]
        )
    return pd.DataFrame(out, columns=CHANGE_COLUMNS)


def problem_line(p: Problem) -> str:
    place = p.place()
    return f"{place[:1].upper() + place[1:]}: {p.message}" if place else p.message


def outcome_key(o: ImportOutcome) -> str:
    """imported | replaced | unchanged | rejected, as the summary counts them."""
    if o.status == "imported" and o.replaced:
        return "replaced"
    return o.status


def summary(keys: Iterable[str]) -> dict[str, int]:
    """How many files ended in each way (keys from outcome_key), every way present."""
    counts = Counter(keys)
    return {k: counts.get(k, 0) for k in SUMMARY_KEYS}


def main_indicator(o: ImportOutcome) -> str | None:
    """The indicator with the most rows in the file: where the link to the figures goes."""
    if o.report is None or not o.report.observations:
        return None
    counts = Counter(obs.indicator for obs in o.report.observations)
    return max(sorted(counts), key=lambda c: counts[c])


def months_text(periods: Iterable[str]) -> str:
    periods = list(periods)
    return ", ".join(fmt.month(p) for p in periods) if periods else fmt.MISSING


def kind_text(kind: str | None) -> str:
    return KIND_NAMES.get(kind or "", "Chưa nhận ra loại báo cáo")
