"""Administrative procedures report (one row per field: Hộ tịch, Chứng thực…) → online, full-online, on-time shares."""

from __future__ import annotations

from ground.catalogue import Catalogue
from loaders.context import SheetContext, TotalsCheck
from loaders.headers import Concept, Match, Vocabulary
from loaders.model import Observation
from loaders.table import Row
from loaders.text import count, vn_number

KIND = "thu_tuc_hanh_chinh"
DEFAULT_UNIT = "ttpvhcc"

LABELS = {
    "field": "Lĩnh vực",
    "received": "Tổng số hồ sơ tiếp nhận",
    "new_received": "Hồ sơ mới tiếp nhận",
    "online": "Hồ sơ tiếp nhận trực tuyến",
    "partial_online": "Trực tuyến một phần",
    "direct": "Hồ sơ tiếp nhận trực tiếp, bưu chính",
    "full_online": "Hồ sơ trực tuyến toàn trình",
    "resolved": "Số hồ sơ đã giải quyết",
    "on_time": "Hồ sơ giải quyết đúng hạn",
    "early": "Hồ sơ giải quyết trước hạn",
    "late": "Hồ sơ giải quyết quá hạn",
    "carried": "Hồ sơ kỳ trước chuyển sang",
    "pct_online": "Tỷ lệ trực tuyến (%)",
    "pct_full": "Tỷ lệ toàn trình (%)",
    "pct_on_time": "Tỷ lệ đúng hạn (%)",
    "pct": "Tỷ lệ (%)",
}
_FIGURES = ("received", "new_received", "online", "partial_online", "direct", "full_online", "resolved", "on_time")
_FIGURES += ("early", "late", "carried")


