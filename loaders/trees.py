"""Tree planting report → new trees by village and place type, from a per-village table or an event log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from itertools import islice
from operator import itemgetter

from ground.catalogue import Catalogue
from ground.text import fold
from loaders.context import SheetContext, TotalsCheck
from loaders.headers import Concept, Match, Vocabulary, normalise
from loaders.model import Observation
from loaders.period import in_range, month_label, period_of
from loaders.table import Column, Row, Run, Table
from loaders.text import CellError, clean, count, to_date, vn_date, vn_number

KIND = "trong_cay"
DEFAULT_UNIT = "phong-kinh-te"
INDICATOR = "cay_xanh_trong_moi"
PLACE_TYPES = ("khu-cong-cong", "truong-hoc", "nha-van-hoa", "tuyen-duong", "khac")

VILLAGE_HEADERS = (
    "Thôn", "Tên thôn", "Thôn/Xóm", "Thôn, xóm", "Tên thôn/xóm", "Thôn, khu dân cư", "Thôn/Khu dân cư", "Địa bàn",
    "Tên thôn, xóm", "Thôn (xóm)", "Địa bàn thôn", "Thôn, tổ dân phố", "Đơn vị thôn",
)  # fmt: skip
LABELS = {
    "village": "Thôn",
    "place": "Địa điểm trồng",
    "trees": "Số cây",
    "date": "Ngày trồng",
    "place_type": "Loại địa điểm",
    **{f"pt:{code}": code for code in PLACE_TYPES},
}


def vocabulary(catalogue: Catalogue) -> Vocabulary:
    # fmt: off
    return Vocabulary(
        [
            Concept("village", VILLAGE_HEADERS),
            Concept(
                "place",
                ("Địa điểm trồng", "Địa điểm", "Nơi trồng", "Vị trí trồng", "Vị trí", "Địa điểm trồng cây",
                 "Khu vực trồng", "Nơi trồng cây", "Địa điểm, nơi trồng"),
            ),
            Concept(
                "pt:khu-cong-cong",
                ("Khu công cộng", "Công cộng", "Nơi công cộng", "Khu vực công cộng", "Công viên", "Khu vui chơi"),
                under=("place",),
            ),
            Concept("pt:truong-hoc", ("Trường học", "Khuôn viên trường học", "Trường"), under=("place",)),
            Concept("pt:nha-van-hoa", ("Nhà văn hóa", "Nhà văn hóa thôn", "Khu nhà văn hóa"), under=("place",)),
            Concept(
                "pt:tuyen-duong",
                ("Tuyến đường", "Đường giao thông", "Ven đường", "Hai bên đường", "Đường làng, ngõ xóm", "Đường",
                 "Tuyến đường giao thông", "Đường làng", "Đường thôn"),
                under=("place",),
            ),
            Concept("pt:khac", ("Khác", "Địa điểm khác", "Nơi khác", "Vị trí khác"), under=("place",)),
            Concept(
                "trees",
                ("Tổng số", "Tổng số cây", "Số cây", "Số cây trồng", "Số cây trồng mới", "Tổng số cây trồng",
                 "Tổng", "Cộng", "Số lượng cây", "Số cây xanh trồng mới", "Cây xanh trồng mới",
                 "Tổng số cây xanh trồng mới", "Số cây đã trồng", "Số lượng", "Số lượng cây trồng",
                 "Số cây xanh", "Tổng số cây xanh", "Số lượng cây xanh", "Tổng cộng"),
                under=("place",),
            ),
            Concept(
                "date",
                ("Ngày trồng", "Ngày", "Thời gian trồng", "Thời gian", "Ngày tháng", "Ngày thực hiện",
                 "Ngày tháng năm", "Ngày trồng cây", "Ngày, tháng, năm", "Thời gian thực hiện"),
            ),
            Concept(
                "place_type",
                ("Loại địa điểm", "Loại vị trí", "Phân loại địa điểm", "Nhóm địa điểm", "Loại hình địa điểm",
                 "Loại nơi trồng"),
            ),
            Concept("species", ("Loại cây", "Chủng loại cây", "Tên cây", "Giống cây", "Loài cây", "Chủng loại",
                                "Loại cây trồng", "Tên loại cây"), ignore=True),
            Concept(
                "misc",
                ("STT", "Số thứ tự", "Ghi chú", "Đơn vị thực hiện", "Đơn vị trồng", "Người thực hiện",
                 "Tổ chức thực hiện", "Đơn vị", "Lực lượng tham gia", "Đơn vị/cá nhân thực hiện", "Kinh phí",
                 "Nguồn kinh phí", "Chiều cao", "Đường kính"),
                ignore=True,
            ),
        ]
    )
    # fmt: on


def _under_place(col: Column) -> bool:
    return any(normalise(p).short in _PLACE_PARENT for p in col.parts[:-1])


_PLACE_PARENT = {normalise(n).short for n in ("Địa điểm trồng", "Địa điểm", "Nơi trồng", "Vị trí trồng")}


def place_columns(matches: dict[int, Match], columns: list[Column]) -> dict[int, str]:
    """Place-type column → code; a child of "Địa điểm trồng" nobody named is classified from its header."""
    out = {}
    for col in columns:
        m = matches.get(col.index)
        if m and m.key and m.key.startswith("pt:"):
            out[col.index] = m.key[3:]
        elif m and m.key is None and not m.ignored and not m.candidates and _under_place(col):
            out[col.index] = classify_place(col.parts[-1])
    return out


def score(matches: dict[int, Match], columns: list[Column]) -> int:
    keys = {m.key for m in matches.values() if m.key}
    places = place_columns(matches, columns)
    tree_word = any("cay" in normalise(c.parts[-1]).key.split() or "cay" in normalise(c.parts[-1]).units
                    for c in columns if matches.get(c.index, Match(None)).key == "trees")  # fmt: skip
    if not (places or tree_word or "species" in keys):
        return 0
    if "date" in keys and "trees" in keys and ("village" in keys or "place" in keys):
        return 4 + len(keys)
    if "village" in keys and (places or "trees" in keys) and "date" not in keys:
        return 4 + len(keys) + len(places)
    return 0


def read(ctx: SheetContext) -> None:
    if ctx.column_of("date") is not None:
        _read_log(ctx)
    else:
        _read_wide(ctx)


def _read_wide(ctx: SheetContext) -> None:
    village_col = ctx.column_of("village")
    places = place_columns(ctx.matches, ctx.table.columns)
    place_cols = [c for c in ctx.table.columns if c.index in places]
    totals = ctx.columns_of("trees")
    total_col = totals[0] if totals else None
    for extra in totals[1:]:
        ctx.problem(
            f"Có hai cột tổng số cây ('{total_col.label}' và '{extra.label}'); chỉ dùng cột {total_col.letter}. "
            "Hãy xóa cột thừa nếu không cần.",
            col=extra.index,
            severity="warning",
        )
    check = TotalsCheck(ctx, [*place_cols, total_col])
    commune_rows = []
    data_rows = 0
    for row in check.data_rows(ctx.table.rows(label_columns=(village_col.index,)), commune_rows):
        errors = ctx.error_count
        by_place = {c.index: ctx.read(row, c, count) for c in place_cols}
        total = ctx.read(row, total_col, count)
        if ctx.error_count > errors:
            data_rows += 1
            continue
        if total is None and all(v is None for v in by_place.values()):
            continue
        data_rows += 1
        for c in place_cols:
            check.add(c, by_place[c.index])
        check.add(total_col, total)
        if ctx.label(row, village_col, what="số cây") is None:
            continue
        village = ctx.read(row, village_col, ctx.villages.code)
        if village is None:
            continue
        _emit_wide(ctx, row, village, by_place, places, place_cols, total, total_col)
    for row in commune_rows:
        if data_rows:
            check.check(row)
        else:
            by_place = {c.index: ctx.read(row, c, count) for c in place_cols}
            total = ctx.read(row, total_col, count)
            _emit_wide(ctx, row, None, by_place, places, place_cols, total, total_col)


def _emit_wide(ctx, row, village, by_place, places, place_cols, total, total_col) -> None:
    if place_cols:
        given = [v for v in by_place.values() if v is not None]
        summed = sum(given)
        if total is not None and summed != total:
            ctx.problem(
                f"Tổng số cây của dòng ({vn_number(total)}, cột {total_col.letter}) khác tổng các địa điểm trồng "
                f"({vn_number(summed)}). Số nào đúng? Hãy sửa lại cho khớp.",
                row.number,
                total_col.index,
            )
            return
        by_code: dict[str, int] = {}
        for c in place_cols:
            v = by_place[c.index]
            if v is not None:
                by_code[places[c.index]] = by_code.get(places[c.index], 0) + v
        for code, v in by_code.items():
            ctx.observations.append(
                Observation(INDICATOR, ctx.period, float(v), None, village, ("dia_diem", code), ctx.sheet, row.number)
            )
    elif total is not None:
        ctx.observations.append(Observation(INDICATOR, ctx.period, float(total), None, village, ("", ""), ctx.sheet,
                                            row.number))  # fmt: skip


def _read_log(ctx: SheetContext) -> None:
    """One planting event per row; the month of each comes from its date."""
    log = _Log(ctx)
    for block in ctx.table.blocks(label_columns=log.labels, value_columns=(log.di, log.ti)):
        if block.__class__ is Run:
            if not log.run(block):
                log.rows(block)
            continue
        log.flush()
        if block.kind == "section":
            log.section_type = classify_place(block.section)
            log.check.section()
        elif block.kind == "total" or block.kind == "commune":
            log.check.check(block)
    log.flush()


class _Log:
    """A planting log being read. A stretch of data rows whose cells are all of the common kinds (a real or
    written date, a whole number of trees, a known village, a place written as text) is read column by column,
    one dictionary look-up per cell (`run`, 100.000 rows in ~0,05 s); a stretch it declines is read row by row
    (`rows`) with the same parsers and placed messages as every other sheet, so both give the same report."""

    def __init__(self, ctx: SheetContext):
        self.ctx = ctx
        self.date_col = ctx.column_of("date")
        self.trees_col = ctx.column_of("trees")
        village_col = self.village_col = ctx.column_of("village")
        place_col = ctx.column_of("place")
        type_col = ctx.column_of("place_type")
        self.check = TotalsCheck(ctx, [self.trees_col])
        self.di, self.ti = self.date_col.index, self.trees_col.index
        self.vi = village_col.index if village_col else None
        pi = place_col.index if place_col else None
        ki = type_col.index if type_col else None
        self.place_indices = tuple(i for i in (ki, pi) if i is not None)  # the place type first, then the place
        self.labels = tuple(i for i in (self.vi, pi) if i is not None)
        self.section_type = "khac"
        self.period_cache: dict[tuple[int, int], str] = {}
        self.period_of_day: dict[date, str] = {}
        self.date_cache: dict[str, object] = {}
        self.place_cache: dict[object, str] = {}
        self.village_cache: dict[object, str | CellError | None] = {}
        # Trees of the data rows since the last section or totals row, handed to the check in one sum (whole
        # numbers: the same float as adding them one by one) before it needs them.
        self.pending, self.pending_rows = 0, 0

    def flush(self) -> None:
        if self.pending_rows:
            self.check.add(self.trees_col, self.pending)
            self.pending, self.pending_rows = 0, 0

    def period(self, d: date) -> str:
        """The month of a day ("" outside the accepted years)."""
        period = self.period_of_day.get(d)
        if period is None:
            ym = (d.year, d.month)
            period = self.period_cache.get(ym)
            if period is None:
                period = self.period_cache[ym] = period_of(*ym)
                if not in_range(period):
                    self.period_cache[ym] = period = ""
            self.period_of_day[d] = period
        return period

    def run(self, run: Run) -> bool:
        """Read a stretch of data rows column by column; False, having changed nothing, when any row holds a cell
        of another kind or would raise a problem: the stretch is then read row by row.

        The table's whole columns (values, distinct values, classes) are shared with the row classification; a
        column whose cells are all of the accepted classes maps each distinct value once and each row by one
        dictionary look-up. (Accepted classes never hold equal values of two classes, so a distinct value
        stands for every equal cell.)"""
        ctx, table = self.ctx, self.ctx.table
        rows, idx = table.sheet.rows, run.indices
        contiguous = idx[-1] - idx[0] + 1 == len(idx)
        shortest = table.widths()[0]

        def cells(c: int) -> Iterator:
            """Column c's values in the run's rows."""
            if c >= shortest:  # a short row has no cell there: the padded column
                column, start = table.column(c), table.data_start
                if contiguous:
                    return islice(column, idx[0] - start, idx[-1] + 1 - start)
                return map(column.__getitem__, [i - start for i in idx])
            return map(itemgetter(c), islice(rows, idx[0], idx[-1] + 1) if contiguous else map(rows.__getitem__, idx))

        trees = self._mapping(table, self.ti, cells, _TREE_CLASSES, self._tree)
        days = self._mapping(table, self.di, cells, _DATE_CLASSES, self._day)
        if trees is None or days is None:
            return False
        if "" in trees or "" in days:
            # Rows without a date and a number are skipped; a row with only one of them is a problem.
            pairs = list(zip(cells(self.di), cells(self.ti), strict=True))
            keep = [k for k, (d, t) in enumerate(pairs) if d != "" or t != ""]
            if any(pairs[k][0] == "" or pairs[k][1] == "" for k in keep):
                return False
            if len(keep) < len(idx):
                return not keep or self.run(Run([idx[k] for k in keep], run.section))
        periods = list(map(days.__getitem__, cells(self.di)))
        month_set = set(periods)
        if "" in month_set or (ctx.period is not None and month_set != {ctx.period}):
            return False
        villages = self._villages(table, idx, cells)
        places = self._places(table, idx, cells)
        if villages is None or places is None:
            return False
        counts = list(map(trees.__getitem__, cells(self.ti)))
        ctx.periods.update(month_set)
        self.pending += sum(counts)
        self.pending_rows += len(idx)
        ctx.observations.add_columns(
            len(idx),
            indicator=INDICATOR,
            period=periods,
            value=list(map(float, counts)),
            denominator=None,
            village=villages,
            dim="dia_diem",
            dim_value=places,
            sheet=ctx.sheet,
            row=list(range(idx[0] + 1, idx[-1] + 2)) if contiguous else [i + 1 for i in idx],
        )
        return True

    def _mapping(self, table: Table, c: int, cells, accepted: set[type], read_one) -> dict | None:
        """Each distinct value of column c in the run → what `read_one` makes of it, or None when a cell of the run
        is of another class or `read_one` declines one of its values (returns None)."""
        if table.classes(c) <= accepted:
            values = table.distinct(c)  # the whole body's: a value outside the run is looked at for nothing
        else:
            run_cells = list(cells(c))
            if not set(map(type, run_cells)) <= accepted:
                return None
            values = set(run_cells)
        out, declined = {}, set()
        for raw in values:
            got = read_one(raw)
            if got is None:
                declined.add(raw)
            else:
                out[raw] = got
        if declined and not declined.isdisjoint(cells(c)):
            return None
        return out

    def _tree(self, raw: float | int | str) -> int | str | None:
        """A cell of the trees column: its whole number, "" when empty, None for anything else. (A float and an
        int that are equal read as the same count, so either may stand for both.)"""
        if raw.__class__ is float:
            return int(raw) if raw >= 0 and raw.is_integer() else None
        if raw == "":
            return ""
        try:
            return count(raw)
        except CellError:
            return None

    def _day(self, raw: date | str) -> str | None:
        """A cell of the date column: its month ("" when empty), None when it is not a date in the years taken."""
        cls = raw.__class__
        if cls is date:
            d = raw
        elif cls is datetime:
            d = raw.date()
        elif raw == "":
            return ""
        else:
            d = self.text_date(raw)
            if d is None or isinstance(d, CellError):
                return None
        return self.period(d) or None

    def text_date(self, raw: str) -> date | CellError | None:
        """A text cell's date (or why it is not one), read once per distinct text: a log repeats its dates."""
        d = self.date_cache.get(raw)
        if d is None:
            try:
                d = to_date(raw)
            except CellError as exc:
                d = exc
            self.date_cache[raw] = d
        return d

    def _texts(self, table: Table, idx: list[int], cells, c: int) -> tuple[list | None, set] | None:
        """Column c's values in the run as shown (a merged range's value in an empty cell) and a set holding
        them; None when one is not a text. The values are None when they are the column's own (read them with
        `cells`)."""
        sheet = table.sheet
        if sheet.merged and "" in table.distinct(c):
            raws = list(cells(c))
            if "" in raws:
                raws = [sheet.merged_value(i, c) if v == "" else v for i, v in zip(idx, raws, strict=True)]
                values = set(raws)
                return (raws, values) if set(map(type, values)) <= {str} else None
        if table.classes(c) <= {str}:
            return None, table.distinct(c)
        values = set(cells(c))
        return (None, values) if set(map(type, values)) <= {str} else None

    def _villages(self, table: Table, idx: list[int], cells) -> list | None:
        """The village code of each row, None for a row without one; None when a name is not a text or not a
        known village."""
        if self.vi is None:
            return [None] * len(idx)
        got = self._texts(table, idx, cells, self.vi)
        if got is None:
            return None
        raws, values = got
        codes: dict = {}
        unknown = set()
        for raw in values:
            village = None
            if raw != "":
                village = self.village_cache.get(raw)
                if village is None:
                    try:
                        village = self.ctx.villages.code(raw)
                    except CellError as exc:
                        village = exc
                    self.village_cache[raw] = village
                if isinstance(village, CellError):
                    unknown.add(raw)
            codes[raw] = village
        if unknown and not unknown.isdisjoint(cells(self.vi) if raws is None else raws):
            return None
        return list(map(codes.__getitem__, cells(self.vi) if raws is None else raws))

    def _places(self, table: Table, idx: list[int], cells) -> list | None:
        """The place type code of each row: from its place type, else its place, else the section's; None when a
        place is not a text."""
        chosen: list | None = None
        values: set = set()
        for c in self.place_indices:
            got = self._texts(table, idx, cells, c)
            if got is None:
                return None
            raws, distinct = got
            values |= distinct
            if chosen is None and len(self.place_indices) == 1:
                chosen = raws
            else:
                raws = list(cells(c)) if raws is None else raws
                chosen = raws if chosen is None else [v if v != "" else w for v, w in zip(chosen, raws, strict=True)]
        codes: dict = {}
        for raw in values:
            code = "khac"
            if raw != "":
                code = self.place_cache.get(raw)
                if code is None:
                    code = self.place_cache[raw] = classify_place(raw)
            if code == "khac":
                code = self.section_type  # a section row ("Trường học") names the place when the row does not
            codes[raw] = code
        if not self.place_indices:
            return [self.section_type] * len(idx)
        source = cells(self.place_indices[0]) if chosen is None else chosen
        return list(map(codes.__getitem__, source))

    def rows(self, run: Run) -> None:
        rows = self.ctx.table.sheet.rows
        for i in run.indices:
            self.row(Row(i, rows[i], "data", run.section))

    def row(self, row: Row) -> None:
        """One data row, every problem placed and worded as on any other sheet."""
        ctx = self.ctx
        date_col, trees_col, di, ti = self.date_col, self.trees_col, self.di, self.ti
        vals = row.values
        raw_date = vals[di] if di < len(vals) else ""
        raw_trees = vals[ti] if ti < len(vals) else ""
        if raw_date == "" and raw_trees == "":
            return
        if raw_trees.__class__ is float and raw_trees >= 0 and raw_trees.is_integer():
            n = int(raw_trees)  # text.count()'s own fast path, without the two calls
        else:
            n = ctx.read(row, trees_col, count)
        cls = raw_date.__class__
        if cls is date:
            d = raw_date
        elif cls is datetime:
            d = raw_date.date()
        elif cls is str:
            d = self.text_date(raw_date)
            if isinstance(d, CellError):
                ctx.problem(f"Ô {date_col.letter}{row.number} (cột '{date_col.label}'): {d}.", row.number, di)
                return
        else:
            d = ctx.read(row, date_col, to_date)
            if d is None and raw_date != "":
                return
        if d is None:
            if n is not None:
                ctx.problem(
                    f"Dòng {row.number} có {vn_number(n)} cây nhưng thiếu ngày trồng (cột {date_col.letter}); "
                    "hãy ghi ngày dạng 05/09/2026.",
                    row.number,
                    di,
                )
            return
        if n is None:
            if raw_trees == "":
                ctx.problem(
                    f"Dòng {row.number} (ngày {vn_date(d)}) thiếu số lượng cây (cột {trees_col.letter}); hãy điền "
                    "số cây đã trồng.",
                    row.number,
                    ti,
                )
            return
        self.pending += n
        self.pending_rows += 1
        period = self.period(d)
        if not period:
            ctx.problem(
                f"Ngày trồng {vn_date(d)} nằm ngoài khoảng tháng 1/2020 – tháng 12/2060; hãy kiểm tra lại năm.",
                row.number,
                di,
            )
            return
        if ctx.period is not None and period != ctx.period:
            ctx.problem(
                f"Ngày trồng {vn_date(d)} (ô {date_col.letter}{row.number}) không thuộc kỳ báo cáo "
                f"{month_label(ctx.period)} ghi ở đầu trang. Hãy sửa ngày, hoặc báo cáo tháng đó ở tệp/trang riêng.",
                row.number,
                di,
            )
            return
        sheet = ctx.table.sheet
        village = None
        vi = self.vi
        if vi is not None:
            raw = vals[vi] if vi < len(vals) else ""
            if raw == "":
                raw = sheet.merged_value(row.index, vi)
            if raw != "":
                village = self.village_cache.get(raw) if raw.__class__ is str else None
                if village is None:
                    try:
                        village = ctx.villages.code(raw)
                    except CellError as exc:
                        village = exc
                    if raw.__class__ is str:
                        self.village_cache[raw] = village
                if isinstance(village, CellError):
                    ctx.problem(f"Ô {self.village_col.letter}{row.number}: {village}.", row.number, vi)
                    return
        code = "khac"
        for idx in self.place_indices:
            raw = vals[idx] if idx < len(vals) else ""
            if raw == "":
                raw = sheet.merged_value(row.index, idx)
            if raw != "":
                got = self.place_cache.get(raw)
                if got is None:
                    got = self.place_cache[raw] = classify_place(raw)
                code = got
                break
        if code == "khac":
            code = self.section_type  # a section row ("Trường học") names the place when the row does not
        ctx.periods.add(period)
        ctx.observations.append(
            Observation(INDICATOR, period, float(n), None, village, ("dia_diem", code), ctx.sheet, row.number)
        )


