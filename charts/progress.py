"""The series chart of one indicator: actual against the plan's straight line and the phase target."""

from __future__ import annotations

import math
from datetime import timedelta

import altair as alt
import pandas as pd

from charts.theme import (
    ACTUAL_COLOUR,
    AXIS_NUMBER,
    EXPECTED_COLOUR,
    MONTHLY_COLOUR,
    MUTED,
    TARGET_COLOUR,
    datetime,
    month_axis,
    month_date,
    themed,
    unit_title,
    value_text,
)
from ground import fmt

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
    df["date"] = [month_date(p) for p in df["period"]]
    df["thang"] = [fmt.month(p) for p in df["period"]]
    flow = kind == "flow"
    actual_name = SERIES_ACTUAL_FLOW if flow else SERIES_ACTUAL_LEVEL
    first, last = df["date"].min(), df["date"].max()
    n_months = len(df)
    domain = [datetime(first - timedelta(days=16)), datetime(last + timedelta(days=16))]
    x = alt.X("date:T", title="Tháng", axis=month_axis(n_months), scale=alt.Scale(domain=domain))

    long = []
    for row in df.itertuples():
        for name, y in ((actual_name, row.actual), (SERIES_EXPECTED, row.expected)):
            if y is not None and not math.isnan(y):
                long.append({"date": row.date, "series": name, "y": y, "thang": row.thang, "text": value_text(y, unit)})
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
    y_title = unit_title(unit, "Lũy kế" if flow else ("Tỷ lệ" if unit == "%" else "Mức"))
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
        tg["date"] = [month_date(p) for p in tg["end"]]
        tg = tg[(tg["date"] >= first) & (tg["date"] <= last)]
        tg["series"] = SERIES_TARGET
        tg["y_target"] = tg["target"]
        tg["text"] = [
            f"Chỉ tiêu {fmt.month(e)}: {value_text(v, unit)}" for e, v in zip(tg["end"], tg["target"], strict=True)
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

    today = pd.DataFrame({"date": [month_date(month)], "text": [f"Kỳ báo cáo {fmt.month(month)}"]})
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
        bars_df["text"] = [value_text(v, unit) for v in bars_df["value"]]
        bar_top = float(bars_df["value"].max()) if len(bars_df) else 0.0
        bar_top = bar_top if bar_top > 0 else 1.0
        bars = (
            alt.Chart(bars_df)
            .mark_bar(opacity=0.85)
            .encode(
                x=alt.X("start:T", axis=month_axis(n_months), scale=alt.Scale(domain=domain), title="Tháng"),
                x2="end:T",
                y2=alt.Y2(datum=0),
                y=alt.Y(
                    "value:Q",
                    axis=alt.Axis(
                        format=AXIS_NUMBER, title=unit_title(unit, "Trong tháng"), orient="right", grid=False
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
