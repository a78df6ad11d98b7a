"""OCOP / VietGAP / organic register (one certified item per row, as of a date) → register items and stocks."""

from __future__ import annotations

import calendar
import re
from datetime import date

from ground.catalogue import Catalogue
from ground.text import fold
from loaders.context import SheetContext
from loaders.headers import Concept, Match, Vocabulary, normalise
from loaders.model import Observation, RegisterItem
from loaders.period import month_end, month_label
from loaders.table import Row
from loaders.text import CellError, clean, quantity, stars, to_date, vn_date
from loaders.trees import VILLAGE_HEADERS

KIND = "ocop_vietgap"
DEFAULT_UNIT = "phong-kinh-te"
OCOP, VIETGAP, ORGANIC = "OCOP", "VietGAP", "Hữu cơ"
VALIDITY_MONTHS = {OCOP: 36, VIETGAP: 24}  # certificate lifetimes used when an expiry date is missing
INDICATORS = ("ocop_san_pham", "vietgap_co_so", "vietgap_dien_tich", "huu_co_dien_tich")

LABELS = {
    "name": "Tên sản phẩm",
    "owner": "Chủ thể",
    "village": "Thôn",
    "cert": "Loại chứng nhận",
    "stars": "Hạng sao",
    "decision": "Số quyết định",
    "issued": "Ngày cấp",
    "expires": "Ngày hết hạn",
    "area": "Diện tích (ha)",
}


def vocabulary(catalogue: Catalogue) -> Vocabulary:
    # fmt: off
    return Vocabulary(
        [
            Concept(
                "name",
                ("Tên sản phẩm", "Sản phẩm", "Tên sản phẩm/cơ sở", "Tên sản phẩm, cơ sở", "Tên sản phẩm, dịch vụ",
                 "Tên cơ sở", "Sản phẩm/cơ sở", "Tên sản phẩm, mô hình", "Tên sản phẩm OCOP", "Tên mô hình",
                 "Sản phẩm, dịch vụ", "Tên sản phẩm/mô hình"),
            ),
            Concept(
                "owner",
                ("Chủ thể", "Chủ thể sản xuất", "Chủ thể OCOP", "Cơ sở sản xuất", "Tên chủ thể", "Tổ chức, cá nhân",
                 "Đơn vị sản xuất", "Chủ cơ sở", "Chủ thể sở hữu", "Hộ/HTX/Doanh nghiệp", "Đơn vị, cá nhân",
                 "Chủ hộ", "Tên HTX/hộ", "Chủ thể (HTX, hộ, doanh nghiệp)", "Tổ chức/cá nhân", "Chủ thể sản phẩm",
                 "Cơ sở", "Tên chủ thể sản xuất", "Chủ sở hữu", "Đơn vị/cá nhân"),
            ),
            Concept("village", (*VILLAGE_HEADERS, "Địa chỉ", "Địa chỉ (thôn)", "Địa điểm sản xuất", "Vùng sản xuất")),
            Concept(
                "cert",
                ("Loại chứng nhận", "Chứng nhận", "Loại", "Hình thức chứng nhận", "Loại hình chứng nhận",
                 "Tiêu chuẩn", "Tiêu chuẩn chứng nhận", "Chương trình", "Phân loại", "Loại giấy chứng nhận",
                 "Chứng nhận (OCOP/VietGAP/Hữu cơ)"),
            ),
            Concept(
                "stars",
                ("Hạng sao", "Xếp hạng", "Số sao", "Hạng", "Kết quả đánh giá", "Hạng OCOP", "Xếp hạng sao",
                 "Phân hạng", "Kết quả phân hạng", "Hạng sao OCOP", "Kết quả xếp hạng", "Sao"),
            ),
            Concept(
                "decision",
                ("Số quyết định", "Quyết định", "Số QĐ", "Số quyết định công nhận", "Quyết định công nhận",
                 "Số giấy chứng nhận", "Số chứng nhận", "Mã số chứng nhận", "Số GCN", "Mã số", "Số hiệu chứng nhận",
                 "Quyết định, giấy chứng nhận", "Số quyết định/giấy chứng nhận"),
            ),
            Concept(
                "issued",
                ("Ngày cấp", "Ngày công nhận", "Ngày quyết định", "Ngày cấp chứng nhận", "Ngày chứng nhận",
                 "Ngày ký", "Ngày cấp giấy chứng nhận", "Ngày cấp GCN", "Ngày ban hành", "Ngày ra quyết định",
                 "Ngày cấp quyết định"),
                ("Từ ngày", "Ngày bắt đầu", "Bắt đầu"),
                under=("validity",),
            ),
            Concept(
                "expires",
                ("Ngày hết hạn", "Hết hạn", "Hạn chứng nhận", "Hiệu lực đến", "Có giá trị đến", "Ngày hết hiệu lực",
                 "Hạn hiệu lực", "Hiệu lực đến ngày", "Hết hiệu lực", "Thời hạn", "Ngày hết hạn chứng nhận",
                 "Giá trị đến ngày"),
                ("Đến ngày", "Ngày kết thúc", "Kết thúc"),
                under=("validity",),
            ),
            Concept("validity", ("Hiệu lực", "Thời hạn hiệu lực", "Thời gian hiệu lực", "Hiệu lực chứng nhận")),
            Concept(
                "area",
                ("Diện tích", "Diện tích sản xuất", "Diện tích chứng nhận", "Quy mô", "Quy mô diện tích",
                 "Diện tích được chứng nhận", "Diện tích canh tác", "Diện tích vùng sản xuất", "Quy mô sản xuất"),
            ),
            Concept(
                "misc",
                ("STT", "Số thứ tự", "Ghi chú", "Sản lượng", "Nhóm sản phẩm", "Ngành hàng", "Cơ quan cấp",
                 "Tổ chức chứng nhận", "Đơn vị cấp", "Số điện thoại", "Điện thoại", "Loại sản phẩm",
                 "Đơn vị chứng nhận", "Tổ chức cấp", "Sản lượng (tấn/năm)"),
                ignore=True,
            ),
        ]
    )
    # fmt: on


