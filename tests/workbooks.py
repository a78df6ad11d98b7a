"""Build real test workbooks in code (.xlsx with openpyxl, .xls with xlwt, .ods and .xlsb by hand), shaped like unit
reports, with fonts where a test needs them (the old Vietnamese fonts ".VnTime", "VNI-Times")."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from loaders import legacy


@dataclass(frozen=True)
class Fmt:
    """A cell value with a number format ("0%", "dd/mm/yyyy")."""

    value: object
    number_format: str


@dataclass(frozen=True)
class InFont:
    """A cell value written in a font of its own (".VnTime", "VNI-Times")."""

    value: object
    font: str


@dataclass(frozen=True)
class Rich:
    """A text of several runs, each in its font (None: the cell's own)."""

    runs: tuple[tuple[str, str | None], ...]

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass
class SheetSpec:
    """One worksheet: rows of values (None/"" = empty; "=…" = a formula), merged ranges ("A1:C1"), visibility, and
    the font every cell is written in unless it says otherwise (None: the writer's default)."""

    rows: list[list]
    merges: list[str] = field(default_factory=list)
    hidden: bool = False
    first_data_row: int = 0  # 1-based row of the first data row, when built by report_sheet
    font: str | None = None

    def data_row(self, i: int) -> int:
        """The spreadsheet row number of the i-th (0-based) data row."""
        return self.first_data_row + i


def report_sheet(
    header: list[list],
    data: list[list],
    *,
    header_merges: list[str] = (),
    unit: str = "PHÒNG KINH TẾ",
    title: str = "BÁO CÁO KẾT QUẢ THỰC HIỆN",
    period: str | None = "Tháng 10 năm 2026",
    signed: str | None = "An Phú, ngày 05 tháng 11 năm 2026",
    numbers_row: bool | list = True,
    footer: bool = True,
    extra_title: list[str] = (),
) -> SheetSpec:
    """A sheet as units keep it: title block, header (maybe two rows, merged), column numbers, data, footer.

    `header_merges` are ranges relative to the header's first row being row 1 ("C1:D1" spans two columns).
    `numbers_row` is the printed form's row of column numbers: "(1) (2) …" when True, the given cells when a list.
    """
    width = max(len(r) for r in header)
    right = max(width - 3, 1)
    rows: list[list] = [
        ["UBND XÃ AN PHÚ", "", ""] + [""] * (right - 3 if right > 3 else 0) + ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [unit, "", ""] + [""] * (right - 3 if right > 3 else 0) + ["Độc lập - Tự do - Hạnh phúc"],
        [""] * max(right, 3) + [signed or ""],
        [],
        [title],
    ]
    rows += [[t] for t in extra_title]
    if period:
        rows.append([period])
    rows.append([])
    header_top = len(rows) + 1
    merges = [f"A{header_top - len(extra_title) - (2 if period else 1)}:{get_column_letter(width)}"
              f"{header_top - len(extra_title) - (2 if period else 1)}"]  # fmt: skip
    rows += [list(r) for r in header]
    for m in header_merges:
        c1, r1, c2, r2 = range_boundaries(m)
        merges.append(f"{get_column_letter(c1)}{r1 + header_top - 1}:{get_column_letter(c2)}{r2 + header_top - 1}")
    if isinstance(numbers_row, list):
        rows.append(list(numbers_row))
    elif numbers_row:
        rows.append([f"({i + 1})" for i in range(width)])
    first = len(rows) + 1
    rows += [list(r) for r in data]
    if footer:
        rows += [[], ["Ghi chú: số liệu do các thôn báo cáo."], ["NGƯỜI LẬP BIỂU", "", "", "THỦ TRƯỞNG ĐƠN VỊ"]]
        rows += [[], ["Nguyễn Văn An", "", "", "Trần Thị Bình"]]
    return SheetSpec(rows, merges, first_data_row=first)


def _font_of(value: object, default: str | None) -> tuple[object, str | None]:
    """A value without its InFont wrapper, and the font it is written in."""
    if isinstance(value, InFont):
        return value.value, value.font
    return value, default


def xlsx(sheets: dict[str, SheetSpec | list[list]], *, macro: bool = False) -> bytes:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, spec in sheets.items():
        spec = spec if isinstance(spec, SheetSpec) else SheetSpec(spec)
        ws = wb.create_sheet(name)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                value, font = _font_of(value, spec.font)
                if value is None or value == "":
                    continue
                cell = ws.cell(r, c)
                if font:
                    cell.font = Font(name=font)
                if isinstance(value, Rich):
                    cell.value = CellRichText(
                        *(TextBlock(InlineFont(rFont=f or font), t) if f or font else t for t, f in value.runs)
                    )
                elif isinstance(value, Fmt):
                    cell.value = value.value
                    cell.number_format = value.number_format
                else:
                    cell.value = value
                    if isinstance(value, dt.date):
                        cell.number_format = "dd/mm/yyyy"
        for m in spec.merges:
            ws.merge_cells(m)
        if spec.hidden:
            ws.sheet_state = "hidden"
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


def xls(sheets: dict[str, SheetSpec | list[list]]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict[tuple[str | None, str | None], object] = {}

    def style(number_format: str | None, font: str | None):
        key = (number_format, font)
        if key not in styles:
            spec = f"font: name {font}" if font else ""
            styles[key] = xlwt.easyxf(spec, num_format_str=number_format) if number_format else xlwt.easyxf(spec)
        return styles[key]

    def xlwt_font(name: str):
        f = xlwt.Font()
        f.name = name
        return f

    for name, spec in sheets.items():
        spec = spec if isinstance(spec, SheetSpec) else SheetSpec(spec)
        ws = wb.add_sheet(name)

        def styled(value: object, default: str | None = spec.font) -> tuple[object, object]:
            value, font = _font_of(value, default)
            if isinstance(value, Fmt):
                return value.value, style(value.number_format, font)
            return value, style("DD/MM/YYYY" if isinstance(value, dt.date) else None, font)

        merged_cells = set()
        for m in spec.merges:
            c1, r1, c2, r2 = range_boundaries(m)
            top_left = spec.rows[r1 - 1][c1 - 1] if r1 - 1 < len(spec.rows) and c1 - 1 < len(spec.rows[r1 - 1]) else ""
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, *styled(top_left))
            merged_cells |= {(r, c) for r in range(r1 - 1, r2) for c in range(c1 - 1, c2)}
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is None or value == "" or (r, c) in merged_cells:
                    continue
                plain, cell_style = styled(value)
                if isinstance(plain, Rich):
                    runs = [(t, xlwt_font(f)) if f else t for t, f in plain.runs]
                    ws.write_rich_text(r, c, runs, cell_style)
                else:
                    ws.write(r, c, plain, cell_style)
        if spec.hidden:
            ws.visibility = 1
    bio = io.BytesIO()
    wb.save(bio)
    return bio.getvalue()


def ods(sheets: dict[str, SheetSpec | list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet written by hand (no library here writes .ods)."""
    body = []
    fonts: dict[str, str] = {}  # font name → its cell style

    def style_of(font: str | None) -> str:
        if not font:
            return ""
        code = fonts.setdefault(font, f"ce{len(fonts) + 1}")
        return f' table:style-name="{code}"'

    for name, spec in sheets.items():
        spec = spec if isinstance(spec, SheetSpec) else SheetSpec(spec)
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for m in spec.merges:
            c1, r1, c2, r2 = range_boundaries(m)
            spans[(r1 - 1, c1 - 1)] = (r2 - r1 + 1, c2 - c1 + 1)
            covered |= {(r, c) for r in range(r1 - 1, r2) for c in range(c1 - 1, c2)} - {(r1 - 1, c1 - 1)}
        width = max((len(r) for r in spec.rows), default=1)
        for m in spec.merges:
            width = max(width, range_boundaries(m)[2])
        rows_xml = []
        for r, row in enumerate(spec.rows):
            cells = []
            for c in range(width):
                value = row[c] if c < len(row) else ""
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                value, font = _font_of(value, spec.font)
                attrs = style_of(font) if value is not None and value != "" else ""
                if (r, c) in spans:
                    nr, nc = spans[(r, c)]
                    attrs += f' table:number-rows-spanned="{nr}" table:number-columns-spanned="{nc}"'
                if isinstance(value, Fmt):
                    value = value.value
                if isinstance(value, Rich):
                    text = "".join(
                        f'<text:span text:style-name="{fonts.setdefault(f, f"ce{len(fonts) + 1}")}T">{escape(t)}'
                        "</text:span>"
                        if f
                        else escape(t)
                        for t, f in value.runs
                    )
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="string"><text:p>{text}</text:p>'
                        "</table:table-cell>"
                    )
                elif value is None or value == "":
                    cells.append(f"<table:table-cell{attrs}/>")
                elif isinstance(value, bool | str):
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="string"><text:p>{escape(str(value))}</text:p>'
                        "</table:table-cell>"
                    )
                elif isinstance(value, dt.date):
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="date" office:date-value="{value.isoformat()}">'
                        f"<text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>"
                    )
                else:
                    cells.append(
                        f'<table:table-cell{attrs} office:value-type="float" office:value="{value}">'
                        f"<text:p>{value}</text:p></table:table-cell>"
                    )
            rows_xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        body.append(f'<table:table table:name="{escape(name)}">' + "".join(rows_xml) + "</table:table>")
    faces = "".join(
        f'<style:font-face style:name="{escape(f)}" svg:font-family="&apos;{escape(f)}&apos;"/>' for f in fonts
    )
    automatic = "".join(
        f'<style:style style:name="{code}" style:family="table-cell"><style:text-properties '
        f'style:font-name="{escape(f)}"/></style:style>'
        f'<style:style style:name="{code}T" style:family="text"><style:text-properties '
        f'style:font-name="{escape(f)}"/></style:style>'
        for f, code in fonts.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">'
        f"<office:font-face-decls>{faces}</office:font-face-decls>"
        f"<office:automatic-styles>{automatic}</office:automatic-styles>"
        "<office:body><office:spreadsheet>" + "".join(body) + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return bio.getvalue()


def ole2_with_stream(stream_name: str) -> bytes:
    """A tiny OLE2 (compound file) container with one named stream, like an encrypted .xlsx ("EncryptionInfo")."""
    sector = 512
    name = stream_name.encode("utf-16-le") + b"\x00\x00"

    def entry(label: bytes, kind: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
        e = label.ljust(64, b"\x00") + len(label).to_bytes(2, "little") + bytes([kind, 1])
        e += (0xFFFFFFFF).to_bytes(4, "little") * 2 + child.to_bytes(4, "little")
        e += b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
        e += start.to_bytes(4, "little", signed=False) + size.to_bytes(4, "little") + b"\x00" * 4
        return e

    root = entry("Root Entry".encode("utf-16-le") + b"\x00\x00", 5, 0xFFFFFFFE, 0, child=1)
    stream = entry(name, 2, 0xFFFFFFFE, 0)
    directory = (root + stream).ljust(sector, b"\x00")
    fat = (0xFFFFFFFD).to_bytes(4, "little") + (0xFFFFFFFE).to_bytes(4, "little")
    fat = fat.ljust(sector, b"\xff")
    header = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16)
    header += (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little") + b"\xfe\xff"
    header += (9).to_bytes(2, "little") + (6).to_bytes(2, "little") + b"\x00" * 6
    header += (0).to_bytes(4, "little") + (1).to_bytes(4, "little") + (1).to_bytes(4, "little")
    header += b"\x00" * 4 + (4096).to_bytes(4, "little") + (0xFFFFFFFE).to_bytes(4, "little") + b"\x00" * 4
    header += (0xFFFFFFFE).to_bytes(4, "little") + b"\x00" * 4 + (0).to_bytes(4, "little")
    header += b"\xff" * (sector - len(header) - 0) if len(header) < sector else b""
    header = bytes(header[:sector])
    return header + fat + directory


def _brt(kind: int, payload: bytes = b"") -> bytes:
    """One BIFF12 record of an .xlsb part: its type and size as 7-bit groups, then the payload."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, n = b"", len(payload)
    while True:
        byte, n = n & 0x7F, n >> 7
        size += bytes([byte | (0x80 if n else 0)])
        if not n:
            break
    return head + size + payload


def _wide(text: str) -> bytes:
    data = text.encode("utf-16-le")
    return (len(data) // 2).to_bytes(4, "little") + data


def xlsb(sheets: dict[str, SheetSpec | list[list]]) -> bytes:
    """A minimal Excel binary workbook (.xlsb, BIFF12) written by hand: texts, numbers, dates, merged ranges.

    Only Excel writes .xlsb; this writes the records calamine reads (MS-XLSB): the workbook's sheet list, one part per
    sheet with its rows and cells (texts inline), its merged ranges, and a style sheet whose second cell format is a
    date (built-in format 14).
    """
    import struct

    bio = io.BytesIO()
    names = list(sheets)
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
            for i in range(len(names))
        )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.bin" '
            'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
            '<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.bin"/></Relationships>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i + 1}.bin"/>'
            for i in range(len(names))
        )
        z.writestr(
            "xl/_rels/workbook.bin.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        book = _brt(0x83) + _brt(0x8F)
        for i, name in enumerate(names):
            spec = sheets[name] if isinstance(sheets[name], SheetSpec) else SheetSpec(sheets[name])
            state = 1 if spec.hidden else 0
            book += _brt(0x9C, struct.pack("<II", state, i + 1) + _wide(f"rId{i + 1}") + _wide(name))
        book += _brt(0x90) + _brt(0x84)
        z.writestr("xl/workbook.bin", book)
        xf = struct.pack("<HHHHHBBI", 0, 0, 0, 0, 0, 0, 0, 0)
        date_xf = struct.pack("<HHHHHBBI", 0, 14, 0, 0, 0, 0, 0, 0)
        z.writestr("xl/styles.bin", _brt(0x269, struct.pack("<I", 2)) + _brt(0x2F, xf) + _brt(0x2F, date_xf))
        for i, name in enumerate(names):
            spec = sheets[name] if isinstance(sheets[name], SheetSpec) else SheetSpec(sheets[name])
            width = max((len(r) for r in spec.rows), default=1)
            part = _brt(0x81) + _brt(0x94, struct.pack("<IIII", 0, max(len(spec.rows) - 1, 0), 0, width - 1))
            part += _brt(0x91)
            for r, row in enumerate(spec.rows):
                part += _brt(0x00, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, 0))
                for c, value in enumerate(row):
                    value, _font = _font_of(value, spec.font)
                    if isinstance(value, Fmt):
                        value = value.value
                    if isinstance(value, Rich):
                        value = value.text
                    if value is None or value == "":
                        continue
                    if isinstance(value, dt.date):
                        day = value.date() if isinstance(value, dt.datetime) else value
                        serial = (day - dt.date(1899, 12, 30)).days
                        part += _brt(0x05, struct.pack("<IId", c, 1, float(serial)))
                    elif isinstance(value, bool):
                        part += _brt(0x04, struct.pack("<IIB", c, 0, int(value)))
                    elif isinstance(value, int | float):
                        part += _brt(0x05, struct.pack("<IId", c, 0, float(value)))
                    else:
                        part += _brt(0x06, struct.pack("<II", c, 0) + _wide(str(value)))
            part += _brt(0x92)
            if spec.merges:
                part += _brt(0xB1, struct.pack("<I", len(spec.merges)))
                for m in spec.merges:
                    c1, r1, c2, r2 = range_boundaries(m)
                    part += _brt(0xB0, struct.pack("<IIII", r1 - 1, r2 - 1, c1 - 1, c2 - 1))
                part += _brt(0xB2)
            part += _brt(0x82)
            z.writestr(f"xl/worksheets/sheet{i + 1}.bin", part)
    return bio.getvalue()


# ---------------------------------------------------------------- the old Vietnamese encodings, as their fonts typed

TCVN3_CODES = {letter: code for code, letter in legacy.TCVN3_TABLE.items()}
# One sequence per letter, the one a VNI keyboard types: the mark in the letter's case ("yï" is only read).
VNI_CODES = {
    letter: seq
    for seq, letter in legacy.VNI_TABLE.items()
    if (len(seq) == 1 or seq[0].isupper() == seq[1].isupper()) and seq.lower() != "yï"
}


def to_tcvn3(text: str) -> tuple[str, bool]:
    """TCVN3 bytes (as Windows-1252 characters) and whether an upper-case font (".VnTimeH") is needed: the ordinary
    fonts hold no capital with a tone, the capitals fonts show the lower-case bytes as capitals."""
    text = unicodedata.normalize("NFC", text)
    capitals = any(not ch.isascii() and ch.isupper() and ch not in TCVN3_CODES for ch in text)
    if capitals:  # typed with Caps Lock in .VnTimeH: Latin letters as capitals, Vietnamese ones as their bytes
        return "".join(ch if ch.isascii() else TCVN3_CODES.get(ch.lower(), ch) for ch in text), True
    return "".join(TCVN3_CODES.get(ch, ch) for ch in text), False


def to_vni(text: str) -> str:
    return "".join(VNI_CODES.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def typed_in(spec: SheetSpec, encoding: str, fonts: bool) -> SheetSpec:
    """The same sheet typed in an old encoding: every text in its bytes, in the encoding's font when `fonts` (the
    upper-case TCVN3 font where the text needs one), else in the workbook's default font."""

    def cell(value: object) -> object:
        if not isinstance(value, str) or value.isascii():
            return value
        if encoding == legacy.VNI:
            return InFont(to_vni(value), "VNI-Times") if fonts else to_vni(value)
        code, capitals = to_tcvn3(value)
        return InFont(code, ".VnTimeH" if capitals else ".VnTime") if fonts else code

    return SheetSpec([[cell(v) for v in row] for row in spec.rows], spec.merges, first_data_row=spec.first_data_row)
