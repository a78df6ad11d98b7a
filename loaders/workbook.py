"""Workbook bytes → visible sheets as rows of values, merged ranges and formula cells lacking a value."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

import python_calamine as pc

from loaders.fonts import read_fonts
from loaders.legacy import convert_sheet
from loaders.model import Problem
from loaders.text import column_number, vn_number

MAX_ROWS = 200_000  # rows read per sheet; a monthly report is far smaller, a log of events fits
MAX_COLUMNS = 300
MAX_CELLS = 10_000_000  # rows × columns the reader lays out densely: a 100.000-row log of 8 columns is 800.000
MAX_MERGED_FILL = 200_000  # cells a merged range may copy its value into (guards against A1:XFD1048576)
# Checked from the zip directory before anything is decompressed: a report's parts unzip to a few MB, a
# 100.000-row log to ~40 MB, and sheet XML compresses ~10:1; a "zip bomb" unzips to GB at 1000:1.
MAX_UNZIPPED_BYTES = 200 * 2**20
MAX_RATIO = 100
RATIO_FROM = 2**20  # smaller parts may compress as well as they like: their size is harmless
MAX_OLE2_BYTES = 30 * 2**20  # an .xls holds at most 65.536 rows × 256 columns; more bytes is not a report

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "Hãy mở tệp bằng Excel hoặc LibreOffice, chọn Lưu thành 'Sổ làm việc Excel (.xlsx)' rồi tải lên lại."


@dataclass
class Sheet:
    """One visible worksheet: `rows[r][c]` is the value of spreadsheet row r+1, column c (0-based)."""

    name: str
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (top, left, bottom, right), 0-based
    # The formula cells saved without a computed value, or how to find them (see `uncached`).
    formulas: frozenset[tuple[int, int]] | Callable[[], frozenset[tuple[int, int]]] = frozenset()
    _fill: dict[tuple[int, int], object] | None = None

    @property
    def uncached(self) -> frozenset[tuple[int, int]]:
        """Formula cells saved without a computed value. Finding them means decompressing and searching the
        sheet's XML a second time (0,15 s for a 100.000-row log), and only an empty cell that is read needs the
        answer, so it is worked out on first use."""
        if callable(self.formulas):
            self.formulas = self.formulas()
        return self.formulas

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows[:50]), default=0)

    def merged_value(self, r: int, c: int) -> object:
        """The value shown in cell (r, c): its own, or the top-left value of the merged range covering it."""
        v = self.rows[r][c] if r < len(self.rows) and c < len(self.rows[r]) else ""
        if v != "" or not self.merged:
            return v
        if self._fill is None:
            self._fill = {}
            budget = MAX_MERGED_FILL
            for top, left, bottom, right in self.merged:
                if top >= len(self.rows):
                    continue
                origin = self.rows[top][left] if left < len(self.rows[top]) else ""
                if origin == "" or isinstance(origin, int | float):
                    continue  # a merged number is shown once; copying it would count it twice
                for rr in range(top, min(bottom, len(self.rows) - 1) + 1):
                    for cc in range(left, right + 1):
                        if (rr, cc) != (top, left):
                            self._fill[(rr, cc)] = origin
                            budget -= 1
                    if budget <= 0:
                        break
                if budget <= 0:
                    break
        return self._fill.get((r, c), "")


@dataclass
class Workbook:
    """What could be read from a file: its visible sheets, the hidden ones skipped, and any refusal."""

    sheets: list[Sheet] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    format: str = ""


def read_workbook(data: bytes, file_name: str = "") -> Workbook:
    """Read workbook bytes with python-calamine; every failure becomes a Problem, never an exception."""
    wb = Workbook()
    name = PurePath(file_name or "tệp").name

    def refuse(message: str) -> Workbook:
        wb.problems.append(Problem(message))
        return wb

    if not data:
        return refuse(f"Tệp '{name}' rỗng (0 byte). Hãy kiểm tra lại tệp và tải lên tệp báo cáo có số liệu.")
    head = data[:8]
    if head.startswith(_OLE2):
        if len(data) > MAX_OLE2_BYTES:
            return refuse(
                f"Tệp Excel 97-2003 '{name}' nặng {_mb(len(data))} MB, vượt giới hạn {_mb(MAX_OLE2_BYTES)} MB "
                f"của loại tệp này. {_SAVE_AS}"
            )
        if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000] or b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
            return refuse(_password(name))
        wb.format = "xls"
    elif head[:4] in _ZIP:
        if too_big := _zip_bounds(data, name):
            return refuse(too_big)
        kind = _zip_kind(data)
        if kind == "encrypted":
            return refuse(_password(name))
        if kind is None:
            return refuse(
                f"Tệp '{name}' là tệp nén (zip) nhưng không phải bảng tính Excel/LibreOffice. "
                "Hãy tải lên tệp .xlsx, .xls hoặc .ods."
            )
        wb.format = kind
    else:
        return refuse(_not_a_spreadsheet(name, data))
    try:
        book = _open(data, wb.format)
    except pc.PasswordError:
        return refuse(_password(name))
    except MemoryError:
        raise  # the caller's memory cap was reached: a refusal of its own (sandbox.py), not a "broken file"
    except (pc.ZipError, pc.XmlError, pc.CalamineError) as exc:
        return refuse(_broken(name, exc))
    except Exception as exc:  # the reader is native code: any failure is a broken file, never a traceback
        return refuse(_broken(name, exc))
    try:
        metas = list(book.sheets_metadata)
    except MemoryError:
        raise
    except Exception as exc:
        return refuse(_broken(name, exc))
    xml_sheets = _xlsx_sheet_parts(data) if wb.format in ("xlsx", "xlsm") else {}
    declared = _declared_sizes(data, xml_sheets)
    ods_merges = _ods_merges(data) if wb.format == "ods" else _xlsb_merges(data) if wb.format == "xlsb" else {}
    fonts = read_fonts(data, wb.format, xml_sheets)
    for meta in metas:
        sheet_name = str(meta.name)
        if meta.visible != pc.SheetVisibleEnum.Visible:
            wb.hidden.append(sheet_name)
            continue
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets hold no table
        if sheet_name in declared and (oversize := _oversize(sheet_name, *declared[sheet_name])):
            wb.problems.append(oversize)  # refused from the sheet's own <dimension>, before reading a cell
            continue
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            end = sheet.end
            if end is None:
                wb.sheets.append(Sheet(sheet_name, []))
                continue
            if oversize := _oversize(sheet_name, end[0] + 1, end[1] + 1):
                wb.problems.append(oversize)
                continue
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            merged = sheet.merged_cell_ranges
        except MemoryError:
            raise
        except Exception as exc:
            wb.problems.append(
                Problem(
                    f"Không đọc được trang '{sheet_name}' ({_reason(exc)}). {_SAVE_AS}",
                    sheet=sheet_name,
                    severity="warning",
                )
            )
            continue
        ranges = [(a[0], a[1], b[0], b[1]) for a, b in merged] if merged else ods_merges.get(sheet_name, [])
        # Text typed in an old Vietnamese font encoding becomes Unicode here, before anything reads it.
        converted = convert_sheet(rows, fonts.cells.get(sheet_name), fonts.runs.get(sheet_name), scan=fonts.scan)
        if converted.cells:
            wb.problems.append(Problem(converted.note(sheet_name), sheet=sheet_name, severity="note"))
        wb.sheets.append(Sheet(sheet_name, rows, ranges, _formulas_of(data, sheet_name, xml_sheets.get(sheet_name))))
    return wb


def _open(data: bytes, fmt: str):
    """The workbook opened by calamine. An .ods whose content is indented between its table elements (Gnumeric writes
    it so) stops calamine, which expects no text there: that layout space, which carries nothing, is taken out and
    the file opened again."""
    try:
        return pc.CalamineWorkbook.from_object(io.BytesIO(data))
    except (pc.XmlError, pc.CalamineError):
        if fmt != "ods" or (tidy := _ods_without_layout_space(data)) is None:
            raise
        return pc.CalamineWorkbook.from_object(io.BytesIO(tidy))


# White space after a tag of the table's structure (or after a paragraph), before the next tag: indentation.
# Text inside a paragraph ("An <text:span>Lạc</text:span>") is never touched.
_LAYOUT_SPACE = re.compile(rb"(<(?:/?(?:table|office|form|draw|style):[^>]*|/text:[ph])>)\s+(?=<)")


def _ods_without_layout_space(data: bytes) -> bytes | None:
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        content = src.read("content.xml")
        tidy = _LAYOUT_SPACE.sub(rb"\1", content)
        if tidy == content:
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = tidy if info.filename == "content.xml" else src.read(info.filename)
                dst.writestr(info, body, compress_type=info.compress_type)
        return out.getvalue()
    except MemoryError:
        raise
    except Exception:
        return None


def _oversize(sheet_name: str, n_rows: int, n_cols: int) -> Problem | None:
    """The refusal of a sheet beyond the row or column cap, naming it, or None."""
    if n_rows > MAX_ROWS:
        return Problem(
            f"Trang '{sheet_name}' có {vn_number(n_rows)} dòng, vượt giới hạn {vn_number(MAX_ROWS)} dòng một trang. "
            "Hãy xóa các dòng thừa ở cuối trang (kể cả dòng trống đã định dạng) hoặc tách báo cáo thành nhiều tệp.",
            sheet=sheet_name,
        )
    if n_cols > MAX_COLUMNS:
        return Problem(
            f"Trang '{sheet_name}' có {vn_number(n_cols)} cột, vượt giới hạn {vn_number(MAX_COLUMNS)} cột. "
            "Hãy xóa các cột thừa bên phải bảng rồi tải lên lại.",
            sheet=sheet_name,
        )
    if n_rows * n_cols > MAX_CELLS:
        return Problem(
            f"Trang '{sheet_name}' trải trên {vn_number(n_rows)} dòng × {vn_number(n_cols)} cột "
            f"({vn_number(n_rows * n_cols)} ô), vượt giới hạn {vn_number(MAX_CELLS)} ô một trang. Hãy xóa các dòng, "
            "cột thừa (kể cả ô trống đã định dạng ở xa bảng) rồi tải lên lại.",
            sheet=sheet_name,
        )
    return None


def _mb(size: int) -> str:
    return vn_number(size / 2**20, 1)


def _zip_bounds(data: bytes, name: str) -> str | None:
    """Why a zip-based workbook may not be opened, judged from its directory alone (nothing is decompressed)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception:
        return None  # not a readable zip: the sniffing below says so in its own words
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        return (
            f"Tệp '{name}' khi giải nén chiếm {_mb(total)} MB, vượt giới hạn {_mb(MAX_UNZIPPED_BYTES)} MB nên không "
            f"được mở. {_TOO_BIG}"
        )
    for m in members:
        if m.file_size >= RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = vn_number(m.file_size / max(m.compress_size, 1), 0)
            return (
                f"Tệp '{name}' có phần '{m.filename}' nén với tỷ lệ {ratio}:1 (giải nén thành {_mb(m.file_size)} MB), "
                f"bất thường với một bảng tính, nên không được mở. {_TOO_BIG}"
            )
    return None


