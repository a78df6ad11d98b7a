"""The /tai-len page: staff choose their monthly files, see what was read and what would change, then confirm."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from app_pages import session
from app_pages.layout import header, md
from ground import fmt
from ground.auth import User
from ground.catalogue import Catalogue, load_catalogue
from intake import limits, templates
from intake.importer import ImportOutcome, import_file, rejected, too_big_message
from store import Store
from views.upload_tables import (
    SUMMARY_VI,
    changes_frame,
    kind_text,
    main_indicator,
    months_text,
    outcome_key,
    problem_line,
    rows_frame,
    summary,
    totals,
)

TYPES = ["xlsx", "xlsm", "xls", "xlsb", "ods"]
# Seconds a confirmed import waits for another process (a command-line import) to finish writing: long, since
# giving up would make the staff member send the file again.
WRITE_WAIT = 120.0

TEXT = {
    "title": "Tải lên báo cáo tháng",
    "intro": (
        "Chọn tệp báo cáo tháng đơn vị đang lập (Excel hoặc LibreOffice). Trang sẽ đọc tệp, cho xem số liệu đọc "
        "được và những số sẽ thay đổi; **chưa có gì được ghi** cho đến khi bạn bấm nút xác nhận."
    ),
    "need_login": "Hãy đăng nhập bằng tài khoản cán bộ nhập liệu để tải lên báo cáo.",
    "viewer": (
        "Tài khoản **{name}** là tài khoản xem số liệu nên không tải lên được báo cáo. Nếu bạn cần nhập số liệu "
        "cho đơn vị, hãy nhờ quản trị viên cấp quyền cán bộ nhập liệu."
    ),
    "no_units": "Tài khoản của bạn chưa được giao đơn vị nào nên chưa nhập được báo cáo. Hãy nhờ quản trị viên.",
    "your_units": "Bạn được nhập báo cáo của: {units}.",
    "all_units": "Là quản trị viên, bạn được nhập báo cáo của mọi đơn vị.",
    "uploader": "Chọn tệp báo cáo (một hoặc nhiều tệp)",
    "uploader_help": "Nhận tệp .xlsx, .xlsm, .xls, .xlsb, .ods; mỗi tệp tối đa {mb} MB.",
    "reading": "Đang đọc tệp {i}/{n}: {name}",
    "reading_one": "Đang đọc tệp…",
    "kind": "Loại báo cáo",
    "unit": "Đơn vị",
    "months": "Tháng",
    "rows": "Số dòng số liệu",
    "pick_month": "Tháng báo cáo",
    "pick_month_help": "Tệp không ghi rõ tháng báo cáo: hãy chọn tháng, trang sẽ đọc lại tệp theo tháng đã chọn.",
    "pick_unit": "Đơn vị báo cáo",
    "pick_unit_help": "Không xác định được đơn vị từ tệp: hãy chọn đơn vị của báo cáo này.",
    "pick_placeholder": "Chọn…",
    "will_import": "Sẽ nhập mới.",
    "will_replace": "Sẽ thay thế bản đang dùng (lần nhập {ids}); bản cũ vẫn được lưu trong Lịch sử.",
    "will_keep": "Không đổi: đúng tệp này đã được nhập và đang được dùng.",
    "has_errors": "Có lỗi, chưa thể nhập tệp này. Hãy sửa tệp theo các lỗi dưới đây rồi tải lên lại:",
    "warnings": "Lưu ý (tệp vẫn nhập được)",
    "changes": "Số liệu sẽ thay đổi so với số đang dùng (cũ → mới): {n}",
    "no_changes": "Không có số liệu nào thay đổi so với số đang dùng.",
    "all_new": "Tất cả số liệu trong tệp là số mới, chưa có trong cơ sở dữ liệu.",
    "rows_read": "Số liệu đọc được ({n} dòng trong tệp)",
    "totals": "Tổng toàn xã theo tệp này",
    "confirm": "Xác nhận nhập số liệu",
    "confirm_blocked": "Nút xác nhận bị khóa vì còn tệp có lỗi. Hãy sửa hoặc bỏ tệp đó khỏi danh sách.",
    "confirm_help": "Ghi số liệu của {n} tệp trên vào cơ sở dữ liệu.",
    "saving": "Đang ghi số liệu…",
    "done": "Kết quả nhập: " + ", ".join(f"{v.lower()} {{{k}}}" for k, v in SUMMARY_VI.items()) + ".",
    "done_file": "{file}: {status}{months}{rows}",
    "see_figures": "Xem số liệu: {name}",
    "templates": "Tải mẫu báo cáo trống",
    "templates_intro": "Mẫu Excel của từng loại báo cáo, có sẵn danh sách thôn. Đơn vị có thể dùng bảng đang lập.",
}


# Layout only, no data: Streamlit's uploader speaks English ("Upload", "50MB per file"); say it in Vietnamese.
_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Chọn tệp"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "Tối đa {mb} MB mỗi tệp · {types}"; font-size: 0.875rem;
}}
</style>
"""


