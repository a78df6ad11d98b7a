"""The accessibility pieces without a browser: contrast of every colour at its source, HTML tables that escape,
the index.html rewrite, chart fonts for the browser, and direction-aware change words."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest

from app_pages import asgi, layout
from charts import theme
from ground.statuses import STATUSES
from views import html_table, reporting


def _luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("code", list(STATUSES))
def test_status_colours_show_on_white_and_carry_readable_ink(code):
    s = STATUSES[code]
    assert contrast(s.colour, "#FFFFFF") >= 3, (code, s.colour)  # WCAG 1.4.11, marks against the background
    assert contrast(s.colour, s.text_colour) >= 4.5, (code, s.colour, s.text_colour)  # 1.4.3, text on a cell
    assert s.icon and s.label  # never colour alone


def test_chart_and_completeness_colours_show_on_white():
    for colour in [*theme.CATEGORY_COLOURS, theme.ACTUAL_COLOUR, theme.EXPECTED_COLOUR, theme.MONTHLY_COLOUR]:
        assert contrast(colour, "#FFFFFF") >= 3, colour
    for c in reporting.COMPLETENESS.values():
        assert contrast(c.colour, "#FFFFFF") >= 3 and contrast(c.colour, c.ink) >= 4.5, c


def test_html_table_escapes_text_and_names_rows_and_columns():
    frame = pd.DataFrame({"Thôn": ["<b>An Lạc</b>"], "Số": [3.0]})
    texts = pd.DataFrame({"Thôn": ["<b>An Lạc</b>"], "Số": ["3"]})
    colours = pd.DataFrame({"Thôn": [None], "Số": [("#009E73", "#000000")]}, dtype=object)
    out = html_table.from_frame(frame, texts, colours, caption="x & y")
    assert "<b>" not in out and "&lt;b&gt;An Lạc&lt;/b&gt;" in out
    assert '<th scope="col">Thôn</th>' in out and '<th scope="row">' in out
    assert 'class="num" style="background-color:#009E73;color:#000000">3<' in out
    assert "<caption>x &amp; y</caption>" in out and 'tabindex="0" role="region"' in out
    spoken = html_table.table(["A", "B"], [[("r", None), (("▲ 5", "(Đúng tiến độ)"), None)]])
    assert '▲ 5<span class="xanh-sr-only"> (Đúng tiến độ)</span>' in spoken


def test_index_html_rewrite_sets_lang_and_puts_the_head_first():
    page = b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" /></head><body></body></html>'
    out = asgi.rewrite_index(page).decode()
    assert '<html lang="vi">' in out and 'lang="en"' not in out
    assert out.index("<style>") < out.index("<script>") < out.index('<meta charset="UTF-8" />')
    assert asgi.FONT_PATH in out
    assert asgi.rewrite_index(b"<p>not streamlit</p>") == b"<p>not streamlit</p>"


def test_browser_fonts_fall_back_to_sans_serif_while_export_keeps_noto_sans():
    spec = theme.themed(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x")).to_dict()
    shown = theme.for_browser(spec)
    assert shown["config"]["font"] == theme.FONT_CHAIN and theme.FONT_CHAIN.endswith("sans-serif")
    assert shown["config"]["axis"]["labelFont"] == theme.FONT_CHAIN
    assert spec["config"]["font"] == "Noto Sans"  # the PNG/SVG export is unchanged


@pytest.mark.parametrize(
    ("change", "direction", "words", "colour"),
    [
        (-0.8, "down", "giảm — đúng hướng", "green"),
        (0.8, "down", "tăng — ngược hướng", "red"),
        (2.0, "up", "tăng — đúng hướng", "green"),
        (-2.0, "up", "giảm — ngược hướng", "red"),
        (1.0, "none", "tăng", "gray"),
    ],
)
def test_change_words_follow_the_indicator_direction(change, direction, words, colour):
    fields = layout.change_kpi_fields(change, direction, "x")
    assert fields["delta"] == f"x · {words}" and fields["colour"] == colour


def test_the_head_files_hold_no_markup_that_st_html_would_strip():
    # A bare `streamlit run dashboard.py` puts them in through st.html, whose sanitiser drops a <style> or <script>
    # holding anything that looks like a tag (a comment naming "<head>" was enough): the page then stayed English.
    for text in (asgi.head_css(), asgi.head_js()):
        assert re.search(r"<[A-Za-z/!]", text) is None
