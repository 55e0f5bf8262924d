"""The headline of a run: per region, the total gap in one year. The terminal, the report and
the exports all quote these numbers, so they cannot disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from talent.gaps.stock import ALL


@dataclass(frozen=True)
class Headline:
    """One region's totals in one year (persons; `ratio` = supply/demand; NaN where a side is missing)."""

    region: str
    year: int
    demand: float
    supply: float
    gap: float
    gap_low: float
    gap_high: float
    ratio: float
    p_shortage: float

    @property
    def has_gap(self) -> bool:
        """Both demand and supply are known, so the gap is."""
        return not (math.isnan(self.demand) or math.isnan(self.supply))


def headlines(stock: pd.DataFrame, year: int) -> list[Headline]:
    """The totals row (all roles, all levels) of every region in `year`, in table order."""
    lo, hi = [c for c in stock.columns if c.startswith("gap_q")][:2]
    totals = stock[(stock["role"] == ALL) & (stock["level"] == ALL) & (stock["year"] == year)]
    return [Headline(str(r["region"]), int(year), float(r["demand"]), float(r["supply"]), float(r["gap"]),
                     float(r[lo]), float(r[hi]), float(r["ratio"]), float(r["p_shortage"]))
            for r in totals.to_dict("records")]
