"""Blank monthly report templates (.xlsx) built from the catalogue, and the sheet-layout helpers they share."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ground.catalogue import Catalogue, Indicator
from ground.text import fold
from loaders.model import KIND_NAMES

# The four report kinds with a shape of their own, and the indicators each one feeds. Every other
# indicator with a `numerator` column in the catalogue arrives in its unit's monthly table ("bang_thang").
KIND_INDICATORS: dict[str, tuple[str, ...]] = {
    "trong_cay": ("cay_xanh_trong_moi",),
    "thu_tuc_hanh_chinh": ("tthc_truc_tuyen", "tthc_toan_trinh", "tthc_dung_han"),
    "ocop_vietgap": ("ocop_san_pham", "vietgap_co_so", "vietgap_dien_tich", "huu_co_dien_tich"),
    "khong_tien_mat": ("ttkdtm_giao_dich", "ttkdtm_gia_tri"),
}
PLACE_TYPES = ("Khu công cộng", "Trường học", "Nhà văn hóa", "Tuyến đường")
TTHC_FIELDS = (
    "Hộ tịch",
    "Chứng thực",
    "Tư pháp",
    "Đất đai",
    "Xây dựng",
    "Kinh doanh",
    "Lao động - Thương binh và Xã hội",
    "Nông nghiệp và Môi trường",
)
CERTIFICATES = ("OCOP", "VietGAP", "Hữu cơ")

# What a row of a unit's monthly table is, for the indicators that are not counted per village.
# An indicator missing here (say one another commune adds) gets one row per village.
ROW_BASIS: dict[str, str] = {
    "truong_xanh": "truong",
    "so_lien_lac_dt": "truong",
    "chat_thai_y_te": "co_so",
    "tt_tin_bai": "xa",
    "xe_dien_moi": "xa",
    "vi_pham_moi_truong": "xa",
}
ROW_LABELS = {"thon": "Thôn", "truong": "Tên trường", "co_so": "Cơ sở y tế", "xa": "Nội dung"}
SHEET_TITLES = {"thon": "Theo thôn", "truong": "Theo trường", "co_so": "Theo cơ sở", "xa": "Toàn xã"}

FONT_NAME = "Times New Roman"
LIST_SHEET = "Danh mục"
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
INT_FORMAT = "#,##0"
DEC_FORMAT = "#,##0.0"
DATE_FORMAT = "dd/mm/yyyy"
# Fixed zip timestamps and document dates, so the same workbook always gives the same bytes.
_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = "2026-01-01T00:00:00Z"


@dataclass(frozen=True)
class Quantity:
    """One column of a unit's monthly table: the header a sheet carries and the indicator it feeds."""

    header: str
    indicator: str
    role: str  # "numerator" | "denominator"
    group: str  # the indicator's short name, written above its columns


# ---------------------------------------------------------------- what a unit's monthly table holds


def generic_indicators(catalogue: Catalogue) -> list[Indicator]:
    """Indicators read from the units' monthly tables: those with a column and no report kind of their own."""
    special = {code for codes in KIND_INDICATORS.values() for code in codes}
    return [i for i in catalogue.indicators if i.numerator is not None and i.code not in special]


def bang_thang_units(catalogue: Catalogue) -> list[str]:
    """Codes of the units that own at least one generic indicator, in catalogue order."""
    owners = {i.responsible for i in generic_indicators(catalogue)}
    return [u.code for u in catalogue.units if u.code in owners]


def row_basis(indicator: str) -> str:
    """What one row of the monthly table stands for: "thon", "truong", "co_so" or "xa" (transposed)."""
    return ROW_BASIS.get(indicator, "thon")


