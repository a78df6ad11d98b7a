"""Any other monthly table: columns (or rows, when transposed) matched to the catalogue's numerators/denominators."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ground.catalogue import Catalogue, Indicator
from loaders.context import SheetContext, TotalsCheck
from loaders.headers import Concept, Match, Vocabulary, match_column, normalise
from loaders.model import Observation
from loaders.table import Column, Row
from loaders.text import CellError, clean, count, number, quantity, vn_number
from loaders.trees import VILLAGE_HEADERS

KIND = "bang_thang"

UNIT_HEADERS = (
    "Đơn vị", "Tên đơn vị", "Trường", "Tên trường", "Trường học", "Cơ sở", "Tên cơ sở", "Cơ quan, đơn vị",
    "Đơn vị/Trường", "Cơ sở y tế", "Tên cơ sở y tế", "Đơn vị báo cáo", "Tổ chức", "Chi hội", "Đoàn thể",
    "Tên trường học", "Cơ quan", "Tên cơ quan, đơn vị", "Cơ quan/đơn vị", "Tổ chức, đoàn thể",
)  # fmt: skip
CONTENT_HEADERS = (
    "Nội dung", "Chỉ tiêu", "Tên chỉ tiêu", "Nội dung chỉ tiêu", "Danh mục", "Nội dung công việc", "Các chỉ tiêu",
    "Nội dung thực hiện", "Tiêu chí", "Nội dung báo cáo", "Hạng mục", "Nội dung/Chỉ tiêu", "Chỉ tiêu/Nội dung",
)  # fmt: skip
VALUE_HEADERS = (
    "Số lượng", "Kết quả", "Thực hiện", "Kết quả thực hiện", "Số liệu", "Giá trị", "Kết quả đạt được", "Tháng này",
    "Số liệu tháng", "Thực hiện tháng", "Số liệu báo cáo", "Kết quả trong tháng", "Thực hiện trong tháng",
)  # fmt: skip
IGNORED_HEADERS = (
    "Đơn vị tính", "Lũy kế", "Lũy kế từ đầu năm", "Lũy kế đến nay", "Lũy kế từ đầu kỳ", "Kế hoạch", "Kế hoạch năm",
    "Chỉ tiêu kế hoạch", "Cùng kỳ", "Cùng kỳ năm trước", "So sánh", "So với kế hoạch", "So với cùng kỳ", "Ghi chú",
    "STT", "Số thứ tự", "Đánh giá", "Tỷ lệ so với kế hoạch", "Tháng trước", "Kỳ trước", "Tỷ lệ", "Mục tiêu",
    "Chỉ tiêu năm", "Lũy kế năm", "Người phụ trách", "Địa chỉ", "Số điện thoại",
)  # fmt: skip


@dataclass(frozen=True)
class Quantity:
    """A quantity the catalogue's sheets carry (a numerator or denominator), shared by indicators naming it."""

    key: str
    header: str
    names: tuple[str, ...]
    measure: bool  # tonnes, kg, ha, money: read as a non-negative number; else a whole count


@dataclass(frozen=True)
class Quantities:
    items: dict[str, Quantity]
    of: dict[str, tuple[str, str | None]]  # indicator code → (numerator key, denominator key or None)


@lru_cache(maxsize=4)
def quantities(catalogue: Catalogue) -> Quantities:
    """Group the catalogue's numerator/denominator columns into quantities: names that read the same are one.

    Built once per catalogue (every sheet's header search asks for it, ~1 ms a time); read-only."""
    groups: list[tuple[set[str], list[str], str]] = []  # (short forms, names, first header)
    slots: dict[tuple[str, str], int] = {}
    for ind in catalogue.indicators:
        for role in ("numerator", "denominator"):
            col = getattr(ind, role)
            if col is None:
                continue
            shorts = {normalise(n).short for n in col.names}
            hit = next((i for i, g in enumerate(groups) if g[0] & shorts), None)
            if hit is None:
                groups.append((set(shorts), list(col.names), col.header))
                hit = len(groups) - 1
            else:
                groups[hit][0].update(shorts)
                groups[hit][1].extend(n for n in col.names if n not in groups[hit][1])
            slots[(ind.code, role)] = hit
    items = {}
    for i, (_, names, header) in enumerate(groups):
        folded = [normalise(n) for n in names]
        measure = any(h.key.startswith(("khoi luong", "dien tich", "gia tri")) for h in folded)
        items[f"q{i}"] = Quantity(f"q{i}", header, tuple(names), measure)
    of = {}
    for ind in catalogue.indicators:
        if (ind.code, "numerator") in slots:
            den = slots.get((ind.code, "denominator"))
            of[ind.code] = (f"q{slots[(ind.code, 'numerator')]}", None if den is None else f"q{den}")
    return Quantities(items, of)


