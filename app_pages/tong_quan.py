"""Tổng quan (/): where the plan stands this month in the phase: what needs attention, where and whose, the counts
by status, one card per sector, and every indicator's status; or, under "Tầm nhìn 2050", the vision and trends."""

from __future__ import annotations

import streamlit as st

from app_pages import cached, data, filters, layout, tables
from ground import fmt
from indicators import STATUSES, month_index
from views import formats, summaries
from views.texts import COL

TEXT = {
    "title": "Tổng quan tiến độ chuyển đổi xanh",
    "attention": "Cần chú ý",
    "attention_caption": (
        "Mọi chỉ tiêu chậm so với lộ trình của giai đoạn, chậm nhất trước; với mỗi chỉ tiêu: thôn chậm nhất và "
        "đơn vị chủ trì."
    ),
    "none_behind": "Không có chỉ tiêu nào chậm so với lộ trình trong {month}.",
    "missing": "Chưa có số liệu hai tháng gần nhất: {names}.",
    "counts": "Số chỉ tiêu theo trạng thái",
    "counts_caption": "Mũi tên: thay đổi so với {prev}.",
    "sectors": "Theo lĩnh vực",
    "table": "Trạng thái từng chỉ tiêu",
    "table_caption": (
        "Xếp chỉ tiêu chậm nhất lên đầu. Với chỉ tiêu cộng dồn (cây xanh, tin bài, hội nghị…), thực hiện là tổng "
        "từ {start}; tỷ lệ và số hiện có là mức của tháng. Kỳ vọng đến nay là mức lẽ ra phải đạt nếu đi đều từ "
        "mức cơ sở tới chỉ tiêu cuối giai đoạn."
    ),
    "detail": "Xem chi tiết: {short}",
    "ratio_words": " · đạt {pct} mức cần có đến nay",
    "where": "Thực hiện {actual}, kỳ vọng {expected}, chỉ tiêu {target} ({end}).",
    "where_cap": "Đã có {actual}, mức cho phép đến nay {expected}, tối đa {target} cả giai đoạn (đến {end}).",
    "villages_lag": "Thôn chậm nhất: {names}.",
    "villages_ok": "Các thôn đều không chậm.",
    "not_by_village": "Chỉ tiêu này không báo cáo theo thôn.",
    "owner": "Chủ trì: **{unit}**",
    "helpers": " · phối hợp: {units}",
    "phase_line": "{phase} (đến {end}, còn {left} tháng)",
    "vision_title": "Tầm nhìn đến năm 2050",
    "vision_caption": "Trích mục V của Kế hoạch.",
    "trend_title": "Xu hướng dài hạn của từng chỉ tiêu",
    "trend_caption": (
        "Đường xu hướng bình phương nhỏ nhất trên các tháng đã báo cáo đến {month}, kéo dài đến {horizon} và so "
        "với chỉ tiêu cuối giai đoạn cuối. Chỉ tiêu cộng dồn tính trên số lũy kế."
    ),
    "vision_counts": "{meets}/{total} chỉ tiêu có xu hướng đạt chỉ tiêu {horizon}.",
}

snap = data.snapshot()
if not layout.ready(snap, TEXT["title"]):
    st.stop()

cat = snap.catalogue
f = filters.current(snap)
phase = cat.phase(f.status_phase(snap))
left = max(month_index(phase.end) - month_index(f.month), 0)
layout.header(
    TEXT["title"],
    f"{cat.commune.name} · {fmt.month(f.month)} · "
    + (
        "Tầm nhìn 2050"
        if f.vision
        else TEXT["phase_line"].format(phase=phase.name, end=fmt.month(phase.end), left=left)
    )
    + f" · {layout.snapshot_line(snap)}",
)
layout.print_head(snap, TEXT["title"], f.month)
f = filters.bar(snap, ("thang", "giai_doan"))

prev_month = data.previous_month(f.month)


def per_row_formats() -> dict:
    return {
        COL["actual"]: formats.quantity,
        COL["target"]: formats.quantity,
        COL["expected"]: formats.quantity,
        COL["required"]: formats.pace,
        COL["current"]: formats.pace,
        COL["change"]: formats.change,
    }


def show_vision() -> None:
    horizon = cat.phases[-1].end
    trends = cached.trends(snap, f.month, phase.code)
    verdicts = summaries.TREND_VERDICTS
    meets = int((trends[summaries.TREND_VERDICT] == verdicts["meets"]).sum())
    with_target = int(trends[summaries.TREND_VERDICT].isin([verdicts["meets"], verdicts["misses"]]).sum())
    left_col, right_col = st.columns([1, 2], gap="medium")
    with left_col:
        layout.section(TEXT["vision_title"], TEXT["vision_caption"])
        with st.container(border=True):
            st.markdown(layout.md(cat.commune.vision_2050))
        st.metric(
            "Chỉ tiêu có xu hướng đạt",
            f"{meets}/{with_target}",
            help=TEXT["vision_counts"].format(meets=meets, total=with_target, horizon=fmt.month(horizon)),
            border=True,
        )
    with right_col:
        layout.section(
            TEXT["trend_title"], TEXT["trend_caption"].format(month=fmt.month(f.month), horizon=fmt.month(horizon))
        )
        value_cols = [c for c in trends.columns if c.startswith(("Hiện nay", "Dự báo", "Chỉ tiêu 2"))]
        row_formats = dict.fromkeys(value_cols, formats.quantity) | {"Xu hướng/tháng": formats.pace}
        tables.show(
            trends,
            key="trends",
            file_stem=f"xu-huong-{f.month}",
            units=list(trends[COL["unit"]]),
            per_row=row_formats,
            formats={"Số tháng tính xu hướng": lambda x: fmt.integer(x)},
            colours={summaries.TREND_VERDICT: summaries.trend_colours},
            screen_hide=(COL["unit"], COL["code"]),
            height=_height(len(trends)),
            pin=COL["indicator"],
        )


