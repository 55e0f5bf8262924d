"""Independent re-checks of money, faculty, coverage, supply and the tie-break band.

Part of `curricula.check.check_plan`: the same rules as the model, written again from
the documented formulation in plain Python over the reported years.
"""

from __future__ import annotations

import math
from collections import defaultdict

from curricula.inputs import PlanInputs, Programme
from curricula.result import PlanResult
from curricula.tiebreak import band_width

#: programme id -> year -> a number (intake, seat-years or graduates)
ByProgramme = dict[str, dict[int, float]]


def ok(lhs: float, rhs: float, sense: str, tol: float) -> bool:
    slack = tol * max(1.0, abs(rhs), abs(lhs))
    return lhs <= rhs + slack if sense == "<=" else lhs >= rhs - slack


def committed_seats(p: Programme, t: int) -> float:
    """Seat-years of the programme's committed (enrolled) cohorts in year `t`."""
    return sum(max(0.0, min(1.0, p.duration - (t - y))) * float(c) for y, c in p.enrolled.items() if t >= y)


def _central_values(result: PlanResult) -> dict[tuple[str, int], float]:
    if "central" not in result.cost:
        return {}
    return {(str(r["region"]), int(r["year"])): float(r["central"]) for r in result.cost.to_dict("records")}


def _faculty_values(result: PlanResult) -> dict[tuple[str, str, int], float]:
    return {(str(r["region"]), str(r["tier"]), int(r["year"])): float(r["faculty"])
            for r in result.faculty.to_dict("records")}


def budget(inputs: PlanInputs, result: PlanResult, seats: ByProgramme, tol: float) -> list[str]:
    """The public share of new seats + salaries (+ carried out) ≤ what committed cohorts
    leave (+ carried in) + the central money the cost frame reports for the region."""
    bad = []
    fac = _faculty_values(result)
    central = _central_values(result)
    rho = inputs.budget_carry_forward
    for region in sorted({r for r, _ in inputs.budget}):
        progs = [p for p in inputs.programmes if p.region == region]
        pools = [f for f in inputs.faculty if f.region == region and f.salary > 0]
        carried_in = 0.0
        for t in inputs.years:
            if (region, t) not in inputs.budget:
                carried_in = 0.0
                continue
            committed = sum((1 - p.industry_share) * p.cost * committed_seats(p, t) for p in progs)
            spent = sum((1 - p.industry_share) * p.cost * seats[p.id][t] for p in progs) - committed
            spent += sum(f.salary * (fac[region, f.tier, t] - f.initial) for f in pools)
            spent -= central.get((region, t), 0.0)
            room = max(0.0, inputs.budget[region, t] - committed) + rho * carried_in
            if not ok(spent, room, "<=", tol):
                bad.append(f"budget {region} {t}: spends {spent:.6g} on the plan > {room:.6g}")
            carried_in = max(0.0, room - spent)
    return bad


def faculty(inputs: PlanInputs, result: PlanResult, seats: ByProgramme, grads: ByProgramme,
            tol: float) -> list[str]:
    """Load ≤ faculty; faculty ≥ the initial stock and within its growth limit."""
    bad = []
    years = inputs.years
    fac = _faculty_values(result)
    for pool in inputs.faculty:
        prev = pool.initial
        for t in years:
            f = fac[pool.region, pool.tier, t]
            load = sum((seats[p.id][t] + p.existing_intake * p.duration) / p.students_per_faculty
                       for p in inputs.programmes if p.region == pool.region and p.tier == pool.tier)
            if not ok(load, f, "<=", tol):
                bad.append(f"faculty {pool.region}/{pool.tier} {t}: load {load:.6g} > {f:.6g}")
            if not ok(f, pool.initial, ">=", tol):
                bad.append(f"faculty {pool.region}/{pool.tier} {t}: {f:.6g} below the initial {pool.initial:.6g}")
            extra = 0.0
            if pool.from_expert_share > 0 and t - pool.lag in years:
                extra = pool.from_expert_share * sum(
                    grads[p.id][t - pool.lag] for p in inputs.programmes
                    if p.region == pool.region and p.tier == "expert")
            if not ok(f, (1 + pool.growth) * prev + extra, "<=", tol):
                bad.append(f"faculty growth {pool.region}/{pool.tier} {t}: {f:.6g}")
            prev = f
    return bad


