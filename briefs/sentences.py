"""Generated Vietnamese sentences of the brief: the headline counts and one sentence per indicator behind schedule."""

from __future__ import annotations

from collections.abc import Mapping

from ground import fmt
from ground.catalogue import Catalogue, Indicator
from indicators import Assessment
from views import formats

# How each status reads mid-sentence after a count ("4 chỉ tiêu chậm tiến độ").
STATUS_PHRASES = {
    "dat": "đã đạt chỉ tiêu giai đoạn",
    "dung": "đúng tiến độ",
    "day_nhanh": "cần đẩy nhanh",
    "cham": "chậm tiến độ",
    "di_xuong": "đi xuống so với mức ban đầu",
    "chua_co": "chưa có số liệu",
    "theo_doi": "chỉ theo dõi, không đặt chỉ tiêu",
}

# The verb of "cần … bình quân 831 cây/tháng" for a flow counted in these units; others read "cần đạt".
FLOW_VERBS = {
    "cây": "trồng",
    "buổi": "tổ chức",
    "tin, bài": "đăng",
    "xe": "có thêm",
    "lượt": "huy động",
    "hộ": "vận động thêm",
}


def quantity(x: float | None, unit: str) -> str:
    """The dashboard's way of writing a figure with its unit: 8.370 cây · 416,7 cây · 63,2%."""
    return formats.quantity(x, unit)


def per_month(x: float, unit: str) -> str:
    """A monthly pace, its size only: 831 cây/tháng · 2,5 buổi/tháng · 1 buổi/tháng · 3,1 điểm %/tháng."""
    v = abs(x)
    text = fmt.points(v) if unit == "%" else f"{fmt.number(v, 1 if v < 100 else 0, trim=True)} {unit}"
    return f"{text}/tháng"


def since_start(catalogue: Catalogue) -> str:
    """ "từ đầu năm 2026" when the plan starts in January, else "từ tháng 3/2026"."""
    start = catalogue.commune.plan_start
    return f"từ đầu năm {start[:4]}" if start.endswith("-01") else f"từ {fmt.month_long(start)}"


def target_year(a: Assessment) -> str:
    """ "năm 2027": the year the phase (and its target) ends."""
    return f"năm {a.phase_end[:4]}"


def headline(counts: Mapping[str, int], month: str, phase_name: str) -> str:
    """ "Đến hết tháng 10/2026, trong 25 chỉ tiêu của Kế hoạch có 4 chỉ tiêu đã đạt …; 14 chỉ tiêu đúng tiến độ; …"
    in the order of `counts`; statuses with no indicator are left out of the sentence (the table lists them)."""
    total = sum(counts.values())
    parts = [f"{n} chỉ tiêu {STATUS_PHRASES[code]}" for code, n in counts.items() if n]
    lead = f"Đến hết {fmt.month_long(month)}, trong {total} chỉ tiêu của Kế hoạch (đánh giá theo {phase_name.lower()})"
    if not parts:
        return lead + " chưa có chỉ tiêu nào có số liệu."
    return f"{lead} có {'; '.join(parts)}."


def _recent(current: float | None, unit: str, flow: bool) -> str:
    """ " (3 tháng gần đây: tăng 1,4 điểm %/tháng)", or nothing when no pace could be measured."""
    if current is None:
        return ""
    if flow:
        return f" (bình quân 3 tháng gần đây: {per_month(current, unit)})"
    if round(current, 9) == 0:
        return " (3 tháng gần đây: không thay đổi)"
    verb = "tăng" if current > 0 else "giảm"
    return f" (3 tháng gần đây: {verb} {per_month(current, unit)})"


def behind_sentence(a: Assessment, indicator: Indicator, catalogue: Catalogue) -> str:
    """One sentence with the numbers of an indicator behind schedule, phrased for its kind and direction:

    ratio/stock: "Tỷ lệ … tháng 10/2026 đạt 61,4%, bằng 77% chỉ tiêu năm 2027 (80%); cần tăng bình quân
    1,2 điểm %/tháng (3 tháng gần đây: tăng 0,8 điểm %/tháng)."
    flow: "Số cây xanh trồng mới: lũy kế từ đầu năm 2026 đạt 8.370 cây, bằng 42% chỉ tiêu năm 2027 (20.000 cây);
    cần trồng bình quân 831 cây/tháng …"
    a cap: "… lũy kế là 9 vụ, bằng 75% mức trần 12 vụ của năm 2027 …; chỉ được phát sinh thêm tối đa 0,2 vụ/tháng."
    """
    unit = a.unit
    name = indicator.name
    year = target_year(a)
    target = quantity(a.target, unit)
    pct = fmt.percent(a.pct_of_target, 0) if a.pct_of_target is not None else fmt.MISSING
    flow = a.kind == "flow"
    when = fmt.month_long(a.period)
    if not flow and a.actual_period and a.actual_period != a.period:
        when = f"{fmt.month_long(a.actual_period)} (chưa có số liệu {fmt.month_long(a.period)})"
    ended = a.months_left == 0

    if a.method == "down_cap":
        used = f"{name}: lũy kế {since_start(catalogue)} là {quantity(a.actual, unit)}"
        if a.actual is not None and a.target is not None and a.actual > a.target:
            return f"{used}, đã vượt mức trần {target} của cả giai đoạn đến hết {year}."
        lead = f"{used}, bằng {pct} mức trần {target} của cả giai đoạn đến hết {year}"
        if a.expected is not None:
            lead += f" (theo lộ trình, đến nay không quá {quantity(a.expected, unit)})"
        if ended or a.required_pace is None:
            return lead + "."
        return f"{lead}; từ nay đến hết {year} chỉ được phát sinh thêm tối đa {per_month(a.required_pace, unit)}."

    if flow:
        verb = FLOW_VERBS.get(unit, "đạt")
        lead = f"{name}: lũy kế {since_start(catalogue)} đến hết {when} đạt {quantity(a.actual, unit)}"
    elif a.method == "down_level":
        verb = "giảm"
        lead = f"{name} {when} là {quantity(a.actual, unit)}"
    else:
        verb = "tăng"
        lead = f"{name} {when} đạt {quantity(a.actual, unit)}"

    if a.method == "down_level":
        lead += f", chỉ tiêu {year} không quá {target}"
    else:
        lead += f", bằng {pct} chỉ tiêu {year} ({target})"
    if a.status.code == "di_xuong" and a.baseline is not None and not flow:
        lead += f", kém hơn mức ban đầu {quantity(a.baseline, unit)}"
        lead += f" ({fmt.month_long(a.baseline_period)})" if a.baseline_period else ""
    if ended or a.required_pace is None:
        return f"{lead}; giai đoạn đã kết thúc mà chưa đạt chỉ tiêu."
    return f"{lead}; cần {verb} bình quân {per_month(a.required_pace, unit)}{_recent(a.current_pace, unit, flow)}."


def missing_reports_sentence(units: list[tuple[str, str]], month: str, on: str) -> str:
    """ "Đến ngày 29/11/2026, 1 đơn vị chưa gửi báo cáo tháng 10/2026: Công an xã." from [(unit name, detail)]."""
    if not units:
        return f"Đến ngày {on}, tất cả các đơn vị đã gửi đủ báo cáo {fmt.month_long(month)}."
    listed = "; ".join(f"{name} ({detail})" if detail else name for name, detail in units)
    return f"Đến ngày {on}, {len(units)} đơn vị chưa gửi đủ báo cáo {fmt.month_long(month)}: {listed}."
