"""Meeting briefs: the month's Word brief and its chart images, from the figures in force or a frozen snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from briefs.content import BriefContent, build_content
from briefs.docx_brief import brief_docx
from briefs.images import ChartImage, NotByVillage, indicator_png, sector_images
from briefs.source import Figures, load_figures

__all__ = [
    "Brief",
    "BriefContent",
    "ChartImage",
    "Figures",
    "NotByVillage",
    "build_content",
    "indicator_png",
    "load_figures",
    "make_brief",
]


@dataclass(frozen=True)
class Brief:
    content: BriefContent
    images: tuple[ChartImage, ...]
    docx: bytes


def make_brief(figures: Figures, month: str) -> Brief:
    """The brief of `month` (content, sector images, .docx bytes). The same figures give the same bytes."""
    content = build_content(figures, month)
    images = tuple(sector_images(content, figures))
    return Brief(content, images, brief_docx(content, images, figures.catalogue.commune.plan))
