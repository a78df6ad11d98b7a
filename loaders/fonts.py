"""Which cells of a workbook are typed in a legacy Vietnamese font (TCVN3 ".VnTime", VNI "VNI-Times"), read from the
file's own styles: calamine gives values, not fonts.

Each reader first looks for a legacy font name in the small parts of the file (the style sheet, the shared strings,
the font records) and stops there for the ordinary file; only a file naming such a font has its cells' styles read.
A file whose styles cannot be read is left to the character statistics of loaders/legacy.py. .xlsb keeps its fonts
in binary records that are not read here: it is judged by its characters alone.
"""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from loaders.legacy import MAYBE_LEGACY, CellFont, Runs, font_encoding
from loaders.text import column_number

_LEGACY_FONT = re.compile(rb"""(?:val|font-family|font-name)="['\s]*(?:\.vn|vni[- _])""", re.IGNORECASE)
_MAX_RUN_CELLS = 1_000_000  # cells a legacy-font reader records per sheet (a 100.000-row log of 8 columns fits)
# A sheet part this small is searched for runs of inline rich text in a legacy font (scripts write them; Excel keeps
# its texts in the shared strings): a monthly report is a few kB, a 100.000-row log 40 MB and is not searched.
_INLINE_SEARCH_BYTES = 4 * 2**20


@dataclass
class Fonts:
    """Per sheet name, the cells in a legacy font and the rich texts with a run in one; `scan` says whether the
    character statistics may find anything (False when the file's whole text was seen to hold no legacy sign)."""

    cells: dict[str, dict[tuple[int, int], CellFont]] = field(default_factory=dict)
    runs: dict[str, dict[tuple[int, int], Runs]] = field(default_factory=dict)
    scan: bool = True


def read_fonts(data: bytes, fmt: str, xlsx_parts: dict[str, str] | None = None) -> Fonts:
    """The legacy-font cells of a workbook of format `fmt` ("xlsx", "xlsm", "ods", "xls", "xlsb")."""
    try:
        if fmt in ("xlsx", "xlsm"):
            return _xlsx(data, xlsx_parts or {})
        if fmt == "ods":
            return _ods(data)
        if fmt == "xls":
            return _xls(data)
    except MemoryError:
        raise
    except Exception:  # styles are a help, not a must: the characters still tell
        return Fonts()
    return Fonts()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---------------------------------------------------------------- xlsx / xlsm

# The opening tag of a cell holding text (its type s, inlineStr or str), found in C: numbers are not looked at.
_CELL = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*\bt="(?:s|inlineStr|str)")([^>]*?)(/?)>')
_R = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_S = re.compile(rb'\bs="(\d+)"')
_T = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)<")
_STRING_TYPES = (b"s", b"inlineStr", b"str")


def _xlsx(data: bytes, parts: dict[str, str]) -> Fonts:
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    styles = z.read("xl/styles.xml") if "xl/styles.xml" in names else b""
    strings = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None
    out = Fonts()
    if strings is not None:
        # Every text of an ordinary workbook is in the shared strings: no legacy sign there, nothing to guess.
        out.scan = MAYBE_LEGACY.search(strings.decode("utf-8", "replace")) is not None
    legacy_xf = _xlsx_legacy_styles(styles) if _LEGACY_FONT.search(styles) else {}
    legacy_runs = _xlsx_legacy_runs(strings) if strings and _LEGACY_FONT.search(strings) else {}
    for sheet, path in parts.items():
        try:
            small = z.getinfo(path).file_size <= _INLINE_SEARCH_BYTES
            if not (legacy_xf or legacy_runs or small):
                continue
            xml = z.read(path)
        except KeyError:
            continue
        inline = small and _LEGACY_FONT.search(xml) is not None
        if not (legacy_xf or legacy_runs or inline):
            continue
        cells: dict[tuple[int, int], CellFont] = {}
        runs: dict[tuple[int, int], Runs] = {}
        for m in _CELL.finditer(xml):
            attrs = m.group(1)
            t = _T.search(attrs)
            if t is None or t.group(1) not in _STRING_TYPES:
                continue
            s = _S.search(attrs)
            xf = int(s.group(1)) if s else 0
            if xf not in legacy_xf and not legacy_runs and not inline:
                continue
            ref = _R.search(attrs)
            if ref is None:
                continue
            key = (int(ref.group(2)) - 1, column_number(ref.group(1)) - 1)
            if xf in legacy_xf:
                cells[key] = legacy_xf[xf]
            if legacy_runs and t.group(1) == b"s" and not m.group(2):
                v = _V.match(xml, m.end())
                if v is not None and v.group(1).strip().isdigit() and int(v.group(1)) in legacy_runs:
                    runs[key] = legacy_runs[int(v.group(1))]
            elif inline and t.group(1) == b"inlineStr" and not m.group(2):
                end = xml.find(b"c>", m.end())
                pieces = _inline_runs(xml[m.end() : end if end >= 0 else None])
                if pieces:
                    runs[key] = pieces
            if len(cells) + len(runs) > _MAX_RUN_CELLS:
                break
        if cells:
            out.cells[sheet] = cells
        if runs:
            out.runs[sheet] = runs
    return out


