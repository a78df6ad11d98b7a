"""Printing a page as an office does before a meeting: Chromium renders each page under print media to an A4 PDF
(what the browser's own print and the "In trang này" button produce), and the test reads the PDF's text: the header
line (commune, page, month, data date, source), page numbers, every row of every table, no sidebar or buttons."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest

from ground.catalogue import load_catalogue
from tests.browser_support import IDLE, chromium, streamlit_server

pytestmark = pytest.mark.browser

PAGES = {
    "tong-quan": "/",
    "chi-tieu": "/chi-tieu?ma=tt_hoi_nghi",
    "thon": "/thon",
    "don-vi": "/don-vi",
    "phuong-phap": "/phuong-phap",
    "bao-cao": "/bao-cao",
}
A4 = (595, 842)  # points


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory) -> Iterator[str]:
    with streamlit_server(sample_db, tmp_path_factory.mktemp("print") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def pdfs(server, tmp_path_factory) -> dict[str, list[str]]:
    """Each page's PDF, as the text of each of its pages."""
    from pypdf import PdfReader

    folder = tmp_path_factory.mktemp("pdf")
    out: dict[str, list[str]] = {}
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, path in PAGES.items():
            page.goto(server + path)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_selector("[data-testid='stHeading']", timeout=30_000)
            page.wait_for_timeout(400)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_load_state("networkidle")
            # What the browser's print dialog does first: the page's beforeprint handler opens the expanders.
            page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
            page.emulate_media(media="print")
            data = page.pdf(print_background=True, prefer_css_page_size=True)
            (folder / f"{name}.pdf").write_bytes(data)
            reader = PdfReader(io.BytesIO(data))
            for p in reader.pages:
                assert (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == A4, name
            out[name] = [p.extract_text() for p in reader.pages]
            page.emulate_media(media="screen")
            page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.close()
    print(f"\nPDF: {folder}")
    return out


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_prints_with_its_header_and_page_numbers_and_no_furniture(pdfs, name):
    pages = pdfs[name]
    text = "\n".join(pages)
    assert all(p.strip() for p in pages), (name, [len(p) for p in pages])  # no blank page
    head = re.sub(r"\s+", " ", pages[0])
    assert "UBND Xã An Phú ·" in head and "Nguồn: báo cáo tháng của các đơn vị" in head, head[:400]
    if name != "bao-cao":
        assert "T10/2026" in head and re.search(r"Số liệu đến ngày \d\d/\d\d/\d{4}", head), head[:400]
    for n, p in enumerate(pages, start=1):
        assert f"Trang {n} / {len(pages)}" in p, (name, n)
    # No sidebar, toolbar or buttons on paper.
    for furniture in ("Đăng nhập", "In trang này", "Tải Excel", "Tải CSV", "Tải ảnh PNG"):
        assert furniture not in text, (name, furniture)


def test_the_village_page_prints_every_village_and_every_ranking_row(pdfs):
    text = re.sub(r"\s+", " ", "\n".join(pdfs["thon"]))  # a narrow column wraps a name onto two lines
    names = [v.name for v in load_catalogue().villages]
    assert len(names) == 20
    missing = [n for n in names if text.count(n) < 2]  # once in the grid, once in the ranking (at least)
    assert not missing, missing


def test_the_indicator_page_prints_every_month_of_its_table(pdfs):
    text = "\n".join(pdfs["chi-tieu"])
    for m in range(1, 11):
        assert f"T{m}/2026" in text, m
