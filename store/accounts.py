"""Accounts in the database: users and their units, failed-login counters, app settings, all audited."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from ground.auth import Counter, SessionRecord, User, decayed
from store.base import StoreBase

REQUIRE_LOGIN = "require_login"
FORGET_AFTER = timedelta(days=1)  # a failure counter untouched this long weighs nothing: its row goes


class AccountError(ValueError):
    """A refused account change; the message is the Vietnamese sentence to show."""


def audit(con: duckdb.DuckDBPyConnection, at: datetime, who: str, action: str, detail: dict) -> None:
    con.execute(
        'INSERT INTO audit_log ("at", who, action, upload_id, detail) VALUES (?, ?, ?, NULL, ?)',
        [at, who, action, json.dumps(detail, ensure_ascii=False, default=str)],
    )


class Accounts(StoreBase):
    # ------------------------------------------------------------ reading

    def user(self, name: str) -> User | None:
        """The account as it stands now (role and units read fresh), or None when there is none."""
        with self.connect() as con:
            row = con.execute(
                "SELECT u.name, u.role, u.generation, list(m.unit ORDER BY m.unit) FILTER (WHERE m.unit IS NOT NULL) "
                "FROM users u LEFT JOIN user_units m USING (name) WHERE u.name = ? GROUP BY ALL",
                [name],
            ).fetchone()
        if row is None:
            return None
        return User(row[0], row[1], tuple(row[3] or ()), row[2])

    def users(self) -> pd.DataFrame:
        """Every account by name: name, role, units (list of codes), last_login, locked_until, failed_logins,
        created_at, created_by. Never the hash."""
        with self.connect() as con:
            return con.execute(
                "SELECT u.name, u.role, coalesce(list(m.unit ORDER BY m.unit) FILTER (WHERE m.unit IS NOT NULL), [])"
                " AS units, u.last_login, f.locked_until, coalesce(f.score, 0) AS failed_logins, u.created_at,"
                " u.created_by FROM users u LEFT JOIN user_units m USING (name)"
                " LEFT JOIN login_failures f ON f.key = 'name:' || u.name GROUP BY ALL ORDER BY u.name"
            ).df()

    def has_admin(self) -> bool:
        with self.connect() as con:
            return bool(con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()[0])

    # ------------------------------------------------------------ changing accounts

    def add_user(self, name: str, role: str, units: list[str], password_hash: str, *, who: str) -> None:
        """A new account; AccountError when the name is taken. Validate name, role and units first (auth.py)."""
        with self.transaction() as tx:
            if tx.con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise AccountError(f"Tên đăng nhập '{name}' đã có. Hãy chọn tên khác hoặc sửa tài khoản đó.")
            tx.con.execute(
                "INSERT INTO users (name, role, password_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                [name, role, password_hash, self.clock(), who],
            )
            self._set_units(tx.con, name, units)
            audit(tx.con, self.clock(), who, "user_add", {"name": name, "role": role, "units": sorted(set(units))})

    def update_user(self, name: str, *, role: str, units: list[str], who: str) -> None:
        """Change an account's role and units; the last admin cannot stop being one."""
        with self.transaction() as tx:
            before = self._existing(tx.con, name)
            if before[0] == "admin" and role != "admin":
                self._keep_an_admin(tx.con, name)
            tx.con.execute("UPDATE users SET role = ? WHERE name = ?", [role, name])
            self._set_units(tx.con, name, units)
            audit(
                tx.con,
                self.clock(),
                who,
                "user_update",
                {"name": name, "role": role, "units": sorted(set(units)), "before": {"role": before[0]}},
            )

    def set_password(self, name: str, password_hash: str, *, who: str) -> None:
        """A new password: the account's open sessions end and any lock is lifted."""
        with self.transaction() as tx:
            self._existing(tx.con, name)
            tx.con.execute(
                "UPDATE users SET password_hash = ?, generation = generation + 1 WHERE name = ?", [password_hash, name]
            )
            tx.con.execute('DELETE FROM login_failures WHERE "key" = ?', [f"name:{name}"])
            audit(tx.con, self.clock(), who, "user_password", {"name": name})

    def remove_user(self, name: str, *, who: str) -> None:
        """Delete the account; its sessions end at their next page load. Uploads keep the name they were made by."""
        with self.transaction() as tx:
            role = self._existing(tx.con, name)[0]
            if role == "admin":
                self._keep_an_admin(tx.con, name)
            tx.con.execute("DELETE FROM user_units WHERE name = ?", [name])
            # Its sessions go too: an account made again under this name must not inherit them.
            tx.con.execute("DELETE FROM sessions WHERE name = ?", [name])
            tx.con.execute("DELETE FROM users WHERE name = ?", [name])
            audit(tx.con, self.clock(), who, "user_remove", {"name": name, "role": role})

    def _existing(self, con: duckdb.DuckDBPyConnection, name: str) -> tuple:
        row = con.execute("SELECT role FROM users WHERE name = ?", [name]).fetchone()
        if row is None:
            raise AccountError(f"Không có tài khoản '{name}'.")
        return row

    def _keep_an_admin(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        others = con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND name <> ?", [name]).fetchone()[0]
        if not others:
            raise AccountError(
                f"'{name}' là quản trị viên duy nhất; hãy tạo một quản trị viên khác trước khi xóa hoặc đổi vai trò."
            )

    def _set_units(self, con: duckdb.DuckDBPyConnection, name: str, units: list[str]) -> None:
        con.execute("DELETE FROM user_units WHERE name = ?", [name])
        for unit in sorted(set(units)):
            con.execute("INSERT INTO user_units VALUES (?, ?)", [name, unit])

    # ------------------------------------------------------------ logging in

    def login_state(self, name: str) -> tuple[str, datetime | None] | None:
        """(password hash, locked until) of an account, or None when there is none."""
        with self.connect() as con:
            row = con.execute(
                "SELECT u.password_hash, f.locked_until FROM users u LEFT JOIN login_failures f "
                "ON f.key = 'name:' || u.name WHERE u.name = ?",
                [name],
            ).fetchone()
        return None if row is None else (row[0], row[1])

    def login_counters(self, keys: list[str]) -> dict[str, Counter]:
        """The failure counters of these keys (ground/auth.py names them); absent keys have none."""
        with self.connect() as con:
            rows = con.execute(
                'SELECT "key", score, last_at, locked_until FROM login_failures WHERE "key" IN (SELECT unnest(?))',
                [keys],
            ).fetchall()
        return {r[0]: Counter(r[1], r[2], r[3]) for r in rows}

    def login_failed(self, keys: list[str], now: datetime) -> dict[str, float]:
        """Add one failure to each key (after decaying what it held) in one atomic write; the new scores.

        Every attempt, for a real name or not, does exactly this write. Counters faded to nothing are purged.
        """
        with self.transaction() as tx:
            con = tx.con
            held = {
                r[0]: (r[1], r[2])
                for r in con.execute(
                    'SELECT "key", score, last_at FROM login_failures WHERE "key" IN (SELECT unnest(?))', [keys]
                ).fetchall()
            }
            scores = {}
            for key in keys:
                score, at = held.get(key, (0.0, None))
                scores[key] = decayed(score, at, now) + 1
                con.execute(
                    'INSERT INTO login_failures ("key", score, last_at) VALUES (?, ?, ?) '
                    'ON CONFLICT ("key") DO UPDATE SET score = excluded.score, last_at = excluded.last_at',
                    [key, scores[key], now],
                )
            con.execute(
                "DELETE FROM login_failures WHERE last_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                [now - FORGET_AFTER, now],
            )
            return scores

    def login_succeeded(self, name: str, keys: list[str], now: datetime) -> None:
        """A login went through: the name's and the client's counters are cleared, the account's last login noted."""
        with self.transaction() as tx:
            tx.con.execute('DELETE FROM login_failures WHERE "key" IN (SELECT unnest(?))', [keys])
            tx.con.execute("UPDATE users SET last_login = ? WHERE name = ?", [now, name])

    def lock_name(self, name: str, until: datetime, detail: dict) -> None:
        """Lock a login name until `until` (against failing clients: ground/auth.py), written to the audit log."""
        with self.transaction() as tx:
            tx.con.execute('UPDATE login_failures SET locked_until = ? WHERE "key" = ?', [until, f"name:{name}"])
            audit(tx.con, self.clock(), name, "login_locked", {**detail, "until": until})

    def login_event(self, action: str, detail: dict, now: datetime) -> None:
        """An unusual burst of failed logins, for the admins (Quản trị > Đăng nhập bất thường)."""
        with self.transaction() as tx:
            audit(tx.con, now, detail.get("client") or "", action, detail)

    def login_alerts(self, limit: int = 50) -> pd.DataFrame:
        """The latest locks and bursts, newest first: at, action, detail (JSON text)."""
        with self.connect() as con:
            return con.execute(
                'SELECT "at", action, detail::VARCHAR AS detail FROM audit_log '
                "WHERE action IN ('login_locked', 'login_burst') ORDER BY \"at\" DESC, id DESC LIMIT ?",
                [limit],
            ).df()

    # ------------------------------------------------------------ sessions (the browser keeps the token)

    def open_session(self, token_sha256: str, user: User, *, at: datetime, until: datetime) -> None:
        """Record a login under its token's hash, with the account's password generation; purges expired rows."""
        with self.transaction() as tx:
            tx.con.execute("DELETE FROM sessions WHERE expires_at <= ?", [at])
            tx.con.execute(
                "INSERT INTO sessions (token_sha256, name, created_at, expires_at, generation) VALUES (?, ?, ?, ?, ?)",
                [token_sha256, user.name, at, until, user.generation],
            )

    def session(self, token_sha256: str) -> SessionRecord | None:
        """The login a token's hash stands for, as recorded (the caller checks it against the account), or None."""
        with self.connect() as con:
            row = con.execute(
                "SELECT name, created_at, expires_at, generation FROM sessions WHERE token_sha256 = ?", [token_sha256]
            ).fetchone()
        return None if row is None else SessionRecord(*row)

    def close_session(self, token_sha256: str) -> bool:
        """Logout: delete the row; True when there was one."""
        with self.transaction() as tx:
            return bool(
                tx.con.execute("DELETE FROM sessions WHERE token_sha256 = ? RETURNING 1", [token_sha256]).fetchall()
            )

    def purge_sessions(self, now: datetime) -> int:
        """Delete the sessions expired at `now`; how many."""
        with self.transaction() as tx:
            return len(tx.con.execute("DELETE FROM sessions WHERE expires_at <= ? RETURNING 1", [now]).fetchall())

    def upload_unit(self, upload_id: int) -> str:
        """The unit an upload reports for ('' when none), to check who may restore it; KeyError when unknown."""
        with self.connect() as con:
            row = con.execute("SELECT unit FROM uploads WHERE id = ?", [upload_id]).fetchone()
        if row is None:
            raise KeyError(upload_id)
        return row[0]

    # ------------------------------------------------------------ settings

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.connect() as con:
            row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str, *, who: str) -> None:
        with self.transaction() as tx:
            before = tx.con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
            if before is not None and before[0] == value:
                tx.rollback()
                return
            tx.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?, ?, ?)", [key, value, who, self.clock()])
            audit(tx.con, self.clock(), who, "setting", {"key": key, "value": value})

    def login_required(self) -> bool:
        """Whether visitors must log in to see the dashboards (an admin's choice on /quan-tri; off by default)."""
        return self.setting(REQUIRE_LOGIN, "false") == "true"

    def set_login_required(self, required: bool, *, who: str) -> None:
        self.set_setting(REQUIRE_LOGIN, "true" if required else "false", who=who)
