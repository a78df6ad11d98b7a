"""The brief's chart images: one per sector, and any indicator's month-by-month chart, as PNGs that stand alone."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import altair as alt
import pandas as pd

import charts
from briefs import sentences
from briefs.content import BriefContent
from briefs.source import Figures
from charts import export as chart_export
from ground import fmt
from ground.catalogue import Catalogue
from indicators import assess_all, series_by_place, series_frame, targets_frame, village_share

# The brief prints every image at CM_PER_PX of its drawn width (16 cm for a 640 px chart), so text is the same size
# in every image: the 11 px labels print at about 8 pt. Sector charts are drawn narrow (with their labels and the
# status column beside the bars they come to about 640 px); scale 3 keeps them over 1.200 px wide.
SECTOR_WIDTH = 240
SECTOR_SCALE = 3
CM_PER_PX = 16 / 640


# Signs the chart font (Noto Sans) has no glyph for, as words: a target source reads "≥80% của QĐ 942/QĐ-TTg".
_SPELLED = {"≥": "không dưới ", "≤": "không quá ", "≠": "khác "}


def printable(text: str) -> str:
    """`text` with the signs Noto Sans lacks spelled out, so nothing on an image falls back to another font."""
    for sign, words in _SPELLED.items():
        text = text.replace(sign, words)
    return " ".join(text.split())


class NotByVillage(ValueError):
    """The indicator is never reported village by village, so it has no chart for one village."""


@dataclass(frozen=True)
class ChartImage:
    title: str
    caption: str  # "Hình 1. …", printed under the image in the brief
    png: bytes
    scale: float  # image pixels per chart pixel

    @property
    def width_cm(self) -> float:
        """The printed width: CM_PER_PX of the drawn width, at most the 16 cm between the margins."""
        return min(16.0, chart_export.png_size(self.png)[0] / self.scale * CM_PER_PX)


def source_text(catalogue: Catalogue, unit_codes: list[str] | None = None) -> str:
    """The footer of an image, short enough for a narrow chart: "Báo cáo tháng của Phòng Kinh tế; UBND xã An Phú
    tổng hợp" ("của các đơn vị" when the figures come from several units)."""
    names = {u.code: u.name for u in catalogue.units}
    commune = catalogue.commune.name[:1].lower() + catalogue.commune.name[1:]
    listed = list(dict.fromkeys(names.get(u, u) for u in unit_codes or []))
    who = listed[0] if len(listed) == 1 else "các đơn vị"
    return f"Báo cáo tháng của {who}; UBND {commune} tổng hợp"


def _status_summary(frame: pd.DataFrame) -> str:
    counts = frame["status"].value_counts()
    order = ("dat", "dung", "day_nhanh", "cham", "di_xuong", "chua_co")
    return " · ".join(f"{int(counts[c])} {sentences.STATUS_PHRASES[c]}" for c in order if counts.get(c, 0))


class SpecChart:
    """A Vega-Lite dict that answers to_dict() like an Altair chart, so chart_export.chart_png exports a spec as is."""

    def __init__(self, spec: dict):
        self.spec = spec

    def to_dict(self) -> dict:
        return copy.deepcopy(self.spec)


def _whole_labels(chart) -> SpecChart:
    """The sector chart with its indicator names never cut ("Người dân có hồ sơ sức khỏe đ…"): on paper nobody
    can hover for the rest. Vega reads labelLimit 0 as no limit."""
    _data_once(chart)
    # Not validated again here: tests/test_charts.py validates sector_mini_chart's spec against the Vega-Lite
    # schema; again here it cost a brief about 50 ms.
    spec = chart.to_dict(validate=False)
    for layer in spec.get("layer", []):
        axis = layer.get("encoding", {}).get("y", {}).get("axis")
        if isinstance(axis, dict) and "labelLimit" in axis:
            axis["labelLimit"] = 0
    return SpecChart(spec)


def _data_once(chart) -> None:
    """Each distinct data frame of the chart's layers made Vega-Lite values once, by the transformer to_dict
    would use, so the spec is the same: to_dict sanitises a frame again for every layer that draws it (three
    of the sector chart's four), the larger part of its time."""
    done: dict[int, object] = {}
    for layer in getattr(chart, "layer", []):
        if isinstance(layer.data, pd.DataFrame):
            if id(layer.data) not in done:
                done[id(layer.data)] = alt.data_transformers.get()(layer.data)
            layer.data = done[id(layer.data)]


# What sector_mini_chart reads of the assessments, and the indicator's code so the spec's rows say which
# indicator each bar is. Only these go into the chart: Altair sanitises and inlines every column it is given (the
# assessments have over 40), which cost more than drawing the chart.
MINI_CHART_COLUMNS = ["indicator", "short", "actual", "expected", "target", "status"]


