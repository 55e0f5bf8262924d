"""Read a solved `PlanModel` into a `PlanResult`.

The frames describe the reported plan years (the last solve: the tie-broken plan); the
intake of the extension years is in `beyond`. Duals (money) and their binding flags are
read right after the first solve (`read_duals`), persons values from the gap problem
(`curricula.persons`); both describe the optimum, which the reported plan lies within
ε of.
"""

from __future__ import annotations

import math

import pandas as pd
import pulp

from curricula.families import INTERNAL_FAMILIES, key_dict
from curricula.model import Key, PlanModel
from curricula.result import DUAL_COLUMNS, FLOW_COLUMNS, RELAX_UNIT, PlanResult, describe

#: (family, key) -> (value in money per unit of relaxation, binding at the optimum)
MoneyDuals = dict[tuple[str, Key], tuple[float, bool]]
#: (family, key) -> (persons per unit of relaxation, side on which that value holds)
PersonsDuals = dict[tuple[str, Key], tuple[float, str]]


def _val(x: pulp.LpAffineExpression | pulp.LpVariable) -> float:
    v = x.value()
    return float(v) if v is not None else 0.0


def relax_value(c: pulp.LpConstraint) -> float:
    """How much the objective falls per unit of relaxation of `c` (sign-free reading of π)."""
    pi = c.pi if c.pi is not None else 0.0
    return float(-pi if c.sense == pulp.LpConstraintLE else pi)


def reported_rows(m: PlanModel) -> list[tuple[str, Key, pulp.LpConstraint]]:
    """The rows the duals frame reports: not internal, not in an extension year."""
    ext = set(m.h.extension)
    out = []
    for family, cons in m.constraints.items():
        if family in INTERNAL_FAMILIES:
            continue
        for key, c in cons.items():
            if key_dict(family, key).get("year") not in ext:
                out.append((family, key, c))
    return out


def fold_extension(m: PlanModel, value: dict[tuple[str, Key], float]) -> dict[tuple[str, Key], float]:
    """Add the value of each extension-year row held from the last plan year (budgets,
    the central budget, industry budgets, placements) to that year's row: one more unit of
    it is one more unit in every year it holds."""
    out = dict(value)
    for family, key in m.h.held_rows:
        c = m.constraints.get(family, {}).get(key)
        last = (family, m.h.last_key(family, key))
        if c is not None and last in out:
            out[last] += relax_value(c)
    return out


def _binding(c: pulp.LpConstraint) -> bool:
    resid = c.value() or 0.0  # lhs − rhs
    return bool(abs(resid) <= 1e-6 * max(1.0, abs(c.constant)))


def read_duals(m: PlanModel) -> MoneyDuals:
    """Duals and binding flags of every reported row, right after a solve (the last plan
    year's budget binds when it or an extension year it holds binds)."""
    rows = reported_rows(m)
    values = fold_extension(m, {(f, k): relax_value(c) for f, k, c in rows})
    held = {(family, m.h.last_key(family, key)) for family, key in m.h.held_rows
            if key in m.constraints.get(family, {}) and _binding(m.constraints[family][key])}
    out: MoneyDuals = {}
    for family, key, c in rows:
        out[family, key] = (values[family, key], _binding(c) or (family, key) in held)
    return out


def dual_frame(m: PlanModel, money: MoneyDuals, persons: PersonsDuals | None) -> pd.DataFrame:
    """`PlanResult.duals`: one row per reported constraint."""
    unit_money = m.inputs.money_unit
    rows = []
    for (family, key), (value, binding) in money.items():
        unit = f"{unit_money} per " + RELAX_UNIT[family].format(money=unit_money)
        pv, side = (persons or {}).get((family, key), (math.nan, "not computed"))
        rows.append({"family": family, "key": key, "description": describe(family, key),
                     "value": value, "unit": unit, "binding": binding, "persons": pv,
                     "persons_side": side})
    return pd.DataFrame(rows, columns=list(DUAL_COLUMNS))


def _programme_frames(m: PlanModel) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    reported = set(m.h.reported)
    intake, enrol, grads, beyond = [], [], [], []
    progs = {p.id: p for p in m.programmes()}
    for (pid, y), var in m.intake.items():
        p = progs[pid]
        base = {"region": p.region, "programme": pid, "tier": p.tier, "audience": p.audience,
                "track": p.track, "channel": p.channel, "year": y}
        if y not in reported:
            beyond.append({**base, "intake": _val(var)})
            continue
        intake.append({**base, "intake": _val(var)})
        enrol.append({**base, "seat_years": _val(m.enrolment[pid, y])})
        grads.append({**base, "graduates": _val(m.graduates[pid, y])})
    cols = ["region", "programme", "tier", "audience", "track", "channel", "year", "intake"]
    return (pd.DataFrame(intake), pd.DataFrame(enrol), pd.DataFrame(grads),
            pd.DataFrame(beyond, columns=cols))


def _gap_frame(m: PlanModel) -> pd.DataFrame:
    probs = {s.name: s.probability for s in m.inputs.scenarios}
    reported = set(m.h.reported)
    gap = []
    for (k, scenario), demand in m.h.demand.items():
        if k[3] not in reported:
            continue
        a = _val(m.added[k])
        b = m.h.base.get(k, 0.0)
        gap.append({"region": k[0], "role": k[1], "level": k[2], "year": k[3],
                    "scenario": scenario, "probability": probs[scenario], "demand": demand,
                    "base_supply": b, "added": a, "gap_before": demand - b,
                    "shortage": max(0.0, demand - b - a), "surplus": max(0.0, b + a - demand)})
    return pd.DataFrame(gap)


