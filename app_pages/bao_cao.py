"""Báo cáo (/bao-cao): the month's Word brief from the figures in force or a snapshot, freezing figures (admins),
the list of snapshots, and what changed since the latest one."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import data, frozen, layout, session, tables
from briefs import Brief, Figures, Progress, load_figures, make_brief
from briefs.changes import differences
from ground import fmt
from ground.catalogue import load_catalogue
from store import SnapshotError
from views import formats

TEXT = {
    "title": "Báo cáo",
    "caption": "Báo cáo tiến độ tháng (tệp Word) cho cuộc họp, lập từ số liệu hiện tại hoặc từ số liệu đã chốt.",
    "make": "Lập báo cáo tháng",
    "make_caption": (
        "Báo cáo theo thể thức văn bản hành chính: bảng trạng thái mọi chỉ tiêu, biểu đồ từng lĩnh vực, nhận xét "
        "các chỉ tiêu chậm tiến độ và các đơn vị chưa gửi báo cáo. Lập từ số liệu đã chốt thì báo cáo không đổi "
        "dù sau đó có báo cáo sửa đổi."
    ),
    "source": "Nguồn số liệu",
    "live": "Số liệu hiện tại",
    "frozen_option": "Đã chốt: {name} (số liệu đến {as_of})",
    "month": "Tháng báo cáo",
    "build": "Lập báo cáo",
    "building": "Đang lập báo cáo và vẽ biểu đồ…",
    "built": "Đã lập báo cáo {month} từ {source}: {rows} chỉ tiêu, {images} biểu đồ, {behind} chỉ tiêu chậm tiến độ "
    "hoặc cần đẩy nhanh.",
    "download": "Tải báo cáo (.docx)",
    "no_month": "Nguồn số liệu này chưa có tháng nào có số liệu.",
    "behind": "Các chỉ tiêu chậm tiến độ, cần đẩy nhanh trong báo cáo",
    "freeze": "Chốt số liệu",
    "freeze_caption": (
        "Chốt số liệu lưu lại toàn bộ số liệu đang dùng đến hết một ngày dưới một tên (ví dụ trước cuộc họp giao "
        "ban). Báo cáo và bảng điều khiển xem theo lần chốt luôn cho đúng những con số đó, kể cả khi sau này có "
        "báo cáo sửa đổi."
    ),
    "name": "Tên lần chốt",
    "name_placeholder": "Họp giao ban tháng 11",
    "as_of": "Số liệu đến hết ngày",
    "freeze_button": "Chốt số liệu",
    "frozen_done": "Đã chốt số liệu “{name}” (mã {id}) đến ngày {as_of}: {rows} dòng số liệu.",
    "need_admin": "Chỉ quản trị viên chốt được số liệu. Hãy đăng nhập bằng tài khoản quản trị viên.",
    "list": "Các lần chốt số liệu",
    "none": "Chưa có lần chốt số liệu nào.",
    "view": "Xem trên bảng điều khiển",
    "view_pick": "Lần chốt",
    "changes": "Thay đổi so với lần chốt gần nhất",
    "changes_caption": "Lần chốt “{name}” (số liệu đến {as_of}). Số liệu toàn xã của từng tháng; tỷ lệ tính bằng %.",
    "no_changes": "Số liệu hiện tại giống hệt lần chốt này.",
    "columns": ["Chỉ tiêu", "Tháng", "Số liệu đã chốt", "Số liệu hiện tại", "Đơn vị tính"],
}
_BUILT = "bao_cao_built"  # {request key: Brief} of this session
_FROZEN = "bao_cao_frozen"  # (id, confirmation) of the snapshot this session just froze, shown after the rerun


@st.cache_resource(max_entries=4, show_spinner=False)
def _figures(path: str, stamp: tuple, catalogue_path: str, snapshot_id: int | None, today: date) -> Figures:
    base = load_catalogue(catalogue_path)
    return load_figures(data.app_store(Path(path), base), base, snapshot_id)


@dataclass
class _Built:
    """One request's brief, made at most once per process; the lock makes a second session wait for the first."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    brief: Brief | None = None