def _max_mb() -> str:
    return fmt.number(limits.upload_mb())


@dataclass
class Done:
    """One file's result after the confirm button, kept for the summary after the rerun."""

    file: str
    key: str  # imported | replaced | unchanged | rejected
    periods: list[str]
    rows: int
    indicator: str | None
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- state


def _uploader_key() -> str:
    # A new key empties the uploader after an import, so the same files are not confirmed twice.
    return f"tai_len_tep_{st.session_state.get('tai_len_lan', 0)}"


def _choice(kind: str, file_id: str) -> str | None:
    return st.session_state.get(f"tai_len_{kind}_{file_id}")


def _preview(store: Store, catalogue: Catalogue, user: User, f, period: str | None, unit: str | None) -> ImportOutcome:
    """A dry run of the import, reused across reruns until the database, the file or a choice changes."""
    cache = st.session_state.setdefault("tai_len_xem_truoc", {})
    key = (f.file_id, f.size, period, unit, user.name, store.file_stamp())
    if key not in cache:
        for k in [k for k in cache if k[0] == f.file_id]:
            del cache[k]
        if f.size > limits.upload_bytes():  # the page's own check; the importer checks again when writing
            cache[key] = rejected(f.name, too_big_message(f.size), dry_run=True)
        else:
            cache[key] = import_file(
                store, catalogue, f.getvalue(), f.name, period=period, unit=unit, actor=user, dry_run=True
            )
    return cache[key]


def _cached(store: Store, user: User, f, period: str | None, unit: str | None) -> bool:
    key = (f.file_id, f.size, period, unit, user.name, store.file_stamp())
    return key in st.session_state.get("tai_len_xem_truoc", {})


# ---------------------------------------------------------------- pieces


def _month_options(store: Store, catalogue: Catalogue) -> list[str]:
    """From a year before the plan started to this month, newest first."""
    first = pd.Period(catalogue.commune.plan_start, "M") - 12
    last = pd.Period(store.clock().strftime("%Y-%m"), "M")
    return [str(p) for p in pd.period_range(first, last, freq="M")][::-1]


def _asks_month(o: ImportOutcome) -> bool:
    # The loaders end every "month not found" message by asking to choose the month at upload.
    return any("chọn tháng khi tải lên" in p.message for p in o.errors)


def _styled_rows(frame: pd.DataFrame):
    numbers = [c for c in ("Số liệu", "Trên tổng số") if c in frame.columns]
    return frame.style.format(fmt.number, subset=numbers)


def _problems(title: str, problems, box) -> None:
    if problems:
        box(f"**{title}**\n\n" + "\n".join(f"- {md(problem_line(p))}" for p in problems))


