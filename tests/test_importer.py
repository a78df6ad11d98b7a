"""Importing real workbooks end to end: read, check, store all-or-nothing, and say what happened in Vietnamese."""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from intake import importer
from intake.importer import ImportOutcome, display_name, import_file
from loaders.model import Observation, Report
from store import Store
from store.writes import Writes
from tests.workbooks import report_sheet, xls, xlsx

FIGURE_TABLES = ("files", "uploads", "observations", "register_items", "current_reports")
TREE_HEADER = [
    ["STT", "Thôn", "Địa điểm trồng", "", "", "", "Tổng số\n(cây)", "Ghi chú"],
    ["", "", "Khu công cộng", "Trường học", "Nhà văn hóa", "Tuyến đường", "", ""],
]
TREE_MERGES = ["A1:A2", "B1:B2", "C1:F1", "G1:G2", "H1:H2"]
TTHC_HEADER = [["STT", "Lĩnh vực", "Tổng số hồ sơ tiếp nhận", "Trực tuyến", "Tỷ lệ trực tuyến (%)"]]


def tree_book(rows: dict[str, list[int]], period: str | None = "Tháng 10 năm 2026", fmt=xlsx, sheet="T10") -> bytes:
    data = [[i + 1, name, *places, sum(places), ""] for i, (name, places) in enumerate(rows.items())]
    data.append(["", "Tổng cộng", *(sum(c) for c in zip(*rows.values(), strict=True)), sum(map(sum, rows.values()))])
    spec = report_sheet(
        TREE_HEADER, data, header_merges=TREE_MERGES, title="BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH", period=period
    )
    return fmt({sheet: spec})


def tthc_book(rows: dict[str, tuple[int, int]]) -> bytes:
    # The percent column is what people read: deliberately the rounded row share, never used for the total.
    data = [
        [i + 1, f, total, online, round(online / total * 100)] for i, (f, (total, online)) in enumerate(rows.items())
    ]
    spec = report_sheet(
        TTHC_HEADER,
        data,
        unit="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
        title="BÁO CÁO TÌNH HÌNH GIẢI QUYẾT TTHC",
        period="Kỳ báo cáo: tháng 10/2026",
    )
    return xlsx({"TTHC": spec})


def dump(path: Path, tables=FIGURE_TABLES) -> dict[str, list]:
    with duckdb.connect(str(path)) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path, commune="an-phu")


def village_figures(store: Store) -> dict[str, float]:
    frame = store.village_monthly()
    return dict(zip(frame["village"], frame["value"], strict=True))


ROWS = {"Thôn An Lạc": [10, 20, 0, 5], "thon dong ha": [1, 0, 3, 0], "LAI VU": [0, 0, 0, 7]}


def test_a_real_workbook_lands_with_every_row_traceable(store, catalogue):
    out = import_file(store, catalogue, tree_book(ROWS), "C:\\Users\\ke toan\\BC trong cay T10.xlsx", user="pkt")
    assert out.status == "imported" and out.errors == [], [e.message for e in out.errors]
    assert (out.kind, out.unit, out.periods) == ("trong_cay", "phong-kinh-te", ["2026-10"])
    assert village_figures(store) == {"an-lac": 35, "dong-ha": 4, "lai-vu": 7}
    commune = store.commune_monthly()
    assert list(commune["value"]) == [sum(map(sum, ROWS.values()))]  # the totals row is not counted twice
    rows = store.observations("cay_xanh_trong_moi", "2026-10", "an-lac")
    assert set(rows["file_name"]) == {"BC trong cay T10.xlsx"} and set(rows["sheet"]) == {"T10"}
    assert out.rows == len(store.observations("cay_xanh_trong_moi")) > 0
    hist = store.uploads().iloc[0]
    assert (hist["uploaded_by"], hist["file_name"], hist["status"]) == ("pkt", "BC trong cay T10.xlsx", "current")
    assert str(hist["signed_on"])[:10] == "2026-11-05"
    assert out.as_json() == {
        "file": "BC trong cay T10.xlsx",
        "status": "imported",
        "kind": "trong_cay",
        "unit": "phong-kinh-te",
        "periods": ["2026-10"],
        "rows": out.rows,
        "errors": [],
        "warnings": [],
    }


