"""Meeting briefs: the month's Word brief and its chart images, from the figures in force or a frozen snapshot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefs.content import BriefContent, build_content
from briefs.docx_brief import brief_docx
from briefs.images import ChartImage, NotByVillage, indicator_png, sector_charts, sector_image, sector_images
from briefs.source import Figures, load_figures

__all__ = [
    "STEPS",
    "Brief",
    "BriefContent",
    "ChartImage",
    "Figures",
    "NotByVillage",
    "Progress",
    "build_content",
    "indicator_png",
    "load_figures",
    "make_brief",
    "sector_images",
]

# progress(fraction done, what is being done now), called before each step of make_brief and once at the end.
Progress = Callable[[float, str], None]

# What each step of make_brief is doing, as the page's progress bar shows it.
STEPS = {
    "read": "Đang đọc số liệu…",
    "chart": "Đang vẽ biểu đồ {i}/{n}: {title}…",
    "word": "Đang soạn văn bản Word…",
    "done": "Đã lập xong báo cáo.",
}
# The share of the time each part takes (the 5-year bench database: the statuses and chart specs about 0,2 s,
# each of six charts rendered about 0,15 s, the Word file about 0,15 s), so the bar moves at an even pace.
_CHARTS_FROM, _WORD_FROM = 0.15, 0.85


@dataclass(frozen=True)
class Brief:
    content: BriefContent
    images: tuple[ChartImage, ...]
    docx: bytes


def _quiet(fraction: float, text: str) -> None:
    pass


def make_brief(figures: Figures, month: str, progress: Progress | None = None) -> Brief:
    """The brief of `month` (content, sector images, .docx bytes). The same figures give the same bytes.
    `progress`, when given, hears of each step: the fraction done so far (0 first, rising, 1 at the end) and
    a Vietnamese sentence of the step begun (STEPS)."""
    step = progress or _quiet
    step(0.0, STEPS["read"])
    content = build_content(figures, month)
    specs = sector_charts(content, figures)
    images = []
    for i, spec in enumerate(specs):
        fraction = _CHARTS_FROM + (_WORD_FROM - _CHARTS_FROM) * i / len(specs)
        step(fraction, STEPS["chart"].format(i=i + 1, n=len(specs), title=spec.labels["title"]))
        images.append(sector_image(spec))
    step(_WORD_FROM, STEPS["word"])
    docx = brief_docx(content, images, figures.catalogue.commune.plan)
    step(1.0, STEPS["done"])
    return Brief(content, tuple(images), docx)