def _file_card(store: Store, catalogue: Catalogue, user: User, f, index: int, count: int) -> ImportOutcome:
    units = {u.code: u.name for u in catalogue.units}
    period, unit = _choice("thang", f.file_id), _choice("don_vi", f.file_id)
    out = _preview(store, catalogue, user, f, period, unit)
    with st.container(border=True):
        st.markdown(f"**{md(out.file)}**")
        facts = [
            f"{TEXT['kind']}: {md(kind_text(out.kind))}",
            f"{TEXT['unit']}: {md(units.get(out.unit or '', out.unit or fmt.MISSING))}",
            f"{TEXT['months']}: {months_text(out.periods)}",
        ]
        if out.report is not None and out.report.observations:
            facts.append(f"{TEXT['rows']}: {fmt.integer(len(out.report.observations))}")
        st.markdown(" · ".join(facts))
        if period is not None or _asks_month(out):
            st.selectbox(
                TEXT["pick_month"],
                _month_options(store, catalogue),
                index=None,
                format_func=fmt.month,
                key=f"tai_len_thang_{f.file_id}",
                help=TEXT["pick_month_help"],
                placeholder=TEXT["pick_placeholder"],
            )
        if unit is not None or (out.kind is not None and out.unit is None):
            options = [u.code for u in catalogue.units if user.may_write_unit(u.code)]
            st.selectbox(
                TEXT["pick_unit"],
                options,
                index=None,
                format_func=lambda c: units.get(c, c),
                key=f"tai_len_don_vi_{f.file_id}",
                help=TEXT["pick_unit_help"],
                placeholder=TEXT["pick_placeholder"],
            )
        if out.errors:
            _problems(TEXT["has_errors"], out.errors, st.error)
        elif out.status == "unchanged":
            st.info(TEXT["will_keep"])
        elif out.replaced:
            st.warning(TEXT["will_replace"].format(ids=", ".join(f"#{i}" for i in out.replaced)))
        else:
            st.success(TEXT["will_import"])
        _problems(TEXT["warnings"], out.warnings, st.warning)
        if not out.errors and out.status != "unchanged":
            _changes(out, catalogue)
        sums = totals(out, catalogue)
        if sums and not out.errors:
            st.markdown(f"**{TEXT['totals']}**\n\n" + "\n".join(f"- {md(t)}" for t in sums))
        rows = rows_frame(out, catalogue)
        if not rows.empty:
            n = len(out.report.observations)
            with st.expander(TEXT["rows_read"].format(n=fmt.integer(n)), expanded=count == 1):
                st.dataframe(_styled_rows(rows), hide_index=True, width="stretch")
    return out


def _changes(out: ImportOutcome, catalogue: Catalogue) -> None:
    touched = [c for c in out.changes if c.old_value is not None or c.new_value is None]
    if not out.changes:
        st.caption(TEXT["no_changes"])
    elif not touched:
        st.caption(TEXT["all_new"])
    else:
        st.markdown(f"**{TEXT['changes'].format(n=fmt.integer(len(touched)))}**")
        st.dataframe(changes_frame(touched, catalogue), hide_index=True, width="stretch")


def _confirm(store: Store, catalogue: Catalogue, user: User, files, previews: list[ImportOutcome]) -> None:
    done: list[Done] = []
    writer = copy.copy(store)  # the same database, a longer wait
    writer.timeout = WRITE_WAIT
    with st.spinner(TEXT["saving"]):
        for f, seen in zip(files, previews, strict=True):
            period, unit = _choice("thang", f.file_id), _choice("don_vi", f.file_id)
            o = import_file(writer, catalogue, f.getvalue(), f.name, period=period, unit=unit, actor=user)
            done.append(
                Done(o.file, outcome_key(o), list(o.periods), o.rows, main_indicator(o) or main_indicator(seen),
                     [problem_line(p) for p in o.errors])
            )  # fmt: skip
    st.session_state["tai_len_ket_qua"] = done
    st.session_state["tai_len_lan"] = st.session_state.get("tai_len_lan", 0) + 1
    st.session_state.pop("tai_len_xem_truoc", None)
    st.rerun()


