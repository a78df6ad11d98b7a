"""Hostile and strange workbooks: the odd corpus in one CLI call, caps checked before parsing, and the reading
process's memory and time limits (sandbox.py) stopping what would exhaust or hang the server."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import loaders.workbook as workbook
from bench.ingest import planting_log
from intake import limits, sandbox
from intake.importer import import_file
from loaders import read_report
from store import Store
from tests.test_importer import ROWS, tree_book
from tests.waiting import joined, line_from, wait_until
from tests.workbooks import xls, xlsx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "odd-spreadsheets"
SHEET = "xl/worksheets/sheet1.xml"
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path, commune="an-phu")


def rewrite_sheet(data: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML replaced by edit(xml), every part deflated."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info.filename)
            z.writestr(info.filename, edit(part) if info.filename == SHEET else part)
    return out.getvalue()


def padded(data: bytes, megabytes: int) -> bytes:
    """A real report whose sheet XML carries `megabytes` of whitespace (legal XML): a zip bomb that still reads."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename != SHEET:
                z.writestr(info.filename, part)
                continue
            cut = part.index(b"<sheetData>")
            with z.open(SHEET, "w", force_zip64=True) as fh:
                fh.write(part[:cut])
                chunk = b" " * 2**20
                for _ in range(megabytes):
                    fh.write(chunk)
                fh.write(part[cut:])
    return out.getvalue()


def refusal(report) -> str:
    assert report.errors, [p.message for p in report.problems]
    assert report.observations == []
    return " ".join(p.message for p in report.errors)


# ---------------------------------------------------------------- 1. the odd corpus


def test_every_odd_workbook_ends_imported_or_refused_in_one_cli_call(tmp_path):
    files = sorted(str(p) for p in CORPUS.iterdir() if p.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
    assert len(files) == 132
    out, err = tmp_path / "out.json", tmp_path / "err.txt"
    cmd = [sys.executable, "cli.py", "import", *files, "--db", str(tmp_path / "x.duckdb"), "--json"]
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=o, stderr=e)
        # wait4 gives this child's own usage (with its reaped reader workers), not that of earlier tests' children
        ended = wait_until(lambda: (w := os.wait4(proc.pid, os.WNOHANG))[0] and w, 480, "the command line's import")
        _, status, usage = ended
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
    assert "Traceback" not in stdout + stderr and stderr == "", stderr[-2000:]
    outcomes = json.loads(stdout)
    assert [Path(o["file"]).name for o in outcomes] == [Path(f).name for f in files]
    for o in outcomes:
        assert o["status"] in ("imported", "rejected"), o
        if o["status"] == "rejected":
            text = " ".join(e["message"] for e in o["errors"])
            assert VIETNAMESE.search(text) and "hãy" in text.lower(), o  # Vietnamese, and says what to do
    assert proc.returncode == (1 if any(o["status"] == "rejected" for o in outcomes) else 0)
    peak_mb = usage.ru_maxrss / 1024
    print(f"corpus: {len(files)} files, peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 4096


@pytest.mark.parametrize("name", ["OOM_alloc.xls", "OOM_alloc2.xls", "OOM_alloc3.xls"])
def test_memory_exhausting_corpus_files_are_refused_under_a_tight_cap(store, catalogue, name, monkeypatch):
    monkeypatch.setenv("XANH_PARSE_MEMORY_MB", "256")
    out = import_file(store, catalogue, (CORPUS / name).read_bytes(), name)
    messages = [e.message for e in out.errors]
    assert out.status == "rejected" and "hãy" in messages[0].lower(), messages
    assert not any("mất quá" in m for m in messages), messages  # refused for what it is, not stopped by the clock
    assert store.uploads().empty


# ---------------------------------------------------------------- 2. bounds before parsing


def test_upload_cap_defaults_to_20_mb_and_follows_the_setting(store, catalogue, monkeypatch):
    monkeypatch.delenv("XANH_MAX_UPLOAD_MB", raising=False)
    assert limits.upload_bytes() == 20 * 2**20
    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server["maxUploadSize"] == 20  # Streamlit's own refusal matches the importer's
    book = tree_book(ROWS)
    monkeypatch.setenv("XANH_MAX_UPLOAD_MB", str(len(book) / 2 / 2**20))
    out = import_file(store, catalogue, book, "bc.xlsx")
    assert out.status == "rejected" and "vượt giới hạn" in out.errors[0].message and "Hãy" in out.errors[0].message
    assert store.uploads().empty
    monkeypatch.setenv("XANH_MAX_UPLOAD_MB", "nonsense")  # a mistyped setting falls back to the default
    assert limits.upload_bytes() == 20 * 2**20
    out = import_file(store, catalogue, book, "bc.xlsx")
    assert out.status == "imported", [e.message for e in out.errors]


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unzipped(store, catalogue, monkeypatch):
    bomb = padded(tree_book(ROWS), 300)  # 300 MB of sheet XML in a few hundred kB
    assert len(bomb) < 2 * 2**20
    opened, unzipped = [], []
    monkeypatch.setattr(workbook.pc.CalamineWorkbook, "from_object", lambda *a: opened.append(a))
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **kw: unzipped.append(name))
    wb = workbook.read_workbook(bomb, "bom.xlsx")
    assert opened == [] and unzipped == []  # only the zip's directory was read
    assert "giải nén" in wb.problems[0].message and "bom.xlsx" in wb.problems[0].message
    monkeypatch.undo()
    out = import_file(store, catalogue, bomb, "bom.xlsx")  # through the importer and its worker alike
    assert out.status == "rejected" and "giải nén" in out.errors[0].message
    assert store.uploads().empty


