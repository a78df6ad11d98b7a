"""The progress statuses: codes, Vietnamese labels, glyphs, colour-blind-safe colours and thresholds."""

from __future__ import annotations

from dataclasses import dataclass

# Progress-ratio thresholds of the design notes (Open SDG / UN progress chart, adapted).
ON_TRACK = 0.95
SPEED_UP = 0.60


@dataclass(frozen=True)
class Status:
    """One status: `rank` sorts "most behind first"; `icon` is a Unicode glyph for screens and Word;
    `shape` the Vega point shape that draws the same symbol in charts (the chart font has no such
    glyphs); `colour` is a colour-blind-safe hue dark enough for 3:1 against white (WCAG 1.4.11, the one
    place chart and table colours come from) and `text_colour` the ink that reads on it at 4,5:1 or more."""

    code: str
    label: str
    icon: str
    shape: str
    colour: str
    text_colour: str
    rank: int
    filled: bool = True


# A thick tick drawn as a filled path so it reads like the ✔ glyph (Vega y grows downwards).
_TICK = "M-1,-0.05L-0.62,-0.43L-0.28,-0.09L0.62,-0.99L1,-0.61L-0.28,0.67Z"

STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("di_xuong", "Đi xuống", "▼", "triangle-down", "#B2182B", "#FFFFFF", 0),
        Status("cham", "Chậm tiến độ", "◆", "diamond", "#D55E00", "#000000", 1),
        Status("day_nhanh", "Cần đẩy nhanh", "●", "circle", "#A67C00", "#000000", 2),
        Status("dung", "Đúng tiến độ", "▲", "triangle-up", "#009E73", "#000000", 3),
        Status("dat", "Đã đạt", "✔", _TICK, "#0072B2", "#FFFFFF", 4),
        Status("chua_co", "Chưa có số liệu", "○", "circle", "#767676", "#000000", 5, filled=False),
        Status("theo_doi", "Theo dõi", "◇", "diamond", "#7B5EA7", "#FFFFFF", 6, filled=False),
    )
}

STATUS_ORDER: tuple[str, ...] = tuple(STATUSES)


def status(code: str) -> Status:
    """The Status of a code; KeyError for an unknown one."""
    return STATUSES[code]


def status_from_ratio(r: float) -> Status:
    """The status a progress ratio earns when the target is not met yet.

    r is rounded to 9 decimals first so that 0,6 computed as 0,59999999999 is still "Cần đẩy nhanh".
    """
    r = round(r, 9)
    if r < 0:
        return STATUSES["di_xuong"]
    if r < SPEED_UP:
        return STATUSES["cham"]
    if r < ON_TRACK:
        return STATUSES["day_nhanh"]
    return STATUSES["dung"]
