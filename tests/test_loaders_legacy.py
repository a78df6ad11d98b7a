"""Old Vietnamese font encodings read as Unicode: TCVN3 (ABC: .VnTime, upper-case .VnTimeH) and VNI (VNI-Times),
from the cell's font where the file keeps one, from the characters where it does not; Unicode text never touched."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest

from loaders import legacy, read_report
from loaders.legacy import TCVN3, VNI, convert_sheet, decode, font_encoding, guess
from loaders.text import fold
from loaders.workbook import read_workbook
from tests.workbooks import TCVN3_CODES, Rich, SheetSpec, ods, report_sheet, to_tcvn3, to_vni, typed_in, xls, xlsx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "odd-spreadsheets"
SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}

# The 134 letters of Vietnamese beyond ASCII: 12 vowels × 6 tones less the 6 plain ASCII vowels, and đ; both cases.
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
LOWER = [c for v in VOWELS for t in TONES if not (c := unicodedata.normalize("NFC", v + t)).isascii()] + ["đ"]
UPPER = [c.upper() for c in LOWER]


def test_the_tables_cover_every_letter_once():
    assert len(LOWER) == len(UPPER) == 67
    assert set(legacy.TCVN3_TABLE.values()) == set(LOWER) | set("ĂÂÊÔƠƯĐ")  # capitals with a tone: .VnTimeH
    assert len({TCVN3_CODES[c] for c in LOWER}) == 67  # one byte each
    assert set(LOWER + UPPER) <= set(legacy.VNI_TABLE.values())
    assert len({to_vni(c) for c in LOWER + UPPER}) == 134


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_every_letter_round_trips_through_both_encodings(letter):
    code, capitals = to_tcvn3(letter)
    assert decode(code, TCVN3, capitals) == letter
    assert decode(to_vni(letter), VNI) == letter
    word = f"Th{letter}n"  # inside a word too, either case around it
    code, capitals = to_tcvn3(word)
    assert decode(code, TCVN3, capitals) == (word.upper() if capitals else word)
    assert decode(to_vni(word), VNI) == word


@pytest.mark.parametrize(
    ("written", "encoding", "capitals", "read"),
    [
        ("Th«n An L¹c", TCVN3, False, "Thôn An Lạc"),
        ("B¸o c¸o", TCVN3, False, "Báo cáo"),
        ("Tr\xadêng häc", TCVN3, False, "Trường học"),  # "ư" is the soft hyphen a text cleaner may strip
        ("§éc lËp - Tù do - H¹nh phóc", TCVN3, False, "Độc lập - Tự do - Hạnh phúc"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", TCVN3, False, "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("b¸o c¸o kÕt qu¶", TCVN3, True, "BÁO CÁO KẾT QUẢ"),  # .VnTimeH shows the same bytes as capitals
        ("Thoân An Laïc", VNI, False, "Thôn An Lạc"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", VNI, False, "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("ÑOÄC LAÄP - TÖÏ DO - HAÏNH PHUÙC", VNI, False, "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"),
        ("Tröôøng hoïc", VNI, False, "Trường học"),
    ],
)
def test_texts_as_the_old_fonts_show_them(written, encoding, capitals, read):
    assert decode(written, encoding, capitals) == read


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".VnTime", (TCVN3, False)),
        (".VnTimeH", (TCVN3, True)),
        (".VnArial", (TCVN3, False)),
        (".VnArial NarrowH", (TCVN3, True)),
        ("'.VnCentury Schoolbook'", (TCVN3, False)),
        ("VNI-Times", (VNI, False)),
        ("VNI-Helve", (VNI, False)),
        ("Times New Roman", None),
        ("Calibri", None),
        (None, None),
    ],
)
def test_fonts_named_by_their_encoding(name, expected):
    assert font_encoding(name) == expected


# ---------------------------------------------------------------- Unicode is never converted

UNICODE_TEXTS = [
    "Thôn Hoà Bình", "Hoà", "Xoá", "Thôn Đông Hà", "Số lượng (cây)", "Trường học", "Tổng cộng", "Bình Hà",
    unicodedata.normalize("NFD", "Thôn An Lạc"), "«OCOP»", "½ ngày", "5 × 3", "25°C", "m²", "Café Müller", "Noël",
    "naïve", "où", "Registsör", "ÀÂÉÊÈÇÖÏÎ«»", "Tên sản phẩm", "UBND XÃ AN PHÚ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
]  # fmt: skip


def test_unicode_texts_are_never_read_as_legacy():
    assert guess(UNICODE_TEXTS) == {}
    for text in UNICODE_TEXTS:
        assert guess([text]) == {}, text
    rows = [[t] for t in UNICODE_TEXTS]
    assert convert_sheet(rows).cells == 0 and rows == [[t] for t in UNICODE_TEXTS]


def test_a_legacy_font_cell_holding_unicode_letters_is_left_as_it_is():
    rows = [["Thôn Đông Hà", "Tr\xadêng häc"]]
    done = convert_sheet(rows, {(0, 0): (TCVN3, False), (0, 1): (TCVN3, False)})
    assert rows == [["Thôn Đông Hà", "Trường học"]] and done.cells == 1


def workbooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SPREADSHEETS)


def raw_rows(path: Path, sheets: list) -> dict[str, list[list]]:
    """The rows of these sheets as calamine reads them, untouched."""
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_object(io.BytesIO(path.read_bytes()))
    return {s.name: book.get_sheet_by_name(s.name).to_python(skip_empty_area=False) for s in sheets}


def test_every_sample_workbook_is_read_exactly_as_written():
    files = workbooks(ROOT / "sample_data")
    assert len(files) > 100
    for path in files:
        wb = read_workbook(path.read_bytes(), path.name)
        assert not [p for p in wb.problems if p.severity == "note"], path.name
        raw = raw_rows(path, wb.sheets)
        for sheet in wb.sheets:
            assert sheet.rows == raw[sheet.name], (path.name, sheet.name)


def test_no_odd_spreadsheet_is_taken_for_legacy_text():
    """Swedish, Afrikaans, French words with ö, ë, ç, « » among them: every text read exactly as calamine gives it."""
    compared = 0
    for path in workbooks(CORPUS):
        wb = read_workbook(path.read_bytes(), path.name)
        assert not [p for p in wb.problems if p.severity == "note"], path.name
        if not wb.sheets:
            continue
        raw = raw_rows(path, wb.sheets)
        for sheet in wb.sheets:
            assert sheet.rows == raw[sheet.name], (path.name, sheet.name)
            compared += 1
    assert compared > 100


# ---------------------------------------------------------------- whole reports typed in the old fonts

HEADER = [
    ["STT", "Tên thôn", "Địa điểm trồng", "", "", "", "Tổng số (cây)", "Ghi chú"],
    ["", "", "Khu công cộng", "Trường học", "Nhà văn hóa", "Tuyến đường", "", ""],
]
MERGES = ["A1:A2", "B1:B2", "C1:F1", "G1:G2", "H1:H2"]
ROWS = [
    ["I", "Cụm Bắc"],
    [1, "Thôn An Lạc", 10, 20, 0, 5, 35, "trồng bổ sung"],
    [2, "Thôn Đông Hà", 1, 1, 1, 1, 4, ""],
    [3, "thôn Đồng Lư", 2, 0, 0, 0, 2, "Đoàn Thanh niên"],
    ["", "Tổng cộng", 13, 21, 1, 6, 41, ""],
]


def unicode_report() -> SheetSpec:
    return report_sheet(
        HEADER,
        ROWS,
        header_merges=MERGES,
        unit="Phòng Kinh tế",
        title="BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH",
        period="Tháng 10 năm 2026",
        signed="An Phú, ngày 05 tháng 11 năm 2026",
    )


def read_back(catalogue, spec: SheetSpec, writer, name: str = "T10"):
    return read_report(writer({name: spec}), f"bc.{writer.__name__}", catalogue)


def same_report(got, want) -> None:
    assert got.observations == want.observations
    assert (got.kind, got.unit, got.periods, got.title, got.signed_on) == (
        want.kind,
        want.unit,
        want.periods,
        want.title,
        want.signed_on,
    )


@pytest.mark.parametrize("writer", [xlsx, xls, ods])
@pytest.mark.parametrize("encoding", [TCVN3, VNI])
@pytest.mark.parametrize("fonts", [True, False], ids=["by its font", "by its characters"])
def test_a_report_typed_in_an_old_encoding_reads_as_if_typed_in_unicode(catalogue, writer, encoding, fonts):
    want = read_back(catalogue, unicode_report(), writer)
    assert want.problems == [] and len(want.observations) == 12
    got = read_back(catalogue, typed_in(unicode_report(), encoding, fonts), writer)
    same_report(got, want)
    [note] = got.problems
    assert note.severity == "note" and note.sheet == "T10" and not note.is_error
    assert encoding in note.message and "Unicode" in note.message
    assert ("phông chữ của ô" if fonts else "các ký tự trong ô") in note.message
    assert got.warnings == [note]


def test_the_register_names_match_as_if_typed_in_unicode(catalogue):
    header = [["STT", "Tên sản phẩm", "Chủ thể", "Thôn", "Loại chứng nhận", "Hạng sao", "Số quyết định",
               "Ngày cấp", "Diện tích (ha)"]]  # fmt: skip
    data = [
        [1, "Bánh đa Kinh Thầy", "HTX Nông nghiệp Kinh Thầy", "Kinh Thầy", "OCOP", "4 sao", "12/QĐ-UBND",
         dt.date(2025, 3, 1), ""],
        [2, "Rau cải hữu cơ", "Hộ bà Nguyễn Thị Năm", "Thôn Yên Mỹ", "VietGAP", "", "VG-01", dt.date(2025, 9, 5),
         "2,5"],
    ]  # fmt: skip
    spec = report_sheet(header, data, title="DANH SÁCH SẢN PHẨM OCOP, VIETGAP", period="Tính đến ngày 31/10/2026")
    want = read_back(catalogue, spec, xlsx, "Danh sách")
    assert want.errors == [] and len(want.register) == 2
    for encoding in (TCVN3, VNI):
        got = read_back(catalogue, typed_in(spec, encoding, True), xlsx, "Danh sách")
        assert got.errors == [] and got.register == want.register, encoding
        assert got.observations == want.observations


def test_upper_case_tcvn3_without_its_font_name():
    """Typed with Caps Lock in .VnTimeH and re-saved without the font: the Latin capitals tell."""
    code, capitals = to_tcvn3("BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH")
    assert capitals and code == "B¸O C¸O KÕT QU¶ TRåNG C©Y XANH"
    assert guess([code, "Th«n An L¹c"])[code] == ("BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH", TCVN3)


def test_rich_text_with_a_run_in_a_legacy_font(catalogue):
    spec = unicode_report()
    spec.rows[spec.first_data_row] = [1, Rich((("Thôn ", None), ("An L¹c", ".VnTime"))), 10, 20, 0, 5, 35]
    got = read_back(catalogue, spec, xlsx)
    want = read_back(catalogue, unicode_report(), xlsx)
    assert got.observations == want.observations
    assert [p.severity for p in got.problems] == ["note"]


def test_a_legacy_template_with_rows_added_later_in_unicode(catalogue):
    """The title and header typed years ago in TCVN3, this month's villages typed in Unicode: both read."""
    legacy_spec = typed_in(unicode_report(), TCVN3, fonts=False)
    first = legacy_spec.first_data_row - 1
    legacy_spec.rows[first:] = unicode_report().rows[first:]
    for writer in (xlsx, ods):
        got = read_back(catalogue, legacy_spec, writer)
        same_report(got, read_back(catalogue, unicode_report(), writer))
        assert [p.severity for p in got.problems] == ["note"]


