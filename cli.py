"""The command line: `python cli.py LỆNH …` parses the arguments and runs one of the commands in `commands/`."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from commands.args import EXIT_REFUSED, EXIT_USAGE, Refused, UsageError
from commands.briefs import add_brief_commands
from commands.city import add_city_commands
from commands.export import add_export_commands
from commands.figures import add_value_command
from commands.imports import add_import_commands
from commands.ops import add_ops_commands
from commands.users import add_user_commands
from ground.catalogue import CatalogueError, load_catalogue


def _store_errors() -> tuple[type[Exception], ...]:
    # The store (DuckDB, pandas) is loaded only by the commands that use it, so `--help` stays quick; an error of
    # the store can only have been raised once it was loaded.
    connection = sys.modules.get("store.connection")
    return (connection.StoreBusy, connection.StoreReadOnly) if connection else ()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own wording, framed in Vietnamese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Lỗi cú pháp lệnh: {message}\nXem hướng dẫn: python cli.py {self._sub()}--help\n")

    def _sub(self) -> str:
        parts = self.prog.split()
        return f"{parts[-1]} " if len(parts) > 1 else ""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cli.py", description="Bảng theo dõi chuyển đổi xanh xã An Phú — dòng lệnh.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="LỆNH")

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="tệp cơ sở dữ liệu (mặc định $XANH_DB hoặc data/xanh.duckdb)")

    for add in (
        add_import_commands,
        add_value_command,
        add_user_commands,
        add_ops_commands,
        add_brief_commands,
        add_export_commands,
        add_city_commands,
    ):
        add(sub, db_option)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        catalogue = load_catalogue()
    except CatalogueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args, catalogue)
    except UsageError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Refused as exc:
        print(f"Không thực hiện được: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except _store_errors() as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
