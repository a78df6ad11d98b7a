"""The reporting month of a sheet: read from its title block, sheet name or file name, and the signing date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from ground.text import fold
from loaders.text import column_letter

FIRST_PERIOD, LAST_PERIOD = "2020-01", "2060-12"

# The signing line "An Phú, ngày 05 tháng 11 năm 2026" (or "ngày 05/11/2026" after a place and a comma).
_SIGNED = re.compile(
    r"^(?:[^,]{1,40},\s*)?ngay\s*(\d{1,2})\s*(?:thang\s*(\d{1,2})\s*nam|[/.-]\s*(\d{1,2})\s*[/.-])\s*(\d{4})"
)
_DATE_IN_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_RANGE = re.compile(rf"tu\s*(?:ngay\s*)?{_DATE}\s*(?:den|toi|-)\s*(?:het\s*)?(?:ngay\s*)?{_DATE}")
_AS_OF = re.compile(
    rf"(?:tinh\s*den|cap\s*nhat\s*(?:den|toi)|den\s*ngay|tai\s*thoi\s*diem|tai\s*ngay|chot\s*(?:den|ngay)|"
    rf"tinh\s*toi)\s*(?:het\s*)?(?:ngay\s*)?{_DATE}"
)
_MONTH = re.compile(r"(?<![a-z0-9])(?:thang|t)\s*\.?\s*(\d{1,2})\s*(?:nam|/|-|\.|,)\s*(?:nam\s*)?(\d{4})(?!\d)")
_MONTH_ONLY = re.compile(r"(?<![a-z0-9])thang\s*(\d{1,2})(?![\d/.-])")
_YEAR = re.compile(r"(?<![a-z0-9])nam\s*(\d{4})(?!\d)")
_SHEET = re.compile(r"^(?:t|thang|th)\s*\.?\s*(\d{1,2})(?:\s*[-/._ ]\s*(?:nam\s*)?(\d{4}))?$")
_SHEET_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/._]\s*(\d{4})$")
_FILE_PATTERNS = (
    re.compile(r"(?<![a-z0-9])(?:thang|t|th)\s?(\d{1,2})\s(?:nam\s)?(\d{4})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})\s(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{1,2})\s(\d{4})(?!\d)"),
)


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_label(period: str) -> str:
    """'2026-10' → 'tháng 10/2026', for messages."""
    y, m = period.split("-")
    return f"tháng {int(m)}/{y}"


def month_end(period: str) -> date:
    y, m = int(period[:4]), int(period[5:7])
    return date(y, m, calendar.monthrange(y, m)[1])


def in_range(period: str) -> bool:
    return FIRST_PERIOD <= period <= LAST_PERIOD


def signed_on(line: str) -> date | None:
    """The signing date of a place-and-date line, or None when the line is not one."""
    m = _SIGNED.match(fold(line))
    if not m:
        return None
    d, mo, y = int(m.group(1)), int(m.group(2) or m.group(3)), int(m.group(4))
    try:
        return date(y, mo, d)
    except ValueError:
        return None


@dataclass
class Found:
    """Months a piece of text states, and the problems met while reading them."""

    periods: list[str] = field(default_factory=list)
    year: int | None = None  # a year written alone ("NĂM 2026"), to complete a sheet named "T10"
    month: int | None = None  # a month written without its year ("THÁNG 10")
    problems: list[str] = field(default_factory=list)


def months_in_text(line: str) -> Found:
    """Months a title-block line states: 'THÁNG 10 NĂM 2026', 'T10-2026', a date range, an as-of date.

    The signing line ("An Phú, ngày 05 tháng 11 năm 2026") states no month: it is when the report was signed.
    """
    out = Found()
    if signed_on(line) is not None:
        return out
    # A full date in words ("ngày 31 tháng 10 năm 2026") is a date, not the month "tháng 10 năm 2026".
    f = _DATE_IN_WORDS.sub(r"ngay \1/\2/\3", fold(line))
    for m in _RANGE.finditer(f):
        d1 = _safe_date(m.group(3), m.group(2), m.group(1))
        d2 = _safe_date(m.group(6), m.group(5), m.group(4))
        if d1 is None or d2 is None:
            out.problems.append(f"khoảng thời gian '{line.strip()}' có ngày không có thật")
        elif (d1.year, d1.month) != (d2.year, d2.month):
            out.problems.append(
                f"kỳ báo cáo '{line.strip()}' kéo dài nhiều tháng; mỗi tệp chỉ báo cáo một tháng "
                "(hoặc chia mỗi tháng một trang tính)"
            )
        else:
            out.periods.append(period_of(d1.year, d1.month))
    f = _RANGE.sub(" ", f)
    for m in _AS_OF.finditer(f):
        d = _safe_date(m.group(3), m.group(2), m.group(1))
        if d is None:
            out.problems.append(f"ngày trong '{line.strip()}' không có thật")
        else:
            out.periods.append(period_of(d.year, d.month))
    f = _AS_OF.sub(" ", f)
    for m in _MONTH.finditer(f):
        mo, y = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            out.periods.append(period_of(y, mo))
    rest = _MONTH.sub(" ", f)
    m = _MONTH_ONLY.search(rest)
    if m and 1 <= int(m.group(1)) <= 12:
        out.month = int(m.group(1))
    m = _YEAR.search(rest)
    if m:
        out.year = int(m.group(1))
    return out


def _safe_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def month_of_sheet_name(name: str) -> tuple[int, int | None] | None:
    """(month, year or None) from a sheet named 'T10', 'Thang 10', 'Tháng 10', 'T10-2026', '10.2026'."""
    f = fold(name)
    m = _SHEET.match(f) or _SHEET_NUMERIC.match(f)
    if not m:
        return None
    month = int(m.group(1))
    if not 1 <= month <= 12:
        return None
    return month, (int(m.group(2)) if m.group(2) else None)


def period_of_file_name(file_name: str) -> str | None:
    """The month a file name states ('BC_T10_2026.xlsx', 'bao cao thang 10 nam 2026.xls', '2026-10.xlsx')."""
    stem = fold(PurePath(file_name or "").stem)
    stem = re.sub(r"[^a-z0-9]+", " ", stem).strip()
    for i, pat in enumerate(_FILE_PATTERNS):
        for m in pat.finditer(stem):
            a, b = int(m.group(1)), int(m.group(2))
            year, month = (a, b) if i == 1 else (b, a)
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return period_of(year, month)
    return None


@dataclass
class SheetPeriod:
    """The month of one sheet and where it came from; problems are (message, row or None, severity)."""

    period: str | None = None
    stated: str | None = None  # the month the workbook itself states (title block or sheet name)
    problems: list[tuple[str, int | None, str]] = field(default_factory=list)


def sheet_period(
    sheet_name: str,
    title_lines: list[tuple[int, int, str]],
    file_name: str,
    given: str | None,
    *,
    from_rows: bool = False,
    dates: list[tuple[int, int, str]] = (),
) -> SheetPeriod:
    """Resolve a sheet's month: the workbook wins, the file name only fills a silence, `given` must agree.

    `dates` are the title block's date cells as read with their labels (Table.title_dates), named by their cell
    in messages. `from_rows` is for a log whose rows carry dates: without a stated month the rows decide, and the
    file name is not used.
    """
    out = SheetPeriod()
    stated: dict[str, int | None] = {}  # period → first row stating it
    where: dict[str, str] = {}  # period → the first place stating it, as messages name it ("dòng 6", "ô C6")
    year: int | None = None
    month_only: tuple[int, int] | None = None
    lines = [(r, f"dòng {r + 1}", text) for r, _c, text in title_lines]
    lines += [(r, f"ô {column_letter(c)}{r + 1}", text) for r, c, text in dates]
    for r, place, text in lines:
        found = months_in_text(text)
        for msg in found.problems:
            out.problems.append((f"Kỳ báo cáo: {msg}.", r + 1, "error"))
        for p in found.periods:
            stated.setdefault(p, r + 1)
            where.setdefault(p, place)
        year = year or found.year
        if found.month and month_only is None:
            month_only = (found.month, r + 1)
    if year is None and stated:
        year = int(next(iter(stated))[:4])
    by_name = month_of_sheet_name(sheet_name)
    file_period = period_of_file_name(file_name)
    if month_only is not None and (year or given or file_period):
        y = year or int((given or file_period)[:4])
        p = period_of(y, month_only[0])
        stated.setdefault(p, month_only[1])
        where.setdefault(p, f"dòng {month_only[1]}")
    if by_name is not None:
        month, y = by_name
        y = y or year
        if y is None and not stated:
            y = int(given[:4]) if given else (int(file_period[:4]) if file_period else None)
        if y is None:
            out.problems.append(
                (
                    f"Tên trang '{sheet_name}' là tháng {month} nhưng không tìm thấy năm; hãy ghi năm ở đầu trang "
                    "(ví dụ 'Tháng 10 năm 2026') hoặc chọn tháng khi tải lên.",
                    None,
                    "error",
                )
            )
            return out
        name_period = period_of(y, month)
        if stated and name_period not in stated:
            first = next(iter(stated))
            out.problems.append(
                (
                    f"Tên trang '{sheet_name}' là {month_label(name_period)} nhưng đầu trang ghi {month_label(first)} "
                    f"({where[first]}). Hãy sửa tên trang hoặc tiêu đề cho cùng một tháng.",
                    stated[first],
                    "error",
                )
            )
            return out
        stated.setdefault(name_period, None)
    if len(stated) > 1:
        listing = " và ".join(f"{month_label(p)}" + (f" ({where[p]})" if r else "") for p, r in stated.items())
        out.problems.append(
            (
                f"Đầu trang ghi hai tháng báo cáo khác nhau: {listing}. Hãy sửa cho đúng một tháng báo cáo.",
                next(r for r in stated.values() if r),
                "error",
            )
        )
        return out
    if stated:
        p, row = next(iter(stated.items()))
        out.stated = p
        if not in_range(p):
            out.problems.append(
                (
                    f"Tháng báo cáo {month_label(p)} nằm ngoài khoảng cho phép (tháng 1/2020 – tháng 12/2060); hãy "
                    "kiểm tra lại năm.",
                    row,
                    "error",
                )
            )
            return out
        if given and given != p:
            place = where[p] if row else f"tên trang '{sheet_name}'"
            out.problems.append(
                (
                    f"Tệp ghi kỳ báo cáo {month_label(p)} ({place}) nhưng tháng được chọn khi tải lên là "
                    f"{month_label(given)}. Hãy chọn lại tháng cho đúng hoặc sửa tháng ghi trong tệp.",
                    row,
                    "error",
                )
            )
            return out
        if file_period and file_period != p and not from_rows:
            out.problems.append(
                (
                    f"Tên tệp ghi {month_label(file_period)} nhưng trong tệp ghi {month_label(p)}; dùng tháng ghi "
                    "trong tệp.",
                    row,
                    "warning",
                )
            )
        out.period = p
        return out
    if given:
        out.period = given
    elif file_period and not from_rows:
        if not in_range(file_period):
            out.problems.append(
                (
                    f"Tên tệp ghi {month_label(file_period)}, nằm ngoài khoảng tháng 1/2020 – tháng 12/2060.",
                    None,
                    "error",
                )
            )
            return out
        out.period = file_period
    return out
