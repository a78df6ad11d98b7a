"""Page furniture shared by every page: escaping text for Markdown, the header, the empty and error states,
KPI rows that wrap on a phone, charts, and the small static CSS."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import asgi
from app_pages.data import Snapshot
from charts.theme import for_browser
from ground import fmt
from views import privacy, texts

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all also
# defuses Streamlit's own directives (:red[...], :material/x:, $math$) and raw HTML.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=@%^])")


def md(text: object) -> str:
    """Text from data or configuration made safe to put in Markdown: shown literally, never as markup."""
    if text is None:
        return fmt.MISSING
    text = privacy.visible_text(str(text))  # a right-to-left override must not make a file name read reversed
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


# Layout only: no data ever goes into this string.
_CSS = """
<style>
/* The status widget says "Running..." in English; the page shows its own progress. */
[data-testid="stStatusWidget"] { visibility: hidden; }
/* Tighter page top, so a phone shows the figures without scrolling. */
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 3rem; }
/* KPI tiles: the label may wrap, the figure never overflows its tile. */
[data-testid="stMetric"] { min-width: 0; }
[data-testid="stMetricLabel"] p { white-space: normal; line-height: 1.25; }
[data-testid="stMetricValue"] { font-size: 1.55rem; }
[data-testid="stMetricValue"] *, [data-testid="stMetricDelta"] *, [data-testid="stMetricDeltaDescription"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* A long delta ("+1,7 điểm % · tăng — đúng hướng") and its description share one row, which squeezed the
   description to a letter's width, one letter a line: the description gets a line of its own instead. */
div:has(> [data-testid="stMetricDelta"]) { flex-wrap: wrap; }
[data-testid="stMetricDeltaDescription"] { flex: 1 0 100%; }
@media (max-width: 640px) {
  .block-container, [data-testid="stMainBlockContainer"] { padding-top: 3.6rem; }
  h1 { font-size: 1.55rem !important; }
  h2 { font-size: 1.3rem !important; }
  h3 { font-size: 1.1rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.3rem; }
}
/* A chart of fixed width (the village grid) scrolls sideways on a phone instead of being squeezed. */
[class*="st-key-scroll_"] { overflow-x: auto; overflow-y: hidden; }
</style>
"""


def style() -> None:
    st.html(_CSS)
    # The same stylesheet and script app_pages/server.py writes into index.html (app_pages/asgi.py), again here so
    # that a bare `streamlit run dashboard.py` is Vietnamese, printable and accessible too (the script runs once).
    st.html(f"<style>{asgi.head_css()}</style>")
    st.html(f"<script>{asgi.head_js()}</script>", unsafe_allow_javascript=True)


def print_head(snap: Snapshot, page: str, month: str | None = None) -> None:
    """What a printed page carries at its top (commune, page, month, data cut-off day, source), drawn only on
    paper, and the "In trang này" button, drawn only on screen."""
    cat = snap.catalogue
    commune = cat.commune.name if cat is not None else ""
    parts = [f"UBND {commune}" if commune else "", page]
    if month:
        parts.append(fmt.month(month))
    day = cutoff_day(snap)
    if day is not None:
        parts.append(f"Số liệu đến ngày {fmt.date(day)}")
    lower = commune[:1].lower() + commune[1:]
    parts.append(f"Nguồn: báo cáo tháng của các đơn vị, UBND {lower} tổng hợp" if commune else "")
    line = html.escape(" · ".join(p for p in parts if p))
    st.html(
        f'<div class="xanh-print-only"><p><strong>{line}</strong></p></div>'
        f'<button type="button" class="xanh-print">{html.escape(texts.PRINT_BUTTON)}</button>'
    )


def cutoff_day(snap: Snapshot) -> date | None:
    """The data cut-off day: a frozen snapshot's day, else the day of the latest upload."""
    info = getattr(snap, "frozen", None)
    if info is not None:
        return info.as_of
    updated = snap.updated_at
    return None if updated is None or pd.isna(updated) else pd.Timestamp(updated).date()


def header(title: str, caption: str | None = None) -> None:
    """The page title (escaped) and one caption line under it."""
    st.header(md(title), anchor=False)
    if caption:
        st.caption(md(caption))


def snapshot_line(snap: Snapshot) -> str:
    updated = snap.updated_at
    text = f"Số liệu đến {fmt.month(snap.latest)}"
    if updated is not None:
        text += f", cập nhật lần cuối {fmt.datetime(updated.to_pydatetime())}"
    return text


def ready(snap: Snapshot, title: str) -> bool:
    """Whether the page has data to show; otherwise draws the page title and says why (empty, busy,
    broken) in Vietnamese."""
    if snap.problem_kind is None and not snap.empty:
        return True
    header(title)
    if snap.problem_kind == "busy":
        st.warning(texts.BUSY, icon=":material/hourglass_top:")
        return False
    if snap.problem_kind == "catalogue":
        st.error(texts.CATALOGUE_BROKEN, icon=":material/error:")
        st.text(snap.problem)
        return False
    if snap.problem_kind == "unreadable":
        st.error(texts.UNREADABLE, icon=":material/error:")
        st.text(snap.problem)
        return False
    empty_state(snap)
    return False


def empty_state(snap: Snapshot) -> None:
    with st.container(border=True):
        st.subheader(texts.EMPTY_TITLE, anchor=False)
        st.markdown(texts.EMPTY_BODY)
        st.code(texts.EMPTY_COMMAND.format(db=snap.path), language="bash")
        st.caption(texts.EMPTY_SAMPLE)
        st.code(texts.EMPTY_SAMPLE_COMMAND.format(db=snap.path), language="bash")


@dataclass(frozen=True)
class Kpi:
    """One tile. `delta` is text already formatted ("+1,2 điểm %"); Streamlit reads the sign of a text
    delta from an ASCII "-" only, so the arrow and colour are given, not guessed."""

    label: str
    value: str
    delta: str | None = None
    arrow: str = "off"  # "up" | "down" | "off"
    colour: str = "gray"  # "green" (better) | "red" (worse) | "gray"
    help: str | None = None
    description: str | None = None


CHANGE_WORDS = {"up": "tăng", "down": "giảm"}
RIGHT_WAY = ("đúng hướng", "ngược hướng")


def change_kpi_fields(change: float | None, direction: str, text: str, verdict: tuple[str, str] = RIGHT_WAY) -> dict:
    """delta, arrow and colour for a change: the arrow follows the sign, the colour whether it is good, and the
    words say both ("−0,8 điểm % · giảm — đúng hướng" on a lower-is-better indicator), so neither the arrow nor
    the colour has to be read alone. `verdict`: the words for a good and a bad change."""
    if change is None or text == fmt.MISSING:
        return {}
    if round(change, 9) == 0:
        return {"delta": f"{text} · không đổi", "arrow": "off", "colour": "gray"}
    good = change > 0 if direction == "up" else change < 0 if direction == "down" else None
    colour = "gray" if good is None else ("green" if good else "red")
    arrow = "up" if change > 0 else "down"
    words = CHANGE_WORDS[arrow] + ("" if good is None else f" — {verdict[0] if good else verdict[1]}")
    return {"delta": f"{text} · {words}", "arrow": arrow, "colour": colour}


def kpis(items: Iterable[Kpi], width: int = 190) -> None:
    """Figures in tiles that sit side by side and wrap onto the next line on a narrow screen."""
    with st.container(horizontal=True, wrap=True, gap="small"):
        for k in items:
            st.metric(
                md(k.label),
                md(k.value),
                delta=None if k.delta is None else md(k.delta),
                delta_color=k.colour,
                delta_arrow=k.arrow,
                delta_description=None if k.description is None else md(k.description),
                help=k.help,
                border=True,
                width=width,
            )


def chart(spec: alt.TopLevelMixin | dict, *, key: str, fixed: bool = False, description: str | None = None) -> None:
    """A chart from charts.py (an Altair chart or its cached Vega-Lite dict), drawn with its own theme (fonts
    with a sans-serif fallback chain). `description` becomes the chart's accessible name (Vega writes the
    spec's description as the SVG's aria-label; without it a screen reader hears "Vega visualization").
    `fixed`: the chart has its own width in pixels and scrolls sideways when wider than the page."""
    if isinstance(spec, alt.TopLevelMixin):
        spec = spec.to_dict(validate=False)
    spec = for_browser(spec)
    if description:
        spec = {**spec, "description": description}
    if fixed:
        with st.container(key=f"scroll_fixed_{key}"):
            st.vega_lite_chart(spec=spec, theme=None, width="content", key=key)
    else:
        st.vega_lite_chart(spec=spec, theme=None, width="stretch", key=key)


def section(title: str, caption: str | None = None) -> None:
    st.subheader(md(title), anchor=False, divider="gray")
    if caption:
        st.caption(md(caption))
