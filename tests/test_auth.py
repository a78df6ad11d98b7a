"""Passwords, the lockout held in the database across sessions and processes, session expiry, and who may write what."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ground import auth
from ground.auth import User, login, session_expired, write_refusal
from store import Store, now_vietnam
from tests.clock import Clock

T0 = datetime(2026, 11, 5, 8, 0, 0)
NAMES = {"phong-kinh-te": "Phòng Kinh tế", "ttpvhcc": "Trung tâm Phục vụ hành chính công"}


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


def _fail(store: Store, name: str, client: str, times: int, *, every: timedelta = timedelta(seconds=1)) -> list:
    """`times` wrong passwords from `client`, each after the wait the previous one earned (the clock moves)."""
    out = []
    for _ in range(times):
        result = login(store, name, "sai-sai-sai", client=client)
        if result.wait:
            store.clock.at += result.wait
            result = login(store, name, "sai-sai-sai", client=client)
        out.append(result)
        store.clock.at += every
    return out


def test_a_wrong_password_an_unknown_name_and_a_locked_account_get_one_answer(store):
    store.add_user("hoa", "staff", [], auth.hash_password("mat-khau-hoa"), who="cli")
    real = [r.message for r in _fail(store, "lan", "10.0.0.1", 8)]  # locked after 5
    invented = [r.message for r in _fail(store, "khong-ai", "10.0.0.2", 8)]  # no such account
    assert real == invented  # nothing tells a real name from an invented one, or a locked one
    assert all(m.startswith(auth.WRONG_LOGIN) for m in real) and "chờ" in real[-1]  # the wait is told
    assert {r.message for r in _fail(store, "hoa", "10.0.0.3", 2)} == {auth.WRONG_LOGIN}
    assert "login_locked" in set(store.audit()["action"])
    # An unknown name is counted and "locked" exactly like a real one: the same rows, the same writes.
    real, unknown = (store.login_counters([auth.name_key(n)])[auth.name_key(n)] for n in ("lan", "khong-ai"))
    assert real.score == unknown.score and real.locked_until - real.last_at == unknown.locked_until - unknown.last_at


def test_the_same_work_is_done_for_a_real_name_and_an_unknown_one(store, monkeypatch):
    calls: list[str] = []
    real_verify, real_failed = auth.verify_password, store.login_failed
    monkeypatch.setattr(auth, "verify_password", lambda h, p: calls.append("argon2") or real_verify(h, p))
    monkeypatch.setattr(store, "login_failed", lambda keys, now: calls.append("write") or real_failed(keys, now))
    login(store, "lan", "sai-sai-sai", client="a")
    real = list(calls)
    calls.clear()
    login(store, "khong-ai", "sai-sai-sai", client="b")
    assert real == calls == ["argon2", "write"]  # one password check and one write, whatever the name


def test_a_client_that_keeps_failing_waits_longer_each_time_and_is_told_how_long(store):
    for _ in range(auth.CLIENT_FREE):
        assert login(store, "lan", "sai", client="1.2.3.4").wait is None
    waits = []
    for _ in range(4):
        r = login(store, "lan", "sai", client="1.2.3.4")
        assert not r.ok and r.wait and "thử lại sau" in r.message
        waits.append(r.wait)
        store.clock.at += r.wait  # waited exactly as told: the next try is heard, and fails
        assert login(store, "lan", "sai", client="1.2.3.4").wait is None
    assert waits == sorted(waits) and waits[-1] > waits[0] * 4  # a growing delay
    assert login(store, "lan", "mat-khau-dung", client="5.6.7.8").ok  # another client is not slowed


def test_the_right_password_is_refused_during_a_wait_and_the_wait_never_sleeps(store):
    _fail(store, "lan", "1.2.3.4", auth.CLIENT_FREE, every=timedelta(0))
    r = login(store, "lan", "mat-khau-dung", client="1.2.3.4")
    assert not r.ok and r.wait == auth.CLIENT_WAIT and "2 giây" in r.message


def test_everyone_together_is_throttled_too(store):
    for i in range(auth.OVERALL_FREE):  # a spray from many addresses, each under its own limit
        login(store, f"ten-{i}", "sai", client=f"10.1.{i}.1")
    r = login(store, "lan", "sai", client="10.9.9.9")
    assert r.wait and "thử lại sau" in r.message
    assert set(store.audit()["action"]) >= {"login_burst"}
    store.clock.at += auth.HALF_LIFE * 2  # failures fade: the whole system is free again
    assert login(store, "lan", "mat-khau-dung", client="10.9.9.9").ok


def test_a_stranger_cannot_keep_the_owner_locked_out(store):
    _fail(store, "lan", "6.6.6.6", auth.MAX_FAILURES)  # the attacker locks "lan"
    assert store.login_counters([auth.name_key("lan")])[auth.name_key("lan")].locked_until is not None
    right = login(store, "lan", "mat-khau-dung", client="6.6.6.6")
    assert not right.ok  # even the right password, from the failing client: the guesser gains nothing
    assert login(store, "lan", "mat-khau-dung", client="192.168.1.20").ok  # the owner, elsewhere, gets in


def test_failures_fade_with_time(store):
    _fail(store, "lan", "1.2.3.4", auth.MAX_FAILURES - 1)
    store.clock.at += auth.HALF_LIFE * 4  # a sixteenth of the weight is left
    _fail(store, "lan", "1.2.3.4", 2)
    key = auth.name_key("lan")
    counter = store.login_counters([key])[key]
    assert counter.locked_until is None and counter.score < 3


def test_a_scripted_brute_force_of_twenty_tries_never_gets_in(store):
    guesses = [f"doan-{i}" for i in range(19)]
    guesses.insert(12, "mat-khau-dung")  # the right password comes after the lock
    results = []
    for guess in guesses:
        r = login(store, "lan", guess, client="7.7.7.7")
        if r.wait:  # the guesser waits each time as told
            store.clock.at += r.wait
            r = login(store, "lan", guess, client="7.7.7.7")
        results.append(r)
    assert len(results) == 20 and not any(r.ok for r in results)
    assert all(r.message.startswith(auth.WRONG_LOGIN) for r in results)


def test_the_lock_holds_for_another_store_object_and_another_process(store, db_path):
    now = now_vietnam()  # the other process reads the real clock
    store.clock.at = now
    _fail(store, "lan", "1.2.3.4", auth.MAX_FAILURES, every=timedelta(0))
    locked_at = store.clock.at
    other = Store(db_path, commune="an-phu")  # another session: nothing shared but the file
    other.clock = Clock(locked_at + timedelta(minutes=1))
    assert not login(other, "lan", "mat-khau-dung", client="1.2.3.4").ok
    script = textwrap.dedent(
        f"""
        import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        from ground import auth
        from store import Store
        print(auth.login(Store({str(db_path)!r}), "lan", "mat-khau-dung", client="1.2.3.4").ok)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
    locked_until = other.users().set_index("name").loc["lan", "locked_until"]
    assert locked_until.to_pydatetime() == locked_at + auth.LOCK_FOR


