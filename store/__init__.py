"""The only place that speaks SQL: the DuckDB file with uploads, figures, versions in force and the audit log."""

from __future__ import annotations

from store.base import DEFAULT_DB, VIETNAM, default_db_path, now_vietnam
from store.connection import StoreBusy
from store.reads import ACTION_VI, STATUS_VI, Reads
from store.writes import REGISTER_KEY, Change, SaveResult, Writes

__all__ = [
    "ACTION_VI",
    "DEFAULT_DB",
    "REGISTER_KEY",
    "STATUS_VI",
    "VIETNAM",
    "Change",
    "SaveResult",
    "Store",
    "StoreBusy",
    "default_db_path",
    "now_vietnam",
]


class Store(Reads, Writes):
    """One DuckDB file. Every method opens a connection, does its work and closes it (see store/base.py).

    `commune` filters every read and is the default commune of writes; None reads all communes.
    """
