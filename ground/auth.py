"""Accounts without a browser or SQL: password hashes, the lockout, session rules and tokens, what each role may do."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("admin", "staff", "viewer")
ROLE_NAMES = {"admin": "Quản trị viên", "staff": "Cán bộ nhập liệu", "viewer": "Người xem"}

MAX_FAILURES = 5  # wrong passwords within a few minutes (the count decays: HALF_LIFE) before the name locks
LOCK_FOR = timedelta(minutes=5)
SESSION_FOR = timedelta(hours=8)
MIN_PASSWORD = 8

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")

# argon2id with the library's RFC 9106 low-memory profile (about 0,1 s per check here): slow for a guesser,
# quick for a person. Replaceable in tests that hash many passwords.
HASHER = PasswordHasher()

WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại (chú ý chữ hoa, chữ thường, bộ gõ tiếng Việt)."


class RightsError(PermissionError):
    """An action the acting account may not do; the message is the Vietnamese sentence to show."""


@dataclass(frozen=True)
class User:
    """A signed-in account as the app and the write path see it. `generation` changes with the password."""

    name: str
    role: str
    units: tuple[str, ...] = ()
    generation: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def may_upload(self) -> bool:
        """Admins and staff reach the upload page; a staff member without units can still read it."""
        return self.role in ("admin", "staff")

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    def may_write_unit(self, unit: str | None) -> bool:
        """Upload or restore a report of `unit`: every unit for an admin, their own units for staff."""
        if self.is_admin:
            return True
        return self.role == "staff" and bool(unit) and unit in self.units


def unit_names(units: Iterable[str], names: dict[str, str]) -> str:
    listed = [names.get(u, u) for u in units]
    return ", ".join(listed) if listed else "chưa được giao đơn vị nào"


def write_refusal(user: User | None, unit: str | None, names: dict[str, str]) -> str | None:
    """Why `user` may not write a report of `unit` (a Vietnamese sentence), or None when they may."""
    if user is None:
        return "Bạn cần đăng nhập bằng tài khoản cán bộ nhập liệu để tải lên hoặc khôi phục báo cáo."
    if not user.may_upload:
        return (
            f"Tài khoản {user.name} ({user.role_name}) chỉ được xem số liệu, không được tải lên hay khôi phục báo cáo. "
            "Hãy nhờ quản trị viên cấp quyền cán bộ nhập liệu."
        )
    if user.may_write_unit(unit):
        return None
    if not user.units:
        return (
            f"Tài khoản {user.name} chưa được giao đơn vị nào nên chưa tải lên hay khôi phục được báo cáo. "
            "Hãy nhờ quản trị viên giao đơn vị."
        )
    theirs = unit_names(user.units, names)
    if not unit:
        return f"Chưa xác định được đơn vị của báo cáo. Hãy chọn một đơn vị của bạn: {theirs}."
    return (
        f"Báo cáo này là của {names.get(unit, unit)}; tài khoản {user.name} chỉ được tải lên và khôi phục báo cáo "
        f"của: {theirs}. Số liệu của đơn vị khác không bị thay đổi. Nếu cần, hãy nhờ quản trị viên."
    )


# ---------------------------------------------------------------- passwords and names


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an unknown account is checked against a dummy hash so it takes as long."""
    try:
        return HASHER.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError, UnicodeError):  # a corrupt hash too
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("không-phải-mật-khẩu-của-ai")


def password_problem(password: str) -> str | None:
    """Why a new password is refused (a Vietnamese sentence), or None."""
    if len(password) < MIN_PASSWORD:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."
    if not password.strip():
        return "Mật khẩu không được chỉ gồm dấu cách."
    if len(password) > 256:
        return "Mật khẩu dài quá 256 ký tự."
    return None


def normal_name(name: str) -> str:
    """Login names compare without case or surrounding spaces."""
    return (name or "").strip().lower()


def name_problem(name: str) -> str | None:
    if not _NAME.match(normal_name(name)):
        return (
            "Tên đăng nhập gồm 2 đến 32 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang, "
            "bắt đầu bằng chữ hoặc số (ví dụ: lan.pkt)."
        )
    return None


def role_problem(role: str, units: Iterable[str], known_units: Iterable[str]) -> str | None:
    if role not in ROLES:
        return f"Vai trò '{role}' không hợp lệ; chọn một trong: admin, staff, viewer."
    unknown = sorted(set(units) - set(known_units))
    if unknown:
        return f"Không có đơn vị {', '.join(unknown)} trong danh mục. Các mã đơn vị: {', '.join(known_units)}."
    return None


