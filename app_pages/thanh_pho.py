"""Toàn thành phố (/thanh-pho): every commune's progress from the folder of their nightly exports ($XANH_CITY_DIR):
communes by status, one indicator's ranking (?ma=), the city's total month by month, each commune's export date."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

import charts.city
from app_pages import layout, tables
from ground import fmt
from store import CityFolderError, ParquetCity, now_vietnam
from store.city_parquet import phase_of
from views import city_tables, formats
from views.city_tables import COMMUNE
from views.summaries import status_colours
from views.texts import COL, FILTER_LABELS

TEXT = {
    "title": "Toàn thành phố",
    "title_city": "Toàn {city}",
    "caption": "{month} · {phase} · {n} xã, phường · số liệu các xã xuất hằng đêm",
    "unreadable": "Chưa xem được số liệu toàn thành phố.",
    "no_month": "Các bản xuất chưa có số liệu tháng nào.",
    "stale": "{n} xã, phường chưa xuất số liệu trong tháng {month}: {names}.",
    "counts": "Xã, phường theo trạng thái các chỉ tiêu",
    "counts_caption": "Mỗi ô là số chỉ tiêu của xã ở trạng thái đó. Xã có nhiều chỉ tiêu đi xuống, chậm nhất đứng đầu; "
    "bấm tên cột để sắp xếp lại.",
    "ranking": "Xếp hạng các xã theo một chỉ tiêu",
    "ranking_caption": "Cao nhất đứng đầu (với chỉ tiêu càng thấp càng tốt: thấp nhất); xã chưa có số liệu ở cuối.",
    "pick_indicator": "Chỉ tiêu",
    "total": "Tổng cả thành phố theo tháng",
    "total_caption": "Cột: tổng các xã trong tháng (trục phải); đường: cộng dồn (trục trái). Bảng dưới biểu đồ có "
    "cùng số liệu.",
    "pick_flow": "Chỉ tiêu cộng dồn",
    "exports": "Ngày các xã xuất số liệu",
    "exports_caption": "Xã chưa xuất trong tháng này đứng đầu. Mỗi xã chạy hằng đêm: cli.py export --parquet THƯ_MỤC.",
}
KEYS = {"month": "thang", "phase": "giai_doan", "indicator": "ma", "flow": "tong"}

folder = os.environ.get("XANH_CITY_DIR", "")
view = ParquetCity(folder)


def _stop(exc: Exception) -> None:
    layout.header(TEXT["title"])
    st.error(layout.md(f"{TEXT['unreadable']} {exc}"), icon=":material/error:")
    st.stop()


try:
    FINGERPRINT = view.files().fingerprint()
except CityFolderError as exc:
    _stop(exc)


# Cached on the folder and its files' (name, mtime, size): a commune's new export shows on the next page load. (No
# leading underscore on those two parameters: Streamlit leaves such parameters out of the cache key.)
@st.cache_data(max_entries=4, show_spinner=False)
def _facts(folder_key: str, stamp: tuple) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    return view.communes(), view.indicators(), view.phases(), view.periods()


@st.cache_data(max_entries=16, show_spinner=False)
def _status(folder_key: str, stamp: tuple, month: str, phase: str) -> pd.DataFrame:
    return view.city_status(None, month, phase=phase)


@st.cache_data(max_entries=32, show_spinner=False)
def _ranking(folder_key: str, stamp: tuple, indicator: str, month: str, phase: str) -> pd.DataFrame:
    return view.commune_ranking(None, indicator, month, phase=phase)


@st.cache_data(max_entries=32, show_spinner=False)
def _series(folder_key: str, stamp: tuple, indicator: str, month: str) -> pd.DataFrame:
    return view.city_series(indicator, month)


def _pick(label: str, options: list[str], key: str, default: str, names: dict[str, str]) -> str:
    """A selector whose choice lives in the URL (?thang=, ?giai_doan=, ?ma=), so a leader can send the link."""
    wanted = st.query_params.get(key, default)
    index = options.index(wanted) if wanted in options else options.index(default)
    choice = st.selectbox(label, options, index=index, format_func=lambda o: names.get(o, o), key=f"city_{key}")
    if choice != default or key in st.query_params:
        st.query_params[key] = choice
    return choice


try:
    communes, indicators, phases, periods = _facts(folder, FINGERPRINT)
except CityFolderError as exc:
    _stop(exc)
if not periods:
    layout.header(TEXT["title"])
    st.info(TEXT["no_month"], icon=":material/info:")
    st.stop()

names = dict(zip(indicators["indicator"], indicators["indicator_name"], strict=True))
units = dict(zip(indicators["indicator"], indicators["unit"], strict=True))
city = next((c for c in communes["city"] if isinstance(c, str) and c), "")
heading = st.container()  # the title above the selectors, its caption written once they are read
with st.container(horizontal=True, gap="small"):
    month = _pick(FILTER_LABELS["thang"], periods[::-1], KEYS["month"], periods[-1], {p: fmt.month(p) for p in periods})
    phase_names = dict(zip(phases["phase"], phases["phase_name"], strict=True))
    phase = _pick(
        FILTER_LABELS["giai_doan"], list(phases["phase"]), KEYS["phase"], phase_of(phases, month), phase_names
    )

try:
    status = _status(folder, FINGERPRINT, month, phase)
except CityFolderError as exc:
    _stop(exc)
title = TEXT["title_city"].format(city=city[:1].lower() + city[1:]) if city else TEXT["title"]
caption = TEXT["caption"].format(month=fmt.month(month), phase=phase_names[phase], n=fmt.integer(len(communes)))
with heading:
    layout.header(title, caption)

today = now_vietnam().date()
late = city_tables.stale(communes, today)
if late:
    this_month = f"{today.year:04d}-{today.month:02d}"
    msg = TEXT["stale"].format(n=fmt.integer(len(late)), month=fmt.month(this_month), names=", ".join(late))
    st.warning(layout.md(msg), icon=":material/schedule:")

# ---------------------------------------------------------------- communes by status
layout.section(TEXT["counts"], TEXT["counts_caption"])
st.write(layout.md(city_tables.counts_sentence(status, month)))
counts = city_tables.commune_counts(status)
tables.show(
    counts,
    key="city_counts",
    file_stem=f"thanh-pho-trang-thai-{month}",
    formats=dict.fromkeys(city_tables.STATUS_COLUMNS.values(), lambda x: str(int(x))),
    pin=COMMUNE,
    height=min(35 * (len(counts) + 1) + 3, 600),
)

# ---------------------------------------------------------------- one indicator, every commune
layout.section(TEXT["ranking"], TEXT["ranking_caption"])
codes = list(indicators["indicator"])
code = _pick(TEXT["pick_indicator"], codes, KEYS["indicator"], codes[0], names)
ranked = _ranking(folder, FINGERPRINT, code, month, phase)
st.write(layout.md(city_tables.ranking_sentence(ranked, names[code], units[code])))
rank_table = city_tables.ranking(ranked, units[code])
tables.show(
    rank_table,
    key="city_ranking",
    file_stem=f"thanh-pho-{code}-{month}",
    units=[units[code]] * len(rank_table),
    per_row={COL["actual"]: formats.quantity, COL["target"]: formats.quantity},
    formats={COL["pct"]: lambda x: fmt.percent(x, 1), city_tables.TEXT["rank"]: lambda x: str(int(x))},
    colours={COL["status"]: status_colours},
    screen_hide=[COL["unit"]],
    pin=COMMUNE,
    height=min(35 * (len(rank_table) + 1) + 3, 600),
)

# ---------------------------------------------------------------- the city's total of a flow, month by month
flows = [c for c in codes if indicators.set_index("indicator").loc[c, "kind"] == "flow"]
if flows:
    layout.section(TEXT["total"], TEXT["total_caption"])
    flow = _pick(TEXT["pick_flow"], flows, KEYS["flow"], code if code in flows else flows[0], names)
    series = _series(folder, FINGERPRINT, flow, month)
    st.write(layout.md(city_tables.series_sentence(series, names[flow], units[flow])))
    if not series.empty:
        layout.chart(charts.city.city_total_chart(series, units[flow]), key="city_total")
        table = city_tables.series(series, units[flow])
        tables.show(
            table,
            key="city_series",
            file_stem=f"thanh-pho-{flow}-theo-thang",
            units=[units[flow]] * len(table),
            per_row={
                city_tables.TEXT["month_total"]: formats.quantity,
                city_tables.TEXT["cumulative"]: formats.quantity,
            },
            formats={city_tables.TEXT["communes_with"]: lambda x: str(int(x))},
            screen_hide=[COL["unit"]],
            height=min(35 * (len(table) + 1) + 3, 460),
        )

# ---------------------------------------------------------------- exports
layout.section(TEXT["exports"], TEXT["exports_caption"])
tables.show(
    city_tables.exports(communes, today),
    key="city_exports",
    file_stem="thanh-pho-ngay-xuat",
    pin=COMMUNE,
    height=min(35 * (len(communes) + 1) + 3, 460),
)