def _height(rows: int) -> int:
    return min(35 * (rows + 1) + 3, 1200)


def attention_card(n: int, a: summaries.Attention) -> None:
    s = STATUSES[a.status]
    lines = [
        f"**{n}. {layout.md(a.short)}**",
        f"{s.icon} **{layout.md(s.label)}**"
        + ("" if a.r is None else layout.md(TEXT["ratio_words"].format(pct=fmt.percent(a.r * 100, 0)))),
        layout.md(
            TEXT["where_cap" if a.method == "down_cap" else "where"].format(
                actual=formats.quantity(a.actual, a.unit),
                expected=formats.quantity(a.expected, a.unit),
                target=formats.quantity(a.target, a.unit),
                end=fmt.month(phase.end),
            )
        ),
    ]
    sentence = summaries.pace_sentence(a.method, a.kind, a.required_pace, a.current_pace, a.unit)
    if sentence:
        lines.append(layout.md(sentence))
    if not a.by_village:
        lines.append(layout.md(TEXT["not_by_village"]))
    elif a.villages:
        names = ", ".join(
            f"{v.name} ({STATUSES[v.status].icon} {formats.quantity(v.actual, a.unit)})" for v in a.villages
        )
        lines.append(layout.md(TEXT["villages_lag"].format(names=names)))
    else:
        lines.append(layout.md(TEXT["villages_ok"]))
    owner = TEXT["owner"].format(unit=layout.md(a.responsible))
    if a.cooperating:
        owner += layout.md(TEXT["helpers"].format(units=", ".join(a.cooperating)))
    lines.append(owner)
    st.markdown("  \n".join(lines))
    st.page_link(
        "app_pages/chi_tieu.py",
        label=TEXT["detail"].format(short=a.short),
        icon=":material/arrow_forward:",
        query_params={"ma": a.indicator},
    )


def show_attention(view: cached.Overview) -> None:
    layout.section(TEXT["attention"], TEXT["attention_caption"])
    cards = view.attention
    if not cards:
        st.success(layout.md(TEXT["none_behind"].format(month=fmt.month(f.month))), icon=":material/check_circle:")
    else:
        # Side by side on a laptop, as many rows as needed; one under the other on a phone.
        with st.container(horizontal=True, wrap=True, gap="small"):
            for n, a in enumerate(cards, start=1):
                with st.container(border=True, width=340):
                    attention_card(n, a)
    missing = view.missing
    if missing:
        st.caption(layout.md(TEXT["missing"].format(names=", ".join(missing))))


def show_counts(view: cached.Overview) -> None:
    layout.section(TEXT["counts"], TEXT["counts_caption"].format(prev=fmt.month(prev_month)))
    now, before = view.counts, view.previous_counts
    good = {"dat", "dung"}
    items = []
    for code, n in now.items():
        s = STATUSES[code]
        diff = n - before.get(code, 0)
        # More indicators met or on track is better; more in any other status is worse.
        fields = (
            layout.change_kpi_fields(
                diff, "up" if code in good else "down", fmt.signed(diff, 0), ("tốt hơn", "xấu hơn")
            )
            if diff
            else {}
        )
        items.append(layout.Kpi(f"{s.icon} {s.label}", f"{n}", **fields))
    layout.kpis(items, width=165)


def show_sectors(view: cached.Overview) -> None:
    layout.section(TEXT["sectors"])
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for card in view.cards:
            with st.container(border=True, width=390):
                st.markdown(f"**{layout.md(card.name)}**")
                counts = " · ".join(f"{STATUSES[c].icon} {n}" for c, n in card.counts.items())
                st.caption(layout.md(f"{sum(card.counts.values())} chỉ tiêu: {counts}"))
                lines = [f"{STATUSES[c].icon} {short}: {figure}" for c, short, figure in card.lines]
                st.markdown("  \n".join(layout.md(line) for line in lines))


def show_table(view: cached.Overview) -> None:
    layout.section(TEXT["table"], TEXT["table_caption"].format(start=fmt.month(cat.commune.plan_start)))
    table = view.table
    tables.show(
        table,
        key="status_table",
        file_stem=f"trang-thai-chi-tieu-{f.month}",
        units=list(table[COL["unit"]]),
        per_row=per_row_formats(),
        formats={COL["pct"]: lambda x: fmt.percent(x, 1)},
        colours={COL["status"]: summaries.status_colours, COL["previous_status"]: summaries.status_colours},
        screen_hide=(COL["unit"], COL["code"]),
        height=_height(len(table)),
        pin=COL["indicator"],
    )


if f.vision:
    show_vision()
else:
    overview = cached.overview(snap, f.month, phase.code)
    show_counts(overview)  # first: on a phone the counts are the first screen
    show_attention(overview)
    show_sectors(overview)
    show_table(overview)
