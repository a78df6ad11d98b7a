"""The brief's progress: make_brief reports each step (rising fractions ending at 1, a Vietnamese sentence each) and
the same bytes with or without a listener; /bao-cao draws its bar from those steps, removes it when done, offers the
.docx, and serves a brief already made from the cache without a bar, in this session or another."""

from __future__ import annotations

import struct
import zlib
from itertools import pairwise

import pytest

import briefs
from briefs import ChartImage, load_figures, make_brief
from briefs.images import SECTOR_SCALE
from ground.catalogue import load_catalogue
from store import Store
from tests.pages_support import MONTH, app_on
from tests.test_briefs import copy_db


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    """A valid white PNG, so a brief's Word file is written without drawing the charts."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def undrawn(monkeypatch):
    """make_brief with each chart's PNG faked: the steps are what is checked here, tests/test_briefs.py and
    tests/test_chart_png.py check the real images."""
    monkeypatch.setattr(briefs, "sector_image", lambda spec: ChartImage(spec.labels["title"], spec.caption,
                                                                       tiny_png(), SECTOR_SCALE))  # fmt: skip


def test_make_brief_reports_every_step_with_rising_fractions_ending_at_one(sample_db, undrawn):
    base = load_catalogue()
    figures = load_figures(Store(sample_db, commune=base.commune.code), base)
    heard: list[tuple[float, str]] = []
    brief = make_brief(figures, MONTH, progress=lambda fraction, text: heard.append((fraction, text)))
    n = len(brief.images)
    assert n >= 2  # the sample data has several sectors with targets
    assert [t for _, t in heard] == [
        "Đang đọc số liệu…",
        *(f"Đang vẽ biểu đồ {i}/{n}: {im.title}…" for i, im in enumerate(brief.images, 1)),
        "Đang soạn văn bản Word…",
        "Đã lập xong báo cáo.",
    ]
    fractions = [f for f, _ in heard]
    assert fractions[0] == 0 and fractions[-1] == 1
    assert all(a < b for a, b in pairwise(fractions)), fractions
    # Listening changes nothing in the brief.
    assert make_brief(figures, MONTH).docx == brief.docx


@pytest.fixture
def page_db(sample_db, tmp_path, monkeypatch):
    path = copy_db(sample_db, tmp_path / "xanh.duckdb")  # a path of its own: its briefs are not cached yet
    monkeypatch.setenv("XANH_DB", str(path))
    return path


def test_the_page_shows_the_steps_then_offers_the_docx_and_serves_it_cached(page_db, monkeypatch):
    real = briefs.make_brief
    calls: list[list[tuple[float, str]]] = []

    def listened(figures, month, progress=None):
        # The page's own callback is called as make_brief would: each call draws its bar (a Streamlit element).
        heard: list[tuple[float, str]] = []
        calls.append(heard)

        def both(fraction: float, text: str) -> None:
            heard.append((fraction, text))
            progress(fraction, text)

        return real(figures, month, both)

    monkeypatch.setattr(briefs, "make_brief", listened)  # the page imports it from briefs at each run
    at = app_on("app_pages/bao_cao.py")
    at.button(key="bao_cao_lap").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(calls) == 1
    texts = [t for _, t in calls[0]]
    assert texts[0] == "Đang đọc số liệu…" and texts[-1] == "Đã lập xong báo cáo."
    brief = next(iter(at.session_state["bao_cao_built"].values()))
    assert sum(t.startswith("Đang vẽ biểu đồ ") for t in texts) == len(brief.images)
    assert not at.get("progress")  # the bar is removed once the brief is made
    assert at.success[0].value.startswith("Đã lập báo cáo")
    assert next(b.proto.label for b in at.get("download_button")) == "Tải báo cáo (.docx)"

    # Built again, and by another visitor: from the cache (Streamlit would replay a bar drawn inside a cached
    # function and fail on the next hit), with no bar and the same file.
    first = brief.docx
    at.button(key="bao_cao_lap").click().run()
    other = app_on("app_pages/bao_cao.py")
    other.button(key="bao_cao_lap").click().run()
    for run in (at, other):
        assert not run.exception, [e.value for e in run.exception]
        assert not run.get("progress")
        assert next(b.proto.label for b in run.get("download_button")) == "Tải báo cáo (.docx)"
        assert next(iter(run.session_state["bao_cao_built"].values())).docx == first
    assert len(calls) == 1