def score(matches: dict[int, Match], columns: list) -> int:
    keys = {m.key for m in matches.values() if m.key and not m.ignored}
    if not ({"name", "owner"} & keys) or not ({"cert", "stars"} & keys):
        return 0
    if not ({"issued", "decision", "expires"} & keys):
        return 0
    return 3 + len(keys)


_DURATION = re.compile(r"^(\d{1,3})\s*(thang|nam)$")


def certificate(value: object) -> tuple[str, int | None]:
    """The certificate type ("OCOP"/"VietGAP"/"Hữu cơ") of a cell, with stars when written in it ("OCOP 4 sao")."""
    f = fold(value)
    squeezed = f.replace(" ", "").replace("-", "")
    if "ocop" in squeezed:
        m = re.search(r"(\d)\s*(?:sao|\*|★)", f)
        return OCOP, (int(m.group(1)) if m else None)
    if "vietgap" in squeezed or "vietgahp" in squeezed:
        return VIETGAP, None
    if "huu co" in f or "organic" in f or "huuco" in squeezed:
        return ORGANIC, None
    raise CellError(f"không rõ loại chứng nhận '{clean(value)}'; hãy ghi một trong: OCOP, VietGAP, Hữu cơ")


def _default_certificate(ctx: SheetContext) -> str | None:
    text = fold(" ".join(ctx.table.title_text()))
    found = [c for c, k in ((OCOP, "ocop"), (VIETGAP, "vietgap"), (ORGANIC, "huu co")) if k in text.replace("-", "")]
    if len(found) == 1:
        return found[0]
    if ctx.column_of("cert") is None and ctx.column_of("stars") is not None:
        return OCOP
    return None


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def read(ctx: SheetContext) -> None:
    c = {k: ctx.column_of(k) for k in LABELS}
    if c["expires"] is None:
        c["expires"] = ctx.column_of("validity")
    area_factor, area_unit_ok = _area_factor(c["area"])
    if c["area"] is not None and not area_unit_ok:
        ctx.problem(
            f"Cột '{c['area'].label}' không ghi diện tích theo ha hoặc m²; hãy đổi sang ha (ghi 'Diện tích (ha)').",
            col=c["area"].index,
        )
        return
    default_cert = _default_certificate(ctx)
    labels = tuple(x.index for x in (c["name"], c["owner"]) if x is not None)
    seen: dict[tuple, int] = {}
    section_cert: str | None = None
    for row in ctx.table.rows(label_columns=labels):
        if row.kind == "section":
            section_cert = _section_certificate(row.section)
            continue
        if row.kind != "data":
            continue
        item = _item(ctx, row, c, area_factor, section_cert or default_cert)
        if item is None:
            continue
        key = (item.certificate, fold(item.name), fold(item.owner), fold(item.decision), item.issued)
        if key in seen:
            ctx.problem(
                f"Sản phẩm/cơ sở '{item.name or item.owner}' ({item.certificate}) được ghi hai lần (dòng {seen[key]} "
                f"và dòng {row.number}). Dòng nào đúng? Hãy xóa dòng trùng.",
                row.number,
            )
            continue
        seen[key] = row.number
        ctx.register.append(item)
    if ctx.period is not None:
        _observations(ctx)


