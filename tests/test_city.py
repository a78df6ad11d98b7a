"""The commune as a dimension: communes kept apart in one database, rolled up, their status computed in SQL
(equal to indicators.assess), ranked, exported as Parquet and read back as a city view."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

import cli
from ground.catalogue import Catalogue, load_catalogue
from indicators import assess, month_index
from store import ParquetCity, Store
from store.synthetic import Synthetic

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
MONTHS = ("2026-01", "2026-02", "2027-06", "2027-12", "2028-01", "2029-07", "2030-12")
COMPARED = ("month_value", "numerator", "denominator", "previous_value", "actual", "baseline", "target", "expected",
            "r", "pct_of_target", "required_pace")  # fmt: skip


class CityStore(Store, Synthetic):
    """The store with the synthetic-city generator."""


def _other_catalogue(tmp_path: Path, code: str, name: str) -> Path:
    """The project's catalogue for another commune: only [commune] code and name differ."""
    text = (ROOT / "catalogue.toml").read_text(encoding="utf-8")
    assert 'code = "an-phu"' in text
    path = tmp_path / f"{code}.toml"
    path.write_text(text.replace('code = "an-phu"', f'code = "{code}"', 1).replace(
        'name = "Xã An Phú"', f'name = "{name}"', 1), encoding="utf-8")  # fmt: skip
    return path


def _import(db: Path, files: list[str], monkeypatch, capsys, catalogue_path: Path | None = None) -> None:
    if catalogue_path is None:
        monkeypatch.delenv("XANH_CATALOGUE", raising=False)
    else:
        monkeypatch.setenv("XANH_CATALOGUE", str(catalogue_path))
    assert cli.main(["import", *files, "--db", str(db)]) == 0, capsys.readouterr().out
    capsys.readouterr()


def _trees(month: int) -> str:
    return str(SAMPLE / f"BC trong cay T{month}.2026.xlsx")


def _propaganda(month: int) -> str:
    return str(SAMPLE / f"BC tuyen truyen CDX T{month}.2026.xlsx")


@pytest.fixture
def two_communes(db_path, tmp_path, monkeypatch, capsys) -> dict[str, Path]:
    """An Phú imports trees T1-T2 and propaganda T1; An Bình (its own catalogue, chosen by XANH_CATALOGUE)
    imports the very same trees T1 file and propaganda T2."""
    an_binh = _other_catalogue(tmp_path, "an-binh", "Xã An Bình")
    _import(db_path, [_trees(1), _trees(2), _propaganda(1)], monkeypatch, capsys)
    _import(db_path, [_trees(1), _propaganda(2)], monkeypatch, capsys, an_binh)
    monkeypatch.delenv("XANH_CATALOGUE", raising=False)
    return {"db": db_path, "an-binh": an_binh}


def test_two_communes_are_kept_apart(two_communes, catalogue):
    db = two_communes["db"]
    an_phu, an_binh = Store(db, commune="an-phu"), Store(db, commune="an-binh")
    a, b = an_phu.commune_monthly(), an_binh.commune_monthly()
    assert set(zip(a.indicator, a.period, strict=True)) == {
        ("cay_xanh_trong_moi", "2026-01"), ("cay_xanh_trong_moi", "2026-02"), ("tt_hoi_nghi", "2026-01"),
    }  # fmt: skip
    assert set(zip(b.indicator, b.period, strict=True)) == {
        ("cay_xanh_trong_moi", "2026-01"),
        ("tt_hoi_nghi", "2026-02"),
    }
    # The same bytes were imported in both communes: two uploads, each in force in its own commune only.
    assert (an_phu.uploads()["status"] == "current").all() and (an_binh.uploads()["status"] == "current").all()
    assert len(an_phu.uploads()) == 3 and len(an_binh.uploads()) == 2
    trees_a = a[(a.indicator == "cay_xanh_trong_moi") & (a.period == "2026-01")]["value"].item()
    trees_b = b[(b.indicator == "cay_xanh_trong_moi") & (b.period == "2026-01")]["value"].item()
    assert trees_a == trees_b > 0
    # Every read is per commune; None reads the communes summed.
    both = Store(db).commune_monthly()
    assert both[(both.indicator == "cay_xanh_trong_moi") & (both.period == "2026-01")]["value"].item() == 2 * trees_a
    assert an_binh.series("tt_hoi_nghi")["period"].tolist() == ["2026-02"]
    assert an_phu.series("tt_hoi_nghi")["period"].tolist() == ["2026-01"]


