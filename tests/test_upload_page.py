"""The upload, history and admin pages through Streamlit's AppTest: login, preview, confirm, rights, sessions."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import session
from ground import auth
from intake import templates
from intake.importer import import_file
from store import Store
from tests.test_importer import ROWS, tree_book
from tests.workbooks import report_sheet, xlsx

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PASSWORDS = {"quantri": "mat-khau-qt", "lan": "mat-khau-lan", "hoa": "mat-khau-hoa", "binh": "mat-khau-binh"}


pytestmark = pytest.mark.usefixtures("fast_hashes")  # conftest: a cheap argon2id


@pytest.fixture
def store(db_path: Path, monkeypatch) -> Store:
    return staffed_store(db_path, monkeypatch)


def staffed_store(db_path: Path, monkeypatch) -> Store:
    """The app's database with an admin, two staff of two units and a viewer (PASSWORDS)."""
    monkeypatch.setenv("XANH_DB", str(db_path))
    s = Store(db_path, commune="an-phu")
    s.add_user("quantri", "admin", [], auth.hash_password(PASSWORDS["quantri"]), who="cli")
    s.add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password(PASSWORDS["lan"]), who="cli")
    s.add_user("hoa", "staff", ["ttpvhcc"], auth.hash_password(PASSWORDS["hoa"]), who="cli")
    s.add_user("binh", "viewer", [], auth.hash_password(PASSWORDS["binh"]), who="cli")
    return s


