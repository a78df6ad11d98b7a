"""PNG and SVG export with vl-convert: the chart framed with its title, unit, period and source."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import altair as alt
import fontpkg_noto_sans
import vl_convert as vlc

from charts.theme import (
    FONT,
    MUTED,
    theme_config,
)
from ground import fmt

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
        footer.append(f"Số liệu đến ngày {fmt.date(cutoff_date)}")  # true of live and frozen figures alike
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
