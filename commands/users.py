"""The `cli.py user …` commands: the operator adds, lists, re-passwords and removes accounts from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from commands.args import EXIT_OK, UsageError, finish, print_json, refused_on, store_for
from ground import auth, fmt
from ground.catalogue import Catalogue

if TYPE_CHECKING:
    from store import Store


def _account_error() -> type[Exception]:
    from store.accounts import AccountError  # the store is loaded by the commands that use it only

    return AccountError


OPERATOR = "cli"  # the audit log's name for whoever runs the command line (a trusted local admin)

FIRST_ADMIN_HINT = (
    "Chưa có tài khoản quản trị nào. Tạo tài khoản quản trị đầu tiên bằng lệnh:\n"
    "  echo 'mật-khẩu-đủ-8-ký-tự' | .venv/bin/python cli.py user add admin --role admin --password-stdin{db}"
)


def first_admin_hint(store: Store, db_arg: str | None = None) -> str | None:
    """How to create the first admin, or None when one exists."""
    if store.has_admin():
        return None
    return FIRST_ADMIN_HINT.format(db=f" --db {db_arg}" if db_arg else "")


def _password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise UsageError(
            "Hãy đưa mật khẩu qua đầu vào chuẩn với --password-stdin (không ghi mật khẩu trên dòng lệnh, vì nó sẽ "
            "nằm lại trong lịch sử lệnh). Ví dụ: echo 'mật-khẩu' | python cli.py user ... --password-stdin"
        )
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    password = password.removesuffix("\r")
    problem = auth.password_problem(password)
    if problem:
        raise UsageError(problem)
    return password


def _name(text: str) -> str:
    problem = auth.name_problem(text)
    if problem:
        raise UsageError(problem)
    return auth.normal_name(text)


def _units(catalogue: Catalogue, role: str, units: list[str]) -> list[str]:
    problem = auth.role_problem(role, units, [u.code for u in catalogue.units])
    if problem:
        raise UsageError(problem)
    if role != "staff" and units:
        raise UsageError("Chỉ tài khoản cán bộ nhập liệu (--role staff) mới được giao đơn vị (--unit).")
    if role == "staff" and not units:
        codes = ", ".join(u.code for u in catalogue.units)
        raise UsageError(f"Tài khoản staff cần ít nhất một --unit MÃ_ĐƠN_VỊ. Các mã đơn vị: {codes}.")
    return units


def cmd_user_add(args: argparse.Namespace, catalogue: Catalogue) -> int:
    name = _name(args.name)
    units = _units(catalogue, args.role, args.unit or [])
    password = _password(args)
    with refused_on(_account_error()):
        store_for(args, catalogue).add_user(name, args.role, units, auth.hash_password(password), who=OPERATOR)
    print(f"Đã tạo tài khoản {name} ({auth.ROLE_NAMES[args.role]}).")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace, catalogue: Catalogue) -> int:
    import pandas as pd  # loaded by the store already

    frame = store_for(args, catalogue).users()
    names = {u.code: u.name for u in catalogue.units}
    if args.json:
        rows = [
            {
                "name": r.name,
                "role": r.role,
                "units": list(r.units),
                "last_login": None if pd.isna(r.last_login) else r.last_login.isoformat(),
            }
            for r in frame.itertuples(index=False)
        ]
        print_json(rows)
        return EXIT_OK
    if frame.empty:
        print("Chưa có tài khoản nào.")
    for r in frame.itertuples(index=False):
        units = f"; đơn vị: {auth.unit_names(r.units, names)}" if r.role == "staff" else ""
        print(
            f"{r.name}: {auth.ROLE_NAMES.get(r.role, r.role)}{units}; đăng nhập gần nhất: {fmt.datetime(r.last_login)}"
        )
    return EXIT_OK


def cmd_user_passwd(args: argparse.Namespace, catalogue: Catalogue) -> int:
    name = auth.normal_name(args.name)
    password = _password(args)
    with refused_on(_account_error()):
        store_for(args, catalogue).set_password(name, auth.hash_password(password), who=OPERATOR)
    print(f"Đã đặt mật khẩu mới cho {name}; các phiên đăng nhập cũ của tài khoản này đã kết thúc.")
    return EXIT_OK


def cmd_user_remove(args: argparse.Namespace, catalogue: Catalogue) -> int:
    name = auth.normal_name(args.name)
    with refused_on(_account_error()):
        store_for(args, catalogue).remove_user(name, who=OPERATOR)
    print(f"Đã xóa tài khoản {name}.")
    return EXIT_OK


def add_user_commands(sub: argparse._SubParsersAction, db_option) -> None:
    """Register `user add|list|passwd|remove` on cli.py's sub-command parser."""
    user = sub.add_parser("user", help="quản lý tài khoản (thêm, liệt kê, đặt lại mật khẩu, xóa)")
    cmds = user.add_subparsers(dest="user_command", required=True, parser_class=type(user), metavar="LỆNH")

    p = cmds.add_parser("add", help="thêm tài khoản")
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--role", required=True, choices=auth.ROLES, help="admin, staff (cán bộ nhập liệu) hoặc viewer")
    p.add_argument("--unit", action="append", metavar="MÃ", help="đơn vị của cán bộ (lặp lại cho nhiều đơn vị)")
    p.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn")
    finish(p, db_option, cmd_user_add)

    p = cmds.add_parser("list", help="liệt kê tài khoản")
    finish(p, db_option, cmd_user_list, json=True)

    p = cmds.add_parser("passwd", help="đặt mật khẩu mới")
    p.add_argument("name", metavar="TÊN")
    p.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn")
    finish(p, db_option, cmd_user_passwd)

    p = cmds.add_parser("remove", help="xóa tài khoản")
    p.add_argument("name", metavar="TÊN")
    finish(p, db_option, cmd_user_remove)
