"""The command line loads only what the chosen command needs: no pages, charts, Word or PNG export, spreadsheet
writer or Spark on the way of `--help` or of an import (each costs a bare `cli.py import` tenths of a second)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "BC trong cay T10.2026.xlsx"
NEVER = {"streamlit", "altair", "vl_convert", "docx", "openpyxl", "pyspark"}

# Runs cli.py as `python cli.py …` does, then writes which top-level packages the process had loaded by its end.
_RUN_CLI = """
import atexit, json, runpy, sys
out, argv = sys.argv[1], sys.argv[2:]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted({m.split(".")[0] for m in sys.modules}))))
sys.argv = ["cli.py", *argv]
runpy.run_path("cli.py", run_name="__main__")
"""


def _loaded(tmp_path: Path, *argv: str) -> tuple[set[str], subprocess.CompletedProcess]:
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _RUN_CLI, str(out), *argv], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    return set(json.loads(out.read_text())), done


@pytest.mark.parametrize("argv", [["--help"], ["import", "--help"], ["brief", "--help"]], ids=" ".join)
def test_help_loads_no_chart_brief_page_or_writer(tmp_path, argv):
    modules, done = _loaded(tmp_path, *argv)
    assert done.returncode == 0, done.stderr
    assert not modules & NEVER


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_an_import_loads_the_store_but_no_chart_brief_page_or_writer(tmp_path, dry_run):
    db = tmp_path / "x.duckdb"
    modules, done = _loaded(tmp_path, "import", str(SAMPLE), "--db", str(db), "--json", *(["--dry-run"] * dry_run))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["status"] == "imported"
    assert "duckdb" in modules and not modules & NEVER
