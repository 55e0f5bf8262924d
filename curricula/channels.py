"""The limits of regional planning and industry–university cooperation (issue 12): the
central budget, the industry budgets and the placement places.

Why a module of its own: these rows span programmes by who pays (the firms' share of a
seat, `Programme.industry_share`) and by what a seat needs besides a teacher (a firm's
placement or internship place, `Programme.placement`), not by tier; the central budget
is the one row that spans regions (`curricula.regions` solves the regions it couples as
one LP). The public share of the seats and the central transfers are in the regional
budget rows (`curricula.limits.define_budget`).
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from curricula.families import CENTRAL_BUDGET, INDUSTRY_BUDGET, PLACEMENT
from curricula.inputs import Programme
from curricula.model import PlanModel, Terms, _terms


def define_central_budget(m: PlanModel) -> None:
    """Per year with a central budget: Σ_r c[r, y] ≤ central budget[y] (c[r, y] ≥ 0 is the
    central money the budget row of region r may spend on top of its own)."""
    by_year: dict[int, Terms] = defaultdict(list)
    for (_, t), c in m.central.items():
        by_year[t].append((c, 1.0))
    for t in m.years:
        if t in m.h.central and by_year[t]:
            m.add(CENTRAL_BUDGET, (t,), by_year[t], pulp.LpConstraintLE, m.h.central[t])


def define_industry_budget(m: PlanModel) -> None:
    """Per region and year with an industry budget: Σ_p industry_share·cost·enrolment ≤ what
    the committed cohorts' industry share leaves of it (committed first, like the budget)."""
    for (region, t), amount in sorted(m.h.industry.items()):
        progs = [p for p in m.programmes() if p.region == region and p.industry_share > 0]
        if not progs:
            continue
        terms: Terms = []
        committed = 0.0
        for p in progs:
            e = m.enrolment[p.id, t]
            terms += _terms(e, p.industry_share * p.cost)
            committed += p.industry_share * p.cost * e.constant
        m.add(INDUSTRY_BUDGET, (region, t), terms, pulp.LpConstraintLE, max(0.0, amount - committed))


def placement_baseline(p: Programme, enrolled: float) -> float:
    """Placement places the baseline (existing intake × duration seat-years) and the
    committed cohorts (`enrolled` seat-years) of programme `p` already use."""
    return p.placement * (p.existing_intake * p.duration + enrolled)


def define_placements(m: PlanModel) -> None:
    """Per region and year with placement places: Σ_p placement·(enrolment + existing_intake·
    duration) ≤ places. The baseline and committed cohorts use places first; when they
    already use more than there are, the plan adds no placement seats (not infeasible)."""
    for (region, t), places in sorted(m.h.places.items()):
        progs = [p for p in m.programmes() if p.region == region and p.placement > 0]
        if not progs:
            continue
        terms: Terms = []
        used = 0.0
        for p in progs:
            e = m.enrolment[p.id, t]
            terms += _terms(e, p.placement)
            used += placement_baseline(p, e.constant)
        m.add(PLACEMENT, (region, t), terms, pulp.LpConstraintLE, max(0.0, places - used))
