"""The city folder as the communes' nightly exports make it: each export names its commune and carries its catalogue
facts, `cli.py city status` answers from the files alone, and a broken folder is said in Vietnamese."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

import cli
from store import CityFolderError, ParquetCity, Store, now_vietnam
from tests.city_support import city_folder

COMPARED = ("indicator", "kind", "direction", "method", "phase", "month_value", "actual", "baseline", "target",
            "target_source", "expected", "r", "pct_of_target", "required_pace", "status", "status_label")  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory, sample_db) -> Path:
    return city_folder(tmp_path_factory.getbasetemp(), sample_db)


@pytest.fixture
def broken(folder, tmp_path) -> Path:
    """A copy of the city folder a test may break."""
    copy = tmp_path / "hong"
    shutil.copytree(folder, copy)
    return copy


def _status(folder: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = cli.main(["city", "status", "--parquet", str(folder), "--month", "2026-10", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_each_export_names_its_commune_and_carries_its_catalogue(folder, catalogue):
    assert sorted(p.name for p in (folder / "communes").iterdir()) == ["an-binh.parquet", "an-phu.parquet"]
    facts = pd.read_parquet(folder / "communes" / "an-binh.parquet")
    assert set(facts["commune"]) == {"an-binh"} and set(facts["commune_name"]) == {"Xã An Bình"}
    assert len(facts) == len(catalogue.phases) * len(catalogue.indicators)
    assert abs(facts["exported_at"].max() - pd.Timestamp(now_vietnam())) < timedelta(hours=1)
    trees = facts[(facts.indicator == "cay_xanh_trong_moi") & (facts.phase == "2028-2030")].iloc[0]
    ind = catalogue.indicator("cay_xanh_trong_moi")
    assert (trees.indicator_name, trees.unit, trees.kind, trees.direction) == (ind.name, ind.unit, ind.kind, "up")
    assert trees.target == ind.target("2028-2030").value and trees.phase_end == "2030-12"


def test_the_city_view_needs_no_catalogue_and_equals_the_communes_own(folder, sample_db, catalogue):
    view = ParquetCity(folder)
    assert view.communes()[["commune", "commune_name"]].values.tolist() == [
        ["an-binh", "Xã An Bình"],
        ["an-phu", "Xã An Phú"],
    ]
    for month in ("2026-03", "2026-10"):
        city = view.city_status(None, month)
        own = Store(sample_db, commune="an-phu").city_status(catalogue, month)
        for code in ("an-phu", "an-binh"):  # the same workbooks: the same figures and statuses under both names
            mine = city[city.commune == code].reset_index(drop=True)
            assert set(mine["commune_name"]) == {"Xã An Phú" if code == "an-phu" else "Xã An Bình"}
            pd.testing.assert_frame_equal(mine[list(COMPARED)], own[list(COMPARED)], check_dtype=False)
    ranked = view.commune_ranking(None, "cay_xanh_trong_moi", "2026-10")
    assert ranked["commune_name"].tolist() == ["Xã An Bình", "Xã An Phú"] and ranked["rank"].tolist() == [1, 1]
    series = view.city_series("cay_xanh_trong_moi", "2026-10")
    one = Store(sample_db, commune="an-phu").series("cay_xanh_trong_moi")
    assert series["period"].tolist() == one["period"].tolist()
    assert series["value"].tolist() == pytest.approx([2 * v for v in one["value"]])
    assert series["cumulative"].iloc[-1] == pytest.approx(2 * one["value"].sum())


def test_cli_city_status_answers_one_row_per_commune_and_indicator(folder, catalogue, capsys):
    code, out, _ = _status(folder, capsys, "--json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 2 * len(catalogue.indicators)
    assert set(rows[0]) == {"commune", "commune_name", "indicator", "value", "target", "progress", "status",
                            "status_code"}  # fmt: skip
    table = ParquetCity(folder).city_status(None, "2026-10").set_index(["commune", "indicator"])
    for r in rows:
        want = table.loc[(r["commune"], r["indicator"])]
        assert r["status"] == want["status_label"] and r["status_code"] == want["status"]
        assert r["value"] == (None if pd.isna(want["actual"]) else pytest.approx(want["actual"]))
        assert r["progress"] == (None if pd.isna(want["r"]) else pytest.approx(want["r"]))
    code, out, _ = _status(folder, capsys, "--phase", "2028-2030")
    assert code == 0 and "Xã An Bình" in out and "Xã An Phú" in out and "▲ Đúng tiến độ" in out
    code, _, err = _status(folder, capsys, "--phase", "2040")
    assert code == 2 and "Không có giai đoạn '2040'" in err


def test_an_empty_or_missing_folder_is_said_in_vietnamese(tmp_path, capsys):
    code, _, err = _status(tmp_path / "khong-co", capsys)
    assert code == 1 and "Không tìm thấy thư mục" in err
    (tmp_path / "rong" / "rollup_monthly").mkdir(parents=True)
    code, _, err = _status(tmp_path / "rong", capsys)
    assert code == 1 and "chưa có tệp xuất nào" in err and "Traceback" not in err


def test_a_half_written_file_is_named(broken, capsys):
    target = broken / "rollup_monthly" / "an-binh.parquet"
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])  # a copy cut short
    code, _, err = _status(broken, capsys)
    assert code == 1 and "an-binh.parquet không đọc được" in err and "xuất lại" in err
    with pytest.raises(CityFolderError):
        ParquetCity(broken).communes()


def test_a_file_under_another_communes_name_is_refused(broken, capsys):
    shutil.copy(broken / "communes" / "an-binh.parquet", broken / "communes" / "an-binh-cu.parquet")
    code, _, err = _status(broken, capsys)
    assert code == 1 and "communes/an-binh-cu.parquet" in err and "không khớp nhau" in err
    (broken / "communes" / "an-binh-cu.parquet").unlink()
    shutil.copy(broken / "rollup_monthly" / "an-phu.parquet", broken / "rollup_monthly" / "an-binh.parquet")
    code, _, err = _status(broken, capsys)
    assert code == 1 and "rollup_monthly/an-binh.parquet ghi số liệu của xã 'an-phu'" in err


def test_two_codes_under_one_name_are_refused(broken, capsys):
    facts = pd.read_parquet(broken / "communes" / "an-binh.parquet")
    facts.assign(commune="an-binh-moi").to_parquet(broken / "communes" / "an-binh-moi.parquet")
    code, _, err = _status(broken, capsys)
    assert code == 1 and "cùng mang tên 'Xã An Bình' nhưng khác mã xã (an-binh, an-binh-moi)" in err


def test_figures_without_the_communes_identity_are_refused(broken, capsys):
    (broken / "communes" / "an-binh.parquet").unlink()
    code, _, err = _status(broken, capsys)
    assert code == 1 and "Xã an-binh có số liệu nhưng thiếu tệp communes/MÃ_XÃ.parquet" in err
