"""Shared test fixtures: the catalogue, a temporary database path, the project root."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ground import auth  # noqa: E402
from ground.catalogue import Catalogue, load_catalogue  # noqa: E402


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test failing while a `streamlit run` of the browser tests serves: its log's last lines join the report, so
    the failure shows the server's side without a rerun."""
    report = yield
    support = sys.modules.get("tests.browser_support")
    if report.failed and support is not None:
        for url, tail in support.running_logs().items():
            report.sections.append((f"streamlit server log at {url}, last {support.LOG_TAIL} lines", tail))
    return report


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "catalogue.toml")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB file (not created yet)."""
    return tmp_path / "xanh.duckdb"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """Every sample workbook imported once per test session through cli.py into a fresh database file.

    Shared by every module: tests must not write to it (copy it first when they need to).
    """
    import cli

    db = tmp_path_factory.mktemp("sample") / "xanh.duckdb"
    files = sorted(str(p) for p in (ROOT / "sample_data").glob("*") if p.suffix.lower() in {".xlsx", ".xls", ".xlsm"})
    assert files, "sample_data/ has no workbook"
    with contextlib.redirect_stdout(io.StringIO()):  # its per-file report is not this test's business
        assert cli.main(["import", *files, "--db", str(db), "--json"]) == 0
    return db


@pytest.fixture
def fast_hashes(monkeypatch):
    """A cheap argon2id for tests that hash or check many passwords; the production profile is tested in test_auth."""
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
