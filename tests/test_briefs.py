"""The month's Word brief: sentences worded per kind with hand-computed numbers; the .docx of the sample data opened
with python-docx against figures recomputed from the store; a snapshot's brief byte-identical after a correction;
the cli.py brief/chart/snapshot commands and their exit codes."""

from __future__ import annotations

import io
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm

from briefs import load_figures, make_brief
from briefs.sentences import behind_sentence, headline
from charts import export as chart_export
from ground import fmt
from ground.catalogue import Catalogue, load_catalogue
from indicators import STATUSES, assess
from intake.importer import import_file
from store import Store
from tests import pages_support
from tests.test_cli import run
from tests.test_importer import tree_book

MONTH = pages_support.MONTH
BEHIND = ("di_xuong", "cham", "day_nhanh")
IMAGE_TYPES = ("image/png",)


# ---------------------------------------------------------------- sentences, numbers worked out by hand


def months(values: dict[int, tuple[float, float | None]]) -> dict[str, tuple[float, float | None]]:
    return {f"2026-{m:02d}": v for m, v in values.items()}


def sentence(catalogue: Catalogue, code: str, series: dict, expect: str | None = None):
    """The brief's sentence on an indicator behind plan; with `expect`, only the sentence, once the status is
    checked to be that one; without it, (status code, sentence)."""
    a = assess(catalogue.indicator(code), catalogue, series, MONTH)
    text = behind_sentence(a, catalogue.indicator(code), catalogue)
    if expect is None:
        return a.status.code, text
    assert a.status.code == expect, (a.status.code, text)
    return text


def test_a_flow_behind_reads_its_cumulative_share_and_the_monthly_pace_needed(catalogue):
    # 500 trees a month since T1/2026: 5.000 by T10, 25% of 20.000; the plan expects 10/24 × 20.000 = 8.333 (r 0,6);
    # (20.000 − 5.000) ÷ 14 months left = 1.071,4 a month.
    text = sentence(
        catalogue, "cay_xanh_trong_moi", months({m: (500.0, None) for m in range(1, 11)}), expect="day_nhanh"
    )
    assert text == (
        "Số cây xanh trồng mới (phân tán): lũy kế từ đầu năm 2026 đến hết tháng 10/2026 đạt 5.000 cây, bằng 25% "
        "chỉ tiêu năm 2027 (20.000 cây); cần trồng bình quân 1.071 cây/tháng (bình quân 3 tháng gần đây: "
        "500 cây/tháng)."
    )


def test_a_ratio_behind_reads_its_level_and_the_points_a_month_needed(catalogue):
    # 30% in T1 rising a point a month: 39% in T10, 39/80 = 48,75% of the target; (80 − 39) ÷ 14 = 2,93 points.
    text = sentence(catalogue, "tthc_toan_trinh", months({m: (29.0 + m, 100.0) for m in range(1, 11)}), expect="cham")
    assert text == (
        "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình tháng 10/2026 đạt 39%, bằng 49% chỉ tiêu năm 2027 (80%); "
        "cần tăng bình quân 2,9 điểm %/tháng (3 tháng gần đây: tăng 1 điểm %/tháng)."
    )
    # Without T10 the level of T9 stands, and the sentence says so.
    _, text = sentence(catalogue, "tthc_toan_trinh", months({m: (29.0 + m, 100.0) for m in range(1, 10)}))
    assert text.startswith(
        "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình tháng 9/2026 (chưa có số liệu tháng 10/2026) đạt 38%"
    )


def test_a_cap_reads_as_room_left_never_as_a_target_to_reach(catalogue):
    # One burning a month: 10 of the 12 allowed to the end of 2027; the plan allows 12 × 10/24 = 5 by now;
    # (12 − 10) ÷ 14 months = 0,14 a month at most.
    text = sentence(catalogue, "dot_rac_tuy_tien", months({m: (1.0, None) for m in range(1, 11)}), expect="cham")
    assert text == (
        "Số vụ đốt rác thải, rơm rạ tùy tiện: lũy kế từ đầu năm 2026 là 10 vụ, bằng 83% mức trần 12 vụ của cả giai "
        "đoạn đến hết năm 2027 (theo lộ trình, đến nay không quá 5 vụ); từ nay đến hết năm 2027 chỉ được phát sinh "
        "thêm tối đa 0,1 vụ/tháng."
    )
    _, over = sentence(catalogue, "dot_rac_tuy_tien", months({m: (2.0, None) for m in range(1, 11)}))
    assert "đã vượt mức trần 12 vụ" in over and "cần" not in over


