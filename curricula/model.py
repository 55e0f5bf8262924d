"""The planning LP, assembled from named `define_*` blocks (PyPSA/linopy style).

Each block adds one family of variables or constraints and records every constraint
under its family and a domain key (region, tier, year, …), so duals and elastic
slacks map back to words. The blocks live in `curricula.blocks` (intake, pipeline,
supply, objective), `curricula.penalty` (shortage, convex penalty, CVaR) and
`curricula.limits` (budget, faculty, growth, ramp, pools, coverage, shares); the
second-stage blocks (tie-break, near-optimal band) in `curricula.tiebreak`. See
docs/planner.md for the formulation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

import pulp

from curricula.horizon import Horizon, extend
from curricula.inputs import PlanInputs, Programme

Key = tuple[object, ...]
Expr: TypeAlias = pulp.LpAffineExpression
Terms: TypeAlias = list[tuple[pulp.LpVariable, float]]


@dataclass
class PlanModel:
    """A built PuLP problem plus the maps from domain keys to variables and constraints.

    `h` is the modelled horizon (reported years plus the extension); `drop` names
    families whose rows are left out (to see what the gap would be without them).
    """

    inputs: PlanInputs
    prob: pulp.LpProblem
    h: Horizon
    elastic: frozenset[str] = frozenset()
    drop: frozenset[str] = frozenset()
    require_match: bool = True
    intake: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    enrolment: dict[tuple[str, int], Expr] = field(default_factory=dict)
    graduates: dict[tuple[str, int], Expr] = field(default_factory=dict)
    added: dict[tuple[str, str, str, int], pulp.LpVariable] = field(default_factory=dict)
    trained: dict[tuple[str, str, str, int], pulp.LpVariable] = field(default_factory=dict)  # X (mobility)
    shortage: dict[tuple[str, str, str, int, str], pulp.LpVariable] = field(default_factory=dict)
    segments: dict[tuple[str, str, str, int, str], Terms] = field(default_factory=dict)  # by penalty group
    surplus: dict[tuple[str, str, str, int, str], pulp.LpVariable] = field(default_factory=dict)
    faculty: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    carry: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    central: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)  # central money to a region
    coverage_short: dict[Key, pulp.LpVariable] = field(default_factory=dict)
    loss: dict[str, Terms] = field(default_factory=lambda: defaultdict(list))
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    unmatched_flows: list[tuple[str, str, str, str, float]] = field(default_factory=list)
    flows: dict[tuple[str, str, str, str], list[tuple[str, float]]] = field(default_factory=dict)
    constraints: dict[str, dict[Key, pulp.LpConstraint]] = field(
        default_factory=lambda: defaultdict(dict))
    slacks: dict[str, dict[Key, pulp.LpVariable]] = field(default_factory=lambda: defaultdict(dict))
    objective_terms: Terms = field(default_factory=list)
    planning: Expr | None = None  # the planning objective (kept when a later solve minimises another)
    money: Expr | None = None  # discounted money of the plan (seats, salaries, lost work)
    region_optima: dict[str, tuple[float, float]] = field(default_factory=dict)  # coupled: region -> (f*_r, M*_r)
    _count: int = 0

    @property
    def years(self) -> tuple[int, ...]:
        """The modelled years (reported plus extension)."""
        return self.h.years

    def var(self, name: str, low: float = 0.0, up: float | None = None) -> pulp.LpVariable:
        """A new continuous variable (PuLP ≥ 3.3 attaches it to the problem)."""
        if hasattr(self.prob, "add_variable"):
            return self.prob.add_variable(name, lowBound=low, upBound=up)
        return pulp.LpVariable(name, lowBound=low, upBound=up)

    def penalise(self, terms: Iterable[tuple[pulp.LpVariable, float]]) -> None:
        """Add objective terms of the planning objective (none in elastic mode)."""
        if not self.elastic:
            self.objective_terms.extend(terms)

    def add(self, family: str, key: Key, terms: Iterable[tuple[pulp.LpVariable, float]],
            sense: int, rhs: float) -> pulp.LpConstraint | None:
        """Add `Σ terms (sense) rhs` under `family`/`key`; elastic families get a slack.

        `family` is one of `curricula.families.KEY_FIELDS`, whose entry names the
        positions of `key`. Families in `drop` are not added (None is returned).
        """
        if family in self.drop:
            return None
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
        return c

    def remove(self, *families: str) -> None:
        """Take every row of `families` out of the problem (PuLP has no public call for it)."""
        for family in families:
            for c in self.constraints.pop(family, {}).values():
                self.prob._constraints.pop(c.name, None)

    def programmes(self) -> tuple[Programme, ...]:
        """The programmes in input order."""
        return self.inputs.programmes


def _expr(terms: Iterable[tuple[pulp.LpVariable, float]]) -> Expr:
    """Sum (variable, coefficient) pairs; PuLP's list constructor would overwrite repeats."""
    acc: dict[pulp.LpVariable, float] = {}
    for v, c in terms:
        acc[v] = acc.get(v, 0.0) + c
    return pulp.LpAffineExpression(acc)


def _terms(expr: Expr, scale: float = 1.0) -> Terms:
    return [(v, c * scale) for v, c in expr.items()]


def build(inputs: PlanInputs, elastic: Collection[str] = (), drop: Collection[str] = (),
          require_match: bool = True) -> PlanModel:
    """Build the LP. With `elastic` families, minimise their (relative) violation instead.

    `drop` leaves out every row of the named families (e.g. `("budget",)`: no budget limit).
    `require_match` refuses inputs none of whose yields meets a demand series.
    """
    from curricula.blocks import BLOCKS

    m = PlanModel(inputs=inputs, prob=pulp.LpProblem("curricula_plan", pulp.LpMinimize),
                  h=extend(inputs), elastic=frozenset(elastic), drop=frozenset(drop),
                  require_match=require_match)
    for block in BLOCKS:
        block(m)
    return m
