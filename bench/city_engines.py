"""The city roll-up over a folder of Parquet exports on DuckDB and on Spark (local[2]), and the city page drawn in
Chromium beside the commune's overview, each measured side by side in one run. Not a test.

usage: .venv/bin/python bench/city_engines.py [--communes 114 3321] [--repeat 3] [--skip-page]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import itertools

from bench import memory
from bench.city import MONTH, CityStore, best_of
from ground import fmt
from ground.catalogue import Catalogue, load_catalogue
from store import ParquetCity, now_vietnam
from store.city_catalogue import export_frame


def write_exports(store: CityStore, catalogue: Catalogue, folder: Path) -> int:
    """What every commune's nightly `cli.py export --parquet` leaves in the city folder (rollup_monthly,
    target_overrides, communes; not the per-village figures the city view does not read), written here from
    the store's monthly sums in one pass rather than by thousands of exports. Returns the number of files."""
    rollup = pa.Table.from_pandas(store.rollup().sort_values(["commune", "indicator", "month"]), preserve_index=False)
    overrides = store.commune_targets()
    codes = rollup.column("commune").to_pylist()
    starts = [0] + [i for i in range(1, len(codes)) if codes[i] != codes[i - 1]] + [len(codes)]
    for sub in ("rollup_monthly", "target_overrides", "communes"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    when = now_vietnam()
    files = 0
    for a, b in itertools.pairwise(starts):
        code = codes[a]
        pq.write_table(rollup.slice(a, b - a), folder / "rollup_monthly" / f"{code}.parquet")
        mine = overrides[overrides["commune"] == code]
        if not mine.empty:
            mine.to_parquet(folder / "target_overrides" / f"{code}.parquet", index=False)
            files += 1
        own = dataclasses.replace(catalogue, commune=dataclasses.replace(catalogue.commune, code=code, name=code))
        facts = export_frame(own, when)
        facts["exported_at"] = facts["exported_at"].astype("datetime64[us]")  # as DuckDB's COPY writes it
        facts.to_parquet(folder / "communes" / f"{code}.parquet", index=False)
        files += 2
    return files


def engines(communes: int, catalogue: Catalogue, work: Path, repeat: int, spark) -> dict:
    """One synthetic city exported as files; its status table on DuckDB and on Spark, checked equal, then timed."""
    from store.city_spark import SparkCity

    store = CityStore(work / f"city-{communes}.duckdb")
    store.fill_synthetic(catalogue, communes)
    folder = work / f"xuat-{communes}"
    files = write_exports(store, catalogue, folder)
    store.path.unlink()
    duck, sparky = ParquetCity(folder), SparkCity(folder, session=spark)
    start = time.perf_counter()
    first = sparky.city_status(None, MONTH)
    spark_first = time.perf_counter() - start
    (t_duck, a), (t_spark, b) = best_of(
        repeat, lambda: duck.city_status(None, MONTH), lambda: sparky.city_status(None, MONTH)
    )
    if not (a["status"].tolist() == b["status"].tolist() == first["status"].tolist()):
        raise AssertionError("DuckDB and Spark disagree on the statuses")
    shutil.rmtree(folder)
    return {"communes": communes, "files": files, "rows": len(a), "duckdb": t_duck, "spark": t_spark,
            "spark_first": spark_first}  # fmt: skip


def page_times(db: Path, city: Path, work: Path, repeat: int) -> dict:
    """The commune's overview and the city page in Chromium: each opened first on a freshly started server
    (cold), then again in a new tab `repeat` times (warm, best)."""
    from playwright.sync_api import sync_playwright

    os.environ["XANH_CITY_DIR"] = str(city)
    out = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(memory.CHROMIUM), args=memory.ARGS)
            for name, path in (("overview", ""), ("city", "thanh-pho")):
                with memory.server(db, work / f"server-{name}.log") as (url, _pid):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    cold = memory._timed(lambda page=page, path=path: memory._open(page, f"{url}/{path}"))
                    page.close()
                    warm = math.inf
                    for _ in range(repeat):
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        warm = min(
                            warm, memory._timed(lambda page=page, path=path: memory._open(page, f"{url}/{path}"))
                        )
                        page.close()
                    out[name] = (cold, warm)
            browser.close()
    finally:
        os.environ.pop("XANH_CITY_DIR", None)
    return out


def run(sizes: list[int], repeat: int, page: bool = True) -> dict:
    from store.city_spark import spark_session

    catalogue = load_catalogue()
    work = Path(tempfile.mkdtemp(prefix="bench-city-engines-"))
    result: dict = {"engines": []}
    try:
        if page:
            db = memory.sample_db(work)
            city = work / "thanh-pho"
            store = CityStore(db, commune=catalogue.commune.code)
            store.export_parquet(city, catalogue=catalogue)
            result["page"] = page_times(db, city, work, repeat)
        start = time.perf_counter()
        spark = spark_session("local[2]")
        result["spark_start"] = time.perf_counter() - start
        for n in sizes:
            result["engines"].append(engines(n, catalogue, work, repeat, spark))
        spark.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def report(result: dict) -> None:
    if "page" in result:
        (oc, ow), (cc, cw) = result["page"]["overview"], result["page"]["city"]
        print("Trình duyệt (Chromium, 1280 px), trang /thanh-pho ÷ trang tổng quan của xã:")
        print(f"  lần đầu sau khi khởi động máy chủ: {fmt.number(cc, 2)} s ÷ {fmt.number(oc, 2)} s = "
              f"{fmt.number(cc / oc, 2)}")  # fmt: skip
        print(f"  mở lại: {fmt.number(cw, 2)} s ÷ {fmt.number(ow, 2)} s = {fmt.number(cw / ow, 2)}")
    print(f"Khởi động Spark local[2]: {fmt.number(result['spark_start'], 1)} s")
    for r in result["engines"]:
        print(
            f"{fmt.integer(r['communes'])} xã × 60 tháng ({fmt.integer(r['files'])} tệp, {fmt.integer(r['rows'])} dòng "
            f"kết quả): DuckDB {fmt.number(r['duckdb'], 3)} s, Spark {fmt.number(r['spark'], 2)} s (lần đầu "
            f"{fmt.number(r['spark_first'], 1)} s): Spark ÷ DuckDB = {fmt.number(r['spark'] / r['duckdb'], 1)}"
        )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, nargs="+", default=[114, 3321])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-page", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.communes, args.repeat, page=not args.skip_page)
    report(result)
    return result


if __name__ == "__main__":
    main()
