"""Every Altair chart of the dashboard and the briefs, drawn in one Vietnamese theme.

PNG and SVG export (vl-convert) lives apart in `charts.export`, so a page that only draws never loads it."""

from charts.overview import PCT_TITLE, sector_mini_chart, status_overview_chart
from charts.places import TICK_NOTE, breakdown_chart, heat_grid, village_chart
from charts.progress import (
    SERIES_ACTUAL_FLOW,
    SERIES_ACTUAL_LEVEL,
    SERIES_EXPECTED,
    SERIES_MONTHLY,
    SERIES_TARGET,
    series_chart,
)
from charts.theme import CATEGORY_COLOURS, FONT, THEME_NAME, month_step, theme_config, themed

__all__ = [
    "CATEGORY_COLOURS",
    "FONT",
    "PCT_TITLE",
    "SERIES_ACTUAL_FLOW",
    "SERIES_ACTUAL_LEVEL",
    "SERIES_EXPECTED",
    "SERIES_MONTHLY",
    "SERIES_TARGET",
    "THEME_NAME",
    "TICK_NOTE",
    "breakdown_chart",
    "heat_grid",
    "month_step",
    "sector_mini_chart",
    "series_chart",
    "status_overview_chart",
    "theme_config",
    "themed",
    "village_chart",
]
