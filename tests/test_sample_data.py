"""The sample data generator: deterministic, readable files, and a ground truth that matches what the sheets say."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ground.text import fold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_sample_data  # noqa: E402
import sample_sheets  # noqa: E402


@pytest.fixture(scope="module")
def sample(tmp_path_factory, catalogue) -> Path:
    out = tmp_path_factory.mktemp("sample") / "sample_data"
    make_sample_data.generate(out, catalogue)
    return out


@pytest.fixture(scope="module")
def expected(sample) -> dict:
    return json.loads((sample / "expected.json").read_text(encoding="utf-8"))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".xlsx", ".xlsm", ".xls"))


def _rows(path: Path, sheet: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _number(cell) -> float | None:
    """Read a cell the way a person would: numbers, or Vietnamese text such as "1.250" and "27,5"."""
    if isinstance(cell, bool) or cell in ("", None):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().removesuffix("đ").strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return None


def test_the_cli_rewrites_the_folder_with_the_same_bytes(tmp_path, sample):
    out = tmp_path / "again"
    (out / "stale").mkdir(parents=True)
    (out / "stale" / "old.xlsx").write_bytes(b"old")
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_sample_data.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert not (out / "stale").exists()
    first = {p.relative_to(sample): p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    second = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    changed = [str(k) for k in first if first[k] != second[k]]
    assert changed == []


def test_every_file_opens_with_calamine_and_has_data(sample):
    files = _files(sample)
    assert 60 <= len(files) <= 130
    for path in [*files, *_files(sample / "mau-bieu")]:
        wb = CalamineWorkbook.from_path(str(path))
        visible = [m.name for m in wb.sheets_metadata if str(m.visible).endswith("Visible")]
        assert visible, path.name
        for name in visible:
            rows = wb.get_sheet_by_name(name).to_python()
            assert len(rows) >= 6, (path.name, name)
    size = sum(p.stat().st_size for p in sample.rglob("*") if p.is_file())
    assert size < 2_000_000


def test_the_folder_has_the_traits_of_real_sheets(sample):
    names = [p.name for p in _files(sample)]
    assert any(n.endswith(".xls") for n in names)
    xlsm = next(sample / n for n in names if n.endswith(".xlsm"))
    with __import__("zipfile").ZipFile(xlsm) as z:
        assert b"macroEnabled" in z.read("[Content_Types].xml")
    quarter = CalamineWorkbook.from_path(str(sample / "Trong cay xanh quy III.2026.xlsx"))
    assert [(m.name, str(m.visible).rsplit(".", 1)[-1]) for m in quarter.sheets_metadata] == [
        ("T7", "Visible"),
        ("T8", "Visible"),
        ("T9", "Visible"),
        ("Mẫu", "Hidden"),
    ]
    texts = defaultdict(set)
    for path in _files(sample):
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            for row in wb.get_sheet_by_name(name).to_python():
                for cell in row:
                    if isinstance(cell, str) and cell:
                        texts[path.name].add(cell)
    every = set().union(*texts.values())
    assert any(re.fullmatch(r"\d{2}/\d{2}/2026", t) for t in every)  # day-first text dates
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", t) for t in every)  # "1.250"
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+ đ", t) for t in every)  # money as text
    assert any(t != unicodedata.normalize("NFC", t) for t in every)  # decomposed Unicode
    assert any(t.isascii() and t.strip().lower().startswith("thon ") for t in every)  # no accents
    for spelling in ("THÁNG 10 NĂM 2026", "Kỳ báo cáo: tháng", "T5-2026", "(tháng 3/2026)", "Tính đến ngày 31/10/2026"):
        assert any(spelling in t for t in every), spelling
    for word in ("Tổng cộng", "Cộng", "NGƯỜI LẬP BIỂU", "(1)", "(3)", "I", "II"):
        assert word in every, word
    # The month of BC_T10_2026.xlsx is in its file name only; its sheet names November as the signing month.
    only = " ".join(texts["BC_T10_2026.xlsx"])
    assert "10/2026" not in only and "THÁNG 10" not in only.upper() and "tháng 11 năm 2026" in only


def test_expected_covers_every_indicator_with_a_target_for_each_month(expected, catalogue):
    commune = {(r["indicator"], r["period"]): r for r in expected["observations"] if r["village"] is None}
    periods = [f"2026-{m:02d}" for m in range(1, 11)]
    assert expected["periods"] == periods
    for ind in catalogue.indicators:
        if not ind.targets:
            continue
        for p in periods:
            assert (ind.code, p) in commune, (ind.code, p)
            row = commune[(ind.code, p)]
            if ind.kind == "ratio" and row["numerator"] is not None:
                assert row["denominator"] > 0 and 0 <= row["numerator"] <= row["denominator"], row
    # Village rows add up to the commune row.
    sums = defaultdict(float)
    for r in expected["observations"]:
        if r["village"] is not None:
            sums[(r["indicator"], r["period"])] += r["numerator"]
    for key, total in sums.items():
        assert total == pytest.approx(commune[key]["numerator"]), key


def test_the_missing_report_is_missing_everywhere(sample, expected, catalogue):
    assert expected["missing_reports"] == [{"unit": "cong-an", "kind": "bang_thang", "period": "2026-10"}]
    keys = {(r["unit"], r["kind"], r["period"]) for r in expected["reports"]}
    assert ("cong-an", "bang_thang", "2026-09") in keys and ("cong-an", "bang_thang", "2026-10") not in keys
    for ind in catalogue.indicators:
        if ind.responsible == "cong-an":
            row = next(
                r
                for r in expected["observations"]
                if r["indicator"] == ind.code and r["period"] == "2026-10" and r["village"] is None
            )
            assert row["numerator"] is None
    assert not [p for p in _files(sample) if "CA xa" in p.name and "10-2026" in p.name]


def test_reports_name_their_sheet_and_are_signed_the_month_after(sample, expected):
    late = 0
    for r in expected["reports"]:
        signed = date.fromisoformat(r["signed_on"])
        year, month = map(int, r["period"].split("-"))
        assert (signed.year, signed.month) == ((year, month + 1) if month < 12 else (year + 1, 1))
        late += signed.day > 9
        rows = _rows(sample / r["file"], r["sheets"][0])
        line = sample_sheets.date_line(signed)
        assert any(line in str(c) for row in rows[:5] for c in row), (r["file"], line)
    assert 3 <= late <= len(expected["reports"]) // 5
    units = {r["unit"] for r in expected["reports"]}
    assert units == {"van-phong", "phong-vhxh", "phong-kinh-te", "cong-an", "quan-su", "ttpvhcc", "mttq"} | {
        "ttdvsnc",
        "truong-hoc",
        "tram-y-te",
        "thon",
    }


def test_tree_sheets_add_up_to_the_expected_trees(sample, expected):
    """An independent reading of every tree sheet (wide and log) agrees with expected.json."""
    wanted = {
        r["period"]: r["numerator"]
        for r in expected["observations"]
        if r["indicator"] == "cay_xanh_trong_moi" and r["village"] is None
    }
    found = {}
    for r in expected["reports"]:
        if r["kind"] != "trong_cay":
            continue
        rows = _rows(sample / r["file"], r["sheets"][0])
        header = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
        heads = [fold(c) for c in rows[header]]
        subs = [fold(c) for c in rows[header + 1]]
        if "so luong (cay)" in heads:
            cols = [heads.index("so luong (cay)")]
        else:
            cols = [subs.index(fold(p)) for p in ("Khu công cộng", "Trường học", "Nhà văn hóa", "Tuyến đường")]
        total = 0.0
        for row in rows[header + 1 :]:
            if isinstance(row[0], int | float) and not isinstance(row[0], bool):
                total += sum(_number(row[c]) or 0 for c in cols)
        found[r["period"]] = total
    assert found == wanted


def test_procedure_sheets_agree_with_expected(sample, expected):
    wanted = {
        r["period"]: (r["numerator"], r["denominator"])
        for r in expected["observations"]
        if r["indicator"] == "tthc_truc_tuyen" and r["village"] is None
    }
    for r in expected["reports"]:
        if r["kind"] != "thu_tuc_hanh_chinh":
            continue
        rows = _rows(sample / r["file"], r["sheets"][0])
        fields = [row for row in rows if isinstance(row[0], float) and isinstance(row[1], str) and row[1]]
        received = sum(_number(row[2]) for row in fields)
        online = sum(_number(row[3]) for row in fields)
        assert (online, received) == wanted[r["period"]], r["file"]


def test_register_lists_items_issued_by_the_month_end(sample, expected):
    for r in expected["reports"]:
        if r["kind"] != "ocop_vietgap":
            continue
        rows = _rows(sample / r["file"], r["sheets"][0])
        listed = [row for row in rows if isinstance(row[0], float) and row[4]]
        end = max(
            date.fromisoformat(f"{r['period']}-{d:02d}") for d in range(28, 32) if _is_date(f"{r['period']}-{d:02d}")
        )
        items = [e for e in expected["register"] if date.fromisoformat(e["issued"]) <= end]
        assert len(listed) == len(items), r["file"]
        valid = [e for e in items if date.fromisoformat(e["expires"]) > end]
        ocop = next(
            o["numerator"]
            for o in expected["observations"]
            if o["indicator"] == "ocop_san_pham" and o["period"] == r["period"] and o["village"] is None
        )
        assert ocop == sum(1 for e in valid if e["certificate"] == "OCOP")
        assert sum("hết hạn" in str(row[10]) for row in listed) == len(items) - len(valid)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def test_village_names_always_mean_a_catalogue_village(sample, expected, catalogue):
    known = {fold(v.name).removeprefix("thon ") for v in catalogue.villages}
    seen_odd = 0
    for r in expected["reports"]:
        for sheet in r["sheets"]:
            rows = _rows(sample / r["file"], sheet)
            header = next((i for i, row in enumerate(rows) if row and row[0] == "STT"), None)
            heads = [fold(c) for c in rows[header]] if header is not None else []
            if "thon" not in heads:
                continue
            col = heads.index("thon")
            for row in rows[header + 1 :]:
                if not isinstance(row[0], int | float) or not row[col]:
                    continue
                name = fold(row[col]).removeprefix("thon ")
                assert name in known, (r["file"], row[col])
                seen_odd += row[col] not in {v.name for v in catalogue.villages}
    assert seen_odd >= 20


def test_indicators_show_a_mix_of_progress(expected, catalogue):
    """Some indicators on track and some behind for 2026-2027, measured the plan's way at T10/2026."""
    series = defaultdict(dict)
    for r in expected["observations"]:
        if r["village"] is None and r["numerator"] is not None:
            d = r["denominator"]
            series[r["indicator"]][r["period"]] = 100 * r["numerator"] / d if d else r["numerator"]
    ratios = {}
    for ind in catalogue.indicators:
        target = ind.target("2026-2027")
        if target is None or ind.direction != "up":
            continue
        values = [series[ind.code][p] for p in sorted(series[ind.code])]
        if ind.kind == "flow":
            actual, base = sum(values), 0.0
        else:
            actual, base = values[-1], values[0]
        expected_now = base + (target.value - base) * 10 / 24
        ratios[ind.code] = (actual - base) / (expected_now - base)
    assert ratios["cay_xanh_trong_moi"] >= 0.95
    assert ratios["ttkdtm_giao_dich"] >= 0.95
    assert ratios["tthc_truc_tuyen"] < 0.6
    assert ratios["rac_phan_loai"] < 0.6
    assert 2 <= series["ocop_san_pham"]["2026-10"] <= 3


def test_headers_outside_the_catalogue_are_refused(catalogue):
    sample_sheets.check_header(catalogue, "rac_phan_loai.denominator", "TS hộ")
    sample_sheets.check_header(catalogue, "rac_thu_gom.numerator", "Khối lượng CTRSH được thu gom, xử lý (tấn)")
    with pytest.raises(ValueError):
        sample_sheets.check_header(catalogue, "rac_phan_loai.numerator", "Số hộ có thùng rác")
