"""The `cli.py chart`, `brief` and `snapshot create|list` commands: chart PNGs, the month's brief, frozen figures."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from commands.args import EXIT_OK, Refused, UsageError, finish, period_arg, print_json, store_for, village_arg
from ground import fmt
from ground.catalogue import Catalogue
from ground.text import fold

if TYPE_CHECKING:
    from store import Store

OPERATOR = "cli"  # the audit log's name for whoever runs the command line (a trusted local admin)


def _indicator(catalogue: Catalogue, code: str) -> str:
    codes = {i.code for i in catalogue.indicators}
    if code in codes:
        return code
    close = sorted(c for c in codes if fold(code).replace(" ", "_") in c)
    hint = f" Có phải là: {', '.join(close)}?" if close else ""
    raise UsageError(f"Không có chỉ tiêu mã '{code}' trong danh mục.{hint}")


def _day(text: str | None) -> date | None:
    """DD/MM/YYYY (as people write it) or YYYY-MM-DD."""
    if text is None:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise UsageError(f"Ngày '{text}' không đúng dạng NGÀY/THÁNG/NĂM (ví dụ 05/11/2026).")


def _out(text: str, suffix: str) -> Path:
    path = Path(text)
    if path.suffix.lower() != suffix:
        raise UsageError(f"Tệp kết quả '{text}' phải có đuôi {suffix}.")
    return path


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        raise Refused(f"không có thư mục '{path.parent}' để ghi tệp '{path.name}'. Hãy tạo thư mục trước.") from None
    except PermissionError:
        raise Refused(f"không có quyền ghi tệp '{path}'. Hãy chọn thư mục khác.") from None
    except OSError:
        raise Refused(f"không ghi được tệp '{path}'. Hãy kiểm tra đường dẫn và chỗ trống trên ổ đĩa.") from None


def _figures(store: Store, catalogue: Catalogue, snapshot: int | None):
    # The briefs bring Altair, vl-convert and python-docx: loaded by the commands that draw or write, never by
    # `--help` or an import.
    from briefs import load_figures

    try:
        return load_figures(store, catalogue, snapshot)
    except KeyError:
        raise UsageError(
            f"Không có lần chốt số liệu mã {snapshot}. Xem danh sách: python cli.py snapshot list"
        ) from None


def _has_month(figures, period: str) -> None:
    months = figures.months
    if not months:
        raise Refused("chưa có số liệu nào trong cơ sở dữ liệu; hãy nhập báo cáo trước (python cli.py import …).")
    if period not in months:
        raise Refused(
            f"chưa có số liệu nào của {fmt.month_long(period)}. "
            f"Các tháng có số liệu: {fmt.month(months[0])} đến {fmt.month(months[-1])}."
        )


# ---------------------------------------------------------------- commands


def cmd_chart(args: argparse.Namespace, catalogue: Catalogue) -> int:
    """One indicator month by month as a PNG that stands alone (title, unit, period, status, cut-off, source)."""
    code = _indicator(catalogue, args.code)
    period = period_arg(args.period)
    village = village_arg(catalogue, args.thon)
    out = _out(args.out, ".png")
    figures = _figures(store_for(args, catalogue), catalogue, args.snapshot)
    _has_month(figures, period)
    from briefs import NotByVillage, indicator_png

    try:
        png = indicator_png(figures, code, period, village)
    except NotByVillage as exc:
        raise Refused(str(exc)) from None
    _write(out, png)
    place = catalogue.village(village).name if village else catalogue.commune.name
    print(f"Đã ghi biểu đồ “{catalogue.indicator(code).name}” – {place}, {fmt.month_long(period)} vào {out}.")
    return EXIT_OK


def cmd_brief(args: argparse.Namespace, catalogue: Catalogue) -> int:
    """The month's Word brief, from the figures in force now or from a snapshot."""
    period = period_arg(args.period)
    out = _out(args.out, ".docx")
    figures = _figures(store_for(args, catalogue), catalogue, args.snapshot)
    _has_month(figures, period)
    from briefs import make_brief

    brief = make_brief(figures, period)
    _write(out, brief.docx)
    c = brief.content
    source = f"số liệu đã chốt “{figures.snapshot.name}”" if figures.snapshot else "số liệu hiện tại"
    print(
        f"Đã ghi báo cáo {fmt.month_long(period)} vào {out} (từ {source}): {len(c.rows)} chỉ tiêu, "
        f"{len(brief.images)} biểu đồ, {len(c.behind)} chỉ tiêu chậm tiến độ hoặc cần đẩy nhanh, "
        f"{len(c.missing_units)} đơn vị chưa gửi đủ báo cáo."
    )
    return EXIT_OK


