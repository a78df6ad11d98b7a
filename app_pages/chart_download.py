"""One helper for every chart on the dashboard: draw it, and offer its PNG (rendered only when asked, then cached)."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import layout
from briefs.images import SpecChart, source_text
from charts import export as chart_export
from ground import fmt
from ground.catalogue import Catalogue
from ground.text import fold
from views import texts

LABEL = "Tải ảnh PNG"
HELP = "Ảnh biểu đồ để dán vào văn bản: có tiêu đề, đơn vị tính, kỳ báo cáo, ngày chốt số liệu và nguồn."


@lru_cache(maxsize=32)
def png(spec_json: str, labels: tuple[tuple[str, object], ...]) -> bytes:
    """The chart as chart_export.chart_png draws it. Plain lru_cache, not st.cache_data: the download runs the data
    callable on another thread, outside the script run."""
    return chart_export.chart_png(SpecChart(json.loads(spec_json)), **dict(labels))


def source_line(catalogue: Catalogue, unit_codes: list[str] | None = None) -> str:
    """The image's footer: "Báo cáo tháng của Phòng Kinh tế; UBND xã An Phú tổng hợp" (as in the briefs)."""
    return source_text(catalogue, unit_codes)


def cutoff(snap) -> date | None:
    """The data cut-off date of a data.Snapshot: a frozen snapshot's day, else the day of the latest upload."""
    info = getattr(snap, "frozen", None)
    if info is not None:
        return info.as_of
    updated = snap.updated_at
    return None if updated is None or pd.isna(updated) else pd.Timestamp(updated).date()


def file_name(title: str, period: str | None) -> str:
    """ "so-cay-xanh-trong-moi-phan-tan-2026-10.png": no accents or spaces, so any e-mail or USB stick keeps it."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(title).replace("đ", "d")).strip("-")[:80] or "bieu-do"
    return f"{stem}-{period}.png" if period else f"{stem}.png"


def describe(title: str, period: str | None, status: str | None, unit: str | None) -> str:
    """The one-sentence text alternative of a chart that was given none: what it shows, when, its status."""
    text = f"Biểu đồ {title}"
    if period:
        text += f", {fmt.month(period)}"
    if unit:
        text += f", đơn vị {unit}"
    if status:
        text += f"; trạng thái: {status}"
    return text + "; số liệu chi tiết ở bảng ngay dưới."


def chart_with_png(
    chart: alt.TopLevelMixin | dict,
    *,
    title: str,
    source: str,
    key: str,
    unit: str | None = None,
    period: str | None = None,
    status: str | None = None,
    subtitle: str | None = None,
    cutoff_date: date | str | None = None,
    fixed: bool = False,
    description: str | None = None,
    table_html: str | None = None,
) -> None:
    """Draw `chart` (an Altair chart or its cached Vega-Lite dict) as layout.chart does, with a button under it
    that downloads the same chart as a PNG standing alone: `title`, `subtitle`, unit, period ("2026-10"),
    status and the data cut-off date written on it, and `source` as its footer. Nothing is rendered until the
    button is pressed; the image is then cached for the next download."""
    spec = chart.to_dict() if isinstance(chart, alt.TopLevelMixin) else chart
    layout.chart(spec, key=key, fixed=fixed, description=description or describe(title, period, status, unit))
    if table_html:
        with st.expander(texts.AS_TABLE):
            st.html(table_html)
    labels = {
        "title": title,
        "source": source,
        "subtitle": subtitle,
        "unit": unit,
        "period": period,
        "cutoff_date": cutoff_date.isoformat() if isinstance(cutoff_date, date) else cutoff_date,
        "status": status,
    }
    frozen_labels = tuple(sorted(labels.items()))
    spec_json = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    st.download_button(
        LABEL,
        data=lambda: png(spec_json, frozen_labels),
        file_name=file_name(title, period),
        mime="image/png",
        key=f"png_{key}",
        help=HELP,
        on_click="ignore",
        icon=":material/image:",
        type="tertiary",
    )
