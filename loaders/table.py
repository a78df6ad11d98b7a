"""Table anatomy of a report sheet: title block, (two-level) header, column numbers, sections, totals, footer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from loaders.text import clean, column_letter, fold
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
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[a-z])\s*\)?(?:\s*=\s*.*)?$")
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
    footer_lines: list[str] = field(default_factory=list)  # filled by rows(): texts from the footer on

    @property
    def name(self) -> str:
        return self.sheet.name

    def title_text(self) -> list[str]:
        return [t for _, _, t in self.title_lines]

    def header_texts(self) -> list[str]:
        return [c.label for c in self.columns]

    def rows(self, label_columns: tuple[int, ...] = ()) -> Iterator[Row]:
        """Rows of the table body: data, totals and sections, stopping at the footer.

        Empty rows, repeated column-number rows and empty columns are skipped. `label_columns` are the
        columns holding row names (Thôn, Lĩnh vực…), where a totals label is looked for first.
        """
        rows = self.sheet.rows
        section = ""
        ncols = max((c.index for c in self.columns), default=0) + 1
        watch = sorted(set(label_columns) | set(range(min(3, ncols))))
        seen: dict[str, str] = {}  # folded text → "footer" | "total" | "commune" | "": texts repeat, judge once
        # Raw cell text → (folded, kind): a log repeats the same names on every row, so this runs once per name
        # and each row costs a dictionary look-up per watched cell (100.000 rows: 0,3 s → 0,1 s).
        judged: dict[str, tuple[str, str]] = {}
        for r in range(self.data_start, len(rows)):
            vals = rows[r]
            n = len(vals)
            filled_count = n - vals.count("")
            if not filled_count:
                continue
            # The folded texts of the watched cells, left to right; the first totals label decides the row.
            lead: list[str] = []
            kind = ""
            for c in watch:
                if c >= n:
                    break
                v = vals[c]
                if v.__class__ is not str or not v:
                    continue
                hit = judged.get(v)
                if hit is None:
                    f = fold(v)
                    hit = (f, (seen.get(f) or seen.setdefault(f, _text_kind(f))) if f else "")
                    if len(judged) < _JUDGED_CAP:
                        judged[v] = hit
                f, k = hit
                if not f:
                    continue
                if k == "footer" and not lead:
                    self.footer_lines = _texts_from(rows, r)
                    return
                lead.append(f)
                if k == "total" or k == "commune":
                    kind = k
                    break
            if kind:
                yield Row(r, vals, kind, section)
                continue
            if filled_count >= 3 and len(lead) <= 2 and _is_column_numbers(vals):
                continue
            if filled_count <= 4:
                filled = [v for v in vals if v != ""]
                if not lead and any(
                    isinstance(v, str) and seen.setdefault(fold(v), _text_kind(fold(v))) == "footer" for v in filled
                ):
                    self.footer_lines = _texts_from(rows, r)  # "THỦ TRƯỞNG ĐƠN VỊ" alone on the right
                    return
                numbers = [v for v in filled if isinstance(v, int | float) and not isinstance(v, bool)]
                distinct = {clean(v) if isinstance(v, str) else v for v in filled}
                first = lead[0] if lead else ""
                if _ROMAN.match(first) and not numbers and len(distinct) <= 3:
                    section = next((clean(v) for v in filled if isinstance(v, str) and not _ROMAN.match(fold(v))), "")
                    yield Row(r, vals, "section", section)
                    continue
                if len(distinct) == 1 and not numbers and isinstance(filled[0], str):
                    section = clean(filled[0])
                    yield Row(r, vals, "section", section)
                    continue
            yield Row(r, vals, "data", section)
        self.footer_lines = []


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
    """A printed form's row of column numbers: "(1) (2) (3)…", "1 2 3…" or "A B 1 2…"."""
    for v in vals:  # fast exit for data rows (names, dates): this runs on every row of a 100k-row log
        cls = v.__class__
        if cls is str:
            if len(v) > 8:
                return False
        elif cls is not float and cls is not int and not isinstance(v, str | int | float):
            return False
    filled = [v for v in vals if v != ""]
    if len(filled) < 3:
        return False
    nums = []
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
            return False
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
    return Table(sheet, top, bottom, columns, start, title)


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