def _cost_frame(m: PlanModel) -> pd.DataFrame:
    """Money per region and year: `cost` (committed + seats + salaries, public and firms'
    money together), `industry` (the firms' share of the seats, charged to the industry
    budget), `public` (= cost − industry: charged to the regional budget, of which `central`
    came from the central budget), and what is not charged to a budget (`opportunity`)."""
    from curricula.blocks import opportunity

    i = m.inputs
    opp = opportunity(m)
    rows = []
    for region in sorted({p.region for p in i.programmes}):
        progs = [p for p in i.programmes if p.region == region]
        for y in m.h.reported:
            committed = sum(p.cost * m.enrolment[p.id, y].constant for p in progs)
            seats = sum(p.cost * _val(m.enrolment[p.id, y]) for p in progs) - committed
            salaries = sum(f.salary * (_val(m.faculty[f.region, f.tier, y]) - f.initial)
                           for f in i.faculty if f.region == region and f.salary > 0)
            industry = sum(p.industry_share * p.cost * _val(m.enrolment[p.id, y]) for p in progs)
            cost = committed + seats + salaries
            rows.append({"region": region, "year": y, "cost": cost,
                         "budget": m.h.budget.get((region, y), float("inf")),
                         "committed": committed, "seats": seats, "salaries": salaries,
                         "opportunity": sum(opp[p.id] * _val(m.enrolment[p.id, y]) for p in progs),
                         "carried": _val(m.carry[region, y]) if (region, y) in m.carry else 0.0,
                         "industry": industry, "public": cost - industry,
                         "central": _val(m.central[region, y]) if (region, y) in m.central else 0.0,
                         "industry_budget": m.h.industry.get((region, y), float("inf"))})
    return pd.DataFrame(rows)


def _flow_frame(m: PlanModel) -> pd.DataFrame:
    """The plan's graduates entering work in the reported years, by the region they were
    trained in and the region they work in (shares > 0 into cells with demand only)."""
    rows = []
    for (frm, to, role, level), parts in sorted(m.flows.items()):
        for y in m.h.reported:
            rows.append({"from_region": frm, "to_region": to, "role": role, "level": level, "year": y,
                         "graduates": sum(share * _val(m.graduates[pid, y]) for pid, share in parts)})
    return pd.DataFrame(rows, columns=list(FLOW_COLUMNS))


def _faculty_frame(m: PlanModel) -> pd.DataFrame:
    reported = set(m.h.reported)
    fac = []
    for (region, tier, y), f in m.faculty.items():
        if y not in reported:
            continue
        load = sum((_val(m.enrolment[p.id, y]) + p.existing_intake * p.duration) / p.students_per_faculty
                   for p in m.programmes() if p.region == region and p.tier == tier)
        fac.append({"region": region, "tier": tier, "year": y, "faculty": _val(f), "load": load})
    return pd.DataFrame(fac)


def _coverage_frame(m: PlanModel) -> pd.DataFrame:
    rows = []
    for c in m.inputs.coverage:
        reached = sum(_val(m.graduates[p.id, t]) for p in m.programmes() for t in m.years
                      if p.region == c.region and p.audience == c.audience and p.tier == "literacy"
                      and t <= c.year)
        rows.append({"region": c.region, "audience": c.audience, "year": c.year, "target": c.persons,
                     "reached": reached, "shortfall": max(0.0, c.persons - reached)})
    return pd.DataFrame(rows, columns=["region", "audience", "year", "target", "reached", "shortfall"])


def extract(m: PlanModel, status: str, solver: str, timings: dict[str, float], *,
            optimum: float | None = None, duals: MoneyDuals | None = None,
            persons: PersonsDuals | None = None,
            objective: pulp.LpAffineExpression | None = None) -> PlanResult:
    """Read the solution of a solved model into a `PlanResult`.

    `optimum` and `duals` default to the current solve's; `objective` is the planning
    objective's expression (when the last solve minimised something else).
    """
    intake, enrol, grads, beyond = _programme_frames(m)
    added = [{"region": k[0], "role": k[1], "level": k[2], "year": k[3], "added": _val(v)}
             for k, v in m.added.items() if k[3] in set(m.h.reported)]
    plan_obj = float(pulp.value(objective if objective is not None else m.prob.objective) or 0.0)
    return PlanResult(
        status=status, objective=plan_obj if optimum is None else optimum, solver=solver,
        intake=intake, enrolment=enrol, graduates=grads, added_supply=pd.DataFrame(added),
        gap=_gap_frame(m), cost=_cost_frame(m), faculty=_faculty_frame(m),
        duals=dual_frame(m, read_duals(m) if duals is None else duals, persons),
        money_unit=m.inputs.money_unit, timings=timings, plan_objective=plan_obj, horizon=m.years,
        beyond=beyond, coverage=_coverage_frame(m), unmatched_yields=tuple(m.unmatched),
        unmatched_flows=tuple(m.unmatched_flows), flows=_flow_frame(m),
        target_year=m.inputs.target, professional_levels=m.inputs.professional(),
    )
