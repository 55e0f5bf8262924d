"""What limits the gap: the target-year gap with and without each family of limits.

Why: "budget ×10 leaves the gap at 2.39 m" needs a reason in words. For every hard
family the plan has rows of (budget, faculty numbers, faculty growth, intake growth,
ramp, pools, coverage, minimum shares), the plan is solved again with that family left
out (one family at a time, everything else unchanged, the same two solves), and the
expected professional gap in the target year is compared, in persons. A last row,
family "all", leaves out every one of them together. The rows are data; the application
puts them into words. The re-solves run two at a time (`curricula.threads`).
"""

from __future__ import annotations

import pandas as pd

from curricula.families import HARD_FAMILIES
from curricula.inputs import PlanInputs
from curricula.result import FAMILY_WORDS, LIMIT_COLUMNS, PlanResult
from curricula.threads import map_in_threads


def gap_limits(inputs: PlanInputs, result: PlanResult, solver: str = "highs",
               time_limit: float | None = None) -> pd.DataFrame:
    """One row per family of limits: family, description, binding_rows, gap_with, gap_without.

    `binding_rows` counts the family's rows that bind with a positive value at the optimum;
    `gap_with` is the plan's expected professional gap in the target year, `gap_without`
    the same for the plan solved without the family (persons).
    """
    from curricula.solve import plan

    d = result.duals
    present = [f for f in HARD_FAMILIES if (d["family"] == f).any()]
    gap_with = result.target_gap()[1]
    families = [*present, "all"]
    drops = [tuple(present) if family == "all" else (family,) for family in families]

    def gap_without(drop: tuple[str, ...]) -> float:
        other = plan(inputs, solver=solver, diagnose=False, time_limit=time_limit, persons=False, drop=drop)
        return other.target_gap()[1] if other.optimal else float("nan")

    gaps = map_in_threads(gap_without, drops)  # independent re-solves, two at a time
    rows = []
    for family, drop, without in zip(families, drops, gaps, strict=True):
        mine = d[d["family"].isin(drop)]
        rows.append({"family": family,
                     "description": "every limit" if family == "all" else FAMILY_WORDS[family],
                     "binding_rows": int((mine["binding"] & (mine["value"] > 1e-9)).sum()),
                     "gap_with": gap_with, "gap_without": without})
    return pd.DataFrame(rows, columns=list(LIMIT_COLUMNS))
