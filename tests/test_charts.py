"""Charts: one Vietnamese theme, every builder renders, Noto Sans covers every glyph, PNGs stand alone."""

from __future__ import annotations

import html
import re
import struct
from datetime import date
from functools import cache
from pathlib import Path

import fontpkg_noto_sans
import pandas as pd
import pytest
import vl_convert as vlc

import charts
import indicators as ind
from charts import export as chart_export

MONTH = "2026-10"
ENGLISH = re.compile(
    r"\b(value|values|period|count|sum|date|status|series|group|actual|expected|target|month|of)\b", re.I
)


# ---------------------------------------------------------------- a real look at the font file
@cache
def noto_codepoints() -> frozenset[int]:
    """Every code point the packaged Noto Sans maps to a glyph (its 'cmap' table, formats 4 and 12)."""
    data = (Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf").read_bytes()
    tables = {}
    for i in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, off, _length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag] = off
    base = tables[b"cmap"]
    points: set[int] = set()
    for i in range(struct.unpack(">H", data[base + 2 : base + 4])[0]):
        _, _, sub = struct.unpack(">HHI", data[base + 4 + 8 * i : base + 12 + 8 * i])
        s = base + sub
        fmt_ = struct.unpack(">H", data[s : s + 2])[0]
        if fmt_ == 4:
            seg2 = struct.unpack(">H", data[s + 6 : s + 8])[0]
            ends = struct.unpack(f">{seg2 // 2}H", data[s + 14 : s + 14 + seg2])
            starts = struct.unpack(f">{seg2 // 2}H", data[s + 16 + seg2 : s + 16 + 2 * seg2])
            points.update(c for a, b in zip(starts, ends, strict=True) if a != 0xFFFF for c in range(a, b + 1))
        elif fmt_ == 12:
            for g in range(struct.unpack(">I", data[s + 12 : s + 16])[0]):
                a, b, _ = struct.unpack(">III", data[s + 16 + 12 * g : s + 28 + 12 * g])
                points.update(range(a, b + 1))
    return frozenset(points)


def svg_texts(svg: str) -> list[str]:
    """Every line of text drawn in an SVG (multi-line titles come as one <tspan> per line)."""
    lines = []
    for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S):
        parts = re.findall(r"<tspan[^>]*>(.*?)</tspan>", t, re.S) or [t]
        lines += [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in parts]
    return lines


def encodings(spec: dict) -> list[dict]:
    """Every encoding block of a (layered) spec."""
    found = [spec["encoding"]] if "encoding" in spec else []
    for sub in spec.get("layer", []):
        found += encodings(sub)
    return found


def missing_glyphs(texts: list[str]) -> set[str]:
    cps = noto_codepoints()
    return {ch for t in texts for ch in t if not ch.isspace() and ord(ch) not in cps}


