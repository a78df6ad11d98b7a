"""Snapshots ("Chốt số liệu") on real DuckDB files: frozen reads equal the live ones at the freeze, stay put after
corrections, restores and target changes, a past day replays the versions then in force, refusals write nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from ground.catalogue import Catalogue
from store import SnapshotError, Store
from tests.clock import Clock
from tests.test_store import generic_report, procedures_report, register_report, save, tree_report

DAY1 = datetime(2026, 11, 3, 9, 0)


@pytest.fixture
def clock() -> Clock:
    return Clock(DAY1)


@pytest.fixture
def store(db_path: Path, clock: Clock) -> Store:
    s = Store(db_path, commune="an-phu")
    s.clock = clock
    return s


def seed(s: Store) -> dict[str, int]:
    """Trees by village in two months, procedures by field (a ratio), a register (stock), a village table;
    returns each upload's id."""
    reports = {
        "cay-t9": tree_report({"an-lac": 120, "dong-ha": 30}, "2026-09"),
        "cay-t10": tree_report({"an-lac": 200, "dong-ha": 50, "lai-vu": 7}),
        "tthc-t10": procedures_report({"Hộ tịch": (40, 50), "Đất đai": (5, 20)}),
        "ocop-t10": register_report("2026-10", [("Gạo An Phú", "an-lac"), ("Mật ong", "dong-ha")]),
        "dot-rac-t10": generic_report("dot_rac_tuy_tien", {"an-lac": 1, "lai-vu": 2}),
    }
    return {name: save(s, r, name.encode()).upload_id for name, r in reports.items()}


LIVE_AND_FROZEN = [
    ("monthly", "snapshot_monthly", ()),
    ("commune_monthly", "snapshot_commune_monthly", ()),
    ("village_monthly", "snapshot_village_monthly", ()),
    ("series", "snapshot_series", ("cay_xanh_trong_moi",)),
    ("series", "snapshot_series", ("cay_xanh_trong_moi", "dong-ha")),
    ("observations", "snapshot_observations", ("tthc_truc_tuyen", "2026-10")),
    ("sources", "snapshot_sources", ("cay_xanh_trong_moi",)),
    ("reports_received", "snapshot_reports_received", ()),
    ("register", "snapshot_register", ()),
    ("register", "snapshot_register", ("2026-10",)),
]


def frozen_reads(s: Store, sid: int) -> dict[str, pd.DataFrame]:
    out = {f"{name}{args}": getattr(s, name)(sid, *args) for _, name, args in LIVE_AND_FROZEN}
    out["indicator_reports"] = s.snapshot_indicator_reports(sid)
    return out


def test_a_snapshot_of_today_reads_exactly_as_the_live_store_did(store, catalogue):
    seed(store)
    store.clock.at = DAY1 + timedelta(hours=2)
    sid = store.freeze("Họp giao ban tháng 11", None, "quantri", catalogue=catalogue)
    for live, frozen, args in LIVE_AND_FROZEN:
        pd.testing.assert_frame_equal(getattr(store, frozen)(sid, *args), getattr(store, live)(*args), obj=frozen)
    live_reports = store.indicator_reports()
    pd.testing.assert_frame_equal(store.snapshot_indicator_reports(sid), live_reports)

    info = store.snapshot(sid)
    assert (info.name, info.as_of, info.created_by) == ("Họp giao ban tháng 11", date(2026, 11, 3), "quantri")
    assert info.rows == len(store.monthly()) > 0
    assert info.latest_upload_at == DAY1
    listed = store.snapshots()
    assert list(listed["id"]) == [sid] and list(listed["name"]) == ["Họp giao ban tháng 11"]
    line = store.audit().iloc[0]
    assert (line["action"], line["action_vi"], line["who"]) == ("snapshot_create", "Chốt số liệu", "quantri")
    assert json.loads(line["detail"])["id"] == sid


def test_corrections_restores_and_new_targets_leave_a_snapshot_as_it_was(store, catalogue):
    ids = seed(store)
    sid = store.freeze("Họp giao ban", None, "quantri", catalogue=catalogue)
    before = frozen_reads(store, sid)
    live_before = store.monthly()
    target_before = store.snapshot_catalogue(sid, catalogue).indicator("tthc_truc_tuyen").target("2026-2027")

    store.clock.at = DAY1 + timedelta(days=1)
    fixed = save(store, tree_report({"an-lac": 260, "dong-ha": 50, "lai-vu": 7}), b"cay-t10-sua")
    save(store, generic_report("xe_dien_moi", {"an-lac": 4}), b"xe-t10")  # a report that came in late
    store.set_target(catalogue, "tthc_truc_tuyen", "2026-2027", 90, "Nghị quyết HĐND xã số 12", who="quantri")

    assert not store.monthly().equals(live_before)  # the live figures moved…
    after = frozen_reads(store, sid)
    for key, frame in before.items():  # …the frozen ones did not
        pd.testing.assert_frame_equal(after[key], frame, obj=key)
    # The rows behind a frozen figure still trace to the upload that was in force, not to the correction.
    frozen_rows = store.snapshot_observations(sid, "cay_xanh_trong_moi", "2026-10")
    assert set(frozen_rows["upload_id"]) == {ids["cay-t10"]}
    assert set(store.observations("cay_xanh_trong_moi", "2026-10")["upload_id"]) == {fixed.upload_id}
    frozen_cat = store.snapshot_catalogue(sid, catalogue)
    assert frozen_cat.indicator("tthc_truc_tuyen").target("2026-2027") == target_before
    live_cat = store.effective_catalogue(catalogue)
    assert live_cat.indicator("tthc_truc_tuyen").target("2026-2027").value == 90

    # A restore moves the live pointer back; the snapshot still holds what was in force when it was taken.
    save(store, tree_report({"an-lac": 300}), b"cay-t10-sua-2")
    store.restore(fixed.upload_id, "quantri")
    again = frozen_reads(store, sid)
    for key, frame in before.items():
        pd.testing.assert_frame_equal(again[key], frame, obj=key)