@st.cache_resource(max_entries=8, show_spinner=False)
def _built(path: str, stamp: tuple, catalogue_path: str, snapshot_id: int | None, today: date, month: str) -> _Built:
    return _Built()


def _brief(
    path: str,
    stamp: tuple,
    catalogue_path: str,
    snapshot_id: int | None,
    today: date,
    month: str,
    progress: Progress | None = None,
) -> Brief:
    """The request's brief, cached like a st.cache_resource function (8 entries) but made outside the cached
    function: Streamlit records every element a cached function draws and replays it on the next cache hit,
    where the progress bar's placeholder, made outside, no longer exists (CacheReplayClosureError). So the
    cache holds a box and the brief is made here, its progress shown as it goes; a cached brief shows none."""
    box = _built(path, stamp, catalogue_path, snapshot_id, today, month)
    with box.lock:
        if box.brief is None:
            if progress is not None:
                progress(0.0, TEXT["building"])  # while the figures are fetched, if they are not cached
            box.brief = make_brief(_figures(path, stamp, catalogue_path, snapshot_id, today), month, progress)
        return box.brief


def _file_name(month: str, snapshot_id: int | None) -> str:
    stem = f"bao-cao-chuyen-doi-xanh-T{int(month[5:])}-{month[:4]}"
    return f"{stem}-chot-{snapshot_id}.docx" if snapshot_id else f"{stem}.docx"


snap = data.snapshot()
if not layout.ready(snap, TEXT["title"]):
    st.stop()
layout.header(TEXT["title"], TEXT["caption"])
layout.print_head(snap, TEXT["title"])
store = data.app_store(snap.path, snap.catalogue)
listed = store.snapshots()
base_path = str(load_catalogue().path)
file_stamp = tuple(store.file_stamp())
today = store.clock().date()


def make_section() -> None:
    layout.section(TEXT["make"], TEXT["make_caption"])
    ids = [None, *[int(i) for i in listed["id"]]]
    names = {int(r.id): (r.name, r.as_of) for r in listed.itertuples(index=False)}

    def source_label(sid: int | None) -> str:
        if sid is None:
            return TEXT["live"]
        name, as_of = names[sid]
        return TEXT["frozen_option"].format(name=name, as_of=fmt.date(as_of))

    viewing = frozen.chosen_id()
    with st.container(horizontal=True, wrap=True, gap="small"):
        sid = st.selectbox(
            TEXT["source"],
            ids,
            index=ids.index(viewing) if viewing in ids else 0,
            format_func=source_label,
            key="bao_cao_nguon",
            width=420,
        )
        figures = _figures(str(snap.path), file_stamp, base_path, sid, today)
        months = list(reversed(figures.months))
        if not months:
            st.info(TEXT["no_month"])
            return
        month = st.selectbox(TEXT["month"], months, format_func=fmt.month, key="bao_cao_thang", width=160)
    request = (str(snap.path), file_stamp, sid, today, month)
    built: dict = st.session_state.setdefault(_BUILT, {})
    if st.button(TEXT["build"], type="primary", icon=":material/description:", key="bao_cao_lap"):
        bar = st.empty()

        def show(fraction: float, text: str) -> None:
            # Drawn at the first step only: a brief already made shows no bar at all.
            bar.progress(min(max(fraction, 0.0), 1.0), text=text)

        built.clear()
        built[request] = _brief(str(snap.path), file_stamp, base_path, sid, today, month, show)
        bar.empty()  # the confirmation below says it is done
    brief = built.get(request)
    if brief is None:
        return
    c = brief.content
    source = TEXT["live"].lower() if sid is None else f"số liệu đã chốt “{names[sid][0]}”"
    st.success(
        layout.md(
            TEXT["built"].format(
                month=fmt.month_long(month), source=source, rows=len(c.rows), images=len(brief.images),
                behind=len(c.behind),
            )
        ),
        icon=":material/task_alt:",
    )  # fmt: skip
    st.download_button(
        TEXT["download"],
        data=brief.docx,
        file_name=_file_name(month, sid),
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="bao_cao_tai",
        icon=":material/download:",
        on_click="ignore",
        type="primary",
    )
    st.markdown(layout.md(c.headline))
    if c.behind:
        with st.expander(TEXT["behind"]):
            for item in c.behind:
                st.markdown(f"- **{layout.md(item.status.label)}:** {layout.md(item.sentence)}")
    st.caption(layout.md(c.missing_sentence))