def unit_quantities(catalogue: Catalogue, unit: str) -> dict[str, list[Quantity]]:
    """The unit's columns grouped by row basis; a denominator shared by two indicators appears once."""
    out: dict[str, list[Quantity]] = {}
    for ind in generic_indicators(catalogue):
        if ind.responsible != unit:
            continue
        cols = out.setdefault(row_basis(ind.code), [])
        seen = {fold(q.header) for q in cols}
        for role, col in (("denominator", ind.denominator), ("numerator", ind.numerator)):
            if col is not None and fold(col.header) not in seen:
                cols.append(Quantity(col.header, ind.code, role, ind.short))
    return out


# ---------------------------------------------------------------- layout helpers (shared with the generator)


def font(bold: bool = False, italic: bool = False, size: int = 12, underline: bool = False) -> Font:
    return Font(name=FONT_NAME, bold=bold, italic=italic, size=size, underline="single" if underline else None)


def put(ws: Worksheet, row: int, col: int, value: object, **style: object) -> None:
    """Write one cell with the house font and optional alignment, number format or border."""
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = style.get("font") or font()
    if "align" in style:
        cell.alignment = style["align"]
    if "fmt" in style:
        cell.number_format = style["fmt"]
    if style.get("border"):
        cell.border = BORDER


def put_merged(ws: Worksheet, row: int, first: int, last: int, value: object, **style: object) -> None:
    """Write a value across columns first..last of one row, merged when it spans more than one."""
    put(ws, row, first, value, **style)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def put_title_block(
    ws: Worksheet,
    width: int,
    *,
    committee: str,
    unit_name: str,
    date_line: str,
    title_lines: Sequence[str],
    doc_number: str = "",
    addressee: str = "",
) -> int:
    """The national-form heading: committee and unit left, motto right, date line, title; returns the next row."""
    split = max(1, min(width - 1, round(width * 0.4)))
    put_merged(ws, 1, 1, split, committee, font=font(size=12), align=CENTER)
    put_merged(ws, 1, split + 1, width, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font(bold=True), align=CENTER)
    put_merged(ws, 2, 1, split, unit_name.upper(), font=font(bold=True), align=CENTER)
    put_merged(ws, 2, split + 1, width, "Độc lập - Tự do - Hạnh phúc", font=font(bold=True, size=13), align=CENTER)
    if doc_number:
        put_merged(ws, 3, 1, split, doc_number, align=CENTER)
    put_merged(ws, 3, split + 1, width, date_line, font=font(italic=True), align=CENTER)
    row = 5
    for i, line in enumerate(title_lines):
        put_merged(
            ws, row, 1, width, line, font=font(bold=i == 0, italic=i > 0, size=14 if i == 0 else 12), align=CENTER
        )
        row += 1
    if addressee:
        put_merged(ws, row, 1, width, addressee, align=CENTER)
        row += 1
    return row + 1


def put_header(
    ws: Worksheet,
    row: int,
    groups: Sequence[tuple[str, Sequence[str]]],
    *,
    numbers_row: bool = False,
    first_col: int = 1,
) -> int:
    """Write headers: a group with children is merged over them, one without spans both header rows.

    Returns the first row after the header (and after the "(1) (2) …" row when asked for).
    """
    two_levels = any(children for _, children in groups)
    col = first_col
    for title, children in groups:
        if children:
            put_merged(ws, row, col, col + len(children) - 1, title, font=font(bold=True), align=CENTER, border=True)
            for i, child in enumerate(children):
                put(ws, row + 1, col + i, child, font=font(bold=True), align=CENTER, border=True)
            for c in range(col + 1, col + len(children)):
                ws.cell(row=row, column=c).border = BORDER
            col += len(children)
        else:
            put(ws, row, col, title, font=font(bold=True), align=CENTER, border=True)
            if two_levels:
                ws.cell(row=row + 1, column=col).border = BORDER
                ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            col += 1
    row += 2 if two_levels else 1
    if numbers_row:
        for i, c in enumerate(range(first_col, col), start=1):
            put(ws, row, c, f"({i})", font=font(italic=True, size=11), align=CENTER, border=True)
        row += 1
    return row


