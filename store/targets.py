"""Phase targets an admin sets over the catalogue's defaults, with their source, audited; the effective catalogue."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from ground.catalogue import Catalogue, Target
from store.accounts import audit
from store.base import StoreBase


def target_problem(catalogue: Catalogue, indicator: str, phase: str, value: float, source: str) -> str | None:
    """Why an admin's target is refused (a Vietnamese sentence), or None: the catalogue's own rules."""
    try:
        ind = catalogue.indicator(indicator)
    except KeyError:
        return f"Không có chỉ tiêu mã '{indicator}' trong danh mục."
    if phase not in {p.code for p in catalogue.phases}:
        return f"Không có giai đoạn '{phase}' trong danh mục."
    if ind.direction == "none":
        return f"'{ind.name}' chỉ theo dõi, không đặt chỉ tiêu."
    if value is None or not math.isfinite(value) or value < 0:
        return "Chỉ tiêu phải là một số không âm."
    if ind.kind == "ratio" and value > 100:
        return "Chỉ tiêu tỷ lệ phải từ 0 đến 100 (%)."
    if not (source or "").strip():
        return "Hãy ghi nguồn của chỉ tiêu (ví dụ: số và ngày văn bản giao chỉ tiêu)."
    return None


def with_targets(catalogue: Catalogue, targets: pd.DataFrame) -> Catalogue:
    """The catalogue with `targets` (indicator, phase, value, source rows: admins' overrides or frozen ones) in
    place of its own: a given target replaces its phase's, the others are kept."""
    order = [p.code for p in catalogue.phases]
    by_indicator: dict[str, dict[str, Target]] = {}
    for r in targets.itertuples(index=False):
        if r.phase in order:  # a phase since removed from the catalogue no longer applies
            by_indicator.setdefault(r.indicator, {})[r.phase] = Target(r.phase, float(r.value), r.source)
    indicators = []
    for ind in catalogue.indicators:
        mine = by_indicator.get(ind.code)
        if mine and ind.direction != "none":
            kept = [mine.pop(t.phase, t) for t in ind.targets]
            # A phase the catalogue sets no target for may get one too, in the catalogue's phase order.
            targets_of = tuple(sorted([*kept, *mine.values()], key=lambda t: order.index(t.phase)))
            ind = dataclasses.replace(ind, targets=targets_of)
        indicators.append(ind)
    return dataclasses.replace(catalogue, indicators=tuple(indicators))


class Targets(StoreBase):
    def target_overrides(self, commune: str | None = None) -> pd.DataFrame:
        """The admins' targets: indicator, phase, value, source, set_by, set_at."""
        with self.connect() as con:
            return con.execute(
                "SELECT indicator, phase, value, source, set_by, set_at FROM target_overrides "
                "WHERE ($commune IS NULL OR commune = $commune) ORDER BY indicator, phase",
                {"commune": self._commune(commune)},
            ).df()

    def set_target(
        self, catalogue: Catalogue, indicator: str, phase: str, value: float, source: str, *, who: str
    ) -> None:
        """Override one phase target; ValueError (Vietnamese) when the catalogue's rules refuse it. Audited."""
        problem = target_problem(catalogue, indicator, phase, value, source)
        if problem:
            raise ValueError(problem)
        commune = catalogue.commune.code
        default = catalogue.indicator(indicator).target(phase)
        with self.transaction() as tx:
            before = tx.con.execute(
                "SELECT value, source FROM target_overrides WHERE commune = ? AND indicator = ? AND phase = ?",
                [commune, indicator, phase],
            ).fetchone()
            tx.con.execute(
                "INSERT OR REPLACE INTO target_overrides VALUES (?, ?, ?, ?, ?, ?, ?)",
                [commune, indicator, phase, float(value), source.strip(), who, self.clock()],
            )
            was = {"value": before[0], "source": before[1]} if before else _as_dict(default)
            detail = {"indicator": indicator, "phase": phase, "value": float(value), "source": source.strip()}
            audit(tx.con, self.clock(), who, "target_set", detail | {"before": was})

    def clear_target(self, catalogue: Catalogue, indicator: str, phase: str, *, who: str) -> bool:
        """Drop an override so the catalogue's target applies again; False when there was none. Audited."""
        commune = catalogue.commune.code
        with self.transaction() as tx:
            before = tx.con.execute(
                "DELETE FROM target_overrides WHERE commune = ? AND indicator = ? AND phase = ? "
                "RETURNING value, source",
                [commune, indicator, phase],
            ).fetchone()
            if before is None:
                tx.rollback()
                return False
            detail = {"indicator": indicator, "phase": phase, "before": {"value": before[0], "source": before[1]}}
            detail["after"] = _as_dict(catalogue.indicator(indicator).target(phase))
            audit(tx.con, self.clock(), who, "target_clear", detail)
            return True

    def effective_catalogue(self, catalogue: Catalogue) -> Catalogue:
        """The catalogue with the admins' targets in place of its own: what every figure and status must use."""
        overrides = self.target_overrides(catalogue.commune.code)
        if overrides.empty:
            return catalogue
        return with_targets(catalogue, overrides)


def _as_dict(target: Target | None) -> dict | None:
    return None if target is None else {"value": target.value, "source": target.source, "from": "danh mục"}
