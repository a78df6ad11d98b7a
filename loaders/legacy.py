"""Vietnamese typed in the old font encodings, TCVN3 (ABC) and VNI, converted to Unicode before anything is matched.

Such text only looks Vietnamese through its font: a cell in `.VnTime` holds "Th«n An L¹c", one in `VNI-Times`
"Thoân An Laïc", for "Thôn An Lạc". The file usually keeps the cell's font name (loaders/fonts.py reads it), which
says the encoding for certain; where it does not, the characters tell: TCVN3 writes letters with symbols no
Vietnamese Unicode text holds (« ¸ ¹ µ, the soft hyphen for "ư"), VNI a base letter followed by a mark character
("aù", "oâ", "ö"). A text holding a letter only Unicode can write (ă, đ, ơ, ư, ạ, ế …) is Unicode and is never
converted, whatever its font.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

TCVN3, VNI = "TCVN3", "VNI"
NAMES = {TCVN3: "TCVN3 (ABC, phông .VnTime, .VnArial…)", VNI: "VNI (phông VNI-Times…)"}

# ---------------------------------------------------------------- the tables

# TCVN3 (TCVN 5712:1993, the VN3 set of the ABC fonts): the 67 lower-case letters and the seven upper-case base
# letters, one byte each. The upper-case fonts (".VnTimeH") show every letter of the same bytes as a capital.
# Bytes are read as Windows-1252 text does (0xAB is «); 0xAD, the soft hyphen, is "ư".
_TCVN3_LETTERS = {
    "a": "aµ¶·¸¹",  # a à ả ã á ạ: the plain letter, then the five tones in the order of _TONES
    "ă": "¨»¼½¾Æ",
    "â": "©ÇÈÉÊË",
    "e": "eÌÎÏÐÑ",
    "ê": "ªÒÓÔÕÖ",
    "i": "i×ØÜÝÞ",
    "o": "oßáâãä",
    "ô": "«åæçèé",
    "ơ": "¬êëìíî",
    "u": "uïñòóô",
    "ư": "\xadõö÷øù",
    "y": "yúûüýþ",
}
_TCVN3_OTHERS = {"®": "đ", "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
# The five tones after the plain letter: huyền, hỏi, ngã, sắc, nặng (the order TCVN3 lays them out in).
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# VNI (VNI-Windows): a base letter followed by one mark character; i, ỵ, đ, ơ and ư are one character of their own.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_CIRCUMFLEX = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ", "ô": "ơ", "ö": "ư"}


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _tcvn3_table() -> dict[str, str]:
    out = dict(_TCVN3_OTHERS)
    for base, codes in _TCVN3_LETTERS.items():
        for code, tone in zip(codes, ("", *_TONES), strict=True):
            if code != base:
                out[code] = _compose(base, tone)
    return out


def _vni_table() -> dict[str, str]:
    """Every VNI sequence (one or two characters) → its Unicode letter, both cases. A mark takes the case of its
    letter; a mark of the other case ("Aù") is read the same."""
    lower: dict[str, str] = {}
    for base in "aeiouy":
        for mark, tone in _VNI_TONES.items():
            if base != "i":
                lower[base + mark] = _compose(base, tone)
    for base in "aeo":
        for mark, tone in _VNI_CIRCUMFLEX.items():
            lower[base + mark] = _compose(base, "\u0302", tone)
    for mark, tone in _VNI_BREVE.items():
        lower["a" + mark] = _compose("a", "\u0306", tone)
    for base, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _VNI_TONES.items():
            lower[base + mark] = _compose(letter, tone)
    lower["yï"] = "ỵ"  # the nặng under y, written as a mark by some typists instead of "î"
    lower.update(_VNI_SINGLE)
    out: dict[str, str] = {}
    for seq, letter in lower.items():
        upper = seq.upper()
        out[seq] = letter
        out[upper] = letter.upper()
        if len(seq) == 2:
            out[seq[0] + upper[1]] = letter
            out[upper[0] + seq[1]] = letter.upper()
    return out


TCVN3_TABLE = _tcvn3_table()
VNI_TABLE = _vni_table()
_TCVN3_TRANSLATE = str.maketrans(TCVN3_TABLE)
_VNI_SEQUENCE = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))


def decode(text: str, encoding: str, capitals: bool = False) -> str:
    """Legacy text as its font shows it, in Unicode (NFC). `capitals` for the upper-case TCVN3 fonts (".VnTimeH")."""
    if encoding == TCVN3:
        out = text.translate(_TCVN3_TRANSLATE)
    else:
        out = _VNI_SEQUENCE.sub(lambda m: VNI_TABLE[m.group()], text)
    return out.upper() if capitals else out


def font_encoding(name: object) -> tuple[str, bool] | None:
    """(encoding, capitals) of a font by its name: ".VnTime" (TCVN3), ".VnTimeH" (TCVN3 capitals), "VNI-Times"."""
    if not isinstance(name, str):
        return None
    n = name.strip().strip("'\"").strip()
    low = n.lower()
    if low.startswith(".vn") and not low.startswith(".vnsymbol"):
        return TCVN3, n.endswith("H")
    if low.startswith(("vni-", "vni ", "vni_")):
        return VNI, False
    return None


# ---------------------------------------------------------------- telling legacy text from Unicode

# Letters of Vietnamese that Windows-1252 holds: a Unicode text may be made of them and ASCII alone ("Thôn Hoà Bình").
_VIET_LATIN1 = frozenset("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
# Only Unicode writes these: ă đ ơ ư, the letters of U+1EA0–U+1EF9, combining marks (NFD text).
_UNICODE_ONLY = re.compile("[\u0100-\u024f\u0300-\u036f\u1e00-\u1eff]")
_TCVN3_SIGNS = frozenset(TCVN3_TABLE) - _VIET_LATIN1  # « ¸ ¹ µ, the soft hyphen…: in no Unicode Vietnamese text
_VNI_CHARS = frozenset(ch for seq in VNI_TABLE for ch in seq if not ch.isascii())
_VNI_SIGNS = _VNI_CHARS - _VIET_LATIN1  # ø û ï ü ë å ä æ ñ î ö and their capitals
_TCVN3_ONLY = _TCVN3_SIGNS - _VNI_CHARS  # what VNI never writes: ¨ © ª « ¬ ® µ ¸ ¹ ¡ … Ç Ð × Þ ß ç ÷ þ
# A letter and its mark in the same case, made of characters a Unicode text may hold too ("aù", "eâ", "AÙ"):
# Vietnamese never writes them, except "oà", "oá", "oã" of the old tone placement ("hoà", "hoá").
_VNI_PAIRS = sorted(
    seq
    for seq in VNI_TABLE
    if len(seq) == 2
    and set(seq) <= _VIET_LATIN1 | set("aeouyAEOUY")
    and seq[0].islower() == seq[1].islower()
    and seq.lower() not in ("oà", "oá", "oã")
)
_SIGN = re.compile("[" + re.escape("".join(sorted(_TCVN3_SIGNS | _VNI_SIGNS))) + "]")
_TCVN3_ONLY_SIGN = re.compile("[" + re.escape("".join(sorted(_TCVN3_ONLY))) + "]")
_VNI_PAIR = re.compile("|".join(map(re.escape, _VNI_PAIRS)))
# Any character only legacy text holds, or a VNI pair: the cheap test of a whole file's text (xlsx shared strings).
MAYBE_LEGACY = re.compile(_SIGN.pattern + "|" + _VNI_PAIR.pattern)


def is_unicode(text: str) -> bool:
    """Whether a text holds a letter only Unicode can write: it is then never converted."""
    return _UNICODE_ONLY.search(text) is not None


def _shouting(text: str) -> bool:
    """Every Latin letter of the text a capital (at least two): typed in an upper-case font such as ".VnTimeH"."""
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


# A Vietnamese syllable without its tone: initial consonant, vowels, final consonant; vowels ending in a glide
# ("ai", "ươu") take no final. A text is read as legacy only when its converted words are such syllables, so a
# foreign word with ö, ë or ç ("Registsör", "Noël") is not Vietnamese in an old encoding.
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:(?:uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|oo|[aăâeêioôơuưy])(?:ch|ng|nh|[cmnpt])?"
    r"|iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|uơ)$"
)
_ABBREVIATION = re.compile(r"^[bcdđghklmnpqrstvx]*đ[bcdđghklmnpqrstvx]*$")  # "QĐ", "HĐND", "ĐVT": consonants and đ
_TONE_MARKS = frozenset(_TONES)
_LETTERS = re.compile(r"[^\W\d_]+")


def _syllable(word: str) -> bool:
    marks = unicodedata.normalize("NFD", word)
    if sum(ch in _TONE_MARKS for ch in marks) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in marks if ch not in _TONE_MARKS))
    return _SYLLABLE.match(bare) is not None


def _vietnamese(text: str, converted: str) -> bool:
    """Whether the conversion of a text reads as Vietnamese: no legacy sign is left, four in five of its words
    beyond plain ASCII are Vietnamese syllables (or abbreviations with đ), and the conversion made one such word of
    two letters or more."""
    if _SIGN.search(converted):
        return False
    words = [w for w in _LETTERS.findall(converted.lower()) if not w.isascii()]
    good = [w for w in words if _syllable(w) or _ABBREVIATION.match(w)]
    before = set(_LETTERS.findall(text.lower()))
    return len(good) * 5 >= len(words) * 4 and any(len(w) >= 2 and w not in before for w in good)


def _kind(text: str) -> str:
    """What the characters of one text say: "unicode", "TCVN3", "VNI", "either" (legacy, reading as Vietnamese in
    both tables) or "" (nothing to convert: ASCII, letters a Unicode text holds too, foreign words)."""
    if text.isascii():
        return ""
    if _UNICODE_ONLY.search(text):
        return "unicode"
    if not _SIGN.search(text) and not _VNI_PAIR.search(text):
        return ""
    tcvn3 = _vietnamese(text, decode(text, TCVN3))
    vni = _vietnamese(text, decode(text, VNI))
    if tcvn3 and vni:
        return "either"
    return TCVN3 if tcvn3 else VNI if vni else ""


@dataclass
class Converted:
    """What was converted on one sheet: how many cells, in which encodings, and one example (as written, as read)."""

    cells: int = 0
    encodings: set[str] = field(default_factory=set)
    by_font: bool = False
    example: tuple[str, str] | None = None

    def add(self, raw: str, text: str, encoding: str) -> None:
        self.cells += 1
        self.encodings.add(encoding)
        shown = self.example[0] if self.example else ""
        if not shown or (len(shown) < 12 < len(raw) <= 60):  # a name or a title, not a lone word
            self.example = (raw, text)

    def note(self, sheet: str) -> str:
        """The uploader's note, in Vietnamese."""
        names = " và ".join(NAMES[e] for e in sorted(self.encodings))
        how = "phông chữ của ô" if self.by_font else "các ký tự trong ô"
        raw, text = self.example or ("", "")
        return (
            f"Trang '{sheet}' được gõ bằng bảng mã chữ Việt cũ {names} (nhận ra theo {how}): {self.cells} ô đã được "
            f"chuyển sang Unicode trước khi đọc, ví dụ '{raw}' thành '{text}'. Hãy kiểm tra tên thôn, đơn vị trong "
            "bảng xem trước; lần sau nên chuyển tệp sang Unicode (Unikey: Công cụ chuyển mã) và dùng phông Times New "
            "Roman."
        )