def vocabulary(catalogue: Catalogue) -> Vocabulary:
    qs = quantities(catalogue)
    concepts = [Concept(q.key, q.names) for q in qs.items.values()]
    concepts += [
        Concept("village", VILLAGE_HEADERS),
        Concept("unit_label", UNIT_HEADERS),
        Concept("content", CONTENT_HEADERS),
        Concept("value", VALUE_HEADERS),
        Concept("misc", IGNORED_HEADERS, ignore=True),
    ]
    return Vocabulary(concepts)


def _numerator_keys(catalogue: Catalogue) -> set[str]:
    return {num for num, _ in quantities(catalogue).of.values()}


def score(matches: dict[int, Match], columns: list, catalogue: Catalogue) -> int:
    keys = {m.key for m in matches.values() if m.key and not m.ignored}
    numerators = keys & _numerator_keys(catalogue)
    if numerators and ({"village", "unit_label"} & keys):
        return 1 + len({k for k in keys if k.startswith("q")})
    if "content" in keys and "value" in keys:
        return 2
    return 0


def read(ctx: SheetContext) -> None:
    keys = {m.key for m in ctx.matches.values() if m.key}
    qs = quantities(ctx.catalogue)
    if keys & _numerator_keys(ctx.catalogue) and ({"village", "unit_label"} & keys):
        _read_wide(ctx, qs)
    else:
        _read_transposed(ctx, qs)


def _indicators(catalogue: Catalogue) -> dict[str, Indicator]:
    return {i.code: i for i in catalogue.indicators}


def _weight_factor(num_units: tuple[str, ...], den_units: tuple[str, ...]) -> float:
    """Numerator in kg and denominator in tonnes (or the reverse): bring the numerator to the denominator's unit."""
    scale = {"kg": 1.0, "tan": 1000.0}
    n = next((u for u in num_units if u in scale), None)
    d = next((u for u in den_units if u in scale), None)
    return scale[n] / scale[d] if n and d else 1.0


def _units(col: Column) -> tuple[str, ...]:
    return tuple(u for p in col.parts for u in normalise(p).units)