def vocabulary(catalogue: Catalogue) -> Vocabulary:
    def names(code: str, part: str) -> tuple[str, ...]:
        col = getattr(catalogue.indicator(code), part, None) if _has(catalogue, code) else None
        return col.names if col else ()

    # fmt: off
    return Vocabulary(
        [
            Concept(
                "field",
                ("Lĩnh vực", "Tên lĩnh vực", "Lĩnh vực TTHC", "Lĩnh vực giải quyết", "Nhóm thủ tục",
                 "Lĩnh vực/Thủ tục"),
            ),
            Concept(
                "received",
                (
                    *names("tthc_truc_tuyen", "denominator"),
                    "Tổng số hồ sơ tiếp nhận", "Số hồ sơ tiếp nhận", "Hồ sơ tiếp nhận", "Tiếp nhận",
                    "Tổng số hồ sơ", "Tổng hồ sơ tiếp nhận", "Số hồ sơ đã tiếp nhận", "Tổng số hồ sơ đã tiếp nhận",
                    "Số hồ sơ nhận", "Hồ sơ nhận", "Số hồ sơ TTHC tiếp nhận", "Tổng số hồ sơ TTHC tiếp nhận",
                    "Số hồ sơ nhận giải quyết", "Hồ sơ nhận giải quyết", "Tổng số hồ sơ nhận giải quyết",
                    "Số hồ sơ đã nhận", "Hồ sơ đã tiếp nhận",
                ),
            ),
            Concept(
                "new_received",
                ("Mới tiếp nhận", "Tiếp nhận mới", "Tiếp nhận trong kỳ", "Mới tiếp nhận trong kỳ"),
                under=("received",),
            ),
            Concept(
                "online",
                (
                    *names("tthc_truc_tuyen", "numerator"),
                    "Số hồ sơ tiếp nhận trực tuyến", "Tiếp nhận trực tuyến", "Hồ sơ trực tuyến", "Trực tuyến",
                    "Số hồ sơ trực tuyến", "Nộp trực tuyến", "Hồ sơ nộp trực tuyến", "Qua dịch vụ công trực tuyến",
                    "Tiếp nhận qua DVC trực tuyến", "Qua Cổng dịch vụ công", "Dịch vụ công trực tuyến",
                ),
                under=("received", "new_received"),
            ),
            Concept(
                "partial_online",
                ("Trực tuyến một phần", "DVC trực tuyến một phần"),
                ("Một phần",),
                under=("online", "received", "new_received"),
            ),
            Concept(
                "direct",
                (
                    "Trực tiếp, bưu chính", "Trực tiếp và bưu chính", "Trực tiếp", "Tiếp nhận trực tiếp",
                    "Trực tiếp, qua bưu chính", "Trực tiếp hoặc qua bưu chính", "Trực tiếp, bưu chính công ích",
                    "Trực tiếp, qua dịch vụ bưu chính công ích", "Hồ sơ trực tiếp", "Nộp trực tiếp",
                    "Bưu chính công ích", "Qua bưu chính", "Bưu chính", "Trực tiếp và qua bưu chính công ích",
                    "Trực tiếp, dịch vụ bưu chính", "Trực tiếp hoặc dịch vụ bưu chính",
                    "Trực tiếp, qua dịch vụ bưu chính", "Trực tiếp và dịch vụ bưu chính", "Trực tiếp/bưu chính",
                    "Tiếp nhận trực tiếp, bưu chính",
                ),
                under=("received", "new_received"),
            ),
            Concept(
                "full_online",
                (
                    *names("tthc_toan_trinh", "numerator"),
                    "Số hồ sơ trực tuyến toàn trình", "Trực tuyến toàn trình", "Toàn trình",
                    "Hồ sơ trực tuyến toàn trình", "Xử lý trực tuyến toàn trình", "Tiếp nhận trực tuyến toàn trình",
                    "DVC trực tuyến toàn trình", "Số hồ sơ xử lý trực tuyến toàn trình",
                ),
                under=("received", "new_received", "online"),
            ),
            Concept(
                "resolved",
                (
                    *names("tthc_dung_han", "denominator"),
                    "Số hồ sơ đã giải quyết", "Đã giải quyết", "Tổng số hồ sơ đã giải quyết", "Hồ sơ đã giải quyết",
                    "Số hồ sơ giải quyết", "Giải quyết", "Đã giải quyết xong", "Số hồ sơ đã xử lý", "Đã xử lý",
                    "Kết quả giải quyết", "Hồ sơ đã có kết quả", "Đã trả kết quả",
                ),
            ),
            Concept(
                "on_time",
                (
                    *names("tthc_dung_han", "numerator"),
                    "Đúng hạn", "Giải quyết đúng hạn", "Số hồ sơ giải quyết đúng hạn", "Đúng hạn, trước hạn",
                    "Trước hạn, đúng hạn", "Đúng và trước hạn", "Trước và đúng hạn", "Đúng hạn và trước hạn",
                    "Trước hạn và đúng hạn", "Đúng hạn (bao gồm trước hạn)", "Đúng hạn (kể cả trước hạn)",
                    "Trả đúng hạn", "Giải quyết đúng thời hạn", "Đúng thời hạn",
                ),
                ("Trong hạn",),
                under=("resolved",),
            ),
            Concept(
                "carried",
                ("Kỳ trước chuyển sang", "Tồn kỳ trước", "Từ kỳ trước chuyển sang", "Tồn kỳ trước chuyển sang",
                 "Từ kỳ trước", "Kỳ trước chuyển qua", "Tồn chuyển sang", "Số hồ sơ kỳ trước chuyển sang"),
                under=("received",),
            ),
            Concept("early", ("Trước hạn", "Giải quyết trước hạn", "Sớm hạn", "Trả trước hạn"), under=("resolved",)),
            Concept(
                "late",
                ("Quá hạn", "Trễ hạn", "Giải quyết quá hạn", "Trễ hẹn", "Quá hạn giải quyết", "Chậm muộn",
                 "Trả quá hạn", "Quá thời hạn"),
                under=("resolved",),
            ),
            Concept(
                "pending",
                (
                    "Đang giải quyết", "Số hồ sơ đang giải quyết", "Chưa giải quyết", "Đang xử lý",
                    "Hồ sơ đang giải quyết", "Tồn", "Chuyển kỳ sau", "Đang giải quyết chuyển kỳ sau",
                    "Trả lại", "Hồ sơ trả lại", "Rút hồ sơ", "Từ chối", "Số hồ sơ tồn",
                ),
                ignore=True,
            ),
            Concept(
                "pct_online",
                ("Tỷ lệ trực tuyến", "Tỷ lệ hồ sơ trực tuyến", "Tỷ lệ tiếp nhận trực tuyến"),
                under=("received", "online"),
            ),
            Concept(
                "pct_full",
                ("Tỷ lệ trực tuyến toàn trình", "Tỷ lệ toàn trình", "Tỷ lệ hồ sơ trực tuyến toàn trình"),
                under=("received", "online", "full_online"),
            ),
            Concept(
                "pct_on_time",
                (
                    "Tỷ lệ đúng hạn", "Tỷ lệ giải quyết đúng hạn", "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "Tỷ lệ đúng hạn, trước hạn", "Tỷ lệ giải quyết đúng hạn, trước hạn",
                ),
                under=("resolved",),
            ),
            Concept("pct", ("Tỷ lệ", "Tỷ lệ %"), under=("received", "online", "resolved", "full_online")),
            Concept("misc", ("STT", "Số thứ tự", "Ghi chú", "Số TT"), ignore=True),
        ]
    )
    # fmt: on


