"""The city page's tables and sentences (pure): communes by status, one indicator's ranking, the exports' dates."""

from __future__ import annotations

from datetime import date

import pandas as pd

from ground import fmt
from ground.statuses import STATUS_ORDER, STATUSES
from views.summaries import BEHIND, status_text
from views.texts import COL

COMMUNE = "Xã, phường"
TEXT = {
    "exported": "Ngày xuất số liệu",
    "last_month": "Tháng có số liệu mới nhất",
    "export_state": "Tình trạng xuất",
    "exported_now": "✔ Đã xuất tháng này",
    "not_now": "⚠ Chưa xuất tháng {month}",
    "rank": "Hạng",
    "communes_with": "Số xã có số liệu",
    "month_total": "Tổng cả thành phố trong tháng",
    "cumulative": "Cộng dồn",
}
# The status columns of the per-commune table: glyph and word in the header, never colour alone.
STATUS_COLUMNS = {code: f"{STATUSES[code].icon} {STATUSES[code].label}" for code in STATUS_ORDER}


def commune_counts(status: pd.DataFrame) -> pd.DataFrame:
    """One row per commune, how many of its indicators are in each status, the furthest behind first (most
    'Đi xuống', then 'Chậm tiến độ', then 'Cần đẩy nhanh', then fewest 'Đã đạt'); the commune code last."""
    counts = pd.crosstab(status["commune"], status["status"]).reindex(columns=list(STATUS_ORDER), fill_value=0)
    names = status.drop_duplicates("commune").set_index("commune")["commune_name"]
    counts = counts.assign(_name=names.reindex(counts.index))
    order = [*BEHIND, "dung", "dat"]
    counts = counts.sort_values([*order, "_name"], ascending=[False, False, False, False, True, True])
    out = pd.DataFrame({COMMUNE: counts["_name"].to_numpy()})
    for code in STATUS_ORDER:
        out[STATUS_COLUMNS[code]] = counts[code].to_numpy().astype(int)
    out[COL["code"]] = counts.index.to_numpy()
    return out


def ranking(table: pd.DataFrame, unit: str) -> pd.DataFrame:
    """One indicator's communes in rank order: rank, commune, its figure, target, % of target, status text."""
    return pd.DataFrame(
        {
            TEXT["rank"]: table["rank"].astype(int).to_numpy(),
            COMMUNE: table["commune_name"].to_numpy(),
            COL["actual"]: table["actual"].to_numpy(),
            COL["target"]: table["target"].to_numpy(),
            COL["pct"]: table["pct_of_target"].to_numpy(),
            COL["status"]: [status_text(c) for c in table["status"]],
            COL["unit"]: unit,
        }
    )


def exports(communes: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each commune's last export and latest month, the ones that have not exported in `today`'s month first."""
    month = f"{today.year:04d}-{today.month:02d}"
    when = pd.to_datetime(communes["exported_at"])
    fresh = [w.strftime("%Y-%m") == month for w in when]
    out = pd.DataFrame(
        {
            COMMUNE: communes["commune_name"].to_numpy(),
            TEXT["exported"]: [fmt.datetime(w.to_pydatetime()) for w in when],
            TEXT["last_month"]: [fmt.month(p) if isinstance(p, str) else fmt.MISSING for p in communes["last_period"]],
            TEXT["export_state"]: [
                TEXT["exported_now"] if f else TEXT["not_now"].format(month=fmt.month(month)) for f in fresh
            ],
            COL["code"]: communes["commune"].to_numpy(),
            "_fresh": fresh,
        }
    )
    return out.sort_values(["_fresh", COMMUNE], ignore_index=True).drop(columns="_fresh")


def stale(communes: pd.DataFrame, today: date) -> list[str]:
    """The names of the communes whose last export is older than `today`'s month."""
    month = f"{today.year:04d}-{today.month:02d}"
    when = pd.to_datetime(communes["exported_at"])
    return [n for n, w in zip(communes["commune_name"], when, strict=True) if w.strftime("%Y-%m") != month]


def series(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The city's total month by month: month, communes with a figure, the month's total, the running total."""
    return pd.DataFrame(
        {
            COL["month"]: [fmt.month(p) for p in frame["period"]],
            TEXT["communes_with"]: frame["communes"].astype(int).to_numpy(),
            TEXT["month_total"]: frame["value"].to_numpy(),
            TEXT["cumulative"]: frame["cumulative"].to_numpy(),
            COL["unit"]: unit,
        }
    )


def counts_sentence(status: pd.DataFrame, month: str) -> str:
    """'T10/2026: 2 xã, phường; 7 chỉ tiêu ở mức ▼ Đi xuống hoặc ◆ Chậm tiến độ, nhiều nhất ở Xã An Bình (4).'"""
    n = status["commune"].nunique()
    behind = status[status["status"].isin(("di_xuong", "cham"))]
    head = f"{fmt.month(month)}: {fmt.integer(n)} xã, phường báo cáo."
    if behind.empty:
        return head + " Không xã nào có chỉ tiêu đi xuống hay chậm tiến độ."
    worst = behind.groupby("commune_name").size().sort_values(ascending=False, kind="stable")
    return (
        f"{head} {fmt.integer(len(behind))} lượt chỉ tiêu {status_text('di_xuong')} hoặc {status_text('cham')}; "
        f"nhiều nhất ở {worst.index[0]} ({fmt.integer(int(worst.iloc[0]))} chỉ tiêu)."
    )


def ranking_sentence(table: pd.DataFrame, name: str, unit: str) -> str:
    """Who leads and who trails on one indicator."""
    judged = table[table["actual"].notna()]
    if judged.empty:
        return f"Chưa xã nào có số liệu {name.lower()}."
    first, last = judged.iloc[0], judged.iloc[-1]
    if len(judged) > 1 and first["actual"] == last["actual"]:
        return f"{fmt.integer(len(judged))} xã, phường ngang nhau: {fmt.quantity(first['actual'], unit)}."
    text = f"Dẫn đầu: {first['commune_name']} ({fmt.quantity(first['actual'], unit)})"
    if len(judged) > 1:
        text += f"; cuối bảng: {last['commune_name']} ({fmt.quantity(last['actual'], unit)})"
    return text + "."


def series_sentence(frame: pd.DataFrame, name: str, unit: str) -> str:
    """The city's running total at the last month shown and the month's own total."""
    if frame.empty:
        return f"Chưa có số liệu {name.lower()} của xã nào."
    last = frame.iloc[-1]
    return (
        f"Đến {fmt.month(last['period'])}, cả thành phố cộng dồn {fmt.quantity(last['cumulative'], unit)}; "
        f"riêng {fmt.month(last['period'])}: {fmt.quantity(last['value'], unit)} từ "
        f"{fmt.integer(int(last['communes']))} xã, phường."
    )
