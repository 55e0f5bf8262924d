"""Plans of several regions, solved region by region (or group by group) when nothing
couples them.

Why: no constraint of the planning LP spans two regions and its objective is a sum over
regions, so the optimum of the whole is the union of the regions' optima. Solving them
one by one gives the same first-stage plan, and makes every later solve (the gap problem,
the tie-break, the near-optimal ranges) a set of small problems instead of one large one:
at 32 regions the tie-break as one LP takes minutes, region by region seconds. The bands
of the tie-break and of the ranges are then per region (no region's objective is traded
for another's). A CVaR term couples the regions (the CVaR of a sum is not the sum of the
CVaRs), so with `cvar_weight` > 0 the plan is solved as one LP. Graduate mobility between
two regions (an off-diagonal share of `PlanInputs.mobility`) couples them, and a central
budget couples every region with a budget row in a year it covers: each connected group of
coupled regions is solved as one LP, the others one by one (`groups`).
"""

from __future__ import annotations

import dataclasses
import itertools

import pandas as pd

from curricula.horizon import extension_years
from curricula.inputs import PlanInputError, PlanInputs
from curricula.result import PlanResult

#: PlanResult frames concatenated over the regions.
FRAMES = ("intake", "enrolment", "graduates", "added_supply", "gap", "cost", "faculty", "duals", "beyond",
          "coverage", "ranges", "flows")


def regions_of(inputs: PlanInputs) -> list[str]:
    """Every region with a programme or a demand series, sorted."""
    return sorted({p.region for p in inputs.programmes} | {str(r) for r in inputs.demand["region"]})


def groups(inputs: PlanInputs) -> list[list[str]]:
    """The regions in connected groups of coupled regions (mobility between two regions, a
    central budget over the regions with a budget row in its years), each sorted; one group
    of all regions when a CVaR term couples everything."""
    names = regions_of(inputs)
    if inputs.cvar_weight > 0:
        return [names]
    parent = {r: r for r in names}

    def root(r: str) -> str:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    def join(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[root(a)] = root(b)

    for (frm, to), share in inputs.mobility.items():
        if frm != to and share > 0:
            join(frm, to)
    funded = sorted({r for r, y in inputs.budget if inputs.central_budget.get(y, 0.0) > 0})
    for a, b in itertools.pairwise(funded):
        join(a, b)
    out: dict[str, list[str]] = {}
    for r in names:
        out.setdefault(root(r), []).append(r)
    return sorted(out.values())


def separable(inputs: PlanInputs) -> bool:
    """True when the plan's regions fall into more than one group that nothing couples."""
    return len(groups(inputs)) > 1


def require_some_match(inputs: PlanInputs) -> None:
    """Refuse a plan none of whose programmes yields graduates for any demand series."""
    known = {(str(a), str(b), str(c)) for a, b, c in
             zip(inputs.demand["region"], inputs.demand["role"], inputs.demand["level"], strict=True)}
    wanted = [(p, role, level) for p in inputs.programmes for (role, level), share in p.yields.items() if share]
    where = {r: [to for to, _ in inputs.destinations(r)] for r in {p.region for p in inputs.programmes}}
    if wanted and not any((to, role, level) in known for p, role, level in wanted for to in where[p.region]):
        p, role, level = wanted[0]
        raise PlanInputError([f"programme '{p.id}', yield ({role!r}, {level!r}): no demand for that role and "
                              f"level in region {p.region!r} (no programme's yield meets any demand)"])


def split(inputs: PlanInputs) -> dict[str, PlanInputs]:
    """One `PlanInputs` per group of coupled regions (keyed by its first region), with the
    whole plan's horizon, target and levels; the central budget goes to the group of the
    regions it funds."""
    common = dataclasses.replace(inputs, horizon_extension=extension_years(inputs), target_year=inputs.target,
                                 professional_levels=inputs.professional())
    out: dict[str, PlanInputs] = {}
    for group in groups(inputs):
        inside = set(group)
        funded = any(r in inside for r, y in inputs.budget if inputs.central_budget.get(y, 0.0) > 0)
        out[group[0]] = dataclasses.replace(
            common,
            programmes=tuple(p for p in inputs.programmes if p.region in inside),
            demand=inputs.demand[inputs.demand["region"].isin(inside)].reset_index(drop=True),
            base_supply=inputs.base_supply[inputs.base_supply["region"].isin(inside)].reset_index(drop=True),
            budget={k: v for k, v in inputs.budget.items() if k[0] in inside},
            industry_budget={k: v for k, v in inputs.industry_budget.items() if k[0] in inside},
            placements={k: v for k, v in inputs.placements.items() if k[0] in inside},
            central_budget=dict(inputs.central_budget) if funded else {},
            mobility={k: v for k, v in inputs.mobility.items() if k[0] in inside},
            faculty=tuple(f for f in inputs.faculty if f.region in inside),
            coverage=tuple(c for c in inputs.coverage if c.region in inside),
            pools=tuple(p for p in inputs.pools if p.region in inside))
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
        unmatched_flows=tuple(u for r in parts for u in r.unmatched_flows),
        target_year=inputs.target, professional_levels=inputs.professional())
