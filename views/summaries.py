"""Pure frames and records the pages show, built from the assessments (no Streamlit, no SQL): the status table,
the indicators needing attention, sector cards, village grid and ranking, the 2050 trend table, method inputs."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ground import fmt
from ground.catalogue import Catalogue
from indicators import STATUS_ORDER, STATUSES, Series, trend
from views import formats
from views.texts import COL

BEHIND = ("di_xuong", "cham", "day_nhanh")  # statuses that call for action, most severe first
STATUS_TEXT = {code: f"{s.icon} {s.label}" for code, s in STATUSES.items()}
_BY_TEXT = {text: STATUSES[code] for code, text in STATUS_TEXT.items()}


def status_text(code: str | None) -> str:
    """ "▲ Đúng tiến độ": the glyph and the words, so colour is never the only cue."""
    return STATUS_TEXT.get(code, fmt.MISSING) if code else fmt.MISSING


def status_colours(text: object) -> tuple[str, str] | None:
    """(background, ink) of a status cell from its text."""
    s = _BY_TEXT.get(str(text))
    return None if s is None else (s.colour, s.text_colour)


def _num(x: object) -> float | None:
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _sorted_most_behind(frame: pd.DataFrame) -> pd.DataFrame:
    r = frame["r"].astype(float).fillna(math.inf)
    return frame.assign(_r=r).sort_values(["status_rank", "_r"], kind="stable").drop(columns="_r")


def monthly_change(row: Mapping) -> float | None:
    """What changed since last month: a flow grew by the month's amount; a level moved by `change`."""
    if row["kind"] == "flow":
        return _num(row["month_value"])
    return _num(row["change"])


# ---------------------------------------------------------------- overview