def test_the_cli_reads_the_commune_from_the_catalogue(two_communes, capsys, monkeypatch):
    db = two_communes["db"]
    monkeypatch.setenv("XANH_CATALOGUE", str(two_communes["an-binh"]))
    assert cli.main(["value", "tt_hoi_nghi", "--period", "2026-01", "--db", str(db), "--json"]) == 0
    assert '"value": null' in capsys.readouterr().out  # An Phú's January figure is not An Bình's
    monkeypatch.delenv("XANH_CATALOGUE")
    assert cli.main(["value", "tt_hoi_nghi", "--period", "2026-01", "--db", str(db), "--json"]) == 0
    assert '"value": null' not in capsys.readouterr().out


def test_rollup_sums_every_commune(two_communes, catalogue):
    db = two_communes["db"]
    city = Store(db)
    per_commune = pd.concat([Store(db, commune=c).commune_monthly().assign(commune=c) for c in ("an-phu", "an-binh")])
    rollup = city.rollup()
    assert sorted(rollup["commune"].unique()) == ["an-binh", "an-phu"]
    merged = rollup.merge(per_commune, on=["commune", "indicator", "period"], suffixes=("", "_direct"))
    assert len(merged) == len(rollup) == len(per_commune)
    assert (merged["value"] == merged["value_direct"]).all() and (merged["rows"] == merged["rows_direct"]).all()
    assert (merged["month"] == merged["period"].map(month_index)).all()
    for month in ("2026-01", "2026-02"):
        totals = city.city_totals(catalogue, month).set_index("indicator")
        mine = per_commune[per_commune.period == month].groupby("indicator")
        assert list(totals.index) == [i.code for i in catalogue.indicators]
        for code, value in mine["value"].sum().items():
            assert totals.loc[code, "value"] == pytest.approx(value)
            assert totals.loc[code, "communes"] == mine.size()[code]
        assert totals.loc["luot_ra_quan", "communes"] == 0 and math.isnan(totals.loc["luot_ra_quan", "value"])
    trees = per_commune[per_commune.indicator == "cay_xanh_trong_moi"]["value"].sum()
    assert city.city_totals(catalogue, "2026-02").loc[
        lambda t: t.indicator == "cay_xanh_trong_moi", "cumulative"
    ].item() == (pytest.approx(trees))


def test_rollup_follows_every_write(two_communes, catalogue, monkeypatch, capsys):
    db = two_communes["db"]
    city = Store(db)
    before = city.city_status(catalogue, "2026-02")
    assert before.loc[(before.commune == "an-binh") & (before.indicator == "cay_xanh_trong_moi"), "actual"].item() > 0
    _import(db, [_trees(2)], monkeypatch, capsys, two_communes["an-binh"])  # no refresh called
    after = city.city_status(catalogue, "2026-02").set_index(["commune", "indicator"])
    a = Store(db, commune="an-phu").commune_monthly()
    both_months = a[a.indicator == "cay_xanh_trong_moi"]["value"].sum()
    assert after.loc[("an-binh", "cay_xanh_trong_moi"), "actual"] == pytest.approx(both_months)
    assert city.data_version() == Store(db).data_version()  # reading the city view wrote no figure


def test_rollup_is_rebuilt_only_when_the_versions_in_force_change(two_communes, monkeypatch, capsys):
    db = two_communes["db"]
    city = Store(db)
    city.refresh_rollup()
    with city.connect() as con:  # a marker row: it survives exactly as long as no rebuild happens
        con.execute("INSERT INTO rollup_monthly VALUES ('dau-vet', 'tt_hoi_nghi', '2026-01', 24312, 1, NULL, 1)")
    version = city.data_version()
    city.add_user("lan", "viewer", [], "băm-thử", who="cli")  # a write that changes no figure
    assert city.data_version() > version
    assert "dau-vet" in set(city.rollup()["commune"])
    _import(db, [_trees(3)], monkeypatch, capsys)  # a new version in force: rebuilt from the figures
    assert "dau-vet" not in set(city.rollup()["commune"])


