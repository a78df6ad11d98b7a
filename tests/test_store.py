"""The DuckDB store: migrations, replace-by-key with history and restore, all-or-nothing writes, locks and reads."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

import store.connection as connection
from loaders.model import Observation, Problem, RegisterItem, Report
from store import Store, StoreBusy
from store.writes import Writes
from tests.waiting import joined, line_from, wait_until

FIGURE_TABLES = ("files", "uploads", "observations", "register_items", "current_reports")


def tree_report(values: dict[str, float], period: str = "2026-10", unit: str = "phong-kinh-te") -> Report:
    obs = [
        Observation("cay_xanh_trong_moi", period, v, None, village, ("dia_diem", "truong-hoc"), "T10", 8 + i)
        for i, (village, v) in enumerate(values.items())
    ]
    return Report(kind="trong_cay", unit=unit, periods=[period], observations=obs, sheets=["T10"], title="BÁO CÁO")


def procedures_report(rows: dict[str, tuple[float, float]], period: str = "2026-10") -> Report:
    obs = [
        Observation("tthc_truc_tuyen", period, n, d, None, ("linh_vuc", field), "TTHC", 9 + i)
        for i, (field, (n, d)) in enumerate(rows.items())
    ]
    return Report(kind="thu_tuc_hanh_chinh", unit="ttpvhcc", periods=[period], observations=obs)


def generic_report(indicator: str, village_values: dict[str, float], period: str = "2026-10") -> Report:
    obs = [
        Observation(indicator, period, v, None, k, ("", ""), "S", 5 + i)
        for i, (k, v) in enumerate(village_values.items())
    ]
    return Report(kind="bang_thang", unit="thon", periods=[period], observations=obs)


def register_report(period: str, items: list[tuple[str, str]]) -> Report:
    reg = [
        RegisterItem(
            name,
            "HTX " + name,
            village,
            "OCOP",
            3,
            f"QĐ {i}",
            date(2025, 1, 1),
            date(2028, 1, 1),
            False,
            None,
            "DS",
            6 + i,
        )
        for i, (name, village) in enumerate(items)
    ]
    obs = [Observation("ocop_san_pham", period, 1.0, None, r.village, ("hang_sao", "3"), "DS", r.row) for r in reg]
    return Report(kind="ocop_vietgap", unit="phong-kinh-te", periods=[period], observations=obs, register=reg)


def save(s: Store, report: Report, data: bytes, name: str = "bc.xlsx", **kw):
    return s.save_report(report, data=data, file_name=name, user="tester", commune="an-phu", **kw)


def dump(path: Path, tables=FIGURE_TABLES) -> dict[str, list]:
    with duckdb.connect(str(path)) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def figures(s: Store) -> dict:
    return {(r.indicator, r.period, r.village): r.value for r in s.monthly().itertuples()}


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path, commune="an-phu")


# ---------------------------------------------------------------- migrations


def test_first_use_creates_the_file_and_folder_with_every_migration(tmp_path):
    path = tmp_path / "a" / "b" / "xanh.duckdb"
    s = Store(path)
    assert s.schema_version() == connection.migrations()[-1][0] >= 1
    assert path.exists()
    with duckdb.connect(str(path)) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        applied = con.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
    assert {"uploads", "files", "observations", "register_items", "current_reports", "audit_log", "meta"} <= tables
    assert [n for n, _ in applied] == [n for n, _ in connection.migrations()]
    assert s.data_version() == 0 and s.uploads().empty and s.monthly().empty and s.audit().empty


def test_a_new_numbered_file_is_a_new_migration_and_a_broken_one_changes_nothing(tmp_path, monkeypatch, store):
    save(store, tree_report({"an-lac": 5}), b"v1")
    folder = tmp_path / "migrations"
    folder.mkdir()
    shipped = connection.migrations()
    for _, f in shipped:
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(connection, "MIGRATIONS", folder)
    latest = max(n for n, _ in shipped)
    new = folder / f"{latest + 1:03d}_notes.sql"
    new.write_text(
        "CREATE TABLE notes (id INTEGER);\nINSERT INTO notes VALUES (1);\nCREATE TABLE broken (x NOPE_TYPE);\n",
        encoding="utf-8",
    )
    with pytest.raises(duckdb.Error):
        store.schema_version()
    with duckdb.connect(str(store.path)) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == latest
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name='notes'").fetchone()[0] == 0
    new.write_text("CREATE TABLE notes (id INTEGER);\nINSERT INTO notes VALUES (1);\n")
    assert store.schema_version() == latest + 1
    assert store.schema_version() == latest + 1  # up to date: nothing applied twice
    with duckdb.connect(str(store.path)) as con:
        assert con.execute("SELECT count(*) FROM notes").fetchone()[0] == 1
    assert figures(store) == {("cay_xanh_trong_moi", "2026-10", "an-lac"): 5}


# ---------------------------------------------------------------- import semantics


def test_same_bytes_again_is_unchanged_and_writes_nothing(store):
    first = save(store, tree_report({"an-lac": 5, "dong-ha": 7}), b"bytes-1")
    assert first.status == "imported" and first.upload_id == 1 and first.replaced == []
    assert {(c.village, c.old_value, c.new_value) for c in first.changes} == {("an-lac", None, 5), ("dong-ha", None, 7)}
    before, version, stamp = dump(store.path, (*FIGURE_TABLES, "audit_log")), store.data_version(), store.file_stamp()
    again = save(store, tree_report({"an-lac": 5, "dong-ha": 7}), b"bytes-1")
    assert (again.status, again.upload_id, again.changes, again.replaced) == ("unchanged", 1, [], [])
    assert dump(store.path, (*FIGURE_TABLES, "audit_log")) == before
    assert store.data_version() == version
    assert store.file_stamp() == stamp
    assert len(store.uploads()) == 1


def test_a_correction_replaces_the_old_version_which_stays_in_history(store):
    save(store, tree_report({"an-lac": 5, "dong-ha": 7}), b"v1", "BC T10.xlsx")
    v = store.data_version()
    fixed = save(store, tree_report({"an-lac": 6, "lai-vu": 1}), b"v2", "BC T10 sua.xlsx")
    assert fixed.status == "imported" and fixed.replaced == [1]
    assert [(c.village, c.old_value, c.new_value) for c in fixed.changes] == [
        ("an-lac", 5, 6),
        ("dong-ha", 7, None),
        ("lai-vu", None, 1),
    ]
    assert figures(store) == {
        ("cay_xanh_trong_moi", "2026-10", "an-lac"): 6,
        ("cay_xanh_trong_moi", "2026-10", "lai-vu"): 1,
    }
    assert store.data_version() > v
    hist = store.uploads().set_index("upload_id")
    assert hist.loc[1, "status"] == "superseded" and list(hist.loc[1, "replaced_by"]) == [2]
    assert hist.loc[2, "status"] == "current" and hist.loc[2, "status_vi"] == "Đang dùng"
    assert store.upload_file(1) == ("BC T10.xlsx", b"v1")  # the old bytes, byte for byte
    assert list(store.audit()["action"]) == ["replace", "import"]


def test_a_dry_run_reports_the_changes_and_writes_nothing(store, tmp_path):
    save(store, tree_report({"an-lac": 5}), b"v1")
    before, version = dump(store.path, (*FIGURE_TABLES, "audit_log")), store.data_version()
    dry = save(store, tree_report({"an-lac": 9}), b"v2", dry_run=True)
    assert (dry.status, dry.upload_id, dry.replaced) == ("imported", None, [1])
    assert [(c.old_value, c.new_value) for c in dry.changes] == [(5, 9)]
    assert dump(store.path, (*FIGURE_TABLES, "audit_log")) == before and store.data_version() == version
    fresh = Store(tmp_path / "none" / "x.duckdb", commune="an-phu")
    assert save(fresh, tree_report({"an-lac": 9}), b"v2", dry_run=True).changes[0].new_value == 9
    assert not fresh.path.exists()  # a dry run never creates the database


def test_restore_brings_an_old_version_back_and_is_audited(store):
    save(store, tree_report({"an-lac": 5}), b"v1")
    save(store, tree_report({"an-lac": 8}), b"v2")
    assert store.restore(1, who="chu-tich") == [2]
    assert figures(store) == {("cay_xanh_trong_moi", "2026-10", "an-lac"): 5}
    log = store.audit()
    assert (log.iloc[0]["action"], log.iloc[0]["who"], log.iloc[0]["upload_id"]) == ("restore", "chu-tich", 1)
    assert json.loads(log.iloc[0]["detail"])["replaced"] == [2]
    assert log.iloc[0]["action_vi"] == "Khôi phục phiên bản cũ"
    version = store.data_version()
    assert store.restore(1, who="chu-tich") == []  # already in force: nothing written
    assert store.data_version() == version
    with pytest.raises(KeyError):
        store.restore(99, who="x")


def test_the_same_bytes_of_a_superseded_version_make_it_current_again_without_a_copy(store):
    save(store, tree_report({"an-lac": 5}), b"v1")
    save(store, tree_report({"an-lac": 8}), b"v2")
    back = save(store, tree_report({"an-lac": 5}), b"v1")
    assert (back.status, back.upload_id, back.replaced) == ("imported", 1, [2])
    assert [(c.old_value, c.new_value) for c in back.changes] == [(8, 5)]
    assert figures(store) == {("cay_xanh_trong_moi", "2026-10", "an-lac"): 5}
    assert len(store.uploads()) == 2
    with duckdb.connect(str(store.path)) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 2


def test_the_same_bytes_read_differently_are_a_new_version(store):
    """A changed catalogue (or an explicit month) can read more from the same bytes: that is not 'unchanged'."""
    save(store, tree_report({"an-lac": 5}), b"same")
    again = save(store, tree_report({"an-lac": 5, "dong-ha": 2}), b"same")
    assert again.status == "imported" and again.replaced == [1]
    with duckdb.connect(str(store.path)) as con:
        assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 1  # the bytes are kept once


def test_keys_include_the_indicator_so_two_tables_of_one_unit_and_month_coexist(store):
    save(store, generic_report("dot_rac_tuy_tien", {"an-lac": 2}), b"burning")
    save(store, generic_report("khu_dan_cu_xanh", {"an-lac": 1}), b"green")
    save(store, generic_report("dot_rac_tuy_tien", {"an-lac": 3}), b"burning-fixed")
    assert figures(store) == {
        ("dot_rac_tuy_tien", "2026-10", "an-lac"): 3,
        ("khu_dan_cu_xanh", "2026-10", "an-lac"): 1,
    }
    assert store.uploads().set_index("upload_id")["status"].to_dict() == {3: "current", 2: "current", 1: "superseded"}


def test_a_later_single_month_supersedes_part_of_a_multi_month_workbook(store):
    quarter = tree_report({"an-lac": 1})
    for p, v in (("2026-08", 2), ("2026-09", 3)):
        quarter.observations += tree_report({"an-lac": v}, period=p).observations
    quarter.periods = ["2026-07", "2026-08", "2026-09"]
    quarter.observations[0] = tree_report({"an-lac": 1}, period="2026-07").observations[0]
    save(store, quarter, b"quarter")
    save(store, tree_report({"an-lac": 30}, period="2026-08"), b"august")
    got = {p: v for (_, p, _), v in figures(store).items()}
    assert got == {"2026-07": 1, "2026-08": 30, "2026-09": 3}
    row = store.uploads().set_index("upload_id").loc[1]
    assert (row["status"], row["keys"], row["keys_in_force"], row["status_vi"]) == ("partial", 3, 2, "Dùng một phần")
    assert list(store.reports_received()["upload_id"]) == [1, 2, 1]


def test_a_failure_half_way_leaves_nothing(store, monkeypatch):
    save(store, tree_report({"an-lac": 5}), b"v1")
    before, version = dump(store.path, (*FIGURE_TABLES, "audit_log")), store.data_version()

    def boom(self, con, upload_id):
        # The file, upload and observations rows are already inserted when this runs.
        assert con.execute("SELECT count(*) FROM observations WHERE upload_id = ?", [upload_id]).fetchone()[0] == 2
        raise RuntimeError("disk full")

    monkeypatch.setattr(Writes, "_make_current", boom)
    with pytest.raises(RuntimeError):
        save(store, tree_report({"an-lac": 6, "dong-ha": 1}), b"v2")
    assert dump(store.path, (*FIGURE_TABLES, "audit_log")) == before
    assert store.data_version() == version


def test_a_refusal_is_audited_and_leaves_the_figures_identical(store):
    save(store, tree_report({"an-lac": 5}), b"v1")
    before = dump(store.path)
    store.record_rejection("xau.xlsx", b"junk", [Problem("Thôn lạ", "T10", 9, "B")], who="can-bo")
    assert dump(store.path) == before
    line = store.audit().iloc[0]
    assert (line["action"], line["file_name"], line["who"]) == ("reject", "xau.xlsx", "can-bo")
    assert json.loads(line["detail"])["errors"] == [{"sheet": "T10", "row": 9, "column": "B", "message": "Thôn lạ"}]
    with pytest.raises(ValueError):
        bad = tree_report({"an-lac": 1})
        bad.problems.append(Problem("lỗi"))
        save(store, bad, b"bad")
    assert dump(store.path) == before


# ---------------------------------------------------------------- reads


def test_reads_pool_ratios_and_trace_every_figure_to_its_rows(store):
    save(store, procedures_report({"Hộ tịch": (90, 100), "Đất đai": (1, 10)}), b"tthc", "TTHC T10.xlsx")
    save(store, tree_report({"an-lac": 5, "dong-ha": 7}), b"trees", "Cay T10.xlsx")
    commune = store.commune_monthly().set_index("indicator")
    assert commune.loc["tthc_truc_tuyen", "value"] == 91 and commune.loc["tthc_truc_tuyen", "denominator"] == 110
    assert commune.loc["tthc_truc_tuyen", "rows"] == 2
    assert commune.loc["cay_xanh_trong_moi", "value"] == 12
    assert commune["denominator"].isna()["cay_xanh_trong_moi"]
    villages = store.village_monthly()
    assert set(villages["indicator"]) == {"cay_xanh_trong_moi"}  # procedures rows have no village
    assert dict(zip(villages["village"], villages["value"], strict=True)) == {"an-lac": 5, "dong-ha": 7}
    monthly = store.monthly()
    assert set(monthly.columns) >= {
        "indicator",
        "period",
        "village",
        "dim",
        "dim_value",
        "value",
        "denominator",
        "rows",
    }
    rows = store.observations("tthc_truc_tuyen", "2026-10")
    assert list(zip(rows["file_name"], rows["sheet"], rows["row"], rows["dim_value"], strict=True)) == [
        ("TTHC T10.xlsx", "TTHC", 9, "Hộ tịch"),
        ("TTHC T10.xlsx", "TTHC", 10, "Đất đai"),
    ]
    assert list(store.observations("cay_xanh_trong_moi", village="dong-ha")["value"]) == [7]
    series = store.series("cay_xanh_trong_moi", village="an-lac")
    assert list(zip(series["period"], series["value"], strict=True)) == [("2026-10", 5)]
    src = store.sources("tthc_truc_tuyen")
    assert list(src["file_name"]) == ["TTHC T10.xlsx"] and list(src["periods"][0]) == ["2026-10"]
    assert list(src["rows"]) == [2]
    got = store.reports_received()
    assert set(zip(got["unit"], got["kind"], got["period"], strict=True)) == {
        ("ttpvhcc", "thu_tuc_hanh_chinh", "2026-10"),
        ("phong-kinh-te", "trong_cay", "2026-10"),
    }


def test_register_in_force_defaults_to_the_latest_month(store):
    save(store, register_report("2026-02", [("Gạo nếp", "an-lac")]), b"feb")
    save(store, register_report("2026-04", [("Gạo nếp", "an-lac"), ("Chè", "dong-ha")]), b"apr")
    save(store, register_report("2026-04", [("Gạo nếp", "an-lac"), ("Mật ong", "lai-vu")]), b"apr-fixed")
    latest = store.register()
    assert set(latest["period"]) == {"2026-04"} and sorted(latest["name"]) == ["Gạo nếp", "Mật ong"]
    assert list(store.register("2026-02")["name"]) == ["Gạo nếp"]
    assert store.register("2026-03").empty
    ocop = store.commune_monthly().set_index("period")["value"].to_dict()
    assert ocop == {"2026-02": 1, "2026-04": 2}


def test_communes_are_kept_apart(db_path):
    save(Store(db_path), tree_report({"an-lac": 5}), b"a")
    Store(db_path).save_report(tree_report({"an-lac": 50}), data=b"b", file_name="b.xlsx", user="u", commune="khac")
    assert list(Store(db_path, commune="an-phu").commune_monthly()["value"]) == [5]
    assert list(Store(db_path, commune="khac").commune_monthly()["value"]) == [50]
    assert list(Store(db_path).commune_monthly()["value"]) == [55]  # no commune: every commune rolled up
    assert list(Store(db_path).monthly(commune="khac")["value"]) == [50]


# ---------------------------------------------------------------- concurrency


def _hold_lock(path: Path) -> subprocess.Popen:
    """Another process holding the database open read-write, as the app or an import does, until its stdin is
    closed (or it is killed)."""
    code = textwrap.dedent(f"""
        import duckdb, sys
        con = duckdb.connect({str(path)!r})
        print("locked", flush=True)
        sys.stdin.read()
        con.close()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert line_from(proc, 60, "the other process to hold the database") == "locked"
    return proc


