"""Workbook bytes → visible sheets as rows of values, merged ranges and formula cells lacking a value."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

import python_calamine as pc

from loaders.model import Problem

MAX_ROWS = 200_000  # rows read per sheet; a monthly report is far smaller, a log of events fits
MAX_COLUMNS = 300
MAX_MERGED_FILL = 200_000  # cells a merged range may copy its value into (guards against A1:XFD1048576)

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "Hãy mở tệp bằng Excel hoặc LibreOffice, chọn Lưu thành 'Sổ làm việc Excel (.xlsx)' rồi tải lên lại."


@dataclass
class Sheet:
    """One visible worksheet: `rows[r][c]` is the value of spreadsheet row r+1, column c (0-based)."""

    name: str
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (top, left, bottom, right), 0-based
    uncached: frozenset[tuple[int, int]] = frozenset()  # formula cells saved without a computed value
    _fill: dict[tuple[int, int], object] | None = None

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
        if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000] or b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
            return refuse(_password(name))
        wb.format = "xls"
    elif head[:4] in _ZIP:
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
        book = pc.CalamineWorkbook.from_object(io.BytesIO(data))
    except pc.PasswordError:
        return refuse(_password(name))
    except (pc.ZipError, pc.XmlError, pc.CalamineError) as exc:
        return refuse(_broken(name, exc))
    except Exception as exc:  # the reader is native code: any failure is a broken file, never a traceback
        return refuse(_broken(name, exc))
    try:
        metas = list(book.sheets_metadata)
    except Exception as exc:
        return refuse(_broken(name, exc))
    uncached = _uncached_formulas(data) if wb.format in ("xlsx", "xlsm") else {}
    ods_merges = _ods_merges(data) if wb.format == "ods" else {}
    for meta in metas:
        sheet_name = str(meta.name)
        if meta.visible != pc.SheetVisibleEnum.Visible:
            wb.hidden.append(sheet_name)
            continue
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets hold no table
        try:
            sheet = book.get_sheet_by_name(sheet_name)
            end = sheet.end
            if end is None:
                wb.sheets.append(Sheet(sheet_name, []))
                continue
            n_rows, n_cols = end[0] + 1, end[1] + 1
            if n_rows > MAX_ROWS:
                wb.problems.append(
                    Problem(
                        f"Trang '{sheet_name}' có {n_rows:,} dòng, vượt giới hạn {MAX_ROWS:,} dòng một trang. ".replace(
                            ",", "."
                        )
                        + "Hãy xóa các dòng thừa ở cuối trang hoặc tách báo cáo thành nhiều tệp.",
                        sheet=sheet_name,
                    )
                )
                continue
            if n_cols > MAX_COLUMNS:
                wb.problems.append(
                    Problem(
                        f"Trang '{sheet_name}' có {n_cols} cột, vượt giới hạn {MAX_COLUMNS} cột. "
                        "Hãy xóa các cột thừa bên phải bảng rồi tải lên lại.",
                        sheet=sheet_name,
                    )
                )
                continue
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            merged = sheet.merged_cell_ranges
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
        wb.sheets.append(Sheet(sheet_name, rows, ranges, frozenset(uncached.get(sheet_name, ()))))
    return wb


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


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>[^<]+<")


def _uncached_formulas(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the (row, col) of formula cells saved without a computed value (xlsx/xlsm).

    Files written by scripts (or Excel with manual calculation) may hold formulas whose result was never
    computed; calamine then returns an empty cell, indistinguishable from a blank one.
    """
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        for s in book.iterfind(".//m:sheets/m:sheet", ns):
            target = targets.get(s.get(rel_ns), "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            try:
                xml = z.read(path)
            except KeyError:
                continue
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
                    col = 0
                    for ch in ref.group(1):
                        col = col * 26 + ch - 64
                    cells.add((int(ref.group(2)) - 1, col - 1))
            if cells:
                out[s.get("name", "")] = cells
    except Exception:
        return out
    return out


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