def freeze_section() -> None:
    layout.section(TEXT["freeze"], TEXT["freeze_caption"])
    user = session.current_user(store)
    if user is None or not user.is_admin:
        st.info(TEXT["need_admin"], icon=":material/lock:")
        return
    done = st.session_state.pop(_FROZEN, None)
    if done is not None:
        sid, message = done
        st.success(layout.md(message), icon=":material/lock:")
        st.page_link("app_pages/tong_quan.py", label=TEXT["view"], query_params={frozen.PARAM: str(sid)})
    with st.form("chot_so_lieu", clear_on_submit=True, width=520):
        name = st.text_input(TEXT["name"], placeholder=TEXT["name_placeholder"], max_chars=200)
        as_of = st.date_input(TEXT["as_of"], value=today, max_value=today, format="DD/MM/YYYY")
        submitted = st.form_submit_button(TEXT["freeze_button"], type="primary", icon=":material/lock:")
    if not submitted:
        return
    try:
        sid = store.freeze(name, as_of, user.name, catalogue=load_catalogue())
    except SnapshotError as exc:
        st.error(layout.md(str(exc)))
        return
    s = store.snapshot(sid)
    message = TEXT["frozen_done"].format(name=s.name, id=s.id, as_of=fmt.date(s.as_of), rows=fmt.integer(s.rows))
    # Run the page again so that "Nguồn số liệu" and the list above, read at the top, hold the new snapshot at
    # once; the confirmation is carried across that run.
    st.session_state[_FROZEN] = (sid, message)
    st.rerun()


def list_section() -> None:
    frame = store.snapshots()
    layout.section(TEXT["list"])
    if frame.empty:
        st.caption(TEXT["none"])
        return
    shown = pd.DataFrame(
        {
            "Mã": frame["id"].astype(int),
            "Tên": frame["name"],
            "Số liệu đến ngày": [fmt.date(d) for d in frame["as_of"]],
            "Người chốt": frame["created_by"],
            "Thời điểm chốt": [fmt.datetime(d) for d in frame["created_at"]],
            "Số dòng số liệu": frame["rows"].astype(int),
        }
    )
    tables.show(shown, key="ds_chot", file_stem="cac-lan-chot-so-lieu", downloads=False)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small"):
        pick = st.selectbox(
            TEXT["view_pick"],
            list(shown["Mã"]),
            format_func=lambda i: f"{i}: {shown.loc[shown['Mã'] == i, 'Tên'].iloc[0]}",
            key="bao_cao_xem",
            width=360,
        )
        st.page_link("app_pages/tong_quan.py", label=TEXT["view"], query_params={frozen.PARAM: str(pick)})


def changes_section() -> None:
    if listed.empty or getattr(snap, "frozen", None) is not None:
        return
    latest = store.snapshot(int(listed["id"].iloc[0]))
    live = _figures(str(snap.path), file_stamp, base_path, None, today)
    changed = differences(store.snapshot_monthly(latest.id), live.monthly, live.catalogue)
    layout.section(TEXT["changes"], TEXT["changes_caption"].format(name=latest.name, as_of=fmt.date(latest.as_of)))
    if changed.empty:
        st.success(TEXT["no_changes"], icon=":material/check:")
        return
    cols = TEXT["columns"]
    table = pd.DataFrame(
        {
            cols[0]: changed["name"],
            cols[1]: [fmt.month(p) for p in changed["period"]],
            cols[2]: changed["frozen"],
            cols[3]: changed["live"],
            cols[4]: changed["unit"],
        }
    )
    per_row = {cols[2]: formats.quantity, cols[3]: formats.quantity}
    tables.show(
        table,
        key="thay_doi",
        file_stem="thay-doi-so-voi-lan-chot",
        units=list(changed["unit"]),
        per_row=per_row,
        screen_hide=[cols[4]],
    )


make_section()
changes_section()
freeze_section()
list_section()
