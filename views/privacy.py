"""What each role may see of people: the one place that decides, applied wherever a table, a banner, a brief or a
download leaves for a reader.

A visitor (not logged in) and a read-only viewer account see which unit reported a figure, when and from which
file, never who: a login name is half a credential (with it anyone could try that account). Staff and admins keep
seeing who uploaded, froze or changed what.
"""

from __future__ import annotations

import re

import pandas as pd

from ground.auth import User

# Column headers that name a person (screen and downloads). Any table a page shows goes through for_reader().
PEOPLE_COLUMNS = frozenset({"Người nhập", "Người chốt", "Người tải lên", "Người thực hiện", "Người tạo"})
# Columns that are internal to the server: never for a visitor either (ids are stable, paths tell the layout).
INTERNAL_COLUMNS = frozenset({"Mã tải lên", "Đường dẫn", "SHA-256"})

# Unicode bidirectional controls: a file name "…‮xslx.exe" reads reversed. Shown as a visible mark instead.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BIDI_MARK = "\ufffd"


def sees_people(user: User | None) -> bool:
    """Staff and admins see login names; visitors and viewer accounts do not."""
    return user is not None and user.role in ("admin", "staff")


def for_reader(frame: pd.DataFrame, user: User | None) -> pd.DataFrame:
    """The frame as `user` may see it: the columns naming people (and internal ones) dropped for a visitor."""
    if sees_people(user):
        return frame
    hidden = [c for c in frame.columns if str(c) in PEOPLE_COLUMNS or str(c) in INTERNAL_COLUMNS]
    return frame.drop(columns=hidden) if hidden else frame


def who(name: str | None, user: User | None) -> str | None:
    """A person's login name as `user` may read it: the name, or None (say it without the person)."""
    return name if sees_people(user) and name else None


def visible_text(text: str) -> str:
    """Text with bidirectional control characters made visible (a replacement mark), so nothing reads reversed."""
    return _BIDI.sub(BIDI_MARK, text) if isinstance(text, str) else text
