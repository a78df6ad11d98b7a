"""The import's fast paths give what the row-by-row paths give: columnar observations, whole-column row
classification, the planting log read column by column, the store's Arrow frame, bounds, the worker's answer."""

from __future__ import annotations

import copy
import datetime as dt
import io
import pickle
import random

import duckdb
import openpyxl
import pytest

from intake import importer, sandbox
from loaders import read_report, trees
from loaders.model import Observation, Observations, Report
from loaders.table import Column, Table, _row_kind
from loaders.workbook import Sheet, read_workbook
from store import Store, writes
from tests.workbooks import SheetSpec, xls, xlsx

HEADER = ["STT", "Ngày trồng", "Thôn", "Nơi trồng", "Loại cây", "Số lượng (cây)", "Đơn vị thực hiện", "Ghi chú"]
PLACES = ["Trường Tiểu học An Phú", "Nhà văn hóa thôn", "Tuyến đường trục xã", "Khu công cộng", "Sân đình", ""]


def obs_fields(observations) -> list[tuple]:
    """Each observation's fields with their classes (1 and 1.0 differ here)."""
    return [
        tuple(
            (type(x).__name__, repr(x))
            for x in (o.indicator, o.period, o.value, o.denominator, o.village, o.breakdown, o.sheet, o.row)
        )
        for o in observations
    ]


# ---------------------------------------------------------------- Observations: a list kept as columns


def sample_observations() -> list[Observation]:
    return [
        Observation("cay_xanh_trong_moi", "2026-10", 12.0, None, "an-lac", ("dia_diem", "truong-hoc"), "Nhật ký", 7),
        Observation("cay_xanh_trong_moi", "2026-10", 3, None, None, ("dia_diem", "khac"), "Nhật ký", 8),
        Observation("tthc_truc_tuyen", "2026-09", 40.0, 50.0, None, ("linh_vuc", "Hộ tịch"), "T9", 10),
        Observation("tthc_truc_tuyen", "2026-09", 0.0, 0.0, None, ("", ""), "T9", 11),
    ]


def test_observations_behave_as_the_list_they_replace():
    items = sample_observations()
    obs = Observations(items)
    assert obs == items and items == obs and list(obs) == items and len(obs) == 4
    assert obs[2] == items[2] and obs[-1].breakdown == ("", "") and obs[1:3] == items[1:3]
    assert obs != items[:3] and obs != [*items[:3], items[0]]
    obs.append(items[0])
    obs[0] = items[3]
    del obs[1]
    obs.insert(0, items[1])
    expected = [items[1], items[3], items[2], items[3], items[0]]
    assert obs == expected and obs_fields(obs) == obs_fields(expected)
    assert obs.__add__([items[0]]) == [*expected, items[0]] and obs.__radd__([items[0]]) == [items[0], *expected]
    copied = copy.copy(obs)
    copied.append(items[2])
    assert len(copied) == 6 and len(obs) == 5
    assert Observations() == [] and not Observations()
    assert obs.column("village") == [None, None, None, None, "an-lac"]
    assert obs.column("breakdown")[0] == ("dia_diem", "khac")


def test_columns_added_at_once_equal_the_same_observations_appended():
    n = 2000
    periods = [f"2026-{m:02d}" for m in (1 + i % 12 for i in range(n))]
    villages = [("an-lac", None, "dong-ha")[i % 3] for i in range(n)]
    values = [float(i % 40) for i in range(n)]
    obs = Observations()
    obs.add_columns(n, indicator="cay_xanh_trong_moi", period=periods, value=values, denominator=None,
                    village=villages, dim="dia_diem", dim_value="khac", sheet="Nhật ký",
                    row=list(range(7, 7 + n)))  # fmt: skip
    appended = [
        Observation("cay_xanh_trong_moi", p, v, None, vil, ("dia_diem", "khac"), "Nhật ký", 7 + i)
        for i, (p, v, vil) in enumerate(zip(periods, values, villages, strict=True))
    ]
    assert obs == Observations(appended) and obs_fields(obs) == obs_fields(appended)
    with pytest.raises(ValueError):
        obs.add_columns(3, indicator="x", period=["2026-01"], value=1.0, denominator=None, village=None, dim="",
                        dim_value="", sheet="s", row=1)  # fmt: skip