_RUN = re.compile(rb"<(?:\w+:)?r>(.*?)</(?:\w+:)?r>", re.DOTALL)
_RUN_FONT = re.compile(rb'<(?:\w+:)?rFont\s+val="([^"]*)"')
_RUN_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>")


def _inline_runs(cell: bytes) -> Runs | None:
    """The runs of one cell's inline rich text (`<is><r>…</r></is>`), when one is in a legacy font."""
    pieces: Runs = []
    for run in _RUN.finditer(cell):
        body = run.group(1)
        name = _RUN_FONT.search(body)
        font = font_encoding(name.group(1).decode("utf-8", "replace")) if name else None
        text = "".join(html.unescape(t.decode("utf-8", "replace")) for t in _RUN_TEXT.findall(body))
        pieces.append((text, font))
    return pieces if any(f for _, f in pieces) else None


def _xlsx_legacy_styles(styles: bytes) -> dict[int, CellFont]:
    """Cell format index (the `s` of a cell) → the legacy font it writes with."""
    if not styles:
        return {}
    root = ElementTree.fromstring(styles)
    fonts: list[CellFont | None] = []
    xfs: list[int] = []
    for el in root:
        tag = _local(el.tag)
        if tag == "fonts":
            for font in el:
                name = next((f.get("val") for f in font if _local(f.tag) in ("name", "rFont")), None)
                fonts.append(font_encoding(name))
        elif tag == "cellXfs":
            xfs = [int(xf.get("fontId", "0") or 0) for xf in el if _local(xf.tag) == "xf"]
    return {i: fonts[f] for i, f in enumerate(xfs) if f < len(fonts) and fonts[f] is not None}


def _xlsx_legacy_runs(strings: bytes) -> dict[int, Runs]:
    """Shared string index → its runs, for the rich texts with a run in a legacy font."""
    out: dict[int, Runs] = {}
    for i, si in enumerate(ElementTree.fromstring(strings)):
        pieces: Runs = []
        legacy = False
        for r in si:
            if _local(r.tag) != "r":
                continue
            font = None
            text = ""
            for part in r:
                tag = _local(part.tag)
                if tag == "rPr":
                    name = next((f.get("val") for f in part if _local(f.tag) == "rFont"), None)
                    font = font_encoding(name)
                elif tag == "t":
                    text = part.text or ""
            legacy = legacy or font is not None
            pieces.append((text, font))
        if legacy:
            out[i] = pieces
    return out


# ---------------------------------------------------------------- ods

_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _ods(data: bytes) -> Fonts:
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    styles = z.read("styles.xml") if "styles.xml" in names else b""
    with z.open("content.xml") as fh:
        head = fh.read(262_144)
    body = head.find(b"<office:body")
    if not _LEGACY_FONT.search(styles) and not _LEGACY_FONT.search(head[: body if body >= 0 else None]):
        return Fonts()
    faces: dict[str, str] = {}
    declared: dict[tuple[str, str], tuple[str | None, str | None]] = {}  # (family, name) → (font, parent)
    defaults: dict[str, str | None] = {}
    for source in (styles, None):
        if source is None:
            with z.open("content.xml") as fh:
                _ods_styles(fh, faces, declared, defaults, stop_at_body=True)
        elif source:
            _ods_styles(io.BytesIO(source), faces, declared, defaults, stop_at_body=False)

    def font_of(family: str, name: str | None) -> CellFont | None:
        seen = 0
        while name is not None and seen < 20:
            font, parent = declared.get((family, name), (None, None))
            if font is not None:
                return font_encoding(faces.get(font, font))
            name, seen = parent, seen + 1
        default = defaults.get(family)
        return font_encoding(faces.get(default, default)) if default else None

    out = Fonts()
    with z.open("content.xml") as fh:
        _ods_cells(fh, out, lambda name: font_of("table-cell", name), lambda name: font_of("text", name))
    return out


