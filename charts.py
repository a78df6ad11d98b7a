"""Every Altair chart of the dashboard and the briefs, one Vietnamese theme, and PNG export with vl-convert."""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import cache
from typing import Any

import altair as alt
import fontpkg_noto_sans
import pandas as pd
import vl_convert as vlc

import fmt
from indicators.status import STATUS_ORDER, STATUSES

FONT = fontpkg_noto_sans.FAMILY  # "Noto Sans": covers every Vietnamese letter (vl-convert's default does not)
INK, GRID, MUTED = "#222222", "#E6E6E6", "#666666"
# Okabe-Ito, for categories that are not statuses (place type, star rating, field).
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ACTUAL_COLOUR, EXPECTED_COLOUR, MONTHLY_COLOUR, TARGET_COLOUR = "#0072B2", "#555555", "#A6C8E4", "#000000"

NUMBER_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " đ"]}
TIME_LOCALE = {
    "dateTime": "%A, %d/%m/%Y, %X",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["SA", "CH"],
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"Th{m}" for m in range(1, 13)],
}
MONTH_FORMAT = "T%-m/%Y"  # T10/2026
AXIS_NUMBER = ",~f"  # 20.000 · 2,5 with the locale above

# Shown in the chart, the status is a colour, a shape and its label (the font has no ▲◆● glyphs).
_LEGEND_STATUSES = [STATUSES[c] for c in STATUS_ORDER]

THEME_NAME = "an_phu"


def theme_config() -> dict[str, Any]:
    """The one chart configuration: Noto Sans everywhere, Vietnamese number and time locale, quiet grid."""
    text = {"font": FONT, "color": INK}
    return {
        "font": FONT,
        "locale": {"number": NUMBER_LOCALE, "time": TIME_LOCALE},
        "numberFormat": AXIS_NUMBER,
        "timeFormat": MONTH_FORMAT,
        "background": "#FFFFFF",
        "padding": 6,
        "title": {
            "font": FONT,
            "subtitleFont": FONT,
            "fontSize": 16,
            "subtitleFontSize": 12,
            "subtitleColor": "#333333",
            "anchor": "start",
            "color": INK,
            "offset": 10,
        },
        "axis": {
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "labelColor": INK,
            "titleColor": INK,
            "gridColor": GRID,
            "labelLimit": 140,
            "labelOverlap": True,
        },
        "legend": {
            "labelFont": FONT,
            "titleFont": FONT,
            "labelFontSize": 11,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
            "orient": "bottom",
            "direction": "horizontal",
            "columns": 2,
            "labelLimit": 260,
            "symbolStrokeWidth": 1.5,
        },
        "header": {"labelFont": FONT, "titleFont": FONT},
        "text": text,
        "mark": {"font": FONT},
        "view": {"stroke": None},
        "range": {"category": CATEGORY_COLOURS},
    }


@alt.theme.register(THEME_NAME, enable=True)
def _an_phu_theme() -> alt.theme.ThemeConfig:
    return {"config": theme_config()}  # type: ignore[return-value]


def themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the theme written into its own spec, so it renders the same wherever it goes
    (Streamlit with theme=None, vl-convert, a saved JSON) even if another theme is enabled."""
    return chart.properties(config=theme_config())


# ---------------------------------------------------------------- helpers
def _month_date(period: str) -> pd.Timestamp:
    return pd.Timestamp(f"{period[:7]}-01")


def _datetime(d: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=d.year, month=d.month, date=d.day)


def _month_step(n_months: int, most: int = 6) -> int:
    """Months between labelled ticks so that at most `most` labels show (fits a 390 px phone)."""
    return next((s for s in (1, 2, 3, 6, 12, 24) if n_months / s <= most), 60)


def _month_axis(n_months: int, title: str | None = "Tháng") -> alt.Axis:
    return alt.Axis(
        format=MONTH_FORMAT,
        tickCount={"interval": "month", "step": _month_step(n_months)},
        labelAngle=0,
        title=title,
        grid=False,
        labelOverlap="greedy",
    )


def _status_scale(field: str = "colour") -> alt.Scale:
    domain = [s.label for s in _LEGEND_STATUSES]
    if field == "shape":
        return alt.Scale(domain=domain, range=[s.shape for s in _LEGEND_STATUSES])
    return alt.Scale(domain=domain, range=[s.colour for s in _LEGEND_STATUSES])


def _status_legend(df: pd.DataFrame, columns: int = 2) -> alt.Legend:
    """A legend listing only the statuses present (the scale keeps all, so colours never shift)."""
    present = [s.label for s in _LEGEND_STATUSES if s.label in set(df["status_label"])]
    return alt.Legend(values=present, columns=columns, symbolType="square", symbolStrokeColor="#444444")


def _status_fields(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds status_label / status_colour / status_ink from a `status` code column."""
    out = frame.copy()
    out["status_label"] = [STATUSES[c].label for c in out["status"]]
    out["status_ink"] = [STATUSES[c].text_colour for c in out["status"]]
    return out