def guess(texts: Iterable[str]) -> dict[str, tuple[str, str]]:
    """From the character statistics of a sheet's distinct texts, each legacy text → (its Unicode, encoding).

    Nothing is converted unless the sheet shows it: a legacy text beside no Unicode one, or at least three and a
    quarter as many as the Unicode texts (a stray « or ½ in a Unicode sheet is left alone). A text is converted
    only when its own characters are legacy; a text of one table is read by it, one that fits both by the table
    most of the sheet uses (TCVN3 when none tells).
    """
    found: dict[str, str] = {}
    unicode_texts = 0
    for text in texts:
        kind = _kind(text)
        if kind == "unicode":
            unicode_texts += 1
        elif kind:
            found[text] = kind
    if not found or (unicode_texts and len(found) < max(3, unicode_texts / 4)):
        return {}
    votes = [k for k in found.values() if k != "either"]
    usual = VNI if votes.count(VNI) > votes.count(TCVN3) else TCVN3
    out = {}
    for text, kind in found.items():
        encoding = usual if kind == "either" else kind
        converted = decode(text, encoding, capitals=encoding == TCVN3 and _shouting(text))
        if converted != text:
            out[text] = (converted, encoding)
    return out


CellFont = tuple[str, bool]  # (encoding, capitals) of a cell's font
Runs = list[tuple[str, CellFont | None]]  # a rich text's runs: (text, font of the run, None = the cell's)


