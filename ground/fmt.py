"""Vietnamese formatting of every number, percent, month and date a user reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

MISSING = "–"  # shown wherever a figure is absent
MINUS = "−"  # U+2212: the typographic minus, also what Vega's d3-format prints

__all__ = [
    "MISSING",
    "date",
    "datetime",
    "integer",
    "money",
    "month",
    "month_long",
    "number",
    "percent",
    "points",
    "quantity",
    "signed",
]

_date = date
_datetime = datetime


def is_missing(x: object) -> bool:
    """None, an empty text, NaN, NaT or pandas' NA: a cell shown as fmt.MISSING."""
    if x is None:
        return True
    if isinstance(x, str):
        return x == ""
    try:
        return bool(x != x)  # NaN, NaT: the only values unequal to themselves
    except TypeError:  # pandas.NA refuses to be a truth value
        return True


def _default_decimals(x: float) -> int:
    # Two decimals are enough to tell 0,35 ha from 0,4 ha; big figures never need them.
    return 0 if abs(x) >= 10_000 else 2


def number(x: float | int | None, decimals: int | None = None, *, trim: bool | None = None) -> str:
    """1234.5 → "1.234,5": "." groups thousands, "," marks decimals; None/NaN → "–".

    With `decimals=None` up to two decimals are shown (none from 10.000 up) and needless trailing
    zeros dropped (20000 → "20.000", 63.25 → "63,25", 2.50 → "2,5"). With explicit decimals the figure is
    fixed ("2,0") unless `trim=True`. Rounding is half-up, as people round by hand.
    """
    if is_missing(x):
        return MISSING
    if trim is None:
        trim = decimals is None
    if decimals is None:
        decimals = _default_decimals(float(x))
    q = Decimal(repr(float(x)) if isinstance(x, float) else str(x))
    q = q.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = MINUS if q < 0 else ""  # a figure that rounds to zero loses its sign: never "−0"
    whole, _, frac = f"{abs(q):f}".partition(".")
    if trim:
        frac = frac.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + (f"{grouped},{frac}" if frac else grouped)


def integer(x: float | int | None) -> str:
    """Rounded to a whole number with thousands grouped: 12499.6 → "12.500"."""
    return number(x, 0)


def percent(x: float | None, decimals: int = 1, *, trim: bool = True) -> str:
    """A share already in percent: 63.24 → "63,2%"; 80 → "80%" (needless ",0" dropped unless trim=False)."""
    text = number(x, decimals, trim=trim)
    return text if text == MISSING else f"{text}%"


def points(x: float | None, decimals: int = 1) -> str:
    """A difference between two percentages: 2.14 → "2,1 điểm %"."""
    text = number(x, decimals, trim=True)
    return text if text == MISSING else f"{text} điểm %"


def signed(x: float | None, decimals: int = 1) -> str:
    """A change with its sign always written: 1.2 → "+1,2", -0.8 → "−0,8", 0 → "0"."""
    text = number(x, decimals, trim=True)
    if text == MISSING or text.startswith(MINUS) or not text.strip("0,."):
        return text
    return "+" + text


def money(x: float | None) -> str:
    """An amount in đồng, rounded to the đồng: 12500000 → "12.500.000 đ"."""
    text = number(x, 0)
    return text if text == MISSING else f"{text} đ"


def quantity(x: float | None, unit: str, decimals: int | None = None) -> str:
    """A figure with its unit of measure: (63.2, "%") → "63,2%", (1500, "cây") → "1.500 cây"."""
    if unit == "%":
        return percent(x, 1 if decimals is None else decimals)
    text = number(x, decimals)
    return text if text == MISSING or not unit else f"{text} {unit}"


def _period_parts(p: object) -> tuple[int, int]:
    if isinstance(p, str):
        year, mon = p[:7].split("-")
        return int(year), int(mon)
    if isinstance(p, _date):  # datetime and pandas.Timestamp are dates too
        return p.year, p.month
    raise TypeError(f"không hiểu tháng {p!r}")


def month(p: str | date | None) -> str:
    """A reporting month: "2026-10" (or any date in it) → "T10/2026"."""
    if is_missing(p):
        return MISSING
    year, mon = _period_parts(p)
    return f"T{mon}/{year}"


def month_long(p: str | date | None) -> str:
    """A reporting month in running text: "2026-10" → "tháng 10/2026"."""
    if is_missing(p):
        return MISSING
    year, mon = _period_parts(p)
    return f"tháng {mon}/{year}"


def _as_datetime(d: object) -> _datetime:
    if isinstance(d, _datetime):
        return d
    if isinstance(d, _date):
        return _datetime(d.year, d.month, d.day)
    if isinstance(d, str):
        return _datetime.fromisoformat(d)
    raise TypeError(f"không hiểu ngày {d!r}")


# The public names date/datetime read best as fmt.date(...); the stdlib types live on as _date/_datetime.
def date(d: date | datetime | str | None) -> str:
    """Day first, always two digits: 2026-09-05 → "05/09/2026"."""
    if is_missing(d):
        return MISSING
    return _as_datetime(d).strftime("%d/%m/%Y")


def datetime(d: datetime | str | None) -> str:
    """Day first with hours and minutes: "05/09/2026 14:03"."""
    if is_missing(d):
        return MISSING
    return _as_datetime(d).strftime("%d/%m/%Y %H:%M")