def _read_wide(ctx: SheetContext, qs: Quantities) -> None:
    label_col = ctx.column_of("village") or ctx.column_of("unit_label")
    by_village = ctx.column_of("village") is not None
    q_cols: dict[str, Column] = {}
    dupes: set[int] = set()
    for col in ctx.table.columns:
        m = ctx.matches.get(col.index)
        if not m or not m.key or not m.key.startswith("q"):
            continue
        if m.key in q_cols:
            ctx.problem(
                f"Hai cột cùng là '{qs.items[m.key].header}': cột {q_cols[m.key].letter} ('{q_cols[m.key].label}') "
                f"và cột {col.letter} ('{col.label}'). Cột nào đúng? Hãy xóa hoặc đổi tên một cột.",
                col=col.index,
            )
            dupes.add(col.index)
            continue
        q_cols[m.key] = col
    indicators = _indicators(ctx.catalogue)
    found: list[tuple[Indicator, Column, Column | None]] = []
    reported: set[int] = set()  # numerator columns already named in an error
    for code, (num, den) in qs.of.items():
        if num not in q_cols:
            continue
        ind = indicators[code]
        if den is not None and den not in q_cols:
            reported.add(q_cols[num].index)
            ctx.problem(
                f"Có cột '{q_cols[num].label}' (tử số của chỉ tiêu '{ind.name}') nhưng thiếu cột mẫu số "
                f"'{qs.items[den].header}'. Hãy thêm cột '{qs.items[den].header}' để tính được tỷ lệ.",
                col=q_cols[num].index,
            )
            continue
        found.append((ind, q_cols[num], q_cols[den] if den else None))
    used = {c.index for _, n, d in found for c in (n, d) if c is not None}
    pct_cols = _percent_columns(ctx, found)
    totals = TotalsCheck(ctx, [q_cols[k] for k in q_cols if q_cols[k].index in used])
    numeric_unused: set[int] = set()
    skip = used | reported | dupes | {label_col.index} | {c.index for c in pct_cols.values()}
    skip |= {i for i, m in ctx.matches.items() if m.ignored or m.key in ("village", "unit_label")}
    commune_rows: list[Row] = []
    data_rows = 0
    measure = {c.index: qs.items[k].measure for k, c in q_cols.items()}
    for row in ctx.table.rows(label_columns=(label_col.index,)):
        if row.kind == "total":
            totals.check(row)
            continue
        if row.kind == "section":
            totals.section()
            continue
        if row.kind == "commune" and not by_village:
            row = Row(row.index, row.values, "data", row.section)
        if row.kind == "commune":
            commune_rows.append(row)
            continue
        for i, v in enumerate(row.values):
            if i not in skip and v != "" and isinstance(v, int | float) and not isinstance(v, bool):
                numeric_unused.add(i)
        errors = ctx.error_count
        values = _read_values(ctx, row, used, measure, totals, q_cols)
        if ctx.error_count > errors:
            data_rows += 1
            continue
        if all(v is None for v in values.values()):
            continue
        data_rows += 1
        _emit(ctx, row, label_col, by_village, found, values, pct_cols)
    for row in commune_rows:
        if data_rows:
            totals.check(row)
        else:
            values = _read_values(ctx, row, used, measure, totals, q_cols)
            _emit(ctx, row, label_col, by_village, found, values, pct_cols, commune=True)
    for idx in sorted(numeric_unused):
        col = next((c for c in ctx.table.columns if c.index == idx), None)
        what = f"'{col.label}'" if col else "(không có tiêu đề)"
        hint = (
            " (cột này là mẫu số nhưng bảng không có cột tử số tương ứng)"
            if col and ctx.matches.get(idx, Match(None)).key in q_cols
            else ""
        )
        ctx.problem(
            f"Cột {col.letter if col else idx} {what} có số liệu nhưng không khớp chỉ tiêu nào trong danh mục{hint}, "
            "nên được bỏ qua. Nếu cột này là một chỉ tiêu, hãy đổi tiêu đề cho đúng tên trong danh mục hoặc bổ sung "
            "tên gọi khác (aliases) vào catalogue.toml.",
            col=idx,
            severity="warning",
        )


def _read_values(ctx, row, used, measure, totals, q_cols) -> dict[int, float | None]:
    values: dict[int, float | None] = {}
    for col in q_cols.values():
        if col.index not in used:
            continue
        v = ctx.read(row, col, quantity if measure[col.index] else count)
        values[col.index] = None if v is None else float(v)
        totals.add(col, values[col.index])
    return values


def _percent_columns(ctx: SheetContext, found) -> dict[str, Column]:
    """Which ratio indicator each percentage column shows: the nearest numerator on its left."""
    out: dict[str, Column] = {}
    ratio = sorted((n.index, ind.code) for ind, n, d in found if d is not None)
    for col in ctx.table.columns:
        h = normalise(col.parts[-1])
        if "%" not in _units(col) and not h.key.startswith("ty le"):
            continue
        left = [code for i, code in ratio if i < col.index]
        if left and left[-1] not in out:
            out[left[-1]] = col
    return out


def _emit(ctx, row, label_col, by_village, found, values, pct_cols, commune: bool = False) -> None:
    village, breakdown = None, ("", "")
    if commune:
        pass
    elif by_village:
        if ctx.label(row, label_col) is None:
            return
        village = ctx.read(row, label_col, ctx.villages.code)
        if village is None:
            return
    else:
        name = ctx.label(row, label_col, name="tên đơn vị")
        if name is None:
            return
        breakdown = ("don_vi", name)
    for ind, ncol, dcol in found:
        num = values.get(ncol.index)
        if num is None:
            continue
        den = None
        if dcol is not None:
            den = values.get(dcol.index)
            if den is None:
                ctx.problem(
                    f"'{ind.short}': có tử số {vn_number(num)} nhưng ô mẫu số ({dcol.label}) để trống; hãy điền.",
                    row.number,
                    dcol.index,
                )
                continue
            num = num * _weight_factor(_units(ncol), _units(dcol))
            if num > den + 1e-9:
                ctx.problem(
                    f"'{ind.short}': tử số ({ncol.label}: {vn_number(num)}) lớn hơn mẫu số ({dcol.label}: "
                    f"{vn_number(den)}), tỷ lệ vượt 100%; hãy kiểm tra lại.",
                    row.number,
                    ncol.index,
                )
                continue
            ctx.check_percent(row, pct_cols.get(ind.code), num, den, f"'{ind.short}'")
        ctx.observations.append(Observation(ind.code, ctx.period, num, den, village, breakdown, ctx.sheet, row.number))


