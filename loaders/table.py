"""Table anatomy of a report sheet: title block, (two-level) header, column numbers, sections, totals, footer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice, repeat
from operator import itemgetter, sub

from ground.text import fold
from loaders.text import clean, column_letter
from loaders.workbook import Sheet

_JUDGED_CAP = 50_000  # distinct label texts remembered per table: a log's names repeat; unique notes need no cache
HEADER_SEARCH_ROWS = 30  # the header is usually in rows 1-15; look further to be safe
MAX_HEADER_DEPTH = 3

_FOOTER = re.compile(
    r"^(?:ghi chu|luu y|nguoi lap|nguoi tong hop|nguoi bao cao|thu truong|lanh dao|chu tich|pho chu tich|"
    r"t/?m\b|tm\.|kt\.|kt |q\. ?|noi nhan|xac nhan|ke toan|giam doc|pho giam doc|truong phong|truong tram|"
    r"hieu truong|ky ten|\(ky|can bo lap|nguoi ky|duyet)"
)
_ROMAN = re.compile(r"^(?:[ivx]{1,5}|[a-h])\s*[.)]?$")
# A printed form's column reference: "(3)", "3", "C"; after "=" the form's arithmetic, written in references too:
# "(3)=(4)+(5)+(6)", "6=4x5", "(7)=(5)/(6)*100", "(9)=(7):(8)x100%" (folded text).
_TERM = r"(?:\(\s*(?:\d{1,2}|[a-z])\s*\)|\d{1,3}(?:[.,]\d+)?\s*%?|[a-z]|\.{2,3}|…)"
_OP = r"[-+*/x×:÷−–]"
_COLUMN_NUMBER = re.compile(rf"^\(?\s*(\d{{1,2}}|[a-z])\s*\)?(?:\s*=\s*{_TERM}(?:\s*{_OP}\s*{_TERM})*)?$")
_REFERENCE_MAX = 80  # characters: "(3)=(4)+(5)+(6)+(7)+(8)+(9)+(10)" and longer sums still fit
_TOTAL_FIRST = {"tong", "cong", "tong cong", "tong so", "toan xa", "toan don vi", "cong chung", "tong hop"}
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Column:
    """A table column: header texts from the top header row down (merged parents first)."""

    index: int
    parts: tuple[str, ...]

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def label(self) -> str:
        return " › ".join(self.parts)


@dataclass(slots=True)
class Row:
    """A row below the header: `index` is 0-based, `number` the row number the user sees."""

    index: int
    values: list
    kind: str  # "data" | "total" | "commune" (a "Toàn xã" row) | "section"
    section: str = ""

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class Table:
    sheet: Sheet
    header_top: int
    header_bottom: int
    columns: list[Column]
    data_start: int
    # (row, column, text) of each non-empty cell above the header: the title block.
    title_lines: list[tuple[int, int, str]] = field(default_factory=list)
    # (row, column, text) of each date cell of the title block, written as a person reads it with its label
    # ("Kỳ báo cáo:" beside 01/08/2026 → "Kỳ báo cáo: tháng 8/2026"; "An Phú, ngày" beside 05/11/2026 → the whole
    # signing line); see `date_line`.
    title_dates: list[tuple[int, int, str]] = field(default_factory=list)
    footer_lines: list[str] = field(default_factory=list)  # filled by rows(): texts from the footer on
    _by_column: dict[tuple[str, int], object] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.sheet.name

    def column(self, c: int) -> list:
        """Column c of the body (every row from data_start on), "" where a row is shorter; built once."""
        key = ("column", c)
        got = self._by_column.get(key)
        if got is None:
            if c < self.widths()[0]:
                got = list(map(itemgetter(c), self._body()))
            else:
                got = [v[c] if c < len(v) else "" for v in self._body()]
            self._by_column[key] = got
        return got

    def cells(self, c: int) -> Iterator:
        """The values of column c of the body, in order, without keeping them: each pass over a 100.000-row
        sheet's cells costs 5-15 ms, keeping a column as a list as much again."""
        column = self._by_column.get(("column", c))
        if column is None and c < self.widths()[0]:
            return map(itemgetter(c), self._body())
        return iter(self.column(c) if column is None else column)

    def distinct(self, c: int) -> set:
        """The distinct values of column c of the body."""
        key = ("distinct", c)
        got = self._by_column.get(key)
        if got is None:
            got = self._by_column[key] = set(self.cells(c))
        return got

    def kinds(self, c: int) -> set[type]:
        """The classes of the distinct values of column c: every class of the column's values, except that a
        number may hide a number of another class equal to it (True == 1 == 1.0); `classes` tells them all."""
        key = ("kinds", c)
        got = self._by_column.get(key)
        if got is None:
            got = self._by_column[key] = set(map(type, self.distinct(c)))
        return got

    def classes(self, c: int) -> set[type]:
        """The classes of the values of column c of the body, every one."""
        key = ("classes", c)
        got = self._by_column.get(key)
        if got is None:
            kinds = self.kinds(c)
            exact = kinds.isdisjoint(_NUMBERS)  # nothing hides behind a text or a date
            got = self._by_column[key] = kinds if exact else set(map(type, self.cells(c)))
        return got

    def widths(self) -> tuple[int, int]:
        """The length of the shortest and of the longest row of the body ((0, 0) without one)."""
        got = self._by_column.get(("widths", 0))
        if got is None:
            lengths = list(map(len, self._body()))
            got = self._by_column[("widths", 0)] = (min(lengths), max(lengths)) if lengths else (0, 0)
        return got

    def _body(self) -> Iterator[list]:
        return islice(self.sheet.rows, self.data_start, None)

    def title_text(self) -> list[str]:
        return [t for _, _, t in self.title_lines]

    def date_text(self) -> list[str]:
        return [t for _, _, t in self.title_dates]

    def header_texts(self) -> list[str]:
        return [c.label for c in self.columns]

    def rows(self, label_columns: tuple[int, ...] = ()) -> Iterator[Row]:
        """Rows of the table body: data, totals and sections, stopping at the footer.

        Empty rows, repeated column-number rows and empty columns are skipped. `label_columns` are the
        columns holding row names (Thôn, Lĩnh vực…), where a totals label is looked for first.
        """
        rows = self.sheet.rows
        for block in self.blocks(label_columns):
            if block.__class__ is Run:
                section = block.section
                for r in block.indices:
                    yield Row(r, rows[r], "data", section)
            else:
                yield block

    def blocks(self, label_columns: tuple[int, ...] = (), value_columns: tuple[int, ...] = ()) -> Iterator[Row | Run]:
        """rows(), with each stretch of data rows between two other rows handed over as one Run.

        A log's rows are nearly all plain data: they are recognised column by column (a set of the texts in the
        label columns, a test of each cell's class), and only the others go through the row-by-row rules of
        `_row_kind`, so the result is the same row for row.
        """
        rows = self.sheet.rows
        start = self.data_start
        ncols = max((c.index for c in self.columns), default=0) + 1
        watch = sorted(set(label_columns) | set(range(min(3, ncols))))
        seen: dict[str, str] = {}  # folded text → "footer" | "total" | "commune" | "": texts repeat, judge once
        # Raw cell text → (folded, kind): a log repeats the same names on every row, so this runs once per name.
        judged: dict[str, tuple[str, str]] = {}
        others = _not_plain(self, watch, value_columns, judged, seen)
        section = ""
        run: list[range] = []  # the current stretch, as ranges of data rows
        done = start
        for r in others:
            if r > done:
                run.append(range(done, r))
            done = r + 1
            got = _row_kind(rows, r, watch, judged, seen)
            if got is None:
                continue
            if got == "footer":
                if run:
                    yield Run.of(run, section)
                self.footer_lines = _texts_from(rows, r)
                return
            kind, label = got
            if kind == "data":
                run.append(range(r, r + 1))
                continue
            if run:
                yield Run.of(run, section)
                run = []
            if kind == "section":
                section = label
            yield Row(r, rows[r], kind, section)
        if len(rows) > done:
            run.append(range(done, len(rows)))
        if run:
            yield Run.of(run, section)
        self.footer_lines = []


