"""Page-speed benchmark: each dashboard page's script run (AppTest) on five full years of every indicator for every
village, beside a trivial page in the same run, printed as ratios. Not a test.

usage: .venv/bin/python bench/pages.py [--db PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ground import fmt
from ground.catalogue import Catalogue, load_catalogue
from indicators import add_months, months_between
from loaders.model import Observation, Report
from store import Store

FIRST, LAST = "2026-01", "2030-12"


def _pages() -> dict[str, str]:
    """The dashboard's public pages as dashboard.py lists them (read from its source: importing it runs the app)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "PAGES":
            return {
                f"/{path}" + (" Tổng quan" if not path else ""): script
                for script, _, path, _ in ast.literal_eval(node.value)
            }
    raise RuntimeError("dashboard.py has no PAGES list")


PAGES = _pages()
TRIVIAL = "import streamlit as st\nst.title('Trang trống')\nst.write('Không có gì')\n"
# The breakdowns the real sheets carry, so the pages draw every chart they would.
BREAKDOWNS = {
    "cay_xanh_trong_moi": ("dia_diem", ("khu-cong-cong", "truong-hoc", "nha-van-hoa", "tuyen-duong")),
    "ocop_san_pham": ("hang_sao", ("3", "4")),
    "tthc_truc_tuyen": ("linh_vuc", ("Hộ tịch", "Đất đai", "Chứng thực")),
    "tthc_toan_trinh": ("linh_vuc", ("Hộ tịch", "Đất đai", "Chứng thực")),
    "tthc_dung_han": ("linh_vuc", ("Hộ tịch", "Đất đai", "Chứng thực")),
}


def _figures(kind: str, rnd: random.Random, month: int, village: int) -> tuple[float, float | None]:
    if kind == "flow":
        return float(rnd.randint(0, 40)), None
    if kind == "ratio":
        den = float(rnd.randint(80, 400))
        share = min(0.3 + 0.01 * month + 0.02 * (village % 5) + rnd.uniform(-0.05, 0.05), 1.0)
        return round(den * max(share, 0.0)), den
    return float(1 + month // 12 + village % 3), None


def build_db(path: Path, catalogue: Catalogue, seed: int = 11) -> int:
    """Five years of monthly figures for every indicator and village, one report per responsible unit, each
    month signed a few days after its end (a few late). Returns the number of observations stored."""
    rnd = random.Random(seed)
    store = Store(path, commune=catalogue.commune.code)
    periods = months_between(FIRST, LAST)
    total = 0
    for unit in dict.fromkeys(i.responsible for i in catalogue.indicators):
        obs = []
        for ind in (i for i in catalogue.indicators if i.responsible == unit):
            dim, values = BREAKDOWNS.get(ind.code, ("", ("",)))
            for m, period in enumerate(periods):
                for v, village in enumerate(catalogue.villages):
                    for dim_value in values:
                        num, den = _figures(ind.kind, rnd, m, v)
                        share = 1 / len(values)
                        obs.append(
                            Observation(
                                ind.code,
                                period,
                                num * share if ind.kind != "ratio" else num,
                                den,
                                village.code,
                                (dim, dim_value),
                                "Bench",
                                m + 10,
                            )
                        )
        signed = {}
        for p in periods:
            nxt = add_months(p, 1)
            signed[p] = date(int(nxt[:4]), int(nxt[5:7]), rnd.choice([3, 5, 7, 9, 12, 15]))
        report = Report(
            kind="bang_thang",
            unit=unit,
            periods=periods,
            observations=obs,
            sheets=["Bench"],
            title="BÁO CÁO (dữ liệu thử tốc độ)",
            signed_on=signed[periods[-1]],
            signed_by_period=signed,
        )
        data = json.dumps({"unit": unit, "seed": seed}).encode()
        store.save_report(report, data=data, file_name=f"bench-{unit}.xlsx", user="bench")
        total += len(obs)
    return total


def _time_runs(make, runs: int, cold=None) -> tuple[float, float]:
    """(first run, median of the next `runs`) in seconds; `cold()` empties the caches before the first."""
    from streamlit.testing.v1 import AppTest

    at: AppTest = make()
    if cold:
        cold()
    start = time.perf_counter()
    at.run()
    first = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def measure(db: Path, runs: int) -> dict:
    """Each page's AppTest run on `db`: {"trivial": (first, repeated), "pages": [(page, first, repeated)]}."""
    import streamlit as st
    from streamlit import logger as streamlit_logger
    from streamlit.testing.v1 import AppTest

    streamlit_logger.set_log_level("error")  # "missing ScriptRunContext" is AppTest's normal state
    before = os.environ.get("XANH_DB")
    os.environ["XANH_DB"] = str(db)
    entry = str(ROOT / "dashboard.py")

    def page(script: str):
        def make() -> AppTest:
            at = AppTest.from_file(entry, default_timeout=120)
            at.run()
            return at.switch_page(script)

        return make

    def cold() -> None:
        st.cache_data.clear()
        st.cache_resource.clear()

    try:
        trivial = _time_runs(lambda: AppTest.from_string(TRIVIAL, default_timeout=60), runs)
        rows = [(name, *_time_runs(page(script), runs, cold)) for name, script in PAGES.items()]
    finally:
        if before is None:
            os.environ.pop("XANH_DB", None)
        else:
            os.environ["XANH_DB"] = before
    return {"trivial": trivial, "pages": rows}


def report(result: dict) -> None:
    trivial_first, trivial = result["trivial"]
    print(f"\nTrang trống: lần đầu {trivial_first * 1000:.0f} ms, lặp lại {trivial * 1000:.0f} ms (trung vị)")
    head = ("Trang", "lần đầu (ms)", "× trống", "lặp lại (ms)", "× trống")
    print(f"{head[0]:<14}{head[1]:>14}{head[2]:>10}{head[3]:>14}{head[4]:>10}")
    for name, first, warm in result["pages"]:
        print(
            f"{name:<14}{first * 1000:>14.0f}{fmt.number(first / trivial_first, 1):>10}"
            f"{warm * 1000:>14.0f}{fmt.number(warm / trivial, 1):>10}"
        )
    print("\nLần đầu: bộ nhớ đệm trống (đọc cơ sở dữ liệu, tính trạng thái, dựng biểu đồ), so với lần đầu của trang")
    print("trống; lặp lại: như khi đổi bộ lọc rồi quay lại hoặc người khác mở cùng trang, so với trang trống chạy lại.")
    print("Mục tiêu trong trình duyệt: mỗi trang dùng được trong 2 s (bench/memory.py đo trong Chromium).")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing database to measure (default: build the five-year one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.duckdb"
        if not args.db:
            start = time.perf_counter()
            n = build_db(db, catalogue)
            took = fmt.number(time.perf_counter() - start, 1)
            print(f"Cơ sở dữ liệu thử: {fmt.integer(n)} dòng số liệu, T1/2026-T12/2030, dựng trong {took} s")
        result = measure(db, args.runs)
    report(result)
    return result


if __name__ == "__main__":
    main()
