"""Ingest benchmark: a 100,000-row planting log, our full import beside bare openpyxl and calamine reads."""

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

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from catalogue import load_catalogue  # noqa: E402
from importer import import_file  # noqa: E402
from store import Store  # noqa: E402

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


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


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

    def ours() -> None:
        db = tmp / f"x{time.perf_counter_ns()}.duckdb"
        outcome = import_file(Store(db), catalogue, data, path.name, user="bench")
        assert outcome.status == "imported", [e.message for e in outcome.errors][:3]

    def calamine() -> None:
        CalamineWorkbook.from_object(io.BytesIO(data)).get_sheet_by_index(0).to_python()

    def openpyxl_read() -> None:
        pd.read_excel(io.BytesIO(data), engine="openpyxl", header=5)

    t_ours = best_of(args.repeat, ours)
    t_cal = best_of(args.repeat, calamine)
    t_opx = best_of(max(1, args.repeat - 1), openpyxl_read)
    print(f"Ingest: {args.rows:,} planting-log rows ({len(data) / 1e6:.1f} MB .xlsx), best of {args.repeat}")
    print(f"  {'step':<44}{'seconds':>9}{'× openpyxl':>12}{'× calamine':>12}")
    for name, t in (
        ("our import (read, check, store in DuckDB)", t_ours),
        ("bare pandas.read_excel(engine='openpyxl')", t_opx),
        ("bare python-calamine read (the floor)", t_cal),
    ):
        print(f"  {name:<44}{t:9.2f}{t / t_opx:12.2f}{t / t_cal:12.2f}")
    print("  goals: our import ≤ 0,5× openpyxl and ≤ 1,5× calamine")
    return {"ours": t_ours, "openpyxl": t_opx, "calamine": t_cal}


if __name__ == "__main__":
    main()
