"""The city roll-up on Apache Spark (local[2], one session for the whole test run) gives the same statuses, field for
field, as DuckDB over the same Parquet exports, from one SQL text that sqlglot translates. Spark needs Java 17, which
`make test` installs: without it these tests fail, they never skip."""

from __future__ import annotations

import dataclasses
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import cli
from ground.catalogue import load_catalogue
from store import ParquetCity, Store
from store.city import own_catalogues, ranking_query, status_query
from store.city_spark import SparkCity, to_spark
from store.synthetic import Synthetic
from tests.city_support import city_folder

ROOT = Path(__file__).resolve().parent.parent


class CityStore(Store, Synthetic):
    """The store with the synthetic-city generator."""


@pytest.fixture(scope="session")
def spark():
    assert shutil.which("java"), "Spark cần Java 17: `make test` cài gói openjdk-17-jre-headless của Debian"
    from store.city_spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory) -> Path:
    """Nine synthetic communes, every method of the status maths in use, each exported with its own catalogue."""
    cat = load_catalogue(ROOT / "catalogue.toml")
    changes = {"tthc_truc_tuyen": {"baseline": 40.0}, "khu_dan_cu_xanh": {"direction": "down", "baseline": 30.0},
               "nuoc_sach": {"direction": "down"}}  # fmt: skip
    cat = dataclasses.replace(
        cat, indicators=tuple(dataclasses.replace(i, **changes.get(i.code, {})) for i in cat.indicators)
    )
    work = tmp_path_factory.mktemp("spark-city")
    store = CityStore(work / "city.duckdb")
    store.fill_synthetic(cat, 9)
    folder = work / "xuat"
    for n in range(9):
        code = f"xa-{n:04d}"
        own = dataclasses.replace(cat, commune=dataclasses.replace(cat.commune, code=code, name=f"Xã Thử {n}"))
        Store(store.path, commune=code).export_parquet(folder, catalogue=own)
    return folder


def _same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    for col in a.columns:
        for i, (x, y) in enumerate(zip(a[col].tolist(), b[col].tolist(), strict=True)):
            if pd.isna(x) or pd.isna(y):
                assert pd.isna(x) and pd.isna(y), (col, i, x, y)
            elif isinstance(x, float) or isinstance(y, float):
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (col, i, x, y)
            else:
                assert x == y, (col, i, x, y)


def test_the_spark_sql_is_the_duckdb_sql_translated():
    rel = own_catalogues("rollup_monthly", "target_overrides", "city_communes")
    for q in (status_query(rel, "2026-10", "2026-2027"), ranking_query(rel, "tt_tin_bai", "2026-10", "2026-2027")):
        sql = to_spark(q)
        assert "$" not in sql and ":m" not in sql and "MIN_BY(v, month)" in sql and "24321" in sql
        assert "'2026-2027'" in sql and "IGNORE NULLS" not in sql


def test_spark_gives_the_same_statuses_as_duckdb(spark, synthetic_folder):
    duck, sparky = ParquetCity(synthetic_folder), SparkCity(synthetic_folder, session=spark)
    seen = set()
    for month in ("2026-01", "2028-01", "2030-12"):
        want = duck.city_status(None, month)
        _same_frames(sparky.city_status(None, month), want)
        seen |= set(want["status"])
    assert seen == {"dat", "dung", "day_nhanh", "cham", "di_xuong", "chua_co", "theo_doi"}
    _same_frames(
        sparky.commune_ranking(None, "dot_rac_tuy_tien", "2029-07"),
        duck.commune_ranking(None, "dot_rac_tuy_tien", "2029-07"),
    )
    with pytest.raises(KeyError):
        sparky.commune_ranking(None, "khong_co", "2029-07")


def test_cli_city_status_answers_the_same_on_both_engines(spark, tmp_path_factory, sample_db, capsys):
    folder = city_folder(tmp_path_factory.getbasetemp(), sample_db)
    answers = {}
    for engine in ("duckdb", "spark"):
        args = ["city", "status", "--parquet", str(folder), "--month", "2026-10", "--engine", engine, "--json"]
        assert cli.main(args) == 0
        answers[engine] = json.loads(capsys.readouterr().out)
    duck, sparky = answers["duckdb"], answers["spark"]
    assert len(duck) == len(sparky) == 50 and {r["commune_name"] for r in sparky} == {"Xã An Phú", "Xã An Bình"}
    for a, b in zip(duck, sparky, strict=True):
        assert {k: v for k, v in a.items() if not isinstance(v, float)} == {
            k: v for k, v in b.items() if not isinstance(v, float)
        }
        for k in ("value", "target", "progress"):
            assert (a[k] is None and b[k] is None) or a[k] == pytest.approx(b[k], rel=1e-9), (a, b, k)


def test_only_the_spark_engine_loads_pyspark(tmp_path_factory, sample_db):
    """The DuckDB engine, the page's store modules and every other command never import pyspark nor sqlglot."""
    folder = city_folder(tmp_path_factory.getbasetemp(), sample_db)
    code = (
        "import sys, contextlib, io\n"
        "import cli, store, store.city_parquet, views.city_tables, charts.city\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert cli.main(['city', 'status', '--parquet', {str(folder)!r}, '--month', '2026-10']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'sqlglot', 'py4j'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