def _read_transposed(ctx: SheetContext, qs: Quantities) -> None:
    content = ctx.column_of("content")
    values = ctx.columns_of("value")
    value_col = _month_column(ctx, values)
    if value_col is None:
        return
    uom = next((c for c in ctx.table.columns if normalise(c.parts[-1]).key == "don vi tinh"), None)
    vocab = vocabulary(ctx.catalogue)
    rows_of: dict[str, tuple[Row, float, tuple[str, ...]]] = {}
    for row in ctx.table.rows(label_columns=(content.index,)):
        if row.kind not in ("data", "total", "commune"):
            continue
        label = clean(row.values[content.index] if content.index < len(row.values) else "")
        if not label:
            continue
        raw = row.values[value_col.index] if value_col.index < len(row.values) else ""
        m = match_column(vocab, [label])
        key = m.key if m.key and m.key.startswith("q") else None
        if key is None:
            if m.candidates:
                names = ", ".join(qs.items[k].header for k in m.candidates if k in qs.items)
                ctx.problem(
                    f"Dòng '{label}' khớp với nhiều chỉ tiêu ({names}); hãy ghi tên chỉ tiêu rõ hơn.",
                    row.number,
                    content.index,
                )
            elif _is_number(raw) and not normalise(label).key.startswith("ty le"):
                ctx.problem(
                    f"Dòng '{label}' có số liệu nhưng không khớp chỉ tiêu nào trong danh mục, nên được bỏ qua. Nếu "
                    "đây là một chỉ tiêu, hãy ghi đúng tên trong danh mục hoặc bổ sung tên gọi khác (aliases) vào "
                    "catalogue.toml.",
                    row.number,
                    content.index,
                    severity="warning",
                )
            continue
        q = qs.items[key]
        v = ctx.read(row, value_col, quantity if q.measure else count)
        if v is None:
            continue
        if key in rows_of:
            ctx.problem(
                f"'{q.header}' được ghi hai lần (dòng {rows_of[key][0].number} và dòng {row.number}). Dòng nào đúng? "
                "Hãy xóa dòng thừa.",
                row.number,
                content.index,
            )
            continue
        units = normalise(label).units
        if uom is not None:
            units += normalise(f"({clean(row.values[uom.index])})").units if uom.index < len(row.values) else ()
        rows_of[key] = (row, float(v), units)
    indicators = _indicators(ctx.catalogue)
    for code, (num, den) in qs.of.items():
        if num not in rows_of:
            continue
        ind = indicators[code]
        row, value, units = rows_of[num]
        denominator = None
        if den is not None:
            if den not in rows_of:
                ctx.problem(
                    f"Có dòng '{clean(row.values[content.index])}' (tử số của '{ind.name}') nhưng thiếu dòng mẫu số "
                    f"'{qs.items[den].header}'. Hãy thêm dòng đó để tính được tỷ lệ.",
                    row.number,
                    content.index,
                )
                continue
            denominator = rows_of[den][1]
            value *= _weight_factor(units, rows_of[den][2])
            if value > denominator + 1e-9:
                ctx.problem(
                    f"'{ind.short}': tử số ({vn_number(value)}) lớn hơn mẫu số ({vn_number(denominator)}), tỷ lệ "
                    "vượt 100%; hãy kiểm tra lại.",
                    row.number,
                    value_col.index,
                )
                continue
        ctx.observations.append(
            Observation(code, ctx.period, value, denominator, None, ("", ""), ctx.sheet, row.number)
        )


def _is_number(v: object) -> bool:
    try:
        return number(v) is not None
    except CellError:
        return False


def _month_column(ctx: SheetContext, values: list[Column]) -> Column | None:
    if len(values) == 1:
        return values[0]
    monthly = [c for c in values if any(w in normalise(" ".join(c.parts)).key for w in ("thang", "trong ky", "ky nay"))]
    if len(monthly) == 1:
        return monthly[0]
    ctx.problem(
        "Bảng có nhiều cột số liệu (" + ", ".join(f"{c.letter} '{c.label}'" for c in values) + "); không rõ cột nào là "
        "số liệu của tháng. Hãy để lại một cột kết quả trong tháng (ví dụ 'Thực hiện trong tháng').",
    )
    return None