# ---------------------------------------------------------------- data for every builder
@pytest.fixture(scope="module")
def made(catalogue):
    rows = []
    for k, p in enumerate(ind.months_between("2026-01", MONTH)):
        for j, v in enumerate(catalogue.villages):
            rows.append(("cay_xanh_trong_moi", p, 20.0 + 7 * j, None, v.code))
            rows.append(("rac_phan_loai", p, 30.0 + 2 * k + j, 100.0, v.code))
        rows.append(("tthc_truc_tuyen", p, 400.0 + 15 * k, 1000.0, None))
    frame = pd.DataFrame(rows, columns=["indicator", "period", "value", "denominator", "village"])
    series = ind.series_by_place(frame)
    table = ind.to_frame(ind.assess_all(frame, catalogue, MONTH, villages=True), catalogue)
    trees = catalogue.indicator("cay_xanh_trong_moi")
    online = catalogue.indicator("tthc_truc_tuyen")
    breakdown = pd.DataFrame(
        [(p, g, 100.0 + 10 * i) for i, p in enumerate(["2026-09", MONTH]) for g in ("Trường học", "Đường giao thông")],
        columns=["period", "group", "value"],
    )
    commune = table[table["place"].isna()]
    return {
        "series_flow": charts.series_chart(
            ind.series_frame(trees, catalogue, series[("cay_xanh_trong_moi", None)], MONTH),
            kind="flow",
            unit=trees.unit,
            month=MONTH,
            targets=ind.targets_frame(trees, catalogue),
        ),
        "series_ratio": charts.series_chart(
            ind.series_frame(online, catalogue, series[("tthc_truc_tuyen", None)], MONTH),
            kind="ratio",
            unit="%",
            month=MONTH,
            targets=ind.targets_frame(online, catalogue),
        ),
        "villages": charts.village_chart(
            table[(table["indicator"] == "rac_phan_loai") & table["place"].notna()], unit="%"
        ),
        "breakdown": charts.breakdown_chart(breakdown, group_title="Địa điểm trồng", unit="cây"),
        "breakdown_one_month": charts.breakdown_chart(
            breakdown[breakdown["period"] == MONTH], group_title="Địa điểm trồng", unit="cây"
        ),
        "overview": charts.status_overview_chart(commune),
        "heat": charts.heat_grid(table[table["place"].notna()]),
        "sector": charts.sector_mini_chart(commune[commune["sector"] == "moi-truong"]),
    }


LABELS = {
    "title": "Số cây xanh trồng mới của xã ờ ế ị Ư",
    "unit": "cây",
    "period": MONTH,
    "cutoff_date": date(2026, 11, 5),
    "source": "Báo cáo trồng cây của các thôn",
    "status": "Đúng tiến độ",
}


@pytest.fixture(scope="module")
def svgs(made):
    return {name: chart_export.chart_svg(chart, **LABELS) for name, chart in made.items()}


# ---------------------------------------------------------------- the theme
def test_every_chart_carries_the_vietnamese_theme(made):
    for name, chart in made.items():
        spec = chart.to_dict()
        config = spec["config"]
        assert config["font"] == "Noto Sans", name
        for part in ("axis", "legend", "title"):
            assert "Noto Sans" in {v for k, v in config[part].items() if k.endswith("Font")}, (name, part)
        assert config["locale"]["number"]["decimal"] == "," and config["locale"]["number"]["thousands"] == "."
        assert config["locale"]["time"]["months"][9] == "tháng 10"
        assert spec["width"] == "container", name  # resizes with the page


def test_registered_theme_is_enabled_for_charts_built_elsewhere():
    import altair as alt

    assert alt.theme.active == charts.THEME_NAME
    spec = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q").to_dict()
    assert spec["config"]["font"] == "Noto Sans"


def test_no_english_that_a_user_can_read(made, svgs):
    for name, svg in svgs.items():
        shown = svg_texts(svg)
        assert shown, name
        assert not [t for t in shown if ENGLISH.search(t)], name
    for name, chart in made.items():  # tooltips and legend titles live only in the spec
        for enc in encodings(chart.to_dict()):
            for tip in enc.get("tooltip", []) or []:
                assert tip.get("title") and not ENGLISH.search(tip["title"]), (name, tip)
            for channel in ("x", "y", "color"):
                spec = enc.get(channel) or {}
                if "field" in spec:  # a field with no title would show its (English) name
                    guide = spec.get("axis" if channel in "xy" else "legend", {})
                    unscaled = "scale" in spec and spec["scale"] is None  # identity colours draw no legend
                    assert "title" in spec or guide is None or "title" in guide or unscaled, (name, channel, spec)


def test_numbers_and_months_are_vietnamese_on_the_image(svgs):
    flow = svg_texts(svgs["series_flow"])
    assert "20.000" in flow  # axis tick with the locale's thousands separator
    assert "T1/2026" in flow and "T7/2026" in flow
    assert "Chỉ tiêu T12/2027: 20.000 cây" in flow  # the target line is named with its value
    assert "Kỳ báo cáo T10/2026" in flow  # the "today" marker
    assert not any(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in flow)  # no English 20,000
    ratio = svg_texts(svgs["series_ratio"])
    assert "Chỉ tiêu T12/2027: 85%" in ratio and "Tỷ lệ (%)" in ratio


