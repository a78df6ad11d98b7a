"""`cli.py import` and `cli.py init`: import report files one by one, or set up the database with the samples."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from commands.args import EXIT_OK, EXIT_REFUSED, period_arg, print_json, store_for, unit_arg
from commands.users import first_admin_hint
from ground import fmt
from ground.catalogue import Catalogue
from intake import limits
from intake.importer import ImportOutcome, import_file, rejected, too_big_message
from store import Store, StoreReadOnly

_SPREADSHEET = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def import_paths(store: Store, catalogue: Catalogue, paths: Sequence[str], **kw) -> list[ImportOutcome]:
    """Import files one after another, each in its own transaction; a missing path is a refused file."""
    out = []
    for p in paths:
        path = Path(p)
        try:
            size = path.stat().st_size  # before reading: a 2 GB file must not be read into memory to be refused
        except OSError:
            size = 0  # missing or unreadable: said below, as read_bytes() finds it
        if path.is_file() and size > limits.upload_bytes():
            out.append(rejected(path.name, too_big_message(size)))
            continue
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
    if store.read_only() and not args.dry_run:  # said once, before any file is read
        raise StoreReadOnly(store.path)
    outcomes = import_paths(
        store, catalogue, args.files, period=period, unit=unit, user=args.user, dry_run=args.dry_run
    )
    if args.json:
        print_json([o.as_json() for o in outcomes])
    else:
        for o in outcomes:
            print("\n".join(describe_outcome(o, catalogue)))
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_REFUSED


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


def add_import_commands(sub: argparse._SubParsersAction, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("import", help="nhập một hoặc nhiều tệp báo cáo tháng")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp Excel/ODS")
    db_option(p)
    p.add_argument("--period", metavar="YYYY-MM", help="tháng báo cáo khi tệp không ghi rõ, ví dụ 2026-10")
    p.add_argument("--unit", metavar="MÃ", help="mã đơn vị báo cáo khi tệp không ghi rõ, ví dụ phong-kinh-te")
    p.add_argument("--dry-run", action="store_true", help="chỉ đọc và kiểm tra, không ghi gì")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--user", default="cli", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("init", help="tạo cơ sở dữ liệu; nạp dữ liệu mẫu nếu còn trống")
    db_option(p)
    p.add_argument("--sample", metavar="THƯ_MỤC", help="thư mục tệp mẫu để nạp vào cơ sở dữ liệu trống")
    p.set_defaults(func=cmd_init)
