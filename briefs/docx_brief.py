"""The month's brief as a Word document in the Vietnamese administrative format (Nghị định 30/2020/NĐ-CP style)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from briefs.content import BriefContent, IndicatorRow
from briefs.images import ChartImage
from ground import fmt
from indicators import Status

FONT = "Times New Roman"
# Times New Roman has no ▲ ◆ ●: the status glyph gets a font that has them; the label is always written too.
SYMBOL_FONT = "Segoe UI Symbol"
BODY_PT, TABLE_PT, SMALL_PT = 13, 11, 12
TEXT_WIDTH_CM = 16.0  # A4 21 cm less the 3 cm left and 2 cm right margins
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
STATUS_COLUMNS = (  # (header, width in cm)
    ("STT", 1.2),
    ("Chỉ tiêu", 4.3),
    ("Giá trị", 2.1),
    ("Chỉ tiêu giai đoạn", 2.1),
    ("% chỉ tiêu", 1.5),
    ("Đánh giá", 2.3),
    ("Đơn vị chủ trì", 2.5),
)


# ---------------------------------------------------------------- small helpers on the XML
def _set_cell_shading(cell: _Cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shd)


def _set_width(cell: _Cell, cm: float) -> None:
    cell.width = Cm(cm)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _keep_row_together(row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _fixed_layout(table: Table, widths: Sequence[float]) -> None:
    """Column widths Word and LibreOffice both keep (a grid, each cell's width, a fixed layout)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=False):
            _set_width(cell, w)
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Cm(w)


def _rule(cell_or_doc, width_cm: float, available_cm: float) -> Paragraph:
    """A centred horizontal line `width_cm` long: an empty paragraph with a top border, indented both sides."""
    p = cell_or_doc.add_paragraph()
    fmt_ = p.paragraph_format
    side = max((available_cm - width_cm) / 2, 0)
    fmt_.left_indent = fmt_.right_indent = Cm(side)
    fmt_.space_before = fmt_.space_after = Pt(0)
    fmt_.first_line_indent = Cm(0)
    p_pr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{k}"), v)
    bdr.append(top)
    p_pr.append(bdr)
    run = p.add_run()
    run.font.size = Pt(2)
    return p


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
    keep_next: bool = False,
) -> Paragraph:
    p = container.add_paragraph()
    f = p.paragraph_format
    f.space_before, f.space_after = Pt(before), Pt(after)
    f.first_line_indent = Cm(1) if indent else Cm(0)
    f.keep_with_next = keep_next
    if align is not None:
        p.alignment = align
    if text:
        _run(p, text, size=size, bold=bold, italic=italic)
    return p


def _run(p: Paragraph, text: str, *, size: float = BODY_PT, bold: bool = False, italic: bool = False, font=None):
    # The run's properties written straight into its XML, in the schema's order (rFonts, b, i, sz): the same
    # elements python-docx's setters write (bold False as <w:b w:val="0"/>), at a quarter of the cost; the
    # brief's several hundred runs made this a tenth of the document's time.
    r = p.add_run()
    r_pr = r._r.get_or_add_rPr()
    if font:
        r_pr.append(OxmlElement("w:rFonts", {qn(f"w:{k}"): font for k in ("ascii", "hAnsi", "cs", "eastAsia")}))
    r_pr.append(OxmlElement("w:b", None if bold else {qn("w:val"): "0"}))
    r_pr.append(OxmlElement("w:i", None if italic else {qn("w:val"): "0"}))
    r_pr.append(OxmlElement("w:sz", {qn("w:val"): str(int(Pt(size).pt * 2))}))
    if text:
        r.text = text
    return r


def _cell_text(
    cell: _Cell,
    text: str,
    *,
    size: float = TABLE_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.LEFT,
) -> Paragraph:
    p = cell.paragraphs[0]
    p.paragraph_format.space_before = Pt(1)
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.first_line_indent = Cm(0)
    p.alignment = align
    _run(p, text, size=size, bold=bold, italic=italic)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return p


def _status_cell(cell: _Cell, status: Status) -> None:
    """The status written out, its glyph in a font that has it, on the status colour (as on the dashboard)."""
    _set_cell_shading(cell, status.colour)
    p = cell.paragraphs[0]
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.first_line_indent = Cm(0)
    ink = RGBColor.from_string(status.text_colour.lstrip("#"))
    glyph = _run(p, status.icon + " ", size=TABLE_PT - 1, font=SYMBOL_FONT)
    label = _run(p, status.label, size=TABLE_PT)
    glyph.font.color.rgb = label.font.color.rgb = ink
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


# ---------------------------------------------------------------- the document's parts
def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    r_pr.append(lang)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.space_after = Pt(6)