def coverage(inputs: PlanInputs, result: PlanResult, grads: ByProgramme, tol: float) -> list[str]:
    """Cumulative literacy graduates reach each target (or, when soft, the reported shortfall
    is exactly what is missing)."""
    bad = []
    reported = {(str(r["region"]), str(r["audience"]), int(r["year"])): float(r["shortfall"])
                for r in result.coverage.to_dict("records")}
    for c in inputs.coverage:
        years = [y for y in inputs.years if y <= c.year]
        if years and all(inputs.budget.get((c.region, y)) == 0.0 and not inputs.central_budget.get(y) for y in years):
            continue  # no money for the plan: the target is reported, not required
        got = sum(grads[p.id][t] for p in inputs.programmes for t in inputs.years
                  if p.region == c.region and p.audience == c.audience and p.tier == "literacy"
                  and t <= c.year)
        short = reported.get((c.region, c.audience, c.year), 0.0) if inputs.coverage_penalty is not None else 0.0
        if not ok(got + short, c.persons, ">=", tol):
            bad.append(f"coverage {c.region}/{c.audience} {c.year}: {got:.6g} < {c.persons:.6g}")
    return bad


def _added_supply(inputs: PlanInputs, grads: ByProgramme, years: tuple[int, ...]
                  ) -> dict[tuple[str, str, str, int], float]:
    """Plan-added supply per (region, role, level, year), recomputed from the graduates
    (each region's graduates spread over the regions they work in, `PlanInputs.mobility`)."""
    added: dict[tuple[str, str, str], float] = defaultdict(float)
    expect: dict[tuple[str, str, str, int], float] = {}
    keys = {(str(a), str(b), str(c)) for a, b, c in
            zip(inputs.demand["region"], inputs.demand["role"], inputs.demand["level"], strict=True)}
    where = {r: inputs.destinations(r) for r in {p.region for p in inputs.programmes}}
    for t in years:
        for k in keys:
            added[k] *= 1 - inputs.attrition.get((k[1], k[2]), 0.0)
        for p in inputs.programmes:
            for (role, level), share in p.yields.items():
                for to, move in where[p.region]:
                    if (to, role, level) in keys:
                        added[to, role, level] += share * move * grads[p.id][t]
        for k in keys:
            expect[(*k, t)] = added[k]
    return expect


def supply_and_shortage(inputs: PlanInputs, result: PlanResult, grads: ByProgramme,
                        years: tuple[int, ...], tol: float) -> list[str]:
    """The gap frame's added supply equals the recomputed one; shortage ≥ max(0, D − S)."""
    bad = []
    expect = _added_supply(inputs, grads, years)
    for r in result.gap.to_dict("records"):
        cell = (str(r["region"]), str(r["role"]), str(r["level"]), int(r["year"]))
        model_added, shortage = float(r["added"]), float(r["shortage"])
        if not ok(model_added, expect[cell], "<=", tol) or not ok(model_added, expect[cell], ">=", tol):
            bad.append(f"added supply {cell}: model {model_added:.6g}, recomputed {expect[cell]:.6g}")
        if shortage < -tol:
            bad.append(f"shortage {cell} {r['scenario']} is negative: {shortage}")
        if not ok(shortage, float(r["demand"]) - float(r["base_supply"]) - expect[cell], ">=", tol):
            bad.append(f"shortage {cell} {r['scenario']}: below demand − supply")
    return bad


def band(inputs: PlanInputs, result: PlanResult, tol: float) -> list[str]:
    """The reported plan is within the tie-break band of the optimum."""
    if inputs.tiebreak_tolerance is None or math.isnan(result.plan_objective) or math.isnan(result.optimal_money):
        return []
    width = band_width(result.objective, result.optimal_money, inputs.tiebreak_tolerance)
    if not ok(result.plan_objective, result.objective + width, "<=", tol):
        return [f"tie-break: the plan's objective {result.plan_objective:.9g} exceeds the optimum "
                f"{result.objective:.9g} by more than {width:.6g}"]
    return []
