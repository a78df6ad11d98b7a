"""City-scale benchmark: synthetic databases of 114 communes (Hải Phòng) and 3.321 (the whole country), five years of
every indicator for 20 villages each; the all-commune status table and one indicator's commune ranking via the store
(DuckDB SQL over the pre-aggregated monthly sums) beside the same computed with pandas from the same rows. Not a test.

usage: .venv/bin/python bench/city.py [--communes 114 3321] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ground import fmt
from ground.catalogue import Catalogue, load_catalogue
from indicators import ON_TRACK, SPEED_UP, STATUSES, add_months, month_index
from store import Store
from store.city import catalogue_frame
from store.synthetic import Synthetic

MONTH = "2030-12"  # the latest month: every month up to it is read
INDICATOR = "cay_xanh_trong_moi"
GOALS = {114: 0.1, 3321: 2.0}  # seconds, from issue 7


class CityStore(Store, Synthetic):
    """The store with the synthetic-city generator."""


def best_of(repeat: int, *fns) -> list[tuple[float, object]]:
    """For each function: (fastest of `repeat` runs in seconds, its last result). The functions take turns, so a
    burst of load on a shared machine slows both sides of a ratio alike."""
    times: list[list[float]] = [[] for _ in fns]
    out: list[object] = [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            out[i] = fn()
            times[i].append(time.perf_counter() - start)
    return [(min(t), o) for t, o in zip(times, out, strict=True)]


def pandas_status(
    rows: pd.DataFrame, overrides: pd.DataFrame, catalogue: Catalogue, month: str, indicator: str | None = None
) -> pd.DataFrame:
    """The status table as a pandas user would compute it from the monthly sums: the same method as
    indicators.assess, vectorised over commune × indicator."""
    m, start = month_index(month), month_index(catalogue.commune.plan_start)
    base = month_index(add_months(catalogue.commune.plan_start, -1))
    phase = catalogue.phase_of(month).code
    cat = catalogue_frame(catalogue, phase)
    if indicator is not None:
        cat = cat[cat["indicator"] == indicator]
        rows = rows[rows["indicator"] == indicator]
    keys = ["commune", "indicator"]
    r = rows[rows["month"] <= m]
    is_ratio = r["indicator"].map(dict(zip(cat["indicator"], cat["kind"] == "ratio", strict=True))).to_numpy(bool)
    den = r["denominator"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(is_ratio, np.where(den > 0, r["value"].to_numpy(float) / den * 100, np.nan), r["value"])
    r = r.assign(v=v)
    at_m = r[r["month"] == m].set_index(keys)
    prev = r[r["month"] == m - 1].set_index(keys)["v"]
    flow_total = r[r["month"] >= start].groupby(keys)["v"].sum()
    valid = r[r["v"].notna()]
    first = valid.loc[valid.groupby(keys)["month"].idxmin()].set_index(keys)
    communes = np.sort(rows["commune"].unique())
    t = pd.DataFrame(
        {
            "commune": np.repeat(communes, len(cat)),
            "indicator": np.tile(cat["indicator"].to_numpy(), len(communes)),
        }
    ).merge(cat, on="indicator", how="left")
    idx = pd.MultiIndex.from_frame(t[keys])
    t["numerator"] = at_m["value"].reindex(idx).to_numpy()
    t["denominator"] = at_m["denominator"].reindex(idx).to_numpy()
    t["month_value"] = at_m["v"].reindex(idx).to_numpy()
    t["previous_value"] = prev.reindex(idx).to_numpy()
    flow = (t["kind"] == "flow").to_numpy()
    recent = (t["month_value"].notna() | t["previous_value"].notna()).to_numpy()
    t["actual"] = np.where(flow, flow_total.reindex(idx).fillna(0.0), t["month_value"].fillna(t["previous_value"]))
    has_base = t["baseline"].notna().to_numpy()
    t["baseline"] = np.where(flow, 0.0, np.where(has_base, t["baseline"], first["v"].reindex(idx)))
    base_m = np.where(flow | has_base, base, first["month"].reindex(idx))
    o = overrides[overrides["phase"] == phase].set_index(keys)
    o_value = o["value"].reindex(idx).to_numpy()
    use = (t["direction"] != "none").to_numpy() & ~np.isnan(o_value)
    t["target"] = np.where(use, o_value, t["target"])
    t["target_source"] = np.where(use, o["source"].reindex(idx).to_numpy(), t["target_source"])
    target, baseline, actual = (t[c].to_numpy(float) for c in ("target", "baseline", "actual"))
    direction, kind = t["direction"].to_numpy(), t["kind"].to_numpy()
    method = np.select(
        [
            (direction == "none") | np.isnan(target),
            direction == "up",
            (kind == "flow") | (~np.isnan(baseline) & (target >= baseline)),
        ],
        ["none", "up", "down_cap"],
        "down_level",
    )
    end = t["end_month"].to_numpy()
    span = end - base_m
    elapsed = np.minimum(np.maximum(m - base_m, 0), span)
    with np.errstate(divide="ignore", invalid="ignore"):
        line = np.where(span <= 0, target, baseline + (target - baseline) * elapsed / span)
        expected = np.where((method == "none") | np.isnan(baseline), np.nan, line)
        judged = (method != "none") & recent & ~np.isnan(actual)
        room, gap = target - expected, expected - baseline
        wanted = np.where(method == "up", gap, -gap)
        r = np.where(method == "down_cap", np.where(room > 0, (target - actual) / room, np.nan),
                     np.where(wanted > 0, (actual - baseline) / gap, np.nan))  # fmt: skip
        r = np.where(judged, r, np.nan)
        met = judged & np.select(
            [method == "up", method == "down_level"],
            [actual >= target, actual <= target],
            (m >= end) & (actual <= target),
        )
        rounded = np.round(r, 9)
        by_ratio = np.select(
            [rounded < 0, rounded < SPEED_UP, rounded < ON_TRACK], ["di_xuong", "cham", "day_nhanh"], "dung"
        )
        by_direction = np.select(
            [method == "down_cap", method == "up"], [actual <= target, actual >= baseline], actual <= baseline
        )
        status = np.select(
            [method == "none", ~judged, met, ~np.isnan(r)],
            [np.where(recent, "theo_doi", "chua_co"), "chua_co", "dat", by_ratio],
            np.where(by_direction, "dung", "di_xuong"),
        )
        t["pct_of_target"] = np.where(target != 0, actual / target * 100, np.nan)
    t["method"], t["expected"], t["r"], t["status"] = method, expected, r, status
    t["status_label"] = t["status"].map({c: s.label for c, s in STATUSES.items()})
    return t


def pandas_ranking(rows, overrides, catalogue: Catalogue, indicator: str, month: str) -> pd.DataFrame:
    t = pandas_status(rows, overrides, catalogue, month, indicator)
    down = catalogue.indicator(indicator).direction == "down"
    key = t["actual"] if down else -t["actual"]
    t.insert(0, "rank", key.rank(method="min", na_option="bottom").astype(int))
    return t.sort_values(["rank", "commune"], ignore_index=True)


def _agree(sql: pd.DataFrame, pandas: pd.DataFrame, what: str) -> None:
    """The two computations must give the same table, or the timing compares different work."""
    a = sql.sort_values(["commune", "indicator"], ignore_index=True)
    b = pandas.sort_values(["commune", "indicator"], ignore_index=True)
    if not (a["status"].tolist() == b["status"].tolist() and np.allclose(a["actual"], b["actual"], equal_nan=True)):
        raise AssertionError(f"{what}: SQL and pandas disagree")
    if not np.allclose(a["r"].astype(float), b["r"].astype(float), equal_nan=True, rtol=1e-9):
        raise AssertionError(f"{what}: SQL and pandas ratios disagree")


def measure(communes: int, catalogue: Catalogue, folder: Path, repeat: int) -> dict:
    """Build one synthetic city, time the store's queries and the pandas ones, check they agree."""
    store = CityStore(folder / f"city-{communes}.duckdb")
    start = time.perf_counter()
    observations = store.fill_synthetic(catalogue, communes)
    built = time.perf_counter() - start
    start = time.perf_counter()
    rollup_rows = store.refresh_rollup()
    refresh = time.perf_counter() - start
    start = time.perf_counter()
    rows, overrides = store.rollup(), store.commune_targets()
    t_read = time.perf_counter() - start
    (t_status, status), (p_status, p_table) = best_of(
        repeat, lambda: store.city_status(catalogue, MONTH), lambda: pandas_status(rows, overrides, catalogue, MONTH)
    )
    (t_rank, ranking), (p_rank, p_ranking) = best_of(
        repeat,
        lambda: store.commune_ranking(catalogue, INDICATOR, MONTH),
        lambda: pandas_ranking(rows, overrides, catalogue, INDICATOR, MONTH),
    )
    _agree(status, p_table, "status table")
    _agree(ranking, p_ranking, "ranking")
    if ranking["commune"].tolist() != p_ranking["commune"].tolist():
        raise AssertionError("ranking: SQL and pandas order the communes differently")
    size = store.path.stat().st_size
    return {
        "communes": communes,
        "observations": observations,
        "rollup_rows": rollup_rows,
        "db_mb": size / 2**20,
        "build": built,
        "refresh": refresh,
        "status": t_status,
        "ranking": t_rank,
        "read": t_read,
        "pandas_status": p_status,
        "pandas_ranking": p_rank,
        "goal": GOALS.get(communes),
        "statuses": status["status"].value_counts().to_dict(),
    }


