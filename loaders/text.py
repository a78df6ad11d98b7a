"""Text helpers shared by every loader: accents, spacing, Vietnamese numbers, percents, dates and stars."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from ground.text import fold

_SPACE = re.compile(r"\s+")


class CellError(ValueError):
    """A cell's value cannot be read with certainty; the message (Vietnamese) says why and what to do."""


def clean(text: object) -> str:
    """The text as written, in NFC, with runs of spaces and line breaks collapsed to one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(text if text is not None else ""))).strip()


def column_letter(index: int) -> str:
    """Spreadsheet letters of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: bytes) -> int:
    """The 1-based column of a cell reference's letters as a workbook's XML writes them: b"A" → 1, b"AA" → 27."""
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def vn_number(value: float, decimals: int | None = None) -> str:
    """A number the Vietnamese way for messages: 1.234,5 (whole numbers without decimals)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    s = f"{value:,.{decimals}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    if "," in s:
        s = s.rstrip("0").rstrip(",")
    return s


def vn_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def describe(value: object) -> str:
    """A cell's value quoted as the user sees it, for messages."""
    if isinstance(value, datetime | date):
        return vn_date(value if isinstance(value, date) else value.date())
    if isinstance(value, float):
        return vn_number(value)
    return f"'{clean(value)}'"


# ---------------------------------------------------------------- numbers

# Words that may follow a figure in a cell ("120 cây", "12.500.000 đ"); they do not change the figure.
_UNIT_WORDS = {
    "d", "dong", "vnd", "vnđ", "₫", "đ", "cay", "ho", "nguoi", "ha", "kg", "tan", "buoi", "tin", "bai", "xe", "vu",
    "luot", "ho so", "giao dich", "san pham", "co so", "khu", "mo hinh", "truong", "hoc sinh", "nhan khau", "m2",
    "m²", "lan", "cuoc", "hs", "gd", "trieu dong",
}  # fmt: skip
_NUMBER_TEXT = re.compile(r"^([+-]?)\s*(\d[\d.,\s]*?)\s*([^\d\s.,].*)?$")
_DASHES = {"-", "–", "—", "--", "…", "..."}


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and (not value.strip() or value.strip() in _DASHES))