def _value_text(x: float | None, unit: str) -> str:
    return fmt.quantity(x, unit)


def _compact(x: float | None, unit: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return fmt.MISSING
    if unit == "%":
        return fmt.percent(x, 0 if abs(x) >= 99.95 else 1)
    return fmt.number(x, 0 if abs(x) >= 100 else 1, trim=True)


def _unit_title(unit: str, prefix: str = "") -> str:
    unit_text = "%" if unit == "%" else unit
    return f"{prefix} ({unit_text})".strip() if prefix else unit_text


# ---------------------------------------------------------------- series of one indicator
SERIES_ACTUAL_FLOW = "Thực hiện lũy kế"
SERIES_ACTUAL_LEVEL = "Thực hiện"
SERIES_EXPECTED = "Lộ trình kế hoạch"
SERIES_MONTHLY = "Trong tháng"
SERIES_TARGET = "Chỉ tiêu giai đoạn"


def series_chart(
    frame: pd.DataFrame,
    *,
    kind: str,
    unit: str,
    month: str,
    targets: pd.DataFrame | None = None,
    width: int | str = "container",
    height: int = 300,
) -> alt.LayerChart:
    """One indicator month by month.

    `frame` is indicators.series_frame() output [period, value, actual, expected, phase, target].
    Flow (`kind`="flow"): light bars of the monthly amounts (right axis) under the cumulative line
    (left axis). Ratio/stock: the level as a line with points. Both: the plan's expected path dashed,
    each phase target (indicators.targets_frame(): [phase, name, end, target]) as a labelled diamond
    at its phase end, the current phase's target as a dotted horizontal line, and a "today" rule at
    `month`.
    """
    df = frame.copy()
    df["date"] = [_month_date(p) for p in df["period"]]
    df["thang"] = [fmt.month(p) for p in df["period"]]
    flow = kind == "flow"
    actual_name = SERIES_ACTUAL_FLOW if flow else SERIES_ACTUAL_LEVEL
    first, last = df["date"].min(), df["date"].max()
    n_months = len(df)
    domain = [_datetime(first - timedelta(days=16)), _datetime(last + timedelta(days=16))]
    x = alt.X("date:T", title="Tháng", axis=_month_axis(n_months), scale=alt.Scale(domain=domain))

    long = []
    for row in df.itertuples():
        for name, y in ((actual_name, row.actual), (SERIES_EXPECTED, row.expected)):
            if y is not None and not math.isnan(y):
                long.append(
                    {"date": row.date, "series": name, "y": y, "thang": row.thang, "text": _value_text(y, unit)}
                )
    lines_df = pd.DataFrame(long, columns=["date", "series", "y", "thang", "text"])
    series_domain = [actual_name, SERIES_EXPECTED, SERIES_TARGET] + ([SERIES_MONTHLY] if flow else [])
    colour_range = [ACTUAL_COLOUR, EXPECTED_COLOUR, TARGET_COLOUR] + ([MONTHLY_COLOUR] if flow else [])
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=series_domain, range=colour_range),
        legend=alt.Legend(orient="bottom", columns=2, symbolType="stroke"),
    )
    # Same field, domain and (no) title as the colour: Vega-Lite merges both into one legend with dashes.
    dash_range = [[1, 0], [6, 4], [2, 3]] + ([[1, 0]] if flow else [])
    dash = alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=series_domain, range=dash_range))
    y_title = _unit_title(unit, "Lũy kế" if flow else ("Tỷ lệ" if unit == "%" else "Mức"))
    y_axis = alt.Axis(format=AXIS_NUMBER, title=y_title, tickCount=5)
    tooltip = [
        alt.Tooltip("thang:N", title="Tháng"),
        alt.Tooltip("series:N", title="Đường"),
        alt.Tooltip("text:N", title="Giá trị"),
    ]
    base = alt.Chart(lines_df)
    lines = base.mark_line(strokeWidth=2.5, interpolate="linear").encode(
        x=x,
        y=alt.Y("y:Q", axis=y_axis, scale=alt.Scale(domain=[0, 100]) if unit == "%" else alt.Scale(zero=True)),
        color=colour,
        strokeDash=dash,
        tooltip=tooltip,
    )
    points = (
        base.transform_filter(alt.datum.series == actual_name)
        .mark_point(filled=True, size=36)
        .encode(x=x, y=alt.Y("y:Q", title=y_title), color=colour, tooltip=tooltip)
    )
    layers: list[alt.Chart] = [lines, points]

    if targets is not None and len(targets):
        tg = targets.copy()
        tg["date"] = [_month_date(p) for p in tg["end"]]
        tg = tg[(tg["date"] >= first) & (tg["date"] <= last)]
        tg["series"] = SERIES_TARGET
        tg["y_target"] = tg["target"]
        tg["text"] = [
            f"Chỉ tiêu {fmt.month(e)}: {_value_text(v, unit)}" for e, v in zip(tg["end"], tg["target"], strict=True)
        ]
        tip = [alt.Tooltip("text:N", title="Chỉ tiêu"), alt.Tooltip("source:N", title="Nguồn")]
        y_target = alt.Y("y_target:Q", title=y_title)
        tg_base = alt.Chart(tg)
        layers.append(
            tg_base.mark_point(shape="diamond", filled=True, size=110).encode(
                x=x, y=y_target, color=colour, tooltip=tip
            )
        )
        layers.append(
            tg_base.mark_text(align="right", dx=-8, dy=-10, fontSize=11, fontWeight="bold").encode(
                x=x, y=y_target, text="text:N"
            )
        )
        # The dotted target line of the phase the month looked at falls in.
        here = df.loc[df["period"] == month, "phase"]
        current = targets[targets["phase"] == (here.iloc[0] if len(here) else df["phase"].iloc[-1])]
        if len(current):
            rule_df = pd.DataFrame({"y_target": [float(current["target"].iloc[0])]})
            rule = alt.Chart(rule_df).mark_rule(strokeDash=[2, 3], color=TARGET_COLOUR, strokeWidth=1.5)
            layers.insert(0, rule.encode(y=y_target))

    today = pd.DataFrame({"date": [_month_date(month)], "text": [f"Kỳ báo cáo {fmt.month(month)}"]})
    layers.append(alt.Chart(today).mark_rule(color=MUTED, strokeWidth=1).encode(x=x))
    # At the foot of the rule: the top is where the phase target's line and label usually are. A white halo
    # keeps it readable over the month's bar or the trajectory.
    label = dict(align="left", baseline="bottom", dx=4, dy=-4, y="height", fontSize=11)
    for style in ({"stroke": "white", "strokeWidth": 4, "color": "white"}, {"color": MUTED}):
        layers.append(alt.Chart(today).mark_text(**label, **style).encode(x=x, text="text:N"))
    main = alt.layer(*layers)

    if flow:
        bars_df = df[df["value"].notna()].copy()
        bars_df["start"] = bars_df["date"] - timedelta(days=12)
        bars_df["end"] = bars_df["date"] + timedelta(days=12)
        bars_df["series"] = SERIES_MONTHLY
        bars_df["text"] = [_value_text(v, unit) for v in bars_df["value"]]
        bar_top = float(bars_df["value"].max()) if len(bars_df) else 0.0
        bar_top = bar_top if bar_top > 0 else 1.0
        bars = (
            alt.Chart(bars_df)
            .mark_bar(opacity=0.85)
            .encode(
                x=alt.X("start:T", axis=_month_axis(n_months), scale=alt.Scale(domain=domain), title="Tháng"),
                x2="end:T",
                y2=alt.Y2(datum=0),
                y=alt.Y(
                    "value:Q",
                    axis=alt.Axis(
                        format=AXIS_NUMBER, title=_unit_title(unit, "Trong tháng"), orient="right", grid=False
                    ),
                    # Monthly bars kept to the lower ~40 % so they read as a backdrop to the cumulative line.
                    scale=alt.Scale(domain=[0, bar_top * 2.5], nice=True),
                ),
                color=colour,
                strokeDash=dash,
                tooltip=[alt.Tooltip("thang:N", title="Tháng"), alt.Tooltip("text:N", title="Trong tháng")],
            )
        )
        chart = alt.layer(bars, main).resolve_scale(y="independent")
    else:
        chart = main
    return themed(chart.properties(width=width, height=height))


