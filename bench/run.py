"""`make bench`: every benchmark of bench/ in one run, then one table of ratios measured side by side.

A ratio compares two things measured in the same run on the same machine (our import and a bare read, a page
and an empty page, DuckDB and pandas on the same rows, the server before and after), so it survives a noisy
machine where a bare wall-clock figure does not. Not a test: nothing here fails on time.

usage: .venv/bin/python bench/run.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import city, city_engines, first_screen, ingest, memory, pages
from ground import fmt
from ground.catalogue import load_catalogue


def machine() -> str:
    """CPU model, cores and Python, for the README's table."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} lõi, Python {platform.python_version()}"


def _row(rows: list, what: str, ratio: float, goal: float | None, detail: str) -> None:
    verdict = "" if goal is None else ("đạt" if ratio <= goal else f"chưa đạt (gấp {fmt.number(ratio / goal, 1)} lần)")
    rows.append((what, fmt.number(ratio, 2), "" if goal is None else f"≤ {fmt.number(goal, 2)}", verdict, detail))


def table(results: dict) -> list[tuple[str, str, str, str, str]]:
    """(measurement, ratio, goal, verdict, what the ratio is made of) for every benchmark that ran."""
    rows: list = []
    if ing := results.get("ingest"):
        ours, opx, cal = ing["ours"], ing["openpyxl"], ing["calamine"]
        what = f"Nhập nhật ký {fmt.integer(ing['rows'])} dòng: của ta"
        _row(rows, f"{what} ÷ openpyxl", ours / opx, 0.5, f"{fmt.number(ours, 2)} s / {fmt.number(opx, 2)} s")
        _row(rows, f"{what} ÷ calamine", ours / cal, 1.5, f"{fmt.number(ours, 2)} s / {fmt.number(cal, 2)} s")
        if small := ing.get("small"):
            here, there = small["direct"], small["isolated"]
            _row(rows, "Báo cáo tháng nhỏ: đọc trong tiến trình riêng (sandbox) ÷ đọc trực tiếp", there / here, None,
                 f"{fmt.number(there * 1000, 1)} ms / {fmt.number(here * 1000, 1)} ms")  # fmt: skip
    if pg := results.get("pages"):
        trivial_first, trivial = pg["trivial"]
        name, first, _ = max(pg["pages"], key=lambda p: p[1])
        _row(rows, f"Trang chậm nhất lần đầu (AppTest, 5 năm), {name}: ÷ trang trống", first / trivial_first, None,
             f"{fmt.number(first * 1000, 0)} ms / {fmt.number(trivial_first * 1000, 0)} ms")  # fmt: skip
        name, _, warm = max(pg["pages"], key=lambda p: p[2])
        _row(rows, f"Trang chậm nhất chạy lại (AppTest, 5 năm), {name}: ÷ trang trống", warm / trivial, None,
             f"{fmt.number(warm * 1000, 0)} ms / {fmt.number(trivial * 1000, 0)} ms")  # fmt: skip
    if fs := results.get("first_screen"):
        for name, when, ratio, low, high, secs in first_screen.ratios(fs):
            what = "lần đầu sau khởi động" if when == "cold" else "mở lại"
            spread = f"{fmt.number(low, 2)}–{fmt.number(high, 2)}; {fmt.number(secs, 2)} s"
            _row(rows, f"Trình duyệt: màn hình đầu của {name} vẽ xong, {what} ÷ trang Streamlit trần", ratio,
                 first_screen.GOALS[when], spread)  # fmt: skip
    for r in results.get("memory", []):
        label = "5 năm" if "nam" in r["db"] else "dữ liệu mẫu"
        ok = [p for p in r["pages"] if p[1] == p[1]]  # NaN: the page failed to load
        if ok:
            name, first, _ = max(ok, key=lambda p: p[1])
            _row(rows, f"Trình duyệt, {label}: trang chậm nhất lần đầu ({name}) ÷ 2 s", first / memory.GOAL, 1.0,
                 f"{fmt.number(first, 2)} s")  # fmt: skip
            name, _, again = max(ok, key=lambda p: p[2])
            _row(rows, f"Trình duyệt, {label}: trang chậm nhất lần sau ({name}) ÷ 2 s", again / memory.GOAL, 1.0,
                 f"{fmt.number(again, 2)} s")  # fmt: skip
        peak, idle = r["peak"]["VmHWM"], r["idle"]["VmHWM"]
        _row(rows, f"Bộ nhớ máy chủ, {label}: cao nhất ÷ lúc chờ", peak / idle, None,
             f"{fmt.number(peak, 0)} MB / {fmt.number(idle, 0)} MB")  # fmt: skip
        if bare := r.get("bare_idle"):
            floor, goal = bare["VmHWM"], 5.0 if label == "5 năm" else None
            _row(rows, f"Bộ nhớ máy chủ, {label}: cao nhất ÷ máy chủ Streamlit trần lúc chờ", peak / floor, goal,
                 f"{fmt.number(peak, 0)} MB / {fmt.number(floor, 0)} MB")  # fmt: skip
    mem = results.get("memory", [])
    if len(mem) == 2:
        a, b = (m["peak"]["VmHWM"] for m in mem)
        _row(rows, "Bộ nhớ máy chủ: 5 năm ÷ dữ liệu mẫu", b / a, None, f"{fmt.number(b, 0)} MB / {fmt.number(a, 0)} MB")
    for r in results.get("city", []):
        n = fmt.integer(r["communes"])
        for what, ours, theirs in (("bảng trạng thái", r["status"], r["pandas_status"]),
                                   ("xếp hạng một chỉ tiêu", r["ranking"], r["pandas_ranking"])):  # fmt: skip
            if r["goal"]:
                _row(rows, f"{n} xã, {what}: DuckDB ÷ mục tiêu {fmt.number(r['goal'], 1)} s", ours / r["goal"], 1.0,
                     f"{fmt.number(ours, 3)} s")  # fmt: skip
            _row(rows, f"{n} xã, {what}: DuckDB ÷ pandas (chỉ tính)", ours / theirs, None,
                 f"{fmt.number(ours, 3)} s / {fmt.number(theirs, 3)} s")  # fmt: skip
            _row(rows, f"{n} xã, {what}: DuckDB ÷ pandas (đọc + tính)", ours / (theirs + r["read"]), None,
                 f"{fmt.number(ours, 3)} s / {fmt.number(theirs + r['read'], 2)} s")  # fmt: skip
    engines = results.get("city_engines") or {}
    if "page" in engines:
        (oc, ow), (cc, cw) = engines["page"]["overview"], engines["page"]["city"]
        _row(rows, "Trình duyệt: /thanh-pho ÷ tổng quan của xã, lần đầu sau khởi động", cc / oc, None,
             f"{fmt.number(cc, 2)} s / {fmt.number(oc, 2)} s")  # fmt: skip
        _row(rows, "Trình duyệt: /thanh-pho ÷ tổng quan của xã, mở lại", cw / ow, None,
             f"{fmt.number(cw, 2)} s / {fmt.number(ow, 2)} s")  # fmt: skip
    for r in engines.get("engines", []):
        took = f"{fmt.number(r['spark'], 2)} s / {fmt.number(r['duckdb'], 3)} s"
        _row(rows, f"{fmt.integer(r['communes'])} xã từ tệp Parquet, bảng trạng thái: Spark local[2] ÷ DuckDB",
             r["spark"] / r["duckdb"], None, took)  # fmt: skip
    return rows


