"""Plans of several regions, solved region by region when nothing couples them.

Why: no constraint of the planning LP spans two regions and its objective is a sum over
regions, so the optimum of the whole is the union of the regions' optima. Solving them
one by one gives the same first-stage plan, and makes every later solve (the gap problem,
the tie-break, the near-optimal ranges) a set of small problems instead of one large one:
at 32 regions the tie-break as one LP takes minutes, region by region seconds. The bands
of the tie-break and of the ranges are then per region (no region's objective is traded
for another's). A CVaR term couples the regions (the CVaR of a sum is not the sum of the
CVaRs), so with `cvar_weight` > 0 the plan is solved as one LP.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from curricula.horizon import extension_years
from curricula.inputs import PlanInputError, PlanInputs
from curricula.result import PlanResult

#: PlanResult frames concatenated over the regions.
FRAMES = ("intake", "enrolment", "graduates", "added_supply", "gap", "cost", "faculty", "duals", "beyond",
          "coverage", "ranges")


def regions_of(inputs: PlanInputs) -> list[str]:
    """Every region with a programme or a demand series, sorted."""
    return sorted({p.region for p in inputs.programmes} | {str(r) for r in inputs.demand["region"]})


def separable(inputs: PlanInputs) -> bool:
    """True when the plan has several regions and nothing couples them (no CVaR term)."""
    return inputs.cvar_weight <= 0 and len(regions_of(inputs)) > 1


def require_some_match(inputs: PlanInputs) -> None:
    """Refuse a plan none of whose programmes yields graduates for any demand series."""
    known = {(str(a), str(b), str(c)) for a, b, c in
             zip(inputs.demand["region"], inputs.demand["role"], inputs.demand["level"], strict=True)}
    wanted = [(p, role, level) for p in inputs.programmes for (role, level), share in p.yields.items() if share]
    if wanted and not any((p.region, role, level) in known for p, role, level in wanted):
        p, role, level = wanted[0]
        raise PlanInputError([f"programme '{p.id}', yield ({role!r}, {level!r}): no demand for that role and "
                              f"level in region {p.region!r} (no programme's yield meets any demand)"])


def split(inputs: PlanInputs) -> dict[str, PlanInputs]:
    """One `PlanInputs` per region, with the whole plan's horizon, target and levels."""
    common = dataclasses.replace(inputs, horizon_extension=extension_years(inputs), target_year=inputs.target,
                                 professional_levels=inputs.professional())
    out: dict[str, PlanInputs] = {}
    for region in regions_of(inputs):
        out[region] = dataclasses.replace(
            common,
            programmes=tuple(p for p in inputs.programmes if p.region == region),
            demand=inputs.demand[inputs.demand["region"] == region].reset_index(drop=True),
            base_supply=inputs.base_supply[inputs.base_supply["region"] == region].reset_index(drop=True),
            budget={k: v for k, v in inputs.budget.items() if k[0] == region},
            faculty=tuple(f for f in inputs.faculty if f.region == region),
            coverage=tuple(c for c in inputs.coverage if c.region == region),
            pools=tuple(p for p in inputs.pools if p.region == region))
    return out


def merge(inputs: PlanInputs, parts: list[PlanResult]) -> PlanResult:
    """One result from the regions' results: frames concatenated, numbers summed."""
    bad = [r for r in parts if not r.optimal]
    first = bad[0] if bad else parts[0]
    frames = {name: pd.concat([getattr(r, name) for r in parts if not getattr(r, name).empty] or
                              [getattr(parts[0], name)], ignore_index=True) for name in FRAMES}
    timings: dict[str, float] = {}
    for r in parts:
        for k, v in r.timings.items():
            timings[k] = timings.get(k, 0.0) + v
    return dataclasses.replace(
        first, **frames, status=first.status, timings=timings,
        objective=sum(r.objective for r in parts), plan_objective=sum(r.plan_objective for r in parts),
        optimal_money=sum(r.optimal_money for r in parts),
        unmatched_yields=tuple(u for r in parts for u in r.unmatched_yields),
        target_year=inputs.target, professional_levels=inputs.professional())