def tree_total(s: Store, frame: pd.DataFrame) -> float:
    rows = frame[(frame["indicator"] == "cay_xanh_trong_moi") & (frame["period"] == "2026-10")]
    return float(rows["value"].sum())


def test_a_past_day_replays_the_versions_in_force_at_its_end(store, clock, catalogue):
    save(store, tree_report({"an-lac": 100}), b"v1")  # 03/11
    clock.at = datetime(2026, 11, 5, 16, 0)
    v2 = save(store, tree_report({"an-lac": 150}), b"v2")  # 05/11: a correction
    clock.at = datetime(2026, 11, 6, 8, 0)
    save(store, procedures_report({"Hộ tịch": (9, 10)}), b"tthc")  # 06/11: another unit's first report
    clock.at = datetime(2026, 11, 7, 10, 0)
    store.restore(v2.upload_id - 1, "quantri")  # 07/11: back to v1
    clock.at = datetime(2026, 11, 9, 10, 0)

    def frozen_on(day: date) -> pd.DataFrame:
        return store.snapshot_monthly(store.freeze(f"đến {day}", day, "quantri", catalogue=catalogue))

    assert tree_total(store, frozen_on(date(2026, 11, 4))) == 100
    on_5 = frozen_on(date(2026, 11, 5))
    assert tree_total(store, on_5) == 150 and "tthc_truc_tuyen" not in set(on_5["indicator"])
    assert "tthc_truc_tuyen" in set(frozen_on(date(2026, 11, 6))["indicator"])
    on_7 = frozen_on(date(2026, 11, 7))
    assert tree_total(store, on_7) == 100
    # Replaying the whole history gives exactly the live pointer table's figures.
    pd.testing.assert_frame_equal(on_7, store.monthly())
    assert store.snapshot(int(store.snapshots()["id"].iloc[0])).cutoff == datetime(2026, 11, 7, 23, 59, 59, 999999)


def test_refusals_say_why_and_write_nothing(store, clock, catalogue: Catalogue):
    with pytest.raises(SnapshotError, match="Chưa có số liệu") as nothing:
        store.freeze("Họp", None, "quantri")
    assert not nothing.value.usage
    seed(store)
    audit_before = len(store.audit())
    with pytest.raises(SnapshotError, match="đặt tên") as unnamed:
        store.freeze("   ", None, "quantri")
    assert unnamed.value.usage
    with pytest.raises(SnapshotError, match="chưa đến") as future:
        store.freeze("Họp", date(2026, 11, 4), "quantri")
    assert future.value.usage
    with pytest.raises(SnapshotError, match="đến ngày 01/10/2026"):
        store.freeze("Họp", date(2026, 10, 1), "quantri")  # before the first upload
    assert store.snapshots().empty and len(store.audit()) == audit_before
    with store.connect() as con:
        assert con.execute("SELECT count(*) FROM snapshot_monthly").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM snapshot_keys").fetchone()[0] == 0


def test_another_communes_snapshot_is_not_found(store, db_path, catalogue):
    seed(store)
    sid = store.freeze("Họp", None, "quantri")
    other = Store(db_path, commune="an-binh")
    with pytest.raises(KeyError):
        other.snapshot(sid)
    with pytest.raises(KeyError):
        other.snapshot_monthly(sid)
    with pytest.raises(KeyError):
        store.snapshot_monthly(sid + 1)
    assert other.snapshots().empty


def test_without_the_catalogue_only_the_admins_targets_are_frozen(store, catalogue):
    seed(store)
    store.set_target(catalogue, "rac_phan_loai", "2026-2027", 75, "NQ số 3", who="quantri")
    sid = store.freeze("Họp", None, "quantri")
    store.set_target(catalogue, "rac_phan_loai", "2026-2027", 80, "NQ số 4", who="quantri")
    frozen = store.snapshot_catalogue(sid, catalogue)
    assert frozen.indicator("rac_phan_loai").target("2026-2027").value == 75
    assert frozen.indicator("rac_phan_loai").target("2028-2030") == catalogue.indicator("rac_phan_loai").target(
        "2028-2030"
    )
    assert frozen.indicator("cay_xanh_trong_moi") == catalogue.indicator("cay_xanh_trong_moi")