def test_observations_cross_a_pickle_whole_numbers_keeping_their_class():
    n = 3000
    obs = Observations()
    obs.add_columns(n, indicator="cay_xanh_trong_moi", period="2026-10", value=[float(i) for i in range(n)],
                    denominator=None, village="an-lac", dim="", dim_value="", sheet="T10",
                    row=list(range(n)))  # fmt: skip
    obs.append(Observation("tthc_truc_tuyen", "2026-10", 5, 7, None, ("", ""), "T10", 2**70))  # an int, a huge row
    same = Observations()  # one value throughout, but of two classes: 50.0 == 50
    same.add_columns(n, indicator="x", period="2026-10", value=1.0, denominator=[50.0] * (n - 1) + [50],
                     village=None, dim="", dim_value="", sheet="T", row=1)  # fmt: skip
    assert obs_fields(pickle.loads(pickle.dumps(same, 5))) == obs_fields(same)
    back = pickle.loads(pickle.dumps(obs, 5))
    assert back == obs and obs_fields(back) == obs_fields(obs)
    assert type(back.column("value")) is list and type(back[-1].value) is int and back[-1].row == 2**70
    report = Report(kind="trong_cay", observations=obs)
    assert pickle.loads(pickle.dumps(report, 5)) == report


# ---------------------------------------------------------------- rows classified column by column


def reference_rows(table: Table, label_columns: tuple[int, ...]) -> tuple[list[tuple], list[str]]:
    """The body read the slow way: every row through the row-by-row rules, in order."""
    from loaders.table import _texts_from

    rows = table.sheet.rows
    ncols = max((c.index for c in table.columns), default=0) + 1
    watch = sorted(set(label_columns) | set(range(min(3, ncols))))
    out, section = [], ""
    for r in range(table.data_start, len(rows)):
        got = _row_kind(rows, r, watch, {}, {})
        if got is None:
            continue
        if got == "footer":
            return out, _texts_from(rows, r)
        kind, label = got
        if kind == "section":
            section = label
        out.append((r, kind, section))
    return out, []