@dataclass(slots=True)
class Run:
    """Data rows with only skipped rows between them, all of one section (0-based indices, ascending), as
    Table.rows() would yield them one by one."""

    indices: list[int] | range
    section: str

    @classmethod
    def of(cls, pieces: list[range], section: str) -> Run:
        """A Run of the rows of ascending ranges: when they join up into one it stays a range (a 100.000-row log
        is one)."""
        joined = [pieces[0]]
        for piece in pieces[1:]:
            if piece.start == joined[-1].stop:
                joined[-1] = range(joined[-1].start, piece.stop)
            else:
                joined.append(piece)
        if len(joined) == 1:
            return cls(joined[0], section)
        return cls([r for piece in joined for r in piece], section)


def _judge(v: str, judged: dict[str, tuple[str, str]], seen: dict[str, str]) -> tuple[str, str]:
    hit = judged.get(v)
    if hit is None:
        f = fold(v)
        hit = (f, (seen.get(f) or seen.setdefault(f, _text_kind(f))) if f else "")
        if len(judged) < _JUDGED_CAP:
            judged[v] = hit
    return hit


def _not_plain(table: Table, watch: list[int], value_columns: tuple[int, ...], judged: dict, seen: dict) -> list[int]:
    """Indices of the body rows that may be anything but a plain data row, ascending.

    A plain data row has more than four filled cells, no text in a watched column that starts a footer or names
    a total or the whole commune, and is not a row of column numbers: `_row_kind` would call it data. Every other
    row is returned to go through `_row_kind` itself. Each test runs over whole columns in C (map, set, min) and
    looks at single rows only where a column holds something unusual.
    """
    rows, start = table.sheet.rows, table.data_start
    if start >= len(rows):
        return []
    out: set[int] = set()
    width = table.widths()[1]
    # Five columns that are never empty make every row a row of five filled cells or more; else count them.
    full = [c for c in (*watch, *value_columns) if c < width and "" not in table.distinct(c)]
    if len(set(full)) < 5:
        body = islice(rows, start, None)
        filled = map(sub, map(len, body), map(list.count, islice(rows, start, None), repeat("")))
        out.update(i for i, f in enumerate(filled) if f <= 4)
    for c in watch:
        if c >= width or str not in table.kinds(c):
            continue  # no text: no label
        special = {v for v in table.distinct(c) if v.__class__ is str and v and _judge(v, judged, seen)[1]}
        if special:
            out.update(i for i, v in enumerate(table.cells(c)) if v in special)
    # A row of column numbers holds only short texts and numbers (_is_column_numbers' own first test): a column
    # whose every cell fails that test clears every row; otherwise the rows still in doubt are asked in full.
    maybe: list[int] | None = None
    for c in range(width):
        if maybe is None:
            # The distinct values say it for every row: a class hidden behind an equal number (True behind 1)
            # is a number too, and passes the test as that number does.
            classes, values = table.kinds(c), table.distinct(c)
            if classes <= _NUMBERS:
                continue  # numbers only: every row passes in this column
        else:
            column = table.column(c)
            values = [column[i] for i in maybe]
            classes = set(map(type, values))
        if not any(map(_column_number_class, classes)) or (classes == {str} and _no_reference(values)):
            maybe = []  # every row fails in this column (a column of dates, of names)
        elif not classes <= _SHORT_OR_NUMBER or (str in classes and _longest_text(values, classes) > 8):
            column = table.column(c)
            pool = range(len(column)) if maybe is None else maybe
            maybe = [i for i in pool if _column_number_cell(column[i])]
        if maybe == []:
            break
    for i in range(len(rows) - start) if maybe is None else maybe:
        if _is_column_numbers(rows[start + i]):
            out.add(i)
    return [start + i for i in sorted(out)]


