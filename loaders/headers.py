"""Header matching by meaning: normalise a header (accents, units, numbering, abbreviations) and name its concept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ground.text import fold

# Officials' abbreviations, expanded before matching (folded forms).
ABBREVIATIONS = {
    "ctrsh": "chat thai ran sinh hoat",
    "tthc": "thu tuc hanh chinh",
    "ttkdtm": "thanh toan khong dung tien mat",
    "dvc": "dich vu cong",
    "dvctt": "dich vu cong truc tuyen",
    "htx": "hop tac xa",
    "hssk": "ho so suc khoe",
    "ntm": "nong thon moi",
    "bvmt": "bao ve moi truong",
    "sl": "so luong",
    "dvt": "don vi tinh",
    "ts": "tong so",
    "ctyt": "chat thai y te",
    "qd": "quyet dinh",
    "gcn": "giay chung nhan",
    "tt": "thu tu",
    "stt": "so thu tu",
    "gd": "giao dich",
    "kdtm": "khong dung tien mat",
    "hs": "ho so",
}
_UNIT_IN_BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[.)/]\s+|^\s*\(\d{1,2}\)\s*")
_NON_WORD = re.compile(r"[^a-z0-9%]+")
_PREFIXES = ("tong so ", "so luong ", "so ", "tong ")
# Words that say nothing about which quantity a column holds.
_FILLERS = (" trong thang", " trong ky", " thang nay", " ky nay", " ky bao cao", " trong ky bao cao")
# Leaves that mean "the total of the parent": "Số hồ sơ tiếp nhận" › "Tổng số".
TOTAL_WORDS = frozenset({"tong so", "tong", "cong", "tong cong", "so luong", "tong so luong"})
# Leaves that mean "the parent's figure for this month": "Số hộ phân loại rác" › "Trong tháng".
MONTH_WORDS = frozenset(
    {
        "trong thang",
        "thang nay",
        "trong ky",
        "ky nay",
        "thuc hien trong thang",
        "phat sinh trong thang",
        "thang bao cao",
    }
)
# Parents that only group their children: "Trong đó" › "Trực tuyến".
GROUP_WORDS = frozenset(
    {"trong do", "chia ra", "bao gom", "gom", "trong do chia ra", "cu the", "chi tiet", "phan theo", "chia theo"}
)
# Units a header may carry in brackets or after a comma, folded.
_UNITS = {
    "%": "%", "ty le": "%", "ty le %": "%", "cay": "cay", "ha": "ha", "m2": "m2", "m²": "m2", "dong": "dong",
    "vnd": "dong", "d": "dong", "trieu dong": "trieu dong", "nghin dong": "nghin dong", "1000 dong": "nghin dong",
    "ho": "ho", "nguoi": "nguoi", "kg": "kg", "tan": "tan", "buoi": "buoi", "ho so": "ho so", "luot": "luot",
    "xe": "xe", "vu": "vu", "truong": "truong", "san pham": "san pham", "co so": "co so", "khu": "khu",
    "mo hinh": "mo hinh", "hoc sinh": "hoc sinh", "giao dich": "giao dich", "tin bai": "tin bai", "cai": "cai",
    "sao": "sao",
}  # fmt: skip


@dataclass(frozen=True)
class HeaderText:
    """A header cell normalised for matching; `units` are the bracketed units it carried ("cay", "%")."""

    key: str
    units: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """The key without a leading "Số"/"Tổng số"/"Số lượng" and filler words."""
        return strip_prefix(self.key)


@lru_cache(maxsize=8192)
def normalise(text: str) -> HeaderText:
    """Fold accents/case/space, take out bracketed units and numbering, expand abbreviations."""
    f = fold(text)
    units: list[str] = []

    def take(m: re.Match) -> str:
        inner = _NON_WORD.sub(" ", m.group(1)).strip()
        if inner in _UNITS:
            units.append(_UNITS[inner])
            return " "
        if re.fullmatch(r"\d{1,2}", inner):  # "(1)" column numbers printed inside the header
            return " "
        return " " + m.group(1) + " "

    f = _UNIT_IN_BRACKETS.sub(take, f)
    f = _NUMBERING.sub("", f)
    f = f.replace("%", " % ")
    words = _NON_WORD.sub(" ", f).split()
    # "Tổng giá trị, đồng" / "Số cây - cây": a trailing unit after punctuation.
    tail = re.search(r"[,:\-–]\s*(?:dvt\s*:?\s*)?([a-z0-9 ]+)$", f)
    if tail and tail.group(1).strip() in _UNITS and len(words) > 1:
        units.append(_UNITS[tail.group(1).strip()])
        words = words[: -len(tail.group(1).split())]
    if words and words[-1] == "%":
        units.append("%")
        words = words[:-1]
    expanded: list[str] = []
    for w in words:
        expanded.extend(ABBREVIATIONS.get(w, w).split())
    key = " ".join(w for w in expanded if w != "%")
    return HeaderText(key, tuple(dict.fromkeys(units)))


def strip_prefix(key: str) -> str:
    k = f" {key} "
    for filler in _FILLERS:
        k = k.replace(filler + " ", " ")
    k = k.strip()
    for p in _PREFIXES:
        if k.startswith(p) and len(k) > len(p):
            return k[len(p) :]
    return k


@dataclass(frozen=True)
class Concept:
    """A column meaning a report kind knows: its names, and names it has only under certain parents.

    `names` match a header on its own ("Số hồ sơ tiếp nhận trực tuyến"); `child_names` match a sub-header
    whose parent is one of `under` ("Tổng số hồ sơ tiếp nhận" › "Trực tuyến") or only a grouping word
    ("Trong đó" › "Trực tuyến"). `ignore` marks a known column (and its children) that feeds nothing.
    """

    key: str
    names: tuple[str, ...] = ()
    child_names: tuple[str, ...] = ()
    under: tuple[str, ...] = ()
    ignore: bool = False


@dataclass
class Vocabulary:
    """The concepts of one report kind, indexed by their normalised names."""

    concepts: list[Concept]
    _exact: dict[str, set[str]] = field(default_factory=dict)
    _short: dict[str, set[str]] = field(default_factory=dict)
    _child_exact: dict[str, set[str]] = field(default_factory=dict)
    _child_short: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.concepts}
        # Concepts that decide what their children mean ("Đã giải quyết" › "Đúng hạn").
        self.parents = {k for c in self.concepts for k in c.under}
        for c in self.concepts:
            for n in c.names:
                h = normalise(n)
                self._exact.setdefault(h.key, set()).add(c.key)
                self._short.setdefault(h.short, set()).add(c.key)
            for n in c.child_names:
                h = normalise(n)
                self._child_exact.setdefault(h.key, set()).add(c.key)
                self._child_short.setdefault(h.short, set()).add(c.key)

    def names_match(self, h: HeaderText) -> set[str]:
        """Concepts whose own names equal the header (exact normalised form first, then without "Số"…)."""
        if not h.key:
            return set()
        return set(self._exact.get(h.key) or self._short.get(h.short) or ())

    def child_match(self, h: HeaderText) -> set[str]:
        if not h.key:
            return set()
        return set(self._child_exact.get(h.key) or self._child_short.get(h.short) or ())


@dataclass(frozen=True)
class Match:
    """What a column means for one vocabulary: a concept key, None (unknown) or ambiguous candidates.

    `ignored` marks a known column that feeds nothing (STT, Ghi chú, a pending-dossiers block).
    """

    key: str | None
    candidates: tuple[str, ...] = ()
    ignored: bool = False


def match_column(vocab: Vocabulary, parts: list[str], units: tuple[str, ...] = ()) -> Match:
    """The concept of a column whose header cells, top to bottom, are `parts` (merged parents first).

    A header offering alternatives ("Địa điểm/Nơi trồng", "Thôn/Xóm") means a concept when the
    alternatives that mean anything all mean the same one.
    """
    found = _match_parts(vocab, parts, units)
    if found.key is None and not found.candidates and not found.ignored and parts and "/" in parts[-1]:
        alternatives = {_match_parts(vocab, [*parts[:-1], alt], units) for alt in parts[-1].split("/") if alt.strip()}
        keys = {m.key for m in alternatives if m.key}
        if len(keys) == 1:
            return next(m for m in alternatives if m.key)
    return found


def _match_parts(vocab: Vocabulary, parts: list[str], units: tuple[str, ...]) -> Match:
    if not parts:
        return Match(None)
    norm = [normalise(p) for p in parts]
    leaf = norm[-1]
    ancestors = norm[:-1]
    # A known ancestor that other concepts name as their parent decides what the children may mean; any
    # known ancestor lends its meaning to a "Tổng số" / "Trong tháng" child.
    known: list[str] = []
    for a in ancestors:
        if a.key in GROUP_WORDS or not a.key:
            continue
        found = vocab.names_match(a)
        if len(found) == 1:
            known.append(next(iter(found)))
    if any(vocab.by_key[k].ignore for k in known):
        return Match(None, ignored=True)
    anc_keys = [k for k in known if k in vocab.parents]
    own = vocab.names_match(leaf)
    if len(own) == 1 and vocab.by_key[next(iter(own))].ignore:
        return _resolved(vocab, next(iter(own)))  # "Lũy kế", "Ghi chú": known and unused wherever they sit
    if ancestors:
        full = HeaderText(" ".join(a.key for a in norm if a.key and a.key not in GROUP_WORDS), leaf.units)
        found = vocab.names_match(full)
        if len(found) == 1:
            return _resolved(vocab, next(iter(found)))
    found = vocab.names_match(leaf)
    if found and anc_keys:
        # A leaf that names a concept on its own, under a parent of another meaning ("Đã giải quyết" ›
        # "Trực tuyến"), is not that concept; a concept allowed under the parent is preferred.
        allowed = {k for k in found if k in anc_keys or set(vocab.by_key[k].under) & set(anc_keys)}
        child = {k for k in vocab.child_match(leaf) if set(vocab.by_key[k].under) & set(anc_keys)}
        found = child or allowed
        if not found:
            return Match(None)
    if not found:
        child = vocab.child_match(leaf)
        if anc_keys:
            child = {k for k in child if set(vocab.by_key[k].under) & set(anc_keys)}
        found = child
    if not found and known and (leaf.key in TOTAL_WORDS or leaf.key in MONTH_WORDS or not leaf.key):
        return _resolved(vocab, known[-1])
    if len(found) > 1:
        narrowed = _by_unit(vocab, found, units or leaf.units)
        if len(narrowed) == 1:
            found = narrowed
    if len(found) == 1:
        return _resolved(vocab, next(iter(found)))
    if len(found) > 1:
        return Match(None, tuple(sorted(found)))
    return Match(None)


def _resolved(vocab: Vocabulary, key: str) -> Match:
    return Match(key, ignored=vocab.by_key[key].ignore)


def _by_unit(vocab: Vocabulary, keys: set[str], units: tuple[str, ...]) -> set[str]:
    # Money columns carry "(đồng)": among "count" and "value" candidates the unit decides.
    if not units:
        return keys
    money = "dong" in units
    return {k for k in keys if ("value" in k or "gia_tri" in k) == money}


def match_all(vocab: Vocabulary, columns: list) -> dict[int, Match]:
    """The match of every column (objects with `index` and `parts`) against one vocabulary."""
    return {c.index: match_column(vocab, list(c.parts)) for c in columns}


def found_keys(matches: dict[int, Match]) -> set[str]:
    """Concepts found among the columns, known-but-unused ones excluded."""
    return {m.key for m in matches.values() if m.key and not m.ignored}
