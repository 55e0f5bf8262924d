"""The flow blocks of the planning LP: intake, pipeline, supply and the objective.

The shortage, its convex penalty and the risk measure are in `curricula.penalty`; the
limits (budget, faculty, growth, ramp, pools, coverage, shares) in `curricula.limits`;
`BLOCKS` lists every block in build order.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from curricula import channels, limits, penalty
from curricula.families import SUPPLY_FLOW, TRAINED
from curricula.inputs import PlanInputError
from curricula.model import PlanModel, Terms, _expr, _terms


def define_intake(m: PlanModel) -> None:
    """Decision variables n[p, y] ≥ 0: additional entrants of programme p in year y."""
    for p in m.programmes():
        for y in m.years:
            m.intake[p.id, y] = m.var(f"n{len(m.intake)}")


def define_pipeline(m: PlanModel) -> None:
    """Enrolment (seat-years) and graduates per programme and year, incl. enrolled cohorts.

    A cohort entering in year y holds min(1, d − k) seat-years in year y + k and its
    completers count as graduates at the end of year y + ceil(d) − 1.
    """
    for p in m.programmes():
        span = max(1, p.lag + 1)
        cohorts: dict[int, pulp.LpVariable | float] = {y: float(v) for y, v in p.enrolled.items()}
        cohorts.update({y: m.intake[p.id, y] for y in m.years})
        for t in m.years:
            m.enrolment[p.id, t] = _weighted([(cohorts.get(t - k), p.seat_years(k)) for k in range(span)])
            m.graduates[p.id, t] = _weighted([(cohorts.get(t - p.lag), p.completion)])


def _weighted(parts: list[tuple[pulp.LpVariable | float | None, float]]) -> pulp.LpAffineExpression:
    """Σ weight·cohort over `parts` (a cohort is an intake variable, a committed number or None),
    built as one expression: PuLP's arithmetic copies the expression at every term."""
    acc: dict[pulp.LpVariable, float] = {}
    constant = 0.0
    for cohort, weight in parts:
        if isinstance(cohort, pulp.LpVariable):
            acc[cohort] = acc.get(cohort, 0.0) + weight
        elif cohort is not None:
            constant += weight * cohort
    return pulp.LpAffineExpression(acc, constant=constant)


def demand_cells(m: PlanModel) -> list[tuple[str, str, str]]:
    """(region, role, level) of every demand series, sorted."""
    return sorted({cell[:3] for cell, _ in m.h.demand})


def _inflows(m: PlanModel, known: set[tuple[str, str, str]]) -> tuple[
        dict[tuple[str, str, str, int], Terms], dict[tuple[str, str, str, int], float]]:
    """Graduates entering each cell (variable terms and committed constants). A programme's
    graduates with yield (role, level) enter (r′, role, level) with the share of its region's
    graduates working in r′ (`PlanInputs.mobility`); a share sent to a region without that
    cell is recorded (`m.unmatched`, `m.unmatched_flows`) instead of refused, and every
    matched share in `m.flows`. A region whose graduates go to several regions first sums
    them per cell (`_trained`), so each destination row has one term per origin."""
    inflow: dict[tuple[str, str, str, int], Terms] = defaultdict(list)
    fixed: dict[tuple[str, str, str, int], float] = defaultdict(float)
    pooled: dict[tuple[str, str, str], list[tuple[str, float]]] = defaultdict(list)
    where = {r: m.inputs.destinations(r) for r in {p.region for p in m.programmes()}}
    for p in m.programmes():
        for (role, level), share in p.yields.items():
            if share == 0:
                continue
            for to, move in where[p.region]:
                if (to, role, level) not in known:
                    m.unmatched_flows.append((p.id, role, level, to, move))
                    if (p.id, role, level) not in m.unmatched:
                        m.unmatched.append((p.id, role, level))
                    continue
                m.flows.setdefault((p.region, to, role, level), []).append((p.id, share * move))
            if len(where[p.region]) > 1:
                pooled[p.region, role, level].append((p.id, share))
                continue
            if (p.region, role, level) in known:
                for t in m.years:
                    g = m.graduates[p.id, t]
                    inflow[p.region, role, level, t] += _terms(g, share)
                    fixed[p.region, role, level, t] += share * g.constant
    for (origin, role, level), parts in pooled.items():
        dests = [(to, move) for to, move in where[origin] if (to, role, level) in known]
        for t in (m.years if dests else ()):
            x = _trained(m, origin, role, level, t, parts)
            for to, move in dests:
                inflow[to, role, level, t].append((x, move))
    if m.unmatched and not m.flows and m.require_match:  # nothing the plan trains meets any demand
        pid, role, level = m.unmatched[0]
        region = next(p.region for p in m.programmes() if p.id == pid)
        raise PlanInputError([f"programme '{pid}', yield ({role!r}, {level!r}): no demand for that "
                              f"role and level in region {region!r} (no programme's yield meets any demand)"])
    return inflow, fixed