_SHORT_OR_NUMBER = {str, int, float}
_NUMBERS = {bool, int, float}


def _longest_text(values: Iterable, classes: set[type]) -> int:
    if classes == {str}:
        return max(map(len, values))
    return max(len(v) for v in values if v.__class__ is str)


def _column_number_class(cls: type) -> bool:
    return cls is str or cls is float or cls is int or issubclass(cls, str | int | float)


def _column_number_cell(v: object) -> bool:
    cls = v.__class__
    if cls is str:
        return len(v) <= 8 or _may_be_reference(v)
    return cls is float or cls is int or isinstance(v, str | int | float)


def _may_be_reference(text: str) -> bool:
    """Whether a text longer than 8 characters may still be a column reference: one with the form's arithmetic
    ("(3)=(4)+(5)+(6)+(7)") holds "="."""
    return len(text) <= _REFERENCE_MAX and "=" in text


def _no_reference(values: Iterable[str]) -> bool:
    """No text among `values` can be a column reference (all long, none with arithmetic)."""
    return min(map(len, values)) > 8 and not any(len(v) <= _REFERENCE_MAX and "=" in v for v in values)


def _row_kind(rows: list[list], r: int, watch: list[int], judged: dict, seen: dict) -> tuple[str, str] | str | None:
    """What row r of the body is: None (skipped: empty, column numbers), "footer" (the table ends here), or
    (kind, section label) with kind "data" | "total" | "commune" | "section"."""
    vals = rows[r]
    n = len(vals)
    filled_count = n - vals.count("")
    if not filled_count:
        return None
    # The folded texts of the watched cells, left to right; the first totals label decides the row.
    lead: list[str] = []
    kind = ""
    for c in watch:
        if c >= n:
            break
        v = vals[c]
        if v.__class__ is not str or not v:
            continue
        f, k = _judge(v, judged, seen)
        if not f:
            continue
        if k == "footer" and not lead:
            return "footer"
        lead.append(f)
        if k == "total" or k == "commune":
            kind = k
            break
    if kind:
        return kind, ""
    if filled_count >= 3 and _is_column_numbers(vals):
        return None
    if filled_count <= 4:
        filled = [v for v in vals if v != ""]
        if not lead and any(
            isinstance(v, str) and seen.setdefault(fold(v), _text_kind(fold(v))) == "footer" for v in filled
        ):
            return "footer"  # "THỦ TRƯỞNG ĐƠN VỊ" alone on the right
        numbers = [v for v in filled if isinstance(v, int | float) and not isinstance(v, bool)]
        distinct = {clean(v) if isinstance(v, str) else v for v in filled}
        first = lead[0] if lead else ""
        if _ROMAN.match(first) and not numbers and len(distinct) <= 3:
            return "section", next((clean(v) for v in filled if isinstance(v, str) and not _ROMAN.match(fold(v))), "")
        if len(distinct) == 1 and not numbers and isinstance(filled[0], str):
            return "section", clean(filled[0])
    return "data", ""


