"""Cashless payments report (one collecting unit per row) → cashless share by count and by value."""

from __future__ import annotations

from ground.catalogue import Catalogue
from loaders.context import SheetContext, TotalsCheck
from loaders.headers import Concept, Match, Vocabulary, normalise
from loaders.model import Observation
from loaders.table import Column, Row
from loaders.text import count, quantity, vn_number

KIND = "khong_tien_mat"
DEFAULT_UNIT = "van-phong"

LABELS = {
    "unit": "Đơn vị",
    "count": "Tổng số giao dịch",
    "cashless_count": "Số giao dịch không dùng tiền mặt",
    "cash_count": "Số giao dịch tiền mặt",
    "value": "Tổng giá trị (đồng)",
    "cashless_value": "Giá trị không dùng tiền mặt (đồng)",
    "cash_value": "Giá trị tiền mặt (đồng)",
    "pct_count": "Tỷ lệ theo số giao dịch (%)",
    "pct_value": "Tỷ lệ theo giá trị (%)",
    "pct": "Tỷ lệ (%)",
}
_CASHLESS_CHILD = ("Không dùng tiền mặt", "TTKDTM", "Thanh toán không dùng tiền mặt", "Chuyển khoản", "Không tiền mặt",
                   "Thanh toán điện tử", "Qua ngân hàng, ví điện tử", "Phi tiền mặt")  # fmt: skip
_CASH_CHILD = ("Tiền mặt", "Bằng tiền mặt", "Thanh toán tiền mặt", "Thu tiền mặt")
_MONEY_SCALE = {"dong": 1.0, "nghin dong": 1_000.0, "trieu dong": 1_000_000.0}


def vocabulary(catalogue: Catalogue) -> Vocabulary:
    def names(code: str, part: str) -> tuple[str, ...]:
        ind = next((i for i in catalogue.indicators if i.code == code), None)
        col = getattr(ind, part, None) if ind else None
        return col.names if col else ()

    # fmt: off
    return Vocabulary(
        [
            Concept(
                "unit",
                ("Đơn vị", "Tên đơn vị", "Đơn vị thu", "Cơ quan, đơn vị", "Đơn vị thu phí", "Nơi thu",
                 "Cơ quan/đơn vị", "Điểm thu", "Tên cơ quan, đơn vị", "Đơn vị thu tiền", "Đơn vị báo cáo"),
            ),
            Concept(
                "count",
                (*names("ttkdtm_giao_dich", "denominator"),
                 "Tổng số giao dịch", "Số giao dịch", "Tổng số lượt giao dịch", "Số lượt giao dịch",
                 "Tổng số lượt thanh toán", "Số lượt thanh toán", "Tổng số khoản thu", "Tổng số lượt thu",
                 "Giao dịch", "Số lượng giao dịch", "Số món giao dịch"),
            ),
            Concept(
                "cashless_count",
                (*names("ttkdtm_giao_dich", "numerator"),
                 "Giao dịch không dùng tiền mặt", "Số giao dịch không dùng tiền mặt", "Số giao dịch TTKDTM",
                 "Số lượt thanh toán không dùng tiền mặt", "Lượt thanh toán không dùng tiền mặt",
                 "Số lượt giao dịch không dùng tiền mặt"),
                _CASHLESS_CHILD,
                under=("count",),
            ),
            Concept("cash_count", ("Giao dịch tiền mặt", "Số giao dịch tiền mặt"), _CASH_CHILD, under=("count",)),
            Concept(
                "value",
                (*names("ttkdtm_gia_tri", "denominator"),
                 "Tổng giá trị", "Tổng giá trị giao dịch", "Tổng giá trị thanh toán", "Giá trị", "Giá trị giao dịch",
                 "Tổng số tiền", "Số tiền", "Tổng số tiền thu", "Tổng tiền", "Giá trị thanh toán",
                 "Tổng số tiền đã thu", "Số tiền thu"),
            ),
            Concept(
                "cashless_value",
                (*names("ttkdtm_gia_tri", "numerator"),
                 "Giá trị không dùng tiền mặt", "Giá trị thanh toán không dùng tiền mặt", "Giá trị TTKDTM",
                 "Số tiền không dùng tiền mặt", "Số tiền thu không dùng tiền mặt",
                 "Số tiền thanh toán không dùng tiền mặt", "Giá trị giao dịch không dùng tiền mặt"),
                _CASHLESS_CHILD,
                under=("value",),
            ),
            Concept("cash_value", ("Giá trị tiền mặt", "Số tiền mặt", "Số tiền thu bằng tiền mặt"), _CASH_CHILD,
                    under=("value",)),
            Concept(
                "pct_count",
                ("Tỷ lệ giao dịch không dùng tiền mặt", "Tỷ lệ theo số giao dịch", "Tỷ lệ số giao dịch",
                 "Tỷ lệ số lượt"),
                ("Tỷ lệ",),
                under=("count",),
            ),
            Concept(
                "pct_value",
                ("Tỷ lệ giá trị", "Tỷ lệ theo giá trị", "Tỷ lệ giá trị không dùng tiền mặt", "Tỷ lệ về giá trị"),
                ("Tỷ lệ",),
                under=("value",),
            ),
            Concept("pct", ("Tỷ lệ", "Tỷ lệ TTKDTM", "Tỷ lệ không dùng tiền mặt")),
            Concept("misc", ("STT", "Số thứ tự", "Ghi chú", "Hình thức thanh toán", "Ngân hàng"), ignore=True),
        ]
    )
    # fmt: on


