"""A settable clock for the store in tests: what was uploaded, tried or frozen when."""

from __future__ import annotations

from datetime import datetime


class Clock:
    def __init__(self, at: datetime):
        self.at = at

    def __call__(self) -> datetime:
        return self.at
