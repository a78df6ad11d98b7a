"""A reader worker ends itself when its own time is up or its parent is gone (killed with -9 in the middle of a
read): it never goes on parsing for nobody. The read is made to hang by a stand-in reader; waits are bounded and
wait for the process's end itself (a pidfd), never a sleep."""

from __future__ import annotations

import os
import pickle
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from intake import sandbox

ROOT = Path(__file__).resolve().parent.parent

# A worker whose reader never returns (as a pathological workbook could make the native reader do).
_HANGING_WORKER = textwrap.dedent(
    f"""
    import sys, time
    sys.path.insert(0, {str(ROOT)!r})
    import loaders
    loaders.read_report = lambda *a, **k: time.sleep(10**6)
    from intake import sandbox
    sandbox._serve(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    """
)


def _request(seconds: float) -> bytes:
    body = sandbox._request(b"", "treo.xlsx", pickle.dumps(None), None, None, 2**31, seconds)
    return sandbox._FRAME.pack(len(body)) + body


def test_a_worker_ends_itself_when_its_time_is_up():
    proc = subprocess.Popen([sys.executable, "-c", _HANGING_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    proc.stdin.write(_request(0.5))
    proc.stdin.flush()
    assert proc.wait(timeout=60) == -signal.SIGALRM  # its own limit: 0,5 s + the grace, from the kernel


def test_a_worker_whose_parent_is_killed_ends_itself():
    parent = textwrap.dedent(
        f"""
        import os, subprocess, sys
        code = {_HANGING_WORKER!r}
        worker = subprocess.Popen([sys.executable, "-c", code, str(os.getpid())], stdin=subprocess.PIPE)
        worker.stdin.write({_request(3600)!r})
        worker.stdin.flush()
        print(worker.pid, flush=True)
        sys.stdin.readline()
        os.kill(os.getpid(), 9)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", parent], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    pid = int(proc.stdout.readline())
    fd = os.pidfd_open(pid)  # held before the parent dies, so the number cannot be reused under us
    try:
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.wait(timeout=60) == -9
        ended = bool(select.select([fd], [], [], 60)[0])
        if not ended:  # never leave it behind: the pidfd names exactly that process
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        assert ended, "the orphaned worker was still reading a minute after its parent died"
    finally:
        os.close(fd)