# ---------------------------------------------------------------- villages of one indicator
TICK_NOTE = "vạch đen: mức kỳ vọng đến nay"  # names the expected-to-date tick where it is drawn


def village_chart(
    frame: pd.DataFrame,
    *,
    unit: str,
    width: int | str = "container",
    bar_height: int = 22,
) -> alt.LayerChart:
    """Villages of one indicator, best first, each bar coloured by status with "value · status" written on
    it, and a black tick at the village's expected-to-date.

    The label sits inside a long bar (in the status's ink) and after a short one, so the chart needs no
    margin of its own and fits a phone's width. `frame`: indicators.to_frame(assessments, catalogue) rows
    of one indicator for the villages (columns place_name, actual, expected, target, status).
    """
    df = _status_fields(frame[frame["place"].notna()] if "place" in frame else frame)
    df = df.sort_values(["actual", "place_name"], ascending=[False, True], na_position="last")
    # Every bar is a village (the section says so): the axis drops the "Thôn" prefix to leave room for bars.
    df["label"] = df["place_name"].str.replace(r"^\s*thôn\s+", "", case=False, regex=True)
    df["value_text"] = [_value_text(v, unit) for v in df["actual"]]
    df["expected_text"] = [_value_text(v, unit) for v in df["expected"]]
    df["target_text"] = [_value_text(v, unit) for v in df["target"]]
    df["bar_text"] = [f"{v} · {s}" for v, s in zip(df["value_text"], df["status_label"], strict=True)]
    known = [v for v in [*df["actual"], *df["expected"], *df["target"]] if v is not None and v == v]
    top = max(known or [1.0])
    x_max = 100.0 if unit == "%" and top <= 100 else top * 1.08
    df["inside"] = [v is not None and v == v and v >= 0.5 * x_max for v in df["actual"]]
    order = list(df["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=110, ticks=False, domain=False))
    x_title = f"{_unit_title(unit, 'Thực hiện')} · {TICK_NOTE}"
    x = alt.X(
        "actual:Q",
        title=x_title,
        scale=alt.Scale(domain=[0, x_max], nice=False),
        axis=alt.Axis(format=AXIS_NUMBER, tickCount=4),
    )
    tooltip = [
        alt.Tooltip("place_name:N", title="Thôn"),
        alt.Tooltip("value_text:N", title="Thực hiện"),
        alt.Tooltip("expected_text:N", title="Kỳ vọng đến nay"),
        alt.Tooltip("target_text:N", title="Chỉ tiêu giai đoạn"),
        alt.Tooltip("status_label:N", title="Trạng thái"),
    ]
    base = alt.Chart(df)
    bars = base.mark_bar(stroke="#444444", strokeWidth=0.5).encode(
        x=x,
        y=y,
        color=alt.Color("status_label:N", title="Trạng thái", scale=_status_scale(), legend=_status_legend(df)),
        tooltip=tooltip,
    )
    expected = base.mark_tick(color=INK, thickness=2, size=bar_height * 0.8).encode(
        x=alt.X("expected:Q", title=x_title), y=y, tooltip=tooltip
    )
    # Each label over a halo of what lies under it (white after the bar, the bar's colour inside it), so
    # the expected-to-date tick never cuts through the words.
    outside, within = base.transform_filter(~alt.datum.inside), base.transform_filter(alt.datum.inside)
    after = dict(align="left", dx=4, fontSize=11)
    on_bar = dict(align="right", dx=-4, fontSize=11)
    halo = dict(strokeWidth=3, strokeJoin="round")
    layers = [
        bars,
        expected,
        outside.mark_text(**after, **halo, stroke="white", color="white").encode(x=x, y=y, text="bar_text:N"),
        outside.mark_text(**after, color=INK).encode(x=x, y=y, text="bar_text:N", tooltip=tooltip),
        within.mark_text(**on_bar, **halo).encode(
            x=x,
            y=y,
            text="bar_text:N",
            stroke=alt.Stroke("status_label:N", scale=_status_scale(), legend=None),
            color=alt.Color("status_label:N", scale=_status_scale(), legend=None),
        ),
        within.mark_text(**on_bar).encode(
            x=x, y=y, text="bar_text:N", color=alt.Color("status_ink:N", scale=None), tooltip=tooltip
        ),
    ]
    targets = df["target"].dropna().unique()
    if len(targets) == 1:  # one target for every village (a ratio, or equal shares): draw it as a line
        goal = pd.DataFrame({"target": [float(targets[0])], "text": [f"Chỉ tiêu {_value_text(targets[0], unit)}"]})
        gx = alt.X("target:Q", title=x_title)
        layers.append(alt.Chart(goal).mark_rule(color=TARGET_COLOUR, strokeDash=[4, 3], strokeWidth=1.5).encode(x=gx))
        layers.append(
            alt.Chart(goal)
            .mark_text(align="right", baseline="bottom", dx=-3, y=-2, fontSize=11, fontWeight="bold")
            .encode(x=gx, text="text:N")
        )
    # A dict: Streamlit's frontend adds to padding.bottom and fails on a bare number.
    pad = {"left": 6, "top": 6, "bottom": 6, "right": 6}
    chart = alt.layer(*layers).properties(width=width, height=alt.Step(bar_height), padding=pad)
    return themed(chart)


def breakdown_chart(
    frame: pd.DataFrame,
    *,
    group_title: str,
    unit: str,
    width: int | str = "container",
    height: int = 260,
) -> alt.Chart | alt.LayerChart:
    """Stacked bars of a breakdown: [period, group, value] with `group` a place type, star rating or
    field; one stacked bar per month (several months) or one bar per group (a single month).
    Groups are stacked largest first; totals are written above each month's stack."""
    df = frame.copy()
    totals = df.groupby("group")["value"].sum().sort_values(ascending=False)
    order = list(totals.index)
    df["text"] = [_value_text(v, unit) for v in df["value"]]
    df["thang"] = [fmt.month(p) for p in df["period"]]
    df["rank"] = [order.index(g) for g in df["group"]]
    colour = alt.Color("group:N", title=group_title, sort=order, legend=alt.Legend(columns=2, labelLimit=200))
    tooltip = [
        alt.Tooltip("thang:N", title="Tháng"),
        alt.Tooltip("group:N", title=group_title),
        alt.Tooltip("text:N", title=_unit_title(unit, "Số lượng")),
    ]
    if df["period"].nunique() <= 1:
        y = alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=150))
        x = alt.X("value:Q", title=_unit_title(unit, "Số lượng"), axis=alt.Axis(format=AXIS_NUMBER, tickCount=4))
        base = alt.Chart(df)
        chart = alt.layer(
            base.mark_bar().encode(x=x, y=y, color=colour, tooltip=tooltip),
            base.mark_text(align="left", dx=4, fontSize=11).encode(x=x, y=y, text="text:N"),
        ).properties(width=width, height=alt.Step(26))
        return themed(chart)
    df["date"] = [_month_date(p) for p in df["period"]]
    n_months = df["period"].nunique()
    first, last = df["date"].min(), df["date"].max()
    domain = [_datetime(first - timedelta(days=16)), _datetime(last + timedelta(days=16))]
    df["start"], df["end"] = df["date"] - timedelta(days=12), df["date"] + timedelta(days=12)
    x = alt.X("start:T", title="Tháng", axis=_month_axis(n_months), scale=alt.Scale(domain=domain))
    y = alt.Y("sum(value):Q", title=_unit_title(unit, "Số lượng"), axis=alt.Axis(format=AXIS_NUMBER, tickCount=5))
    bars = (
        alt.Chart(df).mark_bar().encode(x=x, x2="end:T", y=y, color=colour, order=alt.Order("rank:Q"), tooltip=tooltip)
    )
    tot = df.groupby(["period", "date"], as_index=False)["value"].sum()
    tot["text"] = [_compact(v, unit) for v in tot["value"]]
    labels = (
        alt.Chart(tot)
        .mark_text(baseline="bottom", dy=-3, fontSize=10, color=INK)
        .encode(
            x=alt.X("date:T", title="Tháng", axis=_month_axis(n_months), scale=alt.Scale(domain=domain)),
            y=alt.Y("value:Q", title=_unit_title(unit, "Số lượng")),
            text="text:N",
        )
    )
    return themed(alt.layer(bars, labels).properties(width=width, height=height))


