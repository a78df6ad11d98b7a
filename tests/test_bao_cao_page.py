"""The /bao-cao page and snapshot views through Streamlit's AppTest on a copy of the sample data: the brief built and
offered for download, an admin freezing figures, `?snapshot=ID` showing the frozen figures after a correction
with its banner, the way back to the live figures, and the live view naming what changed."""

from __future__ import annotations

import io
import re

import pytest
from argon2 import PasswordHasher
from docx import Document
from streamlit.testing.v1 import AppTest

from ground import auth
from ground.catalogue import load_catalogue
from intake.importer import import_file
from store import Store
from tests.pages_support import MONTH, app_on, table_with
from tests.pages_support import texts as page_texts
from tests.test_briefs import copy_db
from tests.test_importer import tree_book

TREES = "cay_xanh_trong_moi"


@pytest.fixture
def db(sample_db, tmp_path, monkeypatch) -> Store:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    path = copy_db(sample_db, tmp_path / "xanh.duckdb")
    monkeypatch.setenv("XANH_DB", str(path))
    store = Store(path, commune=load_catalogue().commune.code)
    store.add_user("quantri", "admin", [], auth.hash_password("mat-khau-qt"), who="cli")
    return store


def plain(text: str) -> str:
    """Markdown as a reader sees it: no escapes, no bold markers."""
    return re.sub(r"\\(.)", r"\1", text.replace("**", ""))


def cumulative(frame) -> float:
    return float(frame[frame["period"] <= MONTH]["value"].sum())


def shown_trees(at: AppTest) -> float:
    table = table_with(at, "Mã").value.set_index("Mã")
    return float(table.loc[TREES, "Thực hiện"])


def test_a_visitor_builds_the_brief_and_downloads_it_but_cannot_freeze(db):
    at = app_on("app_pages/bao_cao.py")
    assert plain(at.header[0].value) == "Báo cáo"
    assert [s.label for s in at.selectbox][:2] == ["Nguồn số liệu", "Tháng báo cáo"]
    assert at.selectbox[1].value == MONTH
    at.button(key="bao_cao_lap").click().run()
    assert not at.exception
    cat = load_catalogue()
    done = plain(at.success[0].value)
    assert f"tháng 10/2026 từ số liệu hiện tại: {len(cat.indicators)} chỉ tiêu" in done
    assert next(b.proto.label for b in at.get("download_button")) == "Tải báo cáo (.docx)"
    # What the button downloads: the brief the page built, a Word document of the month.
    built = list(at.session_state["bao_cao_built"].values())
    assert len(built) == 1
    doc = Document(io.BytesIO(built[0].docx))
    assert any(p.text == "Tiến độ thực hiện Kế hoạch chuyển đổi xanh tháng 10/2026" for p in doc.paragraphs)
    assert "Chỉ quản trị viên chốt được số liệu" in page_texts(at)
    assert not at.text_input  # no freeze form for a visitor


def test_an_admin_freezes_and_the_snapshot_view_keeps_the_frozen_figures_after_a_correction(db):
    at = app_on("app_pages/bao_cao.py", user="quantri")
    at.text_input[0].input("Họp giao ban tháng 11")
    next(b for b in at.button if b.label == "Chốt số liệu").click().run()
    assert not at.exception, [e.value for e in at.exception]
    listed = db.snapshots()
    assert list(listed["name"]) == ["Họp giao ban tháng 11"] and list(listed["created_by"]) == ["quantri"]
    sid = int(listed["id"].iloc[0])
    assert any(f"(mã {sid})" in plain(m.value) for m in at.success), [m.value for m in at.success]
    # The snapshot just frozen is a source of the brief at once, without reloading the page.
    assert any("Họp giao ban tháng 11" in str(o) for o in at.selectbox(key="bao_cao_nguon").options)
    frozen_trees = cumulative(db.snapshot_series(sid, TREES))

    catalogue = load_catalogue()
    import_file(db, catalogue, tree_book({"Thôn An Lạc": [900, 0, 0, 0]}), "BC trong cay T10 sua.xlsx")
    live_trees = cumulative(db.series(TREES))
    assert live_trees != frozen_trees

    # A link to the snapshot opens the overview on the frozen figures, with the banner naming it.
    at = app_on("app_pages/tong_quan.py", snapshot=str(sid))
    body = plain(page_texts(at))
    assert "Đang xem số liệu đã chốt: Họp giao ban tháng 11" in body
    assert shown_trees(at) == pytest.approx(frozen_trees)
    # The choice survives a page switch (which drops the URL's parameters) …
    at.switch_page("app_pages/chi_tieu.py").run()
    assert "Đang xem số liệu đã chốt" in plain(page_texts(at)) and at.query_params["snapshot"] == str(sid)
    # … and the button goes back to the live figures.
    at.switch_page("app_pages/tong_quan.py").run()
    at.button(key="frozen_back").click().run()
    assert not at.exception
    assert "Đang xem số liệu đã chốt" not in plain(page_texts(at))
    assert shown_trees(at) == pytest.approx(live_trees)
    # The live view says which indicator changed since the snapshot.
    short = catalogue.indicator(TREES).short
    assert any(short in plain(c.value) and "Họp giao ban tháng 11" in plain(c.value) for c in at.sidebar.caption)


def test_the_brief_from_a_snapshot_is_built_on_the_page_and_the_changes_are_listed(db):
    catalogue = load_catalogue()
    sid = db.freeze("Họp giao ban tháng 11", None, "quantri", catalogue=catalogue)
    import_file(db, catalogue, tree_book({"Thôn An Lạc": [900, 0, 0, 0]}), "BC trong cay T10 sua.xlsx")
    at = app_on("app_pages/bao_cao.py", snapshot=str(sid))
    assert at.selectbox[0].value == sid  # the snapshot being viewed is the brief's default source
    at.button(key="bao_cao_lap").click().run()
    assert "từ số liệu đã chốt “Họp giao ban tháng 11”" in plain(at.success[0].value)
    # Back in the live view the page lists the figure that changed since the snapshot.
    at.button(key="frozen_back").click().run()
    changes = table_with(at, "Số liệu đã chốt").value
    row = changes[changes["Chỉ tiêu"] == catalogue.indicator(TREES).short]
    frozen_month = db.snapshot_series(sid, TREES)
    live_month = db.series(TREES)
    assert list(row["Tháng"]) == ["T10/2026"]
    assert row["Số liệu đã chốt"].iloc[0] == pytest.approx(frozen_month.set_index("period").loc[MONTH, "value"])
    assert row["Số liệu hiện tại"].iloc[0] == pytest.approx(live_month.set_index("period").loc[MONTH, "value"])


def test_an_unknown_snapshot_falls_back_to_the_live_figures_and_says_so(db):
    at = app_on("app_pages/tong_quan.py", snapshot="404")
    body = plain(page_texts(at))
    assert "Không có lần chốt số liệu mã “404”; đang hiển thị số liệu hiện tại." in body
    assert "Đang xem số liệu đã chốt" not in body
    assert shown_trees(at) == pytest.approx(cumulative(db.series(TREES)))
