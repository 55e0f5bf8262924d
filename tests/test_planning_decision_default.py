"""Issue 11 on the default inputs (the embedded data and planning file): a stable plan, no
end-of-horizon collapse, scenarios that never train fewer, marginal values in persons
that agree with re-solves, budget 0 as the do-nothing plan, ranges and limits."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pulp
import pytest

import curricula as c
from curricula.persons import frontier_gap
from talent.planning import plan_from_files
from talent.planning_results import PlanOutcome


@pytest.fixture(scope="module")
def outcome() -> PlanOutcome:
    return plan_from_files()


def _dearer(i: c.PlanInputs, pid: str, factor: float = 1.001) -> c.PlanInputs:
    progs = tuple(dataclasses.replace(p, cost=p.cost * factor) if p.id == pid else p for p in i.programmes)
    return dataclasses.replace(i, programmes=progs)


def _largest_move(i: c.PlanInputs, base: c.PlanResult, pid: str) -> float:
    """Largest change of one programme's total intake, as a share of the plan's total intake."""
    before = base.intake.groupby("programme")["intake"].sum()
    after = c.plan(_dearer(i, pid), persons=False).intake.groupby("programme")["intake"].sum()
    return float((after - before).abs().max() / before.sum())


def test_a_hair_on_the_largest_programme_cost_moves_no_programme(outcome: PlanOutcome) -> None:
    i, r = outcome.inputs, outcome.result
    money = {p.id: p.cost * float(r.enrolment[r.enrolment["programme"] == p.id]["seat_years"].sum())
             for p in i.programmes}
    assert _largest_move(i, r, max(money, key=money.__getitem__)) <= 0.01


@pytest.mark.slow
def test_a_hair_on_any_programme_cost_moves_no_programme(outcome: PlanOutcome) -> None:
    i, r = outcome.inputs, outcome.result
    moves = {p.id: _largest_move(i, r, p.id) for p in i.programmes}
    assert max(moves.values()) <= 0.01, sorted(moves.items(), key=lambda kv: -kv[1])[:3]


def test_no_end_of_horizon_collapse(outcome: PlanOutcome) -> None:
    r = outcome.result
    tiers = r.intake.groupby(["tier", "year"])["intake"].sum().unstack()
    assert (tiers.loc["expert"] > 0).all()
    for tier in ("applied", "expert"):
        path = tiers.loc[tier].to_numpy()
        assert (path[1:] >= 0.75 * path[:-1] - 1e-6 * path.max()).all(), (tier, path)
    assert r.horizon[-1] > outcome.inputs.years[-1]  # the plan looked past its last year
    assert c.check_plan(outcome.inputs, r) == []


def _objective_under(plan: c.PlanResult, inputs: c.PlanInputs) -> float:
    """The planning objective of `plan`'s intake (plan years and extension) under the demand of
    `inputs`: their LP with every intake fixed to the plan's. The hard limits only restrict the
    intake, so they are left out (the fixed plan satisfies them; `check_plan` says so)."""
    m = c.build(inputs, drop=c.HARD_FAMILIES)
    rows = pd.concat([plan.intake, plan.beyond])
    n = {(p, int(y)): float(v) for p, y, v in zip(rows["programme"], rows["year"], rows["intake"], strict=True)}
    for key, var in m.intake.items():
        var.lowBound = var.upBound = n[key]
    assert c.solve_model(m)[0] == "optimal"
    return float(pulp.value(m.prob.objective))


def test_a_higher_demand_plan_loses_less_when_demand_turns_out_high() -> None:
    """What a higher demand scenario may claim. Not "it never trains fewer experts": on the default
    inputs the q10 plan meets the whole applied machine-learning demand of 2034 (the terminal year),
    so more applied seats are worth nothing there and its money goes to experts (178,193 against the
    q90 plan's 171,497 over 2025-2030), while under q90 applied seats stay the better use of money.
    What is true for any LP, whichever limits bind (revealed preference): with f(x, D) = money(x) +
    loss(x, D) and each plan within its tie-break band b of the optimum for its own demand,
    f(x10, D10) ≤ f(x90, D10) + b10 and f(x90, D90) ≤ f(x10, D90) + b90; summed (money(x) does not
    depend on D): loss(x10, D90) − loss(x10, D10) ≥ loss(x90, D90) − loss(x90, D10) − b10 − b90.
    The q90 plan loses less than the q10 plan when demand turns out as high as q90."""
    o = {q: plan_from_files(scenarios={q: 1.0}, explain=False) for q in ("q10", "q90")}
    lo, hi = ({cell: v for (cell, _), v in c.extend(o[q].inputs).demand.items()} for q in ("q10", "q90"))
    assert lo.keys() == hi.keys() and all(hi[k] >= lo[k] for k in lo)  # higher demand, every modelled year
    f = {(q, d): _objective_under(o[q].result, o[d].inputs) for q in o for d in o}
    for q in o:  # the evaluation reproduces each plan's own objective
        assert f[q, q] == pytest.approx(o[q].result.plan_objective, rel=1e-6)
        assert c.check_plan(o[q].inputs, o[q].result) == []
    band = sum(o[q].result.plan_objective - o[q].result.objective for q in o)
    tol = 1e-6 * max(abs(v) for v in f.values())
    assert f["q90", "q10"] >= o["q10"].result.objective - tol  # x90 is no better than the optimum for q10
    assert f["q10", "q90"] >= o["q90"].result.objective - tol
    assert f["q10", "q90"] - f["q10", "q10"] >= f["q90", "q90"] - f["q90", "q10"] - band - tol


def test_money_and_persons_are_reported_apart(outcome: PlanOutcome) -> None:
    r = outcome.result
    before, after = r.target_gap()
    assert r.target_year == outcome.inputs.years[-1] and set(r.professional_levels) == {"applied", "expert"}
    assert 0 < after < before
    assert r.total_cost() == pytest.approx(r.cost["cost"].sum())
    assert r.plan_objective <= r.objective + 0.01 * r.optimal_money + 1e-6 * r.objective


def test_persons_per_unit_of_budget_agree_with_resolves(outcome: PlanOutcome) -> None:
    i, r = outcome.inputs, outcome.result
    g0 = frontier_gap(i)
    rows = r.duals[(r.duals["family"] == "budget") & (r.duals["persons"] > 1e-6)]
    assert not rows.empty
    for key, persons, side in zip(rows["key"], rows["persons"], rows["persons_side"], strict=True):
        for step in (10.0, -10.0):  # ten million CNY against budgets of 10,000+
            if side != "both" and (side == "relax") != (step > 0):
                continue
            b = dict(i.budget)
            b[key] += step
            fd = (g0 - frontier_gap(dataclasses.replace(i, budget=b))) / step
            assert fd == pytest.approx(persons, rel=0.01), (key, step, side)


def test_budget_zero_gives_the_do_nothing_plan() -> None:
    """--budget 0 scales the public budget to 0: only programmes firms pay for in full (enterprise
    training) may still train, within the firms' budget."""
    o = plan_from_files(budget_scale=0.0, explain=False)
    r = o.result
    assert r.optimal
    firms_only = {p.id for p in o.inputs.programmes if p.industry_share == 1.0}
    public = r.intake[~r.intake["programme"].isin(firms_only)]
    assert public["intake"].abs().max() == pytest.approx(0.0, abs=1e-6)
    assert r.intake["intake"].sum() > 0  # firms still train their own technicians
    assert (r.cost["cost"] - r.cost["industry"] - r.cost["committed"]).abs().max() < 1e-6  # no public seat money
    assert (r.cost["industry"] <= r.cost["industry_budget"] * (1 + 1e-9)).all()
    assert r.target_gap()[1] <= r.target_gap()[0]  # committed cohorts still graduate
    assert c.check_plan(o.inputs, r) == []


@pytest.mark.slow
def test_ranges_and_limits_on_the_default_plan(outcome: PlanOutcome) -> None:
    r = c.plan(outcome.inputs, ranges=True, limits=True)
    g = r.ranges
    assert set(g["kind"]) == {"programme", "tier_audience"}
    assert len(g[g["kind"] == "programme"]) == len(outcome.inputs.programmes)
    assert ((g["min"] <= g["planned"] + 1e-3) & (g["planned"] <= g["max"] + 1e-3)).all()
    lim = r.limits.set_index("family")
    assert lim.loc["all", "gap_without"] < lim.loc["all", "gap_with"]
    # The objective is not the 2030 gap, so one family removed may shift money to other years and raise that
    # gap a little (ramp: +0.07% measured); the binding budget's removal must lower it.
    assert lim.loc["budget", "gap_without"] < lim.loc["budget", "gap_with"]