# ---------------------------------------------------------------- status overview
def status_overview_chart(
    frame: pd.DataFrame, *, noun: str = "chỉ tiêu", width: int | str = "container"
) -> alt.LayerChart:
    """How many indicators (or villages: noun="thôn") have each status: one bar per status, most behind
    first, every status listed even at 0, labelled "5 chỉ tiêu", its symbol drawn left of the bar.
    `frame` needs a `status` column of codes (indicators.to_frame() output)."""
    counts = frame["status"].value_counts()
    codes = [c for c in STATUS_ORDER if c != "theo_doi" or counts.get(c, 0)]
    df = pd.DataFrame(
        {
            "status_label": [STATUSES[c].label for c in codes],
            "count": [int(counts.get(c, 0)) for c in codes],
            "fill_opacity": [1.0 if STATUSES[c].filled else 0.0 for c in codes],  # hollow ○ ◇ as on screen
        }
    )
    df["text"] = [f"{n} {noun}" for n in df["count"]]
    order = list(df["status_label"])
    y = alt.Y(
        "status_label:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=150, ticks=False, domain=False, labelPadding=26),
    )
    top = max(int(df["count"].max()), 1)
    x = alt.X(
        "count:Q",
        title="Số lượng",
        scale=alt.Scale(domain=[0, top * 1.6], nice=False),
        axis=alt.Axis(format="d", tickMinStep=1, tickCount=min(top, 5)),
    )
    base = alt.Chart(df)
    colour = alt.Color("status_label:N", scale=_status_scale(), legend=None)
    tip = [alt.Tooltip("status_label:N", title="Trạng thái"), alt.Tooltip("count:Q", title="Số lượng")]
    bars = base.mark_bar(stroke="#444444", strokeWidth=0.5).encode(x=x, y=y, color=colour, tooltip=tip)
    shapes = base.mark_point(size=90, filled=True, stroke=INK, strokeWidth=0.8, opacity=1).encode(
        x=alt.value(-12),
        y=y,
        shape=alt.Shape("status_label:N", scale=_status_scale("shape"), legend=None),
        color=colour,
        fillOpacity=alt.FillOpacity("fill_opacity:Q", scale=None),
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, fontWeight="bold").encode(x=x, y=y, text="text:N")
    chart = alt.layer(bars, text, shapes).properties(width=width, height=alt.Step(30))
    return themed(chart)