def number(value: object) -> float | None:
    """A figure from a cell: real numbers as they are, Vietnamese text ("1.250", "12,5", "12.500.000 đ").

    Empty cells and a lone dash give None. Raise CellError when the text is not a number or could
    mean two things ("1,250": 1,25 or 1.250?).
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError("ô chứa giá trị đúng/sai (TRUE/FALSE), không phải số; hãy nhập số")
    if isinstance(value, int | float):
        v = float(value)
        if math.isnan(v) or math.isinf(v):
            raise CellError("ô chứa giá trị không phải số; hãy nhập số")
        return v
    if isinstance(value, datetime | date | time | timedelta):
        raise CellError(
            f"ô đang là ngày/giờ ({describe(value)}), không phải số; có thể Excel đã tự đổi số thành ngày — "
            "hãy định dạng ô là Số (Number) rồi nhập lại"
        )
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").replace("\u202f", " ").strip()
    if not text or text in _DASHES:
        return None
    if text.startswith("#"):
        raise CellError(f"ô có lỗi công thức {text}; hãy sửa công thức hoặc nhập số")
    m = _NUMBER_TEXT.match(text)
    if not m:
        raise CellError(f"không đọc được '{text}' là số; hãy nhập số, ví dụ 1.250 hoặc 12,5")
    sign, digits, suffix = m.groups()
    if suffix:
        sfx = fold(suffix).strip(" .")
        if sfx not in _UNIT_WORDS:
            raise CellError(f"không đọc được '{text}' là số; hãy chỉ nhập số, ví dụ 1.250 hoặc 12,5")
        if sfx == "trieu dong":
            raise CellError(f"'{text}' ghi theo triệu đồng; hãy ghi số tiền đầy đủ bằng đồng, ví dụ 12.500.000")
    v = _digits(digits.strip(), text)
    return -v if sign == "-" else v


def _digits(s: str, text: str) -> float:
    if s.isdigit():
        return float(s)
    if " " in s:
        # Spaces as thousands separators: "1 250", "1 250,5".
        head, _, dec = s.partition(",")
        groups = head.split()
        if len(groups[0]) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups[1:]) and "." not in s:
            return _digits("".join(groups) + ("," + dec if dec else ""), text)
        raise CellError(f"không đọc được '{text}' là số; hãy nhập lại không có khoảng trắng giữa các chữ số")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", s):
            return float(s.replace(".", "").replace(",", "."))
        if re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", s):
            return float(s.replace(",", ""))
        raise CellError(f"không đọc được '{text}' là số (dấu chấm và dấu phẩy lẫn lộn); hãy nhập lại, ví dụ 1.250,5")
    if dots:
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
            return float(s.replace(".", ""))
        if dots == 1 and re.fullmatch(r"\d+\.\d+", s):
            alt = s.replace(".", ",")
            raise CellError(
                f"'{text}' không phải cách viết số kiểu Việt Nam (dấu chấm chỉ dùng để ngăn cách hàng nghìn). "
                f"Nếu là số thập phân hãy viết {alt}; hãy nhập lại cho rõ"
            )
        raise CellError(f"không đọc được '{text}' là số; hãy nhập lại, ví dụ 1.250.000")
    if commas == 1:
        head, dec = s.split(",")
        if not head or not dec:
            raise CellError(f"không đọc được '{text}' là số; hãy nhập lại")
        if len(dec) == 3 and len(head) <= 3 and not head.startswith("0"):
            as_thousands = vn_number(float(head + dec))
            raise CellError(
                f"'{text}' có thể hiểu là {head},{dec} (số thập phân) hoặc {as_thousands} (dấu phẩy ngăn cách "
                f"hàng nghìn kiểu tiếng Anh); hãy nhập lại: {head},{dec.rstrip('0') or '0'} hoặc {as_thousands}"
            )
        return float(f"{head}.{dec}")
    if re.fullmatch(r"\d{1,3}(,\d{3}){2,}", s):
        # "1,250,000" has only one reading (grouping); a decimal cannot have two commas.
        return float(s.replace(",", ""))
    raise CellError(f"không đọc được '{text}' là số; hãy nhập lại, ví dụ 1.250 hoặc 12,5")


def count(value: object) -> int | None:
    """A whole, non-negative count (trees, dossiers, households…); CellError otherwise."""
    if value.__class__ is float and value >= 0 and value.is_integer():  # fast path: most cells are numbers
        return int(value)
    v = number(value)
    if v is None:
        return None
    if v < 0:
        raise CellError(f"số lượng không thể âm ({vn_number(v)}); hãy sửa lại")
    if abs(v - round(v)) > 1e-9:
        raise CellError(f"số lượng phải là số nguyên, ô đang ghi {vn_number(v)}; hãy sửa lại")
    return round(v)


def quantity(value: object) -> float | None:
    """A non-negative measured quantity (tonnes, hectares, đồng); CellError when negative or unreadable."""
    v = number(value)
    if v is not None and v < 0:
        raise CellError(f"giá trị không thể âm ({vn_number(v)}); hãy sửa lại")
    return v


def percent_readings(value: object) -> tuple[float, ...]:
    """The possible readings, in percent, of a cell in a percentage column.

    "85%" is 85; a real 0.85 may be a percent-formatted cell (85) or 0,85%; a real 85 is 85 (or
    8.500% if percent-formatted). Returns () for an empty cell; CellError for unreadable text.
    """
    if is_blank(value):
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            v = number(text[:-1].strip())
            return () if v is None else (v,)
        v = number(text)
        return () if v is None else (v, v * 100)
    v = number(value)
    return () if v is None else (v, v * 100)


# ---------------------------------------------------------------- dates

_DMY = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:\s+\d{1,2}[:h]\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|,)\s*(\d{4})$")
_SERIAL_MIN, _SERIAL_MAX = 36526, 62000  # Excel day numbers for 2000-01-01 … ~2069


def to_date(value: object) -> date | None:
    """A date from a cell: real dates, day-first text ("05/09/2026" is 5 September), ISO text.

    Empty → None; impossible or unreadable dates raise CellError.
    """
    cls = value.__class__
    if cls is date:
        return value  # type: ignore[return-value]
    if cls is datetime:
        return value.date()  # type: ignore[union-attr]
    if is_blank(value):
        return None
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    if isinstance(value, bool | time | timedelta):
        raise CellError(f"ô ghi {describe(value)}, không phải ngày; hãy nhập ngày dạng 05/09/2026")
    if isinstance(value, int | float):
        hint = ""
        if _SERIAL_MIN <= value <= _SERIAL_MAX and float(value).is_integer():
            as_date = date(1899, 12, 30) + timedelta(days=int(value))
            hint = f" (nếu đây là ngày {vn_date(as_date)}, hãy định dạng ô kiểu Ngày)"
        raise CellError(f"ô ghi số {describe(value)}, không phải ngày{hint}; hãy nhập ngày dạng 05/09/2026")
    text = clean(value)
    m = _DMY.match(text)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(3)), m.group(4)
        year = int(y) if len(y) == 4 else 2000 + int(y)
        return _checked(year, mo, d, text, day_first=True)
    m = _YMD.match(text)
    if m:
        return _checked(int(m.group(1)), int(m.group(3)), int(m.group(4)), text)
    m = _WORDS.match(fold(text))
    if m:
        return _checked(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    raise CellError(f"không đọc được '{text}' là ngày; hãy nhập ngày dạng ngày/tháng/năm, ví dụ 05/09/2026")


def _checked(year: int, month: int, day: int, text: str, day_first: bool = False) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        hint = " (ngày ghi trước, tháng ghi sau: 05/09/2026 là ngày 5 tháng 9)" if day_first and month > 12 else ""
        raise CellError(f"ngày '{text}' không có thật{hint}; hãy sửa lại") from None


# ---------------------------------------------------------------- star ratings

_STAR_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
_STARS = re.compile(r"^(?:hang\s*)?(?:ocop\s*)?(\d|mot|hai|ba|bon|tu|nam)\s*(?:sao|\*|★|☆)?(?:\s*ocop)?$")


def stars(value: object) -> int | None:
    """An OCOP star rating from "3 sao", "4★", "4", "***", "3*", "Hạng 4 sao"; CellError if unreadable."""
    if is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 5:
            return int(value)
        raise CellError(f"hạng sao {describe(value)} không hợp lệ; hạng sao OCOP từ 1 đến 5, ví dụ '4 sao'")
    text = clean(value)
    squeezed = text.replace(" ", "")
    if squeezed and set(squeezed) <= {"*", "★", "☆"}:
        n = len(squeezed)
    else:
        m = _STARS.match(fold(text).strip(" ."))
        if not m:
            raise CellError(f"không đọc được hạng sao '{text}'; hãy ghi như '3 sao', '4 sao' hoặc '5 sao'")
        g = m.group(1)
        n = int(g) if g.isdigit() else _STAR_WORDS[g]
    if not 1 <= n <= 5:
        raise CellError(f"hạng sao '{text}' không hợp lệ; hạng sao OCOP từ 1 đến 5")
    return n
