"""Tables as real HTML (escaped text, header cells with scope): what screen readers, phones and paper get beside
the canvas grid of st.dataframe, which is absent from the accessibility tree and prints only its visible rows."""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

# (text, (background, ink) or None); text may be (shown, read only by screen readers and printed).
Cell = tuple[str | tuple[str, str], tuple[str, str] | None]


def _text(text: str | tuple[str, str]) -> str:
    if isinstance(text, tuple):
        shown, spoken = text
        return f'{html.escape(shown)}<span class="xanh-sr-only"> {html.escape(spoken)}</span>'
    return html.escape(str(text))


def _style(colours: tuple[str, str] | None) -> str:
    if not colours:
        return ""
    background, ink = colours
    return f' style="background-color:{html.escape(background)};color:{html.escape(ink)}"'


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    caption: str | None = None,
    numeric: Sequence[bool] | None = None,
    row_headers: bool = True,
    css_class: str = "",
) -> str:
    """A <table> whose first column names each row (<th scope="row">) and whose header names each column.
    Every text is escaped: data never becomes markup. `numeric` columns are right-aligned."""
    num = list(numeric) if numeric is not None else [False] * len(headers)
    # The box scrolls sideways on a phone: focusable and named, so a keyboard can scroll it too.
    name = html.escape(caption or " · ".join(str(h) for h in headers[:3]))
    out = [f'<div class="xanh-scroll" tabindex="0" role="region" aria-label="{name}">']
    out.append(f'<table class="xanh-table {html.escape(css_class)}">')
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append(
        "<thead><tr>" + "".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in headers) + "</tr></thead>"
    )
    out.append("<tbody>")
    for row in rows:
        cells = []
        for c, (text, colours) in enumerate(row):
            tag = "th" if c == 0 and row_headers else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cls = ' class="num"' if c < len(num) and num[c] and tag == "td" else ""
            cells.append(f"<{tag}{scope}{cls}{_style(colours)}>{_text(text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def from_frame(
    frame: pd.DataFrame,
    texts: pd.DataFrame,
    colours: pd.DataFrame | None = None,
    *,
    caption: str | None = None,
    css_class: str = "",
) -> str:
    """The table of `frame` with `texts` (same shape: each cell as shown) and optional `colours` (same shape:
    (background, ink) or None). Numeric columns of `frame` are right-aligned."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in frame]
    rows = []
    for r in range(len(texts)):
        rows.append(
            [
                (
                    texts.iat[r, c],
                    None if colours is None or not isinstance(colours.iat[r, c], tuple) else colours.iat[r, c],
                )
                for c in range(texts.shape[1])
            ]
        )
    return table([str(c) for c in frame.columns], rows, caption=caption, numeric=numeric, css_class=css_class)
