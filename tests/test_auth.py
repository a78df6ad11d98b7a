"""Passwords, the lockout held in the database across sessions and processes, session expiry, and who may write what."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from ground import auth
from ground.auth import User, login, session_expired, write_refusal
from store import Store, now_vietnam

T0 = datetime(2026, 11, 5, 8, 0, 0)
NAMES = {"phong-kinh-te": "Phòng Kinh tế", "ttpvhcc": "Trung tâm Phục vụ hành chính công"}


@pytest.fixture
def fast_hashes(monkeypatch):
    """A cheap argon2id for tests that hash or check many passwords; the production profile is tested once below."""
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def store(db_path: Path, fast_hashes) -> Store:
    s = Store(db_path, commune="an-phu")
    s.clock = Clock(T0)
    s.add_user("lan", "staff", ["phong-kinh-te"], auth.hash_password("mat-khau-dung"), who="cli")
    return s


def test_the_production_hash_is_argon2id_salted_and_never_the_password():
    a, b = auth.hash_password("mat-khau-dung"), auth.hash_password("mat-khau-dung")
    assert a.startswith("$argon2id$") and a != b and "mat-khau-dung" not in a
    assert auth.verify_password(a, "mat-khau-dung")
    assert not auth.verify_password(a, "mat-khau-sai") and not auth.verify_password("rác", "x")
    assert not auth.verify_password(None, "mat-khau-dung")


@pytest.mark.parametrize(
    ("password", "ok"), [("1234567", False), ("        ", False), ("12345678", True), ("mật khẩu dài", True)]
)
def test_a_new_password_needs_eight_characters(password, ok):
    assert (auth.password_problem(password) is None) is ok


@pytest.mark.parametrize(("name", "ok"), [("lan.pkt", True), (" Lan ", True), ("a", False), ("lan pkt", False),
                                          ("nguyễn", False), ("-lan", False), ("x" * 33, False)])  # fmt: skip
def test_login_names(name, ok):
    assert (auth.name_problem(name) is None) is ok


def test_a_right_password_logs_in_and_a_wrong_one_says_what_to_check(store):
    out = login(store, "  LAN ", "mat-khau-dung")
    assert out.ok and out.user == User("lan", "staff", ("phong-kinh-te",), 0)
    wrong = login(store, "lan", "mat-khau-sai")
    assert not wrong.ok and "không đúng" in wrong.message
    unknown = login(store, "khong-ai", "mat-khau-dung")
    assert unknown.message == wrong.message  # the answer does not tell which names exist


def test_five_failures_lock_the_account_for_five_minutes_even_with_the_right_password(store):
    for _ in range(auth.MAX_FAILURES - 1):
        assert "không đúng" in login(store, "lan", "sai-sai-sai").message
    fifth = login(store, "lan", "sai-sai-sai")
    assert not fifth.ok and "tạm khóa" in fifth.message and "5 phút" in fifth.message
    store.clock.at = T0 + timedelta(minutes=2, seconds=30)
    again = login(store, "lan", "mat-khau-dung")
    assert not again.ok and "2 phút 30 giây" in again.message
    store.clock.at = T0 + timedelta(minutes=5)
    assert login(store, "lan", "mat-khau-dung").ok
    assert "login_locked" in set(store.audit()["action"])


def test_a_scripted_brute_force_of_twenty_tries_never_gets_in(store):
    guesses = [f"doan-{i}" for i in range(19)]
    guesses.insert(12, "mat-khau-dung")  # the right password comes inside the lock window
    results = []
    for i, guess in enumerate(guesses):
        store.clock.at = T0 + timedelta(seconds=3 * i)  # a minute in all: well inside the 5-minute lock
        results.append(login(store, "lan", guess))
    assert len(results) == 20 and not any(r.ok for r in results)
    assert all("tạm khóa" in r.message for r in results[auth.MAX_FAILURES - 1 :])


def test_the_lock_holds_for_another_store_object_and_another_process(store, db_path):
    now = now_vietnam()  # the other process reads the real clock
    store.clock.at = now
    for _ in range(auth.MAX_FAILURES):
        login(store, "lan", "sai-sai-sai")
    other = Store(db_path, commune="an-phu")  # another session: nothing shared but the file
    other.clock = Clock(now + timedelta(minutes=1))
    assert "tạm khóa" in login(other, "lan", "mat-khau-dung").message
    script = textwrap.dedent(
        f"""
        import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from ground import auth
        from store import Store, now_vietnam
        print(auth.login(Store({str(db_path)!r}), "lan", "mat-khau-dung").message)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert "tạm khóa" in out.stdout
    locked_until = other.users().set_index("name").loc["lan", "locked_until"]
    assert locked_until.to_pydatetime() == now + auth.LOCK_FOR


def test_failures_do_not_add_up_across_a_success(store):
    for _ in range(auth.MAX_FAILURES - 1):
        login(store, "lan", "sai-sai-sai")
    assert login(store, "lan", "mat-khau-dung").ok
    for _ in range(auth.MAX_FAILURES - 1):
        login(store, "lan", "sai-sai-sai")
    assert login(store, "lan", "mat-khau-dung").ok


def test_a_new_password_lifts_the_lock_and_ends_older_sessions(store):
    for _ in range(auth.MAX_FAILURES):
        login(store, "lan", "sai-sai-sai")
    before = store.user("lan").generation
    store.set_password("lan", auth.hash_password("mat-khau-moi"), who="admin")
    out = login(store, "lan", "mat-khau-moi")
    assert out.ok and out.user.generation == before + 1
    assert not login(store, "lan", "mat-khau-dung").ok


@pytest.mark.parametrize(
    ("elapsed", "expired"),
    [
        (timedelta(0), False),
        (timedelta(hours=7, minutes=59, seconds=59), False),
        (timedelta(hours=8), True),
        (timedelta(days=3), True),
        (timedelta(minutes=-5), True),  # a clock set back: start again
    ],
)
def test_a_session_lasts_eight_hours(elapsed, expired):
    assert session_expired(T0, T0 + elapsed) is expired


def test_wait_text_reads_as_people_say_it():
    assert auth.wait_text(timedelta(minutes=5)) == "5 phút"
    assert auth.wait_text(timedelta(seconds=44.2)) == "45 giây"
    assert auth.wait_text(timedelta(minutes=4, seconds=1)) == "4 phút 1 giây"


def test_rights_by_role_and_unit():
    admin = User("an", "admin")
    staff = User("lan", "staff", ("phong-kinh-te",))
    viewer = User("binh", "viewer")
    assert write_refusal(admin, "ttpvhcc", NAMES) is None
    assert write_refusal(staff, "phong-kinh-te", NAMES) is None
    other = write_refusal(staff, "ttpvhcc", NAMES)
    assert "Trung tâm Phục vụ hành chính công" in other and "Phòng Kinh tế" in other
    assert "chỉ được xem" in write_refusal(viewer, "phong-kinh-te", NAMES)
    assert "đăng nhập" in write_refusal(None, "phong-kinh-te", NAMES)
    assert "chưa được giao" in write_refusal(User("moi", "staff"), "phong-kinh-te", NAMES)
    assert "chọn một đơn vị" in write_refusal(staff, None, NAMES)
    assert staff.may_upload and admin.may_upload and not viewer.may_upload
