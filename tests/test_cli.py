"""cli.py as other tools call it: exit codes, the JSON shape, readable Vietnamese output, `value`, concurrency."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

import cli
from loaders.model import Observation, RegisterItem, Report
from store import Store
from tests.test_importer import ROWS, tree_book
from tests.waiting import line_from, wait_until

JSON_KEYS = {"file", "status", "kind", "unit", "periods", "rows", "errors", "warnings"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's own exits
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "BC trong cay T10.xlsx"
    path.write_bytes(tree_book(ROWS))
    return path


# ---------------------------------------------------------------- import


def test_import_json_shape_and_exit_codes(capsys, db_path, book, tmp_path):
    code, out, _ = run(capsys, "import", str(book), "--db", str(db_path), "--json")
    assert code == 0
    [item] = json.loads(out)
    assert set(item) == JSON_KEYS
    assert (item["status"], item["kind"], item["unit"], item["periods"]) == (
        "imported",
        "trong_cay",
        "phong-kinh-te",
        ["2026-10"],
    )
    assert item["rows"] > 0 and item["errors"] == []
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(tree_book({**ROWS, "Thôn Hà Nội": [1, 0, 0, 0]}))
    code, out, _ = run(
        capsys, "import", str(book), str(bad), str(tmp_path / "khong-co.xlsx"), "--db", str(db_path), "--json"
    )
    assert code == 1
    items = json.loads(out)
    assert [i["status"] for i in items] == ["unchanged", "rejected", "rejected"]
    assert "Hà Nội" in out  # ensure_ascii=False: Vietnamese as written
    assert {e["column"] for e in items[1]["errors"]} == {"B"} and items[1]["errors"][0]["row"] > 0
    assert "Không tìm thấy tệp" in items[2]["errors"][0]["message"]


def test_import_readable_summary_names_the_place_of_each_problem(capsys, db_path, book, tmp_path):
    code, out, _ = run(capsys, "import", str(book), "--db", str(db_path))
    assert code == 0
    line = out.splitlines()[0]
    assert line.startswith("BC trong cay T10.xlsx: đã nhập;") and "T10/2026" in line and "Phòng Kinh tế" in line
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(tree_book({**ROWS, "Thôn Hà Nội": [1, 0, 0, 0]}))
    code, out, _ = run(capsys, "import", str(bad), "--db", str(db_path))
    assert code == 1
    assert out.startswith("sai.xlsx: bị từ chối")
    assert "  - Lỗi: trang 'T10', dòng " in out and ", cột B: " in out


def test_dry_run_writes_nothing(capsys, db_path, book):
    code, out, _ = run(capsys, "import", str(book), "--db", str(db_path), "--dry-run")
    assert code == 0 and "chạy thử" in out
    assert not db_path.exists()
    run(capsys, "import", str(book), "--db", str(db_path))
    stamp = Store(db_path).file_stamp()
    code, out, _ = run(capsys, "import", str(book), "--db", str(db_path), "--dry-run", "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "unchanged"
    assert Store(db_path).file_stamp() == stamp


@pytest.mark.parametrize(
    "argv, says",
    [
        (["import", "X", "--period", "2026-13"], "YYYY-MM"),
        (["import", "X", "--period", "10/2026"], "YYYY-MM"),
        (["import", "X", "--unit", "phong-khong-co"], "phong-kinh-te"),
        (["import"], "Lỗi cú pháp lệnh"),
        (["import", "X", "--khong-co"], "Lỗi cú pháp lệnh"),
        (["khong-co-lenh"], "Lỗi cú pháp lệnh"),
        (["value", "cay_xanh_trong_moi"], "Lỗi cú pháp lệnh"),
        (["value", "khong_co", "--period", "2026-10"], "Không có chỉ tiêu"),
        (["value", "cay_xanh_trong_moi", "--period", "2026-10", "--thon", "Hà Nội"], "Hà Nội"),
    ],
)
def test_bad_usage_exits_2_with_a_vietnamese_message(capsys, db_path, argv, says):
    code, out, err = run(capsys, *argv, "--db", str(db_path))
    assert code == 2 and says in err and out == ""


def test_unit_by_name_and_explicit_period(capsys, db_path, tmp_path):
    path = tmp_path / "bc.xlsx"
    path.write_bytes(tree_book(ROWS, period=None, sheet="Sheet1"))
    code, out, _ = run(capsys, "import", str(path), "--db", str(db_path), "--json")
    assert code == 1 and "chọn tháng" in out
    code, out, _ = run(
        capsys, "import", str(path), "--db", str(db_path), "--json", "--period", "2026-09", "--unit", "phong kinh te"
    )
    assert code == 0 and json.loads(out)[0]["periods"] == ["2026-09"]


# ---------------------------------------------------------------- value


@pytest.fixture
def figures_db(db_path: Path) -> Path:
    s = Store(db_path, commune="an-phu")

    def save(report: Report, data: bytes) -> None:
        assert s.save_report(report, data=data, file_name="x.xlsx", user="t").status == "imported"

    trees = [("2026-09", "an-lac", 40), ("2026-10", "an-lac", 10), ("2026-10", "dong-ha", 5), ("2026-10", None, 2)]
    for p in ("2026-09", "2026-10"):
        obs = [Observation("cay_xanh_trong_moi", q, v, None, vil, ("", ""), "S", 5) for q, vil, v in trees if q == p]
        save(Report(kind="trong_cay", unit="phong-kinh-te", periods=[p], observations=obs), p.encode())
    # Row shares 90% and 10%: their mean is 50%, the pooled share (90+1)/(100+10) is 82,7%.
    obs = [
        Observation("tthc_truc_tuyen", "2026-10", 90, 100, None, ("linh_vuc", "Hộ tịch"), "S", 5),
        Observation("tthc_truc_tuyen", "2026-10", 1, 10, None, ("linh_vuc", "Đất đai"), "S", 6),
    ]
    save(Report(kind="thu_tuc_hanh_chinh", unit="ttpvhcc", periods=["2026-10"], observations=obs), b"tthc")
    items = [("Gạo", "an-lac", 3), ("Chè", "dong-ha", 4)]
    reg = [
        RegisterItem(n, n, v, "OCOP", st, "QĐ", date(2025, 1, 1), date(2028, 1, 1), False, None, "DS", 5 + i)
        for i, (n, v, st) in enumerate(items)
    ]
    obs = [
        Observation("ocop_san_pham", "2026-10", 1, None, r.village, ("hang_sao", str(r.stars)), "DS", r.row)
        for r in reg
    ]
    save(
        Report(kind="ocop_vietgap", unit="phong-kinh-te", periods=["2026-10"], observations=obs, register=reg), b"ocop"
    )
    return db_path


def value(capsys, db: Path, *argv: str) -> dict:
    code, out, err = run(capsys, "value", *argv, "--db", str(db), "--json")
    assert code == 0, err
    f = json.loads(out)
    assert set(f) == {"indicator", "period", "thon", "value", "unit", "cumulative", "target", "status"}
    return f


def test_value_of_a_flow_sums_the_month_and_accumulates_since_the_plan_start(capsys, figures_db, catalogue):
    f = value(capsys, figures_db, "cay_xanh_trong_moi", "--period", "2026-10")
    # 57 trees against 20.000 × 10/24 expected by T10/2026: r ≈ 0,007, far behind.
    assert (f["value"], f["cumulative"], f["unit"], f["status"]) == (17, 57, "cây", "Chậm tiến độ")
    assert f["target"] == catalogue.indicator("cay_xanh_trong_moi").target(catalogue.phase_of("2026-10").code).value
    f = value(capsys, figures_db, "cay_xanh_trong_moi", "--period", "2026-10", "--thon", "THON AN LAC")
    assert (f["thon"], f["value"], f["cumulative"]) == ("Thôn An Lạc", 10, 50)
    f = value(capsys, figures_db, "cay_xanh_trong_moi", "--period", "2026-08")
    assert (f["value"], f["cumulative"]) == (None, None)  # nothing reported yet: null, not 0
    assert f["status"] == "Chưa có số liệu"
    f = value(capsys, figures_db, "cay_xanh_trong_moi", "--period", "2026-11")
    assert (f["value"], f["cumulative"]) == (None, 57)


def test_value_of_a_ratio_pools_numerators_and_denominators(capsys, figures_db):
    f = value(capsys, figures_db, "tthc_truc_tuyen", "--period", "2026-10")
    assert f["value"] == pytest.approx(91 / 110 * 100) and f["cumulative"] is None and f["unit"] == "%"
    assert value(capsys, figures_db, "tthc_truc_tuyen", "--period", "2026-09")["value"] is None


def test_value_of_a_stock_is_the_level_at_the_month_end(capsys, figures_db):
    f = value(capsys, figures_db, "ocop_san_pham", "--period", "2026-10")
    assert (f["value"], f["cumulative"]) == (2, None)
    assert value(capsys, figures_db, "ocop_san_pham", "--period", "2026-10", "--thon", "dong-ha")["value"] == 1


def test_value_reads_as_a_vietnamese_sentence(capsys, figures_db):
    code, out, _ = run(capsys, "value", "tthc_truc_tuyen", "--period", "2026-10", "--db", str(figures_db))
    assert code == 0 and "tháng 10/2026: 82,7%" in out
    code, out, _ = run(
        capsys, "value", "cay_xanh_trong_moi", "--period", "2026-10", "--thon", "Đông Hà", "--db", str(figures_db)
    )
    assert "Thôn Đông Hà" in out and "5 cây" in out and "20.000 cây" in out
    code, out, _ = run(capsys, "value", "cay_xanh_trong_moi", "--period", "2026-07", "--db", str(figures_db))
    assert "chưa có số liệu" in out


# ---------------------------------------------------------------- two processes at once


# The real command line, leaving a file named by its pid in a folder each time it finds the database locked.
_CLI_SAYING_IT_WAITS = """
import os, sys
sys.path.insert(0, {root!r})
import store.connection as connection