_TOO_BIG = (
    "Có thể tệp có vùng dữ liệu thừa rất lớn, hoặc là tệp độc hại. Hãy mở tệp bằng Excel hoặc LibreOffice, sao chép "
    "riêng bảng báo cáo sang một sổ làm việc mới, lưu thành .xlsx rồi tải lên lại; không mở được thì đừng dùng tệp này."
)


def _password(name: str) -> str:
    return (
        f"Tệp '{name}' được đặt mật khẩu nên không đọc được. Hãy mở tệp, gỡ mật khẩu "
        "(Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi tải lên."
    )


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return f"lỗi của bộ đọc: {text}"


def _broken(name: str, exc: Exception) -> str:
    return f"Không đọc được tệp '{name}': tệp bị hỏng hoặc không đúng định dạng bảng tính ({_reason(exc)}). {_SAVE_AS}"


def _not_a_spreadsheet(name: str, data: bytes) -> str:
    sample = data[:2048]
    text = None
    for enc in ("utf-8-sig", "utf-16", "cp1258", "latin-1"):
        try:
            text = sample.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    low = (text or "").lower().lstrip()
    if low.startswith(("<!doctype html", "<html", "<table", "<?xml", "<")):
        what = "là một trang web (HTML/XML) được đổi tên thành tệp Excel"
    elif text and any(sep in low for sep in (",", ";", "\t")) and "\x00" not in text:
        what = "là một tệp văn bản/CSV được đổi đuôi thành tệp Excel, không phải bảng tính"
    elif text and "\x00" not in text:
        what = "là một tệp văn bản, không phải bảng tính"
    else:
        what = "không phải bảng tính Excel hay LibreOffice"
    return f"Tệp '{name}' {what}. {_SAVE_AS}"