def test_going_backwards_names_the_starting_level(catalogue):
    series = months({1: (50.0, 100.0), **{m: (40.0, 100.0) for m in range(2, 11)}})
    text = sentence(catalogue, "rac_phan_loai", series, expect="di_xuong")
    assert "đạt 40%, bằng 57% chỉ tiêu năm 2027 (70%), kém hơn mức ban đầu 50% (tháng 1/2026)" in text


def test_the_headline_counts_and_skips_empty_statuses():
    text = headline({"dat": 2, "dung": 3, "day_nhanh": 0, "cham": 1}, MONTH, "Giai đoạn 2026 - 2027")
    assert text == (
        "Đến hết tháng 10/2026, trong 6 chỉ tiêu của Kế hoạch (đánh giá theo giai đoạn 2026 - 2027) có 2 chỉ tiêu "
        "đã đạt chỉ tiêu giai đoạn; 3 chỉ tiêu đúng tiến độ; 1 chỉ tiêu chậm tiến độ."
    )


# ---------------------------------------------------------------- the sample data's brief, checked independently


@pytest.fixture(scope="module")
def truth(sample_db):
    """Each indicator assessed from its own series as the store sums it (Store.series, indicators.assess): not
    the brief's path (Store.monthly, assess_all)."""
    base = load_catalogue()
    store = Store(sample_db, commune=base.commune.code)
    cat = store.effective_catalogue(base)
    series, status = {}, {}
    for ind in cat.indicators:
        s = store.series(ind.code)
        series[ind.code] = {
            r.period: (float(r.value), None if math.isnan(r.denominator) else float(r.denominator))
            for r in s.itertuples(index=False)
        }
        status[ind.code] = assess(ind, cat, series[ind.code], MONTH)
    return {"catalogue": cat, "store": store, "series": series, "status": status}


@pytest.fixture(scope="module")
def live_docx(sample_db):
    base = load_catalogue()
    brief = make_brief(load_figures(Store(sample_db, commune=base.commune.code), base), MONTH)
    return brief.docx


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def status_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")


def indicator_rows(doc) -> dict[str, list[str]]:
    """Indicator name → the texts of its row (sector rows, whose cells merge, left out)."""
    out: dict[str, list[str]] = {}
    for row in status_table(doc).rows[1:]:
        cells = [c.text for c in row.cells]
        if cells[1] != cells[-1]:
            assert cells[1] not in out, f"two rows for {cells[1]}"
            out[cells[1]] = cells
    return out


def section(doc, start: str, end: str) -> str:
    texts = [p.text for p in doc.paragraphs]
    i = next(n for n, t in enumerate(texts) if t.startswith(start))
    j = next(n for n, t in enumerate(texts) if t.startswith(end))
    return "\n".join(texts[i + 1 : j])


def test_the_status_table_has_one_row_per_indicator_with_the_stores_figures(live_docx, truth):
    doc = Document(io.BytesIO(live_docx))
    cat, store = truth["catalogue"], truth["store"]
    rows = indicator_rows(doc)
    assert set(rows) == {i.name for i in cat.indicators}
    assert [r[0] for r in rows.values()] == [str(n) for n in range(1, len(cat.indicators) + 1)]
    units = {u.code: u.name for u in cat.units}
    monthly = store.commune_monthly()
    for ind in cat.indicators:
        cells, a = rows[ind.name], truth["status"][ind.code]
        assert STATUSES[a.status.code].label in cells[5], ind.code
        assert cells[6] == units[ind.responsible]
        mine = monthly[monthly["indicator"] == ind.code]
        if ind.kind == "ratio":
            now = mine[mine["period"] == MONTH]
            share = now["value"].sum() / now["denominator"].sum() * 100
            assert cells[2] == fmt.percent(share, 1), ind.code
        elif ind.kind == "flow":
            total = mine[(mine["period"] >= "2026-01") & (mine["period"] <= MONTH)]["value"].sum()
            assert cells[2] == f"{fmt.number(total, 0)} {ind.unit}\n(lũy kế)", ind.code
        if a.target is not None and ind.direction != "none":
            assert cells[4] == fmt.percent(a.actual / a.target * 100, 1), ind.code
            assert cells[3].startswith(fmt.number(a.target, 0) if a.target >= 1000 else fmt.number(a.target))
        else:
            assert cells[3] == cells[4] == fmt.MISSING


