"""Every dashboard page run by Streamlit's AppTest on the imported sample data: no exception, and the figures shown
equal those recomputed here from the store's rows; query parameters select the view; an empty database explains."""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ground.catalogue import load_catalogue
from indicators import STATUSES, assess
from loaders.model import Observation, Report
from store import Store, now_vietnam
from tests.pages_support import MONTH, ROOT, chart_data, shown, table_with, unescape, use_db
from tests.pages_support import texts as page_texts
from views import texts

PAGES = {
    "app_pages/tong_quan.py": "Tổng quan tiến độ chuyển đổi xanh",
    "app_pages/chi_tieu.py": None,  # the indicator's own name
    "app_pages/thon.py": "Tiến độ theo thôn",
    "app_pages/don_vi.py": "Tiến độ theo đơn vị",
    "app_pages/phuong_phap.py": "Phương pháp tính tiến độ",
}
BEHIND = ("di_xuong", "cham", "day_nhanh")


@pytest.fixture
def db(sample_db):
    yield from use_db(sample_db)


@pytest.fixture(scope="module")
def truth(sample_db):
    """The store read directly, and each indicator assessed from its own series: what the pages must show."""
    base = Store(sample_db).effective_catalogue(load_catalogue())
    store = Store(sample_db, commune=base.commune.code)
    series = {}
    for ind in base.indicators:
        s = store.series(ind.code)
        series[ind.code] = {
            r.period: (float(r.value), None if math.isnan(r.denominator) else float(r.denominator))
            for r in s.itertuples(index=False)
        }
    status = {code: assess(base.indicator(code), base, s, MONTH) for code, s in series.items()}
    return {"catalogue": base, "store": store, "series": series, "status": status}