def _page(doc) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Cm(21), Cm(29.7)
    s.top_margin, s.bottom_margin = Cm(2), Cm(2)
    s.left_margin, s.right_margin = Cm(3), Cm(2)
    s.header_distance = Cm(1)
    # The page number at the top centre from the second page on.
    s.different_first_page_header_footer = True
    p = s.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(p)


def _header_block(doc, c: BriefContent) -> None:
    left_w, right_w = 6.8, 9.7  # half a centimetre over the text width: the office's name stays on one line
    t = doc.add_table(rows=2, cols=2)
    _no_borders(t)
    _fixed_layout(t, (left_w, right_w))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = t.cell(0, 0), t.cell(0, 1)
    p = _cell_text(left, c.committee.upper(), size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(0)
    if c.office:
        _para(left, c.office, size=SMALL_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(left, 2.0, left_w - 0.4)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=SMALL_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule(right, 5.6, right_w - 0.4)
    _cell_text(t.cell(1, 0), "Số:        /BC-UBND", size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(t.cell(1, 1), c.date_line, size=BODY_PT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for cell in (t.cell(1, 0), t.cell(1, 1)):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def _title(doc, c: BriefContent) -> None:
    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0, keep_next=True)
    _para(doc, c.title, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=2, keep_next=True)
    _rule(doc, 4.0, TEXT_WIDTH_CM)
    _para(doc, f"({c.cutoff_line})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=4, after=12)


def _heading(doc, number: int, text: str) -> None:
    _para(doc, f"{ROMAN[number - 1]}. {text.upper()}", bold=True, before=10, after=6, keep_next=True, indent=True)


def _body(doc, text: str) -> Paragraph:
    p = _para(doc, text, indent=True)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return p


def _counts_table(doc, c: BriefContent) -> None:
    total = sum(n for _, n in c.counts) or 1
    widths = (5.0, 3.0, 3.0)
    t = doc.add_table(rows=1, cols=3)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(t.rows[0].cells, ("Đánh giá", "Số chỉ tiêu", "Tỷ lệ"), strict=True):
        _set_cell_shading(cell, "#E7E6E6")
        _cell_text(cell, head, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for status, n in c.counts:
        row = t.add_row()
        _status_cell(row.cells[0], status)
        _cell_text(row.cells[1], str(n), align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(row.cells[2], fmt.percent(n / total * 100, 1), align=WD_ALIGN_PARAGRAPH.CENTER)
    row = t.add_row()
    _cell_text(row.cells[0], "Tổng số", bold=True)
    _cell_text(row.cells[1], str(sum(n for _, n in c.counts)), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(row.cells[2], "100%", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _fixed_layout(t, widths)
    _para(doc, "", after=4)


def _indicator_cells(row, r: IndicatorRow) -> None:
    cells = row.cells
    _cell_text(cells[0], str(r.number), align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[1], r.name)
    p = _cell_text(cells[2], r.value, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if r.value_note:
        _run(p, f"\n({r.value_note})", size=TABLE_PT - 2, italic=True)
    p = _cell_text(cells[3], r.target, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if r.proposed:
        _run(p, "(*)", size=TABLE_PT).font.superscript = True
    _cell_text(cells[4], r.pct, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _status_cell(cells[5], r.status)
    _cell_text(cells[6], r.unit_name)


def _status_table(doc, c: BriefContent) -> None:
    widths = [w for _, w in STATUS_COLUMNS]
    t = doc.add_table(rows=1, cols=len(STATUS_COLUMNS))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = t.rows[0]
    _repeat_header(head)
    for cell, (text, _) in zip(head.cells, STATUS_COLUMNS, strict=True):
        _set_cell_shading(cell, "#E7E6E6")
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, block in enumerate(c.sectors):
        row = t.add_row()
        _keep_row_together(row)
        _cell_text(row.cells[0], ROMAN[i] if i < len(ROMAN) else str(i + 1), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        merged = row.cells[1].merge(row.cells[-1])
        _cell_text(merged, block.name, bold=True)
        for r in block.rows:
            row = t.add_row()
            _keep_row_together(row)
            _indicator_cells(row, r)
    _fixed_layout(t, widths)
    notes = ["Giá trị của chỉ tiêu cộng dồn (ghi “lũy kế”) tính từ đầu kỳ Kế hoạch; "
             "với chỉ tiêu “không vượt quá”, % chỉ tiêu là phần mức trần đã dùng."]  # fmt: skip
    if c.any_proposed:
        notes.insert(0, "(*) Chỉ tiêu đề xuất, chưa được cấp có thẩm quyền phê duyệt.")
    if any(r.value_note and r.value_note != "lũy kế" for r in c.rows):
        notes.append("Chỉ tiêu ghi tháng trong ngoặc: tháng này chưa có số liệu, dùng số liệu tháng trước.")
    for note in notes:
        _para(doc, note, size=SMALL_PT - 1, italic=True, after=0, before=2)
    _para(doc, "", after=4)


def _charts(doc, images: Sequence[ChartImage]) -> None:
    for im in images:
        p = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=2, keep_next=True)
        p.add_run().add_picture(io.BytesIO(im.png), width=Cm(im.width_cm))
        _para(doc, im.caption, size=SMALL_PT, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=10)


def _behind(doc, c: BriefContent) -> None:
    if not c.behind:
        _body(doc, "Không có chỉ tiêu nào chậm tiến độ hoặc cần đẩy nhanh.")
        return
    for item in c.behind:
        p = _para(doc, indent=True)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run(p, f"- {item.status.label}: ", bold=True)
        _run(p, item.sentence + " ")
        _run(p, f"Đơn vị chủ trì: {item.unit_name}.", italic=True)


def _signature(doc, c: BriefContent) -> None:
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _fixed_layout(t, (8.0, 8.0))
    left, right = t.cell(0, 0), t.cell(0, 1)
    p = _cell_text(left, "Nơi nhận:", size=SMALL_PT, bold=True, italic=True)
    p.paragraph_format.space_before = Pt(12)
    for line in c.recipients:
        _para(left, f"- {line}", size=11, after=0)
    p = _cell_text(right, "TM. ỦY BAN NHÂN DÂN", size=BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.space_before = Pt(12)
    _para(right, "CHỦ TỊCH", size=BODY_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    for _ in range(4):  # room for the signature and the seal
        _para(right, after=0)
    for cell in (left, right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _properties(doc, c: BriefContent) -> None:
    # Fixed from the content, so the same snapshot always gives the same file.
    stamp = datetime(c.made_on.year, c.made_on.month, c.made_on.day)
    props = doc.core_properties
    props.title = f"Báo cáo {c.title[:1].lower()}{c.title[1:]}"
    props.author = props.last_modified_by = c.committee
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.language = "vi-VN"
    props.comments = c.snapshot_line


class _DatedZip:
    """python-docx's zip writer (docx.opc.phys_pkg._ZipPkgWriter) with every member dated 01/01/1980: its own
    stamps members with the time of saving, so the same content would give different bytes."""

    def __init__(self, file: io.BytesIO):
        self._zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        member = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        member.compress_type = zipfile.ZIP_DEFLATED
        member.external_attr = 0o644 << 16
        self._zip.writestr(member, blob)

    def close(self) -> None:
        self._zip.close()


def _save(doc) -> bytes:
    """The document's .docx bytes, written once with fixed member dates. It did doc.save() and then rewrote the
    archive to re-date its members: the images were deflated twice and inflated once, a tenth of a second a
    brief. The steps are python-docx's own (OpcPackage.save, PackageWriter.write), pinned in requirements.txt."""
    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _DatedZip(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return out.getvalue()


def brief_docx(c: BriefContent, images: Sequence[ChartImage], plan: str) -> bytes:
    """The .docx bytes of the brief: header block, title, cut-off date, counts, status table, sector charts,
    sentences on the indicators behind, units that have not reported, the source, recipients and signature.
    `plan` is the plan's name (catalogue.commune.plan) for the opening sentence. Same content → same bytes."""
    doc = Document()
    _styles(doc)
    _page(doc)
    _header_block(doc, c)
    _title(doc, c)
    _body(
        doc,
        f"Thực hiện {plan}, Ủy ban nhân dân {c.commune} báo cáo tiến độ thực hiện các chỉ tiêu chuyển đổi xanh "
        f"{fmt.month_long(c.month)} như sau:",
    )
    _heading(doc, 1, "Tình hình chung")
    _body(doc, c.headline)
    _counts_table(doc, c)
    _heading(doc, 2, "Kết quả thực hiện từng chỉ tiêu")
    _status_table(doc, c)
    _heading(doc, 3, "Tiến độ theo lĩnh vực")
    _charts(doc, images)
    _heading(doc, 4, "Các chỉ tiêu chậm tiến độ, cần đẩy nhanh")
    _behind(doc, c)
    _heading(doc, 5, "Tình hình gửi báo cáo của các đơn vị")
    _body(doc, c.missing_sentence)
    _heading(doc, 6, "Nguồn số liệu")
    _body(doc, c.snapshot_line)
    _body(doc, c.source_line)
    month = fmt.month_long(c.month)
    closing = f"Trên đây là báo cáo tiến độ thực hiện Kế hoạch chuyển đổi xanh {month} của UBND {c.commune}./."
    _body(doc, closing)
    _signature(doc, c)
    _properties(doc, c)
    return _save(doc)
