"""What a loader returns: observations, register items and problems, all plain data."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, MutableSequence
from dataclasses import dataclass, field
from datetime import date

# Report kinds, recognised from a sheet's headers (never from the file name).
KIND_NAMES = {
    "trong_cay": "Báo cáo trồng cây xanh",
    "thu_tuc_hanh_chinh": "Báo cáo giải quyết thủ tục hành chính",
    "ocop_vietgap": "Danh sách sản phẩm OCOP, chứng nhận VietGAP, hữu cơ",
    "khong_tien_mat": "Báo cáo thanh toán không dùng tiền mặt",
    "bang_thang": "Bảng số liệu tháng",
}


@dataclass(frozen=True)
class Problem:
    """Something wrong or worth saying about the file, with its place, in Vietnamese.

    `row` is the 1-based spreadsheet row and `column` the spreadsheet letter ("C"), as the
    user sees them in Excel; either is None when the problem is about the whole sheet/file.
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # "error" refuses the file; "warning" is shown and the file is kept; "note" says how the file was read (an old
    # font encoding converted to Unicode), shown among the warnings.
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def place(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"trang '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Observation:
    """One figure read from one row: the unit of traceability.

    For a flow or stock indicator `value` is the counted quantity and `denominator` is None;
    for a ratio `value` is the numerator and `denominator` the denominator (both counts), so a
    share over many rows is Σ value / Σ denominator. `village` is a village code or None for a
    row that is not a village (a field of procedures, a collecting unit, the whole commune).
    `breakdown` is ("" , "") or (dimension, value): ("dia_diem", "truong-hoc"),
    ("hang_sao", "4"), ("linh_vuc", "Hộ tịch"), ("don_vi", "Trạm Y tế xã").
    """

    indicator: str
    period: str  # "YYYY-MM"
    value: float
    denominator: float | None = None
    village: str | None = None
    breakdown: tuple[str, str] = ("", "")
    sheet: str = ""
    row: int = 0


_COLUMNS = ("indicator", "period", "value", "denominator", "village", "dim", "dim_value", "sheet", "row")
_NUMERIC = (_COLUMNS.index("value"), _COLUMNS.index("row"))


class Observations(MutableSequence):
    """A list of Observation kept as one list per field (the breakdown as its two parts, `dim` and `dim_value`).

    A 100.000-row log makes 100.000 observations: as columns they are appended without building an object each,
    cross a process boundary as nine lists (pickling objects one by one cost ~0,2 s) and become the store's frame
    without a Python loop. Anything iterating it gets real Observation objects, built once on first use.
    """

    __slots__ = ("_cols", "_objects")
    COLUMNS = _COLUMNS

    def __init__(self, items: Iterable[Observation] = ()):
        self._cols: tuple[list, ...] = tuple([] for _ in _COLUMNS)
        self._objects: list[Observation] | None = None
        self.extend(items)

    @classmethod
    def _from_columns(cls, cols: tuple[list | array | _Same, ...]) -> Observations:
        new = cls.__new__(cls)
        # Numbers received as arrays stay arrays until something is added.
        new._cols = tuple([c.value] * c.n if c.__class__ is _Same else c for c in cols)
        new._objects = None
        return new

    def _writable(self) -> tuple[list, ...]:
        """The columns, as lists (an array would turn an int appended to it into a float)."""
        if any(c.__class__ is array for c in self._cols):
            self._cols = tuple(c.tolist() if c.__class__ is array else c for c in self._cols)
        self._objects = None
        return self._cols

    def __reduce__(self):
        # Values and row numbers travel as machine arrays (a copy of memory each way) when all of one class, a
        # column of one value repeated (a log's indicator, sheet) as that value once.
        cols = tuple(_packed(c) if i in _NUMERIC else _Same.of(c) for i, c in enumerate(self._cols))
        return Observations._from_columns, (cols,)

    def column(self, name: str) -> list | array:
        """One field of every observation, in order: a column of COLUMNS (itself, not to be modified: a list, or
        for values and rows received from a worker an array of floats or ints) or "breakdown"."""
        if name == "breakdown":
            return list(zip(self._cols[5], self._cols[6], strict=True))
        return self._cols[_COLUMNS.index(name)]

    def add_columns(self, n: int, **columns: object) -> None:
        """Append `n` observations given field by field (the names of COLUMNS): a list holds one value per
        observation, anything else (a string, None) is every observation's value."""
        if set(columns) != set(_COLUMNS):
            raise TypeError(f"add_columns needs exactly the fields {_COLUMNS}")
        values = [columns[name] for name in _COLUMNS]
        if any(v.__class__ is list and len(v) != n for v in values):
            raise ValueError("every column must hold n values")
        for col, v in zip(self._writable(), values, strict=True):
            col.extend(v if v.__class__ is list else [v] * n)

    def _materialised(self) -> list[Observation]:
        if self._objects is None:
            c = self._cols
            self._objects = [
                Observation(i, p, v, d, vil, (dim, dv), sh, r)
                for i, p, v, d, vil, dim, dv, sh, r in zip(*c, strict=True)
            ]
        return self._objects

    def __len__(self) -> int:
        return len(self._cols[0])

    def __iter__(self) -> Iterator[Observation]:
        return iter(self._materialised())

    def __getitem__(self, i):
        return self._materialised()[i]

    def __setitem__(self, i, o) -> None:
        objects = list(self._materialised())
        objects[i] = o
        self._replace(objects)

    def __delitem__(self, i) -> None:
        objects = list(self._materialised())
        del objects[i]
        self._replace(objects)

    def insert(self, i: int, o: Observation) -> None:
        objects = list(self._materialised())
        objects.insert(i, o)
        self._replace(objects)

    def _replace(self, objects: list[Observation]) -> None:
        self._cols = tuple([] for _ in _COLUMNS)
        self._objects = None
        self.extend(objects)

    def append(self, o: Observation) -> None:
        dim, dim_value = o.breakdown
        c = self._writable()
        c[0].append(o.indicator)
        c[1].append(o.period)
        c[2].append(o.value)
        c[3].append(o.denominator)
        c[4].append(o.village)
        c[5].append(dim)
        c[6].append(dim_value)
        c[7].append(o.sheet)
        c[8].append(o.row)

    def extend(self, items: Iterable[Observation]) -> None:
        if isinstance(items, Observations):
            for mine, theirs in zip(self._writable(), tuple(items._cols), strict=True):
                mine.extend(theirs)
            return
        for o in items:
            self.append(o)

    def __iadd__(self, items: Iterable[Observation]) -> Observations:
        self.extend(items)
        return self

    def __add__(self, other: Iterable[Observation]) -> list[Observation]:
        return [*self, *other]

    def __radd__(self, other: Iterable[Observation]) -> list[Observation]:
        return [*other, *self]

    def __copy__(self) -> Observations:
        return Observations._from_columns(tuple(list(c) for c in self._cols))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Observations):
            return all(
                a == b if a.__class__ is b.__class__ else list(a) == list(b)
                for a, b in zip(self._cols, other._cols, strict=True)
            )
        if isinstance(other, list | tuple | MutableSequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # mutable, like a list

    def __repr__(self) -> str:
        return repr(self._materialised())


@dataclass(frozen=True)
class _Same:
    """A column of `n` times one value, as it is pickled."""

    value: object
    n: int

    @classmethod
    def of(cls, column: list) -> list | _Same:
        """The column as one text (or None) repeated when it is, else itself. (A text or None equals only its
        like, so counting equal values, in C, says it; a number may equal one of another class: 1 == 1.0.)"""
        n = len(column)
        if n >= 1000 and column[0].__class__ in (str, type(None)) and column.count(column[0]) == n:
            return cls(column[0], n)
        return column


def _packed(column: list) -> list | array:
    """A column of floats only or of ints only as an array of machine numbers, anything else as it is."""
    if column.__class__ is array or len(column) < 1000:
        return column
    kinds = set(map(type, column))
    try:
        if kinds == {float}:
            return array("d", column)
        if kinds == {int}:
            return array("q", column)
    except OverflowError:  # an int beyond 64 bits
        pass
    return column


def observation_column(observations: Iterable[Observation], name: str) -> list:
    """One field of each observation (a name of Observations.COLUMNS, or "breakdown"), from the columns when they
    are held as such."""
    if isinstance(observations, Observations):
        return observations.column(name)
    if name in ("dim", "dim_value"):
        part = name == "dim_value"
        return [o.breakdown[part] for o in observations]
    return [getattr(o, name) for o in observations]


@dataclass(frozen=True)
class RegisterItem:
    """One certified product or producer of the OCOP / VietGAP / organic register."""

    name: str
    owner: str
    village: str | None
    certificate: str  # "OCOP" | "VietGAP" | "Hữu cơ"
    stars: int | None
    decision: str
    issued: date | None
    expires: date | None
    expiry_derived: bool
    area_ha: float | None
    sheet: str
    row: int


@dataclass
class Report:
    """Everything read from one workbook. The file may be stored only when `errors` is empty."""

    kind: str | None = None
    unit: str | None = None
    stated_unit: str | None = None  # the unit the file itself names, whatever unit the uploader chose
    periods: list[str] = field(default_factory=list)
    observations: MutableSequence[Observation] = field(default_factory=Observations)
    register: list[RegisterItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets that were read as data
    title: str = ""  # the report's title as written ("BÁO CÁO KẾT QUẢ TRỒNG CÂY ...")
    # The place-and-date line ("An Phú, ngày 05 tháng 11 năm 2026"): when the unit signed it.
    # Never the period; used to tell on-time from late reports.
    signed_on: date | None = None
    # The same per month: a workbook with one sheet per month carries each sheet's own signing date.
    signed_by_period: dict[str, date] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.kind is not None and not self.errors

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind or "", "Không rõ loại báo cáo")

    @property
    def indicators(self) -> list[str]:
        return sorted(set(observation_column(self.observations, "indicator")))
