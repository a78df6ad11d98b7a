"""Reading untrusted workbooks in worker processes under a memory cap and a time limit: a file that would exhaust
the server's memory or hang it only ends its worker, which is killed and replaced, and the file is refused."""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path, PurePath

from ground.catalogue import Catalogue
from intake import limits
from loaders.model import Problem, Report

log = logging.getLogger(__name__)

_FRAME = struct.Struct("<Q")  # every message is its length, then a pickle
_ROOT = Path(__file__).resolve().parent.parent
_RECYCLE_RSS = 512 * 2**20  # a worker whose heap grew past this (a big file) is replaced, giving the memory back
_RECYCLE_TASKS = 500
# Test-only, never set in production: a FIFO's path here makes the worker of every read begun meanwhile stop inside
# the read, write its pid to the FIFO and wait until the test closes its end or kills it (test_hardening_workbooks.py).
HOLD_READS_ENV = "XANH_TEST_HOLD_READS"

_ADVICE = (
    "Hãy mở tệp bằng Excel hoặc LibreOffice, sao chép riêng bảng báo cáo sang một sổ làm việc mới, lưu thành "
    ".xlsx rồi tải lên lại."
)


class WorkerDied(RuntimeError):
    """The worker ended without answering (killed by its memory cap, a crash of the native reader, or a kill)."""


class _Worker:
    """One reader process: requests in on its stdin, answers out on its stdout, one file at a time."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "intake.sandbox", str(os.getpid())],  # the parent it watches
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a native reader dying of its cap prints there; the refusal says it all
            cwd=str(_ROOT),  # the repository root, where `-m intake.sandbox` finds the project's packages
            bufsize=0,
        )
        self.tasks = 0
        self.rss = 0

    def call(self, request: bytes, seconds: float) -> bytes:
        """Send one request, wait for its answer at most `seconds`. TimeoutError or WorkerDied otherwise."""
        try:
            _write_frame(self.proc.stdin, request)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(str(exc)) from exc
        deadline = time.monotonic() + seconds
        header = self._read(_FRAME.size, deadline)
        reply = self._read(_FRAME.unpack(header)[0], deadline)
        self.tasks += 1
        return reply

    def _read(self, n: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise WorkerDied(f"exit code {self.proc.wait()}")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def kill(self) -> int | None:
        """Stop it now; its exit code (negative: the signal that ended it)."""
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        code = self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()
        return code

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


class _Pool:
    """At most `limits.parse_workers()` reader processes, kept warm between files; a caller waits for a free one."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._busy = 0
        self._cond = threading.Condition()

    def acquire(self) -> _Worker:
        with self._cond:
            while True:
                while self._idle:
                    w = self._idle.pop()
                    if w.alive:
                        self._busy += 1
                        return w
                    self._all.discard(w)
                if self._busy < limits.parse_workers():
                    self._busy += 1
                    break
                self._cond.wait()
        try:
            w = _Worker()  # started outside the lock: ~0,2 s
        except BaseException:
            self.release(None)
            raise
        with self._cond:
            self._all.add(w)
        return w

    def release(self, w: _Worker | None, *, keep: bool = True) -> None:
        retire = w is not None and not (keep and w.alive and w.rss < _RECYCLE_RSS and w.tasks < _RECYCLE_TASKS)
        with self._cond:
            self._busy -= 1
            if w is not None and not retire:
                self._idle.append(w)
            elif w is not None:
                self._all.discard(w)
            self._cond.notify()
        if retire:
            w.kill()

    def stop(self) -> None:
        with self._cond:
            workers, self._idle = list(self._all), []
            self._all.clear()
        for w in workers:
            w.kill()

    def pids(self) -> list[int]:
        with self._cond:
            return [w.proc.pid for w in self._all]


_POOL = _Pool()
atexit.register(_POOL.stop)
_CATALOGUES: dict[int, tuple[Catalogue, bytes]] = {}  # id → (the object, kept alive so the id stays its own; pickle)


def shutdown() -> None:
    """Stop every worker (they are started again on the next read)."""
    _POOL.stop()


def worker_pids() -> list[int]:
    """Process ids of the running workers (for tests and diagnostics)."""
    return _POOL.pids()


def read_report(
    data: bytes, file_name: str, catalogue: Catalogue, *, period: str | None = None, unit: str | None = None
) -> Report:
    """loaders.read_report in a worker process, capped at limits.parse_memory_bytes() of address space and
    limits.parse_seconds() of wall clock. Never raises for bad input: a file over a cap is a refused Report."""
    name = PurePath(file_name or "tệp").name
    memory, seconds = limits.parse_memory_bytes(), limits.parse_seconds()
    hold = os.environ.get(HOLD_READS_ENV)  # None outside tests
    request = _request(data, file_name, _catalogue_pickle(catalogue), period, unit, memory, seconds, hold)
    worker = _POOL.acquire()
    keep = False
    try:
        try:
            reply = worker.call(request, seconds)
        except TimeoutError:
            code = worker.kill()
            log.warning("reading %s took over %s s; worker stopped (exit %s)", name, seconds, code)
            return _refused(
                f"Đọc tệp '{name}' mất quá {_vn(seconds)} giây nên đã dừng; tệp chưa được nhận. Tệp có thể chứa vùng "
                f"dữ liệu rất lớn hoặc có cấu trúc bất thường. {_ADVICE}"
            )
        except WorkerDied:
            code = worker.kill()
            log.warning("the worker reading %s died (exit %s)", name, code)
            return _memory_refusal(name, memory) if code in (-signal.SIGABRT, -signal.SIGKILL) else _crash_refusal(name)
        status, worker.rss, payload = _loads(reply)
        if status == "memory":
            return _memory_refusal(name, memory)  # the worker is retired below: its heap may be fragmented
        keep = True
        return payload
    finally:
        _POOL.release(worker, keep=keep)