def open_page(page: str, user: str | None = None, store: Store | None = None) -> AppTest:
    """The real router on one of the account pages, signed in as `user` (a session as the login form starts it)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if user is not None:
        at.session_state[session.STATE] = {"name": user, "login_at": session.clock(), "generation": 0}
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    """The text people read: markdown escapes (layout.md) removed."""
    return re.sub(r"\\(.)", r"\1", "\n".join(str(e.value) for e in elements))


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, XLSX) for name, data in files]).run()
    assert not at.exception, at.exception
    return at


def village_totals(store: Store) -> dict[str, float]:
    frame = store.village_monthly()
    return dict(zip(frame["village"], frame["value"], strict=True))


# ---------------------------------------------------------------- login and sessions


def test_a_visitor_gets_the_login_form_with_its_exact_labels_and_no_uploader(store):
    at = open_page("tai_len")
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert [b.label for b in at.get("form_submit_button")] == ["Đăng nhập"]
    assert not at.file_uploader
    at.text_input[0].input("lan")
    at.text_input[1].input(PASSWORDS["lan"])
    at.get("form_submit_button")[0].click().run()
    assert not at.exception and len(at.file_uploader) == 1
    assert at.session_state[session.STATE]["name"] == "lan"
    assert "lan" in texts(at.sidebar.caption)


def test_wrong_passwords_keep_the_name_and_then_make_the_form_wait(store, monkeypatch):
    frozen = datetime(2026, 11, 5, 9, 0)
    monkeypatch.setattr("store.base.now_vietnam", lambda: frozen)  # every store the page opens: no clock runs
    at = open_page("tai_len")
    for _ in range(auth.CLIENT_FREE):
        at.text_input[0].input("lan")
        at.text_input[1].input("doan-sai-mat-khau")
        at.get("form_submit_button")[0].click().run()
        assert auth.WRONG_LOGIN in texts(at.error)
        assert at.text_input[0].value == "lan" and at.text_input[1].value == ""  # the name stays, the password goes
    at.text_input[1].input(PASSWORDS["lan"])
    at.get("form_submit_button")[0].click().run()
    assert "thử lại sau 2 giây" in texts(at.error) and not at.file_uploader  # told how long, never slept
    unknown = open_page("tai_len")  # the same address trying an invented name is answered alike
    unknown.text_input[0].input("khong-co-ai")
    unknown.text_input[1].input("doan-sai-mat-khau")
    unknown.get("form_submit_button")[0].click().run()
    assert "thử lại sau 2 giây" in texts(unknown.error)


def test_a_session_ends_after_eight_hours(store, monkeypatch):
    at = open_page("tai_len", "lan")
    assert at.file_uploader
    later = session.clock() + auth.SESSION_FOR + timedelta(seconds=1)
    monkeypatch.setattr(session, "clock", lambda: later)
    at.run()
    assert not at.file_uploader and "quá 8 giờ" in texts(at.info)
    assert session.STATE not in at.session_state


def test_a_removed_account_is_logged_out_at_its_next_page_load(store):
    at = open_page("tai_len", "lan")
    assert at.file_uploader
    store.remove_user("lan", who="quantri")
    at.run()
    assert not at.file_uploader and "không còn tồn tại" in texts(at.info)


def test_a_password_reset_ends_the_older_session(store):
    at = open_page("tai_len", "lan")
    store.set_password("lan", auth.hash_password("mat-khau-moi-1"), who="quantri")
    at.run()
    assert not at.file_uploader and "vừa được đổi" in texts(at.info)


def test_an_admin_can_require_login_to_view_the_dashboards(store):
    at = open_page("quan_tri", "quantri")
    at.toggle[0].set_value(True)
    [save] = [b for b in at.get("form_submit_button") if b.label == "Lưu cài đặt"]
    save.click().run()
    assert store.login_required() and store.audit().iloc[0]["action"] == "setting"
    visitor = AppTest.from_file(APP, default_timeout=60).run()
    assert [t.label for t in visitor.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert "chỉ dành cho tài khoản đã đăng nhập" in texts(visitor.info)
    visitor.text_input[0].input("binh")
    visitor.text_input[1].input(PASSWORDS["binh"])
    visitor.get("form_submit_button")[0].click().run()
    assert not visitor.exception and not visitor.text_input  # the overview, no login form


def test_the_menu_shows_each_account_page_only_to_whom_it_serves():
    assert session.visible_paths(None) == {"dang-nhap"}
    assert session.visible_paths(auth.User("binh", "viewer")) == {"lich-su"}
    assert session.visible_paths(auth.User("lan", "staff", ("thon",))) == {"lich-su", "tai-len"}
    assert session.visible_paths(auth.User("an", "admin")) == {"lich-su", "tai-len", "quan-tri"}


# ---------------------------------------------------------------- the upload flow


def test_upload_preview_confirm_then_unchanged_then_replaced(store, catalogue):
    at = open_page("tai_len", "lan")
    book = tree_book(ROWS)  # built once: openpyxl stamps the time, and the same file means the same bytes
    upload(at, ("BC trong cay T10.xlsx", book))
    shown = texts(at.markdown)
    assert "Báo cáo trồng cây xanh" in shown and "Phòng Kinh tế" in shown and "T10/2026" in shown
    rows = at.dataframe[0].value
    assert rows["Số liệu"].sum() == sum(map(sum, ROWS.values()))
    assert set(rows["Thôn / lĩnh vực / đơn vị"]) == {"Thôn An Lạc", "Thôn Đông Hà", "Thôn Lai Vu"}
    assert "Sẽ nhập mới" in texts(at.success)
    assert store.uploads().empty  # nothing is written before the confirm button
    confirm = at.button(key="confirm_import")
    assert not confirm.disabled and confirm.label == "Xác nhận nhập số liệu"
    confirm.click().run()
    assert not at.exception
    assert "đã nhập 1" in texts(at.success)
    [link] = at.get("page_link")
    assert link.proto.query_string == "ma=cay_xanh_trong_moi" and link.proto.page_script_hash
    assert catalogue.indicator("cay_xanh_trong_moi").name in link.value
    assert village_totals(store) == {"an-lac": 35, "dong-ha": 4, "lai-vu": 7}
    assert store.uploads().iloc[0]["uploaded_by"] == "lan"
    assert not at.file_uploader[0].value  # emptied: the same files cannot be confirmed twice by accident

    upload(at, ("BC trong cay T10.xlsx", book))
    assert "Không đổi" in texts(at.info) and "đã nhập 1" not in texts(at.success)
    at.button(key="confirm_import").click().run()
    assert "không đổi 1" in texts(at.success) and len(store.uploads()) == 1

    corrected = {**ROWS, "Thôn An Lạc": [10, 25, 0, 5]}
    upload(at, ("BC trong cay T10 (sua).xlsx", tree_book(corrected)))
    assert "Sẽ thay thế bản đang dùng" in texts(at.warning)
    changes = at.dataframe[0].value
    assert changes.to_dict("records") == [
        {
            "Chỉ tiêu": catalogue.indicator("cay_xanh_trong_moi").short,
            "Tháng": "T10/2026",
            "Thôn / lĩnh vực / đơn vị": "Thôn An Lạc – Trường học",
            "Số cũ": "20 cây",
            "Số mới": "25 cây",
        }
    ]
    at.button(key="confirm_import").click().run()
    assert "thay thế bản cũ 1" in texts(at.success)
    assert village_totals(store)["an-lac"] == 40
    assert list(store.uploads()["status"]) == ["current", "superseded"]


def test_errors_are_placed_and_block_the_confirm_button(store):
    at = open_page("tai_len", "lan")
    upload(at, ("dung.xlsx", tree_book(ROWS)), ("sai.xlsx", tree_book({**ROWS, "Thôn Hà Nội": [1, 0, 0, 0]})))
    errors = texts(at.error)
    assert "dòng 14, cột B" in errors and "Hà Nội" in errors
    assert at.button(key="confirm_import").disabled
    assert store.uploads().empty


def test_a_sheet_without_its_month_gets_a_month_picker(store):
    at = open_page("tai_len", "lan")
    upload(at, ("bao cao.xlsx", tree_book(ROWS, period=None)))
    assert at.button(key="confirm_import").disabled
    [picker] = at.selectbox
    assert picker.label == "Tháng báo cáo" and "T10/2026" in picker.options
    picker.select("2026-10").run()
    assert not at.error and not at.button(key="confirm_import").disabled
    at.button(key="confirm_import").click().run()
    assert list(store.uploads()["periods"].iloc[0]) == ["2026-10"]


def test_a_table_of_several_units_gets_a_unit_picker_of_the_staff_units(store):
    store.add_user("mai", "staff", ["phong-vhxh", "ttdvsnc"], auth.hash_password("mat-khau-mai"), who="cli")
    header = [["STT", "Thôn", "Số hội nghị, buổi tuyên truyền", "Số tin, bài, phóng sự"]]
    spec = report_sheet(header, [[1, "Thôn An Lạc", 2, 3], [2, "Đông Hà", 1, 0]], unit="", title="BÁO CÁO")
    at = open_page("tai_len", "mai")
    upload(at, ("tuyen truyen.xlsx", xlsx({"T10": spec})))
    assert "chọn đơn vị khi tải lên" in texts(at.error) and at.button(key="confirm_import").disabled
    [picker] = at.selectbox
    assert picker.label == "Đơn vị báo cáo" and picker.options == [
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Dịch vụ sự nghiệp công",
    ]
    picker.select("phong-vhxh").run()
    assert not at.error
    at.button(key="confirm_import").click().run()
    assert list(store.uploads()["unit"]) == ["phong-vhxh"]


def test_staff_of_another_unit_is_refused_in_the_page(store):
    at = open_page("tai_len", "hoa")
    upload(at, ("BC trong cay T10.xlsx", tree_book(ROWS)))
    assert "chỉ được tải lên và khôi phục báo cáo của: Trung tâm Phục vụ hành chính công" in texts(at.error)
    assert at.button(key="confirm_import").disabled
    assert store.uploads().empty


def test_a_viewer_cannot_reach_upload(store):
    at = open_page("tai_len", "binh")
    assert not at.file_uploader and "xem số liệu" in texts(at.warning)


def test_every_blank_template_is_offered(store, catalogue):
    at = open_page("tai_len", "lan")
    labels = [b.label for b in at.get("download_button")]
    assert labels == [label for _, _, _, label in templates.template_names(catalogue)]


# ---------------------------------------------------------------- history and restore


def test_history_lists_every_upload_and_restore_is_confirmed_audited_and_rights_checked(store, catalogue):
    first = import_file(store, catalogue, tree_book(ROWS), "v1.xlsx", actor=store.user("lan"))
    import_file(store, catalogue, tree_book({**ROWS, "LAI VU": [0, 0, 0, 9]}), "v2.xlsx", actor=store.user("lan"))
    at = open_page("lich_su", "hoa")
    history = at.dataframe[0].value
    assert list(history["Tệp"]) == ["v2.xlsx", "v1.xlsx"]
    assert list(history["Trạng thái"]) == ["Đang dùng", "Đã được thay thế"]
    assert set(history["Người tải lên"]) == {"lan"} and set(history["Tháng"]) == {"T10/2026"}
    at.selectbox(key="lich_su_chon").select(first.upload_id).run()
    assert not [b for b in at.button if b.label == "Khôi phục phiên bản này"]  # hoa is not of Phòng Kinh tế
    assert "Phòng Kinh tế" in texts(at.caption)

    at = open_page("lich_su", "lan")
    at.selectbox(key="lich_su_chon").select(first.upload_id).run()
    [restore] = [b for b in at.button if b.label == "Khôi phục phiên bản này"]
    restore.click().run()
    assert village_totals(store)["lai-vu"] == 9  # asked to confirm first: nothing changed yet
    at.button(key="confirm_restore").click().run()
    assert not at.exception and "Đã khôi phục lần nhập #" in texts(at.success)
    assert village_totals(store)["lai-vu"] == 7
    audit = at.dataframe[1].value
    assert audit.iloc[0]["Thao tác"] == "Khôi phục phiên bản cũ" and audit.iloc[0]["Người thực hiện"] == "lan"


# ---------------------------------------------------------------- administration


def test_only_admins_open_the_admin_page(store):
    at = open_page("quan_tri", "lan")
    assert "dành cho quản trị viên" in texts(at.warning) and not at.tabs


def test_the_admin_page_lists_locks_and_bursts_of_failed_logins(store):
    for _ in range(auth.MAX_FAILURES):  # one address, at one instant, trying "quantri": a burst, then a lock
        store.clock = lambda: datetime(2026, 11, 5, 9, 0)
        auth.login(store, "quantri", "doan-sai", client="203.0.113.9")
    for i in range(auth.MAX_FAILURES):
        auth.login(store, "quantri", "doan-sai", client=f"198.51.100.{i}")  # five addresses: locks it
    at = open_page("quan_tri", "quantri")
    [alerts] = [d for d in at.dataframe if "Sự việc" in d.value.columns]
    shown = alerts.value
    assert set(shown["Sự việc"]) == {"Tạm khóa đăng nhập", "Đăng nhập sai dồn dập"}
    assert "địa chỉ 203.0.113.9" in set(shown["Tài khoản / địa chỉ"])
    assert "tài khoản quantri" in set(shown["Tài khoản / địa chỉ"])


def test_an_admin_adds_a_staff_member_and_sets_a_target_with_its_source(store, catalogue):
    at = open_page("quan_tri", "quantri")
    at.text_input(key="qt_ten").input("Mai.TTPV")
    at.selectbox(key="qt_vai_tro").select("staff")
    at.multiselect(key="qt_don_vi").select("ttpvhcc")
    at.text_input(key="qt_mk").input("mat-khau-mai")
    at.text_input(key="qt_mk2").input("mat-khau-mai")
    [add] = [b for b in at.get("form_submit_button") if b.label == "Thêm tài khoản"]
    add.click().run()
    assert not at.exception and "Đã tạo tài khoản mai.ttpv" in texts(at.success)
    assert store.user("mai.ttpv") == auth.User("mai.ttpv", "staff", ("ttpvhcc",), 0)
    assert auth.login(store, "mai.ttpv", "mat-khau-mai").ok

    at.selectbox(key="qt_chi_tieu").select("tthc_truc_tuyen").run()
    [value, source] = [t for t in at.text_input if t.label.startswith(("Mục tiêu", "Nguồn"))]
    value.input("85,5")
    source.input("Nghị quyết HĐND xã số 12/NQ-HĐND")
    [save] = [b for b in at.get("form_submit_button") if b.label == "Lưu chỉ tiêu"]
    save.click().run()
    assert not at.exception and not at.error
    target = store.effective_catalogue(catalogue).indicator("tthc_truc_tuyen").target("2026-2027")
    assert (target.value, target.source) == (85.5, "Nghị quyết HĐND xã số 12/NQ-HĐND")
    line = store.audit().iloc[0]
    assert line["action"] == "target_set" and line["who"] == "quantri"
    assert json.loads(line["detail"])["value"] == 85.5


def test_every_audit_line_reads_as_vietnamese(store, catalogue):
    from views.history_tables import audit_frame

    first = import_file(store, catalogue, tree_book(ROWS), "v1.xlsx", actor=store.user("lan"))
    import_file(store, catalogue, tree_book({**ROWS, "LAI VU": [0, 0, 0, 9]}), "v2.xlsx", actor=store.user("lan"))
    import_file(store, catalogue, b"not a workbook", "rac.xlsx", actor=store.user("lan"))
    store.restore(first.upload_id, "lan")
    store.update_user("lan", role="staff", units=["phong-kinh-te", "thon"], who="quantri")
    store.set_password("hoa", auth.hash_password("mat-khau-moi-1"), who="quantri")
    store.set_target(catalogue, "tthc_truc_tuyen", "2026-2027", 90, "NQ số 12", who="quantri")
    store.clear_target(catalogue, "tthc_truc_tuyen", "2026-2027", who="quantri")
    store.set_login_required(True, who="quantri")
    for i in range(auth.MAX_FAILURES):
        auth.login(store, "binh", "sai-mat-khau", client=f"10.0.0.{i}")  # five addresses: none is throttled
    store.remove_user("binh", who="quantri")
    sid = store.freeze("Họp giao ban tháng 11", None, "quantri", catalogue=catalogue)
    frame = audit_frame(store.audit(), catalogue)
    actions = set(store.audit()["action"])
    assert actions >= {"import", "replace", "restore", "reject", "user_add", "user_update", "user_password",
                       "user_remove", "login_locked", "target_set", "target_clear", "setting",
                       "snapshot_create"}  # fmt: skip
    assert not set(frame["Thao tác"]) & actions  # every action has its Vietnamese name
    by_action = dict(zip(store.audit()["action"], frame["Chi tiết"], strict=True))
    assert by_action["restore"] == f"thay thế lần nhập #{first.upload_id + 1}"
    assert by_action["user_update"] == "vai trò: Cán bộ nhập liệu; đơn vị: Phòng Kinh tế, Các thôn"
    assert by_action["target_set"].endswith("→ 90% (nguồn: NQ số 12)")
    assert by_action["setting"] == "bật" and "khóa đến" in by_action["login_locked"]
    assert "không" in by_action["reject"].lower() and "mat-khau" not in frame.to_string()
    frozen = frame[store.audit()["action"].eq("snapshot_create").to_numpy()].iloc[0]
    assert frozen["Tệp / đối tượng"] == f"bản chốt #{sid} “Họp giao ban tháng 11”"
    assert frozen["Chi tiết"].startswith("số liệu đến ngày ") and frozen["Chi tiết"].endswith(" dòng")
