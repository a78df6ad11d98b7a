"""The operator's `cli.py backup`, `cli.py restore` and `cli.py check` commands: copies, their restore, integrity."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from commands.args import EXIT_OK, EXIT_REFUSED, finish, store_for
from ground import fmt
from ground.catalogue import Catalogue


def _counts_line(counts: dict[str, int]) -> str:
    labels = {"uploads": "lần tải lên", "observations": "dòng số liệu", "files": "tệp gốc", "users": "tài khoản"}
    return ", ".join(f"{fmt.integer(counts.get(t, 0))} {label}" for t, label in labels.items())


def cmd_backup(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from store.backup import BackupError  # the store is loaded by the commands that use it only

    store = store_for(args, catalogue)
    try:
        m = store.backup(args.out)
    except BackupError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    folder = Path(args.out).expanduser().resolve()
    print(f"Đã sao lưu {store.path} vào {folder} ({fmt.number(m['size'] / 2**20, 1)} MB): {_counts_line(m['counts'])}.")
    print(f"Phiên bản lược đồ {m['schema_version']}, SHA-256 {m['sha256'][:16]}…, lúc {m['created_at']}.")
    for finding in m["integrity"]:
        print(f"  - Lưu ý (dữ liệu gốc): {finding}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from store.backup import BackupError

    store = store_for(args, catalogue)
    try:
        m = store.restore_backup(args.folder, force=args.force)
    except BackupError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Đã khôi phục {store.path} từ bản sao lưu lúc {m['created_at']}: {_counts_line(m['counts'])}.")
    if m["previous"]:
        print(f"Cơ sở dữ liệu trước đó được giữ lại tại {m['previous']}.")
    problems = store.check_integrity()
    for finding in problems:
        print(f"  - Lỗi toàn vẹn: {finding}")
    return EXIT_OK if not problems else EXIT_REFUSED


def cmd_check(args: argparse.Namespace, catalogue: Catalogue) -> int:
    store = store_for(args, catalogue)
    if not store.path.exists():
        print(f"Lỗi: không có cơ sở dữ liệu {store.path}.", file=sys.stderr)
        return EXIT_REFUSED
    problems = store.check_integrity()
    if not problems:
        print(f"Cơ sở dữ liệu {store.path} toàn vẹn: mọi lần tải lên đủ số liệu và tệp gốc, không có dữ liệu mồ côi.")
        return EXIT_OK
    print(f"Cơ sở dữ liệu {store.path} có {len(problems)} vấn đề:")
    for finding in problems:
        print(f"  - {finding}")
    return EXIT_REFUSED


def add_ops_commands(sub, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register backup, restore and check on cli.py's sub-command parser."""
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu vào một thư mục mới (chạy được khi ứng dụng đang chạy)")
    p.add_argument("--out", required=True, metavar="THƯ_MỤC", help="thư mục mới chứa bản sao lưu")
    finish(p, db_option, cmd_backup)

    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một bản sao lưu")
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục bản sao lưu (có manifest.json)")
    db_option(p)
    p.add_argument("--force", action="store_true", help="thay thế cả khi cơ sở dữ liệu đang có dữ liệu")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="kiểm tra tính toàn vẹn của cơ sở dữ liệu")
    finish(p, db_option, cmd_check)