# ---------------------------------------------------------------- guessing: throttles and the lockout
#
# Three decaying counters of failures (store/migrations/007): per login name (any name tried, so an unknown name
# behaves exactly like a real one), per client (browser address) and overall. Every failure adds 1; a score halves
# every HALF_LIFE, so failures fade. A client past CLIENT_FREE failures, or everyone past OVERALL_FREE, waits
# before its next try, the wait doubling with each failure beyond; the wait is computed and told ("thử lại sau
# N giây"), never slept in the server. A name at MAX_FAILURES is locked for LOCK_FOR, but only against clients
# that have been failing: the account's owner, on a client with no recent failure, still gets in with the right
# password, so a stranger cannot keep anyone locked out. Wrong password, unknown name and locked account get one
# answer, after the same work (one argon2 check, one write).

HALF_LIFE = timedelta(minutes=10)
CLIENT_FREE = 3  # failures a client may make before each next try waits
CLIENT_WAIT = timedelta(seconds=2)  # the first wait; doubles with each further failure
OVERALL_FREE = 30  # failures from everyone together before every try waits
OVERALL_WAIT = timedelta(seconds=1)  # doubles with each OVERALL_STEP further failures
OVERALL_STEP = 10
WAIT_CAP = timedelta(minutes=15)
CLEAN = 0.5  # a client whose score is below this has not been failing lately
ALL = "all"


def name_key(name: str) -> str:
    return f"name:{name}"


def client_key(client: str) -> str:
    return f"client:{client}"


def decayed(score: float, at: datetime | None, now: datetime) -> float:
    """A failure count as it weighs `now`: halved every HALF_LIFE since `at` (a clock set back decays nothing)."""
    if at is None or score <= 0:
        return 0.0
    elapsed = max((now - at).total_seconds(), 0.0)
    return score * 0.5 ** (elapsed / HALF_LIFE.total_seconds())


def _wait(score: float, free: float, first: timedelta, step: float) -> timedelta | None:
    if score < free:
        return None
    return min(first * 2 ** ((score - free) / step), WAIT_CAP)


def client_wait(score: float) -> timedelta | None:
    """How long a client with this many failures (as of its latest) waits before its next try."""
    return _wait(score, CLIENT_FREE, CLIENT_WAIT, 1)


def overall_wait(score: float) -> timedelta | None:
    return _wait(score, OVERALL_FREE, OVERALL_WAIT, OVERALL_STEP)


@dataclass(frozen=True)
class Counter:
    """A key's row: the score as of its latest failure, when that was, and a name's lock."""

    score: float = 0.0
    last_at: datetime | None = None
    locked_until: datetime | None = None


def wait_left(counter: Counter, wait: Callable[[float], timedelta | None], now: datetime) -> timedelta | None:
    """What is left of the wait the latest failure earned, or None when the next try may go ahead."""
    if counter.last_at is None:
        return None
    earned = wait(counter.score)
    if earned is None or counter.last_at + earned <= now:
        return None
    return counter.last_at + earned - now


def lock_remaining(locked_until: datetime | None, now: datetime) -> timedelta | None:
    """How long the account still waits, or None when it may try."""
    if locked_until is None or locked_until <= now:
        return None
    return locked_until - now


