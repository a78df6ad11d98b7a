"""The one Vietnamese chart theme (font, locale, palette) and the small helpers every chart shares."""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import fontpkg_noto_sans
import pandas as pd

from ground import fmt
from ground.statuses import STATUS_ORDER, STATUSES

FONT = fontpkg_noto_sans.FAMILY  # "Noto Sans": covers every Vietnamese letter (vl-convert's default does not)
# In the browser the same font is served by the app (app_pages/asgi.py); the chain keeps a sans-serif face
# where it is not (a bare `streamlit run dashboard.py`) instead of the browser's serif default.
FONT_CHAIN = f'"{FONT}", "Source Sans", "Source Sans Pro", Arial, Helvetica, sans-serif'
INK, GRID, MUTED = "#222222", "#E6E6E6", "#666666"
# Okabe-Ito hues darkened where needed so every mark has 3:1 against the white background (WCAG 1.4.11:
# the light yellow #F0E442 was 1,32:1, orange #E69F00 2,25:1, sky blue #56B4E9 2,31:1), for categories that
# are not statuses (place type, star rating, field). Status colours live in ground/statuses.py.
CATEGORY_COLOURS = ["#0072B2", "#B36B00", "#009E73", "#B8559A", "#6A51A3", "#D55E00", "#8C6D00", "#000000"]
ACTUAL_COLOUR, EXPECTED_COLOUR, MONTHLY_COLOUR, TARGET_COLOUR = "#0072B2", "#555555", "#4A90C8", "#000000"

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
def month_date(period: str) -> pd.Timestamp:
    return pd.Timestamp(f"{period[:7]}-01")


def datetime(d: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=d.year, month=d.month, date=d.day)


def month_step(n_months: int, most: int = 6) -> int:
    """Months between labelled ticks so that at most `most` labels show (fits a 390 px phone)."""
    return next((s for s in (1, 2, 3, 6, 12, 24) if n_months / s <= most), 60)


def month_axis(n_months: int, title: str | None = "Tháng") -> alt.Axis:
    return alt.Axis(
        format=MONTH_FORMAT,
        tickCount={"interval": "month", "step": month_step(n_months)},
        labelAngle=0,
        title=title,
        grid=False,
        labelOverlap="greedy",
    )


def status_scale(field: str = "colour") -> alt.Scale:
    domain = [s.label for s in _LEGEND_STATUSES]
    if field == "shape":
        return alt.Scale(domain=domain, range=[s.shape for s in _LEGEND_STATUSES])
    return alt.Scale(domain=domain, range=[s.colour for s in _LEGEND_STATUSES])


def status_legend(df: pd.DataFrame, columns: int = 2) -> alt.Legend:
    """A legend listing only the statuses present (the scale keeps all, so colours never shift)."""
    present = [s.label for s in _LEGEND_STATUSES if s.label in set(df["status_label"])]
    return alt.Legend(values=present, columns=columns, symbolType="square", symbolStrokeColor="#444444")


def status_color(df: pd.DataFrame) -> alt.Color:
    """Colour by status, on the one status scale, with a legend of the statuses present."""
    return alt.Color("status_label:N", title="Trạng thái", scale=status_scale(), legend=status_legend(df))


def status_fields(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds status_label / status_colour / status_ink from a `status` code column."""
    out = frame.copy()
    out["status_label"] = [STATUSES[c].label for c in out["status"]]
    out["status_ink"] = [STATUSES[c].text_colour for c in out["status"]]
    return out


def value_text(x: float | None, unit: str) -> str:
    return fmt.quantity(x, unit)


def compact(x: float | None, unit: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return fmt.MISSING
    if unit == "%":
        return fmt.percent(x, 0 if abs(x) >= 99.95 else 1)
    return fmt.number(x, 0 if abs(x) >= 100 else 1, trim=True)


def unit_title(unit: str, prefix: str = "") -> str:
    unit_text = "%" if unit == "%" else unit
    return f"{prefix} ({unit_text})".strip() if prefix else unit_text


def for_browser(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart spec for the page: every font of its config set to FONT_CHAIN. The page serves Noto Sans, the
    chain keeps a sans-serif face where that font did not load; PNG/SVG export keeps the bare Noto Sans."""
    config = spec.get("config")
    if not isinstance(config, dict):
        return spec

    def swap(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (FONT_CHAIN if k.endswith(("font", "Font")) and v == FONT else swap(v)) for k, v in node.items()}
        return node

    return {**spec, "config": swap(config)}