def _ods_styles(fh, faces: dict, declared: dict, defaults: dict, *, stop_at_body: bool) -> None:
    current: tuple[str, str, str | None] | None = None
    for event, el in ElementTree.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if stop_at_body and tag == f"{{{_OFFICE}}}body":
                return
            if tag == f"{{{_STYLE}}}font-face":
                name = el.get(f"{{{_STYLE}}}name", "")
                faces[name] = (el.get(f"{{{_SVG}}}font-family") or name).strip("'\" ")
            elif tag in (f"{{{_STYLE}}}style", f"{{{_STYLE}}}default-style"):
                family = el.get(f"{{{_STYLE}}}family", "")
                name = el.get(f"{{{_STYLE}}}name") if tag.endswith("}style") else None
                current = (family, name, el.get(f"{{{_STYLE}}}parent-style-name"))
                if name is not None:
                    declared.setdefault((family, name), (None, current[2]))
            elif tag == f"{{{_STYLE}}}text-properties" and current is not None:
                font = el.get(f"{{{_STYLE}}}font-name") or el.get(f"{{{_FO}}}font-family")
                family, name, parent = current
                if font:
                    if name is None:
                        defaults[family] = font
                    else:
                        declared[(family, name)] = (font, parent)
        elif tag in (f"{{{_STYLE}}}style", f"{{{_STYLE}}}default-style"):
            current = None


def _ods_cells(fh, out: Fonts, cell_font, text_font) -> None:
    t, x = f"{{{_TABLE}}}", f"{{{_TEXT}}}"
    sheet, row, col = "", 0, 0
    columns: list[tuple[int, str | None, int]] = []  # (first column, default cell style, count) of column runs
    row_style: str | None = None
    cell: dict | None = None
    cells: dict[tuple[int, int], CellFont] = {}
    for event, el in ElementTree.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == t + "table":
                sheet, row, columns, cells = el.get(t + "name", ""), 0, [], {}
            elif tag == t + "table-column":
                first = columns[-1][0] + columns[-1][2] if columns else 0
                n = int(el.get(t + "number-columns-repeated", "1"))
                columns.append((first, el.get(t + "default-cell-style-name"), n))
            elif tag == t + "table-row":
                col, row_style = 0, el.get(t + "default-cell-style-name")
            elif tag in (t + "table-cell", t + "covered-table-cell"):
                style = el.get(t + "style-name") or _column_style(columns, col) or row_style
                cell = {
                    "font": cell_font(style),
                    "span": None,
                    "repeat": int(el.get(t + "number-columns-repeated", "1")),
                    "text": el.get(f"{{{_OFFICE}}}value-type") == "string",
                }
            elif tag == x + "span" and cell is not None:
                font = text_font(el.get(x + "style-name"))
                if font is not None:
                    cell["span"] = font
            elif tag == x + "p" and cell is not None:
                cell["text"] = True
            continue
        if tag in (t + "table-cell", t + "covered-table-cell"):
            if cell is not None:
                font = cell["span"] or cell["font"]
                if font is not None and cell["text"] and len(cells) < _MAX_RUN_CELLS:
                    for k in range(min(cell["repeat"], 1024)):
                        cells[(row, col + k)] = font
                col += cell["repeat"]
            cell = None
            el.clear()
        elif tag == t + "table-row":
            row += int(el.get(t + "number-rows-repeated", "1"))
            el.clear()
        elif tag == t + "table":
            if cells:
                out.cells[sheet] = cells
            el.clear()


def _column_style(columns: list, col: int) -> str | None:
    for first, style, n in columns:
        if first <= col < first + n:
            return style
    return None


# ---------------------------------------------------------------- xls (BIFF5/BIFF8 inside an OLE2 container)

_ENDOFCHAIN = 0xFFFFFFFE
_FONT, _XF, _BOUNDSHEET, _BOF, _EOF = 0x0031, 0x00E0, 0x0085, 0x0809, 0x000A
_STRING_CELLS = {0x00FD, 0x0204, 0x00D6, 0x0006}  # LABELSST, LABEL, RSTRING, FORMULA (its result may be text)
_LEGACY_FONT_XLS = re.compile(
    rb"\.(?:\x00)?[vV](?:\x00)?[nN]|[vV](?:\x00)?[nN](?:\x00)?[iI](?:\x00)?[-_ ]",
)


