"""Chart images for briefs and downloads: an indicator's chart and the sector charts as PNGs over 1.200 px wide,
every glyph drawn in Noto Sans (ờ ế ị Ư included), labels on the image, and the page helper's PNG download."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages import chart_download
from briefs import Figures, build_content, indicator_png, sector_images
from briefs.images import NotByVillage, indicator_chart, sector_charts
from charts import export as chart_export
from tests.test_charts import missing_glyphs, svg_texts

MONTH = "2026-10"
VIETNAMESE = "Trường học xanh ờ ế ị Ư"


@pytest.fixture(scope="module")
def figures(catalogue) -> Figures:
    """Ten months of trees by village, a ratio by field, a village table and an untargeted flow (Store.monthly
    columns), as a brief would load them."""
    rows = []
    for m in range(1, 11):
        p = f"2026-{m:02d}"
        for village, n in (("an-lac", 300.0 + 10 * m), ("dong-ha", 200.0)):
            rows.append(("cay_xanh_trong_moi", p, village, "dia_diem", "truong-hoc", n, None, 1))
        rows.append(("tthc_toan_trinh", p, None, "linh_vuc", "Hộ tịch", 30.0 + m, 100.0, 1))
        rows.append(("rac_phan_loai", p, "an-lac", "", "", 40.0 + m, 100.0, 1))
        rows.append(("vi_pham_moi_truong", p, None, "", "", 1.0, None, 1))
        rows.append(("so_lien_lac_dt", p, None, "", "", 80.0, 100.0, 1))
    columns = ["indicator", "period", "village", "dim", "dim_value", "value", "denominator", "rows"]
    monthly = pd.DataFrame(rows, columns=columns)
    reports = pd.DataFrame(
        columns=["indicator", "period", "unit", "kind", "upload_id", "file_name", "uploaded_at", "signed_on"]
    )
    return Figures(catalogue, monthly, reports, datetime(2026, 11, 5, 16, 30), date(2026, 11, 6))


def test_an_indicator_chart_is_wide_and_carries_its_labels(figures):
    png = indicator_png(figures, "cay_xanh_trong_moi", MONTH, "dong-ha")
    width, height = chart_export.png_size(png)
    assert width >= 1200 and height > 600
    spec = indicator_chart(figures, "cay_xanh_trong_moi", MONTH, "dong-ha")
    texts = svg_texts(chart_export.chart_svg(spec.chart, **spec.labels))
    assert "Số cây xanh trồng mới (phân tán) – Thôn Đông Hà" in texts
    assert "Đơn vị tính: cây · Kỳ báo cáo: tháng 10/2026" in texts
    assert "Số liệu đến ngày 05/11/2026" in texts
    assert "Nguồn: Báo cáo tháng của Phòng Kinh tế; UBND xã An Phú tổng hợp" in texts
    # Đông Hà planted 200 a month: 2.000 by T10 of its 1/20 share (1.000) of 20.000 trees.
    assert "Trạng thái: Đã đạt (200% chỉ tiêu giai đoạn 2026 - 2027)" in texts
    assert any(t.startswith("Chỉ tiêu thôn (chia đều từ chỉ tiêu xã) giai đoạn 2026 - 2027: 1.000 cây") for t in texts)


def test_every_glyph_of_the_brief_images_is_drawn_in_noto_sans(figures):
    content = build_content(figures, MONTH)
    specs = sector_charts(content, figures)
    assert len(specs) >= 3
    specs.append(indicator_chart(figures, "tthc_toan_trinh", MONTH))
    for spec in specs:
        labels = {**spec.labels, "title": f"{spec.labels['title']} {VIETNAMESE}"}
        svg = chart_export.chart_svg(spec.chart, **labels)
        assert set(re.findall(r'font-family="([^"]+)"', svg)) == {"Noto Sans"}, labels["title"]
        texts = svg_texts(svg)
        assert labels["title"] in texts
        assert missing_glyphs(texts) == set(), labels["title"]


def test_sector_images_are_over_1200_px_and_list_only_targeted_indicators(figures):
    content = build_content(figures, MONTH)
    images = sector_images(content, figures)
    for im in images:
        assert chart_export.png_size(im.png)[0] >= 1200
        assert 8 <= im.width_cm <= 16
    # vi_pham_moi_truong is tracked without a target: it never gets a bar.
    specs = sector_charts(content, figures)
    drawn = {r.get("indicator") for spec in specs for rows in spec.chart.to_dict()["datasets"].values() for r in rows}
    assert "vi_pham_moi_truong" not in drawn and {"cay_xanh_trong_moi", "tthc_toan_trinh"} <= drawn


def test_a_village_chart_of_an_indicator_not_kept_by_village_is_refused(figures):
    with pytest.raises(NotByVillage, match="không được báo cáo theo từng thôn"):
        indicator_chart(figures, "tthc_toan_trinh", MONTH, "dong-ha")


# ---------------------------------------------------------------- the page helper


def test_the_page_helper_renders_a_cached_spec_as_the_chart_itself(figures):
    spec = indicator_chart(figures, "cay_xanh_trong_moi", MONTH)
    as_dict = spec.chart.to_dict()
    labels = tuple(sorted({**spec.labels, "cutoff_date": "2026-11-05"}.items()))
    from_dict = chart_download.png(json.dumps(as_dict, sort_keys=True, ensure_ascii=False), labels)
    assert from_dict == chart_export.chart_png(spec.chart, **spec.labels)
    assert chart_export.png_size(from_dict)[0] >= 1200
    assert chart_download.file_name("Số cây xanh trồng mới (phân tán) – Thôn Đông Hà", MONTH) == (
        "so-cay-xanh-trong-moi-phan-tan-thon-dong-ha-2026-10.png"
    )


def _page() -> None:
    import altair as alt
    import pandas as pd

    from app_pages.chart_download import chart_with_png

    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x", y="y")
    chart_with_png(chart, title="Số hộ phân loại rác", source="UBND xã", key="thu", unit="hộ", period="2026-10")


def test_the_page_helper_draws_the_chart_and_a_png_download():
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [chart_download.LABEL]
