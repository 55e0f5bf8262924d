"""The planning LP, assembled from named `define_*` blocks (PyPSA/linopy style).

Each block adds one family of variables or constraints and records every constraint
under its family and a domain key (region, tier, year, …), so duals and elastic
slacks map back to words. See docs/planner.md for the formulation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

import pulp

from curricula.families import (
    BUDGET,
    COVERAGE,
    FACULTY_CAPACITY,
    FACULTY_GROWTH,
    INTAKE_GROWTH,
    MIN_SHARE,
    SHORTAGE,
    SUPPLY_FLOW,
    SURPLUS,
)
from curricula.inputs import PlanInputError, PlanInputs, Programme

Key = tuple[object, ...]
Expr: TypeAlias = pulp.LpAffineExpression


@dataclass
class PlanModel:
    """A built PuLP problem plus the maps from domain keys to variables and constraints."""

    inputs: PlanInputs
    prob: pulp.LpProblem
    elastic: frozenset[str] = frozenset()
    intake: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    enrolment: dict[tuple[str, int], Expr] = field(default_factory=dict)
    graduates: dict[tuple[str, int], Expr] = field(default_factory=dict)
    added: dict[tuple[str, str, str, int], pulp.LpVariable] = field(default_factory=dict)
    shortage: dict[tuple[str, str, str, int, str], pulp.LpVariable] = field(default_factory=dict)
    surplus: dict[tuple[str, str, str, int, str], pulp.LpVariable] = field(default_factory=dict)
    faculty: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    constraints: dict[str, dict[Key, pulp.LpConstraint]] = field(
        default_factory=lambda: defaultdict(dict))
    slacks: dict[str, dict[Key, pulp.LpVariable]] = field(default_factory=lambda: defaultdict(dict))
    objective_terms: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)
    _count: int = 0

    def var(self, name: str) -> pulp.LpVariable:
        """A new continuous variable ≥ 0 (PuLP ≥ 3.3 attaches it to the problem)."""
        if hasattr(self.prob, "add_variable"):
            return self.prob.add_variable(name, lowBound=0)
        return pulp.LpVariable(name, lowBound=0)

    def add(self, family: str, key: Key, terms: Iterable[tuple[pulp.LpVariable, float]],
            sense: int, rhs: float) -> None:
        """Add `Σ terms (sense) rhs` under `family`/`key`; elastic families get a slack.

        `family` is one of `curricula.families.KEY_FIELDS`, whose entry names the
        positions of `key`.
        """
        expr = _expr(terms)
        if family in self.elastic and sense != pulp.LpConstraintEQ:
            self._count += 1
            e = self.var(f"e{self._count}")
            expr.addterm(e, -1.0 if sense == pulp.LpConstraintLE else 1.0)
            self.slacks[family][key] = e
            self.objective_terms.append((e, 1.0 / max(1.0, abs(rhs))))
        self._count += 1
        c = pulp.LpConstraint(expr, sense, f"c{self._count}", rhs)
        self.prob.addConstraint(c)
        self.constraints[family][key] = c

    def programmes(self) -> tuple[Programme, ...]:
        """The programmes in input order."""
        return self.inputs.programmes


def _expr(terms: Iterable[tuple[pulp.LpVariable, float]]) -> Expr:
    """Sum (variable, coefficient) pairs; PuLP's list constructor would overwrite repeats."""
    acc: dict[pulp.LpVariable, float] = {}
    for v, c in terms:
        acc[v] = acc.get(v, 0.0) + c
    return pulp.LpAffineExpression(acc)


def _terms(expr: Expr, scale: float = 1.0) -> list[tuple[pulp.LpVariable, float]]:
    return [(v, c * scale) for v, c in expr.items()]


def define_intake(m: PlanModel) -> None:
    """Decision variables n[p, y] ≥ 0: additional entrants of programme p in year y."""
    for p in m.programmes():
        for y in m.inputs.years:
            m.intake[p.id, y] = m.var(f"n{len(m.intake)}")


def define_pipeline(m: PlanModel) -> None:
    """Enrolment (seat-years) and graduates per programme and year, incl. enrolled cohorts.

    A cohort entering in year y holds min(1, d − k) seat-years in year y + k and its
    completers count as graduates at the end of year y + ceil(d) − 1.
    """
    years = m.inputs.years
    for p in m.programmes():
        span = max(1, p.lag + 1)
        cohorts: dict[int, pulp.LpVariable | float] = {y: float(v) for y, v in p.enrolled.items()}
        cohorts.update({y: m.intake[p.id, y] for y in years})
        for t in years:
            e = pulp.LpAffineExpression()
            for k in range(span):
                c = cohorts.get(t - k)
                if c is not None:
                    e += p.seat_years(k) * c
            m.enrolment[p.id, t] = e
            g = pulp.LpAffineExpression()
            c = cohorts.get(t - p.lag)
            if c is not None:
                g += p.completion * c
            m.graduates[p.id, t] = g