@pytest.fixture(scope="module")
def varied_catalogue() -> Catalogue:
    """The catalogue with every method of the status maths in use: a catalogue baseline (ratio), a lower-is-better
    level under its baseline (down_level), a lower-is-better ratio without baseline (down_cap), the down flow and
    the tracked-only flow it already has."""
    cat = load_catalogue(ROOT / "catalogue.toml")
    changes = {
        "tthc_truc_tuyen": {"baseline": 40.0},
        "khu_dan_cu_xanh": {"direction": "down", "baseline": 30.0},
        "nuoc_sach": {"direction": "down"},
    }
    inds = tuple(dataclasses.replace(i, **changes.get(i.code, {})) for i in cat.indicators)
    return dataclasses.replace(cat, indicators=inds)


@pytest.fixture(scope="module")
def synthetic_city(tmp_path_factory, varied_catalogue) -> CityStore:
    store = CityStore(tmp_path_factory.mktemp("city") / "city.duckdb")
    assert store.fill_synthetic(varied_catalogue, 9) > 9 * 25 * 20 * 50
    return store


def _same(x, y) -> bool:
    missing = [v is None or (isinstance(v, float) and math.isnan(v)) for v in (x, y)]
    if any(missing):
        return all(missing)
    return abs(x - y) <= 1e-9 * max(1.0, abs(x))


def test_sql_status_equals_indicators_assess(synthetic_city, varied_catalogue):
    seen_status, seen_method = set(), set()
    tables = {month: synthetic_city.city_status(varied_catalogue, month) for month in MONTHS}
    assert all(len(t) == 9 * len(varied_catalogue.indicators) for t in tables.values())
    for commune in ("xa-0000", "xa-0003", "xa-0005", "xa-0008"):  # xa-0003: admins' targets; xa-0005: late
        own = dataclasses.replace(varied_catalogue, commune=dataclasses.replace(varied_catalogue.commune, code=commune))
        store = Store(synthetic_city.path, commune=commune)
        effective = store.effective_catalogue(own)
        monthly = store.commune_monthly()
        for month, table in tables.items():
            rows = table[table.commune == commune].set_index("indicator")
            for ind in effective.indicators:
                mine = monthly[monthly.indicator == ind.code]
                figures = zip(mine.period, mine.value, mine.denominator, strict=True)
                series = {p: (v, None if math.isnan(d) else d) for p, v, d in figures}
                a = assess(ind, effective, series, month)
                row = rows.loc[ind.code]
                where = (month, commune, ind.code)
                assert (row["status"], row["method"], row["phase"]) == (a.status.code, a.method, a.phase), where
                assert row["status_label"] == a.status.label and row["target_source"] == a.target_source, where
                for col in COMPARED:
                    assert _same(getattr(a, col), row[col]), (*where, col, getattr(a, col), row[col])
                seen_status.add(a.status.code)
                seen_method.add(a.method)
    assert seen_status == {"dat", "dung", "day_nhanh", "cham", "di_xuong", "chua_co", "theo_doi"}
    assert seen_method == {"up", "down_cap", "down_level", "none"}


def test_admins_targets_apply_to_their_commune_only(synthetic_city, varied_catalogue):
    table = synthetic_city.city_status(varied_catalogue, "2029-07").set_index(["commune", "indicator"])
    catalogue_target = varied_catalogue.indicator("cay_xanh_trong_moi").target("2028-2030").value
    assert table.loc[("xa-0003", "cay_xanh_trong_moi"), "target"] == pytest.approx(catalogue_target * 1.2)
    assert table.loc[("xa-0004", "cay_xanh_trong_moi"), "target"] == catalogue_target


