"""Charts of many indicators at once: the status overview and the brief's sector mini chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.places import TICK_NOTE
from charts.theme import (
    AXIS_NUMBER,
    INK,
    TARGET_COLOUR,
    status_fields,
    status_scale,
    themed,
)
from ground import fmt
from ground.statuses import STATUS_ORDER, STATUSES


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
    colour = alt.Color("status_label:N", scale=status_scale(), legend=None)
    tip = [alt.Tooltip("status_label:N", title="Trạng thái"), alt.Tooltip("count:Q", title="Số lượng")]
    bars = base.mark_bar(stroke="#444444", strokeWidth=0.5).encode(x=x, y=y, color=colour, tooltip=tip)
    shapes = base.mark_point(size=90, filled=True, stroke=INK, strokeWidth=0.8, opacity=1).encode(
        x=alt.value(-12),
        y=y,
        shape=alt.Shape("status_label:N", scale=status_scale("shape"), legend=None),
        color=colour,
        fillOpacity=alt.FillOpacity("fill_opacity:Q", scale=None),
    )
    text = base.mark_text(align="left", dx=4, fontSize=12, fontWeight="bold").encode(x=x, y=y, text="text:N")
    chart = alt.layer(bars, text, shapes).properties(width=width, height=alt.Step(30))
    return themed(chart)


# ---------------------------------------------------------------- sector mini chart (brief)
PCT_TITLE = f"% chỉ tiêu giai đoạn · {TICK_NOTE}"


def sector_mini_chart(frame: pd.DataFrame, *, width: int | str = "container", bar_height: int = 24) -> alt.LayerChart:
    """For the brief: each indicator of one sector as % of its phase target reached (bar, coloured by
    status, capped at 150 % for drawing), a black tick at the % expected by now, the 100 % line, and
    "79% · Cần đẩy nhanh" written beside. `frame`: indicators.to_frame() commune rows of the sector
    (columns short, actual, expected, target, status); indicators without target are left out."""
    df = status_fields(frame[frame["target"].notna() & (frame["target"] != 0)])
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
        x=x, y=y, color=alt.Color("status_label:N", scale=status_scale(), legend=None)
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
