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
   So f*_r and region r's optimal money M*_r are read off the joint optimum, not solved again.
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

import pandas as pd
import pulp

from curricula.blocks import _trained
from curricula.families import SUPPLY_FLOW
from curricula.horizon import extension_years
from curricula.inputs import PlanInputs
from curricula.model import PlanModel
from curricula.result import RANGE_COLUMNS
from curricula.threads import map_in_threads


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


def imports_of(m: PlanModel) -> dict[tuple[str, str, str, int], float]:
    """Per (region, role, level, year): the graduates the other regions send it at `m`'s values."""
    where = {r: m.inputs.destinations(r) for r in {k[0] for k in m.trained}}
    out: dict[tuple[str, str, str, int], float] = defaultdict(float)
    for (origin, role, level, t), x in m.trained.items():
        value = _value(x)
        for to, move in where[origin]:
            if to != origin:
                out[to, role, level, t] += move * value
    return out


def _fixer(m: PlanModel, region: str, imported: dict[tuple[str, str, str, int], float]
           ) -> Callable[[PlanModel], None]:
    """What fixes region `region`'s coupling on its own model at the joint optimum of `m`
    (`imported`: `imports_of(m)`)."""
    central = {k: _value(v) for k, v in m.central.items() if k[0] == region}
    trained = {k: _value(v) for k, v in m.trained.items() if k[0] == region}
    imports = {k: v for k, v in imported.items() if k[0] == region}

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


def _pairs(sub: PlanModel, m: PlanModel) -> list[tuple[dict, dict]]:
    """(region model's variables, joint model's variables) by the same keys."""
    return [(sub.intake, m.intake), (sub.faculty, m.faculty), (sub.carry, m.carry), (sub.shortage, m.shortage),
            (sub.surplus, m.surplus), (sub.coverage_short, m.coverage_short), (sub.added, m.added),
            *[(dict(enumerate(v for v, _ in parts)), dict(enumerate(v for v, _ in m.segments.get(g, []))))
              for g, parts in sub.segments.items()]]


def _copy(sub: PlanModel, m: PlanModel, into_joint: bool) -> None:
    """Copy variable values between a region's model and the joint model (either way)."""
    for a, b in _pairs(sub, m):
        src, dst = (a, b) if into_joint else (b, a)
        for key, v in src.items():
            if key in dst:
                dst[key].varValue = v.varValue


def _tiebreak_region(m: PlanModel, region: str, imported: dict[tuple[str, str, str, int], float], solver: str,
                     time_limit: float | None) -> tuple[float, float, bool, dict[str, float]]:
    """Region `region` of the solved joint model `m` built alone with its coupling fixed, at its part of the
    joint optimum, then tie-broken and its plan put into `m`'s variables (the region's own, so regions in other
    threads never touch them): (f*_r, M*_r, whether the tie-break failed, its timings). The region's model is
    dropped when it returns (32 of them at once would hold hundreds of MB)."""
    from curricula.solve import _tiebreak

    t0 = time.perf_counter()
    sub = fixed_region(m, region, imported)
    _copy(sub, m, into_joint=False)
    optimum = float(pulp.value(sub.planning) or 0.0)
    money = float(pulp.value(sub.money) or 0.0)
    first = {k: float(v.varValue or 0.0) for k, v in sub.intake.items()}
    mine = {"build": time.perf_counter() - t0}
    failed = _tiebreak(sub, sub.inputs, solver, time_limit, mine, optimum, money, first)
    if not failed:
        _copy(sub, m, into_joint=True)
    return optimum, money, failed, mine


def tiebreak_by_region(m: PlanModel, solver: str, time_limit: float | None, timings: dict[str, float]) -> float:
    """Tie-break every region of the solved joint model `m` (its variables at the optimum)
    with its coupling fixed, and put the regions' plans into `m`'s variables. Each region's
    optimum f*_r and money M*_r are its part of the joint optimum (see the module's
    docstring), read off the joint values, so no region is solved twice. Returns Σ_r M*_r.
    A region whose tie-break fails keeps its part of the joint optimum. The regions are
    independent: two at a time (`curricula.threads`), each writing only its own variables
    (the seconds in `timings` are summed over them)."""
    total = 0.0
    t_all = time.perf_counter()
    imported = imports_of(m)
    regions = sorted({p.region for p in m.programmes()})
    done = map_in_threads(lambda r: _tiebreak_region(m, r, imported, solver, time_limit), regions)
    for region, (optimum, money, failed, mine) in zip(regions, done, strict=True):
        for k in ("build", "build_tiebreak", "solve_tiebreak"):
            timings[f"regions_{k}"] = timings.get(f"regions_{k}", 0.0) + mine.get(k, 0.0)
        timings["tiebreak_failed"] = timings.get("tiebreak_failed", 0.0) + float(failed)
        m.region_optima[region] = (optimum, money)
        total += money
    timings["tiebreak_by_region"] = time.perf_counter() - t_all
    return total


def fixed_region(m: PlanModel, region: str, imported: dict[tuple[str, str, str, int], float]) -> PlanModel:
    """Region `region` of the joint model `m` built alone, its coupling fixed at `m`'s values
    (`imported`: `imports_of(m)`)."""
    from curricula.model import build

    sub = build(region_inputs(m.inputs, region), drop=m.drop, require_match=False)
    _fixer(m, region, imported)(sub)
    return sub


def ranges_by_region(m: PlanModel, planned: dict[str, float], solver: str,
                     time_limit: float | None) -> pd.DataFrame:
    """Near-optimal ranges of a coupled group, region by region with the coupling fixed at the
    optimum and the band δ·M*_r around the region's part f*_r of the optimum.

    Each range is achievable: a plan reaching its end is feasible for the joint LP and within
    f* + δ·M* of its optimum. It may be narrower than the joint LP's range (moving central
    money or graduates between regions could widen it), never wider; one LP of the whole
    group would need two solves of it per row.
    """
    from curricula.mga import ranges_in_band

    imported = imports_of(m)

    def ranges(region: str, optimum: float, money: float) -> pd.DataFrame:
        return ranges_in_band(fixed_region(m, region, imported), optimum, money, planned, solver, time_limit)

    frames = map_in_threads(lambda item: ranges(item[0], *item[1]), sorted(m.region_optima.items()))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(RANGE_COLUMNS))
