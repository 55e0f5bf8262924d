"""The typed plan result and its extraction from a solved `PlanModel`.

Duals are reported as `value`: how much the (discounted) objective falls per unit of
relaxation of the constraint, in money units, so that a positive number always means
"relaxing this would help" whatever the sense of the row. docs/planner.md says how to
read each family.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pulp

from curricula.families import (
    ALL_KEY_FIELDS,
    BUDGET,
    COVERAGE,
    FACULTY_CAPACITY,
    FACULTY_GROWTH,
    INTAKE_GROWTH,
    KEY_FIELDS,
    MIN_SHARE,
    SHORTAGE,
    SUPPLY_FLOW,
    SURPLUS,
    key_dict,
)
from curricula.model import PlanModel

#: Per family: the unit one step of relaxation is measured in.
RELAX_UNIT = {
    BUDGET: "{money}",
    FACULTY_CAPACITY: "faculty FTE",
    FACULTY_GROWTH: "faculty FTE",
    INTAKE_GROWTH: "seat",
    COVERAGE: "person",
    MIN_SHARE: "seat",
    SHORTAGE: "person",
    SUPPLY_FLOW: "person",
    SURPLUS: "person",
}

#: Per family: the constraint in words, filled from its key by field name (`KEY_FIELDS`).
_DESCRIPTIONS = {
    BUDGET: "the budget in {year} ({region})",
    FACULTY_CAPACITY: "the {tier} faculty in {year} ({region})",
    FACULTY_GROWTH: "the {tier} faculty growth limit in {year} ({region})",
    INTAKE_GROWTH: "the intake growth limit of '{programme}' in {year}",
    COVERAGE: "the literacy coverage target for {audience} by {year} ({region})",
    MIN_SHARE: "the minimum share '{name}' in {year} ({region})",
    SHORTAGE: "one more {level}-level {role} person in {year} ({region}, scenario {scenario})",
}

#: Columns of `PlanResult.duals`; `duals_by_field()` replaces `key` by `ALL_KEY_FIELDS`.
DUAL_COLUMNS = ("family", "key", "description", "value", "unit", "binding")


def describe(family: str, key: tuple[object, ...]) -> str:
    """A constraint in words, e.g. 'the budget in 2027 (CN)'."""
    template = _DESCRIPTIONS.get(family)
    if template is None or len(key) != len(KEY_FIELDS.get(family, ())):
        return f"{family} {key}"
    return template.format(**key_dict(family, key))


@dataclass(frozen=True)
class Relaxation:
    """One constraint that must be relaxed by `amount` (in `unit`) to make the plan feasible."""

    family: str
    key: tuple[object, ...]
    description: str
    amount: float
    unit: str


@dataclass(frozen=True)
class Diagnosis:
    """Why a plan is infeasible: the conflicting families and, per family, a sufficient fix."""

    conflicting: tuple[Relaxation, ...]
    fixes: dict[str, tuple[Relaxation, ...]]
    text: str


@dataclass(frozen=True)
class PlanResult:
    """A solved (or diagnosed) plan. All frames are long; money is in `money_unit`."""

    status: str
    objective: float
    solver: str
    intake: pd.DataFrame  # region, programme, tier, audience, track, year, intake
    enrolment: pd.DataFrame  # region, programme, tier, year, seat_years
    graduates: pd.DataFrame  # region, programme, tier, audience, track, year, graduates
    added_supply: pd.DataFrame  # region, role, level, year, added
    gap: pd.DataFrame  # region, role, level, year, scenario, demand, base_supply, added, ...
    cost: pd.DataFrame  # region, year, cost, budget
    faculty: pd.DataFrame  # region, tier, year, faculty, load
    duals: pd.DataFrame  # family, key, description, value, unit, binding (see duals_by_field)
    money_unit: str = "million CNY"
    diagnosis: Diagnosis | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        """True when the solver proved optimality."""
        return self.status == "optimal"

    def binding(self) -> pd.DataFrame:
        """Binding hard constraints with a positive value of relaxation, largest first."""
        d = self.duals
        d = d[(d["family"] != SHORTAGE) & d["binding"] & (d["value"] > 1e-9)]
        return d.sort_values("value", ascending=False).reset_index(drop=True)

    def duals_by_field(self) -> pd.DataFrame:
        """`duals` with each key spread over named columns, one per field of `KEY_FIELDS`.

        Columns: family, then `ALL_KEY_FIELDS` (region, role, level, year, scenario,
        tier, programme, audience, name), then description, value, unit, binding. A
        field that a family's key lacks is None (e.g. `tier` of a budget row), so rows
        of every family can be filtered alike: `d[(d.family == "budget") & (d.year == 2027)]`.
        """
        d = self.duals
        named = [key_dict(f, tuple(k)) for f, k in zip(d["family"], d["key"], strict=True)]
        out = pd.DataFrame({"family": d["family"].to_numpy()}, index=d.index)
        for name in ALL_KEY_FIELDS:
            out[name] = pd.Series([n.get(name) for n in named], index=d.index,
                                  dtype=None if named else object)
        for col in DUAL_COLUMNS[2:]:
            out[col] = d[col]
        return out

    def shortage_prices(self) -> pd.DataFrame:
        """Shadow price of shortage per region, role, level and year (summed over scenarios)."""
        d = self.duals[self.duals["family"] == SHORTAGE]
        if d.empty:
            return pd.DataFrame(columns=["region", "role", "level", "year", "value"])
        k = pd.DataFrame(d["key"].tolist(), columns=list(KEY_FIELDS[SHORTAGE]))
        k["value"] = d["value"].to_numpy()
        return k.groupby(["region", "role", "level", "year"], as_index=False)[["value"]].sum()

    def expected_gap(self) -> pd.DataFrame:
        """Probability-weighted gap before and after the plan per region, role, level, year."""
        g = self.gap.assign(b=self.gap["gap_before"] * self.gap["probability"],
                            a=self.gap["shortage"] * self.gap["probability"])
        out = g.groupby(["region", "role", "level", "year"], as_index=False)[["b", "a"]].sum()
        return out.rename(columns={"b": "gap_before", "a": "gap_after"})


def _val(x: pulp.LpAffineExpression | pulp.LpVariable) -> float:
    v = x.value()
    return float(v) if v is not None else 0.0


def _dual_rows(m: PlanModel, money: str) -> pd.DataFrame:
    rows = []
    for family, cons in m.constraints.items():
        if family in (SUPPLY_FLOW, SURPLUS):
            continue
        unit = f"{money} per " + RELAX_UNIT[family].format(money=money)
        for key, c in cons.items():
            pi = c.pi if c.pi is not None else 0.0
            value = -pi if c.sense == pulp.LpConstraintLE else pi
            resid = c.value() or 0.0  # lhs − rhs
            tol = 1e-6 * max(1.0, abs(c.constant))
            rows.append({"family": family, "key": key, "description": describe(family, key),
                         "value": float(value), "unit": unit,
                         "binding": bool(abs(resid) <= tol)})
    return pd.DataFrame(rows, columns=list(DUAL_COLUMNS))


def extract(m: PlanModel, status: str, solver: str, timings: dict[str, float]) -> PlanResult:
    """Read the solution of a solved model into a `PlanResult`."""
    i = m.inputs
    progs = {p.id: p for p in i.programmes}
    intake, enrol, grads = [], [], []
    for (pid, y), var in m.intake.items():
        p = progs[pid]
        base = {"region": p.region, "programme": pid, "tier": p.tier, "audience": p.audience,
                "track": p.track, "year": y}
        intake.append({**base, "intake": _val(var)})
        enrol.append({**base, "seat_years": _val(m.enrolment[pid, y])})
        grads.append({**base, "graduates": _val(m.graduates[pid, y])})
    added = [{"region": k[0], "role": k[1], "level": k[2], "year": k[3], "added": _val(v)}
             for k, v in m.added.items()]
    base_supply = i.base_supply_by_cell()
    probs = {s.name: s.probability for s in i.scenarios}
    gap = []
    for k, scenario, demand in i.demand_rows():
        if k not in m.added:
            continue
        a = _val(m.added[k])
        b = base_supply.get(k, 0.0)
        gap.append({"region": k[0], "role": k[1], "level": k[2], "year": k[3],
                    "scenario": scenario, "probability": probs[scenario], "demand": demand,
                    "base_supply": b, "added": a, "gap_before": demand - b,
                    "shortage": max(0.0, demand - b - a),
                    "surplus": max(0.0, b + a - demand)})
    cost_rows = []
    regions = sorted({p.region for p in i.programmes})
    for region in regions:
        for y in i.years:
            c = sum(p.cost * _val(m.enrolment[p.id, y]) for p in i.programmes if p.region == region)
            cost_rows.append({"region": region, "year": y, "cost": c,
                              "budget": i.budget.get((region, y), float("inf"))})
    fac = []
    for (region, tier, y), f in m.faculty.items():
        load = sum((_val(m.enrolment[p.id, y]) + p.existing_intake * p.duration)
                   / p.students_per_faculty for p in i.programmes
                   if p.region == region and p.tier == tier)
        fac.append({"region": region, "tier": tier, "year": y, "faculty": _val(f), "load": load})
    objective = float(pulp.value(m.prob.objective) or 0.0)
    return PlanResult(
        status=status, objective=objective, solver=solver,
        intake=pd.DataFrame(intake), enrolment=pd.DataFrame(enrol), graduates=pd.DataFrame(grads),
        added_supply=pd.DataFrame(added), gap=pd.DataFrame(gap), cost=pd.DataFrame(cost_rows),
        faculty=pd.DataFrame(fac), duals=_dual_rows(m, i.money_unit), money_unit=i.money_unit,
        timings=timings,
    )