def test_same_file_again_then_a_correction_then_the_old_bytes(store, catalogue):
    first = tree_book(ROWS)
    a = import_file(store, catalogue, first, "bc.xlsx")
    b = import_file(store, catalogue, first, "bc (1).xlsx")
    assert (b.status, b.upload_id, b.changes) == ("unchanged", a.upload_id, [])
    fixed_rows = {**ROWS, "LAI VU": [0, 0, 0, 9]}
    c = import_file(store, catalogue, tree_book(fixed_rows), "bc sua.xlsx")
    assert c.status == "imported" and c.replaced == [a.upload_id], [e.message for e in c.errors]
    changed = {(ch.village, ch.dim_value): (ch.old_value, ch.new_value) for ch in c.changes}
    assert changed == {("lai-vu", "tuyen-duong"): (7, 9)}
    assert village_figures(store)["lai-vu"] == 9
    d = import_file(store, catalogue, first, "bc.xlsx")
    assert (d.status, d.upload_id, d.replaced) == ("imported", a.upload_id, [c.upload_id])
    assert village_figures(store)["lai-vu"] == 7


def test_a_dry_run_previews_old_and_new_without_writing(store, catalogue, tmp_path):
    import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    before, version = dump(store.path, (*FIGURE_TABLES, "audit_log")), store.data_version()
    out = import_file(store, catalogue, tree_book({**ROWS, "Thôn An Lạc": [10, 25, 0, 5]}), "x.xlsx", dry_run=True)
    assert out.status == "imported" and out.upload_id is None and out.dry_run
    assert [(c.village, c.old_value, c.new_value) for c in out.changes] == [("an-lac", 20, 25)]
    assert dump(store.path, (*FIGURE_TABLES, "audit_log")) == before and store.data_version() == version
    bad = import_file(store, catalogue, b"not a workbook", "x.xlsx", dry_run=True)
    assert bad.status == "rejected" and dump(store.path, (*FIGURE_TABLES, "audit_log")) == before


def test_a_refused_file_leaves_the_figures_byte_for_byte_unchanged(store, catalogue):
    import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    before = dump(store.path)
    out = import_file(store, catalogue, tree_book({**ROWS, "Thôn Hà Nội": [1, 1, 1, 1]}), "sai.xlsx", user="pkt")
    assert out.status == "rejected" and out.rows == 0
    assert any(e.sheet == "T10" and e.row and e.column == "B" and "Hà Nội" in e.message for e in out.errors)
    assert out.as_json()["errors"][0].keys() == {"sheet", "row", "column", "message"}
    assert dump(store.path) == before
    line = store.audit().iloc[0]
    assert (line["action"], line["file_name"], line["who"]) == ("reject", "sai.xlsx", "pkt")


@pytest.mark.parametrize("data", [b"", b"STT,Thon,So cay\n1,An Lac,5\n", b"PK\x03\x04broken zip"])
def test_what_is_not_a_report_is_refused_in_vietnamese(store, catalogue, data):
    out = import_file(store, catalogue, data, "bc.xlsx")
    assert out.status == "rejected" and out.errors
    assert all("Traceback" not in e.message and e.message[0].isupper() for e in out.errors)
    assert store.monthly().empty


def test_an_exception_while_reading_becomes_a_refusal_and_a_log_line(store, catalogue, monkeypatch, caplog):
    def broken(*a, **kw):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(importer, "read_report", broken)
    with caplog.at_level(logging.ERROR, logger="importer"):
        out = import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    assert out.status == "rejected" and "Lỗi không mong đợi khi đọc tệp" in out.errors[0].message
    assert "ZeroDivisionError" in caplog.text  # the traceback is for developers, in the log only
    assert "ZeroDivisionError" not in out.errors[0].message