def _request(
    data: bytes,
    file_name: str,
    catalogue: bytes,
    period: str | None,
    unit: str | None,
    memory: int,
    seconds: float,
    hold: str | None = None,
) -> bytes:
    """One read request as the worker unpacks it (_serve); the worker stops itself `seconds` + OWN_GRACE later.
    `hold` is the test-only FIFO of HOLD_READS_ENV (None outside tests)."""
    return pickle.dumps((data, file_name, catalogue, period, unit, memory, seconds, hold), protocol=5)


def _catalogue_pickle(catalogue: Catalogue) -> bytes:
    held = _CATALOGUES.get(id(catalogue))
    if held is None or held[0] is not catalogue:
        if len(_CATALOGUES) > 8:
            _CATALOGUES.clear()
        held = _CATALOGUES[id(catalogue)] = (catalogue, pickle.dumps(catalogue, protocol=5))
    return held[1]


def _loads(blob: bytes):
    # Rebuilding 100.000 observations triggers the cyclic collector again and again (0,7 s → 0,13 s without it).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(blob)
    finally:
        if enabled:
            gc.enable()


def _vn(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _refused(message: str) -> Report:
    return Report(problems=[Problem(message)])


def _memory_refusal(name: str, memory: int) -> Report:
    return _refused(
        f"Tệp '{name}' cần quá nhiều bộ nhớ để đọc (vượt giới hạn {_vn(round(memory / 2**20))} MB cho một tệp) "
        f"nên đã dừng đọc; tệp chưa được nhận. Tệp có thể chứa vùng dữ liệu rất lớn hoặc bị hỏng. {_ADVICE}"
    )


def _crash_refusal(name: str) -> Report:
    return _refused(
        f"Bộ đọc bảng tính gặp lỗi nghiêm trọng với tệp '{name}' nên đã dừng; tệp chưa được nhận, hệ thống vẫn hoạt "
        f"động bình thường. Tệp có thể bị hỏng. {_ADVICE}"
    )


# ---------------------------------------------------------------- framing


def _write_frame(pipe, payload: bytes) -> None:
    pipe.write(_FRAME.pack(len(payload)))
    view = memoryview(payload)
    while view:
        n = pipe.write(view[: 1 << 20])
        view = view[n:]
    pipe.flush()


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------- the worker


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _hold(fifo: str) -> None:
    """The test-only hook (HOLD_READS_ENV): tell the test this worker is inside a read, then wait to be let go."""
    fd = os.open(fifo, os.O_WRONLY)  # waits for the test to open its end
    try:
        os.write(fd, b"%d\n" % os.getpid())
        let_go = select.poll()
        let_go.register(fd, select.POLLERR)  # reported once the test has closed its end
        let_go.poll()
    finally:
        os.close(fd)


OWN_GRACE = 2.0  # the worker's own limit is the parent's plus this much: the parent normally stops it first
_PARENT_CHECK = 1.0  # seconds between the worker's looks at whether its parent is still there


def _watch_parent(parent: int) -> None:
    # An orphan is reparented: a parent killed with -9 never stops its worker, so the worker stops itself.
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK)
    os._exit(70)


def _serve(parent: int | None = None) -> None:
    """The worker's loop: read a request, read the workbook under the memory cap and its own time limit, answer;
    stop at end of input, or as soon as the parent is gone."""
    import resource

    from loaders import read_report as read

    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # a stray print of a library goes to stderr, never into the answers
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker stops
    # SIGALRM's default action ends the process from the kernel, even inside the native reader holding the GIL.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    # The parent's pid is given: one that died before this line ran is noticed too (getppid() would already be 1).
    watched = parent if parent is not None else os.getppid()
    threading.Thread(target=_watch_parent, args=(watched,), daemon=True, name="parent-watch").start()
    blob, catalogue = None, None
    while True:
        header = _read_exact(0, _FRAME.size)
        if header is None:
            return
        request = _read_exact(0, _FRAME.unpack(header)[0])
        if request is None:
            return
        data, file_name, cat_blob, period, unit, memory, seconds, hold = pickle.loads(request)
        del request
        resource.setrlimit(resource.RLIMIT_AS, (memory, resource.RLIM_INFINITY))
        signal.setitimer(signal.ITIMER_REAL, seconds + OWN_GRACE)
        try:
            if cat_blob != blob:
                blob, catalogue = cat_blob, pickle.loads(cat_blob)
            if hold:
                _hold(hold)
            report = read(data, file_name, catalogue, period=period, unit=unit)
            answer = pickle.dumps(("ok", _rss(), report), 5)
            del report
        except MemoryError:
            answer = pickle.dumps(("memory", _rss(), None), 5)
        signal.setitimer(signal.ITIMER_REAL, 0)
        del data
        _write_frame(out, answer)
        del answer
        # A read leaves its sheet's rows in reference cycles (a sheet's context and its pending checks): freed
        # here, after answering, instead of by a collection in the middle of the next read (100.000 rows: 70 ms).
        gc.collect()


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else None)
