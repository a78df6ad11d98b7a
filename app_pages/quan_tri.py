"""The /quan-tri page (admins): accounts and their units, the phase targets with their source, who may view."""

from __future__ import annotations

import shutil

import pandas as pd
import streamlit as st

from app_pages import session, tables
from app_pages.layout import header, md
from ground import auth, fmt
from ground.auth import ROLE_NAMES, ROLES, User
from ground.catalogue import Catalogue, load_catalogue
from loaders.text import CellError
from loaders.text import number as read_number
from store import Store
from store.accounts import AccountError
from views.history_tables import login_alerts_frame

TEXT = {
    "title": "Quản trị",
    "need_login": "Hãy đăng nhập bằng tài khoản quản trị viên.",
    "not_admin": "Trang này dành cho quản trị viên. Tài khoản **{name}** ({role}) không mở được trang này.",
    "tab_users": "Tài khoản",
    "tab_targets": "Chỉ tiêu giai đoạn",
    "tab_settings": "Cài đặt",
    "alerts": "Đăng nhập sai: tạm khóa và dồn dập",
    "alerts_caption": (
        "Mỗi lần một tài khoản bị tạm khóa, hoặc một địa chỉ (hay toàn hệ thống) nhập sai dồn dập, được ghi ở đây "
        "và trong nhật ký. Địa chỉ nhập sai phải chờ lâu dần trước mỗi lần thử; chủ tài khoản đăng nhập từ máy "
        "khác vẫn vào được. Nhiều dòng liên tiếp là dấu hiệu có người dò mật khẩu."
    ),
    "alerts_none": "Chưa có lần tạm khóa hay nhập sai dồn dập nào.",
    "disk_low": (
        "Ổ đĩa chứa cơ sở dữ liệu ({folder}) chỉ còn trống {free}. Khi ổ đầy, mọi lần tải lên bị từ chối (không mất "
        "số liệu cũ). Hãy xóa bớt tệp không cần (bản sao lưu cũ chép sang nơi khác) hoặc mở rộng ổ đĩa."
    ),
    "users_columns": ["Tên đăng nhập", "Vai trò", "Đơn vị", "Đăng nhập gần nhất", "Tạm khóa đến"],
    "add": "Thêm tài khoản",
    "name": "Tên đăng nhập",
    "role": "Vai trò",
    "units": "Đơn vị (cán bộ nhập liệu)",
    "units_help": "Cán bộ nhập liệu chỉ tải lên và khôi phục báo cáo của các đơn vị này.",
    "pick_units": "Chọn đơn vị…",
    "password": "Mật khẩu",
    "password_again": "Nhập lại mật khẩu",
    "mismatch": "Hai lần nhập mật khẩu không khớp nhau.",
    "units_for_staff": "Chỉ cán bộ nhập liệu mới được giao đơn vị; hãy bỏ chọn đơn vị hoặc đổi vai trò.",
    "staff_needs_unit": "Cán bộ nhập liệu cần ít nhất một đơn vị.",
    "added": "Đã tạo tài khoản {name}.",
    "edit": "Sửa tài khoản",
    "pick_user": "Chọn tài khoản",
    "save": "Lưu vai trò và đơn vị",
    "saved": "Đã lưu tài khoản {name}.",
    "reset": "Đặt lại mật khẩu",
    "new_password": "Mật khẩu mới",
    "reset_done": "Đã đặt mật khẩu mới cho {name}; các phiên đăng nhập cũ của tài khoản này đã kết thúc.",
    "remove": "Xóa tài khoản",
    "remove_sure": "Tôi chắc chắn muốn xóa tài khoản này",
    "remove_need_sure": "Hãy đánh dấu ô xác nhận trước khi xóa.",
    "removed": "Đã xóa tài khoản {name}.",
    "targets_intro": (
        "Chỉ tiêu mặc định lấy từ tệp danh mục (catalogue.toml). Chỉ tiêu quản trị viên điều chỉnh ở đây được "
        "dùng thay cho mặc định trên mọi trang và trong báo cáo; mỗi lần điều chỉnh được ghi vào nhật ký."
    ),
    "targets_columns": ["Chỉ tiêu", "Giai đoạn", "Mục tiêu", "Nguồn", "Điều chỉnh"],
    "from_catalogue": "Danh mục",
    "by_admin": "{who}, {at}",
    "indicator": "Chỉ tiêu",
    "phase": "Giai đoạn",
    "value": "Mục tiêu ({unit})",
    "value_help": "Viết số kiểu Việt Nam: 1.250 hoặc 12,5.",
    "source": "Nguồn (văn bản giao chỉ tiêu)",
    "current": "Đang dùng: {value} – nguồn: {source}",
    "none_yet": "Giai đoạn này chưa có mục tiêu.",
    "set": "Lưu chỉ tiêu",
    "set_done": "Đã lưu chỉ tiêu {name}, {phase}: {value}.",
    "clear": "Trả về chỉ tiêu của danh mục",
    "cleared": "Đã trả {name}, {phase} về chỉ tiêu của danh mục.",
    "bad_number": "Mục tiêu: {why}.",
    "require_login": "Yêu cầu đăng nhập để xem bảng điều khiển",
    "require_login_help": "Khi bật, khách chưa đăng nhập chỉ thấy trang đăng nhập; khi tắt, ai cũng xem được số liệu.",
    "save_settings": "Lưu cài đặt",
    "settings_saved": "Đã lưu cài đặt.",
}