def test_months_stay_few_enough_for_a_phone():
    assert charts.month_step(24) == 6  # 2026-2027: T1/2026, T7/2026, T1/2027, T7/2027
    assert charts.month_step(61) == 12
    assert charts.month_step(5) == 1


def test_status_is_written_never_colour_alone(svgs, made):
    village = svg_texts(svgs["villages"])
    statuses = {s.label for s in ind.STATUSES.values()}
    written = [t for t in village if " · " in t and t.rsplit(" · ", 1)[1] in statuses]
    assert len(written) >= 20  # "value · status" on every village's bar
    overview = svg_texts(svgs["overview"])
    assert all(s.label in overview for s in ind.STATUSES.values() if s.code != "theo_doi")
    sector = svg_texts(svgs["sector"])
    assert any(re.fullmatch(r"\d+% · .+", t) for t in sector)
    heat = made["heat"].to_dict()
    assert any(t["title"] == "Trạng thái" for t in heat["layer"][0]["encoding"]["tooltip"])
    # Symbols drawn as shapes (the font has no ▲ ◆ ●) sit beside the overview's labels.
    shaped = [e["shape"] for e in encodings(made["overview"].to_dict()) if "shape" in e]
    assert shaped and shaped[0]["scale"]["range"][:4] == ["triangle-down", "diamond", "circle", "triangle-up"]


# ---------------------------------------------------------------- fonts and glyphs
def test_every_glyph_on_every_chart_is_in_noto_sans(svgs):
    for name, svg in svgs.items():
        families = set(re.findall(r'font-family="([^"]+)"', svg))
        assert families == {"Noto Sans"}, (name, families)
        texts = svg_texts(svg)
        assert "Số cây xanh trồng mới của xã ờ ế ị Ư" in texts
        assert missing_glyphs(texts) == set(), name


def test_the_check_finds_a_missing_glyph():
    assert missing_glyphs(["Đúng ▲"]) == {"▲"}
    assert missing_glyphs(["ờ ế ị Ư đ Đ"]) == set()


def test_noto_sans_is_what_vl_convert_draws_with():
    chart_export.register_fonts()

    def png(font: str) -> bytes:
        spec = {
            "data": {"values": [{"t": "Trường học xanh ờ ế ị Ư"}]},
            "mark": {"type": "text", "font": font, "fontSize": 28},
            "encoding": {"text": {"field": "t"}},
            "width": 420,
            "height": 60,
        }
        return vlc.vegalite_to_png(spec, scale=1)

    assert png("Noto Sans") != png("Phông Không Có Thật")  # an unknown family falls back elsewhere


# ---------------------------------------------------------------- PNG export
def test_png_is_wide_and_stands_alone(made, tmp_path):
    png = chart_export.chart_png(made["series_flow"], **LABELS)
    width, height = chart_export.png_size(png)
    assert width >= 1200 and height > 600
    (tmp_path / "cay.png").write_bytes(png)
    svg = chart_export.chart_svg(made["series_flow"], **LABELS)
    texts = svg_texts(svg)
    assert texts[0] == LABELS["title"] or LABELS["title"] in texts
    assert "Đơn vị tính: cây · Kỳ báo cáo: tháng 10/2026" in texts
    assert "Trạng thái: Đúng tiến độ" in texts
    assert "Số liệu đến ngày 05/11/2026" in texts
    assert "Nguồn: Báo cáo trồng cây của các thôn" in texts


def test_every_builder_exports(made):
    for name, chart in made.items():
        w, _ = chart_export.png_size(chart_export.chart_png(chart, title="Biểu đồ", source="UBND xã"))
        assert w >= 1200, name


def test_png_size_refuses_other_bytes():
    with pytest.raises(ValueError):
        chart_export.png_size(b"GIF89a....")