def _demand_keys(m: PlanModel) -> list[tuple[str, str, str]]:
    d = m.inputs.demand
    return sorted({(str(a), str(b), str(c)) for a, b, c in zip(d["region"], d["role"], d["level"],
                                                               strict=True)})


def define_supply(m: PlanModel) -> None:
    """Plan-added supply ΔS[r, l, y] = (1 − attrition) ΔS[r, l, y−1] + Σ_p yield · g[p, y]."""
    keys = _demand_keys(m)
    known = set(keys)
    inflow: dict[tuple[str, str, str, int], list[tuple[pulp.LpVariable, float]]] = defaultdict(list)
    fixed: dict[tuple[str, str, str, int], float] = defaultdict(float)  # enrolled cohorts
    for p in m.programmes():
        for (role, level), share in p.yields.items():
            if share == 0:
                continue
            if (p.region, role, level) not in known:
                raise PlanInputError([f"programme '{p.id}', yield ({role!r}, {level!r}): no demand "
                                      f"for that role and level in region {p.region!r}"])
            for t in m.inputs.years:
                g = m.graduates[p.id, t]
                inflow[p.region, role, level, t] += _terms(g, share)
                fixed[p.region, role, level, t] += share * g.constant
    for region, role, level in keys:
        keep = 1.0 - m.inputs.attrition.get((role, level), 0.0)
        prev: pulp.LpVariable | None = None
        for t in m.inputs.years:
            s = m.var(f"s{len(m.added)}")
            m.added[region, role, level, t] = s
            terms = [(s, 1.0)] + [(v, -c) for v, c in inflow[region, role, level, t]]
            if prev is not None:
                terms.append((prev, -keep))
            m.add(SUPPLY_FLOW, (region, role, level, t), terms, pulp.LpConstraintEQ,
                  fixed[region, role, level, t])
            prev = s


def _weight(m: PlanModel, role: str, level: str, year: int) -> float:
    i = m.inputs
    w = i.shortage_penalty * i.role_weight.get(role, 1.0) * i.level_weight.get(level, 1.0)
    last = 1.0 + i.terminal_weight if year == i.years[-1] else 1.0
    return w * last * i.discount(year)


def define_shortage(m: PlanModel) -> None:
    """Priced shortage u ≥ D − S_base − ΔS (u ≥ 0) and, if penalised, surplus v ≥ −(…)."""
    i = m.inputs
    base = i.base_supply_by_cell()
    prob = {s.name: s.probability for s in i.scenarios}
    years = set(i.years)
    for key, scenario, demand in i.demand_rows():
        y = key[3]
        if y not in years:
            continue
        gap = demand - base.get(key, 0.0)
        added = m.added[key]
        skey = (*key, scenario)
        u = m.var(f"u{len(m.shortage)}")
        m.shortage[skey] = u
        m.add(SHORTAGE, skey, [(u, 1.0), (added, 1.0)], pulp.LpConstraintGE, gap)
        if not m.elastic:
            m.objective_terms.append((u, prob[scenario] * _weight(m, key[1], key[2], y)))
        if i.surplus_penalty > 0:
            v = m.var(f"v{len(m.surplus)}")
            m.surplus[skey] = v
            m.add(SURPLUS, skey, [(v, 1.0), (added, -1.0)], pulp.LpConstraintGE, -gap)
            if not m.elastic:
                w = i.surplus_penalty * i.discount(y) * prob[scenario]
                m.objective_terms.append((v, w))


def define_budget(m: PlanModel) -> None:
    """Per region and year: Σ_p cost_p · seat-years[p, y] ≤ budget (money for added seats)."""
    by_region: dict[str, list[Programme]] = defaultdict(list)
    for p in m.programmes():
        by_region[p.region].append(p)
    for (region, year), amount in sorted(m.inputs.budget.items()):
        if year not in m.inputs.years:
            continue
        terms: list[tuple[pulp.LpVariable, float]] = []
        committed = 0.0
        for p in by_region.get(region, []):
            e = m.enrolment[p.id, year]
            terms += _terms(e, p.cost)
            committed += p.cost * e.constant
        m.add(BUDGET, (region, year), terms, pulp.LpConstraintLE, amount - committed)


