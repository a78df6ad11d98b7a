"""Text folding: the accent-free, lower-case, single-spaced form in which names and headers are compared."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_FOLDED: dict[str, str] = {}
_FOLD_CACHE_SIZE = 100_000  # cell texts repeat (village names, places): fold each once


def fold(text: object) -> str:
    """Lower-case, accent-free, single-spaced form used to compare names and headers."""
    if text.__class__ is str:
        hit = _FOLDED.get(text)  # type: ignore[call-overload]
        if hit is not None:
            return hit
    s = unicodedata.normalize("NFD", str(text or ""))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D")
    out = _SPACE.sub(" ", s).strip().lower()
    if text.__class__ is str and len(_FOLDED) < _FOLD_CACHE_SIZE:
        _FOLDED[text] = out  # type: ignore[index]
    return out