def status_table(commune: pd.DataFrame, previous: pd.DataFrame | None, catalogue: Catalogue) -> pd.DataFrame:
    """Every indicator of the commune, most behind first: status, value, phase target, % of target,
    expected-to-date, required and current pace, change since last month and last month's status,
    responsible unit, target source; raw numbers, Vietnamese headers; `Đơn vị tính` and `Mã` last."""
    units = {u.code: u.name for u in catalogue.units}
    sectors = {s.code: s.name for s in catalogue.sectors}
    before = {} if previous is None else dict(zip(previous["indicator"], previous["status"], strict=True))
    rows = []
    for r in _sorted_most_behind(commune).to_dict("records"):
        rows.append(
            {
                COL["indicator"]: r["short"],
                COL["status"]: status_text(r["status"]),
                COL["actual"]: _num(r["actual"]),
                COL["target"]: _num(r["target"]),
                COL["pct"]: _num(r["pct_of_target"]),
                COL["expected"]: _num(r["expected"]),
                COL["required"]: _num(r["required_pace"]),
                COL["current"]: _num(r["current_pace"]),
                COL["change"]: monthly_change(r),
                COL["previous_status"]: status_text(before.get(r["indicator"])),
                COL["responsible"]: units.get(r["responsible"], r["responsible"]),
                COL["sector"]: sectors.get(r["sector"], r["sector"]),
                COL["target_source"]: r["target_source"] or fmt.MISSING,
                COL["unit"]: r["unit"],
                COL["code"]: r["indicator"],
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Lagging:
    """A village behind on one indicator."""

    name: str
    status: str  # a status code
    actual: float | None
    expected: float | None


@dataclass(frozen=True)
class Attention:
    """One of the indicators most behind: where it stands, where it lags, and whose it is."""

    indicator: str
    short: str
    unit: str
    kind: str
    method: str  # a key of indicators.METHODS
    status: str
    actual: float | None
    expected: float | None
    target: float | None
    r: float | None
    required_pace: float | None
    current_pace: float | None
    responsible: str  # the unit's name
    cooperating: tuple[str, ...]
    by_village: bool  # reported village by village at all
    villages: tuple[Lagging, ...]  # the villages lagging most, worst first (empty: none behind)


def attention(
    commune: pd.DataFrame, villages: pd.DataFrame, catalogue: Catalogue, n: int | None = None, per_indicator: int = 3
) -> list[Attention]:
    """Every indicator behind in the phase (or the `n` furthest behind): Đi xuống, then Chậm, then Cần đẩy
    nhanh, lowest r first, each with the villages lagging most on it and the responsible unit."""
    units = {u.code: u.name for u in catalogue.units}
    behind = _sorted_most_behind(commune[commune["status"].isin(BEHIND)])
    if n is not None:
        behind = behind.head(n)
    out = []
    for r in behind.to_dict("records"):
        ind = catalogue.indicator(r["indicator"])
        mine = villages[villages["indicator"] == r["indicator"]]
        lag = _sorted_most_behind(mine[mine["status"].isin(BEHIND)]).head(per_indicator)
        out.append(
            Attention(
                indicator=r["indicator"],
                short=r["short"],
                unit=r["unit"],
                kind=r["kind"],
                method=r["method"],
                status=r["status"],
                actual=_num(r["actual"]),
                expected=_num(r["expected"]),
                target=_num(r["target"]),
                r=_num(r["r"]),
                required_pace=_num(r["required_pace"]),
                current_pace=_num(r["current_pace"]),
                responsible=units.get(ind.responsible, ind.responsible),
                cooperating=tuple(units.get(u, u) for u in ind.cooperating),
                by_village=not mine.empty,
                villages=tuple(
                    Lagging(v["place_name"], v["status"], _num(v["actual"]), _num(v["expected"]))
                    for v in lag.to_dict("records")
                ),
            )
        )
    return out


def pace_sentence(method: str, kind: str, required: float | None, current: float | None, unit: str) -> str:
    """The required pace beside the current one, in words that fit the indicator's direction:
    "Cần 830,7 cây/tháng, đang đạt 799,7 cây/tháng." · "Cần tăng 3,2 điểm %/tháng, đang tăng 1,1 điểm %/tháng." ·
    "Chỉ còn được thêm tối đa 0,2 vụ/tháng, đang là 1 vụ/tháng." Empty when no pace is required."""
    if required is None:
        return ""

    def per_month(x: float) -> str:
        return formats.pace(abs(x), unit)

    now = "chưa tính được" if current is None else None
    if method == "down_cap":
        now = now or f"đang là {per_month(current)}"
        return f"Chỉ còn được thêm tối đa {per_month(required)}, {now}."
    if kind == "flow":
        now = now or f"đang đạt {per_month(current)}"
        return f"Cần {per_month(required)}, {now}."
    verb = "tăng" if required >= 0 else "giảm"
    if now is None:
        now = (
            "đang giữ nguyên"
            if round(current, 9) == 0
            else f"đang {'tăng' if current > 0 else 'giảm'} {per_month(current)}"
        )
    return f"Cần {verb} {per_month(required)}, {now}."


def status_counts(commune: pd.DataFrame) -> dict[str, int]:
    """Indicators per status code, in STATUS_ORDER, every status present (0 when none); "Theo dõi" only
    when some indicator is tracked without a target."""
    counts = commune["status"].value_counts()
    return {c: int(counts.get(c, 0)) for c in STATUS_ORDER if c != "theo_doi" or counts.get(c, 0)}


@dataclass(frozen=True)
class SectorCard:
    code: str
    name: str
    counts: dict[str, int]  # status code → indicators
    lines: tuple[tuple[str, str, str], ...]  # (status code, short name, "65,5% chỉ tiêu" or the value)


def sector_cards(commune: pd.DataFrame, catalogue: Catalogue) -> list[SectorCard]:
    """One card per sector, in catalogue order: status counts and each indicator, most behind first."""
    cards = []
    for sector in catalogue.sectors:
        mine = _sorted_most_behind(commune[commune["sector"] == sector.code])
        if mine.empty:
            continue
        lines = []
        for r in mine.to_dict("records"):
            pct = _num(r["pct_of_target"])
            if pct is not None:
                figure = f"{fmt.percent(pct, 0)} chỉ tiêu"
            else:
                figure = formats.quantity(_num(r["actual"]), r["unit"])
            lines.append((r["status"], r["short"], figure))
        counts = {c: int(n) for c, n in mine["status"].value_counts().items()}
        cards.append(SectorCard(sector.code, sector.name, counts, tuple(lines)))
    return cards


def missing_data(commune: pd.DataFrame) -> list[str]:
    """Short names of the indicators without a figure in the last two months."""
    return list(commune.loc[commune["status"] == "chua_co", "short"])


# ---------------------------------------------------------------- 2050 vision


TREND_VERDICT = "Đánh giá"
TREND_VERDICTS = {
    "meets": "▲ Đạt nếu giữ xu hướng",
    "misses": "◆ Chưa đạt nếu giữ xu hướng",
    "none": "◇ Không có chỉ tiêu",
    "short": "○ Chưa đủ số liệu",
}


def trend_colours(text: object) -> tuple[str, str] | None:
    """The verdict's cell colours: those of "Đúng tiến độ", "Chậm tiến độ", "Theo dõi", "Chưa có số liệu"."""
    code = {"meets": "dung", "misses": "cham", "none": "theo_doi", "short": "chua_co"}
    for key, verdict in TREND_VERDICTS.items():
        if text == verdict:
            s = STATUSES[code[key]]
            return s.colour, s.text_colour
    return None


def trend_table(series: Mapping[str, Series], commune: pd.DataFrame, catalogue: Catalogue, month: str) -> pd.DataFrame:
    """Each indicator's long-run trend (least squares over the months reported up to `month`) projected to
    the end of the last phase, beside the last phase's target: raw numbers, Vietnamese headers."""
    last = catalogue.phases[-1]
    now = {r["indicator"]: r for r in commune.to_dict("records")}
    rows = []
    for ind in catalogue.indicators:
        t = trend(ind, catalogue, series.get(ind.code, {}), month)
        here = now.get(ind.code, {})
        verdict = (
            TREND_VERDICTS["short"]
            if t.projected is None
            else TREND_VERDICTS["none"]
            if t.meets is None
            else TREND_VERDICTS["meets"]
            if t.meets
            else TREND_VERDICTS["misses"]
        )
        rows.append(
            {
                COL["indicator"]: ind.short,
                TREND_VERDICT: verdict,
                f"Dự báo {fmt.month(t.horizon)}": t.projected,
                f"Chỉ tiêu {last.name.replace('Giai đoạn ', '')}": t.target,
                "Hiện nay": _num(here.get("actual")),
                "Xu hướng/tháng": t.slope,
                "Số tháng tính xu hướng": t.points,
                COL["unit"]: ind.unit,
                COL["code"]: ind.code,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- villages


def village_grid(villages: pd.DataFrame, catalogue: Catalogue) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, statuses): villages (rows, catalogue order) × indicators reported by village (columns,
    catalogue order, short names); values raw, statuses as status text."""
    names = [v.name for v in catalogue.villages]
    cols = [i.short for i in catalogue.indicators if i.code in set(villages["indicator"])]
    if villages.empty:
        empty = pd.DataFrame({COL["village"]: names})
        return empty, empty
    values = villages.pivot_table(index="place_name", columns="short", values="actual", aggfunc="first", dropna=False)
    statuses = villages.pivot_table(index="place_name", columns="short", values="status", aggfunc="first")
    values = values.reindex(index=names, columns=cols)
    statuses = statuses.reindex(index=names, columns=cols).map(lambda c: status_text(c) if isinstance(c, str) else "")
    values.index.name = statuses.index.name = COL["village"]
    return values.reset_index(), statuses.reset_index()


RANK_SHARE = "Đạt hoặc đúng tiến độ"


def village_ranking(villages: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Villages ranked by the share of their indicators met or on track (then fewest behind): rank, village,
    counts per status, that share in %."""
    rows = []
    for v in catalogue.villages:
        mine = villages[villages["place"] == v.code]
        counts = mine["status"].value_counts()
        measured = int(sum(counts.get(c, 0) for c in ("dat", "dung", *BEHIND)))
        good = int(counts.get("dat", 0) + counts.get("dung", 0))
        row = {COL["village"]: v.name, RANK_SHARE: good / measured * 100 if measured else None}
        for c in ("dat", "dung", "day_nhanh", "cham", "di_xuong", "chua_co"):
            row[STATUSES[c].label] = int(counts.get(c, 0))
        row["_behind"] = int(sum(counts.get(c, 0) for c in BEHIND))
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame = frame.sort_values(
        [RANK_SHARE, "_behind", COL["village"]], ascending=[False, True, True], na_position="last"
    )
    frame.insert(0, "Hạng", range(1, len(frame) + 1))
    return frame.drop(columns="_behind").reset_index(drop=True)


def place_table(rows: pd.DataFrame, catalogue: Catalogue, *, label: str = "indicator") -> pd.DataFrame:
    """Assessments of one village (label="indicator": a row per indicator) or of one indicator
    (label="village": a row per village), most behind first: status, label, value, the village's target,
    % of target, expected-to-date, change since last month; raw numbers; `Đơn vị tính` and `Mã` last."""
    units = {u.code: u.name for u in catalogue.units}
    out = []
    for r in _sorted_most_behind(rows).to_dict("records"):
        row = {COL["village"]: r["place_name"]} if label == "village" else {COL["indicator"]: r["short"]}
        row[COL["status"]] = status_text(r["status"])
        row |= {
            COL["actual"]: _num(r["actual"]),
            "Chỉ tiêu của thôn": _num(r["target"]),
            COL["pct"]: _num(r["pct_of_target"]),
            COL["expected"]: _num(r["expected"]),
            COL["change"]: monthly_change(r),
        }
        if label != "village":
            row[COL["responsible"]] = units.get(r["responsible"], r["responsible"])
        row[COL["unit"]] = r["unit"]
        row[COL["code"]] = r["indicator"] if label != "village" else r["place"]
        out.append(row)
    return pd.DataFrame(out)


# ---------------------------------------------------------------- method


METHOD_COLUMNS = {
    "kind": "Loại",
    "method": "Cách tính r",
    "baseline": "Mức cơ sở",
    "baseline_period": "Tháng cơ sở",
    "baseline_source": "Nguồn mức cơ sở",
    "target": "Chỉ tiêu giai đoạn",
    "months_elapsed": "Số tháng đã qua",
    "months_to_phase_end": "Số tháng đến cuối giai đoạn",
    "expected": "Kỳ vọng đến nay",
    "actual": "Thực hiện",
    "actual_period": "Tháng của số thực hiện",
    "r": "Tỷ số tiến độ r",
    "months_left": "Số tháng còn lại",
    "required_pace": "Tốc độ cần/tháng",
    "current_pace": "Tốc độ hiện tại/tháng",
    "pace_from": "Tốc độ hiện tại tính từ tháng",
    "note": "Ghi chú",
}


def method_table(commune: pd.DataFrame, kinds: Mapping[str, str], baseline_sources: Mapping[str, str]) -> pd.DataFrame:
    """Every input and output of each indicator's status, in catalogue order, so anyone can recompute it."""
    out = []
    for r in commune.to_dict("records"):
        row = {COL["indicator"]: r["short"], COL["status"]: status_text(r["status"])}
        for key, header in METHOD_COLUMNS.items():
            v = r[key]
            if key == "kind":
                v = kinds.get(v, v)
            elif key == "baseline_source":
                v = baseline_sources.get(v, v)
            elif key in ("baseline_period", "actual_period", "pace_from"):
                v = fmt.month(v) if isinstance(v, str) and v else None
            elif key == "method":
                v = {"up": "Tăng", "down_level": "Giảm về mức", "down_cap": "Mức trần", "none": "Theo dõi"}.get(v, v)
            elif key == "note":
                v = v or ""
            elif key in ("months_elapsed", "months_to_phase_end", "months_left"):
                v = None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v)
            else:
                v = _num(v)
            row[header] = v
        row[COL["unit"]] = r["unit"]
        row[COL["code"]] = r["indicator"]
        out.append(row)
    return pd.DataFrame(out)