def _flash(message: str) -> None:
    st.session_state["quan_tri_thong_bao"] = message
    st.rerun()


def _users_table(store: Store, catalogue: Catalogue) -> None:
    users = store.users()
    names = {u.code: u.name for u in catalogue.units}
    pairs = zip(users["units"], users["role"], strict=True)
    frame = pd.DataFrame(
        {
            "Tên đăng nhập": users["name"],
            "Vai trò": users["role"].map(ROLE_NAMES),
            "Đơn vị": [auth.unit_names(u, names) if r == "staff" else "" for u, r in pairs],
            "Đăng nhập gần nhất": users["last_login"].map(fmt.datetime),
            "Tạm khóa đến": users["locked_until"].map(
                lambda t: fmt.datetime(t) if t is not None and t == t and t > store.clock() else ""
            ),
        },
        columns=TEXT["users_columns"],
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    tables.html_copy(frame)


LOW_DISK = 200 * 1024 * 1024  # below this, uploads of the large logs may fail for want of room


def _disk_warning(store: Store) -> None:
    """Tell the admins before a full disk refuses the uploads (the uploads' own message names it too)."""
    try:
        free = shutil.disk_usage(store.path.parent).free
    except OSError:
        return
    if free < LOW_DISK:
        text = TEXT["disk_low"].format(folder=store.path.parent, free=f"{fmt.number(free / 1024 / 1024, 0)} MB")
        st.error(md(text), icon=":material/storage:")


def _login_alerts(store: Store, catalogue: Catalogue) -> None:
    st.subheader(TEXT["alerts"], anchor=False)
    st.caption(TEXT["alerts_caption"])
    frame = login_alerts_frame(store.login_alerts(), catalogue)
    if frame.empty:
        st.caption(TEXT["alerts_none"])
        return
    st.dataframe(frame, hide_index=True, width="stretch", key="login_alerts")


def _account_problem(catalogue: Catalogue, role: str, units: list[str]) -> str | None:
    problem = auth.role_problem(role, units, [u.code for u in catalogue.units])
    if problem:
        return problem
    if role != "staff" and units:
        return TEXT["units_for_staff"]
    if role == "staff" and not units:
        return TEXT["staff_needs_unit"]
    return None


def _add_user(store: Store, catalogue: Catalogue, admin: User) -> None:
    units = {u.code: u.name for u in catalogue.units}
    with st.form("them_tai_khoan", clear_on_submit=False):
        st.markdown(f"**{TEXT['add']}**")
        name = st.text_input(TEXT["name"], key="qt_ten", max_chars=32)
        role = st.selectbox(TEXT["role"], ROLES, index=1, format_func=ROLE_NAMES.get, key="qt_vai_tro")
        chosen = st.multiselect(TEXT["units"], list(units), format_func=units.get, key="qt_don_vi",
                                help=TEXT["units_help"], placeholder=TEXT["pick_units"])  # fmt: skip
        password = st.text_input(TEXT["password"], type="password", key="qt_mk", autocomplete="new-password")
        again = st.text_input(TEXT["password_again"], type="password", key="qt_mk2", autocomplete="new-password")
        submitted = st.form_submit_button(TEXT["add"], type="primary")
    if not submitted:
        return
    problem = (
        auth.name_problem(name)
        or _account_problem(catalogue, role, chosen)
        or auth.password_problem(password)
        or (TEXT["mismatch"] if password != again else None)
    )
    if problem:
        st.error(md(problem))
        return
    login_name = auth.normal_name(name)
    try:
        store.add_user(login_name, role, chosen, auth.hash_password(password), who=admin.name)
    except AccountError as exc:
        st.error(md(str(exc)))
        return
    for k in ("qt_ten", "qt_mk", "qt_mk2", "qt_don_vi"):
        st.session_state.pop(k, None)
    _flash(TEXT["added"].format(name=login_name))


def _edit_user(store: Store, catalogue: Catalogue, admin: User) -> None:
    users = store.users()
    if users.empty:
        return
    units = {u.code: u.name for u in catalogue.units}
    st.markdown(f"**{TEXT['edit']}**")
    name = st.selectbox(TEXT["pick_user"], list(users["name"]), key="qt_sua_ten")
    current = store.user(name)
    if current is None:
        return
    with st.form(f"sua_{name}"):
        role = st.selectbox(TEXT["role"], ROLES, index=ROLES.index(current.role), format_func=ROLE_NAMES.get)
        known = [u for u in current.units if u in units]
        chosen = st.multiselect(TEXT["units"], list(units), default=known, format_func=units.get,
                                help=TEXT["units_help"], placeholder=TEXT["pick_units"])  # fmt: skip
        if st.form_submit_button(TEXT["save"]):
            problem = _account_problem(catalogue, role, chosen)
            if problem:
                st.error(md(problem))
            else:
                try:
                    store.update_user(name, role=role, units=chosen, who=admin.name)
                except AccountError as exc:
                    st.error(md(str(exc)))
                else:
                    _flash(TEXT["saved"].format(name=name))
    with st.form(f"mat_khau_{name}", clear_on_submit=True):
        password = st.text_input(TEXT["new_password"], type="password", autocomplete="new-password")
        again = st.text_input(TEXT["password_again"], type="password", autocomplete="new-password")
        if st.form_submit_button(TEXT["reset"]):
            problem = auth.password_problem(password) or (TEXT["mismatch"] if password != again else None)
            if problem:
                st.error(md(problem))
            else:
                store.set_password(name, auth.hash_password(password), who=admin.name)
                _flash(TEXT["reset_done"].format(name=name))
    with st.form(f"xoa_{name}"):
        sure = st.checkbox(TEXT["remove_sure"])
        if st.form_submit_button(TEXT["remove"]):
            if not sure:
                st.error(TEXT["remove_need_sure"])
            else:
                try:
                    store.remove_user(name, who=admin.name)
                except AccountError as exc:
                    st.error(md(str(exc)))
                else:
                    st.session_state.pop("qt_sua_ten", None)
                    _flash(TEXT["removed"].format(name=name))


def targets_frame(catalogue: Catalogue, effective: Catalogue, overrides: pd.DataFrame) -> pd.DataFrame:
    """Every phase target in force, with its source and who changed it (empty for the catalogue's own)."""
    changed = {(r.indicator, r.phase): r for r in overrides.itertuples(index=False)}
    phases = {p.code: p.name for p in catalogue.phases}
    out = []
    for ind in effective.indicators:
        for t in ind.targets:
            o = changed.get((ind.code, t.phase))
            by = TEXT["by_admin"].format(who=o.set_by, at=fmt.datetime(o.set_at)) if o else TEXT["from_catalogue"]
            out.append([ind.short, phases.get(t.phase, t.phase), fmt.quantity(t.value, ind.unit), t.source, by])
    return pd.DataFrame(out, columns=TEXT["targets_columns"])


def _targets(store: Store, catalogue: Catalogue, admin: User) -> None:
    st.caption(TEXT["targets_intro"])
    overrides = store.target_overrides(catalogue.commune.code)
    effective = store.effective_catalogue(catalogue)
    targets = targets_frame(catalogue, effective, overrides)
    st.dataframe(targets, hide_index=True, width="stretch")
    tables.html_copy(targets)
    indicators = [i for i in catalogue.indicators if i.direction != "none"]
    code = st.selectbox(
        TEXT["indicator"], [i.code for i in indicators], format_func=lambda c: catalogue.indicator(c).name,
        key="qt_chi_tieu",
    )  # fmt: skip
    phases = {p.code: p.name for p in catalogue.phases}
    phase = st.selectbox(TEXT["phase"], list(phases), format_func=phases.get, key="qt_giai_doan")
    ind, now = catalogue.indicator(code), effective.indicator(code).target(phase)
    if now:
        st.caption(md(TEXT["current"].format(value=fmt.quantity(now.value, ind.unit), source=now.source)))
    else:
        st.caption(TEXT["none_yet"])
    with st.form(f"chi_tieu_{code}_{phase}"):
        text = st.text_input(TEXT["value"].format(unit=ind.unit), value=fmt.number(now.value) if now else "",
                             help=TEXT["value_help"])  # fmt: skip
        source = st.text_input(TEXT["source"], max_chars=300)
        submitted = st.form_submit_button(TEXT["set"], type="primary")
    if submitted:
        try:
            value = read_number(text)
        except CellError as exc:
            st.error(TEXT["bad_number"].format(why=md(str(exc))))
            return
        try:
            store.set_target(catalogue, code, phase, value if value is not None else float("nan"), source,
                             who=admin.name)  # fmt: skip
        except ValueError as exc:
            st.error(md(str(exc)))
            return
        _flash(TEXT["set_done"].format(name=ind.short, phase=phases[phase], value=fmt.quantity(value, ind.unit)))
    if ((overrides["indicator"] == code) & (overrides["phase"] == phase)).any() and st.button(TEXT["clear"]):
        store.clear_target(catalogue, code, phase, who=admin.name)
        _flash(TEXT["cleared"].format(name=ind.short, phase=phases[phase]))


def _settings(store: Store, admin: User) -> None:
    required = store.login_required()
    with st.form("cai_dat"):
        value = st.toggle(TEXT["require_login"], value=required, help=TEXT["require_login_help"])
        if st.form_submit_button(TEXT["save_settings"]) and value != required:
            store.set_login_required(value, who=admin.name)
            _flash(TEXT["settings_saved"])


def render() -> None:
    header(TEXT["title"])
    store = session.app_store()
    user = session.signed_in(store, TEXT["need_login"], key="dang_nhap_quan_tri")
    if user is None:
        return
    if not user.is_admin:
        st.warning(TEXT["not_admin"].format(name=md(user.name), role=user.role_name))
        return
    notice = st.session_state.pop("quan_tri_thong_bao", None)
    if notice:
        st.success(md(notice))
    _disk_warning(store)
    catalogue = load_catalogue()
    users, targets, settings = st.tabs([TEXT["tab_users"], TEXT["tab_targets"], TEXT["tab_settings"]])
    with users:
        _users_table(store, catalogue)
        _add_user(store, catalogue, user)
        _edit_user(store, catalogue, user)
        _login_alerts(store, catalogue)
    with targets:
        _targets(store, catalogue, user)
    with settings:
        _settings(store, user)


if __name__ == "__main__":
    session.guarded(render)
