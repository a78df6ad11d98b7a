"""Accounts in the database, rights enforced where figures are written, admins' targets, and the `user` commands."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest

import cli
from ground import auth
from ground.auth import RightsError, User
from intake import importer
from intake.importer import import_file, restore_version
from store import Store
from store.accounts import AccountError
from tests.test_importer import ROWS, tree_book, tthc_book

FIGURE_TABLES = ("files", "uploads", "observations", "register_items", "current_reports")
TTHC = {"Hộ tịch": (40, 30), "Đất đai": (10, 2)}


pytestmark = pytest.mark.usefixtures("fast_hashes")  # conftest: a cheap argon2id


@pytest.fixture
def store(db_path: Path) -> Store:
    s = Store(db_path, commune="an-phu")
    s.add_user("quantri", "admin", [], auth.hash_password("mat-khau-qt"), who="cli")
    s.add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password("mat-khau-lan"), who="cli")
    s.add_user("hoa", "staff", ["ttpvhcc"], auth.hash_password("mat-khau-hoa"), who="cli")
    s.add_user("binh", "viewer", [], auth.hash_password("mat-khau-binh"), who="cli")
    return s


def figures(path: Path) -> dict[str, list]:
    with duckdb.connect(str(path)) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in FIGURE_TABLES}


# ---------------------------------------------------------------- accounts


def test_accounts_keep_role_units_and_only_a_hash(store, db_path):
    assert store.user("lan") == User("lan", "staff", ("phong-kinh-te",), 0)
    assert store.user("khong-co") is None
    frame = store.users()
    assert list(frame["name"]) == ["binh", "hoa", "lan", "quantri"]
    assert "password_hash" not in frame.columns
    store.update_user("lan", role="staff", units=["phong-kinh-te", "van-phong"], who="quantri")
    assert store.user("lan").units == ("phong-kinh-te", "van-phong")
    store.update_user("lan", role="viewer", units=[], who="quantri")
    assert store.user("lan") == User("lan", "viewer", (), 0)
    with pytest.raises(AccountError, match="đã có"):
        store.add_user("lan", "staff", [], "x", who="cli")
    audit = store.audit()
    assert {"user_add", "user_update"} <= set(audit["action"])
    assert set(audit.loc[audit["action"] == "user_update", "action_vi"]) == {"Sửa vai trò, đơn vị"}
    with duckdb.connect(str(db_path)) as con:
        con.execute("CHECKPOINT")
    raw = db_path.read_bytes()
    assert b"mat-khau-lan" not in raw and "mat-khau-lan" not in audit["detail"].str.cat()


def test_the_last_admin_stays_an_admin(store):
    with pytest.raises(AccountError, match="quản trị viên duy nhất"):
        store.remove_user("quantri", who="quantri")
    with pytest.raises(AccountError, match="quản trị viên duy nhất"):
        store.update_user("quantri", role="staff", units=["ttpvhcc"], who="quantri")
    store.add_user("an", "admin", [], auth.hash_password("mat-khau-an"), who="quantri")
    store.remove_user("quantri", who="an")
    assert store.user("quantri") is None and store.has_admin()


def test_login_required_is_an_audited_setting_off_by_default(store):
    assert store.login_required() is False
    store.set_login_required(True, who="quantri")
    store.set_login_required(True, who="quantri")  # no change, no second line
    assert Store(store.path).login_required() is True
    assert list(store.audit()["action"]).count("setting") == 1


# ---------------------------------------------------------------- rights where figures are written


def test_staff_of_another_unit_is_refused_at_the_write_api_and_nothing_changes(store, catalogue, db_path):
    import_file(store, catalogue, tthc_book(TTHC), "tthc.xlsx", actor=store.user("hoa"))
    before = figures(db_path)
    lan = store.user("lan")
    for dry_run in (True, False):
        out = import_file(store, catalogue, tthc_book({"Hộ tịch": (50, 50)}), "tthc.xlsx", actor=lan, dry_run=dry_run)
        assert out.status == "rejected"
        [err] = out.errors
        assert "Trung tâm Phục vụ hành chính công" in err.message and "Phòng Kinh tế" in err.message
    assert figures(db_path) == before
    last = store.audit().iloc[0]
    assert (last["action"], last["who"]) == ("reject", "lan")


def test_staff_of_the_unit_imports_under_their_own_name(store, catalogue):
    out = import_file(store, catalogue, tree_book(ROWS), "trong cay.xlsx", user="ignored", actor=store.user("lan"))
    assert out.status == "imported", [e.message for e in out.errors]
    assert store.uploads().iloc[0]["uploaded_by"] == "lan"


def test_viewer_removed_and_demoted_accounts_cannot_write(store, catalogue, db_path):
    viewer = store.user("binh")
    out = import_file(store, catalogue, tree_book(ROWS), "a.xlsx", actor=viewer)
    assert out.status == "rejected" and "chỉ được xem" in out.errors[0].message
    lan = store.user("lan")  # the session's copy, taken at login
    store.update_user("lan", role="viewer", units=[], who="quantri")
    assert import_file(store, catalogue, tree_book(ROWS), "a.xlsx", actor=lan).status == "rejected"
    store.remove_user("lan", who="quantri")
    out = import_file(store, catalogue, tree_book(ROWS), "a.xlsx", actor=lan)
    assert out.status == "rejected" and "không còn tồn tại" in out.errors[0].message
    assert figures(db_path)["uploads"] == []


def test_an_explicit_unit_outside_the_staff_units_is_refused(store, catalogue):
    out = import_file(store, catalogue, tree_book(ROWS), "a.xlsx", unit="ttpvhcc", actor=store.user("lan"))
    assert out.status == "rejected" and any("Trung tâm Phục vụ" in p.message for p in out.errors)


def test_staff_cannot_file_a_report_that_names_its_unit_under_another_of_theirs(store, catalogue):
    store.add_user("tuan", "staff", ["phong-kinh-te", "thon"], auth.hash_password("mat-khau-tuan"), who="cli")
    out = import_file(store, catalogue, tree_book(ROWS), "a.xlsx", unit="thon", actor=store.user("tuan"))
    assert out.status == "rejected" and "không thể nhập thành báo cáo của Các thôn" in out.errors[0].message
    admin = import_file(store, catalogue, tree_book(ROWS), "a.xlsx", unit="thon", actor=store.user("quantri"))
    assert (admin.status, admin.unit) == ("imported", "thon")  # an admin may correct a unit, as the command line


def test_a_unit_override_is_checked_on_the_one_read_of_the_workbook(store, catalogue, monkeypatch):
    reads = []
    real = importer.read_report
    monkeypatch.setattr(importer, "read_report", lambda *a, **kw: reads.append(a[1]) or real(*a, **kw))
    store.add_user("tuan", "staff", ["phong-kinh-te", "thon"], auth.hash_password("mat-khau-tuan"), who="cli")
    out = import_file(store, catalogue, tree_book(ROWS), "a.xlsx", unit="thon", actor=store.user("tuan"))
    assert out.status == "rejected" and "không thể nhập thành báo cáo của Các thôn" in out.errors[0].message
    assert reads == ["a.xlsx"]
    assert out.report.stated_unit == "phong-kinh-te" and out.report.unit == "thon"


def test_restore_is_rights_checked_and_audited(store, catalogue):
    first = import_file(store, catalogue, tthc_book(TTHC), "v1.xlsx", actor=store.user("hoa"))
    second = import_file(store, catalogue, tthc_book({"Hộ tịch": (40, 35)}), "v2.xlsx", actor=store.user("hoa"))
    assert second.replaced == [first.upload_id]
    with pytest.raises(RightsError, match="Trung tâm Phục vụ hành chính công"):
        restore_version(store, catalogue, first.upload_id, store.user("lan"))
    with pytest.raises(RightsError, match="chỉ được xem"):
        restore_version(store, catalogue, first.upload_id, store.user("binh"))
    current = store.uploads().set_index("upload_id")["status"]
    assert (current[first.upload_id], current[second.upload_id]) == ("superseded", "current")
    assert restore_version(store, catalogue, first.upload_id, store.user("hoa")) == [second.upload_id]
    last = store.audit().iloc[0]
    assert (last["action"], last["who"], last["upload_id"]) == ("restore", "hoa", first.upload_id)
    assert restore_version(store, catalogue, second.upload_id, store.user("quantri")) == [first.upload_id]
    with pytest.raises(KeyError):
        restore_version(store, catalogue, 999, store.user("quantri"))


# ---------------------------------------------------------------- targets


def test_an_admin_target_overrides_the_catalogue_everywhere_and_is_audited(store, catalogue):
    code = "tthc_truc_tuyen"
    default = catalogue.indicator(code).target("2026-2027")
    store.set_target(catalogue, code, "2026-2027", 72.5, "Nghị quyết HĐND xã số 12/NQ-HĐND", who="quantri")
    effective = store.effective_catalogue(catalogue)
    target = effective.indicator(code).target("2026-2027")
    assert (target.value, target.source) == (72.5, "Nghị quyết HĐND xã số 12/NQ-HĐND")
    assert catalogue.indicator(code).target("2026-2027") == default  # the file's catalogue is untouched
    assert effective.indicator(code).target("2028-2030") == catalogue.indicator(code).target("2028-2030")
    others = [i for i in catalogue.indicators if i.code != code]
    assert [effective.indicator(i.code) for i in others] == others
    line = store.audit().iloc[0]
    detail = json.loads(line["detail"])
    assert (line["action"], detail["value"], detail["before"]["value"]) == ("target_set", 72.5, default.value)
    assert store.clear_target(catalogue, code, "2026-2027", who="quantri")
    assert store.effective_catalogue(catalogue).indicator(code).target("2026-2027") == default
    assert not store.clear_target(catalogue, code, "2026-2027", who="quantri")


@pytest.mark.parametrize(
    ("code", "phase", "value", "source", "says"),
    [
        ("tthc_truc_tuyen", "2026-2027", 120, "NQ", "từ 0 đến 100"),
        ("tthc_truc_tuyen", "2026-2027", -1, "NQ", "không âm"),
        ("tthc_truc_tuyen", "2026-2027", 80, "  ", "ghi nguồn"),
        ("tthc_truc_tuyen", "2099", 80, "NQ", "giai đoạn"),
        ("khong_co", "2026-2027", 80, "NQ", "Không có chỉ tiêu"),
    ],
)
def test_a_target_breaking_the_catalogue_rules_is_refused(store, catalogue, code, phase, value, source, says):
    with pytest.raises(ValueError, match=says):
        store.set_target(catalogue, code, phase, value, source, who="quantri")
    assert store.target_overrides().empty


def test_cli_value_uses_the_effective_target(store, catalogue, capsys):
    import_file(store, catalogue, tthc_book(TTHC), "tthc.xlsx")
    store.set_target(catalogue, "tthc_truc_tuyen", "2026-2027", 91, "Quyết định số 5/QĐ-UBND", who="quantri")
    code = cli.main(["value", "tthc_truc_tuyen", "--period", "2026-10", "--db", str(store.path), "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["target"] == 91


# ---------------------------------------------------------------- the `user` commands


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_user_commands_end_to_end(capsys, monkeypatch, db_path):
    db = ["--db", str(db_path)]
    code, out, _ = run(capsys, monkeypatch, "init", *db)
    assert code == 0 and "user add admin --role admin --password-stdin" in out
    code, out, _ = run(
        capsys, monkeypatch, "user", "add", "Admin", "--role", "admin", "--password-stdin", *db, stdin="mat khau 1\n"
    )
    assert code == 0 and "admin" in out
    assert "user add" not in run(capsys, monkeypatch, "init", *db)[1]
    argv = ["user", "add", "lan", "--role", "staff", "--unit", "phong-kinh-te", "--unit", "Phòng Kinh tế"]
    code, _, err = run(capsys, monkeypatch, *argv, "--password-stdin", *db, stdin="mat-khau-lan\n")
    assert code == 2 and "Không có đơn vị" in err  # codes, not names: the operator sees the list
    code, _, _ = run(capsys, monkeypatch, *argv[:-2], "--password-stdin", *db, stdin="mat-khau-lan\n")
    assert code == 0
    s = Store(db_path)
    assert s.user("lan").units == ("phong-kinh-te",)
    assert auth.login(s, "admin", "mat khau 1").ok  # the trailing newline is not part of the password
    code, out, _ = run(capsys, monkeypatch, "user", "list", "--json", *db)
    assert [(u["name"], u["role"], u["units"]) for u in json.loads(out)] == [
        ("admin", "admin", []),
        ("lan", "staff", ["phong-kinh-te"]),
    ]
    assert "Phòng Kinh tế" in run(capsys, monkeypatch, "user", "list", *db)[1]
    code, _, _ = run(capsys, monkeypatch, "user", "passwd", "lan", "--password-stdin", *db, stdin="mat-khau-moi\n")
    assert code == 0 and auth.login(s, "lan", "mat-khau-moi").ok and not auth.login(s, "lan", "mat-khau-lan").ok
    assert run(capsys, monkeypatch, "user", "remove", "lan", *db)[0] == 0
    assert s.user("lan") is None
    assert run(capsys, monkeypatch, "user", "remove", "lan", *db)[0] == 1
    code, _, err = run(capsys, monkeypatch, "user", "remove", "admin", *db)
    assert code == 1 and "quản trị viên duy nhất" in err


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (["user", "add", "lan", "--role", "staff", "--unit", "phong-kinh-te"], "mat-khau-lan\n", "--password-stdin"),
        (["user", "add", "lan", "--role", "staff", "--unit", "phong-kinh-te", "--password-stdin"], "ngan\n", "8 ký tự"),
        (["user", "add", "lan", "--role", "staff", "--password-stdin"], "mat-khau-lan\n", "--unit"),
        (["user", "add", "lan", "--role", "viewer", "--unit", "thon", "--password-stdin"], "mat-khau-lan\n", "staff"),
        (["user", "add", "lê", "--role", "viewer", "--password-stdin"], "mat-khau-lan\n", "không dấu"),
    ],
)
def test_user_add_refuses_bad_usage_in_vietnamese(capsys, monkeypatch, db_path, argv, stdin, says):
    code, _, err = run(capsys, monkeypatch, *argv, "--db", str(db_path), stdin=stdin)
    assert code == 2 and says in err and "mat-khau-lan" not in err
    assert Store(db_path).users().empty
