"""The /lich-su page: every upload and its status, the original files, restoring an earlier version, the audit log."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from app_pages import session, tables
from app_pages.layout import header, md
from ground import fmt
from ground.auth import RightsError, User, write_refusal
from ground.catalogue import Catalogue, load_catalogue
from intake.importer import restore_version
from store import Store
from views.history_tables import audit_frame, history_frame, unit_name, upload_label
from views.upload_tables import months_text

AUDIT_LINES = 500  # the newest lines on screen; the download holds the same

TEXT = {
    "title": "Lịch sử tải lên",
    "need_login": "Hãy đăng nhập để xem lịch sử tải lên và nhật ký thao tác.",
    "empty": "Chưa có lần tải lên nào. Cán bộ nhập liệu tải báo cáo lên ở trang Tải lên.",
    "filter_unit": "Đơn vị",
    "all_units": "Tất cả đơn vị",
    "count": "{n} lần tải lên",
    "pick": "Chọn một lần tải lên để tải tệp gốc hoặc khôi phục",
    "placeholder": "Chọn…",
    "download": "Tải tệp gốc",
    "in_force": "Phiên bản này đang được dùng; không cần khôi phục.",
    "restore": "Khôi phục phiên bản này",
    "restore_what": (
        "Khôi phục lần nhập #{id} ({unit}, {months}): số liệu của lần nhập này sẽ được dùng lại thay cho bản đang "
        "dùng. Bản đang dùng vẫn được lưu trong lịch sử và có thể khôi phục lại. Bạn chắc chắn?"
    ),
    "confirm_restore": "Xác nhận khôi phục",
    "cancel": "Hủy",
    "restored": "Đã khôi phục lần nhập #{id}; thay cho lần nhập {replaced}.",
    "restored_nothing": "Lần nhập #{id} đã đang được dùng; không có gì thay đổi.",
    "audit": "Nhật ký thao tác",
    "audit_caption": "{n} thao tác gần nhất, mới nhất ở trên.",
}


def _state_key(upload_id: int) -> str:
    return f"lich_su_khoi_phuc_{upload_id}"


def _download_name(name: str) -> str:
    # The browser gets the name back only as a suggestion; control characters and separators never pass.
    cleaned = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", name).strip(" .")
    return cleaned or "tep-goc.xlsx"


def _restore_block(store: Store, catalogue: Catalogue, user: User, row) -> None:
    upload_id = int(row.upload_id)
    if row.status == "current":
        st.caption(TEXT["in_force"])
        return
    refusal = write_refusal(user, row.unit or None, {u.code: u.name for u in catalogue.units})
    if refusal:
        st.caption(md(refusal))
        return
    key = _state_key(upload_id)
    if not st.session_state.get(key):
        if st.button(TEXT["restore"], key=f"khoi_phuc_{upload_id}", icon=":material/history:"):
            st.session_state[key] = True
            st.rerun()
        return
    months = months_text(list(row.periods))
    st.warning(TEXT["restore_what"].format(id=upload_id, unit=md(unit_name(catalogue, row.unit)), months=months))
    with st.container(horizontal=True):
        confirmed = st.button(TEXT["confirm_restore"], key="confirm_restore", type="primary")
        cancelled = st.button(TEXT["cancel"], key="huy_khoi_phuc")
    if cancelled:
        st.session_state.pop(key, None)
        st.rerun()
    if confirmed:
        st.session_state.pop(key, None)
        try:
            replaced = restore_version(store, catalogue, upload_id, user)
        except RightsError as exc:
            st.error(md(str(exc)))
            return
        if replaced:
            done = TEXT["restored"].format(id=upload_id, replaced=", ".join(f"#{i}" for i in replaced))
        else:
            done = TEXT["restored_nothing"].format(id=upload_id)
        st.session_state["lich_su_thong_bao"] = done
        st.rerun()


def _file_block(store: Store, catalogue: Catalogue, user: User, uploads: pd.DataFrame) -> None:
    ids = list(uploads["upload_id"])
    rows = {int(r.upload_id): r for r in uploads.itertuples(index=False)}
    chosen = st.selectbox(
        TEXT["pick"], ids, format_func=lambda i: upload_label(rows[int(i)], catalogue), key="lich_su_chon",
        placeholder=TEXT["placeholder"],
    )  # fmt: skip
    if chosen is None:
        return
    row = rows[int(chosen)]
    st.download_button(
        TEXT["download"],
        data=lambda i=int(chosen): store.upload_file(i)[1],
        file_name=_download_name(str(row.file_name)),
        mime="application/octet-stream",
        key=f"tai_goc_{int(chosen)}",
        icon=":material/download:",
        on_click="ignore",
    )
    _restore_block(store, catalogue, user, row)


def render() -> None:
    header(TEXT["title"])
    store = session.app_store()
    catalogue = load_catalogue()
    user = session.signed_in(store, TEXT["need_login"], key="dang_nhap_lich_su")
    if user is None:
        return
    notice = st.session_state.pop("lich_su_thong_bao", None)
    if notice:
        st.success(notice)
    uploads = store.uploads()
    if uploads.empty:
        st.info(TEXT["empty"])
    else:
        units = [u.code for u in catalogue.units if u.code in set(uploads["unit"])]
        pick = st.selectbox(
            TEXT["filter_unit"],
            ["", *units],
            format_func=lambda c: unit_name(catalogue, c) if c else TEXT["all_units"],
            key="lich_su_don_vi",
            placeholder=TEXT["placeholder"],
        )
        shown = uploads[uploads["unit"] == pick] if pick else uploads
        st.caption(TEXT["count"].format(n=len(shown)))
        table = history_frame(shown, catalogue).style.format(fmt.integer, subset=["Số dòng"])
        st.dataframe(table, hide_index=True, width="stretch")
        tables.html_copy(table)
        _file_block(store, catalogue, user, shown)
    st.subheader(TEXT["audit"])
    audit = store.audit(limit=AUDIT_LINES)
    st.caption(TEXT["audit_caption"].format(n=len(audit)))
    audit_table = audit_frame(audit, catalogue)
    st.dataframe(audit_table, hide_index=True, width="stretch")
    tables.html_copy(audit_table)


if __name__ == "__main__":
    session.guarded(render)