def _has(catalogue: Catalogue, code: str) -> bool:
    return any(i.code == code for i in catalogue.indicators)


def score(matches: dict[int, Match], columns: list) -> int:
    keys = {m.key for m in matches.values() if m.key}
    figures = keys & {"received", "online", "full_online", "resolved", "on_time", "late"}
    if "field" not in keys or not figures:
        return 0
    return 2 + len(figures) + len(keys & {"direct", "early", "partial_online", "pct_online", "pct_on_time"})


def read(ctx: SheetContext) -> None:
    cols = {k: ctx.columns_of(k) for k in (*_FIGURES, "pct_online", "pct_full", "pct_on_time", "pct")}
    field_col = ctx.column_of("field")
    pct_for = _percent_columns(ctx)
    totals = TotalsCheck(ctx, [c for k in _FIGURES for c in cols[k]])
    has_row = False
    for row in totals.data_rows(ctx.table.rows(label_columns=(field_col.index,))):
        errors = ctx.error_count
        values: dict[str, int | None] = {}
        for key in _FIGURES:
            got = [ctx.read(row, c, count) for c in cols[key]]
            for c, v in zip(cols[key], got, strict=True):
                totals.add(c, v)
            values[key] = sum(v for v in got if v is not None) if any(v is not None for v in got) else None
        if all(v is None for v in values.values()) or ctx.error_count > errors:
            continue
        label = ctx.label(row, field_col, name="tên lĩnh vực", hint=", ví dụ 'Hộ tịch'")
        if label is None:
            continue
        has_row = True
        _row_observations(ctx, row, label, values, cols, pct_for)
    if not has_row:
        ctx.problem(
            "Bảng thủ tục hành chính không có dòng số liệu nào (mỗi lĩnh vực một dòng); hãy điền số liệu rồi tải "
            "lên lại.",
            severity="warning",
        )


def _percent_columns(ctx: SheetContext) -> dict[str, object]:
    """Which share each percentage column shows; a bare "Tỷ lệ (%)" shows the share of the figure on its left."""
    out: dict[str, object] = {}
    for key, share in (("pct_online", "online"), ("pct_full", "full_online"), ("pct_on_time", "on_time")):
        col = ctx.column_of(key)
        if col is not None:
            out[share] = col
    order = sorted(
        (c.index, k) for k in ("online", "full_online", "on_time", "early", "late") for c in ctx.columns_of(k)
    )
    for col in ctx.columns_of("pct"):
        left = [k for i, k in order if i < col.index]
        if left:
            share = "on_time" if left[-1] in ("early", "late") else left[-1]
            out.setdefault(share, col)
    return out


