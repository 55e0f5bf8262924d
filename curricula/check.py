"""Re-check a plan against every constraint with code independent of the LP model.

Why: "no silent wrong answers". This recomputes enrolment, graduates, added supply,
costs and faculty load from the intake plan alone, in plain Python, and lists every
violated constraint (tolerance relative to the constraint's size).
"""

from __future__ import annotations

import math
from collections import defaultdict

from curricula.inputs import PlanInputs, Programme
from curricula.result import PlanResult

#: programme id -> year -> a number (intake, seat-years or graduates)
ByProgramme = dict[str, dict[int, float]]


def _pipeline(p: Programme, n: dict[int, float], years: tuple[int, ...]
              ) -> tuple[dict[int, float], dict[int, float]]:
    cohorts = {**{y: float(v) for y, v in p.enrolled.items()}, **n}
    seats: dict[int, float] = {}
    grads: dict[int, float] = {}
    lag = max(0, math.ceil(p.duration - 1e-9) - 1)
    for t in years:
        seats[t] = sum(max(0.0, min(1.0, p.duration - (t - y))) * c
                       for y, c in cohorts.items() if t - y >= 0)
        grads[t] = p.completion * cohorts.get(t - lag, 0.0)
    return seats, grads


def _ok(lhs: float, rhs: float, sense: str, tol: float) -> bool:
    slack = tol * max(1.0, abs(rhs), abs(lhs))
    return lhs <= rhs + slack if sense == "<=" else lhs >= rhs - slack


def check_plan(inputs: PlanInputs, result: PlanResult, tol: float = 1e-6) -> list[str]:
    """Every constraint the plan violates, in words; an empty list means the plan is valid."""
    bad: list[str] = []
    years = inputs.years
    n: dict[str, dict[int, float]] = defaultdict(dict)
    for r in result.intake.to_dict("records"):
        n[str(r["programme"])][int(r["year"])] = float(r["intake"])
        if r["intake"] < -tol:
            bad.append(f"intake {r['programme']} {r['year']} is negative: {r['intake']}")
    seats, grads = {}, {}
    for p in inputs.programmes:
        seats[p.id], grads[p.id] = _pipeline(p, n[p.id], years)
    bad += _intake_growth(inputs, n, tol)
    bad += _budget(inputs, seats, tol)
    bad += _faculty(inputs, result, seats, grads, tol)
    bad += _coverage(inputs, grads, tol)
    bad += _min_shares(inputs, n, tol)
    bad += _supply_and_shortage(inputs, result, grads, tol)
    return bad


def _intake_growth(inputs: PlanInputs, n: ByProgramme, tol: float) -> list[str]:
    bad = []
    years = inputs.years
    for p in inputs.programmes:
        prev = float(p.enrolled.get(years[0] - 1, 0.0))
        for t in years:
            lim = (1 + p.growth) * prev + p.growth * p.existing_intake + p.opening
            if not _ok(n[p.id][t], lim, "<=", tol):
                bad.append(f"intake growth {p.id} {t}: {n[p.id][t]:.6g} > {lim:.6g}")
            prev = n[p.id][t]
    return bad


def _budget(inputs: PlanInputs, seats: ByProgramme, tol: float) -> list[str]:
    bad = []
    for (region, t), amount in inputs.budget.items():
        if t in inputs.years:
            spent = sum(p.cost * seats[p.id][t] for p in inputs.programmes if p.region == region)
            if not _ok(spent, amount, "<=", tol):
                bad.append(f"budget {region} {t}: spends {spent:.6g} > {amount:.6g}")
    return bad


