"""Independent re-checks of the regional and co-operation limits (issue 12): the central
budget, the industry budgets and the placement places.

Part of `curricula.check.check_plan`: the same rules as `curricula.channels`, written
again from the documented formulation in plain Python over the reported years.
"""

from __future__ import annotations

from collections import defaultdict

from curricula.channels import placement_baseline
from curricula.check_money import ByProgramme, committed_seats, ok
from curricula.inputs import PlanInputs
from curricula.result import PlanResult


def central(inputs: PlanInputs, result: PlanResult, tol: float) -> list[str]:
    """Central money sent to the regions ≥ 0, ≤ the central budget, and only to regions with
    a budget row in a year with a central budget."""
    bad: list[str] = []
    if "central" not in result.cost:
        return bad
    sent: dict[int, float] = defaultdict(float)
    for r in result.cost.to_dict("records"):
        region, year, c = str(r["region"]), int(r["year"]), float(r["central"])
        if c < -tol:
            bad.append(f"central money to {region} in {year} is negative: {c}")
        if c > tol and (year not in inputs.central_budget or (region, year) not in inputs.budget):
            bad.append(f"central money to {region} in {year} without a central budget or a budget row")
        sent[year] += c
    for year, total in sorted(sent.items()):
        if year in inputs.central_budget and not ok(total, inputs.central_budget[year], "<=", tol):
            bad.append(f"central budget {year}: {total:.6g} sent > {inputs.central_budget[year]:.6g}")
    return bad


def industry(inputs: PlanInputs, seats: ByProgramme, tol: float) -> list[str]:
    """The firms' share of new seats ≤ what their committed share leaves of the industry budget."""
    bad = []
    for (region, t), amount in sorted(inputs.industry_budget.items()):
        if t not in inputs.years:
            continue
        progs = [p for p in inputs.programmes if p.region == region and p.industry_share > 0]
        committed = sum(p.industry_share * p.cost * committed_seats(p, t) for p in progs)
        spent = sum(p.industry_share * p.cost * seats[p.id][t] for p in progs) - committed
        if progs and not ok(spent, max(0.0, amount - committed), "<=", tol):
            bad.append(f"industry budget {region} {t}: firms pay {spent:.6g} for new seats > "
                       f"{max(0.0, amount - committed):.6g}")
    return bad


def placements(inputs: PlanInputs, seats: ByProgramme, tol: float) -> list[str]:
    """Placement seat-years of new seats ≤ what the baseline and committed cohorts leave."""
    bad = []
    for (region, t), places in sorted(inputs.placements.items()):
        if t not in inputs.years:
            continue
        progs = [p for p in inputs.programmes if p.region == region and p.placement > 0]
        used = sum(placement_baseline(p, committed_seats(p, t)) for p in progs)
        new = sum(p.placement * seats[p.id][t] for p in progs) - sum(
            p.placement * committed_seats(p, t) for p in progs)
        if progs and not ok(new, max(0.0, places - used), "<=", tol):
            bad.append(f"placements {region} {t}: {new:.6g} new placement seat-years > "
                       f"{max(0.0, places - used):.6g}")
    return bad