def _row_observations(ctx: SheetContext, row: Row, label: str, v: dict, cols: dict, pct_for: dict) -> None:
    def err(message: str, key: str) -> None:
        col = cols[key][0] if cols[key] else None
        ctx.problem(f"Lĩnh vực '{label}': {message}", row.number, col.index if col else None)

    received = v["received"] if v["received"] is not None else v["new_received"]
    carried = v["carried"] if v["received"] is not None else None
    if received is not None and carried:
        # Dossiers carried over were received in an earlier month: the month's share is over its own receipts.
        received -= carried
    if received is None and v["online"] is not None and v["direct"] is not None:
        received = v["online"] + v["direct"]
    online = v["online"]
    if online is None and v["partial_online"] is not None and v["full_online"] is not None:
        online = v["partial_online"] + v["full_online"]
    split = [v[k] for k in ("early", "on_time", "late")]
    resolved = v["resolved"]
    if resolved is None and (cols["on_time"] or cols["late"] or cols["early"]) and any(x is not None for x in split):
        resolved = sum(x or 0 for x in split)
    on_time = None
    if cols["on_time"] or cols["early"]:
        if v["on_time"] is not None or v["early"] is not None:
            on_time = (v["on_time"] or 0) + (v["early"] or 0)
    elif cols["late"] and resolved is not None and v["late"] is not None:
        on_time = resolved - v["late"]
        if on_time < 0:
            err(
                f"số hồ sơ quá hạn ({vn_number(v['late'])}) nhiều hơn số hồ sơ đã giải quyết "
                f"({vn_number(resolved)}); hãy kiểm tra lại.",
                "late",
            )
            on_time = None

    ok = True
    if received is None and (online is not None or v["full_online"] is not None):
        err("thiếu tổng số hồ sơ tiếp nhận, không tính được tỷ lệ; hãy điền cột tổng số hồ sơ tiếp nhận.", "online")
        ok = False
    if received is not None and online is not None and online > received:
        err(
            f"số hồ sơ tiếp nhận trực tuyến ({vn_number(online)}) lớn hơn tổng số hồ sơ tiếp nhận "
            f"({vn_number(received)}), tỷ lệ vượt 100%; hãy kiểm tra lại hai cột này.",
            "online",
        )
        ok = False
    if received is not None and v["full_online"] is not None and v["full_online"] > received:
        err(
            f"số hồ sơ trực tuyến toàn trình ({vn_number(v['full_online'])}) lớn hơn tổng số hồ sơ tiếp nhận "
            f"({vn_number(received)}), tỷ lệ vượt 100%; hãy kiểm tra lại.",
            "full_online",
        )
        ok = False
    if on_time is not None and resolved is not None and on_time > resolved:
        err(
            f"số hồ sơ giải quyết đúng hạn ({vn_number(on_time)}) lớn hơn số hồ sơ đã giải quyết "
            f"({vn_number(resolved)}), tỷ lệ vượt 100%; hãy kiểm tra lại.",
            "on_time" if cols["on_time"] else "early",
        )
        ok = False
    if on_time is not None and resolved is None:
        err("có số hồ sơ đúng hạn nhưng thiếu số hồ sơ đã giải quyết; hãy điền cột số hồ sơ đã giải quyết.", "on_time")
        ok = False
    if not ok:
        return
    warn = _warner(ctx, row, label, cols)
    if None not in (received, v["online"], v["direct"]) and v["online"] + v["direct"] != received:
        warn(
            f"trực tuyến ({vn_number(v['online'])}) + trực tiếp, bưu chính ({vn_number(v['direct'])}) = "
            f"{vn_number(v['online'] + v['direct'])}, khác số hồ sơ tiếp nhận trong kỳ ({vn_number(received)}); "
            "hãy kiểm tra lại.",
            "direct",
        )
    if v["resolved"] is not None and (cols["on_time"] or cols["early"]) and cols["late"]:
        parts = sum(x or 0 for x in split)
        if parts != v["resolved"]:
            warn(
                f"trước hạn + đúng hạn + quá hạn = {vn_number(parts)}, khác số hồ sơ đã giải quyết "
                f"({vn_number(v['resolved'])}); hãy kiểm tra lại.",
                "late",
            )
    if online is not None and v["full_online"] is not None and v["full_online"] > online:
        warn(
            f"số hồ sơ trực tuyến toàn trình ({vn_number(v['full_online'])}) lớn hơn số hồ sơ trực tuyến "
            f"({vn_number(online)}); hãy kiểm tra lại.",
            "full_online",
        )

    breakdown = ("linh_vuc", label)

    def add(code: str, num: int, den: int, share_col_key: str, what: str) -> None:
        ctx.observations.append(
            Observation(code, ctx.period, float(num), float(den), None, breakdown, ctx.sheet, row.number)
        )
        ctx.check_percent(row, pct_for.get(share_col_key), num, den, what)

    if online is not None and received is not None:
        add("tthc_truc_tuyen", online, received, "online", "hồ sơ trực tuyến")
    if v["full_online"] is not None and received is not None:
        add("tthc_toan_trinh", v["full_online"], received, "full_online", "hồ sơ trực tuyến toàn trình")
    if on_time is not None and resolved is not None:
        add("tthc_dung_han", on_time, resolved, "on_time", "hồ sơ đúng hạn")


def _warner(ctx: SheetContext, row: Row, label: str, cols: dict):
    def warn(message: str, key: str) -> None:
        col = cols[key][0] if cols[key] else None
        ctx.problem(f"Lĩnh vực '{label}': {message}", row.number, col.index if col else None, severity="warning")

    return warn