def put_footer(
    ws: Worksheet,
    row: int,
    width: int,
    *,
    note: str = "",
    left_title: str = "NGƯỜI LẬP BIỂU",
    right_title: str = "THỦ TRƯỞNG ĐƠN VỊ",
    left_name: str = "",
    right_name: str = "",
) -> int:
    """Notes, then who drew up the sheet (left) and the head of the unit (right); returns the next row."""
    row += 1
    if note:
        put_merged(ws, row, 1, width, note, font=font(italic=True), align=LEFT)
        row += 2
    split = max(1, min(width - 1, round(width * 0.4)))
    put_merged(ws, row, 1, split, left_title, font=font(bold=True), align=CENTER)
    put_merged(ws, row, split + 1, width, right_title, font=font(bold=True), align=CENTER)
    put_merged(ws, row + 1, 1, split, "(Ký, ghi rõ họ tên)", font=font(italic=True), align=CENTER)
    put_merged(ws, row + 1, split + 1, width, "(Ký tên, đóng dấu)", font=font(italic=True), align=CENTER)
    if left_name or right_name:
        put_merged(ws, row + 5, 1, split, left_name, font=font(bold=True), align=CENTER)
        put_merged(ws, row + 5, split + 1, width, right_name, font=font(bold=True), align=CENTER)
    return row + 6


def box(ws: Worksheet, top: int, bottom: int, first: int, last: int) -> None:
    """Thin borders round every cell of a table body."""
    for r in range(top, bottom + 1):
        for c in range(first, last + 1):
            ws.cell(row=r, column=c).border = BORDER


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def landscape(ws: Worksheet) -> None:
    """Print on one A4 page width, landscape, as the units print their reports."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def village_list(wb: Workbook, catalogue: Catalogue) -> str:
    """Add (once) the hidden sheet listing the villages; return the range a dropdown refers to."""
    if LIST_SHEET not in wb.sheetnames:
        ws = wb.create_sheet(LIST_SHEET)
        for i, v in enumerate(catalogue.villages, start=1):
            ws.cell(row=i, column=1, value=v.name)
        ws.sheet_state = "hidden"
    return f"'{LIST_SHEET}'!$A$1:$A${len(catalogue.villages)}"


def dropdown(ws: Worksheet, formula: str, cells: str, *, strict: bool = True) -> None:
    """A list dropdown on a range; strict ones refuse any other value with a Vietnamese message."""
    dv = DataValidation(type="list", formula1=formula if formula.startswith('"') else f"={formula}", allow_blank=True)
    dv.showErrorMessage = strict
    dv.errorTitle = "Giá trị không có trong danh sách"
    dv.error = "Hãy chọn một giá trị trong danh sách thả xuống."
    dv.promptTitle = "Chọn trong danh sách"
    dv.prompt = "Bấm vào mũi tên để chọn."
    dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)


def workbook_bytes(wb: Workbook, *, macro_enabled: bool = False) -> bytes:
    """Save a workbook to bytes that depend only on its content (fixed zip times and document dates).

    With macro_enabled the package is declared a macro-enabled workbook (.xlsm) holding no macros,
    as Excel itself writes one saved as .xlsm without any VBA.
    """
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _FIXED_DOC_TIME.encode(), data
                )
            if macro_enabled and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    return out.getvalue()


def new_workbook(author: str = "") -> Workbook:
    wb = Workbook()
    wb.properties.creator = author or "UBND xã An Phú"
    return wb


def place_name(catalogue: Catalogue) -> str:
    """The place written before the date: "An Phú" for "Xã An Phú"."""
    return re.sub(r"^(xã|phường|thị trấn)\s+", "", catalogue.commune.name, flags=re.IGNORECASE)


# ---------------------------------------------------------------- the templates

_BLANK_DATE = "{place}, ngày ...... tháng ...... năm ........"
_BLANK_MONTH = "THÁNG ...... NĂM ........"
_BLANK_ROWS = 15


def template_names(catalogue: Catalogue) -> list[tuple[str, str | None, str, str]]:
    """Every template offered for download: (kind, unit or None, file name, Vietnamese label)."""
    out: list[tuple[str, str | None, str, str]] = [
        ("trong_cay", None, "mau-trong-cay-xanh.xlsx", "Mẫu báo cáo trồng cây xanh"),
        ("thu_tuc_hanh_chinh", None, "mau-thu-tuc-hanh-chinh.xlsx", "Mẫu báo cáo giải quyết thủ tục hành chính"),
        ("ocop_vietgap", None, "mau-ocop-vietgap-huu-co.xlsx", "Mẫu danh sách sản phẩm OCOP, VietGAP, hữu cơ"),
        (
            "khong_tien_mat",
            None,
            "mau-thanh-toan-khong-dung-tien-mat.xlsx",
            "Mẫu báo cáo thanh toán không dùng tiền mặt",
        ),
    ]
    for code in bang_thang_units(catalogue):
        out.append(
            ("bang_thang", code, f"mau-bang-thang-{code}.xlsx", f"Mẫu bảng số liệu tháng – {catalogue.unit(code).name}")
        )
    return out


def template_bytes(kind: str, catalogue: Catalogue, unit: str | None = None) -> bytes:
    """The blank .xlsx template of one report kind (for "bang_thang", of one unit's monthly table)."""
    builders = {
        "trong_cay": _trees,
        "thu_tuc_hanh_chinh": _procedures,
        "ocop_vietgap": _register,
        "khong_tien_mat": _cashless,
    }
    wb = new_workbook()
    if kind == "bang_thang":
        if unit not in bang_thang_units(catalogue):
            known = ", ".join(bang_thang_units(catalogue))
            raise ValueError(f"Không có mẫu bảng số liệu tháng cho đơn vị '{unit}'. Các đơn vị có mẫu: {known}.")
        _monthly_table(wb, catalogue, unit)
    elif kind in builders:
        builders[kind](wb, catalogue)
    else:
        raise ValueError(f"Không có mẫu cho loại báo cáo '{kind}'. Các loại: {', '.join(KIND_NAMES)}.")
    if LIST_SHEET in wb.sheetnames:
        # The hidden list goes last, so the forms keep their order and the first one stays active.
        wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LIST_SHEET))
    wb.active = 0
    return workbook_bytes(wb)