def _section_certificate(text: str) -> str | None:
    try:
        return certificate(text)[0]
    except CellError:
        return None


def _area_factor(col) -> tuple[float, bool]:
    if col is None:
        return 1.0, True
    units = normalise(col.parts[-1]).units or next((normalise(p).units for p in col.parts if normalise(p).units), ())
    if not units or "ha" in units:
        return 1.0, True
    if "m2" in units:
        return 0.0001, True
    return 1.0, False


def _item(ctx: SheetContext, row: Row, c: dict, area_factor: float, default_cert: str | None) -> RegisterItem | None:
    sheet = ctx.table.sheet

    def text(key: str) -> str:
        col = c[key]
        if col is None:
            return ""
        v = sheet.merged_value(row.index, col.index)
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return clean(v) if not isinstance(v, date) else vn_date(v)

    name, owner = text("name"), text("owner")
    cert_text = text("cert")
    if not name and not owner:
        if any(text(k) for k in ("cert", "decision", "issued")):
            col = c["name"] or c["owner"]
            ctx.problem(
                f"Dòng {row.number} thiếu tên sản phẩm/chủ thể (cột {col.letter}); hãy ghi tên.",
                row.number,
                col.index,
            )
        return None
    errors_before = len(ctx.problems)
    cert, cert_stars = default_cert, None
    if cert_text:
        got = ctx.read(row, c["cert"], certificate)
        if got is None:
            return None
        cert, cert_stars = got
    if cert is None:
        col = c["cert"]
        ctx.problem(
            f"'{name or owner}': thiếu loại chứng nhận" + (f" (cột {col.letter})" if col else "")
            + "; hãy ghi OCOP, VietGAP hoặc Hữu cơ.",
            row.number,
            col.index if col else None,
        )  # fmt: skip
        return None
    n_stars = ctx.read(row, c["stars"], stars) if c["stars"] is not None else None
    n_stars = n_stars if n_stars is not None else cert_stars
    if cert == OCOP and n_stars is None and len(ctx.problems) == errors_before:
        col = c["stars"] or c["cert"]
        ctx.problem(
            f"Sản phẩm OCOP '{name or owner}' chưa có hạng sao đọc được; hãy ghi hạng sao, ví dụ '3 sao' hoặc '4 sao'.",
            row.number,
            col.index if col else None,
        )
    village = None
    if c["village"] is not None:
        village = ctx.read(row, c["village"], ctx.villages.code)
    issued = ctx.read(row, c["issued"], to_date) if c["issued"] is not None else None
    if issued is None and len(ctx.problems) == errors_before:
        col = c["issued"]
        ctx.problem(
            f"'{name or owner}' ({cert}) thiếu ngày cấp chứng nhận"
            + (f" (cột {col.letter})" if col else " (bảng không có cột Ngày cấp)")
            + "; hãy ghi ngày cấp dạng 05/09/2026 để tính thời hạn hiệu lực.",
            row.number,
            col.index if col else None,
        )  # fmt: skip
    expires, derived = None, False
    if c["expires"] is not None:
        raw = row.values[c["expires"].index] if c["expires"].index < len(row.values) else ""
        duration = _DURATION.match(fold(raw)) if isinstance(raw, str) else None
        if duration and issued is not None:
            n = int(duration.group(1)) * (12 if duration.group(2) == "nam" else 1)
            expires = _add_months(issued, n)
        elif not duration:
            expires = ctx.read(row, c["expires"], to_date)
    area = ctx.read(row, c["area"], quantity) if c["area"] is not None else None
    if area is not None:
        area = round(area * area_factor, 6)
    if len(ctx.problems) > errors_before and any(p.is_error for p in ctx.problems[errors_before:]):
        return None
    if expires is None and issued is not None:
        if cert in VALIDITY_MONTHS:
            expires, derived = _add_months(issued, VALIDITY_MONTHS[cert]), True
            ctx.problem(
                f"'{name or owner}' ({cert}) không ghi ngày hết hạn; tạm tính hết hạn ngày {vn_date(expires)} "
                f"({VALIDITY_MONTHS[cert]} tháng kể từ ngày cấp {vn_date(issued)}). Hãy ghi ngày hết hạn nếu khác.",
                row.number,
                c["expires"].index if c["expires"] else None,
                severity="warning",
            )
        else:
            ctx.problem(
                f"'{name or owner}' (Hữu cơ) thiếu ngày hết hạn chứng nhận; chứng nhận hữu cơ không có thời hạn "
                "mặc định, hãy ghi ngày hết hạn ghi trên giấy chứng nhận.",
                row.number,
                c["expires"].index if c["expires"] else None,
            )
            return None
    if issued is not None and expires is not None and expires <= issued:
        ctx.problem(
            f"'{name or owner}': ngày hết hạn {vn_date(expires)} không sau ngày cấp {vn_date(issued)}; hãy sửa lại.",
            row.number,
            c["expires"].index if c["expires"] else None,
        )
        return None
    if cert in (VIETGAP, ORGANIC) and area is None and c["area"] is not None:
        ctx.problem(
            f"'{name or owner}' ({cert}) chưa ghi diện tích; sản phẩm này không được tính vào diện tích chứng nhận. "
            "Hãy ghi diện tích (ha) nếu có.",
            row.number,
            c["area"].index,
            severity="warning",
        )
    return RegisterItem(
        name=name,
        owner=owner,
        village=village,
        certificate=cert,
        stars=n_stars,
        decision=text("decision"),
        issued=issued,
        expires=expires,
        expiry_derived=derived,
        area_ha=area,
        sheet=ctx.sheet,
        row=row.number,
    )