def _text_kind(text: str) -> str:
    """What a folded label says about its row: a footer starts, a totals row, a whole-commune row, or nothing."""
    from loaders.period import signed_on

    if _FOOTER.match(text) or ("ngay" in text and signed_on(text) is not None):
        return "footer"
    words = _WORD.findall(text)
    if not words:
        return ""
    joined = " ".join(words)
    if joined in ("toan xa", "ca xa") or (joined.startswith("toan xa ") and len(words) <= 4):
        return "commune"
    if joined in _TOTAL_FIRST or words[:2] == ["tong", "cong"]:
        return "total"
    if words[0] in ("tong", "cong") and all(_ROMAN.match(w) or w.isdigit() for w in words[1:]):
        return "total"
    if words[:2] in (["cong", "toan"], ["tong", "toan"]) or words[:3] == ["tong", "so", "toan"]:
        return "total"
    return ""


def _is_column_numbers(vals: list) -> bool:
    """A printed form's row of column numbers: "(1) (2) (3)…", "1 2 3…", "A B 1 2…" or "A B C…", each maybe with
    the form's arithmetic ("(3)=(4)+(5)", "6=4x5", "(7)=(5)/(6)*100"). Never data."""
    for v in vals:  # fast exit for data rows (names, dates): this runs on every row of a 100k-row log
        cls = v.__class__
        if cls is str:
            if len(v) > 8 and not _may_be_reference(v):
                return False
        elif cls is not float and cls is not int and not isinstance(v, str | int | float):
            return False
    filled = [v for v in vals if v != ""]
    if len(filled) < 3:
        return False
    nums, letters = [], []
    for v in filled:
        if isinstance(v, bool):
            return False
        if isinstance(v, int | float):
            if not float(v).is_integer() or not 0 < v <= 60:
                return False
            nums.append(int(v))
        elif isinstance(v, str):
            m = _COLUMN_NUMBER.match(fold(v))
            if not m:
                return False
            if m.group(1).isdigit():
                nums.append(int(m.group(1)))
            else:
                letters.append(ord(m.group(1)) - ord("a"))
        else:
            return False
    if not nums:  # letters alone: "A B C D", in order from A or B
        return len(letters) >= 3 and letters == list(range(letters[0], letters[0] + len(letters))) and letters[0] <= 1
    return len(nums) >= 2 and nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] <= 2


