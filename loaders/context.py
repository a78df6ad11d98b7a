"""What a report-kind reader works with: the sheet's table, its month, and placed problems for each cell."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ground.catalogue import Catalogue
from loaders.headers import Match
from loaders.model import Observations, Problem, RegisterItem
from loaders.places import Villages
from loaders.table import Column, Row, Table
from loaders.text import CellError, clean, column_letter, number, percent_readings, vn_number

MAX_PROBLEMS_PER_SHEET = 200  # beyond this the user fixes the pattern, not each cell
PERCENT_TOLERANCE = 0.5  # percentage points: a sheet rounding 85,27% to 85% is not a disagreement


@dataclass
class SheetContext:
    catalogue: Catalogue
    villages: Villages
    table: Table
    matches: dict[int, Match]
    period: str | None
    observations: Observations = field(default_factory=Observations)
    register: list[RegisterItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    periods: set[str] = field(default_factory=set)
    _dropped: int = 0
    _counts: dict[str, int] = field(default_factory=dict)
    _pending: list[Callable[[], None]] = field(default_factory=list)  # checks that need the whole sheet

    @property
    def error_count(self) -> int:
        """Errors recorded so far (dropped ones included): a reader compares it before and after a row."""
        return self._counts.get("error", 0) + self._dropped

    @property
    def sheet(self) -> str:
        return self.table.name

    def columns_of(self, key: str) -> list[Column]:
        return [c for c in self.table.columns if self.matches.get(c.index, Match(None)).key == key]

    def column_of(self, key: str) -> Column | None:
        cols = self.columns_of(key)
        return cols[0] if cols else None

    def problem(self, message: str, row: int | None = None, col: int | None = None, severity: str = "error") -> None:
        n = self._counts.get(severity, 0)
        if n >= MAX_PROBLEMS_PER_SHEET:
            self._dropped += 1
            return
        self._counts[severity] = n + 1
        letter = column_letter(col) if col is not None else None
        self.problems.append(Problem(message, self.sheet, row, letter, severity))

    def label(
        self, row: Row, col: Column, *, what: str = "số liệu", name: str = "tên thôn", hint: str = ""
    ) -> str | None:
        """The row's label as written (merged cells read); None, with a problem saying so, when a row that holds
        `what` has none: a figure nobody can place is never stored."""
        text = clean(self.table.sheet.merged_value(row.index, col.index))
        if not text:
            self.problem(
                f"Dòng {row.number} có {what} nhưng thiếu {name} (cột {col.letter}); hãy ghi {name}{hint}.",
                row.number,
                col.index,
            )
            return None
        return text

    def finish(self) -> None:
        for check in self._pending:
            check()
        if self._dropped:
            self.problems.append(
                Problem(
                    f"Còn {self._dropped} vấn đề khác cùng loại trên trang này không liệt kê hết; "
                    "hãy sửa các lỗi trên rồi tải lên lại để xem tiếp.",
                    self.sheet,
                )
            )

    def header(self, col: int) -> str:
        for c in self.table.columns:
            if c.index == col:
                return c.label
        return column_letter(col)

    def read(self, row: Row, col: Column | int | None, parse: Callable[[object], object]) -> object:
        """Parse one cell; on failure record a placed error and return None."""
        if col is None:
            return None
        c = col if isinstance(col, int) else col.index
        value = row.values[c] if c < len(row.values) else ""
        if value == "" and self.table.sheet.uncached and (row.index, c) in self.table.sheet.uncached:
            self.problem(
                f"Ô {column_letter(c)}{row.number} (cột '{self.header(c)}') có công thức nhưng chưa có giá trị đã "
                "tính (tệp được tạo bằng phần mềm khác hoặc chưa tính lại). Hãy mở tệp bằng Excel, nhấn Lưu rồi "
                "tải lên lại.",
                row.number,
                c,
            )
            return None
        try:
            return parse(value)
        except CellError as exc:
            self.problem(f"Ô {column_letter(c)}{row.number} (cột '{self.header(c)}'): {exc}.", row.number, c)
            return None

    def check_percent(self, row: Row, col: Column | None, numerator: float, denominator: float, what: str) -> None:
        """Warn when the sheet's own percentage disagrees with the counts (the counts win)."""
        if col is None or not denominator:
            return
        value = row.values[col.index] if col.index < len(row.values) else ""
        try:
            readings = percent_readings(value)
        except CellError:
            return  # a percentage is for people; an unreadable one is not data
        if not readings:
            return
        share = numerator / denominator * 100
        if any(abs(r - share) <= PERCENT_TOLERANCE for r in readings):
            return
        self.problem(
            f"Ô {col.letter}{row.number}: tỷ lệ {what} ghi trên bảng là {_shown(value)} nhưng tính từ số liệu được "
            f"{vn_number(share, 1)}% ({vn_number(numerator)}/{vn_number(denominator)}). Bảng điều khiển dùng số "
            "liệu gốc; hãy kiểm tra lại cột tỷ lệ.",
            row.number,
            col.index,
            severity="warning",
        )


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{vn_number(value * 100, 1)}%" if value <= 1.5 else f"{vn_number(value, 1)}%"
    return f"'{value}'"


class TotalsCheck:
    """Compares totals rows with the sum of the data rows (per section and overall).

    A totals row above the data (some forms print "Tổng cộng" first) is compared with the whole sheet
    once the sheet is read.
    """

    def __init__(self, ctx: SheetContext, columns: list[Column]):
        self.ctx = ctx
        self.columns = [c for c in columns if c is not None]
        self.group: dict[int, float] = {}
        self.all: dict[int, float] = {}
        self.leading: list[Row] = []
        ctx._pending.append(self._check_leading)

    def add(self, col: Column | None, value: float | None) -> None:
        if col is None or value is None:
            return
        self.group[col.index] = self.group.get(col.index, 0.0) + value
        self.all[col.index] = self.all.get(col.index, 0.0) + value

    def section(self) -> None:
        self.group = {}

    def data_rows(self, rows: Iterable[Row], communes: list[Row] | None = None) -> Iterator[Row]:
        """The data rows among `rows`. A totals row is checked against the sums added so far (the caller adds a
        row's figures before it asks for the next), a section starts a new group, and a commune-wide row is a
        total too unless `communes` collects it to be read as the commune's own figure."""
        for row in rows:
            if row.kind == "commune" and communes is not None:
                communes.append(row)
            elif row.kind in ("total", "commune"):
                self.check(row)
            elif row.kind == "section":
                self.section()
            else:
                yield row

    def check(self, row: Row) -> None:
        if not self.all:
            self.leading.append(row)
            return
        self._compare(row, (self.group, self.all))
        self.group = {}

    def _check_leading(self) -> None:
        for row in self.leading:
            self._compare(row, (self.all,))

    def _compare(self, row: Row, sums: tuple[dict[int, float], ...]) -> None:
        for col in self.columns:
            value = row.values[col.index] if col.index < len(row.values) else ""
            try:
                total = number(value)
            except CellError:
                continue
            if total is None:
                continue
            candidates = [s.get(col.index, 0.0) for s in sums]
            if any(abs(total - s) <= 0.01 + 1e-9 * abs(s) for s in candidates):
                continue
            shown = next((s for s in candidates if s), candidates[-1])
            self.ctx.problem(
                f"Dòng tổng cộng, cột '{col.label}': ghi {vn_number(total)} nhưng cộng các dòng được "
                f"{vn_number(shown)}. Dòng tổng không được tính vào số liệu; hãy kiểm tra "
                "lại công thức hoặc các dòng chi tiết.",
                row.number,
                col.index,
                severity="warning",
            )
