"""The city's folder of communes' exports: which files there are, and whether they can be read and agree."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd


class CityFolderError(ValueError):
    """The city folder cannot be rolled up; the message is Vietnamese and names the folder or the file."""


@dataclass(frozen=True)
class CityFiles:
    """The Parquet files of a city folder, by export: rollup_monthly, target_overrides and communes (identity and
    catalogue facts), each sorted; `.CODE.parquet.part` files being written are never listed."""

    folder: Path
    rollup: tuple[Path, ...]
    overrides: tuple[Path, ...]
    communes: tuple[Path, ...]

    def fingerprint(self) -> tuple:
        """Changes whenever a file is added, removed or replaced: what a cache of the city view keys on."""
        out = []
        for path in (*self.rollup, *self.overrides, *self.communes):
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((str(path), st.st_mtime_ns, st.st_size))
        return tuple(out)


def scan(folder: str | os.PathLike) -> CityFiles:
    """The export files in `folder`; CityFolderError when it is missing, unreadable or holds no export."""
    root = Path(folder)
    if not root.is_dir():
        raise CityFolderError(f"Không tìm thấy thư mục số liệu toàn thành phố: {root}")

    def listed(name: str) -> tuple[Path, ...]:
        sub = root / name
        try:
            return tuple(sorted(p for p in sub.glob("*.parquet") if not p.name.startswith(".")))
        except OSError as exc:
            raise CityFolderError(f"Không đọc được thư mục {sub}: {exc.strerror or exc}") from exc

    if not os.access(root, os.R_OK | os.X_OK):
        raise CityFolderError(f"Không đọc được thư mục {root}: không có quyền đọc")
    files = CityFiles(root, listed("rollup_monthly"), listed("target_overrides"), listed("communes"))
    if not files.rollup and not files.communes:
        raise CityFolderError(
            f"Thư mục {root} chưa có tệp xuất nào của xã, phường. Mỗi xã chạy hằng đêm: cli.py export --parquet {root}"
        )
    return files


def parquet_list(paths: tuple[Path, ...]) -> str:
    """A DuckDB list literal of file names, for read_parquet([...])."""
    return "[" + ", ".join(literal(str(p)) for p in paths) + "]"


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _readable(con: duckdb.DuckDBPyConnection, paths: tuple[Path, ...], columns: str) -> pd.DataFrame:
    """Per file, `columns` aggregated; a file that is not whole Parquet (half-copied, truncated) is named."""
    sql = f"SELECT filename, {columns} FROM read_parquet({parquet_list(paths)}, filename = true) GROUP BY filename"
    try:
        return con.execute(sql).df()
    except duckdb.Error:
        for path in paths:  # which one: only on the rare failure, one file at a time
            try:
                con.execute(f"SELECT count(*) FROM read_parquet({literal(str(path))})").fetchall()
            except duckdb.Error as exc:
                raise CityFolderError(
                    f"Tệp {path} không đọc được (có thể đang chép dở hoặc bị hỏng): xã đó cần xuất lại. "
                    f"Chi tiết: {str(exc).splitlines()[0][:200]}"
                ) from exc
        raise


def check(con: duckdb.DuckDBPyConnection, files: CityFiles, *, identity: bool = True) -> pd.DataFrame | None:
    """Every file is whole Parquet and names the commune its file name says; with `identity`, also: no two communes
    share a name and every commune with figures has its identity file. Returns one row per commune (commune,
    commune_name, city, exported_at, plan_start), None without `identity`. CityFolderError otherwise."""
    for label, paths in (("rollup_monthly", files.rollup), ("target_overrides", files.overrides)):
        if not paths:
            continue
        got = _readable(con, paths, "min(commune) AS lo, max(commune) AS hi")
        for row in got.itertuples():
            stem = Path(row.filename).stem
            if pd.notna(row.lo) and (row.lo != stem or row.hi != stem):
                raise CityFolderError(
                    f"Tệp {label}/{Path(row.filename).name} ghi số liệu của xã '{row.lo}', không phải của xã "
                    f"'{stem}' như tên tệp: hai bản xuất không khớp nhau về xã, cần xuất lại."
                )
    if not identity:
        return None
    if not files.communes:
        raise CityFolderError(
            f"Thư mục {files.folder} chưa có tệp communes/MÃ_XÃ.parquet (tên xã, danh mục chỉ tiêu): các xã cần "
            "xuất lại bằng phiên bản mới của cli.py export --parquet."
        )
    cols = ("min(commune) AS lo, max(commune) AS hi, count(DISTINCT commune_name)::INTEGER AS names, "
            "min(commune_name) AS commune_name, min(city) AS city, max(exported_at) AS exported_at, "
            "min(plan_start) AS plan_start")  # fmt: skip
    try:
        ids = _readable(con, files.communes, cols)
    except duckdb.BinderException as exc:
        raise CityFolderError(f"Tệp trong {files.folder / 'communes'} thiếu cột cần thiết: {exc}") from exc
    for row in ids.itertuples():
        stem = Path(row.filename).stem
        if row.lo != stem or row.hi != stem or row.names != 1:
            raise CityFolderError(
                f"Tệp communes/{Path(row.filename).name} không nói rõ một xã '{stem}' (ghi mã '{row.lo}'"
                f"{'' if row.lo == row.hi else f' và {row.hi!r}'}): hai bản xuất không khớp nhau về xã, cần xuất lại."
            )
    ids = ids.assign(commune=ids["lo"])
    twice = ids[ids.duplicated("commune_name", keep=False)]
    if not twice.empty:
        name = twice["commune_name"].iloc[0]
        codes = ", ".join(sorted(twice.loc[twice.commune_name == name, "commune"]))
        raise CityFolderError(
            f"Hai bản xuất cùng mang tên '{name}' nhưng khác mã xã ({codes}): một xã đã đổi mã trong danh mục? "
            "Xóa bản xuất cũ khỏi thư mục rồi xuất lại."
        )
    known = set(ids["commune"])
    missing = sorted({p.stem for p in files.rollup} - known)
    if missing:
        raise CityFolderError(
            f"Xã {', '.join(missing)} có số liệu nhưng thiếu tệp communes/MÃ_XÃ.parquet (tên xã, danh mục chỉ "
            "tiêu): xã cần xuất lại bằng phiên bản mới của cli.py export --parquet."
        )
    out = ids[["commune", "commune_name", "city", "exported_at", "plan_start"]]
    return out.sort_values("commune", ignore_index=True)