def test_counts_month_header_block_and_format(live_docx, truth):
    doc = Document(io.BytesIO(live_docx))
    text = all_text(doc)
    assert "BÁO CÁO" in text and "Tiến độ thực hiện Kế hoạch chuyển đổi xanh tháng 10/2026" in text
    head = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert head[0].startswith("UBND XÃ AN PHÚ\nVĂN PHÒNG HĐND VÀ UBND")
    assert head[1].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert head[2] == "Số:        /BC-UBND"
    assert re.fullmatch(r"An Phú, ngày \d\d tháng \d\d năm 20\d\d", head[3])
    # A live brief says its figures are live: "chốt" (frozen) is for a snapshot's brief only.
    assert re.search(r"\(Số liệu hiện tại, cập nhật đến ngày \d\d/\d\d/20\d\d\)", text)
    assert "Số liệu chốt" not in text
    counts = next(t for t in doc.tables if t.rows[0].cells[0].text == "Đánh giá")
    shown = {r.cells[0].text.split(" ", 1)[1]: int(r.cells[1].text) for r in counts.rows[1:-1]}
    expected = {}
    for a in truth["status"].values():
        expected[a.status.label] = expected.get(a.status.label, 0) + 1
    assert {k: v for k, v in shown.items() if v} == expected
    assert counts.rows[-1].cells[1].text == str(len(truth["status"]))
    # A4, margins 2 cm / 3 cm left, Times New Roman 13 pt, the table header repeated on every page.
    s = doc.sections[0]
    sizes = (s.page_width, s.page_height, s.left_margin, s.right_margin, s.top_margin, s.bottom_margin)
    assert [round(x.cm, 1) for x in sizes] == [21.0, 29.7, 3.0, 2.0, 2.0, 2.0]
    normal = doc.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 13)
    assert status_table(doc).rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert "Nơi nhận:" in text and "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" in text
    assert "số liệu hiện tại" in section(doc, "VI.", "Trên đây")


def test_one_chart_per_sector_each_wide_enough_and_captioned(live_docx, truth):
    doc = Document(io.BytesIO(live_docx))
    images = [p for p in doc.part.related_parts.values() if p.content_type in IMAGE_TYPES]
    sectors = {i.sector for i in truth["catalogue"].indicators if i.direction != "none"}
    assert len(images) == len(doc.inline_shapes) == len(sectors) >= 3
    for part in images:
        assert chart_export.png_size(part.blob)[0] >= 1200
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Hình ")]
    names = {s.name for s in truth["catalogue"].sectors if s.code in sectors}
    assert len(captions) == len(images) and all(any(f"“{n}”" in c for n in names) for c in captions)
    assert all(shape.width <= Cm(16) + 1 for shape in doc.inline_shapes)


def test_every_indicator_behind_gets_a_sentence_with_its_numbers(live_docx, truth):
    doc = Document(io.BytesIO(live_docx))
    text = section(doc, "IV.", "V.")
    behind = [a for a in truth["status"].values() if a.status.code in BEHIND]
    assert behind, "the sample data has indicators behind"
    paragraphs = [p for p in text.split("\n") if p.startswith("- ")]
    assert len(paragraphs) == len(behind)
    cat = truth["catalogue"]
    for a in behind:
        ind = cat.indicator(a.indicator)
        line = next(p for p in paragraphs if ind.name in p)
        assert line.startswith(f"- {a.status.label}: ")
        pct = fmt.percent(a.actual / a.target * 100, 0)
        if a.method == "down_cap":
            assert (
                f"là {fmt.number(a.actual)} {ind.unit}, bằng {pct} mức trần {fmt.number(a.target)} {ind.unit}" in line
            )
            assert f"tối đa {fmt.number(a.required_pace, 1, trim=True)} {ind.unit}/tháng" in line
        elif ind.kind == "ratio":
            assert f"đạt {fmt.percent(a.actual, 1)}, bằng {pct} chỉ tiêu năm 2027" in line
            assert f"cần tăng bình quân {fmt.points(a.required_pace)}/tháng" in line
        else:
            assert f"đạt {fmt.number(a.actual)} {ind.unit}, bằng {pct} chỉ tiêu năm 2027" in line
            pace = a.required_pace
            assert f"bình quân {fmt.number(pace, 1 if pace < 100 else 0, trim=True)} {ind.unit}/tháng" in line
    # Công an xã sent nothing for T10/2026 in the sample data.
    assert "Công an xã" in section(doc, "V.", "VI.")


# ---------------------------------------------------------------- a snapshot's brief never changes


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copy(wal, dst.with_name(dst.name + ".wal"))
    return dst


