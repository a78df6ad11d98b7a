"""Phương pháp (/phuong-phap): how each status is computed, a worked example, and every indicator's inputs
(baseline, target, months, expected, ratio, paces) so anyone can recompute it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, layout, page_start, tables
from ground import fmt
from indicators import BASELINE_SOURCES, METHODS, ON_TRACK, SPEED_UP
from views import formats, summaries, texts
from views.texts import COL

ON, UP = fmt.number(ON_TRACK, 2), fmt.number(SPEED_UP, 2)

TEXT = {
    "title": "Phương pháp tính tiến độ",
    "how": "Cách tính",
    "kinds": (
        "**Ba loại chỉ tiêu.** *Cộng dồn* (cây trồng mới, tin bài, hội nghị…): số của tháng là tổng các dòng, "
        "thực hiện là tổng từ tháng đầu kế hoạch. *Tỷ lệ* (hồ sơ trực tuyến, phân loại rác…): tổng tử số chia tổng "
        "mẫu số nhân 100, không lấy trung bình các tỷ lệ. *Số hiện có* (sản phẩm OCOP, diện tích VietGAP…): mức "
        "tại cuối tháng."
    ),
    "expected": (
        "**Kỳ vọng đến nay** = mức cơ sở + (chỉ tiêu − mức cơ sở) × số tháng đã qua ÷ số tháng từ tháng cơ sở "
        "đến cuối giai đoạn. Mức cơ sở là số cuối năm 2025 ghi trong danh mục; chỉ tiêu cộng dồn có mức cơ sở 0; "
        "không có số cuối 2025 thì lấy tháng đầu tiên có số liệu."
    ),
    "ratio": (
        "**Tỷ số tiến độ r** = (thực hiện − mức cơ sở) ÷ (kỳ vọng đến nay − mức cơ sở): r = 1 là đúng lộ trình. "
        "Với chỉ tiêu càng thấp càng tốt, chiều được lật lại; với mức trần cộng dồn (số vụ đốt rác tối đa), "
        "r = (mức trần − thực hiện) ÷ (mức trần − kỳ vọng đến nay)."
    ),
    "pace": (
        "**Tốc độ cần** = (chỉ tiêu − thực hiện) ÷ số tháng còn lại đến cuối giai đoạn. **Tốc độ hiện tại**: chỉ "
        "tiêu cộng dồn lấy trung bình 3 tháng gần nhất (tháng không báo cáo tính 0); chỉ tiêu tỷ lệ và số hiện có "
        "lấy mức thay đổi bình quân mỗi tháng trong 3 tháng gần nhất."
    ),
    "villages": (
        "**Theo thôn.** Cùng cách tính trên số liệu của thôn; chỉ tiêu cộng dồn và số hiện có của thôn bằng chỉ "
        "tiêu của xã chia đều cho {n} thôn (Kế hoạch chưa phân bổ theo thôn), tỷ lệ thì giữ nguyên."
    ),
    "statuses": "Các trạng thái",
    "example": "Ví dụ tính: {short}, {month}",
    "inputs": "Số liệu đầu vào của từng chỉ tiêu",
    "inputs_caption": "{month}, {phase}. Toàn xã. Cột nào trống là không áp dụng cho chỉ tiêu đó.",
}

RULES = {
    "dat": "Thực hiện đã đạt chỉ tiêu giai đoạn (mức trần: hết giai đoạn mà không vượt).",
    "dung": f"r ≥ {ON}",
    "day_nhanh": f"{UP} ≤ r < {ON}",
    "cham": f"0 ≤ r < {UP}",
    "di_xuong": "r < 0: đi ngược chiều so với mức cơ sở.",
    "chua_co": "Không có số liệu của tháng đang xem và tháng trước đó.",
    "theo_doi": "Chỉ tiêu chỉ theo dõi, không đặt mục tiêu.",
}

start = page_start.month_and_phase(TEXT["title"], ("thang", "giai_doan", "ma"))
snap, cat, f, phase = start.snap, start.cat, start.f, start.phase
commune = data.commune_rows(data.assessments(snap, f.month, phase.code))


def explain() -> None:
    layout.section(TEXT["how"])
    for key in ("kinds", "expected", "ratio", "pace"):
        st.markdown(TEXT[key])
    st.markdown(TEXT["villages"].format(n=len(cat.villages)))
    layout.section(TEXT["statuses"])
    rules = pd.DataFrame(
        {
            COL["status"]: [summaries.status_text(c) for c in RULES],
            "Khi nào": list(RULES.values()),
        }
    )
    tables.show(
        rules, key="rules", file_stem="trang-thai", colours={COL["status"]: summaries.status_colours}, downloads=False
    )


def example() -> None:
    row = commune[commune["indicator"] == f.indicator]
    if row.empty:
        return
    r = row.iloc[0]
    unit = r["unit"]
    layout.section(TEXT["example"].format(short=r["short"], month=fmt.month(f.month)))

    def q(x: object) -> str:
        return formats.quantity(data.number_or_none(x), unit)

    lines = [
        f"Loại: {texts.KINDS[r['kind']]}. {METHODS[r['method']]}.",
        "Mức cơ sở"
        + (f" tại {fmt.month(r['baseline_period'])}" if isinstance(r["baseline_period"], str) else "")
        + f": {q(r['baseline'])}. Cách lấy: {BASELINE_SOURCES.get(r['baseline_source'], r['baseline_source'])}.",
    ]
    if data.number_or_none(r["target"]) is not None and data.number_or_none(r["expected"]) is not None:
        lines.append(
            f"Chỉ tiêu {fmt.month(r['phase_end'])}: {q(r['target'])}. Đã qua {int(r['months_elapsed'])} trên "
            f"{int(r['months_to_phase_end'])} tháng → kỳ vọng = {q(r['baseline'])} + ({q(r['target'])} − "
            f"{q(r['baseline'])}) × {int(r['months_elapsed'])} ÷ {int(r['months_to_phase_end'])} = {q(r['expected'])}."
        )
    lines.append(
        f"Thực hiện ({fmt.month(r['actual_period']) if isinstance(r['actual_period'], str) else fmt.MISSING}): "
        f"{q(r['actual'])}."
    )
    if data.number_or_none(r["r"]) is not None:
        lines.append(f"r = {fmt.number(r['r'], 2)} → {summaries.status_text(r['status'])}.")
    else:
        lines.append(f"Trạng thái: {summaries.status_text(r['status'])}.")
    if data.number_or_none(r["required_pace"]) is not None:
        current = (
            fmt.MISSING if data.number_or_none(r["current_pace"]) is None else formats.pace(r["current_pace"], unit)
        )
        lines.append(
            f"Còn {int(r['months_left'])} tháng: tốc độ cần {formats.pace(r['required_pace'], unit)}; "
            f"tốc độ hiện tại {current}."
        )
    if r["note"]:
        lines.append(str(r["note"]))
    st.markdown("\n".join(f"- {layout.md(line)}" for line in lines))


def inputs() -> None:
    layout.section(TEXT["inputs"], TEXT["inputs_caption"].format(month=fmt.month(f.month), phase=phase.name))
    table = summaries.method_table(commune, texts.KINDS, BASELINE_SOURCES)
    m = summaries.METHOD_COLUMNS
    quantity_cols = [m["baseline"], m["target"], m["expected"], m["actual"]]
    pace_cols = [m["required_pace"], m["current_pace"]]
    tables.show(
        table,
        key="inputs",
        file_stem=f"dau-vao-trang-thai-{f.month}",
        units=list(table[COL["unit"]]),
        per_row=dict.fromkeys(quantity_cols, formats.quantity) | dict.fromkeys(pace_cols, formats.pace),
        formats={m["r"]: lambda x: fmt.number(x, 3)}
        | {m[k]: (lambda x: str(int(x))) for k in ("months_elapsed", "months_to_phase_end", "months_left")},
        colours={COL["status"]: summaries.status_colours},
        screen_hide=(COL["code"],),
        height=min(35 * (len(table) + 1) + 3, 900),
    )


explain()
example()
inputs()