def open_page(script: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if script != "app_pages/tong_quan.py":
        at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def vn_int(x: float) -> str:
    return f"{round(x):,}".replace(",", ".")


def vn_1(x: float) -> str:
    text = f"{x:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("script", list(PAGES))
def test_every_page_runs_and_names_itself(db, truth, script):
    at = open_page(script)
    title = PAGES[script] or truth["catalogue"].indicators[0].name
    assert unescape(at.header[0].value) == title
    assert at.dataframe, "every page shows at least one table"
    # Every table the page shows can be downloaded as Excel and CSV.
    labels = [b.label for b in at.get("download_button")]
    assert labels.count(texts.DOWNLOAD_XLSX) == labels.count(texts.DOWNLOAD_CSV) >= 1


@pytest.mark.parametrize("script", list(PAGES))
def test_empty_database_explains_how_to_load_data(tmp_path, script):
    for path in (tmp_path / "chua-co.duckdb", tmp_path / "rong.duckdb"):
        if path.name == "rong.duckdb":
            Store(path).data_version()  # created and migrated, no report
        for _ in use_db(path):
            at = open_page(script)
            body = page_texts(at)
            assert texts.EMPTY_TITLE in body
            assert "cli.py import" in "\n".join(c.value for c in at.code)
            assert not at.dataframe and not at.get("vega_lite_chart")


# ---------------------------------------------------------------- overview


def test_overview_figures_equal_the_store(db, truth):
    at = open_page("app_pages/tong_quan.py")
    cat, store = truth["catalogue"], truth["store"]
    element = table_with(at, "Mã")
    table, text = element.value.set_index("Mã"), shown(element).set_index("Mã")
    assert set(table.index) == {i.code for i in cat.indicators}

    rows = store.monthly()
    trees = rows[(rows["indicator"] == "cay_xanh_trong_moi") & (rows["period"] <= MONTH)]["value"].sum()
    assert table.loc["cay_xanh_trong_moi", "Thực hiện"] == pytest.approx(trees)
    assert text.loc["cay_xanh_trong_moi", "Thực hiện"] == f"{vn_int(trees)} cây"

    online = rows[(rows["indicator"] == "tthc_truc_tuyen") & (rows["period"] == MONTH)]
    share = online["value"].sum() / online["denominator"].sum() * 100
    assert table.loc["tthc_truc_tuyen", "Thực hiện"] == pytest.approx(share)
    assert text.loc["tthc_truc_tuyen", "Thực hiện"] == f"{vn_1(share)}%"

    for code, a in truth["status"].items():
        assert table.loc[code, "Trạng thái"] == f"{a.status.icon} {a.status.label}", code
    # Most behind first: the status ranks never go back up the table.
    ranks = [next(s.rank for s in STATUSES.values() if t.endswith(s.label)) for t in table["Trạng thái"]]
    assert ranks == sorted(ranks)


def test_overview_names_the_three_most_behind_their_villages_and_units(db, truth):
    at = open_page("app_pages/tong_quan.py")
    cat = truth["catalogue"]
    behind = sorted(
        (a for a in truth["status"].values() if a.status.code in BEHIND),
        key=lambda a: (a.status.rank, math.inf if a.r is None else a.r),
    )[:3]
    assert behind, "the sample data has indicators behind"
    cards = [unescape(m.value) for m in at.markdown if unescape(m.value).startswith(("**1.", "**2.", "**3."))]
    assert len(cards) == len(behind)
    store = truth["store"]
    for n, (card, a) in enumerate(zip(cards, behind, strict=True), start=1):
        ind = cat.indicator(a.indicator)
        assert card.startswith(f"**{n}. {ind.short}**")
        assert cat.unit(ind.responsible).name in card
        # The villages lagging most on it, recomputed from each village's own rows.
        lagging = []
        for v in cat.villages:
            s = store.series(ind.code, v.code)
            if s.empty:
                continue
            fig = {
                r.period: (r.value, None if math.isnan(r.denominator) else r.denominator)
                for r in s.itertuples(index=False)
            }
            va = assess(ind, cat, fig, MONTH, share=1 / len(cat.villages), place=v.code)
            if va.status.code in BEHIND:
                lagging.append((va.status.rank, math.inf if va.r is None else va.r, v.name))
        for _, _, name in sorted(lagging)[:3]:
            assert name in card


def test_month_in_the_url_sets_the_month(db, truth):
    at = open_page("app_pages/tong_quan.py", thang="2026-09")
    assert "T9/2026" in at.caption[0].value
    rows = truth["store"].monthly()
    trees = rows[(rows["indicator"] == "cay_xanh_trong_moi") & (rows["period"] <= "2026-09")]["value"].sum()
    table = table_with(at, "Mã").value.set_index("Mã")
    assert table.loc["cay_xanh_trong_moi", "Thực hiện"] == pytest.approx(trees)


def test_vision_2050_shows_the_plan_text_and_each_trend(db, truth):
    at = open_page("app_pages/tong_quan.py", giai_doan="2050")
    cat = truth["catalogue"]
    assert cat.commune.vision_2050[:60] in unescape(page_texts(at))
    table = table_with(at, "Dự báo T12/2030").value.set_index("Mã")
    # The cumulative tree count's least-squares line, projected to T12/2030.
    fig = truth["series"]["cay_xanh_trong_moi"]
    months = sorted(p for p in fig if p <= MONTH)
    x = np.array([int(p[:4]) * 12 + int(p[5:]) for p in months], dtype=float)
    y = np.cumsum([fig[p][0] for p in months])
    slope, intercept = np.polyfit(x, y, 1)
    assert table.loc["cay_xanh_trong_moi", "Dự báo T12/2030"] == pytest.approx(slope * (2030 * 12 + 12) + intercept)


# ---------------------------------------------------------------- one indicator


def test_indicator_page_follows_ma_and_shows_its_figures_and_files(db, truth):
    at = open_page("app_pages/chi_tieu.py", ma="tthc_truc_tuyen")
    cat, store = truth["catalogue"], truth["store"]
    ind = cat.indicator("tthc_truc_tuyen")
    assert unescape(at.header[0].value) == ind.name
    num, den = truth["series"]["tthc_truc_tuyen"][MONTH]
    metrics = {unescape(m.label): unescape(m.value) for m in at.metric}
    assert metrics["Thực hiện T10/2026"] == f"{vn_1(num / den * 100)}%"
    assert metrics["Trạng thái"].endswith(truth["status"]["tthc_truc_tuyen"].status.label)
    assert metrics["Chỉ tiêu T12/2027"] == f"{vn_1(ind.target('2026-2027').value)}%"

    series = chart_data(at.get("vega_lite_chart")[0])
    drawn = {r["thang"]: r["y"] for r in series if r.get("series") == "Thực hiện"}
    for period, (n, d) in truth["series"]["tthc_truc_tuyen"].items():
        assert drawn[f"T{int(period[5:])}/{period[:4]}"] == pytest.approx(n / d * 100)
    assert any("Chỉ tiêu T12/2027" in str(r.get("text", "")) for r in series)

    files = set(table_with(at, "Loại báo cáo").value["Tệp"])
    assert files == set(store.sources("tthc_truc_tuyen")["file_name"])
    rows = table_with(at, "Trang tính").value
    assert len(rows) == len(store.observations("tthc_truc_tuyen", MONTH))
    targets = table_with(at, "Nguồn chỉ tiêu").value
    assert list(targets["Nguồn chỉ tiêu"]) == [t.source for t in ind.targets]


def test_indicator_page_for_a_village(db, truth):
    at = open_page("app_pages/chi_tieu.py", ma="cay_xanh_trong_moi", thon="dong-ha")
    fig = truth["store"].series("cay_xanh_trong_moi", "dong-ha")
    total = fig[fig["period"] <= MONTH]["value"].sum()
    metrics = {unescape(m.label): unescape(m.value) for m in at.metric}
    assert metrics["Lũy kế đến T10/2026"] == f"{vn_int(total)} cây"
    assert "Thôn Đông Hà" in unescape(at.subheader[0].value)


def test_indicator_not_kept_by_village_falls_back_to_the_commune(db, truth):
    at = open_page("app_pages/chi_tieu.py", ma="tthc_truc_tuyen", thon="dong-ha")
    assert any("không được báo cáo theo thôn" in i.value for i in at.info)
    assert truth["catalogue"].commune.name in unescape(at.subheader[0].value)


def test_a_bad_parameter_is_named_and_shown_literally(db, truth):
    hostile = "<img src=x onerror=alert(1)>**x**"
    at = open_page("app_pages/tong_quan.py", ma=hostile)
    [warning] = at.warning  # said on the page the link opens, then the default applies everywhere
    assert hostile in unescape(warning.value)
    assert "<img" not in warning.value.replace("\\<img", "")  # escaped: never markup
    assert "ma" not in at.query_params
    at.switch_page("app_pages/chi_tieu.py").run()
    assert not at.warning
    assert unescape(at.header[0].value) == truth["catalogue"].indicators[0].name


# ---------------------------------------------------------------- villages


def test_village_page_shows_the_chosen_village(db, truth):
    at = open_page("app_pages/thon.py", thon="dong-ha")
    cat = truth["catalogue"]
    assert any("Thôn Đông Hà" in unescape(s.value) for s in at.subheader)
    own = table_with(at, "Chỉ tiêu của thôn")
    table = own.value.set_index("Mã")
    fig = truth["store"].series("cay_xanh_trong_moi", "dong-ha")
    figures = {r.period: (r.value, None) for r in fig.itertuples(index=False)}
    a = assess(cat.indicator("cay_xanh_trong_moi"), cat, figures, MONTH, share=1 / len(cat.villages))
    assert table.loc["cay_xanh_trong_moi", "Thực hiện"] == pytest.approx(a.actual)
    assert table.loc["cay_xanh_trong_moi", "Trạng thái"].endswith(a.status.label)
    ranking = table_with(at, "Hạng").value
    assert list(ranking["Hạng"]) == list(range(1, len(cat.villages) + 1))
    share = ranking["Đạt hoặc đúng tiến độ"].dropna()
    assert list(share) == sorted(share, reverse=True)


# ---------------------------------------------------------------- units


def test_units_page_puts_units_that_have_not_reported_first(db, truth):
    at = open_page("app_pages/don_vi.py")
    cat, store = truth["catalogue"], truth["store"]
    monthly = store.monthly()
    have = set(monthly.loc[monthly["period"] == MONTH, "indicator"])
    owed: dict[str, set[str]] = {}
    for ind in cat.indicators:
        owed.setdefault(ind.responsible, set()).add(ind.code)
    silent = {cat.unit(u).name for u, codes in owed.items() if not codes & have}
    assert silent, "the sample data has a report that never arrived"
    grid = table_with(at, "T10/2026").value
    assert set(grid["Đơn vị"][: len(silent)]) == silent
    label = "Chưa nộp (chưa đến hạn)" if now_vietnam().date() <= date(2026, 11, 10) else "Chưa nộp"
    for name in silent:
        assert grid.set_index("Đơn vị").loc[name, "T10/2026"].endswith(label)
    assert any(name in unescape(w.value) for w in at.warning for name in silent)


def test_units_page_marks_late_reports_by_their_signing_date(db, truth):
    at = open_page("app_pages/don_vi.py")
    cat, store = truth["catalogue"], truth["store"]
    grid = table_with(at, "T10/2026").value.set_index("Đơn vị")
    received = store.reports_received()
    single = received.groupby("unit")["kind"].nunique()
    checked = 0
    for r in received.itertuples(index=False):
        if r.unit not in {i.responsible for i in cat.indicators} or single[r.unit] != 1 or r.period > MONTH:
            continue
        y, m = int(r.period[:4]), int(r.period[5:])
        due = date(y + m // 12, m % 12 + 1, 10)
        signed = r.signed_on.date() if not isinstance(r.signed_on, float) else r.uploaded_at.date()
        cell = grid.loc[cat.unit(r.unit).name, f"T{m}/{y}"]
        if signed > due:
            assert cell.endswith(f"Muộn {(signed - due).days} ngày"), (r.unit, r.period, cell)
        else:
            assert cell.endswith("Đúng hạn"), (r.unit, r.period, cell)
        checked += 1
    assert checked > 20


# ---------------------------------------------------------------- method


def test_method_page_inputs_recompute_each_status(db, truth):
    at = open_page("app_pages/phuong_phap.py", ma="cay_xanh_trong_moi")
    table = table_with(at, "Số tháng đã qua").value
    checked = 0
    for r in table.to_dict("records"):
        if r["Cách tính r"] != "Tăng" or r["Kỳ vọng đến nay"] is None or math.isnan(r["Kỳ vọng đến nay"]):
            continue
        base, target, expected = r["Mức cơ sở"], r["Chỉ tiêu giai đoạn"], r["Kỳ vọng đến nay"]
        span, elapsed = r["Số tháng đến cuối giai đoạn"], r["Số tháng đã qua"]
        assert expected == pytest.approx(base + (target - base) * elapsed / span)
        if not math.isnan(r["Tỷ số tiến độ r"]):
            assert r["Tỷ số tiến độ r"] == pytest.approx((r["Thực hiện"] - base) / (expected - base))
            checked += 1
    assert checked >= 15
    assert "Cây xanh trồng mới" in unescape(at.subheader[2].value)


# ---------------------------------------------------------------- the URL keeps the view


def test_selectors_write_the_url_and_survive_a_page_switch(db, truth):
    at = open_page("app_pages/tong_quan.py")
    assert "thang" not in at.query_params  # the latest month is the default, left out of the URL
    at.selectbox(key="w_thang").select("2026-09").run()
    assert at.query_params["thang"] == "2026-09"
    at.switch_page("app_pages/thon.py").run()
    at.selectbox(key="w_thon").select("dong-ha").run()
    assert (at.query_params["thang"], at.query_params["thon"]) == ("2026-09", "dong-ha")
    at.switch_page("app_pages/chi_tieu.py").run()
    assert at.selectbox(key="w_thang").value == "2026-09"
    assert at.selectbox(key="w_thon").value == "dong-ha"
    assert at.query_params["thang"] == "2026-09"
    at.selectbox(key="w_thang").select(MONTH).run()
    assert "thang" not in at.query_params
    # Months read as T10/2026 in the selector, never 2026-10.
    assert at.selectbox(key="w_thang").options[0] == "T10/2026"


def test_a_page_link_with_ma_opens_that_indicator(db, truth):
    at = open_page("app_pages/tong_quan.py")
    links = [e for e in at.get("page_link")]
    assert links, "the cards link to their indicator"
    at.query_params["ma"] = "rac_phan_loai"  # what the link's query_params put in the URL
    at.switch_page("app_pages/chi_tieu.py").run()
    assert unescape(at.header[0].value) == truth["catalogue"].indicator("rac_phan_loai").name


def test_a_new_import_shows_on_the_next_run(sample_db, tmp_path, truth):
    db = tmp_path / "xanh.duckdb"
    shutil.copy(sample_db, db)
    for _ in use_db(db):
        at = open_page("app_pages/tong_quan.py")
        before = table_with(at, "Mã").value.set_index("Mã").loc["xe_dien_moi", "Thực hiện"]
        # The report that never arrived (Công an xã, T10/2026), stored the way cli.py import stores one.
        report = Report(
            kind="bang_thang",
            unit="cong-an",
            periods=[MONTH],
            observations=[Observation("xe_dien_moi", MONTH, 57.0, None, None, ("", ""), "T10", 9)],
            signed_on=date(2026, 11, 4),
        )
        Store(db, commune=truth["catalogue"].commune.code).save_report(
            report, data=b"bao-cao-cong-an-t10", file_name="CA xa BC thang 10-2026.xlsx", user="kiem-thu"
        )
        at.run()
        after = table_with(at, "Mã").value.set_index("Mã").loc["xe_dien_moi", "Thực hiện"]
        assert after == pytest.approx(before + 57)


def test_hostile_text_in_the_data_never_becomes_markup(tmp_path, catalogue):
    hostile = "<img src=x onerror=alert(1)>**đậm**[liên kết](javascript:alert(1))"
    db = tmp_path / "xanh.duckdb"
    report = Report(
        kind="thu_tuc_hanh_chinh",
        unit="ttpvhcc",
        periods=[MONTH],
        observations=[
            Observation("tthc_truc_tuyen", MONTH, 40.0, 50.0, None, ("linh_vuc", hostile), hostile, 7),
            Observation("tthc_truc_tuyen", MONTH, 10.0, 30.0, None, ("linh_vuc", "Hộ tịch"), hostile, 8),
        ],
        sheets=[hostile],
        title=hostile,
        signed_on=date(2026, 11, 3),
    )
    Store(db, commune=catalogue.commune.code).save_report(report, data=b"x", file_name=f"{hostile}.xlsx", user=hostile)
    for _ in use_db(db):
        at = open_page("app_pages/chi_tieu.py", ma="tthc_truc_tuyen")
        written = [e.value for kind in ("markdown", "caption", "warning", "info") for e in getattr(at, kind)]
        written += [m.label for m in at.metric] + [m.value for m in at.metric]
        assert not any("<img" in w.replace("\\<img", "") for w in written)
        # The text itself is there, literally, in the tables.
        assert hostile in set(table_with(at, "Lĩnh vực").value["Lĩnh vực"])
        assert f"{hostile}.xlsx" in set(table_with(at, "Loại báo cáo").value["Tệp"])
        assert hostile in set(table_with(at, "Trang tính").value["Trang tính"])


def test_completeness_uses_the_due_day_in_one_place():
    from views import reporting

    assert reporting.due_date("2026-10") == date(2026, 11, reporting.REPORT_DUE_DAY)
    assert reporting.due_date("2026-12") == date(2027, 1, reporting.REPORT_DUE_DAY)


def test_the_pages_folder_is_not_named_pages():
    # A folder named pages/ beside dashboard.py sends Streamlit back to its legacy page discovery.
    assert not (ROOT / "pages").exists()
    assert Path(ROOT / "app_pages").is_dir()