_TREE_CLASSES = {float, int, str}  # what the fast path reads: numbers (.xls gives ints), texts ("12", "")
_DATE_CLASSES = {date, datetime, str}
_WORDS = re.compile(r"[^\W_]+")
# Keywords with their accents: folded, short words collide ("hộ" household / "hồ" lake, "sản" / "sân").
_SCHOOL = ("trường", "mầm non", "mẫu giáo", "tiểu học", "thcs", "thpt", "trung học", "nhà trẻ")
_CULTURE = ("nhà văn hóa", "nhà văn hoá", "nvh")
_ROAD = ("đường", "tuyến", "ngõ", "bờ đê", "ven đê", "đê", "kênh", "mương", "cầu")
_PUBLIC = (
    "công viên", "công cộng", "khu vui chơi", "quảng trường", "sân", "chợ", "đình", "chùa", "đền", "miếu", "nhà thờ",
    "nghĩa trang", "nghĩa địa", "ủy ban", "uỷ ban", "ubnd", "trụ sở", "trạm y tế", "hồ", "vườn hoa", "bãi",
    "nhà thờ họ", "sân đình", "sân chùa", "sân vận động", "sân thể thao", "khu chợ", "đình làng", "hồ điều hòa",
)  # fmt: skip
_AMBIGUOUS_PLAIN = {"hồ", "sân", "chợ", "đền", "đình", "chùa", "đê", "cầu", "bãi", "ngõ", "kênh", "miếu", "tuyến"}
_MISLEADING = ("gia đình", "môi trường", "sản xuất", "hộ gia đình")


def classify_place(text: object) -> str:
    """A place type code from a place as written: a school, a cultural house, a road, a public space, or other.

    Accented text is matched against accented keywords; text typed without accents against folded ones.
    """
    f = fold(text)
    if not f:
        return "khac"
    for code in PLACE_TYPES:
        if f == code or f.replace(" ", "-") == code:
            return code
    lower = clean(text).lower()
    plain = lower == f  # typed without accents
    words = " " + " ".join(_WORDS.findall(f if plain else lower)) + " "
    for phrase in _MISLEADING:  # "gia đình" (family) holds "đình", "môi trường" holds "trường"
        words = words.replace(f" {fold(phrase) if plain else phrase} ", " ")

    def has(keys: tuple[str, ...]) -> bool:
        if plain:  # without accents a lone "ho", "san", "cho" could be many words: only longer keywords count
            return any(f" {fold(k)} " in words for k in keys if k not in _AMBIGUOUS_PLAIN)
        return any(f" {k} " in words for k in keys)

    if has(_CULTURE):
        return "nha-van-hoa"
    if has(_SCHOOL):
        return "truong-hoc"
    if has(_ROAD):
        return "tuyen-duong"
    if has(_PUBLIC):
        return "khu-cong-cong"
    return "khac"
