"""What the city tests share: a real city folder made from the sample data, exported by two communes."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
from pathlib import Path

import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


def other_catalogue(folder: Path, code: str, name: str) -> Path:
    """The project's catalogue for another commune: only [commune] code and name differ."""
    text = (ROOT / "catalogue.toml").read_text(encoding="utf-8")
    assert 'code = "an-phu"' in text and 'name = "Xã An Phú"' in text
    path = folder / f"{code}.toml"
    path.write_text(
        text.replace('code = "an-phu"', f'code = "{code}"', 1).replace('name = "Xã An Phú"', f'name = "{name}"', 1),
        encoding="utf-8",
    )
    return path


def _cli(args: list[str], catalogue: Path | None) -> None:
    before = os.environ.get("XANH_CATALOGUE")
    if catalogue is None:
        os.environ.pop("XANH_CATALOGUE", None)
    else:
        os.environ["XANH_CATALOGUE"] = str(catalogue)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = cli.main(args)
        assert code == 0, out.getvalue()
    finally:
        if before is None:
            os.environ.pop("XANH_CATALOGUE", None)
        else:
            os.environ["XANH_CATALOGUE"] = before


@functools.cache
def city_folder(work: Path, sample_db: Path) -> Path:
    """work/thanh-pho: Xã An Phú (the session's sample database) and Xã An Bình (the same sample workbooks
    imported under its own catalogue, XANH_CATALOGUE) each ran the nightly `cli.py export --parquet`. Built once
    per session; tests copy it before changing it."""
    db = work / "hai-xa.duckdb"
    shutil.copy(sample_db, db)
    an_binh = other_catalogue(work, "an-binh", "Xã An Bình")
    files = sorted(str(p) for p in SAMPLE.glob("*") if p.suffix.lower() in {".xlsx", ".xls", ".xlsm"})
    _cli(["import", *files, "--db", str(db), "--json"], an_binh)
    folder = work / "thanh-pho"
    _cli(["export", "--parquet", str(folder), "--db", str(db)], None)
    _cli(["export", "--parquet", str(folder), "--db", str(db)], an_binh)
    return folder
