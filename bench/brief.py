"""Brief benchmark: the month's Word brief built as /bao-cao builds it, beside a floor of the bare work in the same
run (the same chart specs rendered with vl-convert, an empty python-docx document saved). Not a test.

usage: .venv/bin/python bench/brief.py [--db PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx
import vl_convert as vlc

from bench.pages import build_db
from briefs import build_content, load_figures, make_brief
from briefs.docx_brief import brief_docx
from briefs.images import SECTOR_SCALE, sector_charts, sector_images
from charts import export as chart_export
from ground import fmt
from ground.catalogue import Catalogue, load_catalogue
from store import Store

GOAL = 1.5  # our build at most 1,5× the floor


def best_of(repeat: int, *fns: Callable[[], object]) -> list[float]:
    """The fastest of `repeat` runs of each function, the functions taking turns (a burst of load on a shared
    machine then slows every side of a ratio alike)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return [min(t) for t in times]


def measure(db: Path, catalogue: Catalogue, repeat: int) -> dict:
    """Our build and the floor on `db`, in turns, best of `repeat`; then where our build's time goes."""

    def figures():
        # As the page's _figures: the store opened on the file, the figures in force now.
        return load_figures(Store(db, commune=catalogue.commune.code), catalogue)

    first = figures()
    month = first.months[-1]  # the page offers the latest month first

    def ours():
        return make_brief(figures(), month)

    content = build_content(first, month)
    chart_export.register_fonts()
    specs = [chart_export.export_spec(c.chart, **c.labels) for c in sector_charts(content, first)]

    def floor() -> list[bytes]:
        pngs = [vlc.vegalite_to_png(spec, scale=SECTOR_SCALE) for spec in specs]
        docx.Document().save(io.BytesIO())
        return pngs

    # Warm both (V8 starts, fonts load) and check the floor draws exactly the images the brief holds.
    brief = ours()
    assert floor() == [im.png for im in brief.images], "the floor does not render the brief's charts"
    t_ours, t_floor = best_of(repeat, ours, floor)
    images = sector_images(content, first)
    steps = {
        "briefs.load_figures (DuckDB reads)": figures,
        "build_content (statuses, sentences)": lambda: build_content(first, month),
        "sector_charts (Altair charts → specs)": lambda: [
            chart_export.export_spec(c.chart, **c.labels) for c in sector_charts(content, first)
        ],
        "vl-convert: the specs → PNG": lambda: [vlc.vegalite_to_png(s, scale=SECTOR_SCALE) for s in specs],
        "brief_docx (the Word file)": lambda: brief_docx(content, images, first.catalogue.commune.plan),
        "empty python-docx Document saved": lambda: docx.Document().save(io.BytesIO()),
    }
    stages = dict(zip(steps, best_of(repeat, *steps.values()), strict=True))
    return {
        "month": month,
        "charts": len(specs),
        "repeat": repeat,
        "ours": t_ours,
        "floor": t_floor,
        "ratio": t_ours / t_floor,
        "stages": stages,
    }


def report(result: dict) -> None:
    ours, floor, n = result["ours"], result["floor"], result["charts"]
    print(f"Báo cáo {fmt.month_long(result['month'])}: {n} biểu đồ, tốt nhất trong {result['repeat']} lượt")
    print(f"  {'bước':<58}{'giây':>8}")
    print(f"  {'của ta: load_figures + make_brief (như trang /bao-cao)':<58}{ours:8.3f}")
    print(f"  {f'sàn: {n} PNG bằng vl_convert + Document().save':<58}{floor:8.3f}")
    print(f"  tỷ số {fmt.number(result['ratio'], 2)} (mục tiêu ≤ {fmt.number(GOAL, 1)})")
    print(f"  {'thời gian đi đâu (tốt nhất từng bước)':<58}{'giây':>8}")
    for name, t in result["stages"].items():
        print(f"  {name:<58}{t:8.3f}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing database (default: build the five-year one of bench/pages.py)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory(prefix="bench-brief-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "nam-nam.duckdb"
        if not args.db:
            n = build_db(db, catalogue)
            print(f"Cơ sở dữ liệu 5 năm: {fmt.integer(n)} dòng số liệu")
        result = measure(db, catalogue, args.repeat)
    report(result)
    return result


if __name__ == "__main__":
    main()