# ---------------------------------------------------------------- village × indicator grid
def heat_grid(
    frame: pd.DataFrame, *, width: int | str = "container", cell_width: int | None = None, cell_height: int = 24
) -> alt.LayerChart:
    """Villages (rows) × indicators (columns), each cell coloured by status with its value written in
    ink that reads on that colour. `frame`: indicators.to_frame(assessments, catalogue) village rows
    (columns place_name, short, unit, actual, status); columns keep the catalogue order given.
    With `cell_width` the grid keeps that many px per column (the page scrolls sideways on a phone)."""
    df = _status_fields(frame[frame["place"].notna()] if "place" in frame else frame)
    df["value_text"] = [_compact(v, u) for v, u in zip(df["actual"], df["unit"], strict=True)]
    df["full_text"] = [_value_text(v, u) for v, u in zip(df["actual"], df["unit"], strict=True)]
    cols = list(dict.fromkeys(df["short"]))
    rows = list(dict.fromkeys(df["place_name"]))
    # Every column must keep its name: no overlap thinning, slanted labels instead.
    axis = alt.Axis(orient="top", labelAngle=-50, labelLimit=150, labelAlign="left", labelOverlap=False)
    x = alt.X("short:N", sort=cols, title=None, axis=axis)
    y = alt.Y("place_name:N", sort=rows, title=None, axis=alt.Axis(labelLimit=130))
    tip = [
        alt.Tooltip("place_name:N", title="Thôn"),
        alt.Tooltip("short:N", title="Chỉ tiêu"),
        alt.Tooltip("full_text:N", title="Thực hiện"),
        alt.Tooltip("status_label:N", title="Trạng thái"),
    ]
    base = alt.Chart(df)
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=1.5).encode(
        x=x,
        y=y,
        color=alt.Color("status_label:N", title="Trạng thái", scale=_status_scale(), legend=_status_legend(df)),
        tooltip=tip,
    )
    text = base.mark_text(fontSize=10).encode(
        x=x, y=y, text="value_text:N", color=alt.Color("status_ink:N", scale=None)
    )
    grid_width = alt.Step(cell_width) if cell_width else width
    return themed(alt.layer(cells, text).properties(width=grid_width, height=alt.Step(cell_height)))