def _units_row(vals: list) -> list[str] | None:
    """A row of units under the header ("(hộ)", "(%)", "cây"): the unit text per column, or None."""
    from loaders.headers import normalise

    filled = [(c, v) for c, v in enumerate(vals) if v != ""]
    if len(filled) < 2 or any(not isinstance(v, str) for _, v in filled):
        return None
    out = [""] * len(vals)
    for c, v in filled:
        text = clean(v)
        bracketed = text if text.startswith("(") else f"({text})"
        h = normalise(bracketed)
        if h.key or not h.units:
            return None
        out[c] = bracketed
    return out


def _texts_from(rows: list[list], start: int, limit: int = 30) -> list[str]:
    out = []
    for vals in rows[start : start + limit]:
        out.extend(clean(v) for v in vals if isinstance(v, str) and v.strip())
    return out


def _row_texts(sheet: Sheet, r: int) -> list[str]:
    return [clean(v) for v in sheet.rows[r] if isinstance(v, str) and v.strip()]


def _header_block(sheet: Sheet, top: int) -> tuple[int, list[Column]]:
    """The header rows starting at `top` and the columns they name.

    The block goes down while a header cell is merged downwards, or while the next row holds only text
    under a merged/grouping parent (a second header level) and is not a row of column numbers.
    """
    rows = sheet.rows
    width = max(len(rows[top]) if top < len(rows) else 0, 1)
    bottom = top
    for a_top, _left, a_bottom, _right in sheet.merged:
        if a_top == top and a_bottom > top and a_bottom - top < MAX_HEADER_DEPTH:
            bottom = max(bottom, a_bottom)
    while bottom + 1 < len(rows) and bottom - top + 1 < MAX_HEADER_DEPTH:
        nxt = rows[bottom + 1]
        if _is_column_numbers(nxt) or not _is_subheader(sheet, bottom, nxt):
            break
        bottom += 1
    columns = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top, bottom + 1):
            v = sheet.merged_value(r, c)
            if isinstance(v, str) and v.strip():
                text = clean(v)
                if not parts or parts[-1] != text:
                    parts.append(text)
        if parts:
            columns.append(Column(c, tuple(parts)))
    return bottom, columns


def _is_subheader(sheet: Sheet, r: int, nxt: list) -> bool:
    filled = [(c, v) for c, v in enumerate(nxt) if v != ""]
    if not filled or any(not isinstance(v, str) for _, v in filled):
        return False
    above = sheet.rows[r]
    for c, _ in filled:
        own = above[c] if c < len(above) else ""
        if own == "" and _group_parent(sheet, r, c):
            return True  # under a parent merged across columns ("Trong đó" over its parts)
        if isinstance(own, str) and fold(own).rstrip(":") in ("trong do", "chia ra", "bao gom", "trong do chia ra"):
            return True
        if own == "" and c > 0:
            # Unmerged two-level header: the parent is written once, left of its children.
            left = next((above[k] for k in range(c - 1, -1, -1) if k < len(above) and above[k] != ""), "")
            if isinstance(left, str) and fold(left).rstrip(":") in ("trong do", "chia ra", "bao gom"):
                return True
    return False


def _group_parent(sheet: Sheet, r: int, c: int) -> bool:
    """Whether (r, c) lies under a header merged across several columns and ending on row r.

    A cell merged only downwards ("STT" over two header rows) ends the header there: a row under it
    is a section or data row, not a second header level.
    """
    for top, left, bottom, right in sheet.merged:
        if bottom == r and right > left and left <= c <= right and top <= r:
            parent = sheet.merged_value(r, c)
            return isinstance(parent, str) and bool(parent.strip())
    return False