def test_a_locked_file_is_waited_for_and_file_stamp_never_opens_it(store, monkeypatch):
    save(store, tree_report({"an-lac": 5}), b"v1")
    holder = _hold_lock(store.path)
    met = []

    def lock_met_then_released(exc: BaseException) -> bool:
        found = is_lock_error(exc)
        if found and not met:
            met.append(exc)
            holder.stdin.close()  # the other process lets go only once the save has met its lock
        return found

    is_lock_error = connection.is_lock_error
    try:
        with monkeypatch.context() as m:
            m.setattr(duckdb, "connect", lambda *a, **kw: pytest.fail("file_stamp opened the database"))
            stamp = store.file_stamp()
        assert stamp[0] > 0
        monkeypatch.setattr(connection, "is_lock_error", lock_met_then_released)
        assert save(store, tree_report({"an-lac": 6}), b"v2").status == "imported"
        assert met  # it met the other process's lock, waited for it, then wrote
    finally:
        holder.kill()
        holder.wait(10)
    assert figures(store) == {("cay_xanh_trong_moi", "2026-10", "an-lac"): 6}
    assert store.file_stamp() != stamp


def test_a_lock_held_too_long_is_a_clear_vietnamese_refusal(db_path):
    Store(db_path).schema_version()
    holder = _hold_lock(db_path)  # until killed, however long the refusal takes to come
    try:
        with pytest.raises(StoreBusy, match="đang bận"):
            Store(db_path, timeout=0.5).data_version()
    finally:
        holder.kill()
        holder.wait(10)


