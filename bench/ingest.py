"""Ingest benchmark: a 100,000-row planting log, our full import (into an existing, empty database) beside bare
openpyxl and calamine reads of the same bytes."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl
import pandas as pd
from python_calamine import CalamineWorkbook

from ground.catalogue import load_catalogue
from intake.importer import import_file
from store import Store

PLACES = ["Trường Tiểu học An Phú", "Nhà văn hóa thôn", "Tuyến đường trục xã", "Khu công cộng", "Sân đình"]
SPECIES = ["Sao đen", "Bằng lăng", "Lát hoa", "Phượng vĩ", "Long não"]


def planting_log(rows: int, seed: int = 7) -> bytes:
    """A unit's planting log as kept in Excel: title block, header, one planting event per row, in 2026."""
    catalogue = load_catalogue()
    villages = [v.name for v in catalogue.villages]
    rnd = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký")
    ws.append(["UBND XÃ AN PHÚ", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append(["PHÒNG KINH TẾ", None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    ws.append([None, None, None, None, "An Phú, ngày 05 tháng 1 năm 2027"])
    ws.append(["SỔ THEO DÕI TRỒNG CÂY XANH NĂM 2026"])
    ws.append([])
    ws.append(["STT", "Ngày trồng", "Thôn", "Nơi trồng", "Loại cây", "Số lượng (cây)", "Đơn vị thực hiện", "Ghi chú"])
    start = dt.date(2026, 1, 1)
    for i in range(rows):
        day = start + dt.timedelta(days=rnd.randrange(365))
        ws.append(
            [
                i + 1,
                day,
                rnd.choice(villages),
                rnd.choice(PLACES),
                rnd.choice(SPECIES),
                rnd.randint(1, 40),
                "Đoàn Thanh niên",
                None,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def best_of(repeat: int, *fns) -> list[float]:
    """The fastest of `repeat` runs of each function, the functions taking turns (a burst of load on a shared
    machine then slows every side of a ratio alike)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return [min(t) for t in times]


def main(argv: list[str] | None = None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    catalogue = load_catalogue()
    data = planting_log(args.rows)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        return _measure(catalogue, data, Path(folder), args)


def _measure(catalogue, data: bytes, tmp: Path, args: argparse.Namespace) -> dict[str, float]:
    path = tmp / "nhat-ky.xlsx"
    path.write_bytes(data)

    stores = []

    def fresh_store() -> None:
        # The database exists before an import (`make run` creates it): its creation is not the import's cost.
        store = Store(tmp / f"x{time.perf_counter_ns()}.duckdb")
        store.schema_version()
        stores.append(store)

    def ours() -> None:
        outcome = import_file(stores.pop(), catalogue, data, path.name, user="bench")
        assert outcome.status == "imported", [e.message for e in outcome.errors][:3]

    def calamine() -> None:
        CalamineWorkbook.from_object(io.BytesIO(data)).get_sheet_by_index(0).to_python()

    def openpyxl_read() -> None:
        pd.read_excel(io.BytesIO(data), engine="openpyxl", header=5)

    for _ in range(args.repeat):
        fresh_store()
    t_ours, t_cal, t_opx = best_of(args.repeat, ours, calamine, openpyxl_read)
    print(f"Ingest: {args.rows:,} planting-log rows ({len(data) / 1e6:.1f} MB .xlsx), best of {args.repeat}")
    print(f"  {'step':<44}{'seconds':>9}{'× openpyxl':>12}{'× calamine':>12}")
    for name, t in (
        ("our import (read, check, store in DuckDB)", t_ours),
        ("bare pandas.read_excel(engine='openpyxl')", t_opx),
        ("bare python-calamine read (the floor)", t_cal),
    ):
        print(f"  {name:<44}{t:9.2f}{t / t_opx:12.2f}{t / t_cal:12.2f}")
    print("  goals: our import ≤ 0,5× openpyxl and ≤ 1,5× calamine")
    steps = _stages(catalogue, data, tmp, max(args.repeat, 5))  # the differences are smaller than the noise
    small = small_file(catalogue)
    return {"rows": args.rows, "ours": t_ours, "openpyxl": t_opx, "calamine": t_cal, "stages": steps, "small": small}


SMALL = ROOT / "sample_data" / "BC trong cay T10.2026.xlsx"  # a monthly report as units send it (7 kB)


def small_file(catalogue, repeat: int = 15) -> dict[str, float]:
    """What the isolation costs a normal file: a monthly report read here and through sandbox.py's warm worker
    (request out, report back), in turns, best of `repeat` each."""
    from intake import sandbox
    from loaders import read_report

    data = SMALL.read_bytes()
    assert sandbox.read_report(data, SMALL.name, catalogue) == read_report(data, SMALL.name, catalogue)  # warm
    direct, isolated = best_of(
        repeat,
        lambda: read_report(data, SMALL.name, catalogue),
        lambda: sandbox.read_report(data, SMALL.name, catalogue),
    )
    print(f"  a monthly report ({len(data) / 1e3:.0f} kB, best of {repeat}): read here {direct * 1000:.1f} ms, in the "
          f"reader worker {isolated * 1000:.1f} ms (isolation +{(isolated - direct) * 1000:.1f} ms)")  # fmt: skip
    return {"direct": direct, "isolated": isolated}


def _stages(catalogue, data: bytes, tmp: Path, repeat: int) -> dict[str, float]:
    """Where the import's time goes: each stage's cumulative time, measured in turns with the bare read."""
    from intake import sandbox
    from loaders import read_report
    from loaders.workbook import read_workbook

    report = read_report(data, "nhat-ky.xlsx", catalogue)
    stores, again = [], []
    for _ in range(repeat):
        for pool in (stores, again):
            store = Store(tmp / f"s{time.perf_counter_ns()}.duckdb")
            store.schema_version()
            pool.append(store)
    steps = {
        "calamine: open the zip, parse the sheet XML, Python values": lambda: (
            CalamineWorkbook.from_object(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        ),
        "+ loaders/workbook.py: bounds, merged cells, sheet sizes": lambda: read_workbook(data, "nhat-ky.xlsx"),
        "+ loaders: find the table, read and check every row": lambda: read_report(data, "nhat-ky.xlsx", catalogue),
        "+ sandbox.py: the same in a worker process, sent back": lambda: sandbox.read_report(
            data, "nhat-ky.xlsx", catalogue
        ),
        "store.save_report alone: Arrow, fingerprint, INSERT, commit": lambda: stores.pop().save_report(
            report, data=data, file_name="nhat-ky.xlsx", user="bench", commune=catalogue.commune.code
        ),
        "= importer.import_file: all of the above, bounds checks": lambda: import_file(
            again.pop(), catalogue, data, "nhat-ky.xlsx", user="bench"
        ),
    }
    times = dict(zip(steps, best_of(repeat, *steps.values()), strict=True))
    floor = next(iter(times.values()))
    print(f"  {'where the time goes (best of ' + str(repeat) + ')':<62}{'seconds':>9}{'× calamine':>12}")
    for name, t in times.items():
        print(f"  {name:<62}{t:9.2f}{t / floor:12.2f}")
    return times


if __name__ == "__main__":
    main()