def _zip_kind(data: bytes) -> str | None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = set(z.namelist())
    except Exception:
        return "broken"
    if "mimetype" in names or "content.xml" in names:
        try:
            manifest = z.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
        except Exception:
            manifest = b""
        if b"encryption-data" in manifest:
            return "encrypted"
        return "ods"
    lowered = {n.replace("\\", "/").lower() for n in names}
    if any(n.endswith("workbook.bin") for n in lowered):
        return "xlsb"
    # Writers differ (backslash paths, parts at the root): any workbook part lets calamine try.
    if any(n.endswith("workbook.xml") for n in lowered) or "[content_types].xml" in lowered:
        try:
            ctypes = z.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        except Exception:
            ctypes = b""
        return "xlsm" if b"macroEnabled" in ctypes else "xlsx"
    return None


def _xlsx_sheet_parts(data: bytes) -> dict[str, str]:
    """Per sheet name, the path of its XML part inside an .xlsx/.xlsm (empty when the map cannot be read)."""
    out: dict[str, str] = {}
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        for s in book.iterfind(".//m:sheets/m:sheet", ns):
            target = targets.get(s.get(rel_ns), "")
            out[s.get("name", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    except Exception:
        return out
    return out


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?[A-Z]{1,3}\$?\d+(?::\$?([A-Z]{1,3})\$?(\d+))?"')


def _sheet_parts(data: bytes, parts: dict[str, str], head: int | None = None) -> Iterator[tuple[str, bytes]]:
    """(sheet name, its XML part, or the first `head` bytes of it) for each sheet part the zip holds."""
    if not parts:
        return
    z = zipfile.ZipFile(io.BytesIO(data))
    for sheet, path in parts.items():
        try:
            with z.open(path) as fh:
                yield sheet, fh.read(head) if head else fh.read()
        except KeyError:
            continue


def _declared_sizes(data: bytes, parts: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Per sheet, (last row, last column) as its <dimension> declares them, read from the first kB of the part.

    The declaration may be missing or wrong: it only lets a sheet announced beyond the caps be refused before
    its cells are read; the size found after reading is checked again.
    """
    out: dict[str, tuple[int, int]] = {}
    try:
        for sheet, head in _sheet_parts(data, parts, 16_384):
            m = _DIMENSION.search(head)
            if m and m.group(1):
                out[sheet] = (int(m.group(2)), column_number(m.group(1)))
    except Exception:
        return out
    return out


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>[^<]+<")


def _formulas_of(data: bytes, sheet: str, part: str | None) -> Callable[[], frozenset[tuple[int, int]]]:
    """How to find one sheet's formula cells without a value, when asked (nothing to find outside xlsx/xlsm)."""
    if part is None:
        return frozenset
    return lambda: frozenset(_uncached_formulas(data, {sheet: part}).get(sheet, ()))


def _uncached_formulas(data: bytes, parts: dict[str, str]) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the (row, col) of formula cells saved without a computed value (xlsx/xlsm).

    Files written by scripts (or Excel with manual calculation) may hold formulas whose result was never
    computed; calamine then returns an empty cell, indistinguishable from a blank one.
    """
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        for sheet, xml in _sheet_parts(data, parts):
            if xml.find(b"<f") < 0 and xml.find(b":f") < 0:
                continue
            cells = set()
            for m in _FORMULA.finditer(xml):
                start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
                end = xml.find(b"c>", m.end())
                if start < 0 or end < 0:
                    continue
                cell = xml[start:end]
                if _VALUE.search(cell):
                    continue
                ref = _CELL_REF.search(cell)
                if ref:
                    cells.add((int(ref.group(2)) - 1, column_number(ref.group(1)) - 1))
            if cells:
                out[sheet] = cells
    except MemoryError:
        raise
    except Exception:
        return out
    return out


MAX_XLSB_MERGE_SEARCH = 8 * 2**20  # bytes of a sheet part read record by record for its merged ranges


def _xlsb_merges(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges of an .xlsb file (calamine does not report them for this format), read from each sheet part's
    BrtMergeCell records. A part beyond MAX_XLSB_MERGE_SEARCH (a 100.000-row log) is not searched: its records are
    read one by one, and a log's header is rarely merged."""
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.bin.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        for kind, body in _brt_records(z.read("xl/workbook.bin")):
            if kind == 0x90:  # BrtEndBundleShs
                break
            if kind != 0x9C:  # BrtBundleSh: state, tab id, relationship id, name
                continue
            n = int.from_bytes(body[8:12], "little")
            rel = body[12 : 12 + 2 * n].decode("utf-16-le")
            m = int.from_bytes(body[12 + 2 * n : 16 + 2 * n], "little")
            name = body[16 + 2 * n : 16 + 2 * n + 2 * m].decode("utf-16-le")
            target = targets.get(rel, "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if z.getinfo(path).file_size > MAX_XLSB_MERGE_SEARCH:
                continue
            merges = []
            for kind, body in _brt_records(z.read(path)):
                if kind == 0xB0 and len(body) >= 16:  # BrtMergeCell: first row, last row, first column, last column
                    r1, r2, c1, c2 = (int.from_bytes(body[k : k + 4], "little") for k in (0, 4, 8, 12))
                    if r1 <= r2 < MAX_ROWS and c1 <= c2 < MAX_COLUMNS:
                        merges.append((r1, c1, r2, c2))
                elif kind == 0x82:  # BrtEndSheet
                    break
            out[name] = merges
    except MemoryError:
        raise
    except Exception:
        return out
    return out


def _brt_records(part: bytes):
    """(record type, payload) of each BIFF12 record of an .xlsb part."""
    pos, n = 0, len(part)
    while pos < n:
        kind = part[pos]
        pos += 1
        if kind & 0x80:
            kind = (kind & 0x7F) | ((part[pos] & 0x7F) << 7)
            pos += 1
        size = shift = 0
        for _ in range(4):
            byte = part[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, part[pos : pos + size]
        pos += size


def _ods_merges(data: bytes) -> dict[str, list[tuple[int, int, int, int]]]:
    """Merged ranges of an .ods file (calamine does not report them for this format)."""
    out: dict[str, list[tuple[int, int, int, int]]] = {}
    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        with z.open("content.xml") as fh:
            sheet, row, col, merges = None, 0, 0, []
            for event, el in ElementTree.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == t + "table":
                        sheet, row, merges = el.get(t + "name", ""), 0, []
                    elif tag == t + "table-row":
                        col = 0
                    elif tag in (t + "table-cell", t + "covered-table-cell"):
                        spans_c = int(el.get(t + "number-columns-spanned", "1"))
                        spans_r = int(el.get(t + "number-rows-spanned", "1"))
                        if tag == t + "table-cell" and (spans_c > 1 or spans_r > 1):
                            merges.append((row, col, row + spans_r - 1, col + spans_c - 1))
                        col += int(el.get(t + "number-columns-repeated", "1"))
                    continue
                if tag == t + "table-row":
                    row += int(el.get(t + "number-rows-repeated", "1"))
                    if row > MAX_ROWS:
                        row = MAX_ROWS + 1
                elif tag == t + "table":
                    out[sheet or ""] = merges
                if tag in (t + "table-row", t + "table"):
                    el.clear()
    except Exception:
        return out
    return out
