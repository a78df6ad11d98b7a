"""`cli.py value`: one indicator's figure for a month, with the dashboard's own status."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from commands.args import EXIT_OK, UsageError, period_arg, print_json, store_for, village_arg
from ground import fmt
from ground.catalogue import Catalogue
from ground.text import fold

if TYPE_CHECKING:
    from store import Store


def figure(store: Store, catalogue: Catalogue, code: str, period: str, village: str | None) -> dict:
    """{"indicator", "period", "thon", "value", "unit", "cumulative", "target", "status"} for one month.

    value: flow Σ of the month, ratio Σnumerator ÷ Σdenominator × 100, stock Σ of the month's rows (the level
    at its end); None when nothing in force covers the month. cumulative: flows only, Σ of the monthly
    values from the plan start through the month (None when none was reported; None for ratio and stock).
    target: the catalogue's commune target for the phase the month falls in (also with a village).
    status: the Vietnamese status label from indicators.assess, the same function the dashboard uses.
    """
    import pandas as pd  # loaded by the store already; imported here so that `--help` loads neither

    from indicators import assess, month_value, village_share

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
        print_json(f)
    else:
        print(describe_figure(f, catalogue))
    return EXIT_OK


def add_value_command(sub: argparse._SubParsersAction, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("value", help="số liệu một chỉ tiêu trong một tháng")
    p.add_argument("code", metavar="MÃ_CHỈ_TIÊU")
    p.add_argument("--period", required=True, metavar="YYYY-MM")
    p.add_argument("--thon", metavar="TÊN_THÔN", help="chỉ tính một thôn (viết có dấu hoặc không dấu)")
    db_option(p)
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.set_defaults(func=cmd_value)