def _owner(catalogue: Catalogue, kind: str) -> str:
    return catalogue.unit(catalogue.indicator(KIND_INDICATORS[kind][0]).responsible).name


def _heading(ws: Worksheet, catalogue: Catalogue, width: int, unit_name: str, title: str, period_line: str) -> int:
    return put_title_block(
        ws,
        width,
        committee=catalogue.commune.people_committee,
        unit_name=unit_name,
        date_line=_BLANK_DATE.format(place=place_name(catalogue)),
        title_lines=[title, period_line],
    )


def _body(ws: Worksheet, top: int, rows: int, width: int, formats: Sequence[str | None]) -> int:
    """Blank bordered rows with each column's number format; returns the row after them."""
    for r in range(top, top + rows):
        for c in range(1, width + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BORDER
            cell.font = font()
            fmt = formats[c - 1] if c - 1 < len(formats) else None
            if fmt:
                cell.number_format = fmt
    return top + rows


# The footnote under each monthly form, by report kind.
_NOTES = {
    "trong_cay": "Ghi chú: Tổng số (cây) = cộng các địa điểm trồng; ghi rõ loại cây đã trồng.",
    "thu_tuc_hanh_chinh": "Ghi chú: Tỷ lệ trực tuyến (%) tự tính = Trực tuyến / Tổng số hồ sơ tiếp nhận.",
    "khong_tien_mat": "Ghi chú: mỗi dòng là một đơn vị thu tiền (trung tâm, trạm y tế, trường học…).",
}


def tthc_groups(resolved: list[str]) -> list[tuple[str, list[str]]]:
    """The two-level header of the administrative-procedures form (the sample generator varies `resolved`)."""
    return [
        ("STT", []),
        ("Lĩnh vực", []),
        ("Tổng số hồ sơ tiếp nhận", []),
        ("Trong đó", ["Trực tuyến", "Trực tiếp, bưu chính"]),
        ("Trực tuyến toàn trình", []),
        ("Số hồ sơ đã giải quyết", resolved),
        ("Tỷ lệ trực tuyến (%)", []),
    ]


def _form(
    wb: Workbook, catalogue: Catalogue, kind: str, sheet: str, width: int, title: str, period_line: str = _BLANK_MONTH
) -> tuple[Worksheet, int]:
    """The workbook's first sheet named and headed for a report kind; the row where its table starts."""
    ws = wb.active
    ws.title = sheet
    return ws, _heading(ws, catalogue, width, _owner(catalogue, kind), title, period_line)


def _close(
    ws: Worksheet, top: int, end: int, width: int, sum_cols: Sequence[int], note: str, widths: Sequence[float]
) -> None:
    """What ends every monthly form: the totals row, the signatures' footer, column widths, frozen panes, landscape."""
    _totals(ws, end, top, end - 1, width, sum_cols)
    put_footer(ws, end + 1, width, note=note)
    set_widths(ws, widths)
    ws.freeze_panes = ws.cell(row=top, column=3)
    landscape(ws)


def _totals(ws: Worksheet, row: int, first: int, last: int, width: int, sum_cols: Sequence[int], label_col: int = 2):
    put(ws, row, label_col, "Tổng cộng", font=font(bold=True), align=CENTER, border=True)
    for c in range(1, width + 1):
        ws.cell(row=row, column=c).border = BORDER
    for c in sum_cols:
        letter = get_column_letter(c)
        put(ws, row, c, f"=SUM({letter}{first}:{letter}{last})", font=font(bold=True), fmt=INT_FORMAT, border=True)


def _trees(wb: Workbook, catalogue: Catalogue) -> None:
    width = 9
    ws, row = _form(wb, catalogue, "trong_cay", "Trồng cây", width, "BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH")
    groups = [("STT", []), ("Thôn", []), ("Địa điểm trồng (cây)", list(PLACE_TYPES))]
    groups += [("Tổng số (cây)", []), ("Loại cây", []), ("Ghi chú", [])]
    top = put_header(ws, row, groups, numbers_row=True)
    n = len(catalogue.villages)
    end = _body(ws, top, n, width, [None, None, *[INT_FORMAT] * 5])
    for i, v in enumerate(catalogue.villages):
        put(ws, top + i, 1, i + 1, align=CENTER, border=True)
        put(ws, top + i, 2, v.name, align=LEFT, border=True)
    dropdown(ws, village_list(wb, catalogue), f"B{top}:B{end - 1}")
    _close(ws, top, end, width, range(3, 8), _NOTES["trong_cay"], [6, 24, 12, 12, 12, 12, 12, 24, 20])


def _procedures(wb: Workbook, catalogue: Catalogue) -> None:
    width = 9
    title = "BÁO CÁO KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    ws, row = _form(wb, catalogue, "thu_tuc_hanh_chinh", "TTHC", width, title)
    groups = tthc_groups(["Đúng hạn", "Quá hạn"])
    top = put_header(ws, row, groups, numbers_row=True)
    n = len(TTHC_FIELDS) + 4
    end = _body(ws, top, n, width, [None, None, *[INT_FORMAT] * 6, "0.0%"])
    for i in range(n):
        r = top + i
        put(ws, r, 1, i + 1, align=CENTER, border=True)
        if i < len(TTHC_FIELDS):
            put(ws, r, 2, TTHC_FIELDS[i], align=LEFT, border=True)
        put(ws, r, 9, f'=IF(N(C{r})>0,D{r}/C{r},"")', fmt="0.0%", border=True)
    _close(ws, top, end, width, range(3, 9), _NOTES["thu_tuc_hanh_chinh"], [6, 30, 13, 12, 13, 13, 11, 11, 12])


def _register(wb: Workbook, catalogue: Catalogue) -> None:
    width = 11
    title = "DANH SÁCH SẢN PHẨM OCOP, CƠ SỞ ĐƯỢC CHỨNG NHẬN VIETGAP, HỮU CƠ"
    ws, row = _form(wb, catalogue, "ocop_vietgap", "Danh sách", width, title, "(Tính đến ngày ...../...../........)")
    headers = [
        "STT",
        "Tên sản phẩm",
        "Chủ thể",
        "Thôn",
        "Loại chứng nhận",
        "Hạng sao",
        "Số quyết định",
        "Ngày cấp",
        "Ngày hết hạn",
        "Diện tích (ha)",
        "Ghi chú",
    ]
    top = put_header(ws, row, [(h, []) for h in headers], numbers_row=True)
    n = 30
    fmts = [None, None, None, None, None, None, None, DATE_FORMAT, DATE_FORMAT, "#,##0.00", None]
    end = _body(ws, top, n, width, fmts)
    for i in range(n):
        put(ws, top + i, 1, i + 1, align=CENTER, border=True)
    dropdown(ws, village_list(wb, catalogue), f"D{top}:D{end - 1}")
    dropdown(ws, '"' + ",".join(CERTIFICATES) + '"', f"E{top}:E{end - 1}")
    dropdown(ws, '"3 sao,4 sao,5 sao"', f"F{top}:F{end - 1}", strict=False)
    note = (
        "Ghi chú: ghi ngày dạng ngày/tháng/năm (05/09/2026); Hạng sao chỉ ghi với sản phẩm OCOP; "
        "bỏ trống Ngày hết hạn nếu giấy chứng nhận không ghi (OCOP: 36 tháng, VietGAP: 24 tháng)."
    )
    put_footer(ws, end, width, note=note)
    set_widths(ws, [6, 28, 26, 18, 14, 10, 16, 12, 12, 11, 18])
    ws.freeze_panes = ws.cell(row=top, column=3)
    landscape(ws)


def _cashless(wb: Workbook, catalogue: Catalogue) -> None:
    width = 7
    title = "BÁO CÁO KẾT QUẢ THANH TOÁN KHÔNG DÙNG TIỀN MẶT"
    ws, row = _form(wb, catalogue, "khong_tien_mat", "TTKDTM", width, title)
    headers = [
        "STT",
        "Đơn vị",
        "Tổng số giao dịch",
        "Giao dịch không dùng tiền mặt",
        "Tỷ lệ (%)",
        "Tổng giá trị (đồng)",
        "Giá trị không dùng tiền mặt (đồng)",
    ]
    top = put_header(ws, row, [(h, []) for h in headers], numbers_row=True)
    end = _body(ws, top, _BLANK_ROWS, width, [None, None, INT_FORMAT, INT_FORMAT, "0.0%", INT_FORMAT, INT_FORMAT])
    for i in range(_BLANK_ROWS):
        r = top + i
        put(ws, r, 1, i + 1, align=CENTER, border=True)
        put(ws, r, 5, f'=IF(N(C{r})>0,D{r}/C{r},"")', fmt="0.0%", border=True)
    _close(ws, top, end, width, (3, 4, 6, 7), _NOTES["khong_tien_mat"], [6, 34, 14, 16, 10, 20, 22])


def _monthly_table(wb: Workbook, catalogue: Catalogue, unit: str) -> None:
    name = catalogue.unit(unit).name
    title = f"BÁO CÁO SỐ LIỆU CHUYỂN ĐỔI XANH CỦA {name.upper()}"
    first = True
    for basis, quantities in unit_quantities(catalogue, unit).items():
        ws = wb.active if first else wb.create_sheet()
        ws.title = SHEET_TITLES[basis]
        if basis == "xa":
            _transposed_sheet(ws, catalogue, name, title, quantities, with_heading=first)
        else:
            _row_sheet(wb, ws, catalogue, name, title, basis, quantities, with_heading=first)
        first = False


def _groups(quantities: Sequence[Quantity]) -> list[tuple[str, list[str]]]:
    """Two-level headers: an indicator with two columns gets its short name above them."""
    by_ind: dict[str, list[Quantity]] = {}
    for q in quantities:
        by_ind.setdefault(q.indicator, []).append(q)
    out: list[tuple[str, list[str]]] = []
    for qs in by_ind.values():
        out.append((qs[0].group, [q.header for q in qs]) if len(qs) > 1 else (qs[0].header, []))
    return out


def _sheet_heading(ws: Worksheet, catalogue: Catalogue, width: int, unit_name: str, title: str, *, with_heading) -> int:
    """The full title block on a workbook's first sheet, the title and month alone on the next ones."""
    if with_heading:
        return _heading(ws, catalogue, width, unit_name, title, _BLANK_MONTH)
    put_merged(ws, 1, 1, width, title, font=font(bold=True, size=14), align=CENTER)
    put_merged(ws, 2, 1, width, _BLANK_MONTH, font=font(italic=True), align=CENTER)
    return 4


def _row_sheet(wb, ws, catalogue, unit_name, title, basis, quantities, *, with_heading) -> None:
    width = 3 + len(quantities)
    row = _sheet_heading(ws, catalogue, width, unit_name, title, with_heading=with_heading)
    groups = [("STT", []), (ROW_LABELS[basis], []), *_groups(quantities), ("Ghi chú", [])]
    top = put_header(ws, row, groups, numbers_row=True)
    villages = catalogue.villages if basis == "thon" else ()
    n = len(villages) or _BLANK_ROWS
    fmts = [None, None, *[DEC_FORMAT if "khối lượng" in q.header.lower() else INT_FORMAT for q in quantities]]
    end = _body(ws, top, n, width, fmts)
    for i in range(n):
        put(ws, top + i, 1, i + 1, align=CENTER, border=True)
        if villages:
            put(ws, top + i, 2, villages[i].name, align=LEFT, border=True)
    if basis == "thon":
        dropdown(ws, village_list(wb, catalogue), f"B{top}:B{end - 1}")
    _totals(ws, end, top, end - 1, width, range(3, 3 + len(quantities)))
    if with_heading:
        put_footer(
            ws, end + 1, width, note="Ghi chú: ghi số đếm (hộ, người, tấn…), không ghi tỷ lệ; để trống nếu chưa có."
        )
    set_widths(ws, [6, 26, *[18] * len(quantities), 20])
    ws.freeze_panes = ws.cell(row=top, column=3)
    landscape(ws)


def _transposed_sheet(ws, catalogue, unit_name, title, quantities, *, with_heading) -> None:
    width = 4
    row = _sheet_heading(ws, catalogue, width, unit_name, title, with_heading=with_heading)
    top = put_header(ws, row, [("STT", []), ("Nội dung", []), ("ĐVT", []), ("Số lượng", [])], numbers_row=True)
    for i, q in enumerate(quantities):
        ind = catalogue.indicator(q.indicator)
        put(ws, top + i, 1, i + 1, align=CENTER, border=True)
        put(ws, top + i, 2, q.header, align=LEFT, border=True)
        put(ws, top + i, 3, ind.unit if ind.kind != "ratio" else "", align=CENTER, border=True)
        put(ws, top + i, 4, None, fmt=INT_FORMAT, border=True)
    end = top + len(quantities)
    if with_heading:
        put_footer(ws, end, width, note="Ghi chú: ghi số phát sinh trong tháng, không ghi số lũy kế.")
    set_widths(ws, [6, 52, 10, 14])
    ws.freeze_panes = ws.cell(row=top, column=3)
