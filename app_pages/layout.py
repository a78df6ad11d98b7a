"""Page furniture shared by every page: escaping text for Markdown, the header, the empty and error states,
KPI rows that wrap on a phone, charts, and the small static CSS."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import altair as alt
import streamlit as st

from app_pages.data import Snapshot
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


def change_kpi_fields(change: float | None, direction: str, text: str) -> dict:
    """delta, arrow and colour for a change: the arrow follows the sign, the colour whether it is good."""
    if change is None or text == fmt.MISSING:
        return {}
    if round(change, 9) == 0:
        return {"delta": text, "arrow": "off", "colour": "gray"}
    good = change > 0 if direction == "up" else change < 0 if direction == "down" else None
    colour = "gray" if good is None else ("green" if good else "red")
    return {"delta": text, "arrow": "up" if change > 0 else "down", "colour": colour}


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


def chart(spec: alt.TopLevelMixin | dict, *, key: str, fixed: bool = False) -> None:
    """A chart from charts.py (an Altair chart or its cached Vega-Lite dict), drawn with its own theme.
    `fixed`: the chart has its own width in pixels and scrolls sideways when wider than the page."""
    if isinstance(spec, alt.TopLevelMixin):
        spec = spec.to_dict(validate=False)
    if fixed:
        with st.container(key=f"scroll_fixed_{key}"):
            st.vega_lite_chart(spec=spec, theme=None, width="content", key=key)
    else:
        st.vega_lite_chart(spec=spec, theme=None, width="stretch", key=key)


def section(title: str, caption: str | None = None) -> None:
    st.subheader(md(title), anchor=False, divider="gray")
    if caption:
        st.caption(md(caption))