# ---------------------------------------------------------------- sector mini chart (brief)
PCT_TITLE = f"% chỉ tiêu giai đoạn · {TICK_NOTE}"


def sector_mini_chart(frame: pd.DataFrame, *, width: int | str = "container", bar_height: int = 24) -> alt.LayerChart:
    """For the brief: each indicator of one sector as % of its phase target reached (bar, coloured by
    status, capped at 150 % for drawing), a black tick at the % expected by now, the 100 % line, and
    "79% · Cần đẩy nhanh" written beside. `frame`: indicators.to_frame() commune rows of the sector
    (columns short, actual, expected, target, status); indicators without target are left out."""
    df = _status_fields(frame[frame["target"].notna() & (frame["target"] != 0)])
    df["pct"] = (df["actual"] / df["target"] * 100).clip(upper=150)
    df["pct_expected"] = (df["expected"] / df["target"] * 100).clip(upper=150)
    df["text"] = [
        f"{fmt.percent(p, 0)} · {lab}" if p == p else lab
        for p, lab in zip(df["actual"] / df["target"] * 100, df["status_label"], strict=True)
    ]
    order = list(df["short"])
    y = alt.Y("short:N", sort=order, title=None, axis=alt.Axis(labelLimit=170, ticks=False, domain=False))
    x = alt.X(
        "pct:Q",
        title=PCT_TITLE,
        scale=alt.Scale(domain=[0, 150], nice=False),
        axis=alt.Axis(values=[0, 50, 100, 150], format=AXIS_NUMBER),
    )
    base = alt.Chart(df)
    bars = base.mark_bar(stroke="#444444", strokeWidth=0.5).encode(
        x=x, y=y, color=alt.Color("status_label:N", scale=_status_scale(), legend=None)
    )
    tick = base.mark_tick(color=INK, thickness=2, size=bar_height * 0.8).encode(
        x=alt.X("pct_expected:Q", title=PCT_TITLE), y=y
    )
    hundred = (
        alt.Chart(pd.DataFrame({"pct": [100.0]}))
        .mark_rule(color=TARGET_COLOUR, strokeDash=[3, 3])
        .encode(x=alt.X("pct:Q", title=PCT_TITLE))
    )
    text = base.mark_text(align="left", fontSize=11).encode(
        x=alt.value("width"), xOffset=alt.value(8), y=y, text="text:N"
    )
    chart = alt.layer(bars, tick, hundred, text).properties(
        width=width, height=alt.Step(bar_height), padding={"left": 6, "top": 6, "bottom": 6, "right": 160}
    )
    return themed(chart)