def find_table(sheet: Sheet, score: Callable[[list[Column]], int]) -> Table | None:
    """The table of a sheet: the header block (within the first rows) whose columns score best.

    `score` counts the columns a report kind recognises; ties go to the upper row, so a parent row
    with its children beats the children alone.
    """
    best: tuple[int, int, int, list[Column]] | None = None
    limit = min(len(sheet.rows), HEADER_SEARCH_ROWS)
    for top in range(limit):
        texts = [v for v in sheet.rows[top] if isinstance(v, str) and v.strip()]
        if len(texts) < 2 and not _has_wide_merge(sheet, top):
            continue
        bottom, columns = _header_block(sheet, top)
        if len(columns) < 2:
            continue
        s = score(columns)
        if s > 0 and (best is None or s > best[0]):
            best = (s, top, bottom, columns)
    if best is None:
        return None
    _, top, bottom, columns = best
    start = bottom + 1
    while start < len(sheet.rows):
        vals = sheet.rows[start]
        units = _units_row(vals)
        if units:
            # "(hộ)" printed under "Tổng số hộ": the unit belongs to the header above it.
            columns = [
                Column(c.index, (*c.parts[:-1], f"{c.parts[-1]} {units[c.index]}"))
                if c.index < len(units) and units[c.index]
                else c
                for c in columns
            ]
        elif not (_is_column_numbers(vals) or vals.count("") == len(vals)):
            break
        start += 1
    title = [
        (r, c, clean(v)) for r in range(top) for c, v in enumerate(sheet.rows[r]) if isinstance(v, str) and v.strip()
    ]
    dates = [
        (r, c, date_line(sheet.rows[r], c)) for r in range(top) for c, v in enumerate(sheet.rows[r]) if _is_date(v)
    ]
    return Table(sheet, top, bottom, columns, start, title, dates)


def _is_date(v: object) -> bool:
    return v.__class__ is date or v.__class__ is datetime


# "An Phú, ngày", "Ngày lập:", "Từ ngày", "tính đến ngày", "đến hết": a day is asked for, not a month.
_DAY_LABEL = re.compile(r"(?:^|[^a-z])(?:ngay(?:$|[^a-z])|(?:tu|den|toi|het)$)")
_PLACE_LABEL = re.compile(r"^[^,\d]{1,40},$")  # "An Phú,": the place of a place-and-date line


def date_line(row: list, c: int) -> str:
    """What a person reads in a date cell of the title block, with the text on its left.

    A date after a word that asks for a day ("An Phú, ngày", "Từ ngày … đến ngày", "Tính đến ngày") is that day,
    and the line is read as text would be: the signing line is not the month, a range and an as-of date give
    theirs. Any other date is the report month: what Excel makes of a typed "8/2026" ("08/2026", "Aug-26"), alone,
    in a merged title cell or beside "Tháng", "Kỳ báo cáo". A label holding figures of its own is not joined to
    the date, which is then read alone."""
    v = row[c]
    d = v.date() if v.__class__ is datetime else v
    label, at = "", -1
    for k in range(c - 1, -1, -1):
        left = row[k]
        if left == "" or left is None:
            continue
        if isinstance(left, str):
            label, at = clean(left), k
        break
    f = fold(label).rstrip(" :.-–")
    day = f"{d.day:02d}/{d.month:02d}/{d.year}"
    if f.endswith(",") and _PLACE_LABEL.match(f):
        return f"{label} ngày {day}"
    if _DAY_LABEL.search(f):
        line = f"{label} {day}"
        if f.startswith(("den ", "toi ")) or f in ("den", "toi"):
            # "Từ ngày" 01/09/2026 "đến ngày" 30/09/2026: the range is one line, as it would be typed.
            start = next((k for k in range(at - 1, -1, -1) if _is_date(row[k])), None)
            if start is not None:
                line = f"{date_line(row, start)} {line}"
        return line
    if any(ch.isdigit() for ch in f):
        label = ""
    return f"{label} tháng {d.month}/{d.year}".strip()


def _has_wide_merge(sheet: Sheet, r: int) -> bool:
    return any(t == r and right > left for t, left, _b, right in sheet.merged)


def header_candidates(sheet: Sheet, limit: int = 8) -> list[str]:
    """The texts of the row that looks most like a header, for the "unknown shape" message."""
    best: list[str] = []
    for r in range(min(len(sheet.rows), HEADER_SEARCH_ROWS)):
        texts = _row_texts(sheet, r)
        if len(texts) > len(best):
            best = texts
    return best[:limit]