def run(sizes: list[int], repeat: int) -> list[dict]:
    catalogue = load_catalogue()
    out = []
    folder = Path(tempfile.mkdtemp(prefix="bench-city-"))
    try:
        for n in sizes:
            out.append(measure(n, catalogue, folder, repeat if n <= 1000 else min(repeat, 3)))
            for f in folder.glob("*"):
                f.unlink()  # one database on disk at a time (the whole country takes ~1,5 GB)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return out


def report(results: list[dict]) -> None:
    for r in results:
        print(
            f"\n{fmt.integer(r['communes'])} xã: {fmt.integer(r['observations'])} dòng số liệu "
            f"({fmt.number(r['db_mb'], 0)} MB), dựng trong {fmt.number(r['build'], 1)} s; tổng hợp sẵn "
            f"{fmt.integer(r['rollup_rows'])} dòng xã × chỉ tiêu × tháng trong {fmt.number(r['refresh'], 1)} s"
        )
        print(
            f"  {'phép tính':<44}{'DuckDB (s)':>11}{'pandas (s)':>12}{'× pandas':>10}{'+ đọc (s)':>11}{'× (+ đọc)':>11}"
        )
        for name, ours, theirs in (
            (f"bảng trạng thái mọi xã, {fmt.month(MONTH)}", r["status"], r["pandas_status"]),
            (f"xếp hạng xã theo '{INDICATOR}'", r["ranking"], r["pandas_ranking"]),
        ):
            with_read = theirs + r["read"]
            print(
                f"  {name:<44}{fmt.number(ours, 3):>11}{fmt.number(theirs, 3):>12}"
                f"{fmt.number(ours / theirs, 2):>10}{fmt.number(with_read, 2):>11}{fmt.number(ours / with_read, 3):>11}"
            )
        if r["goal"]:
            verdict = "đạt" if r["status"] < r["goal"] else "chưa đạt"
            print(f"  mục tiêu: bảng trạng thái < {fmt.number(r['goal'], 1)} s — {verdict}")


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, nargs="+", default=[114, 3321])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    results = run(args.communes, args.repeat)
    report(results)
    return results


if __name__ == "__main__":
    main()