def test_threads_opening_the_file_as_another_process_lets_go_each_get_a_whole_connection(db_path, monkeypatch):
    """Threads of one process (the server's sessions) wait for another process's lock, then open the file at once:
    con.register() must work on every connection they get. DuckDB could hand one of them a database without the
    Python client's table functions ("python_arrow_scan does not exist"): store/connection.py's _CONNECTING."""
    Store(db_path).schema_version()
    table = pa.table({"a": [1, 2, 3]})
    met: set[int] = set()
    is_lock_error = connection.is_lock_error

    def noted(exc: BaseException) -> bool:
        found = is_lock_error(exc)
        if found:
            met.add(threading.get_ident())
        return found

    def open_and_register(errors: list) -> None:
        for _ in range(20):
            con = connection.open_with_retry(db_path, 60)
            try:
                con.register("t", table)
                assert con.execute("SELECT count(*) FROM t").fetchone() == (3,)
            except Exception as exc:
                errors.append(exc)
            finally:
                con.close()

    monkeypatch.setattr(connection, "is_lock_error", noted)
    for round_ in range(5):  # a race: without _CONNECTING about four rounds in five failed
        holder, errors = _hold_lock(db_path), []
        met.clear()
        threads = [threading.Thread(target=open_and_register, args=(errors,)) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            wait_until(lambda: len(met) == 3, 60, "the three threads to meet the other process's lock")
        finally:
            holder.stdin.close()  # it lets go: the three open the file together
            holder.wait(10)
        for t in threads:
            joined(t, 60, "the threads' connections")
        assert errors == [], f"round {round_}: {errors[:3]}"


def test_threads_of_one_process_write_one_after_another(store):
    results, errors = [], []

    def work(i: int) -> None:
        try:
            results.append(save(store, generic_report("dot_rac_tuy_tien", {"an-lac": i}, f"2026-0{i}"), b"%d" % i))
        except Exception as exc:  # collected: an assertion inside a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        joined(t, 120, "the threads' writes")
    assert errors == [] and sorted(r.status for r in results) == ["imported"] * 6
    assert sorted(store.commune_monthly()["value"]) == [1, 2, 3, 4, 5, 6]
    assert store.data_version() == 6
