"""Re-check a plan against every constraint with code independent of the LP model.

Why: "no silent wrong answers". This recomputes enrolment, graduates, added supply,
costs and faculty load from the intake plan alone, in plain Python, and lists every
violated constraint (tolerance relative to the constraint's size). The families that
involve intake only (growth, ramp, pools, minimum shares) are checked over every
modelled year (`intake` and `beyond`); the others over the reported years, whose rows
involve no later year. Money and faculty are checked in `curricula.check_money`.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from curricula import check_region
from curricula.check_money import ByProgramme, band, budget, coverage, faculty, ok, supply_and_shortage
from curricula.inputs import PlanInputs, Programme
from curricula.result import PlanResult


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


def check_plan(inputs: PlanInputs, result: PlanResult, tol: float = 1e-6) -> list[str]:
    """Every constraint the plan violates, in words; an empty list means the plan is valid."""
    bad: list[str] = []
    years = tuple(result.horizon) or inputs.years
    n: dict[str, dict[int, float]] = defaultdict(dict)
    frames = [f for f in (result.intake, result.beyond) if not f.empty]
    for frame in frames:
        for r in frame.to_dict("records"):
            n[str(r["programme"])][int(r["year"])] = float(r["intake"])
            if r["intake"] < -tol:
                bad.append(f"intake {r['programme']} {r['year']} is negative: {r['intake']}")
    missing = [(p.id, y) for p in inputs.programmes for y in years if y not in n[p.id]]
    if missing:
        return [*bad, f"intake missing for {missing[:3]}"]
    seats, grads = {}, {}
    for p in inputs.programmes:
        seats[p.id], grads[p.id] = _pipeline(p, n[p.id], years)
    bad += _intake_growth(inputs, n, years, tol)
    bad += _ramp(inputs, n, years, tol)
    bad += _pools(inputs, n, years, tol)
    bad += _min_shares(inputs, n, years, tol)
    bad += budget(inputs, result, seats, tol)
    bad += check_region.central(inputs, result, tol) + check_region.industry(inputs, seats, tol)
    bad += check_region.placements(inputs, seats, tol)
    bad += faculty(inputs, result, seats, grads, tol)
    bad += coverage(inputs, result, grads, tol)
    bad += supply_and_shortage(inputs, result, grads, years, tol)
    bad += band(inputs, result, tol)
    return bad


def _intake_growth(inputs: PlanInputs, n: ByProgramme, years: tuple[int, ...], tol: float) -> list[str]:
    bad = []
    for p in inputs.programmes:
        prev = float(p.enrolled.get(years[0] - 1, 0.0))
        for t in years:
            lim = (1 + p.growth) * prev + p.growth * p.existing_intake + p.opening
            if not ok(n[p.id][t], lim, "<=", tol):
                bad.append(f"intake growth {p.id} {t}: {n[p.id][t]:.6g} > {lim:.6g}")
            prev = n[p.id][t]
    return bad


def _min_shares(inputs: PlanInputs, n: ByProgramme, years: tuple[int, ...], tol: float) -> list[str]:
    bad = []
    for ms in inputs.min_shares:
        for region in {p.region for p in inputs.programmes}:
            progs = [p for p in inputs.programmes if p.region == region]
            for t in years:
                of = sum(n[p.id][t] for p in progs if ms.matches(p, ms.of))
                within = sum(n[p.id][t] for p in progs if ms.matches(p, ms.within))
                if not ok(of, ms.share * within, ">=", tol):
                    bad.append(f"min share {ms.name} {region} {t}: {of:.6g} < "
                               f"{ms.share} × {within:.6g}")
    return bad


def _ramp(inputs: PlanInputs, n: ByProgramme, years: tuple[int, ...], tol: float) -> list[str]:
    """Additional intake falls by at most `ramp_down` a year."""
    bad = []
    for p in inputs.programmes:
        r = p.ramp_down if p.ramp_down is not None else inputs.ramp_down
        if r is None:
            continue
        for prev, t in itertools.pairwise(years):
            if not ok(n[p.id][t], (1 - r) * n[p.id][prev], ">=", tol):
                bad.append(f"ramp {p.id} {t}: {n[p.id][t]:.6g} < {1 - r:g} × {n[p.id][prev]:.6g}")
    return bad


def _pools(inputs: PlanInputs, n: ByProgramme, years: tuple[int, ...], tol: float) -> list[str]:
    """Entrants of an audience (baseline + additional) within its candidate pool."""
    bad = []
    for pool in inputs.pools:
        progs = [p for p in inputs.programmes if pool.draws(p)]
        for t in years:
            total = sum(p.existing_intake + n[p.id][t] for p in progs)
            if progs and not ok(total, pool.size(t), "<=", tol):
                bad.append(f"pool {pool.region}/{pool.audience} {t}: {total:.6g} > {pool.size(t):.6g}")
    return bad
