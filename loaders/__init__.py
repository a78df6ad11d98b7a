"""Workbook bytes to a Report: `read_report` (loaders/reader.py), loaded on its first use, not with the package."""

# Importing loaders.model or loaders.text runs this file first: it loads nothing else, so the parent of a reader
# worker (intake/sandbox.py), which only unpickles Reports, never pays for the ~70 ms of every reader.
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.reader import read_report

__all__ = ["read_report"]


def __getattr__(name: str) -> object:
    # `from loaders import read_report` lands here the first time; afterwards the attribute is set.
    if name == "read_report":
        from loaders.reader import read_report

        globals()["read_report"] = read_report
        return read_report
    raise AttributeError(f"module 'loaders' has no attribute {name!r}")
