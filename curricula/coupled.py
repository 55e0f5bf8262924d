"""The tie-break of a group of coupled regions: region by region, the coupling fixed at the optimum.

Why: graduate mobility and a central budget couple regions, so their first solve (and the
gap problem) must be one LP. The tie-break solve (interior point over the planning LP plus
its deviation rows) on one LP of 32 coupled regions takes minutes; region by region it
takes seconds. It stays on the optimal band of the joint LP:

1. From the joint optimum take the coupling values: the central money c*[r, y] of each
   region and, for each region whose graduates work in several regions, its graduates per
   (role, level, year) X*[r, ·] (family `trained`).
2. Region r alone, with c[r, ·] = c*, X[r, ·] = X* fixed and the graduates the other
   regions send it (Σ_o mobility[o, r]·X*[o, ·]) as constants in its supply rows, is the
   joint LP with every other region's variables fixed at the optimum. Its optimum f*_r
   is the joint optimum's part of region r (the joint optimum restricted to r is feasible
   for it; the regions' optima together are feasible for the joint LP and Σ_r f*_r ≤ f*,
   so Σ_r f*_r = f*).
3. Region r's tie-break (the usual second solve, band ε·M*_r of its own money) gives a
   plan with planning objective ≤ f*_r + ε·M*_r. Put together: feasible for the joint
   LP (the coupling rows hold at the fixed values) and ≤ f* + ε·Σ_r M*_r = f* + ε·M*,
   inside the joint band.

What it gives up: the joint band would also let the tie-break move the coupling values
(how the central money is split, how many graduates a region sends); here those stay at
the first solve's vertex, and only the allocation within each region is made unique.
Duals (money and persons) are the joint LP's.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable

import pulp

from curricula.blocks import _trained
from curricula.families import SUPPLY_FLOW
from curricula.horizon import extension_years
from curricula.inputs import PlanInputs
from curricula.model import PlanModel
from curricula.result import PlanResult

#: Solves one region's plan after `prepare` fixed its coupling: (sub-inputs, prepare) -> (model, result).
SubSolve = Callable[[PlanInputs, Callable[[PlanModel], None]], tuple[PlanModel, PlanResult]]


def is_coupled(m: PlanModel) -> bool:
    """True when the model spans several regions that a central transfer or mobility couples
    (and no CVaR term, which couples them through the objective)."""
    regions = {p.region for p in m.programmes()} | {k[0] for k in m.added}
    return len(regions) > 1 and bool(m.central or m.trained) and m.inputs.cvar_weight <= 0


def _value(v: pulp.LpVariable) -> float:
    return float(v.value() or 0.0)


def region_inputs(inputs: PlanInputs, region: str) -> PlanInputs:
    """Region `region` of `inputs` with the whole plan's horizon (its central budget and its
    own mobility shares kept: the coupling is fixed on the built model)."""
    return dataclasses.replace(
        inputs, horizon_extension=extension_years(inputs), target_year=inputs.target,
        professional_levels=inputs.professional(),
        programmes=tuple(p for p in inputs.programmes if p.region == region),
        demand=inputs.demand[inputs.demand["region"] == region].reset_index(drop=True),
        base_supply=inputs.base_supply[inputs.base_supply["region"] == region].reset_index(drop=True),
        budget={k: v for k, v in inputs.budget.items() if k[0] == region},
        industry_budget={k: v for k, v in inputs.industry_budget.items() if k[0] == region},
        placements={k: v for k, v in inputs.placements.items() if k[0] == region},
        mobility={k: v for k, v in inputs.mobility.items() if k[0] == region},
        faculty=tuple(f for f in inputs.faculty if f.region == region),
        coverage=tuple(c for c in inputs.coverage if c.region == region),
        pools=tuple(p for p in inputs.pools if p.region == region))


def _fixer(m: PlanModel, region: str) -> Callable[[PlanModel], None]:
    """What fixes region `region`'s coupling on its own model at the joint optimum of `m`."""
    central = {k: _value(v) for k, v in m.central.items() if k[0] == region}
    trained = {k: _value(v) for k, v in m.trained.items() if k[0] == region}
    imports: dict[tuple[str, str, str, int], float] = defaultdict(float)
    for (origin, role, level, t), x in m.trained.items():
        if origin == region:
            continue
        for to, move in m.inputs.destinations(origin):
            if to == region:
                imports[region, role, level, t] += move * _value(x)

    def fix(sub: PlanModel) -> None:
        for ckey, value in central.items():
            sub.central[ckey].lowBound = sub.central[ckey].upBound = value
        for (_, role, level, t), value in trained.items():
            if (region, role, level, t) not in sub.trained:  # the region has no demand for that cell
                parts = [(p.id, p.yields[role, level]) for p in sub.programmes()
                         if p.yields.get((role, level), 0.0) > 0]
                _trained(sub, region, role, level, t, parts)
            x = sub.trained[region, role, level, t]
            x.lowBound = x.upBound = value
        for key, amount in imports.items():
            row = sub.constraints.get(SUPPLY_FLOW, {}).get(key)
            if row is not None:
                row.changeRHS(-row.constant + amount)

    return fix


def _copy(sub: PlanModel, m: PlanModel) -> None:
    """Give the joint model's variables the values of the region's solved model."""
    pairs: list[tuple[dict, dict]] = [(sub.intake, m.intake), (sub.faculty, m.faculty), (sub.carry, m.carry),
                                      (sub.shortage, m.shortage), (sub.surplus, m.surplus),
                                      (sub.coverage_short, m.coverage_short), (sub.added, m.added)]
    for src, dst in pairs:
        for key, v in src.items():
            if key in dst:
                dst[key].varValue = v.varValue
    for key, parts in sub.segments.items():
        for (v, _), (w, _) in zip(parts, m.segments.get(key, []), strict=False):
            w.varValue = v.varValue


def tiebreak_by_region(m: PlanModel, solve_region: SubSolve, timings: dict[str, float]) -> float:
    """Tie-break every region of the solved joint model `m` with its coupling fixed, and put
    the regions' plans into `m`'s variables. Returns Σ_r M*_r (the regions' optimal money)."""
    money = 0.0
    regions = sorted({p.region for p in m.programmes()})
    t0 = time.perf_counter()
    for region in regions:
        sub, result = solve_region(region_inputs(m.inputs, region), _fixer(m, region))
        if not result.optimal:  # pragma: no cover - the joint optimum restricted to a region is feasible
            raise RuntimeError(f"region {region} with its coupling fixed ended '{result.status}'")
        _copy(sub, m)
        money += result.optimal_money
        for k in ("build", "solve", "build_tiebreak", "solve_tiebreak"):
            timings[f"regions_{k}"] = timings.get(f"regions_{k}", 0.0) + result.timings.get(k, 0.0)
    timings["tiebreak_by_region"] = time.perf_counter() - t0
    return money