def define_faculty(m: PlanModel) -> None:
    """Faculty per tier: load ≤ F[y]; F[y] ≤ (1 + g) F[y−1] + share · expert graduates(y − lag)."""
    i = m.inputs
    for pool in i.faculty:
        progs = [p for p in m.programmes() if p.region == pool.region and p.tier == pool.tier]
        experts = [p for p in m.programmes() if p.region == pool.region and p.tier == "expert"]
        prev: pulp.LpVariable | None = None
        for t in i.years:
            f = m.var(f"f{len(m.faculty)}")
            m.faculty[pool.region, pool.tier, t] = f
            terms: list[tuple[pulp.LpVariable, float]] = [(f, -1.0)]
            fixed = 0.0
            for p in progs:
                e = m.enrolment[p.id, t]
                terms += _terms(e, 1.0 / p.students_per_faculty)
                fixed += (e.constant + p.existing_intake * p.duration) / p.students_per_faculty
            m.add(FACULTY_CAPACITY, (pool.region, pool.tier, t), terms,
                  pulp.LpConstraintLE, -fixed)
            growth: list[tuple[pulp.LpVariable, float]] = [(f, 1.0)]
            rhs = 0.0
            if prev is None:
                rhs = (1.0 + pool.growth) * pool.initial
            else:
                growth.append((prev, -(1.0 + pool.growth)))
            if pool.from_expert_share > 0 and t - pool.lag in i.years:
                for p in experts:
                    g = m.graduates[p.id, t - pool.lag]
                    growth += _terms(g, -pool.from_expert_share)
                    rhs += pool.from_expert_share * g.constant
            m.add(FACULTY_GROWTH, (pool.region, pool.tier, t), growth, pulp.LpConstraintLE, rhs)
            prev = f


def define_intake_growth(m: PlanModel) -> None:
    """Total intake grows at most by `growth` a year (+ `opening` seats): per programme, year."""
    y0 = m.inputs.years[0]
    for p in m.programmes():
        for t in m.inputs.years:
            terms = [(m.intake[p.id, t], 1.0)]
            rhs = p.growth * p.existing_intake + p.opening
            if t == y0:
                rhs += (1.0 + p.growth) * float(p.enrolled.get(y0 - 1, 0.0))
            else:
                terms.append((m.intake[p.id, t - 1], -(1.0 + p.growth)))
            m.add(INTAKE_GROWTH, (p.id, t), terms, pulp.LpConstraintLE, rhs)


def define_coverage(m: PlanModel) -> None:
    """Cumulative literacy-tier graduates of an audience by a year ≥ its target."""
    for c in m.inputs.coverage:
        progs = [p for p in m.programmes() if p.region == c.region and p.audience == c.audience
                 and p.tier == "literacy"]
        terms: list[tuple[pulp.LpVariable, float]] = []
        done = 0.0
        for p in progs:
            for t in m.inputs.years:
                if t <= c.year:
                    g = m.graduates[p.id, t]
                    terms += _terms(g)
                    done += g.constant
        m.add(COVERAGE, (c.region, c.audience, c.year), terms, pulp.LpConstraintGE,
              c.persons - done)


def define_min_shares(m: PlanModel) -> None:
    """Intake of the `of` group ≥ share × intake of the `within` group, per region and year."""
    regions = sorted({p.region for p in m.programmes()})
    for ms in m.inputs.min_shares:
        for region in regions:
            progs = [p for p in m.programmes() if p.region == region]
            for t in m.inputs.years:
                coef: dict[str, float] = defaultdict(float)
                for p in progs:
                    if ms.matches(p, ms.of):
                        coef[p.id] += 1.0
                    if ms.matches(p, ms.within):
                        coef[p.id] -= ms.share
                terms = [(m.intake[pid, t], c) for pid, c in coef.items() if c != 0]
                if terms:
                    m.add(MIN_SHARE, (ms.name, region, t), terms, pulp.LpConstraintGE, 0.0)


def define_objective(m: PlanModel) -> None:
    """Discounted cost plus probability-weighted shortage (or, elastic: total violation)."""
    i = m.inputs
    if not m.elastic:
        for p in m.programmes():
            for t in i.years:
                w = i.cost_weight * p.cost * i.discount(t)
                m.objective_terms += _terms(m.enrolment[p.id, t], w)
    m.prob.setObjective(_expr(m.objective_terms))


BLOCKS = (define_intake, define_pipeline, define_supply, define_shortage, define_budget,
          define_faculty, define_intake_growth, define_coverage, define_min_shares,
          define_objective)


def build(inputs: PlanInputs, elastic: Collection[str] = ()) -> PlanModel:
    """Build the LP. With `elastic` families, minimise their (relative) violation instead."""
    m = PlanModel(inputs=inputs, prob=pulp.LpProblem("curricula_plan", pulp.LpMinimize),
                  elastic=frozenset(elastic))
    for block in BLOCKS:
        block(m)
    return m