def cmd_snapshot_create(args: argparse.Namespace, catalogue: Catalogue) -> int:
    from store import SnapshotError

    as_of = _day(args.as_of)
    store = store_for(args, catalogue)
    try:
        sid = store.freeze(args.name, as_of, args.user, catalogue=catalogue)
    except SnapshotError as exc:
        if exc.usage:
            raise UsageError(str(exc)) from None
        raise Refused(str(exc)) from None
    s = store.snapshot(sid)
    if args.json:
        print_json(_snapshot_json(s))
    else:
        print(
            f"Đã chốt số liệu mã {s.id} “{s.name}” đến ngày {fmt.date(s.as_of)}: {fmt.integer(s.rows)} dòng số liệu. "
            f"Lập báo cáo từ bản chốt này: python cli.py brief --period YYYY-MM --snapshot {s.id} --out baocao.docx"
        )
    return EXIT_OK


def _snapshot_json(s) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "as_of": s.as_of.isoformat(),
        "created_by": s.created_by,
        "created_at": s.created_at.isoformat(),
        "rows": s.rows,
    }


def cmd_snapshot_list(args: argparse.Namespace, catalogue: Catalogue) -> int:
    store = store_for(args, catalogue)
    frame = store.snapshots()
    if args.json:
        print_json([_snapshot_json(store.snapshot(int(i))) for i in frame["id"]])
        return EXIT_OK
    if frame.empty:
        print('Chưa có lần chốt số liệu nào. Chốt số liệu: python cli.py snapshot create --name "Họp giao ban"')
    for r in frame.itertuples(index=False):
        print(
            f"{r.id}: “{r.name}” – số liệu đến ngày {fmt.date(r.as_of)}, {fmt.integer(r.rows)} dòng; "
            f"{r.created_by} chốt lúc {fmt.datetime(r.created_at)}"
        )
    return EXIT_OK


def add_brief_commands(sub: argparse._SubParsersAction, db_option) -> None:
    """Register `chart`, `brief` and `snapshot create|list` on cli.py's sub-command parser."""
    p = sub.add_parser("chart", help="biểu đồ một chỉ tiêu (ảnh PNG để dán vào văn bản)")
    p.add_argument("code", metavar="MÃ_CHỈ_TIÊU")
    p.add_argument("--period", required=True, metavar="YYYY-MM", help="tháng báo cáo, ví dụ 2026-10")
    p.add_argument("--thon", metavar="TÊN_THÔN", help="chỉ vẽ một thôn (viết có dấu hoặc không dấu)")
    p.add_argument("--snapshot", type=int, metavar="MÃ", help="dùng số liệu đã chốt (xem: snapshot list)")
    p.add_argument("--out", required=True, metavar="TỆP.png")
    finish(p, db_option, cmd_chart)

    p = sub.add_parser("brief", help="báo cáo tiến độ tháng (tệp Word .docx)")
    p.add_argument("--period", required=True, metavar="YYYY-MM", help="tháng báo cáo, ví dụ 2026-10")
    p.add_argument("--snapshot", type=int, metavar="MÃ", help="lập từ số liệu đã chốt (xem: snapshot list)")
    p.add_argument("--out", required=True, metavar="TỆP.docx")
    finish(p, db_option, cmd_brief)

    snap = sub.add_parser("snapshot", help="chốt số liệu và xem các lần chốt")
    cmds = snap.add_subparsers(dest="snapshot_command", required=True, parser_class=type(snap), metavar="LỆNH")
    p = cmds.add_parser("create", help="chốt số liệu đang dùng (đến một ngày) dưới một tên")
    p.add_argument("--name", required=True, metavar="TÊN", help='ví dụ "Họp giao ban tháng 11"')
    p.add_argument("--as-of", metavar="NGÀY/THÁNG/NĂM", help="số liệu đến hết ngày này (mặc định hôm nay)")
    p.add_argument("--user", default=OPERATOR, help=argparse.SUPPRESS)
    finish(p, db_option, cmd_snapshot_create, json=True)

    p = cmds.add_parser("list", help="liệt kê các lần chốt số liệu")
    finish(p, db_option, cmd_snapshot_list, json=True)
