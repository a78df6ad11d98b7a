"""Waiting in tests for a condition, never for a length of time: every wait has a bound and, past it, fails saying
what it waited for. (Speed is measured in bench/, never asserted here: a busy machine must not fail a test.)"""

from __future__ import annotations

import os
import select
import subprocess
import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL = 0.02  # seconds between two looks at a condition: how soon a wait notices, not how long it waits


def wait_until(
    condition: Callable[[], T], timeout: float, what: str, *, unless: Callable[[], str | None] | None = None
) -> T:
    """The first truthy value of condition(), looked at every POLL seconds. AssertionError after `timeout` seconds,
    or as soon as unless() returns a reason (a process that died, say): either way naming `what` was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        reason = unless() if unless else None
        if reason:
            raise AssertionError(f"gave up waiting for {what}: {reason}")
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(POLL)


def alive(proc: subprocess.Popen, name: str) -> Callable[[], str | None]:
    """For wait_until(unless=…): the reason to stop waiting on `proc` once it has ended."""

    def ended() -> str | None:
        code = proc.poll()
        return None if code is None else f"{name} ended with exit code {code}"

    return ended


def joined(thread: threading.Thread, timeout: float, what: str) -> None:
    """Join `thread`, failing loud when it is still running after `timeout` seconds."""
    thread.join(timeout)
    assert not thread.is_alive(), f"waited {timeout:g} s for {what}"


def line_from(source: subprocess.Popen | int, timeout: float, what: str) -> str:
    """One line, stripped, within `timeout` seconds, from a child's stdout (a pipe) or from a file descriptor (a
    FIFO): a process announcing it is ready. Reads the descriptor itself, unbuffered: use it for every line read."""
    proc = source if isinstance(source, subprocess.Popen) else None
    fd = proc.stdout.fileno() if proc else source
    deadline, got = time.monotonic() + timeout, b""
    while not got.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            state = f", exit code {proc.poll()}" if proc else ""
            raise AssertionError(f"waited {timeout:g} s for {what} (read so far: {got!r}{state})")
        chunk = os.read(fd, 1)
        if not chunk:
            state = f", exit code {proc.poll()}" if proc else ""
            raise AssertionError(f"gave up waiting for {what}: the other end closed (read {got!r}{state})")
        got += chunk
    return got.decode().strip()
