"""Above every page: which frozen figures are shown and the way back to the live ones; in the live view, a note
in the sidebar when figures changed since the latest snapshot."""

from __future__ import annotations

import streamlit as st

from app_pages import frozen, session
from app_pages.data import Snapshot
from app_pages.layout import md
from ground import fmt
from ground.auth import User
from store import SnapshotInfo
from views import privacy

TEXT = {
    "banner": "Đang xem số liệu đã chốt: **{name}** (chốt ngày {as_of}; {who} chốt lúc {at}). "
    "Báo cáo nhập hoặc sửa sau thời điểm chốt không hiện ở đây.",
    # For a visitor (views/privacy.py): when, never who.
    "banner_public": "Đang xem số liệu đã chốt: **{name}** (chốt ngày {as_of}; chốt lúc {at}). "
    "Báo cáo nhập hoặc sửa sau thời điểm chốt không hiện ở đây.",
    "back": "Về số liệu hiện tại",
    "changed": "Số liệu hiện tại khác lần chốt **{name}** (chốt ngày {as_of}) ở {n} chỉ tiêu: {names}.",
    "changed_link": "Xem chi tiết ở trang Báo cáo",
}


# The pages keep a tight top (layout.py); a banner first on the page needs room below Streamlit's header bar.
_CSS = """
<style>
[class*="st-key-frozen_banner"] { margin-top: 1.4rem; }
@media (max-width: 640px) { [class*="st-key-frozen_banner"] { margin-top: 0; } }
</style>
"""


def banner_text(info: SnapshotInfo, reader: User | None = None) -> str:
    """The frozen view's banner; the name of who froze it only for staff and admins."""
    who = privacy.who(info.created_by, reader)
    return TEXT["banner" if who else "banner_public"].format(
        name=md(info.name), as_of=fmt.date(info.as_of), who=md(who or ""), at=fmt.datetime(info.created_at)
    )


def show(snap: Snapshot) -> None:
    notice = frozen.take_notice()
    if notice:
        st.warning(md(notice), icon=":material/info:")
    info = getattr(snap, "frozen", None)
    if info is not None:
        st.html(_CSS)
        with st.container(horizontal=True, vertical_alignment="center", key="frozen_banner"):
            st.info(banner_text(info, session.viewer()), icon=":material/lock:")
            if st.button(TEXT["back"], key="frozen_back", icon=":material/update:"):
                frozen.leave()
                st.rerun()
        return
    if snap.problem_kind is not None:  # an unreadable or busy database: the page itself says so
        return
    latest, changed = frozen.latest_changes(snap)
    if latest is None or changed is None or changed.empty:
        return
    names = list(dict.fromkeys(changed["name"]))
    listed = ", ".join(names[:4]) + (f" và {len(names) - 4} chỉ tiêu khác" if len(names) > 4 else "")
    with st.sidebar:
        st.caption(
            TEXT["changed"].format(name=md(latest.name), as_of=fmt.date(latest.as_of), n=len(names), names=md(listed))
        )
        st.page_link("app_pages/bao_cao.py", label=TEXT["changed_link"], icon=":material/compare_arrows:")