def convert_sheet(
    rows: list[list],
    fonts: dict[tuple[int, int], CellFont] | None = None,
    runs: dict[tuple[int, int], Runs] | None = None,
    *,
    scan: bool = True,
) -> Converted:
    """Convert a sheet's legacy text in place: cells whose font (or rich-text run's font) is a legacy one, then, when
    `scan`, texts whose characters show it (`guess`). A text that is already Unicode is never touched.

    An old template still formatted in a legacy font may be typed in Unicode today: when its legacy-font cells hold
    more Unicode texts than texts with legacy signs, the font no longer says how they were typed, and those cells
    are judged by their characters like any other.
    """
    done = Converted()
    if fonts and _typed_in_unicode(rows, fonts):
        fonts, scan = None, True
    seen: dict[tuple[str, CellFont | None], tuple[str, str] | None] = {}  # a log repeats its names: convert once
    for (r, c), font in (fonts or {}).items():
        _convert_cell(rows, r, c, font, (runs or {}).get((r, c)), done, seen)
    for (r, c), pieces in (runs or {}).items():
        if fonts is None or (r, c) not in fonts:
            _convert_cell(rows, r, c, None, pieces, done, seen)
    done.by_font = done.cells > 0
    if not scan or not _worth_a_look(rows):
        return done
    texts = {v for v in set(chain.from_iterable(rows)) if v.__class__ is str}
    mapping = guess(texts)
    if mapping:
        for row in rows:
            for c, v in enumerate(row):
                if v.__class__ is str and v in mapping:
                    text, encoding = mapping[v]
                    row[c] = text
                    done.add(v, text, encoding)
    return done