_is_lock_error = connection.is_lock_error

def is_lock_error(exc):
    found = _is_lock_error(exc)
    if found:
        open(os.path.join({folder!r}, str(os.getpid())), "w").close()
    return found

connection.is_lock_error = is_lock_error
import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def test_two_processes_importing_into_one_file_both_succeed(tmp_path, db_path, root):
    """A third process holds the database open; both imports wait for it (and each other) and land."""
    a, b = tmp_path / "a T10.xlsx", tmp_path / "b T9.xlsx"
    a.write_bytes(tree_book(ROWS))
    b.write_bytes(tree_book({"Thôn Yên Mỹ": [1, 2, 3, 4]}, period="Tháng 9 năm 2026", sheet="T9"))
    Store(db_path).schema_version()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(db_path)!r})
            print("locked", flush=True)
            sys.stdin.read()  # until the test closes it
            con.close()
        """)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert line_from(holder, 60, "the third process to hold the database") == "locked"
    waiting = tmp_path / "waiting"
    waiting.mkdir()
    driver = tmp_path / "cli_saying_it_waits.py"
    driver.write_text(_CLI_SAYING_IT_WAITS.format(root=str(root), folder=str(waiting)), encoding="utf-8")
    cmd = [sys.executable, str(driver), "import", "--db", str(db_path), "--json"]
    procs = [subprocess.Popen([*cmd, str(p)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in (a, b)]
    try:
        wait_until(
            lambda: {str(p.pid) for p in procs} <= {f.name for f in waiting.iterdir()},
            120,
            "both imports to find the database locked",
            unless=lambda: next((f"an import ended ({p.returncode})" for p in procs if p.poll() is not None), None),
        )
    finally:
        holder.stdin.close()  # the third process lets go
    results = [p.communicate(timeout=120) for p in procs]
    holder.wait(10)
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err.decode()
        assert json.loads(out)[0]["status"] == "imported"
    s = Store(db_path)
    assert sorted(s.commune_monthly()["period"]) == ["2026-09", "2026-10"]
    assert len(s.uploads()) == 2