def _xls(data: bytes) -> Fonts:
    if not _LEGACY_FONT_XLS.search(data):
        return Fonts()
    stream = _ole_stream(data, ("Workbook", "Book"))
    if stream is None:
        return Fonts()
    fonts: list[CellFont | None] = []
    xf_fonts: list[int] = []
    sheets: list[tuple[int, str]] = []
    biff8 = True
    pos = 0
    n = len(stream)
    while pos + 4 <= n:
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind == _BOF and len(body) >= 2:
            biff8 = struct.unpack_from("<H", body)[0] >= 0x0600
        elif kind == _FONT and len(body) >= 15:
            fonts.append(font_encoding(_xls_text(body, 14, biff8, one_byte_length=True)))
        elif kind == _XF and len(body) >= 2:
            xf_fonts.append(struct.unpack_from("<H", body)[0])
        elif kind == _BOUNDSHEET and len(body) >= 7:
            offset = struct.unpack_from("<I", body)[0]
            sheets.append((offset, _xls_text(body, 6, biff8, one_byte_length=True)))
        elif kind == _EOF:
            break
    # Font index 4 does not exist in BIFF: the fifth FONT record is font 5.
    legacy_xf = {}
    for i, f in enumerate(xf_fonts):
        k = f if f < 4 else f - 1
        if 0 <= k < len(fonts) and fonts[k] is not None:
            legacy_xf[i] = fonts[k]
    out = Fonts()
    if not legacy_xf:
        return out
    for offset, name in sheets:
        cells: dict[tuple[int, int], CellFont] = {}
        pos = offset
        while pos + 4 <= n:
            kind, size = struct.unpack_from("<HH", stream, pos)
            if kind in _STRING_CELLS and size >= 6:
                r, c, xf = struct.unpack_from("<HHH", stream, pos + 4)
                if xf in legacy_xf and len(cells) < _MAX_RUN_CELLS:
                    cells[(r, c)] = legacy_xf[xf]
            elif kind == _EOF:
                break
            pos += 4 + size
        if cells:
            out.cells[name] = cells
    return out


def _xls_text(body: bytes, at: int, biff8: bool, *, one_byte_length: bool) -> str:
    """A short string of a BIFF record: its length in one byte, then (BIFF8) a flags byte and 8- or 16-bit
    characters, or (BIFF5) 8-bit characters."""
    count = body[at]
    if not biff8:
        return body[at + 1 : at + 1 + count].decode("latin-1")
    wide = body[at + 1] & 1
    start = at + 2
    if wide:
        return body[start : start + 2 * count].decode("utf-16-le", "replace")
    return body[start : start + count].decode("latin-1")


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """One stream of an OLE2 compound file, by name (the Workbook of an .xls), or None."""
    if len(data) < 512:
        return None
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector_size not in (512, 4096) or mini_size > sector_size:
        return None
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    limit = len(data) // sector_size + 1

    def sector(i: int) -> bytes:
        return data[(i + 1) * sector_size : (i + 2) * sector_size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    d = first_difat
    for _ in range(min(n_difat, limit)):
        if d >= _ENDOFCHAIN:
            break
        block = sector(d)
        entries = struct.unpack_from(f"<{sector_size // 4}I", block)
        difat.extend(entries[:-1])
        d = entries[-1]
    fat: list[int] = []
    for s in difat[: min(n_fat, limit)]:
        if s < _ENDOFCHAIN:
            fat.extend(struct.unpack_from(f"<{sector_size // 4}I", sector(s)))

    def chain(start: int, table: list[int], most: int = limit) -> list[int]:
        out: list[int] = []
        while start < len(table) and len(out) <= most:  # a cycle in a broken file ends at the file's size
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = []
    for off in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, off + 64)[0]
        name = directory[off : off + max(length - 2, 0)].decode("utf-16-le", "replace")
        kind = directory[off + 66]
        start, size = struct.unpack_from("<II", directory, off + 116)
        entries.append((name, kind, start, size))
    if not entries:
        return None
    root_start = entries[0][2]
    for want in names:
        for name, kind, start, size in entries:
            if kind != 2 or name.lower() != want.lower():
                continue
            if size >= cutoff:
                return b"".join(sector(s) for s in chain(start, fat))[:size]
            ministream = b"".join(sector(s) for s in chain(root_start, fat))
            minifat: list[int] = []
            for s in chain(first_minifat, fat)[: max(n_minifat, 0)]:
                minifat.extend(struct.unpack_from(f"<{sector_size // 4}I", sector(s)))
            small = chain(start, minifat, len(data) // mini_size + 1)
            pieces = [ministream[m * mini_size : (m + 1) * mini_size] for m in small]
            return b"".join(pieces)[:size]
    return None
