"""Memory and browser benchmark: a real `streamlit run app_pages/server.py` per database (the sample data, five full
years), every page opened twice in Debian's Chromium (Playwright); the server's peak resident memory (VmHWM) beside
its memory when idle and beside an idle bare Streamlit server (bench/bare_page.py), and each page's time until
interactive in the browser beside the 2 s goal. Not a test.

usage: .venv/bin/python bench/memory.py [--db PATH ...]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cli
from bench import serving
from ground import (
    auth,
    fmt,
)
from ground.catalogue import load_catalogue
from store import Store

CHROMIUM = serving.CHROMIUM
ARGS = serving.ARGS
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
GOAL = 2.0  # seconds until a page is interactive (issue 7)
PUBLIC = ("", "chi-tieu", "thon", "don-vi", "phuong-phap", "bao-cao", "dang-nhap")  # dashboard.PAGES + login
# Reached from the sidebar once signed in as an admin (a reload would start a new, signed-out session).
ACCOUNT = (("Tải lên", "tai-len"), ("Lịch sử", "lich-su"), ("Quản trị", "quan-tri"))
ADMIN, PASSWORD = "bench", "mat-khau-do-toc-do-2026"


def sample_db(folder: Path) -> Path:
    """Every sample workbook imported through cli.py into a fresh database."""
    db = folder / "mau.duckdb"
    files = sorted(str(p) for p in (ROOT / "sample_data").glob("*") if p.suffix.lower() in {".xlsx", ".xls", ".xlsm"})
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(["import", *files, "--db", str(db), "--json"])
    return db


def memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident) and VmRSS (resident now) of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0]) / 1024
    return out


def bare_idle(folder: Path) -> dict[str, float]:
    """The floor: a Streamlit server of the bare page (bench/bare_page.py), idle, before any visitor."""
    with serving.server(serving.ROOT / "bench" / "bare_page.py", folder / "bare.log") as (_url, pid):
        return memory_mb(pid)


def _settle(page) -> float:
    """Seconds until the script has run and the page shows its heading (the browser side of "interactive")."""
    start = time.monotonic()
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_selector("[data-testid='stHeading']", timeout=60_000)
    return time.monotonic() - start


def _open(page, url: str) -> float:
    start = time.monotonic()
    page.goto(url)
    _settle(page)
    elapsed = time.monotonic() - start
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"{url}: the page shows an error")
    return elapsed


def _timed(step) -> float:
    """The step's seconds, or NaN (said on stderr) when the page did not become interactive in time."""
    try:
        return step()
    except Exception as exc:  # a page that never settles is a result too, not the end of the benchmark
        print(f"  (không đo được: {str(exc).splitlines()[0]})", file=sys.stderr)
        return math.nan


def _click(page, title: str, path: str) -> float:
    """Follow a sidebar link in the same session; seconds until the new page is interactive."""
    start = time.monotonic()
    page.get_by_role("link", name=title).first.click()
    page.wait_for_url(lambda u: urllib.parse.urlparse(u).path.strip("/") == path)
    _settle(page)
    return time.monotonic() - start


def measure(db: Path, folder: Path) -> dict:
    """Open every page twice (a cold server, then again) and read the server's memory before and after."""
    from playwright.sync_api import sync_playwright

    store = Store(db, commune=load_catalogue().commune.code)
    if store.user(ADMIN) is None:
        store.add_user(ADMIN, "admin", [], auth.hash_password(PASSWORD), who="bench")
    else:
        store.set_password(ADMIN, auth.hash_password(PASSWORD), who="bench")
    pages: list[tuple[str, float, float]] = []
    served = ROOT / "app_pages" / "server.py"  # what `make run` serves: it warms its caches before answering
    with serving.server(served, folder / f"{db.stem}.log", {"XANH_DB": str(db)}) as (url, pid), sync_playwright() as pw:
        idle = memory_mb(pid)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path in PUBLIC:
                pages.append(("/" + path, *(_timed(lambda p=path: _open(page, f"{url}/{p}")) for _ in range(2))))
            _open(page, f"{url}/dang-nhap")
            page.get_by_label("Tên đăng nhập").fill(ADMIN)
            page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            _settle(page)
            for title, path in ACCOUNT:
                times = []
                for _ in range(2):
                    times.append(_timed(lambda t=title, p=path: _click(page, t, p)))
                    _click(page, "Tổng quan", "")
                pages.append((title, *times))
        finally:
            browser.close()
        peak = memory_mb(pid)
    return {"db": db.stem, "db_mb": db.stat().st_size / 2**20, "idle": idle, "peak": peak, "pages": pages}


def report(results: list[dict]) -> None:
    for r in results:
        print(
            f"\nMáy chủ trên '{r['db']}' ({fmt.number(r['db_mb'], 1)} MB): bộ nhớ lúc chờ "
            f"{fmt.number(r['idle']['VmHWM'], 0)} MB, cao nhất sau khi mở mọi trang "
            f"{fmt.number(r['peak']['VmHWM'], 0)} MB (× {fmt.number(r['peak']['VmHWM'] / r['idle']['VmHWM'], 2)})"
        )
        bare = r["bare_idle"]["VmHWM"]
        print(
            f"  máy chủ Streamlit trần lúc chờ (bench/bare_page.py): {fmt.number(bare, 0)} MB; cao nhất của ta ÷ nó: "
            f"{fmt.number(r['peak']['VmHWM'] / bare, 2)} (mục tiêu ≤ 5 với 5 năm số liệu)"
        )
        print(f"  {'trang':<16}{'lần đầu (s)':>13}{'× 2 s':>8}{'lần sau (s)':>13}{'× 2 s':>8}")
        for name, first, again in r["pages"]:
            print(
                f"  {name:<16}{fmt.number(first, 2):>13}{fmt.number(first / GOAL, 2):>8}"
                f"{fmt.number(again, 2):>13}{fmt.number(again / GOAL, 2):>8}"
            )


def run(dbs: list[Path] | None = None) -> list[dict]:
    """Measure the given databases, or the sample data and five full years built in a temporary folder."""
    if not CHROMIUM.exists():
        raise SystemExit("cần Chromium của Debian (/usr/bin/chromium): chạy `make test` một lần để cài")
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = Path(tmp)
        if not dbs:
            from bench.pages import build_db

            five = folder / "nam-nam.duckdb"
            build_db(five, load_catalogue())
            dbs = [sample_db(folder), five]
        out = []
        for db in dbs:  # the bare server's idle beside each, so a ratio's two sides are measured close in time
            floor = bare_idle(folder)
            out.append(measure(db, folder) | {"bare_idle": floor})
        return out


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, nargs="+", help="databases to serve (default: sample data, five years)")
    args = parser.parse_args(argv)
    results = run(args.db)
    report(results)
    return results


if __name__ == "__main__":
    main()