def _observations(ctx: SheetContext) -> None:
    """Stocks at the end of the register's month: items issued on or before it and expiring after it."""
    period = ctx.period
    end = month_end(period)
    valid = [i for i in ctx.register if i.issued is not None and i.expires is not None and i.issued <= end < i.expires]
    out: list[Observation] = []
    producers: set[str] = set()
    for item in valid:
        if item.certificate == OCOP and item.stars is not None and item.stars >= 3:
            out.append(Observation("ocop_san_pham", period, 1.0, None, item.village, ("hang_sao", str(item.stars)),
                                   item.sheet, item.row))  # fmt: skip
        elif item.certificate == VIETGAP:
            producer = fold(item.owner or item.name)
            if producer not in producers:
                producers.add(producer)
                out.append(Observation("vietgap_co_so", period, 1.0, None, item.village, ("", ""), item.sheet,
                                       item.row))  # fmt: skip
            if item.area_ha is not None:
                out.append(Observation("vietgap_dien_tich", period, item.area_ha, None, item.village, ("", ""),
                                       item.sheet, item.row))  # fmt: skip
        elif item.certificate == ORGANIC and item.area_ha is not None:
            out.append(Observation("huu_co_dien_tich", period, item.area_ha, None, item.village, ("", ""), item.sheet,
                                   item.row))  # fmt: skip
    known = {i.code for i in ctx.catalogue.indicators}
    found = {o.indicator for o in out}
    for code in INDICATORS:
        if code not in found:
            # Nothing valid at the month's end is a figure (0), not a missing report.
            out.append(Observation(code, period, 0.0, None, None, ("", ""), ctx.sheet, 0))
    ctx.observations.extend(o for o in out if o.indicator in known)
    expired = [i for i in ctx.register if i.expires is not None and i.expires <= end]
    if expired and len(expired) == len(ctx.register):
        ctx.problem(
            f"Tất cả {len(expired)} chứng nhận trong danh sách đã hết hạn trước cuối {month_label(period)}; hãy "
            "kiểm tra lại kỳ báo cáo hoặc ngày hết hạn.",
            severity="warning",
        )
