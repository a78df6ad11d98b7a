"""The pages' pure parts: report completeness and due dates, downloads (CSV with BOM, Excel with numbers kept and
formulas defused), Markdown escaping, Vietnamese cell formats, the most-behind ordering and per-row units."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from app_pages import layout, tables
from indicators import assess_all, to_frame
from views import downloads, formats, reporting, summaries

# ---------------------------------------------------------------- completeness


def _reports(rows: list[tuple[str, str, date | None, datetime]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator": i,
                "period": p,
                "unit": "x",
                "kind": "bang_thang",
                "upload_id": n,
                "file_name": f"f{n}.xlsx",
                "uploaded_at": up,
                "signed_on": pd.NaT if signed is None else pd.Timestamp(signed),
            }
            for n, (i, p, signed, up) in enumerate(rows)
        ]
    )


def test_completeness_on_time_late_partial_missing_and_not_yet_due(catalogue):
    owed = reporting.owed(catalogue)
    tram = owed["tram-y-te"]  # three indicators
    assert len(tram) == 3
    up = datetime(2026, 12, 1, 9, 0)
    rows = [(i, "2026-01", date(2026, 2, 10), up) for i in tram]  # signed on the due day: on time
    rows += [(i, "2026-02", date(2026, 3, 11), up) for i in tram]  # a day late
    rows += [(tram[0], "2026-03", date(2026, 4, 2), up)]  # one of three
    rows += [(i, "2026-04", None, datetime(2026, 5, 9, 23, 0)) for i in tram]  # unsigned: the upload day
    rows += [(i, "2026-05", None, datetime(2026, 6, 14, 8, 0)) for i in tram]  # unsigned, uploaded late
    long = reporting.completeness(_reports(rows), catalogue, "2026-07", today=date(2026, 8, 5))
    mine = long[long["unit"] == "tram-y-te"].set_index("period")
    assert list(mine["status"]) == ["dung_han", "muon", "mot_phan", "dung_han", "muon", "thieu", "chua_den_han"]
    assert mine.loc["2026-02", "days_late"] == 1
    assert mine.loc["2026-05", "days_late"] == 4
    assert mine.loc["2026-03", "received"] == 1 and mine.loc["2026-03", "owed"] == 3
    # Every unit that leads an indicator owes every month from the plan's start.
    assert set(long["unit"]) == set(owed)
    assert len(long) == len(owed) * 7

    grid = reporting.grid(long, "2026-07")
    assert list(grid.columns[:3]) == ["Đơn vị", "T7/2026", "T6/2026"]
    tram_row = grid.set_index("Đơn vị").loc[catalogue.unit("tram-y-te").name]
    assert tram_row["T2/2026"] == "⏱ Muộn 1 ngày"
    assert tram_row["T3/2026"] == "◐ Thiếu 2/3 chỉ tiêu"
    assert tram_row["T1/2026"] == "✔ Đúng hạn"
    assert reporting.cell_colours(tram_row["T6/2026"]) == (
        reporting.COMPLETENESS["thieu"].colour,
        reporting.COMPLETENESS["thieu"].ink,
    )


def test_units_without_a_report_this_month_come_first(catalogue):
    codes = [i.code for i in catalogue.indicators]
    up = datetime(2026, 11, 2, 8, 0)
    rows = [(c, "2026-10", date(2026, 11, 3), up) for c in codes if catalogue.indicator(c).responsible != "cong-an"]
    long = reporting.completeness(_reports(rows), catalogue, "2026-10", today=date(2026, 11, 20))
    grid = reporting.grid(long, "2026-10")
    assert grid["Đơn vị"].iloc[0] == catalogue.unit("cong-an").name
    assert grid["T10/2026"].iloc[0] == "✖ Chưa nộp"
    assert reporting.not_reported(long, "2026-10") == [catalogue.unit("cong-an").name]


# ---------------------------------------------------------------- downloads


def test_csv_has_a_bom_keeps_numbers_and_defuses_formulas():
    frame = pd.DataFrame(
        {"Tên": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Thôn Đông Hà"], "Số": [1.5, -2.0, None, 3, 4]}
    )
    data = downloads.to_csv(frame)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig").splitlines()
    assert text[0] == "Tên,Số"
    assert text[1].startswith("\"'=HYPERLINK")
    assert text[2] == "'+1,-2"  # never "-2.0"
    assert text[3] == "'-2,"
    assert text[5] == "Thôn Đông Hà,4"


def test_xlsx_keeps_numbers_and_dates_and_never_writes_a_formula():
    frame = pd.DataFrame(
        {
            "Tệp": ["=1+1", "BC T10.xlsx"],
            "Giá trị": [1234.5, -3.0],
            "Ngày ký": [pd.Timestamp("2026-11-05"), pd.NaT],
            "Các tháng": [["2026-09", "2026-10"], []],
        }
    )
    wb = openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(frame, "Trang: số/liệu")))
    ws = wb.active
    assert ws.title == "Trang  số liệu"
    assert [c.value for c in ws[1]] == ["Tệp", "Giá trị", "Ngày ký", "Các tháng"]
    assert ws["A2"].value == "'=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == 1234.5 and ws["B3"].value == -3
    assert ws["C2"].value == datetime(2026, 11, 5) and ws["C3"].value is None
    assert ws["D2"].value == "2026-09, 2026-10"


# ---------------------------------------------------------------- text on screen


@pytest.mark.parametrize(
    "text",
    ["<img src=x onerror=alert(1)>", "**x**", "[bấm](javascript:alert(1))", ":red[đỏ]", "$x$", "# tiêu đề", "a_b_c"],
)
def test_md_makes_any_text_literal(text):
    escaped = layout.md(text)
    for ch in "<>*[]():$#_":
        assert all(escaped[i - 1] == "\\" for i, c in enumerate(escaped) if c == ch)


def test_vietnamese_cell_formats():
    assert formats.quantity(8370, "cây") == "8.370 cây"
    assert formats.quantity(8333.333, "cây") == "8.333 cây"
    assert formats.quantity(416.666, "cây") == "416,7 cây"
    assert formats.quantity(2.391, "sản phẩm") == "2,39 sản phẩm"
    assert formats.quantity(63.24, "%") == "63,2%"
    assert formats.quantity(None, "cây") == "–"
    assert formats.pace(2.14, "%") == "2,1 điểm %/tháng"
    assert formats.pace(830.7, "cây") == "831 cây/tháng"
    assert formats.change(-0.8, "%") == "−0,8 điểm %"
    assert formats.change(1134, "cây") == "+1.134 cây"
    assert tables.default_formatter(1234.5) == "1.234,5"
    assert tables.default_formatter(pd.Timestamp("2026-09-05")) == "05/09/2026"
    assert tables.default_formatter(None) == "–"


def test_styled_table_writes_each_row_in_its_own_unit_and_keeps_numbers():
    frame = pd.DataFrame({"Chỉ tiêu": ["Cây", "Tỷ lệ", "Trống"], "Thực hiện": [8370.0, 63.24, None]})
    sty = tables.styled(frame, units=["cây", "%", "cây"], per_row={"Thực hiện": formats.quantity})
    body = sty._translate(False, False)["body"]
    assert [row[2]["display_value"] for row in body] == ["8.370 cây", "63,2%", "–"]
    assert sty.data["Thực hiện"].dtype.kind == "f"  # sorting stays numeric


def test_pace_sentences_follow_the_direction():
    assert summaries.pace_sentence("up", "flow", 830.7, 799.7, "cây") == "Cần 831 cây/tháng, đang đạt 800 cây/tháng."
    assert summaries.pace_sentence("up", "ratio", 3.2, -0.4, "%") == (
        "Cần tăng 3,2 điểm %/tháng, đang giảm 0,4 điểm %/tháng."
    )
    assert summaries.pace_sentence("down_cap", "flow", 0.2, 1.0, "vụ").startswith("Chỉ còn được thêm tối đa 0,2 vụ")
    assert summaries.pace_sentence("up", "flow", None, 1.0, "cây") == ""


# ---------------------------------------------------------------- most behind first


def _frame(catalogue, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator", "period", "village", "value", "denominator"])


def test_attention_picks_the_most_behind_with_their_lagging_villages(catalogue):
    villages = [v.code for v in catalogue.villages]
    rows = []
    for m in range(1, 11):
        p = f"2026-{m:02d}"
        # Trees: on track in every village but two; conferences: far behind; news: slightly behind.
        for i, v in enumerate(villages):
            rows.append(("cay_xanh_trong_moi", p, v, 5.0 if i < 2 else 45.0, None))
        rows.append(("tt_hoi_nghi", p, villages[0], 0.5, None))
        rows.append(("tt_tin_bai", p, None, 3.0, None))
    frame = to_frame(assess_all(_frame(catalogue, rows), catalogue, "2026-10", villages=True), catalogue)
    commune, village_rows = frame[frame["place"].isna()], frame[frame["place"].notna()]
    picked = summaries.attention(commune, village_rows, catalogue)
    codes = [a.indicator for a in picked]
    assert codes[0] == "tt_hoi_nghi"  # r ≈ 0,25
    assert "cay_xanh_trong_moi" not in codes  # on track for the commune as a whole
    news = next(a for a in picked if a.indicator == "tt_tin_bai")
    assert not news.by_village and news.villages == ()
    assert picked[0].responsible == catalogue.unit("phong-vhxh").name
    # A flow's lagging villages are the two that planted least, worst first.
    trees = summaries.attention(
        commune[commune["indicator"] == "cay_xanh_trong_moi"].assign(status="cham"), village_rows, catalogue, n=1
    )
    assert [v.name for v in trees[0].villages][:2] == [catalogue.villages[0].name, catalogue.villages[1].name]


def test_status_table_is_most_behind_first_with_last_months_status(catalogue):
    rows = [("tt_hoi_nghi", f"2026-{m:02d}", None, 0.5 if m < 10 else 30.0, None) for m in range(1, 11)]
    rows += [("tt_tin_bai", f"2026-{m:02d}", None, 3.0, None) for m in range(1, 11)]
    obs = _frame(catalogue, rows)
    now = to_frame(assess_all(obs, catalogue, "2026-10"), catalogue)
    before = to_frame(assess_all(obs, catalogue, "2026-09"), catalogue)
    table = summaries.status_table(now, before, catalogue).set_index("Mã")
    ranks = [summaries._BY_TEXT[t].rank for t in table["Trạng thái"]]
    assert ranks == sorted(ranks)
    assert table.loc["tt_hoi_nghi", "Trạng thái tháng trước"].endswith("Chậm tiến độ")
    assert table.loc["tt_hoi_nghi", "So với tháng trước"] == 30.0  # a flow grew by the month's amount
    assert table.loc["tt_hoi_nghi", "Thực hiện"] == pytest.approx(0.5 * 9 + 30)


# ---------------------------------------------------------------- the HTML copy's reuse


def test_html_copy_is_reused_only_for_the_same_cells_and_the_same_way_of_writing_them():
    frame = pd.DataFrame({"Chỉ tiêu": ["Cây xanh", "Rác"], "Tỷ lệ (%)": [61.25, 40.0]})
    pct1, pct0 = {"Tỷ lệ (%)": lambda x: f"{x:.1f}"}, {"Tỷ lệ (%)": lambda x: f"{x:.0f}"}
    same = tables._html_key("t", frame.copy(), None, (), dict(pct1), None, None, None)
    assert same == tables._html_key("t", frame, None, (), pct1, None, None, None)
    changed = frame.assign(**{"Tỷ lệ (%)": [61.25, 40.5]})
    others = [
        tables._html_key("t", changed, None, (), pct1, None, None, None),  # a figure changed
        tables._html_key("t", frame, None, (), pct0, None, None, None),  # written with fewer decimals
        tables._html_key("t", frame, ["cây", "tấn"], (), pct1, None, None, None),  # other units
        tables._html_key("t", frame, None, ("Chỉ tiêu",), pct1, None, None, None),  # a column hidden
        tables._html_key("u", frame, None, (), pct1, None, None, None),  # another table
        tables._html_key("t", frame.rename(columns={"Chỉ tiêu": "Thôn"}), None, (), pct1, None, None, None),
    ]
    assert same not in others and len(set(others)) == len(others)


def test_html_copy_of_unhashable_cells_is_simply_not_reused():
    frame = pd.DataFrame({"Các tháng": [["2026-09", "2026-10"]]})
    assert tables._html_key("t", frame, None, (), None, None, None, None) is None