def test_a_failure_while_storing_rolls_the_whole_file_back(store, catalogue, monkeypatch):
    import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    before = dump(store.path, (*FIGURE_TABLES, "audit_log"))

    def boom(self, con, upload_id):
        raise OSError("disk full")

    monkeypatch.setattr(Writes, "_make_current", boom)
    out = import_file(store, catalogue, tree_book({**ROWS, "LAI VU": [1, 1, 1, 1]}), "bc2.xlsx")
    assert out.status == "rejected" and "chưa có số liệu nào" in out.errors[0].message
    assert dump(store.path, (*FIGURE_TABLES, "audit_log")) == before


def test_bounds_the_store_never_holds(store, catalogue, monkeypatch):
    report = Report(
        kind="trong_cay",
        unit="phong-kinh-te",
        periods=["2026-10"],
        observations=[
            Observation("cay_xanh_trong_moi", "2026-10", -3, None, "an-lac", ("", ""), "T10", 9),
            Observation("khong_co", "2026-10", 1, None, "an-lac", ("", ""), "T10", 10),
            Observation("cay_xanh_trong_moi", "2026-10", 1, None, "ha-noi", ("", ""), "T10", 11),
        ],
    )
    monkeypatch.setattr(importer, "read_report", lambda *a, **kw: report)
    out = import_file(store, catalogue, b"x", "bc.xlsx")
    assert out.status == "rejected"
    assert [(e.row, e.message.split()[0]) for e in out.errors] == [(9, "Số"), (10, "Chỉ"), (11, "Thôn")]
    assert store.monthly().empty and store.uploads().empty


def test_ratio_figures_pool_counts_not_row_percentages(store, catalogue):
    rows = {"Hộ tịch": (100, 90), "Đất đai": (10, 1), "Chứng thực": (40, 10)}
    out = import_file(store, catalogue, tthc_book(rows), "tthc.xls")
    assert out.status == "imported", out.errors
    got = store.commune_monthly().set_index("indicator").loc["tthc_truc_tuyen"]
    assert (got["value"], got["denominator"]) == (sum(o for _, o in rows.values()), sum(t for t, _ in rows.values()))


def test_a_legacy_xls_imports_like_an_xlsx(store, catalogue):
    out = import_file(store, catalogue, tree_book(ROWS, fmt=xls), "bc.xls")
    assert out.status == "imported", out.errors
    assert village_figures(store) == {"an-lac": 35, "dong-ha": 4, "lai-vu": 7}


def test_display_name_never_keeps_a_folder():
    assert display_name("/home/a/BC T10.xlsx") == "BC T10.xlsx"
    assert display_name("C:\\Bao cao\\BC.xls") == "BC.xls"
    assert display_name("") == "tệp không tên"
    assert ImportOutcome("a", "unchanged").status_vi == "không đổi"


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        RuntimeError('IO Error: Could not write file "x.wal": disk is full'),
    ],
)
def test_a_full_disk_is_named_as_such_and_nothing_is_written(store, catalogue, monkeypatch, failure):
    import_file(store, catalogue, tree_book(ROWS), "bc.xlsx")
    before = dump(store.path, (*FIGURE_TABLES, "audit_log"))

    def full(self, con, upload_id):
        raise failure

    monkeypatch.setattr(Writes, "_make_current", full)
    out = import_file(store, catalogue, tree_book({**ROWS, "LAI VU": [1, 1, 1, 1]}), "bc2.xlsx")
    message = out.errors[0].message
    assert out.status == "rejected" and "đã đầy" in message and "quản trị viên" in message
    assert "Hãy thử lại" not in message  # retrying cannot help until there is room
    assert dump(store.path, (*FIGURE_TABLES, "audit_log")) == before


def test_the_admin_page_warns_of_a_nearly_full_disk(monkeypatch):
    from collections import namedtuple

    from app_pages import quan_tri

    usage = namedtuple("usage", "total used free")
    shown = []
    monkeypatch.setattr(quan_tri.shutil, "disk_usage", lambda p: usage(10**10, 10**10 - 50 * 2**20, 50 * 2**20))
    monkeypatch.setattr(quan_tri.st, "error", lambda text, **kw: shown.append(text))
    quan_tri._disk_warning(SimpleNamespace(path=Path("/tmp/x.duckdb")))
    assert shown and "50 MB" in shown[0]
