"""cli.py export: the commune's figures in force written as Parquet files, for the city view to read (nightly)."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.args import print_json
from ground import fmt
from ground.catalogue import Catalogue


def cmd_export(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from store import Store, default_db_path  # DuckDB and pandas: loaded by the commands that use the store only

    store = Store(args.db or default_db_path(), commune=catalogue.commune.code)
    files = store.export_parquet(Path(args.parquet), catalogue=catalogue)
    if args.json:
        print_json([str(f) for f in files])
    else:
        print(f"Đã xuất {fmt.integer(len(files))} tệp Parquet của {catalogue.commune.name} vào {args.parquet}:")
        for f in files:
            print(f"  {f}")
    return 0


def add_export_commands(sub: argparse._SubParsersAction, db_option) -> None:
    """Register `export --parquet THƯ_MỤC` on cli.py's sub-command parser."""
    p = sub.add_parser("export", help="xuất số liệu đang dùng ra tệp Parquet cho bảng tổng hợp toàn thành phố")
    p.add_argument("--parquet", required=True, metavar="THƯ_MỤC", help="thư mục (dùng chung cho mọi xã) để ghi tệp")
    db_option(p)
    p.add_argument("--json", action="store_true", help="in danh sách tệp dạng JSON")
    p.set_defaults(func=cmd_export)
