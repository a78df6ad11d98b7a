"""The city page's chart: every commune's figures summed month by month, bars of the month and the running total."""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.theme import month_axis, month_date, themed, unit_title, value_text
from ground import fmt

BAR_COLOUR = "#9ecae1"
LINE_COLOUR = "#08519c"


def city_total_chart(frame: pd.DataFrame, unit: str, height: int = 280) -> alt.LayerChart:
    """`frame` from ParquetCity.city_series(): light bars of each month's city total, the running total as a line
    with points (its own axis on the left, the bars' on the right), both labelled in Vietnamese in the tooltip."""
    df = frame.assign(
        date=[month_date(p) for p in frame["period"]],
        thang=[fmt.month(p) for p in frame["period"]],
        month_text=[value_text(v, unit) for v in frame["value"]],
        cum_text=[value_text(v, unit) for v in frame["cumulative"]],
    )[["date", "thang", "value", "cumulative", "month_text", "cum_text"]]
    x = alt.X("date:T", title="Tháng", axis=month_axis(len(df)))
    tooltip = [
        alt.Tooltip("thang:N", title="Tháng"),
        alt.Tooltip("month_text:N", title="Trong tháng"),
        alt.Tooltip("cum_text:N", title="Cộng dồn"),
    ]
    bars = (
        alt.Chart(df)
        .mark_bar(color=BAR_COLOUR)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=unit_title(unit, "Trong tháng"), axis=alt.Axis(orient="right")),
            tooltip=tooltip,
        )
    )
    line = (
        alt.Chart(df)
        .mark_line(color=LINE_COLOUR, point=alt.OverlayMarkDef(color=LINE_COLOUR, size=40))
        .encode(x=x, y=alt.Y("cumulative:Q", title=unit_title(unit, "Cộng dồn")), tooltip=tooltip)
    )
    chart = alt.layer(bars, line).resolve_scale(y="independent").properties(height=height, width="container")
    return themed(chart)
