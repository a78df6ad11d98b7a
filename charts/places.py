"""Charts across places: villages of one indicator, a breakdown, and the village × indicator grid."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd

from charts.theme import (
    AXIS_NUMBER,
    INK,
    TARGET_COLOUR,
    compact,
    datetime,
    month_axis,
    month_date,
    status_color,
    status_fields,
    status_scale,
    themed,
    unit_title,
    value_text,
)
from ground import fmt

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
    df = status_fields(frame[frame["place"].notna()] if "place" in frame else frame)
    df = df.sort_values(["actual", "place_name"], ascending=[False, True], na_position="last")
    # Every bar is a village (the section says so): the axis drops the "Thôn" prefix to leave room for bars.
    df["label"] = df["place_name"].str.replace(r"^\s*thôn\s+", "", case=False, regex=True)
    df["value_text"] = [value_text(v, unit) for v in df["actual"]]
    df["expected_text"] = [value_text(v, unit) for v in df["expected"]]
    df["target_text"] = [value_text(v, unit) for v in df["target"]]
    df["bar_text"] = [f"{v} · {s}" for v, s in zip(df["value_text"], df["status_label"], strict=True)]
    known = [v for v in [*df["actual"], *df["expected"], *df["target"]] if v is not None and v == v]
    top = max(known or [1.0])
    x_max = 100.0 if unit == "%" and top <= 100 else top * 1.08
    df["inside"] = [v is not None and v == v and v >= 0.5 * x_max for v in df["actual"]]
    order = list(df["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=110, ticks=False, domain=False))
    x_title = f"{unit_title(unit, 'Thực hiện')} · {TICK_NOTE}"
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
        color=status_color(df),
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
            stroke=alt.Stroke("status_label:N", scale=status_scale(), legend=None),
            color=alt.Color("status_label:N", scale=status_scale(), legend=None),
        ),
        within.mark_text(**on_bar).encode(
            x=x, y=y, text="bar_text:N", color=alt.Color("status_ink:N", scale=None), tooltip=tooltip
        ),
    ]
    targets = df["target"].dropna().unique()
    if len(targets) == 1:  # one target for every village (a ratio, or equal shares): draw it as a line
        goal = pd.DataFrame({"target": [float(targets[0])], "text": [f"Chỉ tiêu {value_text(targets[0], unit)}"]})
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
    df["text"] = [value_text(v, unit) for v in df["value"]]
    df["thang"] = [fmt.month(p) for p in df["period"]]
    df["rank"] = [order.index(g) for g in df["group"]]
    colour = alt.Color("group:N", title=group_title, sort=order, legend=alt.Legend(columns=2, labelLimit=200))
    tooltip = [
        alt.Tooltip("thang:N", title="Tháng"),
        alt.Tooltip("group:N", title=group_title),
        alt.Tooltip("text:N", title=unit_title(unit, "Số lượng")),
    ]
    if df["period"].nunique() <= 1:
        y = alt.Y("group:N", sort=order, title=None, axis=alt.Axis(labelLimit=150))
        x = alt.X("value:Q", title=unit_title(unit, "Số lượng"), axis=alt.Axis(format=AXIS_NUMBER, tickCount=4))
        base = alt.Chart(df)
        chart = alt.layer(
            base.mark_bar().encode(x=x, y=y, color=colour, tooltip=tooltip),
            base.mark_text(align="left", dx=4, fontSize=11).encode(x=x, y=y, text="text:N"),
        ).properties(width=width, height=alt.Step(26))
        return themed(chart)
    df["date"] = [month_date(p) for p in df["period"]]
    n_months = df["period"].nunique()
    first, last = df["date"].min(), df["date"].max()
    domain = [datetime(first - timedelta(days=16)), datetime(last + timedelta(days=16))]
    df["start"], df["end"] = df["date"] - timedelta(days=12), df["date"] + timedelta(days=12)
    x = alt.X("start:T", title="Tháng", axis=month_axis(n_months), scale=alt.Scale(domain=domain))
    y = alt.Y("sum(value):Q", title=unit_title(unit, "Số lượng"), axis=alt.Axis(format=AXIS_NUMBER, tickCount=5))
    bars = (
        alt.Chart(df).mark_bar().encode(x=x, x2="end:T", y=y, color=colour, order=alt.Order("rank:Q"), tooltip=tooltip)
    )
    tot = df.groupby(["period", "date"], as_index=False)["value"].sum()
    tot["text"] = [compact(v, unit) for v in tot["value"]]
    labels = (
        alt.Chart(tot)
        .mark_text(baseline="bottom", dy=-3, fontSize=10, color=INK)
        .encode(
            x=alt.X("date:T", title="Tháng", axis=month_axis(n_months), scale=alt.Scale(domain=domain)),
            y=alt.Y("value:Q", title=unit_title(unit, "Số lượng")),
            text="text:N",
        )
    )
    return themed(alt.layer(bars, labels).properties(width=width, height=height))


# ---------------------------------------------------------------- village × indicator grid
def heat_grid(
    frame: pd.DataFrame, *, width: int | str = "container", cell_width: int | None = None, cell_height: int = 24
) -> alt.LayerChart:
    """Villages (rows) × indicators (columns), each cell coloured by status with its value written in
    ink that reads on that colour. `frame`: indicators.to_frame(assessments, catalogue) village rows
    (columns place_name, short, unit, actual, status); columns keep the catalogue order given.
    With `cell_width` the grid keeps that many px per column (the page scrolls sideways on a phone)."""
    df = status_fields(frame[frame["place"].notna()] if "place" in frame else frame)
    df["value_text"] = [compact(v, u) for v, u in zip(df["actual"], df["unit"], strict=True)]
    df["full_text"] = [value_text(v, u) for v, u in zip(df["actual"], df["unit"], strict=True)]
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
        color=status_color(df),
        tooltip=tip,
    )
    text = base.mark_text(fontSize=10).encode(
        x=x, y=y, text="value_text:N", color=alt.Color("status_ink:N", scale=None)
    )
    grid_width = alt.Step(cell_width) if cell_width else width
    return themed(alt.layer(cells, text).properties(width=grid_width, height=alt.Step(cell_height)))