def _summary(catalogue: Catalogue) -> None:
    done: list[Done] | None = st.session_state.get("tai_len_ket_qua")
    if not done:
        return
    counts = summary(d.key for d in done)
    box = st.success if not counts["rejected"] else st.warning
    lines = [TEXT["done"].format(**{k: fmt.integer(v) for k, v in counts.items()})]
    for d in done:
        months = f" – {months_text(d.periods)}" if d.periods else ""
        rows = f" – {fmt.integer(d.rows)} dòng" if d.key in ("imported", "replaced") else ""
        status = SUMMARY_VI[d.key]
        lines.append("- " + TEXT["done_file"].format(file=md(d.file), status=status, months=months, rows=rows))
        lines += [f"    - {md(e)}" for e in d.errors]
    box("\n".join(lines))
    links = {d.indicator for d in done if d.indicator and d.key != "rejected"}
    for code in sorted(links):
        try:
            name = catalogue.indicator(code).name
        except KeyError:
            continue
        figures_link(code, TEXT["see_figures"].format(name=name))


def figures_link(code: str, label: str) -> None:
    """A link to the indicator's page with the figures just imported."""
    st.page_link("app_pages/chi_tieu.py", label=label, icon=":material/bar_chart:", query_params={"ma": code})


@st.cache_data(show_spinner=False)
def _template(kind: str, unit: str | None) -> bytes:
    return templates.template_bytes(kind, load_catalogue(), unit)


def templates_section(catalogue: Catalogue) -> None:
    with st.expander(TEXT["templates"]):
        st.caption(TEXT["templates_intro"])
        for kind, unit, file_name, label in templates.template_names(catalogue):
            st.download_button(
                label,
                data=lambda kind=kind, unit=unit: _template(kind, unit),
                file_name=file_name,
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"mau_{kind}_{unit or ''}",
                icon=":material/download:",
                on_click="ignore",
            )


# ---------------------------------------------------------------- page


def render() -> None:
    st.html(_CSS.format(mb=_max_mb(), types=", ".join(t.upper() for t in TYPES)))
    header(TEXT["title"])
    store = session.app_store()
    catalogue = load_catalogue()
    user = session.signed_in(store, TEXT["need_login"], key="dang_nhap_tai_len")
    if user is None:
        templates_section(catalogue)
        return
    if not user.may_upload:
        st.warning(TEXT["viewer"].format(name=md(user.name)))
        return
    if user.is_admin:
        st.caption(TEXT["all_units"])
    elif not user.units:
        st.warning(TEXT["no_units"])
        return
    else:
        names = ", ".join(catalogue.unit(u).name for u in user.units if u in {x.code for x in catalogue.units})
        st.caption(TEXT["your_units"].format(units=md(names)))
    if not st.session_state.get(_uploader_key()):  # the last import's result, until new files are chosen
        _summary(catalogue)
    st.markdown(TEXT["intro"])
    files = st.file_uploader(
        TEXT["uploader"],
        type=TYPES,
        accept_multiple_files=True,
        key=_uploader_key(),
        max_upload_size=max(1, math.ceil(limits.upload_mb())),  # the browser's check, in whole MB
        help=TEXT["uploader_help"].format(mb=_max_mb()),
    )
    if files:
        st.session_state.pop("tai_len_ket_qua", None)
        _read_all(store, catalogue, user, files)
    templates_section(catalogue)


def _read_all(store: Store, catalogue: Catalogue, user: User, files) -> None:
    pending = [
        f for f in files if not _cached(store, user, f, _choice("thang", f.file_id), _choice("don_vi", f.file_id))
    ]
    if pending:
        bar = st.progress(0.0, text=TEXT["reading_one"])
        for i, f in enumerate(pending):
            bar.progress(i / len(pending), text=TEXT["reading"].format(i=i + 1, n=len(pending), name=md(f.name)))
            _preview(store, catalogue, user, f, _choice("thang", f.file_id), _choice("don_vi", f.file_id))
        bar.empty()
    previews = [_file_card(store, catalogue, user, f, i, len(files)) for i, f in enumerate(files)]
    blocked = any(o.errors for o in previews)
    if blocked:
        st.error(TEXT["confirm_blocked"])
    if st.button(
        TEXT["confirm"],
        key="confirm_import",
        type="primary",
        disabled=blocked,
        help=TEXT["confirm_help"].format(n=len(files)),
    ):
        _confirm(store, catalogue, user, files, previews)


if __name__ == "__main__":
    session.guarded(render)
