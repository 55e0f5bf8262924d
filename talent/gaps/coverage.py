"""Literacy coverage (素养教育): the share of each audience that is AI-literate, against targets.

Literacy is not part of the professional gap: it does not produce the AI
professionals whose shortage the gap measures. It has its own table, per
region × audience × year: population, trained (without the plan), target
(a share, from the planning file), coverage = trained / population, and the
shortfall in persons = max(0, target × population − trained): the
additional people the plan's literacy programmes must reach.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

COLUMNS = ["region", "audience", "year", "population", "trained", "target", "coverage", "shortfall",
           "population_status", "trained_status"]
Targets = Mapping[str, Mapping[int, float]]  # audience -> year -> target share of the population


def coverage_table(data: pd.DataFrame, targets: Targets) -> pd.DataFrame:
    """The coverage table of `data` (from `talent.io.coverage.load_coverage`) against `targets`.

    Years without a target have an empty target and no shortfall.
    """
    out = data.copy()
    out["target"] = [float(targets.get(a, {}).get(int(y), np.nan)) for a, y in zip(out["audience"], out["year"],
                                                                                   strict=True)]
    out["coverage"] = (out["trained"] / out["population"]).round(4)
    need = (out["target"] * out["population"] - out["trained"]).clip(lower=0)
    out["shortfall"] = need.round()
    return out[COLUMNS].reset_index(drop=True)


def with_plan(table: pd.DataFrame, graduates: pd.DataFrame) -> pd.DataFrame:
    """Add what the plan's literacy graduates do: `trained_with_plan` (cumulative graduates of each
    region × audience added) and `coverage_with_plan`, per year of the table. Graduates of a region's
    sub-regions (`CN-HA` under `CN`) count for the region when the table has no row of their own."""
    rows = graduates[graduates["tier"] == "literacy"]
    own = set(table["region"])
    parent = {r: next((o for o in own if str(r).startswith(f"{o}-")), r) for r in set(rows["region"]) - own}
    rows = rows.assign(region=rows["region"].map(lambda r: parent.get(r, r)))
    lit = rows.groupby(["region", "audience", "year"])["graduates"].sum()
    added = []
    for region, audience, year in zip(table["region"], table["audience"], table["year"], strict=True):
        g = lit.get((region, audience))
        added.append(float(g[g.index <= year].sum()) if g is not None else 0.0)
    out = table.assign(trained_with_plan=(table["trained"] + np.array(added)).round())
    out["coverage_with_plan"] = (out["trained_with_plan"] / out["population"]).round(4)
    return out
