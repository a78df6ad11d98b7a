"""The server's protective limits on what one uploaded file may cost: size, parsing memory and time, read from the
environment at each use so an operator can change them without touching code."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

# Each limit: (environment variable, default, smallest sensible value). The README's "Vận hành" lists them.
UPLOAD_MB = ("XANH_MAX_UPLOAD_MB", 20.0, 0.001)  # a monthly report is a few hundred kB
PARSE_MEMORY_MB = ("XANH_PARSE_MEMORY_MB", 2048.0, 64.0)  # address space of the process reading one file
PARSE_SECONDS = ("XANH_PARSE_SECONDS", 60.0, 0.01)  # wall clock to read one file
PARSE_WORKERS = ("XANH_PARSE_WORKERS", 2.0, 1.0)  # files read at the same time (each may use PARSE_MEMORY_MB)


def _number(setting: tuple[str, float, float]) -> float:
    name, default, floor = setting
    raw = os.environ.get(name, "").strip().replace(",", ".")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        log.warning("%s=%r is not a number; using %s", name, raw, default)
        return default
    if not value >= floor:  # also refuses NaN
        log.warning("%s=%r is below %s; using %s", name, raw, floor, floor)
        return floor
    return value


def upload_bytes() -> int:
    """Largest file accepted for import, in bytes ($XANH_MAX_UPLOAD_MB, default 20 MB)."""
    return int(_number(UPLOAD_MB) * 2**20)


def upload_mb() -> float:
    return _number(UPLOAD_MB)


def parse_memory_bytes() -> int:
    """Address space a file's reader process may use ($XANH_PARSE_MEMORY_MB, default 2048 MB)."""
    return int(_number(PARSE_MEMORY_MB) * 2**20)


def parse_seconds() -> float:
    """Wall-clock seconds a file's reading may take before it is stopped ($XANH_PARSE_SECONDS, default 60)."""
    return _number(PARSE_SECONDS)


def parse_workers() -> int:
    """Files read at the same time, each in its own process ($XANH_PARSE_WORKERS, default 2)."""
    return int(_number(PARSE_WORKERS))