# ---------------------------------------------------------------- PNG export
PNG_WIDTH = 640  # chart body in CSS px; × scale 2 and with axes the image is over 1.300 px wide


@cache
def register_fonts() -> str:
    """Register the Noto Sans files with vl-convert (once per process); returns the directory."""
    directory = str(fontpkg_noto_sans.ROOT / "files")
    vlc.register_font_directory(directory)
    return directory


def export_spec(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    subtitle: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    cutoff_date: date | str | None = None,
    source: str,
    status: str | None = None,
    width: int = PNG_WIDTH,
) -> dict[str, Any]:
    """The chart's Vega-Lite spec made to stand alone when pasted: Vietnamese title; subtitle lines
    with the unit, the period, the status; a footer with the data cut-off date and the source."""
    spec = chart.to_dict()
    config = spec.pop("config", None) or theme_config()
    datasets = spec.pop("datasets", {})
    spec.pop("$schema", None)
    spec.pop("title", None)
    padding = spec.pop("padding", None)
    if not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        spec["width"] = width
    lines = []
    if subtitle:
        lines.append(subtitle)
    meta = []
    if unit:
        meta.append(f"Đơn vị tính: {unit}")
    if period:
        meta.append(f"Kỳ báo cáo: {fmt.month_long(period) if _is_period(period) else period}")
    if meta:
        lines.append(" · ".join(meta))
    if status:
        lines.append(f"Trạng thái: {status}")
    footer = []
    if cutoff_date:
        footer.append(f"Số liệu chốt đến ngày {fmt.date(cutoff_date)}")
    footer.append(source if source.strip().lower().startswith("nguồn") else f"Nguồn: {source}")
    foot = {
        "data": {"values": [{"i": i, "t": t} for i, t in enumerate(footer)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 11, "color": MUTED, "font": FONT},
        "encoding": {
            "text": {"field": "t", "type": "nominal"},
            "x": {"value": 0},
            "y": {"field": "i", "type": "ordinal", "axis": None},
        },
        "width": width,
        "height": {"step": 16},
    }
    out = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": title, "subtitle": lines or None},
        "vconcat": [spec, foot],
        "spacing": 14,
        # Otherwise the chart's legends move below the footer.
        "resolve": {
            "scale": {c: "independent" for c in _LEGEND_CHANNELS},
            "legend": {c: "independent" for c in _LEGEND_CHANNELS},
        },
        "config": config,
        # A chart's own padding keeps room for text drawn beside the plot (the status column).
        "padding": padding if isinstance(padding, dict) else 12,
    }
    if datasets:
        out["datasets"] = datasets
    return out


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "strokeDash", "size", "opacity")