def _trained(m: PlanModel, region: str, role: str, level: str, t: int, parts: list[tuple[str, float]]
             ) -> pulp.LpVariable:
    """X = the graduates trained in `region` for (role, level) in year t (family `trained`)."""
    x = m.var(f"x{len(m.trained)}")
    m.trained[region, role, level, t] = x
    terms: Terms = [(x, 1.0)]
    constant = 0.0
    for pid, share in parts:
        g = m.graduates[pid, t]
        terms += _terms(g, -share)
        constant += share * g.constant
    m.add(TRAINED, (region, role, level, t), terms, pulp.LpConstraintEQ, constant)
    return x


def define_supply(m: PlanModel) -> None:
    """Plan-added supply ΔS[r, l, y] = (1 − attrition) ΔS[r, l, y−1] + Σ_p yield · g[p, y]."""
    keys = demand_cells(m)
    inflow, fixed = _inflows(m, set(keys))
    for region, role, level in keys:
        keep = 1.0 - m.inputs.attrition.get((role, level), 0.0)
        prev: pulp.LpVariable | None = None
        for t in m.years:
            s = m.var(f"s{len(m.added)}")
            m.added[region, role, level, t] = s
            terms = [(s, 1.0)] + [(v, -c) for v, c in inflow[region, role, level, t]]
            if prev is not None:
                terms.append((prev, -keep))
            m.add(SUPPLY_FLOW, (region, role, level, t), terms, pulp.LpConstraintEQ,
                  fixed[region, role, level, t])
            prev = s


def opportunity(m: PlanModel) -> dict[str, float]:
    """Opportunity cost per seat-year of each programme (from the pool it draws on)."""
    out = {p.id: 0.0 for p in m.programmes()}
    for pool in m.inputs.pools:
        for p in m.programmes():
            if pool.draws(p):
                out[p.id] = pool.opportunity_cost
    return out


def define_objective(m: PlanModel) -> None:
    """Discounted money (seats, faculty salaries, employees' lost work) plus the priced
    shortage terms the other blocks added (or, elastic: total relative violation).

    `m.money` keeps the discounted money alone (committed cohorts included): the bands of
    the tie-break and of the near-optimal ranges are shares of it."""
    i = m.inputs
    opp = opportunity(m)
    money = pulp.LpAffineExpression()
    for p in m.programmes():
        for t in m.years:
            w = (p.cost + opp[p.id]) * i.discount(t)
            m.penalise(_terms(m.enrolment[p.id, t], i.cost_weight * w))
            money += w * m.enrolment[p.id, t]
    constant = 0.0  # salaries are paid for faculty above the initial stock only
    for pool in i.faculty:
        if pool.salary > 0 and not m.elastic:
            for t in m.years:
                w = pool.salary * i.discount(t)
                m.penalise([(m.faculty[pool.region, pool.tier, t], i.cost_weight * w)])
                constant -= i.cost_weight * w * pool.initial
                money += w * (m.faculty[pool.region, pool.tier, t] - pool.initial)
    m.money = money
    objective = _expr(m.objective_terms)
    objective.constant = constant
    m.planning = objective
    m.prob.setObjective(objective)


BLOCKS = (define_intake, define_pipeline, define_supply, penalty.define_shortage, penalty.define_penalty,
          penalty.define_risk,
          limits.define_faculty, limits.define_budget, channels.define_central_budget,
          channels.define_industry_budget, channels.define_placements, limits.define_intake_growth,
          limits.define_ramp, limits.define_pools, limits.define_coverage, limits.define_min_shares,
          define_objective)
