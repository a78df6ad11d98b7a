"""The history page's frames: every upload with its status, and the audit log in Vietnamese sentences."""

from __future__ import annotations

import json

import pandas as pd

from ground import fmt
from ground.auth import ROLE_NAMES, unit_names
from ground.catalogue import Catalogue
from views.upload_tables import kind_text, months_text

# File, months and status first: what a phone shows before the table scrolls sideways.
HISTORY_COLUMNS = [
    "Lần nhập",
    "Tệp",
    "Tháng",
    "Trạng thái",
    "Đơn vị",
    "Loại báo cáo",
    "Số dòng",
    "Người tải lên",
    "Thời gian",
]
AUDIT_COLUMNS = ["Thời gian", "Người thực hiện", "Thao tác", "Tệp / đối tượng", "Chi tiết"]


def login_burst_text(d: dict) -> tuple[str, str]:
    """(what, detail) of a burst of failed logins: one address, or everyone together."""
    tries = fmt.number(d["failures"], 0) if isinstance(d.get("failures"), int | float) else ""
    if d.get("scope") == "client":
        return f"địa chỉ {d.get('client', '')}", f"{tries} lần đăng nhập sai gần đây; mỗi lần thử tiếp phải chờ lâu hơn"
    return "mọi địa chỉ", f"{tries} lần đăng nhập sai gần đây trên toàn hệ thống; mọi lần thử phải chờ"


def unit_name(catalogue: Catalogue, code: str | None) -> str:
    if not code:
        return fmt.MISSING
    return {u.code: u.name for u in catalogue.units}.get(code, code)


