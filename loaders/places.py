"""Villages and units named in a sheet, matched to the catalogue whatever the accents, case, spacing or prefix."""

from __future__ import annotations

import difflib
import re

from ground.catalogue import Catalogue
from ground.text import fold
from loaders.text import CellError, clean

_PUNCT = re.compile(r"[^a-z0-9]+")
_VILLAGE_PREFIXES = ("thon ", "th ", "xom ", "khu dan cu ", "kdc ")
_NUMBERING = re.compile(r"^\d{1,2} (?=[a-z])")  # "1. Thôn An Lạc" once punctuation is gone


def _key(text: object) -> str:
    return _PUNCT.sub(" ", fold(text)).strip()


def _bare(key: str) -> str:
    for p in _VILLAGE_PREFIXES:
        if key.startswith(p) and len(key) > len(p):
            return key[len(p) :]
    return key


class Villages:
    """Look up a village code from a name as written ("Thôn Đông Hà", "thon dong ha", "DONG HA")."""

    def __init__(self, catalogue: Catalogue):
        self.names = [v.name for v in catalogue.villages]
        index: dict[str, set[str]] = {}
        for v in catalogue.villages:
            for n in (v.name, *v.aliases):
                k = _key(n)
                for variant in (k, _bare(k), k.replace(" ", ""), _bare(k).replace(" ", "")):
                    index.setdefault(variant, set()).add(v.code)
        self._index = index
        self._cache: dict[object, str | None] = {}

    def code(self, value: object) -> str | None:
        """The village code for a cell; None for an empty cell; CellError for an unknown or ambiguous name."""
        try:
            return self._cache[value]
        except (KeyError, TypeError):
            pass
        result = self._lookup(value)
        if isinstance(value, str | int | float):
            self._cache[value] = result
        return result

    def _index_one(self, text: str) -> str | None:
        k = _key(text)
        codes = self._index.get(k) or self._index.get(_bare(k)) if k else None
        return next(iter(codes)) if codes and len(codes) == 1 else None

    def _lookup(self, value: object) -> str | None:
        k = _NUMBERING.sub("", _key(value))
        if not k:
            return None
        codes = self._index.get(k) or self._index.get(_bare(k)) or self._index.get(_bare(k).replace(" ", ""))
        if codes and len(codes) == 1:
            return next(iter(codes))
        written = clean(value)
        if not codes and isinstance(value, str) and re.search(r"[,;(\-]", value):
            # "Thôn Đông Hà, xã An Phú", "Đông Hà (cũ: An Bình)": one part naming one village is enough.
            parts = {self._index_one(p) for p in re.split(r"[,;()]|\s-\s", value)} - {None}
            if len(parts) == 1:
                return parts.pop()
        if codes:
            raise CellError(f"tên thôn '{written}' khớp với nhiều thôn trong danh mục; hãy ghi đầy đủ tên thôn")
        close = difflib.get_close_matches(_bare(k), [_bare(_key(n)) for n in self.names], n=1, cutoff=0.75)
        hint = ""
        if close:
            name = next(n for n in self.names if _bare(_key(n)) == close[0])
            hint = f" Có phải là '{name}'?"
        raise CellError(
            f"thôn '{written}' không có trong danh mục thôn của xã.{hint} Hãy sửa lại cho đúng tên thôn "
            "(không phân biệt dấu, chữ hoa/thường), hoặc nếu đây là tên gọi khác của một thôn thì bổ sung "
            "vào mục aliases của thôn đó trong catalogue.toml"
        )


def unit_in_title(catalogue: Catalogue, lines: list[str]) -> str | None:
    """The unit code named by a title-block line ("PHÒNG KINH TẾ", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")."""
    names: dict[str, str] = {}
    for u in catalogue.units:
        for n in (u.name, *u.aliases):
            names[_key(n)] = u.code
    commune = _key(catalogue.commune.name)  # "xa an phu"
    for line in lines:
        k = _key(line)
        for tail in (" " + commune, " " + commune.removeprefix("xa "), " xa"):
            if k.endswith(tail) and len(k) > len(tail):
                k = k[: -len(tail)]
        for candidate in (k, k + " xa"):
            if candidate in names:
                return names[candidate]
    return None
