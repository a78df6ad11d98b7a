"""Text helpers shared by every loader: accents, spacing, Vietnamese numbers, dates and months."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold(text: object) -> str:
    """Lower-case, accent-free, single-spaced form used to compare names and headers."""
    s = unicodedata.normalize("NFD", str(text or ""))
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D")
    return _SPACE.sub(" ", s).strip().lower()