def test_a_member_compressed_beyond_the_ratio_is_refused_even_when_small_in_total(catalogue):
    bomb = padded(tree_book(ROWS), 30)  # 30 MB: under the total cap, but ~1000:1
    message = refusal(read_report(bomb, "bc.xlsx", catalogue))
    assert "tỷ lệ" in message and SHEET in message


def test_the_total_unzipped_size_cap(catalogue, monkeypatch):
    book = tree_book(ROWS)
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(book)).infolist())
    monkeypatch.setattr(workbook, "MAX_UNZIPPED_BYTES", total - 1)
    assert "giải nén" in refusal(read_report(book, "bc.xlsx", catalogue))
    monkeypatch.setattr(workbook, "MAX_UNZIPPED_BYTES", total)
    assert read_report(book, "bc.xlsx", catalogue).ok


def test_a_sheet_declaring_too_many_rows_is_refused_by_name_before_its_cells_are_read(catalogue):
    def declare(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:H250000"/>', xml)

    book = rewrite_sheet(tree_book(ROWS), declare)
    wb = workbook.read_workbook(book, "bc.xlsx")
    assert wb.sheets == [] and wb.problems[0].sheet == "T10"
    assert "250.000 dòng" in wb.problems[0].message and "200.000" in wb.problems[0].message


def test_a_sparse_sheet_beyond_the_cell_cap_is_refused_by_name(catalogue, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CELLS", 1000)
    book = xlsx({"Rải rác": [["Thôn", *[""] * 48, "x"], *[[""]] * 40, ["An Lạc"]]})  # 42 rows × 50 columns
    message = refusal(read_report(book, "bc.xlsx", catalogue))
    assert "Rải rác" in message and "2.100 ô" in message


def test_an_xls_over_its_size_cap_is_refused(catalogue, monkeypatch):
    book = tree_book(ROWS, fmt=xls)
    monkeypatch.setattr(workbook, "MAX_OLE2_BYTES", len(book) - 1)
    assert "Excel 97-2003" in refusal(read_report(book, "bc.xls", catalogue))


# ---------------------------------------------------------------- 2. the reading process


def sparse_bomb() -> bytes:
    """5 kB that python-calamine lays out as 190.000 × 298 cells (~1,8 GB): within the row and column caps."""

    def spread(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b"", xml)
        far = b'<row r="190000"><c r="KL190000" t="inlineStr"><is><t>y</t></is></c></row></sheetData>'
        return xml.replace(b"</sheetData>", far)

    return rewrite_sheet(xlsx({"T10": [["Thôn", "Số cây"]]}), spread)


def test_a_workbook_that_would_exhaust_memory_only_ends_its_worker(store, catalogue, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CELLS", 10**9)  # let it reach the reader: the cap under test is memory
    monkeypatch.setenv("XANH_PARSE_MEMORY_MB", "400")
    assert sandbox.read_report(tree_book(ROWS), "bc.xlsx", catalogue).ok  # a warm worker, the one the bomb will get
    before = set(sandbox.worker_pids())
    out = import_file(store, catalogue, sparse_bomb(), "bom-bo-nho.xlsx")
    assert out.status == "rejected", out.errors
    assert "bộ nhớ" in out.errors[0].message and "400 MB" in out.errors[0].message, out.errors[0].message
    assert_stopped(before - set(sandbox.worker_pids()))
    monkeypatch.delenv("XANH_PARSE_MEMORY_MB")
    out = import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    assert out.status == "imported", [e.message for e in out.errors]  # the server reads on


def assert_stopped(gone: set[int]) -> None:
    """The workers that read the refused file were stopped, not left running in the background."""
    assert gone, "no worker was stopped"
    for pid in gone:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


@contextmanager
def reads_held(folder: Path) -> Iterator[Callable[[], int]]:
    """Reads begun in the block stop inside their worker until it is killed (sandbox.py's test-only hook), so that a
    test acts while a read is under way, or sees one outlast a limit, however fast or slow the machine. Yields a
    function returning the pid of the next worker inside a read. Workers still held are let go at the end."""
    fifo = folder / "inside-a-read"
    os.mkfifo(fifo)
    ours = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(sandbox.HOLD_READS_ENV, str(fifo))
            yield lambda: int(line_from(ours, 60, "a reader worker to be inside the read"))
    finally:
        os.close(ours)


def test_a_workbook_that_takes_too_long_is_stopped_and_its_worker_killed(store, catalogue, monkeypatch, tmp_path):
    assert sandbox.read_report(tree_book(ROWS), "bc.xlsx", catalogue).ok  # a warm worker
    before = set(sandbox.worker_pids())
    monkeypatch.setenv("XANH_PARSE_SECONDS", "0.5")
    with reads_held(tmp_path):  # a read that never ends by itself
        out = import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    assert out.status == "rejected" and "0,5 giây" in out.errors[0].message, [e.message for e in out.errors]
    assert_stopped(before - set(sandbox.worker_pids()))
    assert store.uploads().empty
    monkeypatch.delenv("XANH_PARSE_SECONDS")
    log = planting_log(20_000)
    out = import_file(store, catalogue, log, "nhat-ky.xlsx")  # the server reads on, a real log too
    assert out.status == "imported" and out.rows == 20_000, [e.message for e in out.errors]


def test_a_worker_crashing_in_the_native_reader_is_a_refusal(catalogue, tmp_path):
    assert sandbox.read_report(tree_book(ROWS), "bc.xlsx", catalogue).ok  # a warm worker
    result = {}
    with reads_held(tmp_path) as inside:
        reader = threading.Thread(
            target=lambda: result.update(r=sandbox.read_report(tree_book(ROWS), "bc.xlsx", catalogue))
        )
        reader.start()
        held = inside()
        os.kill(held, signal.SIGSEGV)  # what a crash of the native reader does, while the worker is inside the read
        joined(reader, 60, "the refusal after the worker crashed")
    assert "lỗi nghiêm trọng" in refusal(result["r"])
    assert held not in sandbox.worker_pids()
    assert sandbox.read_report(tree_book(ROWS), "bc.xlsx", catalogue).ok  # a new worker reads on


def test_the_report_comes_back_whole_from_a_warm_worker_process(catalogue, monkeypatch):
    book = tree_book(ROWS)
    direct = read_report(book, "bc.xlsx", catalogue)
    assert sandbox.read_report(book, "bc.xlsx", catalogue) == direct and direct.ok
    warm = set(sandbox.worker_pids())
    assert warm and os.getpid() not in warm
    # Nothing of the workbook is read in this process: its native reader would fail here.
    monkeypatch.setattr(workbook.pc.CalamineWorkbook, "from_object", lambda *a: pytest.fail("read in the server"))
    for _ in range(5):
        assert sandbox.read_report(book, "bc.xlsx", catalogue) == direct
    # A normal file pays no process start: the same warm workers read them all (the cost is in bench/ingest.py).
    assert set(sandbox.worker_pids()) == warm
