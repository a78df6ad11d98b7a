"""`cli.py city status`: every commune × indicator of a city folder of exports, on DuckDB or on Spark."""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from commands.args import EXIT_OK, Refused, UsageError, period_arg, print_json
from ground import fmt
from ground.catalogue import Catalogue
from ground.statuses import STATUSES

if TYPE_CHECKING:
    import pandas as pd


def _number(x: object) -> float | None:
    import pandas as pd  # loaded already by the table's maker; not by the command line's other commands

    return None if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x) else float(x)


def city_rows(table: pd.DataFrame) -> list[dict]:
    """What `city status --json` prints, one object per commune × indicator: commune, commune_name, indicator,
    value (the figure judged: a flow's total since the plan's start, a ratio's or stock's latest level), target,
    progress (the progress ratio against the plan's straight line, None when not judged), status (the Vietnamese
    label) and status_code."""
    return [
        {
            "commune": r.commune,
            "commune_name": r.commune_name,
            "indicator": r.indicator,
            "value": _number(r.actual),
            "target": _number(r.target),
            "progress": _number(r.r),
            "status": r.status_label,
            "status_code": r.status,
        }
        for r in table.itertuples(index=False)
    ]


def cmd_city_status(args: argparse.Namespace, _catalogue: Catalogue) -> int:
    from store import CityFolderError, ParquetCity  # DuckDB and pandas: loaded by the commands that use them

    month = period_arg(args.month)
    view = ParquetCity(args.parquet)
    try:
        phases = view.phases()
        if args.phase and args.phase not in set(phases["phase"]):
            codes = ", ".join(phases["phase"])
            raise UsageError(f"Không có giai đoạn '{args.phase}' trong các bản xuất. Các mã giai đoạn: {codes}.")
        if args.engine == "spark":
            from store.city_spark import SparkCity  # pyspark is loaded only for this engine

            engine = SparkCity(args.parquet, master=args.spark_master)
        else:
            engine = view
        table = engine.city_status(None, month, phase=args.phase)
    except CityFolderError as exc:
        raise Refused(str(exc)) from None
    rows = city_rows(table)
    if args.json:
        print_json(rows)
        return EXIT_OK
    names = view.indicators().set_index("indicator")
    print(f"Tiến độ {fmt.integer(table['commune'].nunique())} xã, phường, {fmt.month_long(month)} ({args.engine}):")
    for commune, part in table.groupby("commune_name", sort=True):
        print(f"\n{commune}")
        for r in part.itertuples(index=False):
            st = STATUSES[r.status]
            unit = names.loc[r.indicator, "unit"]
            figure = fmt.quantity(_number(r.actual), unit) if _number(r.actual) is not None else "chưa có số liệu"
            target = f" / mục tiêu {fmt.quantity(r.target, unit)}" if _number(r.target) is not None else ""
            print(f"  {st.icon} {st.label:<16} {names.loc[r.indicator, 'indicator_name']}: {figure}{target}")
    return EXIT_OK


def add_city_commands(sub: argparse._SubParsersAction, _db_option) -> None:
    """Register `city status --parquet THƯ_MỤC --month YYYY-MM` on cli.py's sub-command parser."""
    city = sub.add_parser("city", help="bảng tổng hợp toàn thành phố từ các tệp xuất của xã, phường")
    city_sub = city.add_subparsers(dest="city_command", required=True, metavar="LỆNH")
    p = city_sub.add_parser("status", help="tiến độ mọi xã × chỉ tiêu trong một tháng")
    p.add_argument("--parquet", required=True, metavar="THƯ_MỤC", help="thư mục các xã xuất vào (cli.py export)")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="tháng xem tiến độ, ví dụ 2026-10")
    p.add_argument("--phase", metavar="MÃ", help="giai đoạn (mặc định: giai đoạn của tháng)")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb", help="máy tính tổng hợp")
    p.add_argument("--spark-master", default="local[2]", metavar="URL", help="Spark: local[2] hoặc spark://máy:7077")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_city_status)
