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

MAX_FAILURES = 5  # wrong passwords in a row before the account waits
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


# ---------------------------------------------------------------- lockout and sessions


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


def locked_message(remaining: timedelta) -> str:
    return (
        f"Tài khoản đang tạm khóa vì nhập sai mật khẩu {MAX_FAILURES} lần liên tiếp. "
        f"Hãy chờ {wait_text(remaining)} rồi đăng nhập lại; nếu quên mật khẩu, hãy nhờ quản trị viên đặt lại."
    )


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

    def record_login(self, name: str, ok: bool, *, max_failures: int, lock_for: timedelta) -> timedelta | None: ...

    def user(self, name: str) -> User | None: ...


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    message: str = ""  # Vietnamese, when refused

    @property
    def ok(self) -> bool:
        return self.user is not None


def login(store: AccountStore, name: str, password: str) -> LoginResult:
    """Check a login against the database, counting failures there so the lock holds across sessions and processes.

    A locked account is refused without looking at the password, so guessing on through the lock gains nothing.
    """
    name = normal_name(name)
    state = store.login_state(name) if name else None
    if state is None:
        verify_password(None, password)  # same time as a real account: the answer does not tell names apart
        return LoginResult(None, WRONG_LOGIN)
    password_hash, locked_until = state
    remaining = lock_remaining(locked_until, store.clock())
    if remaining:
        return LoginResult(None, locked_message(remaining))
    ok = verify_password(password_hash, password)
    remaining = store.record_login(name, ok, max_failures=MAX_FAILURES, lock_for=LOCK_FOR)
    if remaining:  # this failure locked it, or another process did while the hash was being checked
        return LoginResult(None, locked_message(remaining))
    if not ok:
        return LoginResult(None, WRONG_LOGIN)
    user = store.user(name)
    return LoginResult(user, "" if user else WRONG_LOGIN)
