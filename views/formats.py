"""Vietnamese text for a figure given its unit of measure: quantities, paces per month, signed changes (pure)."""

from __future__ import annotations

from ground import fmt


def decimals(x: float) -> int:
    """Enough decimals to read a figure, no more: 8.333 cây · 416,7 cây · 2,39 sản phẩm."""
    size = abs(x)
    return 0 if size >= 1000 else 1 if size >= 10 else 2


def quantity(x: object, unit: str) -> str:
    """A figure with its unit: 8.370 cây · 8.333 cây · 416,7 cây · 63,2% (needless zeros dropped)."""
    if x is None or x != x:
        return fmt.MISSING
    v = float(x)
    if unit == "%":
        return fmt.percent(v, 1)
    text = fmt.number(v, decimals(v), trim=True)
    return f"{text} {unit}" if unit else text


def pace(x: object, unit: str) -> str:
    """A change per month: "830,7 cây/tháng", "2,1 điểm %/tháng"."""
    v = float(x)
    text = fmt.points(v) if unit == "%" else fmt.quantity(v, unit, 1 if abs(v) < 100 else 0)
    return f"{text}/tháng"


def change(x: object, unit: str) -> str:
    """A signed change: "+1.134 cây", "−0,8 điểm %"."""
    text = fmt.signed(float(x), 1)
    if text == fmt.MISSING:
        return text
    return f"{text} điểm %" if unit == "%" else f"{text} {unit}"
