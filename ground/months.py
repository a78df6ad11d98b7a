"""Month arithmetic on "YYYY-MM" periods: an index counting months, and back."""

from __future__ import annotations


def month_index(period: str) -> int:
    """Months since year 0: consecutive months differ by one, so differences count months."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def period_at(index: int) -> str:
    """The "YYYY-MM" period of a month index (inverse of month_index)."""
    year, mon = divmod(index, 12)
    return f"{year:04d}-{mon + 1:02d}"


def add_months(period: str, months: int) -> str:
    """The period `months` later (or earlier when negative): add_months("2026-01", -1) == "2025-12"."""
    return period_at(month_index(period) + months)


def months_between(start: str, end: str) -> list[str]:
    """Every period from start to end inclusive (empty when end is before start)."""
    return [period_at(i) for i in range(month_index(start), month_index(end) + 1)]
