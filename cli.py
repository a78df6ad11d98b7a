"""The dashboard's operations without a browser: import reports, read a figure, set up the database."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from commands.args import (
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_USAGE,
    Refused,
    UsageError,
    period_arg,
    store_for,
    unit_arg,
    village_arg,
)
from commands.briefs import add_brief_commands
from commands.export import add_export_commands
from commands.ops import add_ops_commands
from commands.users import add_user_commands, first_admin_hint
from ground import fmt
from ground.catalogue import Catalogue, CatalogueError, load_catalogue
from ground.text import fold
from indicators import assess, month_value, village_share
from intake.importer import ImportOutcome, import_file, rejected
from store import Store, StoreBusy

_SPREADSHEET = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own wording, framed in Vietnamese
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Lỗi cú pháp lệnh: {message}\nXem hướng dẫn: python cli.py {self._sub()}--help\n")

    def _sub(self) -> str:
        parts = self.prog.split()
        return f"{parts[-1]} " if len(parts) > 1 else ""


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- import


def import_paths(store: Store, catalogue: Catalogue, paths: Sequence[str], **kw) -> list[ImportOutcome]:
    """Import files one after another, each in its own transaction; a missing path is a refused file."""
    out = []
    for p in paths:
        path = Path(p)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            out.append(rejected(p, f"Không tìm thấy tệp '{p}'. Hãy kiểm tra lại đường dẫn."))
            continue
        except IsADirectoryError:
            out.append(rejected(p, f"'{p}' là một thư mục, không phải tệp báo cáo."))
            continue
        except OSError as exc:
            out.append(rejected(p, f"Không đọc được tệp '{p}' ({exc.strerror or 'lỗi hệ thống'}). Hãy kiểm tra quyền."))
            continue
        out.append(import_file(store, catalogue, data, path.name, **kw))
    return out


def describe_outcome(o: ImportOutcome, catalogue: Catalogue) -> list[str]:
    """A readable summary: one line for the file, then each problem with its place."""
    units = {u.code: u.name for u in catalogue.units}
    parts = [o.status_vi + (" (chạy thử, chưa ghi gì)" if o.dry_run and o.status == "imported" else "")]
    if o.kind:
        parts.append(o.kind_name)
    if o.unit:
        parts.append(f"đơn vị: {units.get(o.unit, o.unit)}")
    if o.periods:
        parts.append("tháng " + ", ".join(fmt.month(p) for p in o.periods))
    if o.status != "rejected":
        parts.append(f"{fmt.integer(o.rows)} dòng số liệu")
    if o.replaced:
        parts.append("thay thế lần nhập " + ", ".join(f"#{i}" for i in o.replaced))
    if o.status != "rejected" and o.changes:
        parts.append(f"{fmt.integer(len(o.changes))} số liệu thay đổi")
    lines = [f"{o.file}: " + "; ".join(parts)]
    for label, problems in (("Lỗi", o.errors), ("Lưu ý", o.warnings)):
        for p in problems:
            place = p.place()
            lines.append(f"  - {label}: {place + ': ' if place else ''}{p.message}")
    return lines


def cmd_import(args: argparse.Namespace, catalogue: Catalogue) -> int:
    period = period_arg(args.period)
    unit = unit_arg(catalogue, args.unit)
    store = store_for(args, catalogue)
    outcomes = import_paths(
        store, catalogue, args.files, period=period, unit=unit, user=args.user, dry_run=args.dry_run
    )
    if args.json:
        _print_json([o.as_json() for o in outcomes])
    else:
        for o in outcomes:
            print("\n".join(describe_outcome(o, catalogue)))
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_REFUSED


# ---------------------------------------------------------------- value


def figure(store: Store, catalogue: Catalogue, code: str, period: str, village: str | None) -> dict:
    """{"indicator", "period", "thon", "value", "unit", "cumulative", "target", "status"} for one month.

    value: flow Σ of the month, ratio Σnumerator ÷ Σdenominator × 100, stock Σ of the month's rows (the level
    at its end); None when nothing in force covers the month. cumulative: flows only, Σ of the monthly
    values from the plan start through the month (None when none was reported; None for ratio and stock).
    target: the catalogue's commune target for the phase the month falls in (also with a village).
    status: the Vietnamese status label from indicators.assess, the same function the dashboard uses.
    """
    ind = catalogue.indicator(code)
    series = store.series(code, village)
    by_month = {r.period: r for r in series.itertuples(index=False)}

    def month_figure(p: str) -> float | None:
        r = by_month.get(p)
        if r is None:
            return None
        den = None if pd.isna(r.denominator) else float(r.denominator)
        return month_value(ind.kind, float(r.value), den)

    value = month_figure(period)
    cumulative = None
    if ind.kind == "flow":
        months = [p for p in by_month if catalogue.commune.plan_start <= p <= period]
        if months:
            cumulative = sum(v for p in months if (v := month_figure(p)) is not None)
    target = ind.target(catalogue.phase_of(period).code)
    figures = {
        r.period: (float(r.value), None if pd.isna(r.denominator) else float(r.denominator)) for r in by_month.values()
    }
    share = village_share(catalogue, village) if village else 1.0
    status = assess(ind, catalogue, figures, period, share=share, place=village).status
    return {
        "indicator": code,
        "period": period,
        "thon": catalogue.village(village).name if village else None,
        "value": value,
        "unit": ind.unit,
        "cumulative": cumulative,
        "target": target.value if target else None,
        "status": status.label,
    }


def describe_figure(f: dict, catalogue: Catalogue) -> str:
    ind = catalogue.indicator(f["indicator"])
    place = f["thon"] or catalogue.commune.name
    unit = ind.unit

    def q(x: float | None) -> str:
        return "chưa có số liệu" if x is None else fmt.quantity(x, unit)

    text = f"{ind.name} — {place}, {fmt.month_long(f['period'])}: {q(f['value'])}"
    if ind.kind == "flow":
        text += f"; lũy kế từ {fmt.month(catalogue.commune.plan_start)}: {q(f['cumulative'])}"
    phase = catalogue.phase_of(f["period"])
    if f["target"] is not None:
        text += f"; chỉ tiêu {phase.name} (toàn xã): {fmt.quantity(f['target'], unit)}"
    if f["status"]:
        text += f"; đánh giá: {f['status']}"
    return text + "."


def cmd_value(args: argparse.Namespace, catalogue: Catalogue) -> int:
    codes = {i.code for i in catalogue.indicators}
    if args.code not in codes:
        close = [c for c in codes if fold(args.code).replace(" ", "_") in c]
        hint = f" Có phải là: {', '.join(sorted(close))}?" if close else ""
        raise UsageError(f"Không có chỉ tiêu mã '{args.code}' trong danh mục.{hint}")
    period = period_arg(args.period)
    village = village_arg(catalogue, args.thon)
    store = store_for(args, catalogue)
    catalogue = store.effective_catalogue(catalogue)  # an admin's target on /quan-tri wins over the file's
    f = figure(store, catalogue, args.code, period, village)
    if args.json:
        _print_json(f)
    else:
        print(describe_figure(f, catalogue))
    return EXIT_OK


# ---------------------------------------------------------------- init


def cmd_init(args: argparse.Namespace, catalogue: Catalogue) -> int:
    """Create (or bring up to date) the database; load a folder of sample reports into an empty one."""
    store = store_for(args, catalogue)
    version = store.schema_version()
    print(f"Cơ sở dữ liệu {store.path} sẵn sàng (phiên bản lược đồ {version}).")
    if hint := first_admin_hint(store, args.db):
        print(hint)
    if not args.sample:
        return EXIT_OK
    if not store.uploads().empty:
        print("Cơ sở dữ liệu đã có báo cáo, không nạp dữ liệu mẫu.")
        return EXIT_OK
    folder = Path(args.sample)
    files = sorted(str(p) for p in folder.glob("*") if p.suffix.lower() in _SPREADSHEET)
    outcomes = import_paths(store, catalogue, files, user="dữ liệu mẫu")
    refused = [o for o in outcomes if not o.ok]
    for o in refused:
        print("\n".join(describe_outcome(o, catalogue)))
    print(f"Đã nạp {len(outcomes) - len(refused)}/{len(outcomes)} tệp mẫu từ {folder}.")
    # Sample data is a convenience: a refused sample must not stop the app from starting.
    return EXIT_OK


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cli.py", description="Bảng theo dõi chuyển đổi xanh xã An Phú — dòng lệnh.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="LỆNH")

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="tệp cơ sở dữ liệu (mặc định $XANH_DB hoặc data/xanh.duckdb)")

    p = sub.add_parser("import", help="nhập một hoặc nhiều tệp báo cáo tháng")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp Excel/ODS")
    db_option(p)
    p.add_argument("--period", metavar="YYYY-MM", help="tháng báo cáo khi tệp không ghi rõ, ví dụ 2026-10")
    p.add_argument("--unit", metavar="MÃ", help="mã đơn vị báo cáo khi tệp không ghi rõ, ví dụ phong-kinh-te")
    p.add_argument("--dry-run", action="store_true", help="chỉ đọc và kiểm tra, không ghi gì")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--user", default="cli", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("value", help="số liệu một chỉ tiêu trong một tháng")
    p.add_argument("code", metavar="MÃ_CHỈ_TIÊU")
    p.add_argument("--period", required=True, metavar="YYYY-MM")
    p.add_argument("--thon", metavar="TÊN_THÔN", help="chỉ tính một thôn (viết có dấu hoặc không dấu)")
    db_option(p)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_value)

    p = sub.add_parser("init", help="tạo cơ sở dữ liệu; nạp dữ liệu mẫu nếu còn trống")
    db_option(p)
    p.add_argument("--sample", metavar="THƯ_MỤC", help="thư mục tệp mẫu để nạp vào cơ sở dữ liệu trống")
    p.set_defaults(func=cmd_init)
    add_user_commands(sub, db_option)
    add_ops_commands(sub, db_option)
    add_brief_commands(sub, db_option)
    add_export_commands(sub, db_option)
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
    except StoreBusy as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
