"""The limit blocks of the planning LP: faculty, budget, intake growth, ramp, candidate
pools, literacy coverage and minimum shares (each a named family of `KEY_FIELDS`)."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pulp

from curricula.families import (
    BUDGET,
    COVERAGE,
    FACULTY_CAPACITY,
    FACULTY_GROWTH,
    INTAKE_GROWTH,
    MIN_SHARE,
    POOL,
    RAMP,
)
from curricula.model import PlanModel, Terms, _terms


def define_faculty(m: PlanModel) -> None:
    """Faculty per tier: load ≤ F[y]; F[y] ≤ (1 + g) F[y−1] + share · expert graduates(y − lag);
    F[y] ≥ F0 (the initial staff stay; salaries are paid above F0)."""
    i = m.inputs
    for pool in i.faculty:
        progs = [p for p in m.programmes() if p.region == pool.region and p.tier == pool.tier]
        experts = [p for p in m.programmes() if p.region == pool.region and p.tier == "expert"]
        prev: pulp.LpVariable | None = None
        for t in m.years:
            f = m.var(f"f{len(m.faculty)}", low=pool.initial)
            m.faculty[pool.region, pool.tier, t] = f
            terms: Terms = [(f, -1.0)]
            fixed = 0.0
            for p in progs:
                e = m.enrolment[p.id, t]
                terms += _terms(e, 1.0 / p.students_per_faculty)
                fixed += (e.constant + p.existing_intake * p.duration) / p.students_per_faculty
            m.add(FACULTY_CAPACITY, (pool.region, pool.tier, t), terms, pulp.LpConstraintLE, -fixed)
            growth: Terms = [(f, 1.0)]
            rhs = 0.0
            if prev is None:
                rhs = (1.0 + pool.growth) * pool.initial
            else:
                growth.append((prev, -(1.0 + pool.growth)))
            if pool.from_expert_share > 0 and t - pool.lag in m.years:
                for p in experts:
                    g = m.graduates[p.id, t - pool.lag]
                    growth += _terms(g, -pool.from_expert_share)
                    rhs += pool.from_expert_share * g.constant
            m.add(FACULTY_GROWTH, (pool.region, pool.tier, t), growth, pulp.LpConstraintLE, rhs)
            prev = f


def define_budget(m: PlanModel) -> None:
    """Per region and year: the public share of new seats + faculty salaries (+ carry to next
    year) − the central money sent to the region ≤ what the committed cohorts leave of the
    budget (+ the share carried from last year).

    Committed cohorts are paid first; when they exceed a year's budget nothing is left
    for new seats that year, but the plan is not infeasible (do nothing is always allowed).
    The firms' share of a seat (`Programme.industry_share`) is charged to the industry
    budget instead (`curricula.channels`); the central transfer c[r, y] ≥ 0 exists in the
    years with a central budget and is capped by it there.
    """
    rho = m.inputs.budget_carry_forward
    regions = sorted({r for r, _ in m.h.budget})
    for region in regions:
        progs = [p for p in m.programmes() if p.region == region]
        pools = [f for f in m.inputs.faculty if f.region == region and f.salary > 0]
        prev: pulp.LpVariable | None = None
        for t in m.years:
            amount = m.h.budget.get((region, t))
            if amount is None:
                prev = None
                continue
            terms: Terms = []
            committed = 0.0
            for p in progs:
                e = m.enrolment[p.id, t]
                public = (1.0 - p.industry_share) * p.cost
                terms += _terms(e, public)
                committed += public * e.constant
            terms += [(m.faculty[f.region, f.tier, t], f.salary) for f in pools]
            rhs = max(0.0, amount - committed) + sum(f.salary * f.initial for f in pools)
            if t in m.h.central:
                c = m.var(f"cx{len(m.central)}")
                m.central[region, t] = c
                terms.append((c, -1.0))
            if rho > 0:
                k = m.var(f"k{len(m.carry)}")
                m.carry[region, t] = k
                terms.append((k, 1.0))
                if prev is not None:
                    terms.append((prev, -rho))
                prev = k
            m.add(BUDGET, (region, t), terms, pulp.LpConstraintLE, rhs)


def define_intake_growth(m: PlanModel) -> None:
    """Total intake grows at most by `growth` a year (+ `opening` seats): per programme, year."""
    y0 = m.years[0]
    for p in m.programmes():
        for t in m.years:
            terms = [(m.intake[p.id, t], 1.0)]
            rhs = p.growth * p.existing_intake + p.opening
            if t == y0:
                rhs += (1.0 + p.growth) * float(p.enrolled.get(y0 - 1, 0.0))
            else:
                terms.append((m.intake[p.id, t - 1], -(1.0 + p.growth)))
            m.add(INTAKE_GROWTH, (p.id, t), terms, pulp.LpConstraintLE, rhs)


def define_ramp(m: PlanModel) -> None:
    """Additional intake falls by at most `ramp_down` a year: n[p, t] ≥ (1 − r)·n[p, t − 1]."""
    for p in m.programmes():
        r = p.ramp_down if p.ramp_down is not None else m.inputs.ramp_down
        if r is None or r >= 1:
            continue
        for prev, t in itertools.pairwise(m.years):
            m.add(RAMP, (p.id, t), [(m.intake[p.id, t], 1.0), (m.intake[p.id, prev], -(1.0 - r))],
                  pulp.LpConstraintGE, 0.0)


def define_pools(m: PlanModel) -> None:
    """Entrants of an audience (baseline + additional) ≤ its candidate pool, per region, year."""
    for pool in m.inputs.pools:
        progs = [p for p in m.programmes() if pool.draws(p)]
        if not progs:
            continue
        baseline = sum(p.existing_intake for p in progs)
        for t in m.years:
            m.add(POOL, (pool.region, pool.audience, t), [(m.intake[p.id, t], 1.0) for p in progs],
                  pulp.LpConstraintLE, pool.size(t) - baseline)


def no_money(m: PlanModel, region: str, year: int) -> bool:
    """True when the region's budget is given and 0, and no central money is given, in every
    plan year up to `year`."""
    years = [y for y in m.h.reported if y <= year]
    return bool(years) and all(m.h.budget.get((region, y)) == 0.0 and not m.h.central.get(y)
                               for y in years)


def define_coverage(m: PlanModel) -> None:
    """Cumulative literacy-tier graduates of an audience by a year ≥ its target; with a
    `coverage_penalty` the shortfall is allowed and priced per person instead.

    A target of a region whose budget is 0 in every plan year up to the target's year is
    left out (and reported unmet): with no money for the plan it is no requirement on how
    to spend it, so budget 0 gives the do-nothing plan with the committed cohorts.
    """
    i = m.inputs
    for c in i.coverage:
        if no_money(m, c.region, c.year):
            continue
        progs = [p for p in m.programmes() if p.region == c.region and p.audience == c.audience
                 and p.tier == "literacy"]
        terms: Terms = []
        done = 0.0
        for p in progs:
            for t in m.years:
                if t <= c.year:
                    g = m.graduates[p.id, t]
                    terms += _terms(g)
                    done += g.constant
        key = (c.region, c.audience, c.year)
        if i.coverage_penalty is not None:
            short = m.var(f"cs{len(m.coverage_short)}")
            m.coverage_short[key] = short
            terms.append((short, 1.0))
            m.penalise([(short, i.coverage_penalty * i.discount(c.year))])
        m.add(COVERAGE, key, terms, pulp.LpConstraintGE, c.persons - done)


def define_min_shares(m: PlanModel) -> None:
    """Intake of the `of` group ≥ share × intake of the `within` group, per region and year."""
    regions = sorted({p.region for p in m.programmes()})
    for ms in m.inputs.min_shares:
        for region in regions:
            progs = [p for p in m.programmes() if p.region == region]
            for t in m.years:
                coef: dict[str, float] = defaultdict(float)
                for p in progs:
                    if ms.matches(p, ms.of):
                        coef[p.id] += 1.0
                    if ms.matches(p, ms.within):
                        coef[p.id] -= ms.share
                terms = [(m.intake[pid, t], c) for pid, c in coef.items() if c != 0]
                if terms:
                    m.add(MIN_SHARE, (ms.name, region, t), terms, pulp.LpConstraintGE, 0.0)
