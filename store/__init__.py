"""The only place that speaks SQL: the DuckDB file with uploads, figures, versions in force and the audit log."""

from __future__ import annotations

from store.accounts import Accounts
from store.backup import BackupError, Backups
from store.base import DEFAULT_DB, VIETNAM, default_db_path, now_vietnam
from store.city import City
from store.city_files import CityFolderError
from store.city_parquet import ParquetCity
from store.connection import StoreBusy, StoreReadOnly
from store.dashboard_reads import DashboardReads
from store.integrity import Integrity
from store.reads import ACTION_VI, STATUS_VI, Reads
from store.snapshots import SnapshotError, SnapshotInfo, Snapshots
from store.targets import Targets
from store.writes import REGISTER_KEY, Change, SaveResult, Writes

__all__ = [
    "ACTION_VI",
    "DEFAULT_DB",
    "REGISTER_KEY",
    "STATUS_VI",
    "VIETNAM",
    "BackupError",
    "Change",
    "CityFolderError",
    "ParquetCity",
    "SaveResult",
    "SnapshotError",
    "SnapshotInfo",
    "Store",
    "StoreBusy",
    "StoreReadOnly",
    "default_db_path",
    "now_vietnam",
]


class Store(Reads, DashboardReads, Writes, Accounts, Targets, Snapshots, City, Integrity, Backups):
    """One DuckDB file. Every method opens a connection, does its work and closes it (see store/base.py).

    `commune` filters every read and is the default commune of writes; None reads all communes.
    """