def _faculty(inputs: PlanInputs, result: PlanResult, seats: ByProgramme, grads: ByProgramme,
             tol: float) -> list[str]:
    bad = []
    years = inputs.years
    fac = {(str(r["region"]), str(r["tier"]), int(r["year"])): float(r["faculty"])
           for r in result.faculty.to_dict("records")}
    for pool in inputs.faculty:
        prev = pool.initial
        for t in years:
            f = fac[pool.region, pool.tier, t]
            load = sum((seats[p.id][t] + p.existing_intake * p.duration) / p.students_per_faculty
                       for p in inputs.programmes if p.region == pool.region and p.tier == pool.tier)
            if not _ok(load, f, "<=", tol):
                bad.append(f"faculty {pool.region}/{pool.tier} {t}: load {load:.6g} > {f:.6g}")
            extra = 0.0
            if pool.from_expert_share > 0 and t - pool.lag in years:
                extra = pool.from_expert_share * sum(
                    grads[p.id][t - pool.lag] for p in inputs.programmes
                    if p.region == pool.region and p.tier == "expert")
            if not _ok(f, (1 + pool.growth) * prev + extra, "<=", tol):
                bad.append(f"faculty growth {pool.region}/{pool.tier} {t}: {f:.6g}")
            prev = f
    return bad


def _coverage(inputs: PlanInputs, grads: ByProgramme, tol: float) -> list[str]:
    bad = []
    for c in inputs.coverage:
        got = sum(grads[p.id][t] for p in inputs.programmes for t in inputs.years
                  if p.region == c.region and p.audience == c.audience and p.tier == "literacy"
                  and t <= c.year)
        if not _ok(got, c.persons, ">=", tol):
            bad.append(f"coverage {c.region}/{c.audience} {c.year}: {got:.6g} < {c.persons:.6g}")
    return bad


def _min_shares(inputs: PlanInputs, n: ByProgramme, tol: float) -> list[str]:
    bad = []
    for ms in inputs.min_shares:
        for region in {p.region for p in inputs.programmes}:
            progs = [p for p in inputs.programmes if p.region == region]
            for t in inputs.years:
                of = sum(n[p.id][t] for p in progs if ms.matches(p, ms.of))
                within = sum(n[p.id][t] for p in progs if ms.matches(p, ms.within))
                if not _ok(of, ms.share * within, ">=", tol):
                    bad.append(f"min share {ms.name} {region} {t}: {of:.6g} < "
                               f"{ms.share} × {within:.6g}")
    return bad


def _added_supply(inputs: PlanInputs, grads: ByProgramme) -> dict[tuple[str, str, str, int], float]:
    """Plan-added supply per (region, role, level, year), recomputed from the graduates."""
    added: dict[tuple[str, str, str], float] = defaultdict(float)
    expect: dict[tuple[str, str, str, int], float] = {}
    keys = {(str(a), str(b), str(c)) for a, b, c in
            zip(inputs.demand["region"], inputs.demand["role"], inputs.demand["level"],
                strict=True)}
    for t in inputs.years:
        for k in keys:
            added[k] *= 1 - inputs.attrition.get((k[1], k[2]), 0.0)
        for p in inputs.programmes:
            for (role, level), share in p.yields.items():
                added[p.region, role, level] += share * grads[p.id][t]
        for k in keys:
            expect[(*k, t)] = added[k]
    return expect


def _supply_and_shortage(inputs: PlanInputs, result: PlanResult, grads: ByProgramme,
                         tol: float) -> list[str]:
    bad = []
    expect = _added_supply(inputs, grads)
    for r in result.gap.to_dict("records"):
        cell = (str(r["region"]), str(r["role"]), str(r["level"]), int(r["year"]))
        model_added, shortage = float(r["added"]), float(r["shortage"])
        if not _ok(model_added, expect[cell], "<=", tol) or not _ok(model_added, expect[cell], ">=", tol):
            bad.append(f"added supply {cell}: model {model_added:.6g}, recomputed {expect[cell]:.6g}")
        if shortage < -tol:
            bad.append(f"shortage {cell} {r['scenario']} is negative: {shortage}")
        if not _ok(shortage, float(r["demand"]) - float(r["base_supply"]) - expect[cell], ">=", tol):
            bad.append(f"shortage {cell} {r['scenario']}: below demand − supply")
    return bad