def test_village_names_fold_alike_after_conversion():
    for name in ("Thôn An Lạc", "Thôn Đông Hà", "thôn Đồng Lư", "Trường học", "Nhà văn hóa"):
        code, capitals = to_tcvn3(name)
        assert fold(decode(code, TCVN3, capitals)) == fold(name)
        assert fold(decode(to_vni(name), VNI)) == fold(name)


def test_abbreviations_with_d_stroke_are_read_too():
    got = guess(["12/QÑ-UBND", "Thoân An Laïc", "§VT: c©y"])
    assert got["12/QÑ-UBND"] == ("12/QĐ-UBND", VNI) and got["§VT: c©y"] == ("ĐVT: cây", TCVN3)


def test_an_old_template_in_a_legacy_font_typed_in_unicode_today_is_left_as_typed(catalogue):
    """Every cell still in .VnTime, every text typed in Unicode: "Thôn Bình Hà" (Windows-1252 letters only) stays."""

    def with_binh_ha(spec: SheetSpec) -> SheetSpec:
        spec.rows[spec.first_data_row + 2][1] = "Thôn Bình Hà"
        return spec

    spec = with_binh_ha(unicode_report())
    spec.font = ".VnTime"
    for writer in (xlsx, xls, ods):
        got = read_back(catalogue, spec, writer)
        assert got.problems == [], writer.__name__
        same_report(got, read_back(catalogue, with_binh_ha(unicode_report()), writer))
        assert "binh-ha" in {o.village for o in got.observations}