def _is_period(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()


def chart_png(
    chart: alt.TopLevelMixin,
    *,
    title: str,
    source: str,
    subtitle: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    cutoff_date: date | str | None = None,
    status: str | None = None,
    width: int = PNG_WIDTH,
    scale: float = 2,
) -> bytes:
    """The chart as a PNG for Word, standing alone (see export_spec for what is written on it), drawn
    by vl-convert at `scale` (2 gives an image over 1.200 px wide) with Noto Sans registered so every
    Vietnamese letter renders. `period` "2026-10" is written "tháng 10/2026"."""
    register_fonts()
    spec = export_spec(
        chart,
        title=title,
        source=source,
        subtitle=subtitle,
        unit=unit,
        period=period,
        cutoff_date=cutoff_date,
        status=status,
        width=width,
    )
    return vlc.vegalite_to_png(spec, scale=scale)


def chart_svg(chart: alt.TopLevelMixin, **labels: Any) -> str:
    """The same image as chart_png as SVG text (labels as for export_spec), for checks and print."""
    register_fonts()
    return vlc.vegalite_to_svg(export_spec(chart, **labels))


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels read from a PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("không phải tệp PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


__all__ = [
    "FONT",
    "breakdown_chart",
    "chart_png",
    "chart_svg",
    "export_spec",
    "heat_grid",
    "png_size",
    "register_fonts",
    "sector_mini_chart",
    "series_chart",
    "status_overview_chart",
    "theme_config",
    "themed",
    "village_chart",
]
