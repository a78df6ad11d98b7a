"""What every browser test shares: Debian's chromium, a real `streamlit run` on a given database, waiting for a run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need_chromium() -> None:
    """Skips (with the way to get it) where Debian's chromium is missing; `make test` installs it."""
    if not CHROMIUM.exists():
        pytest.skip("cần Chromium của Debian (/usr/bin/chromium): chạy `make test` để cài")


@contextmanager
def streamlit_server(db: Path, log: Path | None = None) -> Iterator[str]:
    """`streamlit run app_pages/server.py` (dashboard.py) serving `db` on a free port; yields its URL once healthy,
    stops it after.
    The server's output goes to `log` (shown when it fails to start) or nowhere."""
    need_chromium()
    port = free_port()
    env = dict(os.environ, XANH_DB=str(db))
    # The production entry (app_pages/server.py: dashboard.py with the security headers), as `make run` serves it.
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app_pages" / "server.py"), "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    out = log.open("w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("streamlit did not start" + (f":\n{log.read_text()}" if log else ""))
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if log:
            out.close()


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
    """Wait until the app's script run has finished (after giving a rerun the time to start)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