def random_body(rnd: random.Random, width: int) -> list[list]:
    """Rows of every kind a report's body has, in random order, some short, numbers of several classes."""
    names = ["An Lạc", "Đông Hà", "thon dong lu", "Bình Hà", "Trường học", "Sân đình", "x" * 12]

    def data_row(i: int) -> list:
        row = [
            i,
            rnd.choice([dt.date(2026, 5, 1 + i % 28), "05/09/2026", 3.0, True, ""]),
            rnd.choice(names),
            rnd.choice([*names, "", 1, 1.0]),
            rnd.choice(["Sao đen", "", 2, "(5)"]),
            rnd.choice([1.0, 1, True, 0, False, 12.5, "7", "", -3.0]),
        ]
        row += ["" for _ in range(width - len(row))]
        return row[: rnd.choice([width, width, width, width - 2, 4, 7])]

    special = [
        lambda i: ["I", "Trường học"],
        lambda i: ["", "Tổng cộng", "", "", "", 5.0],
        lambda i: ["Cộng", "", "", "", "", 3.0],
        lambda i: ["", "Toàn xã", "", "", "", 9.0],
        lambda i: ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        lambda i: ["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)=(4)/(5)*100"],
        lambda i: ["A", "B", "C", "D", "E", "F"],
        lambda i: ["A", "B", "1=2x3", 2, 3.0, "4"],
        lambda i: [i, "An Lạc = Đông Hà", "(3)=(4)+(5)", "", "", 2.0],
        lambda i: [1, 2, 3, 4, 5, 6, 7, 8][:width],
        lambda i: [1.0, 2.0, "3", "4"],
        lambda i: [],
        lambda i: ["", "", "", ""],
        lambda i: ["Khu công cộng"],
        lambda i: ["", "", "", "", "", "", "THỦ TRƯỞNG ĐƠN VỊ"],
        lambda i: ["Người lập biểu"],
        lambda i: ["", "An Phú, ngày 05 tháng 11 năm 2026"],
        lambda i: ["", "ghi chú thêm", "", "", ""],
        # Full rows that only their labels tell apart from data:
        lambda i: ["", "Tổng cộng", 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        lambda i: [i, "Toàn xã", "Sân đình", "Sao", 2.0, 3.0],
        lambda i: ["Người lập biểu", "a", "b", "c", "d", "e"],
        lambda i: [i, dt.date(2026, 5, 1), "Tổng", "Sân đình", "Sao", 5.0],
        lambda i: [i, dt.date(2026, 5, 1), "An Lạc", "Cộng", "Sao", 5.0],
    ]
    rows = []
    for i in range(rnd.randrange(5, 80)):
        rows.append(rnd.choice(special)(i) if rnd.random() < 0.15 else data_row(i))
    return rows


def test_rows_classified_column_by_column_equal_the_row_by_row_rules():
    rnd = random.Random(2026)
    compared = 0
    for case in range(400):
        width = rnd.choice([6, 8, 9])
        header = HEADER[:width] + [f"Cột {k}" for k in range(len(HEADER), width)]
        body = random_body(rnd, width)
        if case % 3 == 0:  # a long plain stretch, as in a log
            body = [[i, dt.date(2026, 1, 1 + i % 28), "An Lạc", "Sân đình", "Sao", 2.0, "Đoàn", ""][:width]
                    for i in range(300)] + body  # fmt: skip
        sheet = Sheet("S", [["SỔ THEO DÕI"], header, *body])
        columns = [Column(c, (h,)) for c, h in enumerate(header)]
        labels = rnd.choice([(2,), (2, 3), (), (4,)])
        table = Table(sheet, 1, 1, columns, 2)
        got = [(row.index, row.kind, row.section) for row in table.rows(label_columns=labels)]
        expected, footer = reference_rows(table, labels)
        assert got == expected, case
        assert table.footer_lines == footer, case
        compared += len(got)
    assert compared > 40_000


# ---------------------------------------------------------------- the planting log, column by column


def log_book(rows: int, seed: int, change=None, *, month: str | None = None, xls_file: bool = False) -> bytes:
    rnd = random.Random(seed)
    villages = ["Thôn An Lạc", "Đông Hà", "DONG LU", "Bình Hà"]
    title = "SỔ THEO DÕI TRỒNG CÂY XANH NĂM 2026" + (f" {month}" if month else "")
    body = []
    for i in range(rows):
        day = dt.date(2026, 10, 1 + i % 28) if month else dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randrange(365))
        row = [i + 1, day, rnd.choice(villages), rnd.choice(PLACES), "Sao đen", float(rnd.randint(1, 40)), "Đoàn", ""]
        body.append(change(rnd, i, row) if change else row)
    sheet = [["UBND XÃ AN PHÚ"], ["PHÒNG KINH TẾ"], [title], [], HEADER, *body, [], ["", "NGƯỜI LẬP BIỂU"]]
    return xls({"Nhật ký": sheet}) if xls_file else xlsx({"Nhật ký": SheetSpec(sheet)})


def text_dates(rnd, i, row):
    row[1] = row[1].strftime("%d/%m/%Y") if i % 3 else row[1]
    row[5] = str(int(row[5])) if i % 4 == 0 else row[5]
    return row