def history_frame(uploads: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """One line per upload, newest first, every value already in the words and formats people read."""
    if uploads.empty:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    return pd.DataFrame(
        {
            "Lần nhập": uploads["upload_id"].map(lambda i: f"#{i}"),
            "Thời gian": uploads["uploaded_at"].map(fmt.datetime),
            "Người tải lên": uploads["uploaded_by"],
            "Tệp": uploads["file_name"],
            "Đơn vị": uploads["unit"].map(lambda u: unit_name(catalogue, u)),
            "Loại báo cáo": uploads["kind"].map(kind_text),
            "Tháng": uploads["periods"].map(lambda p: months_text(list(p))),
            "Số dòng": (uploads["rows"] + uploads["register_rows"]).astype(int),
            "Trạng thái": uploads["status_vi"],
        },
        columns=HISTORY_COLUMNS,
    )


def upload_label(row, catalogue: Catalogue) -> str:
    """An upload in a picker: "#12 · BC trong cay T10.xlsx · T10/2026 · Đang dùng"."""
    return " · ".join([f"#{row.upload_id}", str(row.file_name), months_text(list(row.periods)), row.status_vi])


def _target_text(catalogue: Catalogue, indicator: str, value: float | None) -> str:
    if value is None:
        return "không có"
    try:
        return fmt.quantity(value, catalogue.indicator(indicator).unit)
    except KeyError:
        return fmt.number(value)


def _phase_name(catalogue: Catalogue, code: str) -> str:
    return next((p.name for p in catalogue.phases if p.code == code), code)


def _indicator(catalogue: Catalogue, code: str) -> str:
    try:
        return catalogue.indicator(code).short
    except KeyError:
        return code


def audit_text(action: str, detail: dict, catalogue: Catalogue) -> tuple[str, str]:
    """(what it was about, what happened) of one audit line, in Vietnamese."""
    units = {u.code: u.name for u in catalogue.units}
    d = detail
    if action in ("import", "replace", "restore"):
        replaced = d.get("replaced") or []
        text = months_text(d["periods"]) if d.get("periods") else ""
        if replaced:
            text = (text + "; " if text else "") + "thay thế lần nhập " + ", ".join(f"#{i}" for i in replaced)
        return str(d.get("file", "")), text
    if action == "reject":
        errors = d.get("errors") or []
        first = errors[0]["message"] if errors else ""
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        return str(d.get("file", "")), first + more
    if action in ("user_add", "user_update"):
        role = ROLE_NAMES.get(d.get("role", ""), d.get("role", ""))
        text = f"vai trò: {role}"
        before = (d.get("before") or {}).get("role")
        if before and before != d.get("role"):
            text = f"vai trò: {ROLE_NAMES.get(before, before)} → {role}"
        if d.get("role") == "staff":
            text += f"; đơn vị: {unit_names(d.get('units') or [], units)}"
        return f"tài khoản {d.get('name', '')}", text
    if action in ("user_password", "user_remove"):
        return f"tài khoản {d.get('name', '')}", ""
    if action == "login_locked":
        tries = fmt.number(d["failures"], 0) if isinstance(d.get("failures"), int | float) else ""
        client = f" từ địa chỉ {d['client']}" if d.get("client") else ""
        return f"tài khoản {d.get('name', '')}", f"nhập sai mật khẩu {tries} lần{client}; khóa đến " + (
            fmt.datetime(d["until"]) if d.get("until") else fmt.MISSING
        )
    if action == "login_burst":
        return login_burst_text(d)
    if action in ("target_set", "target_clear"):
        ind = d.get("indicator", "")
        about = f"{_indicator(catalogue, ind)} – {_phase_name(catalogue, d.get('phase', ''))}"
        before = d.get("before") or {}
        if action == "target_clear":
            after = d.get("after") or {}
        else:
            after = {"value": d.get("value"), "source": d.get("source")}
        old, new = _target_text(catalogue, ind, before.get("value")), _target_text(catalogue, ind, after.get("value"))
        text = f"{old} → {new}"
        if after.get("source"):
            text += f" (nguồn: {after['source']})"
        return about, text
    if action == "snapshot_create":
        as_of = fmt.date(d["as_of"]) if d.get("as_of") else fmt.MISSING
        return (
            f"bản chốt #{d.get('id', '')} “{d.get('name', '')}”",
            f"số liệu đến ngày {as_of}; {fmt.integer(d.get('rows'))} dòng",
        )
    if action == "setting":
        if d.get("key") == "require_login":
            return "Yêu cầu đăng nhập để xem", "bật" if d.get("value") == "true" else "tắt"
        return str(d.get("key", "")), str(d.get("value", ""))
    return "", json.dumps(d, ensure_ascii=False)


def audit_frame(audit: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    if audit.empty:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    pairs = zip(audit["action"], audit["detail"], strict=True)
    texts = [audit_text(a, json.loads(d or "{}"), catalogue) for a, d in pairs]
    about = [t[0] or (f or "") for t, f in zip(texts, audit["file_name"].fillna(""), strict=True)]
    return pd.DataFrame(
        {
            "Thời gian": audit["at"].map(fmt.datetime),
            "Người thực hiện": audit["who"],
            "Thao tác": audit["action_vi"],
            "Tệp / đối tượng": about,
            "Chi tiết": [t[1] for t in texts],
        },
        columns=AUDIT_COLUMNS,
    )


ALERT_COLUMNS = ["Thời gian", "Sự việc", "Tài khoản / địa chỉ", "Chi tiết"]


def login_alerts_frame(alerts: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The admins' view of locks and bursts of failed logins (Store.login_alerts()), newest first."""
    if alerts.empty:
        return pd.DataFrame(columns=ALERT_COLUMNS)
    pairs = zip(alerts["action"], alerts["detail"], strict=True)
    texts = [audit_text(a, json.loads(d or "{}"), catalogue) for a, d in pairs]
    names = {"login_locked": "Tạm khóa đăng nhập", "login_burst": "Đăng nhập sai dồn dập"}
    return pd.DataFrame(
        {
            "Thời gian": alerts["at"].map(fmt.datetime),
            "Sự việc": alerts["action"].map(names),
            "Tài khoản / địa chỉ": [t[0] for t in texts],
            "Chi tiết": [t[1] for t in texts],
        },
        columns=ALERT_COLUMNS,
    )
