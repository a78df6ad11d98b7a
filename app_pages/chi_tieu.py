"""Chỉ tiêu (/chi-tieu?ma=CODE): one indicator: its series against the phase targets and the planned path,
villages, breakdowns, the figures, the files they came from, the target's source, plan clause and units."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import cached, chart_download, data, filters, layout, tables
from ground import fmt
from indicators import assess, targets_frame, trend, village_share
from loaders.model import KIND_NAMES
from views import formats, summaries, texts
from views.texts import COL

TEXT = {
    "title": "Chỉ tiêu",
    "not_by_village": "Chỉ tiêu này không được báo cáo theo thôn, nên đang hiển thị số liệu toàn xã.",
    "actual_flow": "Lũy kế đến {month}",
    "actual_level": "Thực hiện {month}",
    "in_month_help": "Mũi tên: số thực hiện trong tháng.",
    "vs_prev": "so với {month}",
    "target": "Chỉ tiêu {end}",
    "pct": "% chỉ tiêu",
    "expected": "Kỳ vọng đến nay",
    "target_cap": "Mức trần đến {end}",
    "pct_cap": "% mức trần đã dùng",
    "expected_cap": "Mức cho phép đến nay",
    "status": "Trạng thái",
    "ratio_words": "đạt {pct} mức cần có đến nay",
    "chart_sentence": "Biểu đồ {name}, {place}: đến {month} thực hiện {actual}",
    "chart_target": ", chỉ tiêu {target} đến {end}",
    "chart_status": "; trạng thái: {status}. Số liệu từng tháng ở bảng ngay dưới.",
    "required": "Tốc độ cần",
    "current": "đang đạt {pace}",
    "allowed": "Còn được thêm tối đa",
    "current_cap": "đang là {pace}",
    "series": "Diễn biến theo tháng",
    "series_caption": (
        "Đường liền: thực hiện; đường đứt: lộ trình kế hoạch (đi đều từ mức cơ sở đến chỉ tiêu cuối mỗi giai đoạn); "
        "hình thoi: chỉ tiêu cuối giai đoạn."
    ),
    "trend": (
        "Xu hướng {slope} → dự báo {projected} vào {horizon} (chỉ tiêu {target}): {verdict}. "
        "Tính trên {points} tháng có số liệu."
    ),
    "trend_none": "Chưa đủ số liệu để tính xu hướng dài hạn (cần ít nhất hai tháng).",
    "verdict_none": "không có chỉ tiêu để so",
    "verdict_meets": "đạt nếu giữ xu hướng",
    "verdict_misses": "chưa đạt nếu giữ xu hướng",
    "vision": "Tầm nhìn đến năm 2050 (mục V của Kế hoạch)",
    "villages": "Theo thôn",
    "villages_caption": (
        "Chỉ tiêu của mỗi thôn bằng chỉ tiêu của xã chia đều cho {n} thôn (với chỉ tiêu số lượng); "
        "tỷ lệ thì mỗi thôn cùng chỉ tiêu với xã."
    ),
    "breakdown": "Theo {dim}",
    "breakdown_ratio": "Tỷ lệ {month} theo {dim}",
    "figures": "Số liệu từng tháng",
    "rows": "Các dòng số liệu của {month}",
    "rows_caption": "Từng dòng đọc được từ tệp báo cáo đang có hiệu lực, kèm trang tính và số dòng trong tệp.",
    "rows_none": "Không có dòng số liệu nào của {month}.",
    "sources": "Tệp báo cáo đang dùng cho chỉ tiêu này",
    "about": "Thông tin chỉ tiêu",
    "proposal": texts.PROPOSAL_NOTE,
}

snap = data.snapshot()
if not layout.ready(snap, TEXT["title"]):
    st.stop()

cat = snap.catalogue
f = filters.current(snap)
ind = cat.indicator(f.indicator)
layout.header(
    ind.name,
    f"{texts.KINDS[ind.kind]} · {texts.DIRECTIONS[ind.direction]} · Đơn vị tính: {ind.unit} · "
    f"{layout.snapshot_line(snap)}",
)
layout.print_head(snap, ind.name, f.month)
f = filters.bar(snap, ("thang", "giai_doan", "ma", "thon"))
village = f.village
if village and not data.by_village(snap, ind.code):
    st.info(TEXT["not_by_village"], icon=":material/info:")
    village = None
place_name = cat.village(village).name if village else cat.commune.name
share = village_share(cat, village) if village else 1.0
phase = cat.phase(f.status_phase(snap))
figures = data.series(snap, ind.code, village)
a = assess(ind, cat, figures, f.month, phase.code, share=share, place=village)
unit = ind.unit
prev = data.previous_month(f.month)


def kpis() -> None:
    flow = ind.kind == "flow"
    items = []
    if flow:
        delta = a.month_value
        fields = (
            layout.change_kpi_fields(delta, ind.direction, formats.change(delta, unit)) if delta is not None else {}
        )
        items.append(
            layout.Kpi(
                TEXT["actual_flow"].format(month=fmt.month(f.month)),
                formats.quantity(a.actual, unit),
                help=TEXT["in_month_help"],
                **fields,
            )
        )
    else:
        fields = (
            layout.change_kpi_fields(a.change, ind.direction, formats.change(a.change, unit))
            if a.change is not None
            else {}
        )
        items.append(
            layout.Kpi(
                TEXT["actual_level"].format(month=fmt.month(a.actual_period or f.month)),
                formats.quantity(a.actual, unit),
                description=TEXT["vs_prev"].format(month=fmt.month(prev)) if fields else None,
                **fields,
            )
        )
    if a.target is not None:
        cap = a.method == "down_cap"
        end = fmt.month(phase.end)
        items.append(
            layout.Kpi(
                TEXT["target_cap" if cap else "target"].format(end=end),
                formats.quantity(a.target, unit),
                help=layout.md(a.target_source) if a.target_source else None,  # admin-entered: never markup
            )
        )
        items.append(layout.Kpi(TEXT["pct_cap" if cap else "pct"], fmt.percent(a.pct_of_target, 1)))
        items.append(layout.Kpi(TEXT["expected_cap" if cap else "expected"], formats.quantity(a.expected, unit)))
    s = a.status
    items.append(
        layout.Kpi(
            TEXT["status"],
            f"{s.icon} {s.label}",
            description=None if a.r is None else TEXT["ratio_words"].format(pct=fmt.percent(a.r * 100, 0)),
        )
    )
    if a.required_pace is not None:
        cap = a.method == "down_cap"
        current = fmt.MISSING if a.current_pace is None else formats.pace(a.current_pace, unit)
        items.append(
            layout.Kpi(
                TEXT["allowed" if cap else "required"],
                formats.pace(a.required_pace, unit),
                description=TEXT["current_cap" if cap else "current"].format(pace=current),
            )
        )
    layout.kpis(items, width=170)
    units = {u.code: u.name for u in cat.units}
    owner = [f"Chủ trì: {units.get(ind.responsible, ind.responsible)}"]
    if ind.cooperating:
        owner.append(f"phối hợp: {', '.join(units.get(u, u) for u in ind.cooperating)}")
    owner.append(f"mục {ind.plan_clause} của Kế hoạch")
    if a.target_source:
        owner.append(f"nguồn chỉ tiêu: {a.target_source}")
    st.caption(layout.md(" · ".join(owner)))
    if a.note:
        st.caption(layout.md(a.note))


def png_labels() -> dict:
    """What a downloaded chart image of this indicator carries besides its title (app_pages/chart_download.py)."""
    source = chart_download.source_line(cat, [ind.responsible])
    return {"unit": unit, "period": f.month, "source": source, "cutoff_date": chart_download.cutoff(snap)}


def series_section() -> pd.DataFrame:
    layout.section(f"{TEXT['series']} · {place_name}", TEXT["series_caption"])
    until = cached.series_until(cat, f.month, phase, f.vision)
    spec, frame = cached.series_spec(snap, ind.code, village, f.month, until)
    chart_download.chart_with_png(
        spec,
        key="series",
        title=f"{ind.name} – {place_name}",
        **png_labels(),
        status=a.status.label,
        description=series_description(),
        table_html=tables.html_table(*figures_table(frame)),
    )
    if f.vision:
        t = trend(ind, cat, figures, f.month, share=share, place=village)
        if t.projected is None:
            st.caption(TEXT["trend_none"])
        else:
            verdict = TEXT["verdict_none" if t.meets is None else "verdict_meets" if t.meets else "verdict_misses"]
            st.markdown(
                layout.md(
                    TEXT["trend"].format(
                        slope=formats.pace(t.slope, unit),
                        projected=formats.quantity(t.projected, unit),
                        horizon=fmt.month(t.horizon),
                        target=formats.quantity(t.target, unit),
                        verdict=verdict,
                        points=t.points,
                    )
                )
            )
        with st.expander(TEXT["vision"]):
            st.markdown(layout.md(cat.commune.vision_2050))
    return frame


def villages_section() -> None:
    if not data.by_village(snap, ind.code):
        return
    rows = data.village_rows(data.assessments(snap, f.month, phase.code))
    rows = rows[rows["indicator"] == ind.code]
    if rows.empty:
        return
    layout.section(TEXT["villages"], TEXT["villages_caption"].format(n=len(cat.villages)))
    spec = cached.village_spec(snap, ind.code, f.month, phase.code)
    chart_download.chart_with_png(spec, key="villages", title=f"{ind.name} – theo thôn", **png_labels())
    table = summaries.place_table(rows, cat, label="village")
    tables.show_places(
        table,
        key="village_table",
        file_stem=f"{ind.code}-theo-thon-{f.month}",
        units=[unit] * len(table),
        pin=COL["village"],
    )


def dimension_label(dim: str, value: str) -> str:
    if dim == "hang_sao":
        return f"{value} sao"
    return texts.DIMENSION_VALUES.get(dim, {}).get(value, value)


def breakdown_section() -> None:
    parts = data.breakdown(snap, ind.code, village)
    if parts.empty:
        return
    start = max(cat.commune.plan_start, phase.start) if not f.vision else cat.commune.plan_start
    parts = parts[(parts["period"] >= start) & (parts["period"] <= f.month)]
    for dim, rows in parts.groupby("dim", sort=False):
        dim_name = texts.DIMENSIONS.get(dim, dim)
        dim_title = dim_name[:1].upper() + dim_name[1:]
        frame = rows.assign(group=[dimension_label(dim, v) for v in rows["dim_value"]])
        if ind.kind == "ratio":
            now = frame[frame["period"] == f.month]
            if now.empty:
                continue
            layout.section(TEXT["breakdown_ratio"].format(month=fmt.month(f.month), dim=dim_name))
            table = pd.DataFrame(
                {
                    dim_title: now["group"],
                    _num_header(): now["value"],
                    _den_header(): now["denominator"],
                    "Tỷ lệ (%)": now["value"] / now["denominator"].where(now["denominator"] > 0) * 100,
                }
            ).sort_values("Tỷ lệ (%)", na_position="last")
            tables.show(
                table,
                key=f"dim_{dim}",
                file_stem=f"{ind.code}-theo-{dim}-{f.month}",
                formats={"Tỷ lệ (%)": lambda x: fmt.percent(x, 1)},
            )
        else:
            layout.section(TEXT["breakdown"].format(dim=dim_name))
            chart_rows = frame[["period", "group", "value"]]
            spec = cached.breakdown_spec(snap, chart_rows, dim_title, unit)
            chart_download.chart_with_png(spec, key=f"dim_{dim}", title=f"{ind.name} – theo {dim_name}", **png_labels())
            wide = chart_rows.pivot_table(index="period", columns="group", values="value", aggfunc="sum")
            wide = wide.sort_index(ascending=False)
            wide.index = [fmt.month(p) for p in wide.index]
            wide.index.name = COL["month"]
            tables.show(
                wide.reset_index(),
                key=f"dim_table_{dim}",
                file_stem=f"{ind.code}-theo-{dim}",
                height=min(35 * (len(wide) + 1) + 3, 460),
            )


def _num_header() -> str:
    return ind.numerator.header if ind.numerator else "Tử số"


def _den_header() -> str:
    return ind.denominator.header if ind.denominator else "Mẫu số"


def series_description() -> str:
    """The series chart in one sentence for a screen reader: latest figure, target, status."""
    text = TEXT["chart_sentence"].format(
        name=ind.name,
        place=place_name,
        month=fmt.month(a.actual_period or f.month),
        actual=formats.quantity(a.actual, unit),
    )
    if a.target is not None:
        text += TEXT["chart_target"].format(target=formats.quantity(a.target, unit), end=fmt.month(phase.end))
    return text + TEXT["chart_status"].format(status=a.status.label)


def figures_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.io.formats.style.Styler]:
    """The month-by-month figures behind the series chart: (table, its styled view)."""
    rows = frame[(frame["period"] >= cat.commune.plan_start) & (frame["period"] <= f.month)]
    rows = rows.iloc[::-1]
    table = pd.DataFrame({COL["month"]: [fmt.month(p) for p in rows["period"]]})
    if ind.kind == "ratio":
        table[_num_header()] = [figures.get(p, (None, None))[0] for p in rows["period"]]
        table[_den_header()] = [figures.get(p, (None, None))[1] for p in rows["period"]]
        table["Tỷ lệ (%)"] = list(rows["value"])
    elif ind.kind == "flow":
        table["Trong tháng"] = list(rows["value"])
        table["Lũy kế"] = list(rows["actual"])
    else:
        table["Số hiện có cuối tháng"] = list(rows["value"])
    table[COL["expected"]] = list(rows["expected"])
    table["Chỉ tiêu cuối giai đoạn"] = list(rows["target"])
    table["Giai đoạn"] = [cat.phase(p).name for p in rows["phase"]]
    return table, tables.styled(table, formats=_figure_formats())


def _figure_formats() -> dict:
    pct_cols = {"Tỷ lệ (%)", COL["expected"], "Chỉ tiêu cuối giai đoạn"} if ind.kind == "ratio" else {"Tỷ lệ (%)"}
    return dict.fromkeys(pct_cols, lambda x: fmt.percent(x, 1))


def figures_section(frame: pd.DataFrame) -> None:
    layout.section(f"{TEXT['figures']} · {place_name}")
    table, _ = figures_table(frame)
    tables.show(
        table,
        key="figures",
        file_stem=f"{ind.code}-theo-thang",
        formats=_figure_formats(),
        height=min(35 * (len(table) + 1) + 3, 460),
    )


def rows_section() -> None:
    layout.section(TEXT["rows"].format(month=fmt.month(f.month)), TEXT["rows_caption"])
    obs = data.observations(snap, ind.code, f.month, village)
    if obs.empty:
        st.caption(TEXT["rows_none"].format(month=fmt.month(f.month)))
        return
    villages = {v.code: v.name for v in cat.villages}
    table = pd.DataFrame(
        {
            "Tệp": obs["file_name"],
            "Trang tính": obs["sheet"],
            "Dòng": obs["row"],
            COL["village"]: [villages.get(v, v) if isinstance(v, str) else fmt.MISSING for v in obs["village"]],
            "Phân loại": [
                dimension_label(d, v) if d else fmt.MISSING for d, v in zip(obs["dim"], obs["dim_value"], strict=True)
            ],
            _num_header() if ind.kind == "ratio" else "Số lượng": obs["value"],
        }
    )
    if ind.kind == "ratio":
        table[_den_header()] = obs["denominator"]
    table["Người nhập"] = obs["uploaded_by"]
    table["Thời điểm nhập"] = obs["uploaded_at"]
    tables.show(
        table,
        key="rows",
        file_stem=f"{ind.code}-dong-so-lieu-{f.month}",
        formats={"Dòng": lambda x: str(int(x))},
        height=min(35 * (len(table) + 1) + 3, 460),
    )


def sources_section() -> None:
    layout.section(TEXT["sources"])
    src = data.sources(snap, ind.code)
    if src.empty:
        st.caption(fmt.MISSING)
        return
    units = {u.code: u.name for u in cat.units}
    table = pd.DataFrame(
        {
            "Tệp": src["file_name"],
            "Loại báo cáo": [KIND_NAMES.get(k, k) for k in src["kind"]],
            "Đơn vị gửi": [units.get(u, u) or fmt.MISSING for u in src["unit"]],
            "Các tháng": [", ".join(fmt.month(p) for p in ps) for ps in src["periods"]],
            "Số dòng": src["rows"],
            "Ngày ký": src["signed_on"],
            "Người nhập": src["uploaded_by"],
            "Thời điểm nhập": src["uploaded_at"],
        }
    )
    tables.show(
        table,
        key="sources",
        file_stem=f"{ind.code}-tep-nguon",
        formats={"Số dòng": fmt.integer},
        height=min(35 * (len(table) + 1) + 3, 460),
    )


def about_section() -> None:
    layout.section(TEXT["about"])
    units = {u.code: u.name for u in cat.units}
    lines = [
        f"**Tên đầy đủ:** {layout.md(ind.name)}",
        f"**Mục trong Kế hoạch:** {layout.md(ind.plan_clause)}",
        f"**Đơn vị chủ trì:** {layout.md(units.get(ind.responsible, ind.responsible))}",
    ]
    if ind.cooperating:
        lines.append(f"**Đơn vị phối hợp:** {layout.md(', '.join(units.get(u, u) for u in ind.cooperating))}")
    if ind.baseline is not None:
        base = formats.quantity(ind.baseline * (share if ind.kind != "ratio" else 1), unit)
        lines.append(f"**Mức cơ sở (cuối năm 2025):** {layout.md(base)} {layout.md(ind.baseline_source)}")
    st.markdown("  \n".join(lines))
    targets = targets_frame(ind, cat, share=share)
    if targets.empty:
        st.caption(layout.md(texts.DIRECTIONS["none"]))
        return
    table = pd.DataFrame(
        {
            "Giai đoạn": targets["name"],
            "Đến hết": [fmt.month(e) for e in targets["end"]],
            "Chỉ tiêu": targets["target"],
            "Nguồn chỉ tiêu": targets["source"],
        }
    )
    tables.show(
        table,
        key="targets",
        file_stem=f"{ind.code}-chi-tieu",
        units=[unit] * len(table),
        per_row={"Chỉ tiêu": formats.quantity},
        export=table.assign(**{COL["unit"]: unit}),
    )
    if any(str(s).strip().lower().startswith("đề xuất") for s in targets["source"]):
        st.caption(layout.md(TEXT["proposal"]))


kpis()
frame = series_section()
villages_section()
breakdown_section()
figures_section(frame)
rows_section()
sources_section()
about_section()
