"""What every `cli.py` command shares: exit codes, the usage and refusal errors, the checked arguments, the store."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
from typing import TYPE_CHECKING

from ground.catalogue import Catalogue
from ground.text import fold

if TYPE_CHECKING:
    from store import Store

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class UsageError(Exception):
    """Bad usage the user can fix: printed in Vietnamese by cli.main, exit code 2."""


class Refused(Exception):
    """A request that cannot be met as asked (no figures for the month, a file that cannot be written): exit 1."""


@contextlib.contextmanager
def refused_on(*errors: type[Exception]):
    """Errors whose Vietnamese message is the whole answer (an account that exists, a wrong name): exit 1."""
    try:
        yield
    except errors as exc:
        raise Refused(str(exc)) from exc


def finish(p: argparse.ArgumentParser, db_option, func, *, json: bool = False) -> None:
    """The options every command ends with (`--json` where it prints one, `--db`) and the function it runs."""
    if json:
        p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    db_option(p)
    p.set_defaults(func=func)


def print_json(value: object) -> None:
    """What `--json` prints: readable UTF-8, Vietnamese letters as they are."""
    print(json.dumps(value, ensure_ascii=False, indent=2))


def store_for(args: argparse.Namespace, catalogue: Catalogue) -> Store:
    """The database of `--db` (default data/xanh.duckdb), for the catalogue's commune."""
    from store import Store, default_db_path  # DuckDB and pandas: loaded by the commands that use the store only

    return Store(args.db or default_db_path(), commune=catalogue.commune.code)


def period_arg(text: str | None) -> str | None:
    """ "2026-10" as given (trimmed), None for None; UsageError for anything else."""
    if text is None:
        return None
    if not _PERIOD.match(text.strip()):
        raise UsageError(f"Tháng '{text}' không đúng dạng YYYY-MM (ví dụ 2026-10 cho tháng 10/2026).")
    return text.strip()


def unit_arg(catalogue: Catalogue, text: str | None) -> str | None:
    """A unit code, or a unit's name in any spelling ("Phòng Kinh tế", "phong kinh te")."""
    if text is None:
        return None
    for u in catalogue.units:
        if text == u.code or fold(text) in {fold(n) for n in (u.name, *u.aliases)}:
            return u.code
    codes = ", ".join(u.code for u in catalogue.units)
    raise UsageError(f"Không có đơn vị '{text}' trong danh mục. Các mã đơn vị: {codes}.")


def village_arg(catalogue: Catalogue, text: str | None) -> str | None:
    """A village code or name in any spelling ("Thôn Đông Hà", "dong ha", "dong-ha")."""
    if text is None:
        return None
    if text in {v.code for v in catalogue.villages}:
        return text
    from loaders.places import Villages  # loaded only for a village given by name
    from loaders.text import CellError

    try:
        code = Villages(catalogue).code(text)
    except CellError as exc:
        raise UsageError(f"Không nhận ra thôn: {exc}.") from None
    if code is None:
        raise UsageError('Tên thôn để trống; hãy ghi tên thôn, ví dụ --thon "Đông Hà".')
    return code