def test_ranking_orders_communes_the_good_way(synthetic_city, varied_catalogue):
    up = synthetic_city.commune_ranking(varied_catalogue, "cay_xanh_trong_moi", "2029-07")
    assert len(up) == 9 and up["rank"].tolist()[0] == 1
    assert up["actual"].is_monotonic_decreasing and up["rank"].is_monotonic_increasing
    status = synthetic_city.city_status(varied_catalogue, "2029-07")
    same = status[status.indicator == "cay_xanh_trong_moi"].set_index("commune")
    assert up.set_index("commune")["actual"].sort_index().equals(same["actual"].sort_index())
    down = synthetic_city.commune_ranking(varied_catalogue, "dot_rac_tuy_tien", "2029-07")
    assert down["actual"].is_monotonic_increasing
    for ranking in (up, down):  # ties share a rank; the next rank skips
        for (r1, a1), (r2, a2) in zip(
            ranking[["rank", "actual"]].values[:-1], ranking[["rank", "actual"]].values[1:], strict=True
        ):
            assert (r1 == r2) == (a1 == a2)
    # A commune late with the month still ranks on last month's level; one with nothing at all comes last.
    late = synthetic_city.commune_ranking(varied_catalogue, "tthc_toan_trinh", "2030-12")
    assert late["actual"].notna().all()
    with pytest.raises(KeyError):
        synthetic_city.commune_ranking(varied_catalogue, "khong_co", "2029-07")


def test_parquet_exports_make_the_same_city_view(synthetic_city, varied_catalogue, tmp_path):
    folder = tmp_path / "xuat"
    files = Store(synthetic_city.path).export_parquet(folder)  # every commune of the database
    assert len(files) == 9 * 3 and not list(folder.rglob("*.part"))
    files = Store(synthetic_city.path, commune="xa-0003").export_parquet(folder)  # a nightly re-export replaces
    assert [f.name for f in files] == ["xa-0003.parquet"] * 3
    view = ParquetCity(folder)
    for month in ("2027-12", "2030-12"):
        pd.testing.assert_frame_equal(
            view.city_status(varied_catalogue, month), synthetic_city.city_status(varied_catalogue, month)
        )
        pd.testing.assert_frame_equal(
            view.city_totals(varied_catalogue, month), synthetic_city.city_totals(varied_catalogue, month)
        )
    pd.testing.assert_frame_equal(
        view.commune_ranking(varied_catalogue, "tt_tin_bai", "2028-01"),
        synthetic_city.commune_ranking(varied_catalogue, "tt_tin_bai", "2028-01"),
    )
    figures = pd.read_parquet(folder / "figures" / "xa-0003.parquet")
    direct = Store(synthetic_city.path, commune="xa-0003").monthly()
    assert len(figures) == len(direct) and figures["value"].sum() == pytest.approx(direct["value"].sum())


def test_cli_export_writes_the_communes_files(two_communes, tmp_path, capsys):
    folder = tmp_path / "thanh-pho"
    assert cli.main(["export", "--parquet", str(folder), "--db", str(two_communes["db"])]) == 0
    assert "Đã xuất 4 tệp Parquet của Xã An Phú" in capsys.readouterr().out
    assert sorted(p.name for p in folder.rglob("*.parquet")) == ["an-phu.parquet"] * 4
    rows = pd.read_parquet(folder / "rollup_monthly" / "an-phu.parquet")
    assert set(rows["commune"]) == {"an-phu"} and len(rows) == 3


def test_exports_carrying_their_catalogue_make_the_same_statuses(synthetic_city, varied_catalogue, tmp_path):
    """Each commune exports with its own catalogue (communes/CODE.parquet): the city, given no catalogue, judges
    every commune exactly as the database's status SQL (itself checked against indicators.assess above)."""
    folder = tmp_path / "xuat"
    for n in range(9):
        code = f"xa-{n:04d}"
        own = dataclasses.replace(
            varied_catalogue, commune=dataclasses.replace(varied_catalogue.commune, code=code, name=f"Xã Thử {n}")
        )
        Store(synthetic_city.path, commune=code).export_parquet(folder, catalogue=own)
    view = ParquetCity(folder)
    for month in ("2026-01", "2027-12", "2029-07", "2030-12"):
        mine = view.city_status(None, month)
        assert mine["commune_name"].iloc[0] == "Xã Thử 0"
        direct = synthetic_city.city_status(varied_catalogue, month)
        pd.testing.assert_frame_equal(mine.drop(columns="commune_name"), direct, check_dtype=False)
    ranked = view.commune_ranking(None, "tt_tin_bai", "2028-01")
    direct = synthetic_city.commune_ranking(varied_catalogue, "tt_tin_bai", "2028-01")
    pd.testing.assert_frame_equal(ranked.drop(columns="commune_name"), direct, check_dtype=False)
