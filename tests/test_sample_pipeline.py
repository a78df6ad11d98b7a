"""End to end on the sample data: every workbook imported into a real DuckDB file gives the generator's figures."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import cli
from indicators import assess_all
from store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))


def _truth(expected: dict) -> dict[tuple, tuple[float, float | None]]:
    """(indicator, period, village|None) → (numerator, denominator) as the generator made them."""
    return {
        (r["indicator"], r["period"], r["village"]): (r["numerator"], r["denominator"])
        for r in expected["observations"]
        if r["numerator"] is not None
    }


def _got(store: Store) -> dict[tuple, list[float]]:
    got: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in store.monthly().itertuples(index=False):
        village = None if r.village is None or (isinstance(r.village, float) and math.isnan(r.village)) else r.village
        den = 0.0 if r.denominator is None or math.isnan(r.denominator) else r.denominator
        keys = [(r.indicator, r.period, None)] + ([(r.indicator, r.period, village)] if village else [])
        for key in keys:
            got[key][0] += r.value
            got[key][1] += den
    return got


def test_every_indicator_month_and_village_matches_the_generator(sample_db, expected):
    got, truth = _got(Store(sample_db)), _truth(expected)
    checked = 0
    for key, (num, den) in truth.items():
        g = got.get(key)
        if g is None and num == 0:
            continue  # a zero the sheet leaves blank is no row at all
        assert g is not None, key
        assert g[0] == pytest.approx(num, abs=1e-6), key
        if den is not None:
            assert g[1] == pytest.approx(den, abs=1e-6), key
        checked += 1
    assert checked > 1000
    assert {k[0] for k in truth} == {k[0] for k in got}


def test_no_figure_appears_that_the_generator_did_not_make(sample_db, expected):
    truth = _truth(expected)
    for key, (value, _den) in _got(Store(sample_db)).items():
        assert key in truth or value == 0, key


def test_breakdowns_by_place_type_star_rating_and_field(sample_db, expected):
    got: dict[tuple, float] = defaultdict(float)
    for r in Store(sample_db).monthly().itertuples(index=False):
        if r.dim:
            got[(r.indicator, r.period, r.dim, r.dim_value)] += r.value
    truth = {(b["indicator"], b["period"], b["dimension"], b["value"]): b["numerator"] for b in expected["breakdowns"]}
    assert truth
    for key, num in truth.items():
        assert got.get(key, 0.0) == pytest.approx(num, abs=1e-6), key


def test_the_missing_report_stays_missing_and_signing_dates_are_kept(sample_db, expected, catalogue):
    store = Store(sample_db)
    figures = store.commune_monthly()
    received = store.reports_received()
    for m in expected["missing_reports"]:
        owned = [i.code for i in catalogue.indicators if i.responsible == m["unit"]]
        assert figures[figures.indicator.isin(owned) & (figures.period == m["period"])].empty
        assert received[(received.unit == m["unit"]) & (received.period == m["period"])].empty
    signed = {(r.unit, r.kind, r.period): str(r.signed_on)[:10] for r in received.itertuples(index=False)}
    for rep in expected["reports"]:
        assert signed[(rep["unit"], rep["kind"], rep["period"])] == rep["signed_on"], rep


def test_cli_value_status_matches_the_dashboard_assessment(sample_db, catalogue, capsys):
    store = Store(sample_db)
    screen = {a.indicator: a.status.label for a in assess_all(store.commune_monthly(), catalogue, "2026-10")}
    for ind in catalogue.indicators:
        assert cli.main(["value", ind.code, "--period", "2026-10", "--db", str(sample_db), "--json"]) == 0
        f = json.loads(capsys.readouterr().out)
        assert f["status"] == screen[ind.code], ind.code


def test_importing_the_sample_again_changes_nothing(sample_db, capsys):
    store = Store(sample_db)

    def figures():
        return store.monthly().sort_values(["indicator", "period", "village", "dim", "dim_value"], ignore_index=True)

    version, before = store.data_version(), figures()
    files = sorted(str(p) for p in SAMPLE.glob("*.xls*"))
    assert cli.main(["import", *files, "--db", str(sample_db), "--json"]) == 0
    assert {i["status"] for i in json.loads(capsys.readouterr().out)} == {"unchanged"}
    assert store.data_version() == version
    pd.testing.assert_frame_equal(figures(), before)