def test_a_snapshot_brief_is_identical_after_a_correction_while_the_live_one_moves(sample_db, tmp_path, catalogue):
    store = Store(copy_db(sample_db, tmp_path / "copy.duckdb"), commune=catalogue.commune.code)
    sid = store.freeze("Họp giao ban tháng 11", None, "quantri", catalogue=catalogue)
    before = make_brief(load_figures(store, catalogue, sid), MONTH).docx
    trees_before = store.series("cay_xanh_trong_moi")
    out = import_file(store, catalogue, tree_book({"Thôn An Lạc": [900, 0, 0, 0]}), "BC trong cay T10 sua.xlsx")
    assert out.status == "imported", [e.message for e in out.errors]
    after = make_brief(load_figures(store, catalogue, sid), MONTH).docx
    assert after == before  # byte for byte: text, tables, images, properties
    live = Document(io.BytesIO(make_brief(load_figures(store, catalogue), MONTH).docx))
    frozen = Document(io.BytesIO(after))
    name = catalogue.indicator("cay_xanh_trong_moi").name
    trees_after = store.series("cay_xanh_trong_moi")
    cumulative = trees_after[trees_after["period"] <= MONTH]["value"].sum()
    assert cumulative != trees_before[trees_before["period"] <= MONTH]["value"].sum()
    assert indicator_rows(live)[name][2].startswith(f"{fmt.number(cumulative, 0)} cây")
    assert indicator_rows(frozen)[name][2] != indicator_rows(live)[name][2]
    assert "Họp giao ban tháng 11" in section(frozen, "VI.", "Trên đây")


# ---------------------------------------------------------------- cli.py


def test_cli_brief_chart_and_snapshot_exit_codes(sample_db, tmp_path, capsys):
    db = str(copy_db(sample_db, tmp_path / "copy.duckdb"))
    docx, png = tmp_path / "bc.docx", tmp_path / "cay.png"
    code, out, _ = run(capsys, "brief", "--period", MONTH, "--db", db, "--out", str(docx))
    assert code == 0 and "tháng 10/2026" in out
    assert len(indicator_rows(Document(str(docx)))) == len(load_catalogue().indicators)
    assert run(capsys, "brief", "--period", "2026-12", "--db", db, "--out", str(docx))[0] == 1  # no figures
    assert run(capsys, "brief", "--period", "2026-13", "--db", db, "--out", str(docx))[0] == 2
    assert run(capsys, "brief", "--period", MONTH, "--db", db, "--out", str(tmp_path / "bc.pdf"))[0] == 2
    assert run(capsys, "brief", "--period", MONTH, "--snapshot", "99", "--db", db, "--out", str(docx))[0] == 2
    code, _, err = run(capsys, "brief", "--period", MONTH, "--db", db, "--out", str(tmp_path / "khong" / "bc.docx"))
    assert code == 1 and "thư mục" in err

    code, out, _ = run(capsys, "chart", "cay_xanh_trong_moi", "--period", MONTH, "--thon", "dong ha", "--db", db,
                       "--out", str(png))  # fmt: skip
    assert code == 0 and "Thôn Đông Hà" in out and chart_export.png_size(png.read_bytes())[0] >= 1200
    code, _, err = run(capsys, "chart", "tthc_toan_trinh", "--period", MONTH, "--thon", "dong ha", "--db", db,
                       "--out", str(png))  # fmt: skip
    assert code == 1 and "không được báo cáo theo từng thôn" in err
    assert run(capsys, "chart", "khong_co", "--period", MONTH, "--db", db, "--out", str(png))[0] == 2
    assert run(capsys, "chart", "cay_xanh_trong_moi", "--period", MONTH, "--thon", "Thôn Không Có", "--db", db,
               "--out", str(png))[0] == 2  # fmt: skip

    assert run(capsys, "snapshot", "create", "--name", " ", "--db", db)[0] == 2
    assert run(capsys, "snapshot", "create", "--name", "Họp", "--as-of", "31/12/2999", "--db", db)[0] == 2
    assert run(capsys, "snapshot", "create", "--name", "Họp", "--as-of", "1/1/2000", "--db", db)[0] == 1
    assert run(capsys, "snapshot", "create", "--name", "Họp", "--as-of", "2000-13-01", "--db", db)[0] == 2
    code, out, _ = run(capsys, "snapshot", "create", "--name", "Họp giao ban tháng 11", "--json", "--db", db)
    made = json.loads(out)
    assert code == 0 and made["name"] == "Họp giao ban tháng 11" and made["rows"] > 0
    code, out, _ = run(capsys, "snapshot", "list", "--json", "--db", db)
    assert code == 0 and [s["id"] for s in json.loads(out)] == [made["id"]]
    code, out, _ = run(capsys, "brief", "--period", MONTH, "--snapshot", str(made["id"]), "--db", db, "--out",
                       str(docx))  # fmt: skip
    assert code == 0 and "Họp giao ban tháng 11" in out
