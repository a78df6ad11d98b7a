"""Tree planting report → new trees by village and place type, from a per-village table or an event log."""

from __future__ import annotations

import re
from datetime import date, datetime

from catalogue import Catalogue
from loaders.context import SheetContext, TotalsCheck
from loaders.headers import Concept, Match, Vocabulary, normalise
from loaders.model import Observation
from loaders.period import in_range, month_label, period_of
from loaders.table import Column
from loaders.text import CellError, clean, count, fold, to_date, vn_date, vn_number

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
    for row in ctx.table.rows(label_columns=(village_col.index,)):
        if row.kind == "total":
            check.check(row)
            continue
        if row.kind == "commune":
            commune_rows.append(row)
            continue
        if row.kind == "section":
            check.section()
            continue
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
        label = ctx.table.sheet.merged_value(row.index, village_col.index)
        if not clean(label):
            ctx.problem(
                f"Dòng {row.number} có số cây nhưng thiếu tên thôn (cột {village_col.letter}); hãy ghi tên thôn.",
                row.number,
                village_col.index,
            )
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
    """One planting event per row; the month of each comes from its date. Per-row work is kept tiny: the common
    cells (a real date, a whole number of trees, a known village and place) take a dictionary look-up each, and
    anything else goes through the same parsers and messages as every other sheet."""
    date_col = ctx.column_of("date")
    trees_col = ctx.column_of("trees")
    village_col = ctx.column_of("village")
    place_col = ctx.column_of("place")
    type_col = ctx.column_of("place_type")
    check = TotalsCheck(ctx, [trees_col])
    villages = ctx.villages
    sheet, sheet_name = ctx.table.sheet, ctx.sheet
    title_period = ctx.period
    period_cache: dict[tuple[int, int], str] = {}
    period_of_day: dict[date, str] = {}
    date_cache: dict[str, object] = {}
    place_cache: dict[object, str] = {}
    village_cache: dict[object, str | CellError | None] = {}
    obs = ctx.observations
    periods = ctx.periods
    # Trees of the data rows since the last section or totals row, handed to the check in one sum (whole numbers:
    # the same float as adding them one by one) before it needs them.
    pending, pending_rows = 0, 0
    di, ti = date_col.index, trees_col.index
    vi = village_col.index if village_col else None
    pi = place_col.index if place_col else None
    ki = type_col.index if type_col else None
    labels = tuple(i for i in (vi, pi) if i is not None)
    section_type = "khac"
    for row in ctx.table.rows(label_columns=labels):
        kind = row.kind
        if kind != "data":
            if pending_rows:
                check.add(trees_col, pending)
                pending, pending_rows = 0, 0
            if kind == "section":
                section_type = classify_place(row.section)
                check.section()
            elif kind == "total" or kind == "commune":
                check.check(row)
            continue
        vals = row.values
        raw_date = vals[di] if di < len(vals) else ""
        raw_trees = vals[ti] if ti < len(vals) else ""
        if raw_date == "" and raw_trees == "":
            continue
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
            d = date_cache.get(raw_date)
            if d is None:
                try:
                    d = to_date(raw_date)
                except CellError as exc:
                    d = exc
                date_cache[raw_date] = d
            if isinstance(d, CellError):
                ctx.problem(f"Ô {date_col.letter}{row.number} (cột '{date_col.label}'): {d}.", row.number, di)
                continue
        else:
            d = ctx.read(row, date_col, to_date)
            if d is None and raw_date != "":
                continue
        if d is None:
            if n is not None:
                ctx.problem(
                    f"Dòng {row.number} có {vn_number(n)} cây nhưng thiếu ngày trồng (cột {date_col.letter}); "
                    "hãy ghi ngày dạng 05/09/2026.",
                    row.number,
                    di,
                )
            continue
        if n is None:
            if raw_trees == "":
                ctx.problem(
                    f"Dòng {row.number} (ngày {vn_date(d)}) thiếu số lượng cây (cột {trees_col.letter}); hãy điền "
                    "số cây đã trồng.",
                    row.number,
                    ti,
                )
            continue
        pending += n
        pending_rows += 1
        period = period_of_day.get(d)
        if period is None:
            ym = (d.year, d.month)
            period = period_cache.get(ym)
            if period is None:
                period = period_cache[ym] = period_of(*ym)
                if not in_range(period):
                    period_cache[ym] = period = ""
            period_of_day[d] = period
        if not period:
            ctx.problem(
                f"Ngày trồng {vn_date(d)} nằm ngoài khoảng tháng 1/2020 – tháng 12/2060; hãy kiểm tra lại năm.",
                row.number,
                di,
            )
            continue
        if title_period is not None and period != title_period:
            ctx.problem(
                f"Ngày trồng {vn_date(d)} (ô {date_col.letter}{row.number}) không thuộc kỳ báo cáo "
                f"{month_label(title_period)} ghi ở đầu trang. Hãy sửa ngày, hoặc báo cáo tháng đó ở tệp/trang riêng.",
                row.number,
                di,
            )
            continue
        village = None
        if vi is not None:
            raw = vals[vi] if vi < len(vals) else ""
            if raw == "":
                raw = sheet.merged_value(row.index, vi)
            if raw != "":
                village = village_cache.get(raw) if raw.__class__ is str else None
                if village is None:
                    try:
                        village = villages.code(raw)
                    except CellError as exc:
                        village = exc
                    if raw.__class__ is str:
                        village_cache[raw] = village
                if isinstance(village, CellError):
                    ctx.problem(f"Ô {village_col.letter}{row.number}: {village}.", row.number, vi)
                    continue
        code = "khac"
        for idx in (ki, pi):
            if idx is None:
                continue
            raw = vals[idx] if idx < len(vals) else ""
            if raw == "":
                raw = sheet.merged_value(row.index, idx)
            if raw != "":
                got = place_cache.get(raw)
                if got is None:
                    got = place_cache[raw] = classify_place(raw)
                code = got
                break
        if code == "khac":
            code = section_type  # a section row ("Trường học") names the place when the row does not
        periods.add(period)
        obs.append(Observation(INDICATOR, period, float(n), None, village, ("dia_diem", code), sheet_name, row.number))
    if pending_rows:
        check.add(trees_col, pending)


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