def _patient(store: Store, name: str, password: str, client: str) -> auth.LoginResult:
    r = login(store, name, password, client=client)
    if r.wait:
        store.clock.at += r.wait
        r = login(store, name, password, client=client)
    return r


def test_failures_do_not_add_up_across_a_success(store):
    _fail(store, "lan", "1.2.3.4", auth.MAX_FAILURES - 1)
    assert _patient(store, "lan", "mat-khau-dung", "1.2.3.4").ok
    _fail(store, "lan", "1.2.3.4", auth.MAX_FAILURES - 1)
    assert _patient(store, "lan", "mat-khau-dung", "1.2.3.4").ok


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("203.0.113.5", "1.1.1.1", [], "203.0.113.5"),  # no trusted proxy: the header is anyone's to write
        ("127.0.0.1", "198.51.100.7", ["127.0.0.1"], "198.51.100.7"),  # behind the local Caddy or nginx
        ("127.0.0.1", "6.6.6.6, 198.51.100.7", ["127.0.0.1"], "198.51.100.7"),  # a forged first hop is ignored
        ("127.0.0.1", None, ["127.0.0.1"], "127.0.0.1"),
        (None, None, [], "không rõ"),
    ],
)
def test_the_client_is_the_address_a_trusted_proxy_saw(peer, forwarded, trusted, client):
    assert auth.client_of(peer, forwarded, trusted) == client


def test_a_new_password_lifts_the_lock_and_ends_older_sessions(store):
    _fail(store, "lan", "", auth.MAX_FAILURES)
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


def test_the_app_counts_a_local_proxy_by_the_address_it_forwards(monkeypatch):
    from types import SimpleNamespace

    from app_pages import session

    def seen(ip, headers):
        monkeypatch.setattr(session, "st", SimpleNamespace(context=SimpleNamespace(ip_address=ip, headers=headers)))
        return session.client()

    monkeypatch.setenv("XANH_TRUSTED_PROXIES", "127.0.0.1")
    # Streamlit gives no address (None) for a connection from this machine: the Caddy or nginx in front.
    assert seen(None, {"X-Forwarded-For": "198.51.100.7"}) == "198.51.100.7"
    assert seen("203.0.113.5", {"X-Forwarded-For": "1.1.1.1"}) == "203.0.113.5"  # not a trusted proxy
    monkeypatch.delenv("XANH_TRUSTED_PROXIES")
    assert seen(None, {"X-Forwarded-For": "198.51.100.7"}) == "127.0.0.1"  # no proxy trusted: the header is ignored