def print_table(rows: list[tuple[str, str, str, str, str]]) -> None:
    head = ("Phép đo", "Tỷ số", "Mục tiêu", "Kết quả", "Gồm")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    line = "  ".join("-" * w for w in widths)
    print(line)
    for r in [head, None, *rows]:
        if r is None:
            print(line)
            continue
        print(
            "  ".join(
                c.ljust(w) if i in (0, 3, 4) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    print(line)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, to try the benchmarks out")
    steps = ["ingest", "pages", "first-screen", "city", "city-engines", "memory"]
    parser.add_argument("--skip", nargs="*", default=[], choices=steps)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results: dict = {}
    catalogue = load_catalogue()
    print(f"Máy: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        five_years = Path(tmp) / "nam-nam.duckdb"
        if "ingest" not in args.skip:
            print("== Nhập dữ liệu ==")
            results["ingest"] = ingest.main(["--rows", "20000" if args.quick else "100000", "--repeat", "3"])
        if {"pages", "memory"} - set(args.skip):
            n = pages.build_db(five_years, catalogue)
            print(f"\nCơ sở dữ liệu 5 năm: {fmt.integer(n)} dòng số liệu (T1/2026-T12/2030, mọi chỉ tiêu, mọi thôn)")
        if "pages" not in args.skip:
            print("\n== Trang (AppTest) ==")
            results["pages"] = pages.measure(five_years, 2 if args.quick else 5)
            pages.report(results["pages"])
        if "first-screen" not in args.skip:
            print("\n== Màn hình đầu trong trình duyệt (dữ liệu mẫu), so với một trang Streamlit trần ==")
            results["first_screen"] = first_screen.run(memory.sample_db(Path(tmp)), 2 if args.quick else 3, 1280)
            first_screen.report(results["first_screen"])
        if "city" not in args.skip:
            print("\n== Quy mô thành phố, cả nước ==")
            results["city"] = city.run([114] if args.quick else [114, 3321], 7)
            city.report(results["city"])
        if "city-engines" not in args.skip:
            print("\n== Thành phố: DuckDB và Spark trên tệp Parquet, trang /thanh-pho trong trình duyệt ==")
            results["city_engines"] = city_engines.run([114] if args.quick else [114, 3321], 3)
            city_engines.report(results["city_engines"])
        if "memory" not in args.skip:
            print("\n== Bộ nhớ máy chủ và thời gian mở trang trong trình duyệt ==")
            try:
                results["memory"] = memory.run([memory.sample_db(Path(tmp)), five_years])
                memory.report(results["memory"])
            except SystemExit as exc:  # no Chromium: the other figures still make their table
                print(f"Bỏ qua: {exc}")
    took = time.perf_counter() - started
    print(f"\n== Tổng hợp (đo trong cùng một lần chạy, {fmt.number(took / 60, 1)} phút; {machine()}) ==")
    print_table(table(results))
    return results


if __name__ == "__main__":
    main()