def wait_text(remaining: timedelta) -> str:
    """A wait as people say it: "4 phút 30 giây", "45 giây"."""
    seconds = max(1, math.ceil(remaining.total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    if minutes and seconds:
        return f"{minutes} phút {seconds} giây"
    return f"{minutes} phút" if minutes else f"{seconds} giây"


def throttled_message(remaining: timedelta) -> str:
    """The answer to a client that must wait: it depends on the client's failures only, never on the name."""
    return f"Đã nhập sai nhiều lần. Hãy thử lại sau {wait_text(remaining)}; nếu quên mật khẩu, hãy nhờ quản trị viên."


def client_of(peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str:
    """The address a login is counted against: the connecting peer, or, when that peer is a trusted reverse proxy,
    the nearest address it forwarded (X-Forwarded-For's right-most entry not itself a trusted proxy). Without
    trusted proxies the header is ignored: any browser can write it."""
    trusted = {t.strip() for t in trusted_proxies if t.strip()}
    peer = (peer or "").strip() or "không rõ"
    if peer not in trusted or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if hop and hop not in trusted:
            return hop[:64]
    return peer


def session_expired(login_at: datetime, now: datetime) -> bool:
    """A session lasts SESSION_FOR from the login; a clock set back counts as expired too."""
    return not (login_at <= now < login_at + SESSION_FOR)


def session_end(login_at: datetime, generation: int, user: User | None, now: datetime) -> str | None:
    """Why a session is over: "expired", "removed" (no such account now) or "password_changed"; None while valid."""
    if session_expired(login_at, now):
        return "expired"
    if user is None:
        return "removed"
    if user.generation != generation:
        return "password_changed"
    return None


# ---------------------------------------------------------------- session tokens (the browser's cookie)

SESSION_COOKIE = "xanh_phien"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) gives: 256 random bits


@dataclass(frozen=True)
class SessionRecord:
    """A login's row in the database, found by its token's hash."""

    name: str
    created_at: datetime
    expires_at: datetime
    generation: int


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token. A plain SHA-256 is enough: the token is random, not a guessable password."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()  # any cookie value, ours or not


def token_well_formed(token: str | None) -> bool:
    """Whether a cookie's value could be one of our tokens (anything else is not even looked up)."""
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


# ---------------------------------------------------------------- login


class AccountStore(Protocol):
    """What login needs from the store (store/accounts.py provides it)."""

    clock: Callable[[], datetime]

    def login_state(self, name: str) -> tuple[str, datetime | None] | None: ...

    def login_counters(self, keys: list[str]) -> dict[str, Counter]: ...

    def login_failed(self, keys: list[str], now: datetime) -> dict[str, float]: ...

    def login_succeeded(self, name: str, keys: list[str], now: datetime) -> None: ...

    def lock_name(self, name: str, until: datetime, detail: dict) -> None: ...

    def login_event(self, action: str, detail: dict, now: datetime) -> None: ...

    def user(self, name: str) -> User | None: ...


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""  # Vietnamese, when refused
    wait: timedelta | None = None  # when refused before the password was looked at: how long this client waits

    @property
    def ok(self) -> bool:
        return self.user is not None


UNKNOWN_CLIENT = "không rõ"


def login(store: AccountStore, name: str, password: str, *, client: str = UNKNOWN_CLIENT) -> LoginResult:
    """Check a login against the database, where every counter lives, so throttles and locks hold across sessions
    and processes. `client` is the browser's address (client_of())."""
    name = normal_name(name)
    now = store.clock()
    keys = [name_key(name), client_key(client), ALL]
    counters = store.login_counters(keys)
    mine, everyone = counters.get(keys[1], Counter()), counters.get(ALL, Counter())
    waiting = max(
        (w for w in (wait_left(mine, client_wait, now), wait_left(everyone, overall_wait, now)) if w),
        default=None,
    )
    if waiting:  # before any name is looked at: the answer tells nothing about accounts
        return LoginResult(None, throttled_message(waiting), waiting)
    state = store.login_state(name) if name else None
    ok = verify_password(state[0] if state else None, password)  # one argon2 check whatever the name
    locked = lock_remaining(counters.get(keys[0], Counter()).locked_until, now)
    if ok and (not locked or decayed(mine.score, mine.last_at, now) < CLEAN):
        store.login_succeeded(name, keys[:2], now)
        user = store.user(name)
        return LoginResult(user, "" if user else WRONG_LOGIN)
    scores = store.login_failed(keys, now)  # unknown names too: the same write, the same time
    _after_failure(store, name, client, counters, scores, now)
    earned = max((w for w in (client_wait(scores[keys[1]]), overall_wait(scores[ALL])) if w), default=None)
    if earned:  # said now, so the next try is not a surprise; it depends on this client's failures, not the name
        return LoginResult(None, f"{WRONG_LOGIN} Lần thử tiếp theo cần chờ {wait_text(earned)}.")
    return LoginResult(None, WRONG_LOGIN)


def _after_failure(
    store: AccountStore, name: str, client: str, before: dict[str, Counter], scores: dict[str, float], now: datetime
) -> None:
    """Lock a name that reached the lockout, and write a client's or everyone's burst into the audit log once, when
    its score first crosses the line."""
    key = name_key(name)
    old = before.get(key, Counter())
    if scores[key] >= MAX_FAILURES - 0.5 and not lock_remaining(old.locked_until, now):
        store.lock_name(name, now + LOCK_FOR, {"name": name, "client": client, "failures": round(scores[key], 1)})
    for k, free, scope in ((client_key(client), CLIENT_FREE, "client"), (ALL, OVERALL_FREE, "overall")):
        c = before.get(k, Counter())
        if decayed(c.score, c.last_at, now) < free <= scores[k]:
            detail = {"scope": scope, "failures": round(scores[k], 1), "name": name}
            if scope == "client":
                detail["client"] = client
            store.login_event("login_burst", detail, now)
