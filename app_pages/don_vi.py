"""Theo đơn vị (/don-vi): per unit its indicators and their statuses, the plan's "6 rõ" (who, what, when, product,
responsibility, authority), and the reporting-completeness grid unit × month with the missing ones first."""

from __future__ import annotations

import streamlit as st

from app_pages import cached, layout, page_start, tables
from ground import fmt
from store import now_vietnam
from views import formats, reporting, summaries, texts
from views.texts import COL

TEXT = {
    "title": "Tiến độ theo đơn vị",
    "summary": "Đơn vị và trạng thái các chỉ tiêu chủ trì",
    "summary_caption": "Đơn vị có nhiều chỉ tiêu chậm nhất đứng đầu.",
    "missing_now": "{month}: {names} chưa nộp đủ báo cáo.",
    "all_in": "{month}: tất cả {n} đơn vị đã nộp đủ báo cáo.",
    "grid": "Tình hình nộp báo cáo",
    "grid_caption": (
        "Báo cáo tháng phải nộp chậm nhất ngày {day} tháng sau. Ngày nộp là ngày ký trên báo cáo, không có thì "
        "lấy ngày tải lên. Đơn vị chưa nộp tháng {month} đứng đầu. Mỗi đơn vị phải báo cáo các chỉ tiêu mình chủ trì."
    ),
    "six": "Phân công “6 rõ”",
    "six_caption": (
        "Rõ người: đơn vị; rõ việc: chỉ tiêu; rõ thời gian: thời hạn từng giai đoạn; rõ sản phẩm: con số phải đạt; "
        "rõ trách nhiệm: chủ trì hay phối hợp; rõ thẩm quyền: căn cứ trong Kế hoạch."
    ),
    "pick_unit": "Xem đơn vị",
    "all_units": "Tất cả đơn vị",
}

start = page_start.month_and_phase(TEXT["title"], ("thang", "giai_doan"))
snap, cat, f, phase = start.snap, start.cat, start.f, start.phase
view = cached.units(snap, f.month, phase.code, now_vietnam().date())
long = view.long


def summary() -> None:
    layout.section(TEXT["summary"], TEXT["summary_caption"])
    missing = view.not_reported
    if missing:
        st.warning(
            layout.md(TEXT["missing_now"].format(month=fmt.month(f.month), names=", ".join(missing))),
            icon=":material/assignment_late:",
        )
    else:
        n = len(reporting.owed(cat))
        st.success(layout.md(TEXT["all_in"].format(month=fmt.month(f.month), n=n)), icon=":material/task_alt:")
    table = view.summary
    count_cols = [c for c in table.columns if c not in ("Đơn vị",) and not c.startswith("Báo cáo")]
    tables.show(
        table,
        key="units",
        file_stem=f"don-vi-{f.month}",
        formats=dict.fromkeys(count_cols, lambda x: str(int(x))),
        colours={f"Báo cáo {fmt.month(f.month)}": reporting.cell_colours},
        height=min(35 * (len(table) + 1) + 3, 500),
    )


def completeness() -> None:
    layout.section(TEXT["grid"], TEXT["grid_caption"].format(day=reporting.REPORT_DUE_DAY, month=fmt.month(f.month)))
    wide = view.grid
    month_cols = [c for c in wide.columns if c != "Đơn vị"]
    export = long.assign(
        **{
            "Đơn vị": long["unit_name"],
            COL["month"]: [fmt.month(p) for p in long["period"]],
            "Số chỉ tiêu phải báo cáo": long["owed"],
            "Số chỉ tiêu đã có số liệu": long["received"],
            "Ngày nộp": long["submitted"],
            "Hạn nộp": long["due"],
            "Số ngày muộn": long["days_late"],
            "Tình trạng": [reporting.COMPLETENESS[s].label for s in long["status"]],
        }
    )[
        [
            "Đơn vị",
            COL["month"],
            "Số chỉ tiêu phải báo cáo",
            "Số chỉ tiêu đã có số liệu",
            "Ngày nộp",
            "Hạn nộp",
            "Số ngày muộn",
            "Tình trạng",
        ]
    ]
    tables.show(
        wide,
        key="completeness",
        file_stem=f"tinh-hinh-nop-bao-cao-{f.month}",
        colours=dict.fromkeys(month_cols, reporting.cell_colours),
        export=export,
        height=min(35 * (len(wide) + 1) + 3, 500),
        column_config={"Đơn vị": st.column_config.TextColumn(pinned=True)},
    )


def six_clear() -> None:
    layout.section(TEXT["six"], TEXT["six_caption"])
    table = view.six_clear
    unit_col = "Đơn vị (rõ người)"
    names = list(dict.fromkeys(table[unit_col]))
    chosen = st.selectbox(
        TEXT["pick_unit"],
        ["", *names],
        format_func=lambda n: n or TEXT["all_units"],
        key="six_unit",
        placeholder=texts.CHOOSE,
    )
    shown = table[table[unit_col] == chosen] if chosen else table
    product_cols = [c for c in table.columns if c.startswith("Sản phẩm")] + [COL["actual"]]
    tables.show(
        shown,
        key="six_clear",
        file_stem=f"6-ro-{f.month}",
        units=list(shown[COL["unit"]]),
        per_row=dict.fromkeys(product_cols, formats.quantity),
        colours={COL["status"]: summaries.status_colours},
        screen_hide=(COL["unit"], COL["code"]),
        height=min(35 * (len(shown) + 1) + 3, 720),
        pin=unit_col,
    )


summary()
completeness()
six_clear()
