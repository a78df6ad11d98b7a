"""What every browser test shares: Debian's chromium, a real `streamlit run` on a given database, waiting for a run.

Waits are on what the page shows, never on time: after a click, wait for something only the new run shows (with
Playwright's expect, or a locator's wait_for), then for idle(); every wait has a bound. When a test fails while a
server runs, the last lines of its log are added to the failure report (tests/conftest.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.waiting import alive, wait_until

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
LOG_TAIL = 80  # lines of a server's log shown with a failure
_RUNNING: dict[str, Path] = {}  # url → log file of every server now running


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    """Skips (with the way to get it) where Debian's chromium is missing; `make test` installs it."""
    if not CHROMIUM.exists():
        pytest.skip("cần Chromium của Debian (/usr/bin/chromium): chạy `make test` để cài")


def log_tail(log: Path, lines: int = LOG_TAIL) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"


def running_logs() -> dict[str, str]:
    """The tail of the log of every server now running, by URL (for the failure report)."""
    return {url: log_tail(log) for url, log in _RUNNING.items()}


def _healthy(url: str) -> bool:
    try:
        return urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok"
    except OSError:
        return False


@contextmanager
def streamlit_server(db: Path, log: Path | None = None) -> Iterator[str]:
    """`streamlit run` of the served app (dashboard.py with the Vietnamese index.html and the security headers)
    serving `db` on a free port; yields its URL once healthy, stops it after. The server's output goes to `log`
    (a temporary file when not given), whose tail a failure shows."""
    need_chromium()
    port = free_port()
    env = dict(os.environ, XANH_DB=str(db))
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app_pages" / "server.py"), "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    url = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        if log is None:
            log = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="streamlit-"))) / "streamlit.log"
        out = stack.enter_context(log.open("w"))
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            try:
                wait_until(lambda: _healthy(url), 120, f"streamlit to answer at {url}", unless=alive(proc, "streamlit"))
            except AssertionError as exc:
                pytest.fail(f"{exc}; its log:\n{log_tail(log)}")
            _RUNNING[url] = log
            yield url
        finally:
            _RUNNING.pop(url, None)
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's chromium driven by Playwright (never `playwright install`)."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def idle(page, timeout: int = 120_000) -> None:
    """Wait until the app runs no script. Right after a navigation (goto, reload) that is the first run finished: a
    new page shows no finished run before it. After a click the new run may not have begun yet: wait first for
    something only it shows."""
    page.wait_for_selector(IDLE, timeout=timeout)


def drawn(page, timeout: int = 60_000) -> None:
    """Wait until the browser has laid out and painted what it has (two animation frames): after a resize, before a
    screenshot."""
    page.evaluate("window.__xanhFrames = 0")
    page.wait_for_function("() => ++window.__xanhFrames > 2", polling="raf", timeout=timeout)


def tables_drawn(page, at_least: int = 1, timeout: int = 60_000) -> None:
    """Wait until the page holds `at_least` tables (st.dataframe, whose script loads after the run) and every one
    has drawn its canvas."""
    page.wait_for_function(
        """n => { const t = [...document.querySelectorAll("[data-testid='stDataFrame']")];
                  return t.length >= n && t.every(x => x.querySelector("canvas")); }""",
        arg=at_least,
        timeout=timeout,
    )