def score(matches: dict[int, Match], columns: list) -> int:
    keys = {m.key for m in matches.values() if m.key and not m.ignored}
    keys |= {k for m in matches.values() for k in m.candidates}
    has_count = "cashless_count" in keys and ("count" in keys or "cash_count" in keys)
    has_value = "cashless_value" in keys and ("value" in keys or "cash_value" in keys)
    if "unit" not in keys or not (has_count or has_value):
        return 0
    return 3 + len(keys)


def resolve(matches: dict[int, Match], columns: list[Column]) -> dict[int, Match]:
    """A sub-header "Không dùng tiền mặt" under "Trong đó" means the count or the value of the total on its left."""
    out = dict(matches)
    order = sorted(columns, key=lambda c: c.index)
    for col in order:
        m = out.get(col.index)
        if not m or not m.candidates:
            continue
        left = next(
            (
                out[c.index].key
                for c in reversed(order)
                if c.index < col.index and out[c.index].key in ("count", "value")
            ),
            None,
        )
        if left:
            family = "value" if left == "value" else "count"
            picked = [k for k in m.candidates if (k.endswith("value") or k == "pct_value") == (family == "value")]
            if len(picked) == 1:
                out[col.index] = Match(picked[0])
    return out


def read(ctx: SheetContext) -> None:
    unit_col = ctx.column_of("unit")
    cols = {k: ctx.column_of(k) for k in LABELS if k != "unit"}
    scale = _money_scale(ctx, [cols["value"], cols["cashless_value"], cols["cash_value"]])
    if scale is None:
        return
    pct = {"count": cols["pct_count"], "value": cols["pct_value"]}
    for bare in ctx.columns_of("pct"):
        left = max(
            (
                k
                for k in ("cashless_count", "count", "cashless_value", "value")
                if cols[k] and cols[k].index < bare.index
            ),
            key=lambda k: cols[k].index,
            default=None,
        )
        family = "value" if left and "value" in left else "count"
        if left and pct[family] is None:
            pct[family] = bare
    figures = [cols[k] for k in ("count", "cashless_count", "cash_count", "value", "cashless_value", "cash_value")]
    totals = TotalsCheck(ctx, figures)
    for row in totals.data_rows(ctx.table.rows(label_columns=(unit_col.index,))):
        errors = ctx.error_count
        v = {k: ctx.read(row, cols[k], count) for k in ("count", "cashless_count", "cash_count")}
        for k in ("value", "cashless_value", "cash_value"):
            got = ctx.read(row, cols[k], quantity)
            v[k] = None if got is None else got * scale
        for k, col in zip(("count", "cashless_count", "cash_count"), figures[:3], strict=True):
            totals.add(col, v[k])
        for k, col in zip(("value", "cashless_value", "cash_value"), figures[3:], strict=True):
            totals.add(col, None if v[k] is None else v[k] / scale)
        if all(x is None for x in v.values()) or ctx.error_count > errors:
            continue
        name = ctx.label(row, unit_col, name="tên đơn vị")
        if name is None:
            continue
        _pair(ctx, row, name, v, cols, "count", "ttkdtm_giao_dich", "số giao dịch", pct["count"])
        _pair(ctx, row, name, v, cols, "value", "ttkdtm_gia_tri", "giá trị", pct["value"])


def _money_scale(ctx: SheetContext, cols: list[Column | None]) -> float | None:
    scales = set()
    for col in cols:
        if col is None:
            continue
        units = [u for p in col.parts for u in normalise(p).units]
        money = [u for u in units if u in _MONEY_SCALE]
        scales.add(_MONEY_SCALE[money[-1]] if money else 1.0)
    if len(scales) > 1:
        ctx.problem(
            "Các cột giá trị ghi theo đơn vị tiền khác nhau (đồng / nghìn đồng / triệu đồng); hãy ghi cùng một "
            "đơn vị, tốt nhất là đồng.",
        )
        return None
    return scales.pop() if scales else 1.0


def _pair(ctx: SheetContext, row: Row, name: str, v: dict, cols: dict, fam: str, code: str, what: str, pct) -> None:
    total, cashless, cash = v[fam], v[f"cashless_{fam}"], v[f"cash_{fam}"]
    col = cols[f"cashless_{fam}"] or cols[fam]
    if cashless is None and total is not None and cash is not None:
        cashless = total - cash
    if total is None and cashless is not None and cash is not None:
        total = cashless + cash
    if cashless is None or total is None:
        if cashless is not None:
            ctx.problem(
                f"Đơn vị '{name}': có {what} không dùng tiền mặt nhưng thiếu tổng {what}; hãy điền tổng {what}.",
                row.number,
                (cols[fam] or col).index,
            )
        return
    if cashless > total or cashless < 0:
        ctx.problem(
            f"Đơn vị '{name}': {what} không dùng tiền mặt ({vn_number(cashless)}) lớn hơn tổng {what} "
            f"({vn_number(total)}), tỷ lệ vượt 100%; hãy kiểm tra lại.",
            row.number,
            col.index if col else None,
        )
        return
    given = v[f"cashless_{fam}"]
    if v[fam] is not None and given is not None and cash is not None and abs(given + cash - v[fam]) > 0.5:
        ctx.problem(
            f"Đơn vị '{name}': {what} tiền mặt + không dùng tiền mặt = {vn_number(v[f'cashless_{fam}'] + cash)}, "
            f"khác tổng {what} ({vn_number(v[fam])}); hãy kiểm tra lại.",
            row.number,
            cols[f"cash_{fam}"].index,
            severity="warning",
        )
    ctx.observations.append(
        Observation(code, ctx.period, float(cashless), float(total), None, ("don_vi", name), ctx.sheet, row.number)
    )
    ctx.check_percent(row, pct, cashless, total, f"{what} không dùng tiền mặt")