def with_sections(rnd, i, row):
    if i % 40 == 0:
        return [["I", "II", "III"][i // 40 % 3], rnd.choice(["Trường học", "Tuyến đường", "Khác"])]
    if i % 40 == 39:
        return ["", "Cộng", "", "", "", 100.0]
    return row


def one_odd_cell(kind: str):
    def change(rnd, i, row):
        if i == 137:
            row[{"bool": 5, "negative": 5, "fraction": 5, "village": 2, "date": 1, "year": 1, "number": 3}[kind]] = {
                "bool": True, "negative": -2.0, "fraction": 1.5, "village": "Thôn Không Có", "date": "31/02/2026",
                "year": dt.date(2019, 5, 1), "number": 12.0,
            }[kind]  # fmt: skip
        if i == 150 and kind == "bool":
            row[5] = 1.0  # equal to True: the set of distinct values may keep either
        if i == 160:
            row[1], row[5] = "", ""  # neither date nor number: skipped without a word
        return row

    return change


CASES = {
    "clean": dict(rows=1500, seed=1),
    "text dates and numbers": dict(rows=800, seed=2, change=text_dates),
    "sections and totals": dict(rows=600, seed=3, change=with_sections),
    "month in the title": dict(rows=400, seed=4, month="THÁNG 10"),
    "legacy .xls (whole numbers as int)": dict(rows=500, seed=5, xls_file=True),
    **{
        f"one {k} cell": dict(rows=400, seed=6, change=one_odd_cell(k))
        for k in ("bool", "negative", "fraction", "village", "date", "year", "number")
    },
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("period", [None, "2026-10"])
def test_the_log_read_column_by_column_equals_the_log_read_row_by_row(catalogue, monkeypatch, name, period):
    data = log_book(**CASES[name])
    fast = read_report(data, "log.xlsx", catalogue, period=period)
    runs = []
    monkeypatch.setattr(trees._Log, "run", lambda self, run: runs.append(len(run.indices)) and False)
    slow = read_report(data, "log.xlsx", catalogue, period=period)
    assert runs, "the log was read without a stretch of data rows"
    assert fast == slow
    assert obs_fields(fast.observations) == obs_fields(slow.observations)
    assert fast.problems == slow.problems and fast.periods == slow.periods
    if name == "clean" and period is None:
        assert fast.ok and len(fast.observations) == 1500


def test_a_clean_log_takes_the_column_path(catalogue, monkeypatch):
    taken = []
    real = trees._Log.run
    monkeypatch.setattr(trees._Log, "run", lambda self, run: taken.append(real(self, run)) or taken[-1])
    report = read_report(log_book(1000, 9), "log.xlsx", catalogue)
    assert report.ok and taken == [True] and isinstance(report.observations, Observations)


# ---------------------------------------------------------------- formulas looked for only when asked


def test_formula_cells_without_a_value_are_looked_for_on_first_use():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "T10"
    for row in [["Thôn", "Số cây"], ["An Lạc", 3], ["Đông Hà", "=B2*2"]]:
        ws.append(row)
    bio = io.BytesIO()
    wb.save(bio)
    sheet = read_workbook(bio.getvalue(), "bc.xlsx").sheets[0]
    assert callable(sheet.formulas)
    assert sheet.uncached == frozenset({(2, 1)}) and sheet.formulas == frozenset({(2, 1)})
    plain = read_workbook(xlsx({"T10": [["Thôn", "Số cây"], ["An Lạc", 3]]}), "bc.xlsx").sheets[0]
    assert plain.uncached == frozenset()
    assert read_workbook(xls({"T10": [["Thôn", "Số cây"], ["An Lạc", 3]]}), "bc.xls").sheets[0].uncached == frozenset()


# ---------------------------------------------------------------- the store's frame and fingerprint


def test_the_frame_and_fingerprint_of_columns_equal_those_of_objects_and_of_the_last_release():
    items = sample_observations()
    as_list = Report(kind="trong_cay", unit="phong-kinh-te", periods=["2026-09", "2026-10"], observations=items)
    as_columns = Report(kind="trong_cay", unit="phong-kinh-te", periods=["2026-09", "2026-10"],
                        observations=Observations(items))  # fmt: skip
    table_a, sha_a = writes._prepared(as_list)
    table_b, sha_b = writes._prepared(as_columns)
    frame_a, frame_b = writes._observations_frame(table_a), writes._observations_frame(table_b)
    assert frame_a.equals(frame_b) and list(frame_a.dtypes) == list(frame_b.dtypes)
    assert frame_a["village"].isna().tolist() == [False, True, True, True]
    assert frame_a["denominator"].isna().tolist() == [True, True, False, False]
    # What the previous release computed for this report: a re-upload of an old file must still be "unchanged".
    assert sha_a == sha_b == "bc1bf9da66b6f594069feff97f2e2af1441fd4baf19c2e37282b3734e0ee941a"


def test_a_big_report_is_stored_whole_checkpointed_and_recognised_when_sent_again(catalogue, db_path):
    n = 3 * writes._BIG_REPORT_ROWS  # its WAL would be ~3 MB, past the 1 MB from which a COMMIT checkpoints
    obs = Observations()
    obs.add_columns(n, indicator="cay_xanh_trong_moi", period=[f"2026-{1 + i % 9:02d}" for i in range(n)],
                    value=[float(1 + i % 7) for i in range(n)], denominator=None,
                    village=[("an-lac", "dong-ha", None)[i // 9 % 3] for i in range(n)], dim="dia_diem",
                    dim_value="khac", sheet="Nhật ký", row=list(range(2, n + 2)))  # fmt: skip
    periods = sorted(set(obs.column("period")))
    report = Report(kind="trong_cay", unit="phong-kinh-te", periods=periods, observations=obs)
    store = Store(db_path)
    store.schema_version()
    with duckdb.connect() as fresh:
        threads = fresh.execute("SELECT current_setting('threads')").fetchone()[0]
    # An idle connection of this process keeps the database open past the store's call: no checkpoint on closing.
    with duckdb.connect(str(db_path)) as reader:
        first = store.save_report(report, data=b"log-bytes", file_name="log.xlsx", user="t", commune="an-phu")
        wal = db_path.with_name(db_path.name + ".wal")
        assert not wal.exists() or wal.stat().st_size == 0  # written into the database file at COMMIT
        assert reader.execute("SELECT current_setting('threads')").fetchone()[0] == threads  # put back
        got = reader.execute("SELECT count(*), sum(value), count(village) FROM observations").fetchone()
    assert first.status == "imported" and len(first.changes) == 9 * 3
    assert got == (n, sum(obs.column("value")), sum(v is not None for v in obs.column("village")))
    as_objects = Report(kind="trong_cay", unit="phong-kinh-te", periods=periods, observations=list(obs))
    again = store.save_report(as_objects, data=b"log-bytes", file_name="log.xlsx", user="t", commune="an-phu")
    assert again.status == "unchanged" and again.upload_id == first.upload_id


# ---------------------------------------------------------------- bounds checked on distinct values


def test_bounds_on_columns_find_exactly_what_the_one_by_one_checks_find(catalogue):
    bad = [
        Observation("cay_xanh_trong_moi", "2026-10", 5.0, None, "an-lac", ("", ""), "T", 3),
        Observation("khong_co", "2026-10", float("nan"), None, "thon-la", ("", ""), "T", 4),
        Observation("cay_xanh_trong_moi", "2019-01", -1.0, float("inf"), None, ("", ""), "T", 5),
        Observation("cay_xanh_trong_moi", "2026-12", 2.0, -3.0, None, ("", ""), "T", 6),
        Observation("cay_xanh_trong_moi", "2026-10", float("-inf"), 0.0, None, ("", ""), "T", 7),
    ]
    good = [Observation("cay_xanh_trong_moi", "2026-10", float(i), None, "an-lac", ("", ""), "T", i) for i in range(50)]
    for rows, expect_problems in ((bad, True), (good, False), ([*good, bad[1]], True)):
        as_list = Report(kind="trong_cay", unit="phong-kinh-te", observations=list(rows))
        as_columns = Report(kind="trong_cay", unit="phong-kinh-te", observations=Observations(rows))
        found = importer.bounds_problems(as_list, catalogue, "2026-11")
        assert importer.bounds_problems(as_columns, catalogue, "2026-11") == found
        assert any(p.is_error for p in found) == expect_problems
    assert {p.row for p in importer.bounds_problems(Report(kind="trong_cay", unit="phong-kinh-te",
            observations=Observations(bad)), catalogue, "2026-11") if p.is_error} == {4, 5, 6, 7}  # fmt: skip


# ---------------------------------------------------------------- the worker's answer


def test_a_log_read_in_the_worker_comes_back_as_columns_equal_to_a_read_here(catalogue):
    data = log_book(2000, 11, text_dates)
    here = read_report(data, "log.xlsx", catalogue)
    there = sandbox.read_report(data, "log.xlsx", catalogue)
    assert isinstance(there.observations, Observations) and there == here and there.ok
    assert obs_fields(there.observations) == obs_fields(here.observations)
    (table_there, sha_there), (table_here, sha_here) = writes._prepared(there), writes._prepared(here)
    assert table_there.equals(table_here) and sha_there == sha_here
    there.observations.append(here.observations[0])  # numbers received as arrays become lists again
    assert obs_fields(there.observations) == obs_fields([*here.observations, here.observations[0]])