@dataclass(frozen=True)
class ChartSpec:
    """A chart ready to export: the Altair chart, what chart_export.chart_png writes on it, the brief's caption."""

    chart: object
    labels: dict
    caption: str = ""


def sector_charts(content: BriefContent, figures: Figures) -> list[ChartSpec]:
    """One chart per sector with at least one indicator that has a target: each indicator as % of its phase
    target, coloured by status, with the % the plan expects by now."""
    cat = figures.catalogue
    frame = content.assessments
    out = []
    for block in content.sectors:
        rows = frame[(frame["sector"] == block.code) & frame["target"].notna() & (frame["target"] != 0)]
        if rows.empty:
            continue
        responsible = [cat.indicator(c).responsible for c in rows["indicator"]]
        labels = {
            "title": block.name,
            "subtitle": f"Mức đạt so với chỉ tiêu {content.phase_name.lower()}",
            "unit": "% chỉ tiêu giai đoạn",
            "period": content.month,
            "cutoff_date": figures.cutoff_date,
            "status": _status_summary(rows),
            "source": source_text(cat, responsible),
            "width": SECTOR_WIDTH,
        }
        caption = (
            f"Hình {len(out) + 1}. Lĩnh vực “{block.name}”: mức đạt của từng chỉ tiêu so với chỉ tiêu "
            f"{content.phase_name.lower()}, {fmt.month_long(content.month)}"
        )
        chart = charts.sector_mini_chart(rows[MINI_CHART_COLUMNS], width=SECTOR_WIDTH)
        out.append(ChartSpec(_whole_labels(chart), labels, caption))
    return out


def sector_image(spec: ChartSpec) -> ChartImage:
    """One of sector_charts() rendered: a PNG over 1.200 px wide, Noto Sans registered."""
    png = chart_export.chart_png(spec.chart, **spec.labels, scale=SECTOR_SCALE)
    return ChartImage(spec.labels["title"], spec.caption, png, SECTOR_SCALE)


def sector_images(content: BriefContent, figures: Figures) -> list[ChartImage]:
    """sector_charts() rendered (sector_image)."""
    return [sector_image(c) for c in sector_charts(content, figures)]


def indicator_chart(
    figures: Figures, code: str, month: str, village: str | None = None, *, width: int = chart_export.PNG_WIDTH
) -> ChartSpec:
    """The month-by-month chart of one indicator (the commune, or one village) as the dashboard draws it, with
    its title, unit, period, status, target and the target's source, cut-off date and source to write on it.
    NotByVillage when a village is asked of an indicator never reported by village."""
    cat = figures.catalogue
    ind = cat.indicator(code)
    found = assess_all(figures.monthly, cat, month, villages=village is not None, indicators=[code])
    a = next((x for x in found if x.place == village), None)
    if a is None:
        raise NotByVillage(
            f"“{ind.name}” không được báo cáo theo từng thôn nên không có biểu đồ riêng cho "
            f"{cat.village(village).name}; hãy bỏ phần thôn để lấy biểu đồ của toàn xã."
        )
    rows = figures.monthly[figures.monthly["indicator"] == code]
    if village is not None:
        rows = rows[rows["village"] == village]
    series = series_by_place(rows, villages=False).get((code, None), {})
    share = village_share(cat, village) if village else 1.0
    frame = series_frame(ind, cat, series, month, share=share)
    targets = targets_frame(ind, cat, share=share)
    chart = charts.series_chart(frame, kind=ind.kind, unit=ind.unit, month=month, targets=targets, width=width)
    place = cat.village(village).name if village else cat.commune.name
    status = a.status.label
    if a.pct_of_target is not None and a.method != "none":
        status += f" ({fmt.percent(a.pct_of_target, 1)} chỉ tiêu {cat.phase(a.phase).name.lower()})"
    subtitle = None
    if a.target is not None and a.method != "none":
        whose = "Chỉ tiêu thôn (chia đều từ chỉ tiêu xã)" if village and ind.kind != "ratio" else "Chỉ tiêu"
        subtitle = f"{whose} {cat.phase(a.phase).name.lower()}: {sentences.quantity(a.target, ind.unit)}"
        subtitle += f" – nguồn: {printable(a.target_source)}" if a.target_source else ""
    labels = {
        "title": f"{ind.name} – {place}",
        "subtitle": subtitle,
        "unit": ind.unit,
        "period": month,
        "cutoff_date": figures.cutoff_date,
        "status": status,
        "source": source_text(cat, [ind.responsible]),
        "width": width,
    }
    return ChartSpec(chart, labels)


def indicator_png(figures: Figures, code: str, month: str, village: str | None = None) -> bytes:
    """indicator_chart() rendered as a PNG over 1.200 px wide."""
    c = indicator_chart(figures, code, month, village)
    return chart_export.chart_png(c.chart, **c.labels)
