"""The catalogue: villages, units, sectors, plan phases and indicators, read and validated from TOML."""

from __future__ import annotations

import itertools
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "catalogue.toml"

KINDS = ("flow", "ratio", "stock")
DIRECTIONS = ("up", "down", "none")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class CatalogueError(ValueError):
    """Raised with every mistake found, each naming its place in the file."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Danh mục {path} có {len(problems)} lỗi:\n{lines}")


@dataclass(frozen=True)
class Column:
    """A quantity a unit's sheet carries: its usual header and other spellings of it."""

    header: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass(frozen=True)
class Target:
    phase: str
    value: float
    source: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    short: str
    unit: str
    kind: str
    direction: str
    sector: str
    responsible: str
    plan_clause: str
    cooperating: tuple[str, ...] = ()
    baseline: float | None = None
    baseline_source: str = ""
    numerator: Column | None = None
    denominator: Column | None = None
    targets: tuple[Target, ...] = ()

    def target(self, phase: str) -> Target | None:
        return next((t for t in self.targets if t.phase == phase), None)

    @property
    def is_percent(self) -> bool:
        return self.kind == "ratio"


@dataclass(frozen=True)
class Phase:
    code: str
    name: str
    start: str
    end: str
    focus: str = ""


@dataclass(frozen=True)
class Place:
    """A village or a unit: a code and a Vietnamese name, with other spellings."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    clause: str = ""


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    city: str
    people_committee: str
    plan: str
    plan_start: str
    vision_2050: str


@dataclass(frozen=True)
class Catalogue:
    commune: Commune
    phases: tuple[Phase, ...]
    sectors: tuple[Place, ...]
    villages: tuple[Place, ...]
    units: tuple[Place, ...]
    indicators: tuple[Indicator, ...]
    path: Path = field(default=DEFAULT_PATH, compare=False)

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def village(self, code: str) -> Place:
        return next(v for v in self.villages if v.code == code)

    def unit(self, code: str) -> Place:
        return next(u for u in self.units if u.code == code)

    def sector(self, code: str) -> Place:
        return next(s for s in self.sectors if s.code == code)

    def phase(self, code: str) -> Phase:
        return next(p for p in self.phases if p.code == code)

    def phase_of(self, period: str) -> Phase:
        """The phase a month falls in: the first whose end has not passed (the last one after)."""
        for ph in self.phases:
            if period <= ph.end:
                return ph
        return self.phases[-1]


def load_catalogue(path: str | os.PathLike | None = None) -> Catalogue:
    """Read and validate the catalogue; raise CatalogueError listing every mistake."""
    path = Path(path or os.environ.get("XANH_CATALOGUE") or DEFAULT_PATH)
    return _load_cached(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_cached(path: Path, _mtime: int) -> Catalogue:
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(path, [f"không đọc được TOML: {exc}"]) from None
    return _validate(raw, path, text)


def _validate(raw: dict, path: Path, text: str) -> Catalogue:
    problems: list[str] = []

    def where(table: str, index: int, code: str | None = None) -> str:
        label = f"[[{table}]] thứ {index + 1}"
        if code:
            label += f" ({code})"
            line = _line_of(text, code)
            if line:
                label += f", dòng {line}"
        return label

    def need(entry: dict, key: str, place: str, typ: type = str) -> object:
        value = entry.get(key)
        if value is None or (typ is str and not str(value).strip()):
            problems.append(f"{place}: thiếu trường '{key}'")
            return None
        if not isinstance(value, typ) or (typ is not bool and isinstance(value, bool)):
            problems.append(f"{place}: trường '{key}' phải là {_TYPE_VI.get(typ, typ.__name__)}")
            return None
        return value

    c = raw.get("commune") or {}
    commune = Commune(
        code=str(need(c, "code", "[commune]") or ""),
        name=str(need(c, "name", "[commune]") or ""),
        city=str(c.get("city", "")),
        people_committee=str(c.get("people_committee", "")),
        plan=str(c.get("plan", "")),
        plan_start=str(need(c, "plan_start", "[commune]") or "2026-01"),
        vision_2050=str(c.get("vision_2050", "")),
    )
    if not _PERIOD.match(commune.plan_start):
        problems.append("[commune]: 'plan_start' phải có dạng YYYY-MM, ví dụ 2026-01")

    phases = []
    for i, p in enumerate(raw.get("phases") or []):
        place = where("phases", i, p.get("code"))
        vals = {k: need(p, k, place) for k in ("code", "name", "start", "end")}
        for k in ("start", "end"):
            if vals[k] and not _PERIOD.match(str(vals[k])):
                problems.append(f"{place}: '{k}' phải có dạng YYYY-MM")
        if None not in vals.values():
            phases.append(Phase(**vals, focus=str(p.get("focus", ""))))
    if not phases:
        problems.append("thiếu [[phases]]: cần ít nhất một giai đoạn")
    for a, b in itertools.pairwise(phases):
        if b.start <= a.end:
            problems.append(f"giai đoạn {b.code} phải bắt đầu sau khi {a.code} kết thúc")

    def places(table: str, with_clause: bool = False) -> tuple[Place, ...]:
        out = []
        for i, e in enumerate(raw.get(table) or []):
            place = where(table, i, e.get("code"))
            code, name = need(e, "code", place), need(e, "name", place)
            if code and not _CODE.match(code):
                problems.append(f"{place}: mã '{code}' chỉ gồm chữ thường không dấu, số, '-' và '_'")
            aliases = e.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                problems.append(f"{place}: 'aliases' phải là danh sách chuỗi")
                aliases = []
            if code and name:
                out.append(Place(code, name, tuple(aliases), str(e.get("clause", ""))))
        _unique(out, table, problems)
        if not out:
            problems.append(f"thiếu [[{table}]]")
        return tuple(out)

    sectors, villages, units = places("sectors"), places("villages"), places("units")
    _unique_names(villages, "villages", problems)
    phase_codes = {p.code for p in phases}
    unit_codes, sector_codes = {u.code for u in units}, {s.code for s in sectors}

    indicators = []
    for i, e in enumerate(raw.get("indicators") or []):
        place = where("indicators", i, e.get("code"))
        vals = {k: need(e, k, place) for k in ("code", "name", "unit", "kind", "direction", "sector", "responsible")}
        vals["plan_clause"] = need(e, "plan_clause", place)
        if vals["kind"] and vals["kind"] not in KINDS:
            problems.append(f"{place}: 'kind' phải là một trong {', '.join(KINDS)} (đang là '{vals['kind']}')")
        if vals["direction"] and vals["direction"] not in DIRECTIONS:
            problems.append(f"{place}: 'direction' phải là một trong {', '.join(DIRECTIONS)}")
        if vals["sector"] and vals["sector"] not in sector_codes:
            problems.append(f"{place}: lĩnh vực '{vals['sector']}' không có trong [[sectors]]")
        for u in [vals["responsible"], *e.get("cooperating", [])]:
            if u and u not in unit_codes:
                problems.append(f"{place}: đơn vị '{u}' không có trong [[units]]")
        num, den = _column(e.get("numerator"), place, "numerator", problems), None
        den = _column(e.get("denominator"), place, "denominator", problems)
        if vals["kind"] == "ratio" and e.get("numerator") is not None and den is None:
            problems.append(f"{place}: chỉ tiêu tỷ lệ (ratio) cần cả 'numerator' và 'denominator'")
        if vals["kind"] != "ratio" and den is not None:
            problems.append(f"{place}: chỉ chỉ tiêu tỷ lệ (ratio) mới có 'denominator'")
        baseline = e.get("baseline")
        if baseline is not None and (isinstance(baseline, bool) or not isinstance(baseline, int | float)):
            problems.append(f"{place}: 'baseline' phải là số")
            baseline = None
        targets = []
        for t in e.get("targets", []):
            tp, tv, ts = t.get("phase"), t.get("value"), t.get("source")
            if tp not in phase_codes:
                problems.append(f"{place}: chỉ tiêu cho giai đoạn '{tp}' không có trong [[phases]]")
            elif isinstance(tv, bool) or not isinstance(tv, int | float):
                problems.append(f"{place}: chỉ tiêu giai đoạn {tp} phải là số")
            elif not ts or not str(ts).strip():
                problems.append(f"{place}: chỉ tiêu giai đoạn {tp} phải ghi nguồn ('source'), ví dụ \"Đề xuất\"")
            elif vals["kind"] == "ratio" and not 0 <= tv <= 100:
                problems.append(f"{place}: chỉ tiêu tỷ lệ giai đoạn {tp} phải từ 0 đến 100")
            else:
                targets.append(Target(tp, float(tv), str(ts)))
        if vals["direction"] in ("up", "down") and not targets and "targets" in e and e["targets"] == []:
            problems.append(f"{place}: chỉ tiêu có hướng '{vals['direction']}' cần ít nhất một mục tiêu")
        if vals["direction"] == "none" and targets:
            problems.append(f"{place}: chỉ tiêu chỉ theo dõi (direction = none) không có mục tiêu")
        if None not in vals.values():
            indicators.append(
                Indicator(
                    **vals,
                    short=str(e.get("short") or vals["name"]),
                    cooperating=tuple(e.get("cooperating", [])),
                    baseline=None if baseline is None else float(baseline),
                    baseline_source=str(e.get("baseline_source", "")),
                    numerator=num,
                    denominator=den,
                    targets=tuple(targets),
                )
            )
    _unique(indicators, "indicators", problems)
    if problems:
        raise CatalogueError(path, problems)
    return Catalogue(commune, tuple(phases), sectors, villages, units, tuple(indicators), path)


_TYPE_VI = {str: "chuỗi", int: "số nguyên", float: "số", list: "danh sách", dict: "bảng"}


def _column(raw: object, place: str, key: str, problems: list[str]) -> Column | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("header"), str) or not raw["header"].strip():
        problems.append(f"{place}: '{key}' phải có dạng {{ header = \"...\", aliases = [...] }}")
        return None
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append(f"{place}: '{key}.aliases' phải là danh sách chuỗi")
        aliases = []
    return Column(raw["header"], tuple(aliases))


def _unique(items: list, table: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for it in items:
        if it.code in seen:
            problems.append(f"[[{table}]]: mã '{it.code}' bị trùng")
        seen.add(it.code)


def _unique_names(items: tuple[Place, ...], table: str, problems: list[str]) -> None:
    # Names are matched without accents, case or spacing, so two names equal in that form clash.
    from ground.text import fold

    seen: dict[str, str] = {}
    for it in items:
        for n in (it.name, *it.aliases):
            key = fold(n)
            if key in seen and seen[key] != it.code:
                problems.append(f"[[{table}]]: tên '{n}' trùng với '{seen[key]}' khi bỏ dấu")
            seen[key] = it.code


def _line_of(text: str, code: str) -> int | None:
    m = re.search(rf'^\s*code\s*=\s*"{re.escape(code)}"', text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None