def _typed_in_unicode(rows: list[list], fonts: dict[tuple[int, int], CellFont]) -> bool:
    texts = {rows[r][c] for r, c in fonts if r < len(rows) and c < len(rows[r])}
    texts = {t for t in texts if t.__class__ is str and not t.isascii()}
    unicode_texts = sum(1 for t in texts if _UNICODE_ONLY.search(t))
    return unicode_texts > 0 and unicode_texts > sum(1 for t in texts if _SIGN.search(t) or _VNI_PAIR.search(t))


_HEAD_ROWS = 200  # a sheet's title, header and first rows are all looked at
_SAMPLE_ROWS = 1000  # and this many rows spread over the rest


def _worth_a_look(rows: list[list]) -> bool:
    """Whether any text of the sheet's head, or of rows spread over its body, is legacy text: only then are all its
    texts weighed (a 100.000-row Unicode log pays for 1.200 rows, not 100.000)."""
    step = max(1, (len(rows) - _HEAD_ROWS) // _SAMPLE_ROWS)
    sample = set(chain.from_iterable(rows[:_HEAD_ROWS])) | set(chain.from_iterable(rows[_HEAD_ROWS::step]))
    return any(v.__class__ is str and _kind(v) not in ("", "unicode") for v in sample)


def _convert_cell(
    rows: list[list],
    r: int,
    c: int,
    font: CellFont | None,
    pieces: Runs | None,
    done: Converted,
    seen: dict[tuple[str, CellFont | None], tuple[str, str] | None],
) -> None:
    if r >= len(rows) or c >= len(rows[r]):
        return
    raw = rows[r][c]
    if raw.__class__ is not str:
        return
    if pieces is None and (raw, font) in seen:
        got = seen[(raw, font)]
    else:
        got = _converted(raw, font, pieces)
        if pieces is None:
            seen[(raw, font)] = got
    if got is not None:
        rows[r][c] = got[0]
        done.add(raw, *got)


def _converted(raw: str, font: CellFont | None, pieces: Runs | None) -> tuple[str, str] | None:
    """(text, encoding) of one cell in a legacy font (or with legacy runs), or None when nothing changes."""
    if (raw.isascii() and not (font and font[1])) or is_unicode(raw):
        return None
    if pieces and "".join(t for t, _ in pieces) == raw:
        text = "".join(decode(t, *(own or font)) if own or font else t for t, own in pieces)
        encoding = next((f or font)[0] for _, f in pieces if f or font)
    elif font:
        text, encoding = decode(raw, *font), font[0]
    else:
        return None
    return (text, encoding) if text != raw else None
