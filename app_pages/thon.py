"""Theo thôn (/thon): the village × indicator grid coloured by status, the villages' ranking (overall and on one
indicator), and one village's own view when a village is chosen."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app_pages import cached, chart_download, data, layout, page_start, tables
from ground import fmt
from indicators import STATUSES
from views import formats, html_table, summaries
from views.texts import COL

TEXT = {
    "title": "Tiến độ theo thôn",
    "pick": "Chọn một thôn ở ô “Thôn” để xem riêng tiến độ của thôn đó.",
    "own": "Trang của {village}",
    "own_caption": (
        "Các chỉ tiêu được báo cáo theo thôn. Chỉ tiêu số lượng của thôn bằng chỉ tiêu của xã chia đều cho {n} thôn."
    ),
    "grid": "Bảng thôn × chỉ tiêu",
    "grid_caption": (
        "Mỗi ô tô màu theo trạng thái, ghi số thực hiện (chỉ tiêu cộng dồn: lũy kế từ {start}). "
        "Trên điện thoại, kéo ngang để xem hết các cột."
    ),
    "grid_table": "Bảng số liệu (tải về được)",
    "grid_html": "Tiến độ từng thôn theo chỉ tiêu, {month}: ký hiệu, số thực hiện và trạng thái",
    "grid_description": (
        "Bảng màu {n} thôn theo từng chỉ tiêu, {month}: mỗi ô là số thực hiện tô màu theo trạng thái; "
        "bảng số liệu đầy đủ ở ngay dưới."
    ),
    "ranking": "Xếp hạng các thôn",
    "ranking_caption": (
        "Xếp theo tỷ lệ chỉ tiêu đã đạt hoặc đúng tiến độ trong số chỉ tiêu có số liệu của thôn; "
        "bằng nhau thì thôn ít chỉ tiêu chậm hơn đứng trước."
    ),
    "by_indicator": "Xếp hạng theo chỉ tiêu: {short}",
    "not_by_village": "“{short}” không được báo cáo theo thôn. Chọn chỉ tiêu khác ở ô “Chỉ tiêu”.",
    "no_village_data": "Chưa có chỉ tiêu nào được báo cáo theo thôn.",
}

start = page_start.month_and_phase(TEXT["title"], ("thang", "giai_doan", "thon", "ma"))
snap, cat, f, phase = start.snap, start.cat, start.f, start.phase
frame = data.assessments(snap, f.month, phase.code)
villages = data.village_rows(frame)
units_of = {i.short: i.unit for i in cat.indicators}


def own_village() -> None:
    if not f.village:
        st.info(TEXT["pick"], icon=":material/touch_app:")
        return
    v = cat.village(f.village)
    rows = villages[villages["place"] == v.code]
    layout.section(TEXT["own"].format(village=v.name), TEXT["own_caption"].format(n=len(cat.villages)))
    counts = summaries.status_counts(rows) if not rows.empty else {}
    layout.kpis(
        [layout.Kpi(f"{STATUSES[c].icon} {STATUSES[c].label}", str(n)) for c, n in counts.items() if c != "theo_doi"],
        width=165,
    )
    table = summaries.place_table(rows, cat)
    tables.show_places(
        table,
        key="village_own",
        file_stem=f"{v.code}-{f.month}",
        units=list(table[COL["unit"]]),
        pin=COL["indicator"],
        height=min(35 * (len(table) + 1) + 3, 620),
    )


def grid() -> None:
    layout.section(TEXT["grid"], TEXT["grid_caption"].format(start=fmt.month(cat.commune.plan_start)))
    view = cached.villages(snap, f.month, phase.code)
    values, statuses = view.values, view.statuses
    # A wide screen sees the chart; a phone, paper and a screen reader get the same grid as an HTML table whose
    # village names stay in view and whose every cell carries its status glyph and words (in its title).
    with st.container(key="wideonly_grid"):
        chart_download.chart_with_png(
            cached.grid_spec(snap, f.month, phase.code),
            key="grid",
            fixed=True,
            title=TEXT["grid"],
            period=f.month,
            source=chart_download.source_line(cat),
            cutoff_date=chart_download.cutoff(snap),
            description=TEXT["grid_description"].format(month=fmt.month(f.month), n=len(values)),
        )
    st.html(heat_table(values, statuses))
    # The grid's sortable canvas and its downloads: for the screen (paper has the HTML table above).
    with st.container(key="screenonly_grid_table"), st.expander(TEXT["grid_table"]):
        colours = pd.DataFrame(
            {c: [summaries.status_colours(t) for t in statuses[c]] if c != COL["village"] else None for c in values}
        )
        cell_formats = {c: (lambda x, u=units_of[c]: formats.quantity(x, u)) for c in values.columns if c in units_of}
        export = values.rename(columns={c: f"{c} ({units_of[c]})" for c in values.columns if c in units_of})
        tables.show(
            values,
            key="grid_table",
            file_stem=f"thon-chi-tieu-{f.month}",
            formats=cell_formats,
            cell_colours=colours,
            export=export,
            height=min(35 * (len(values) + 1) + 3, 760),
            html=False,
        )


def heat_table(values: pd.DataFrame, statuses: pd.DataFrame) -> str:
    """The village × indicator grid as HTML: "▲ 1.250" in the status colour, the village as the row header."""
    headers = list(values.columns)
    rows = []
    for r in range(len(values)):
        row: list[html_table.Cell] = [(str(values.iat[r, 0]), None)]
        for c in range(1, len(headers)):
            status = str(statuses.iat[r, c] or "")
            figure = formats.quantity(values.iat[r, c], units_of.get(headers[c], ""))
            glyph = status.split(" ", 1)[0] if status else ""
            words = f"({status.split(' ', 1)[-1]})" if status else ""
            row.append(((f"{glyph} {figure}".strip(), words), summaries.status_colours(status)))
        rows.append(row)
    table = html_table.table(
        headers,
        rows,
        caption=TEXT["grid_html"].format(month=fmt.month(f.month)),
        numeric=[False] * len(headers),
        css_class="xanh-heat",
    )
    legend = " · ".join(f"{STATUSES[c].icon} {STATUSES[c].label}" for c in STATUSES if c != "theo_doi")
    return f'<div class="xanh-narrow-visible"><p>{html.escape(legend)}</p>{table}</div>'


def ranking() -> None:
    layout.section(TEXT["ranking"], TEXT["ranking_caption"])
    table = cached.villages(snap, f.month, phase.code).ranking
    share = summaries.RANK_SHARE
    tables.show(
        table,
        key="ranking",
        file_stem=f"xep-hang-thon-{f.month}",
        formats={share: lambda x: fmt.percent(x, 1), "Hạng": lambda x: str(int(x))}
        | {STATUSES[c].label: (lambda x: str(int(x))) for c in STATUSES},
        height=min(35 * (len(table) + 1) + 3, 760),
    )
    ind = cat.indicator(f.indicator)
    layout.section(TEXT["by_indicator"].format(short=ind.short))
    spec = cached.village_spec(snap, ind.code, f.month, phase.code)
    if spec is None:
        st.caption(layout.md(TEXT["not_by_village"].format(short=ind.short)))
        return
    chart_download.chart_with_png(
        spec,
        key="by_indicator",
        title=f"{ind.name} – theo thôn",
        unit=ind.unit,
        period=f.month,
        source=chart_download.source_line(cat, [ind.responsible]),
        cutoff_date=chart_download.cutoff(snap),
    )


own_village()
if villages.empty:
    st.info(TEXT["no_village_data"], icon=":material/info:")
else:
    grid()
    ranking()
