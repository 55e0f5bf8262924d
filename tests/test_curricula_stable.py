"""Hand-solvable cases for the second stage and the explanations: the tie-break splits a
tie by the reference allocation and stays put when a cost moves a hair; near-optimal
ranges; marginal values in persons against re-solves; what limits the gap."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import curricula as c
from curricula.persons import frontier_gap
from tests.test_curricula_hand import one_programme

A, B = "expert.students.ml", "expert.technical_staff.ml"


def twins(**kw: Any) -> c.PlanInputs:
    """Two programmes alike in all but their current scale (30 and 10 entrants a year):
    budget 40 a year, demand 100, graduates work one year (attrition 1), so every year
    the plan trains 40 and any split of them costs the same."""
    base = one_programme(40.0)
    a = dataclasses.replace(base.programmes[0], existing_intake=30.0, opening=0.0)
    b = dataclasses.replace(a, id=B, audience="technical_staff", existing_intake=10.0)
    opts: dict[str, Any] = {"programmes": (a, b), "attrition": {("ml", "expert"): 1.0},
                            "tiebreak_tolerance": 0.01, **kw}
    return dataclasses.replace(base, **opts)


def totals(r: c.PlanResult) -> dict[str, float]:
    return r.intake.groupby("programme")["intake"].sum().to_dict()


def test_tie_is_split_by_the_reference_allocation() -> None:
    i = twins()
    r = c.plan(i)
    assert r.objective == pytest.approx(3 * 60 * 10 + 120)  # 60 short a year, 40 seats
    got = r.intake.pivot_table(index="year", columns="programme", values="intake")
    assert got[A].tolist() == pytest.approx([30.0, 30.0, 30.0], abs=1e-4)
    assert got[B].tolist() == pytest.approx([10.0, 10.0, 10.0], abs=1e-4)
    assert r.plan_objective <= r.objective + 0.01 * r.optimal_money + 1e-6
    assert c.check_plan(i, r) == []
    # the same answer whatever order the programmes come in
    flipped = c.plan(dataclasses.replace(i, programmes=i.programmes[::-1]))
    assert totals(flipped) == pytest.approx(totals(r), abs=1e-3)


def test_a_hair_on_one_cost_moves_nothing() -> None:
    i = twins()
    before = totals(c.plan(i))
    dearer = tuple(dataclasses.replace(p, cost=p.cost * 1.001) if p.id == A else p for p in i.programmes)
    after = totals(c.plan(dataclasses.replace(i, programmes=dearer)))
    total = sum(before.values())
    assert max(abs(after[k] - before[k]) for k in before) <= 0.01 * total
    # without the second solve the first solve's vertex flips to the cheaper programme
    first = totals(c.plan(dataclasses.replace(i, programmes=dearer, tiebreak_tolerance=None)))
    assert first[A] == pytest.approx(0.0, abs=1e-6)


def test_near_optimal_ranges_show_the_freedom_of_a_tie() -> None:
    r = c.plan(twins(), ranges=True)
    rows = r.ranges.set_index(["kind", "programme"])
    assert list(r.ranges.columns) == list(c.RANGE_COLUMNS)
    a = rows.loc[("programme", A)]
    assert (a["planned"], a["min"], a["max"]) == pytest.approx((90.0, 0.0, 120.0), abs=1e-3)
    tier = r.ranges[(r.ranges["kind"] == "tier_audience") & (r.ranges["audience"] == "technical_staff")]
    assert tier[["planned", "min", "max"]].iloc[0].tolist() == pytest.approx([30.0, 0.0, 120.0], abs=1e-3)
    assert ((r.ranges["min"] <= r.ranges["planned"] + 1e-6) & (r.ranges["planned"] <= r.ranges["max"] + 1e-6)).all()


def test_persons_per_unit_of_budget_match_resolves() -> None:
    # Target year 2027: a unit of 2027 budget trains one more graduate working in 2027; money
    # of 2025 or 2026 trains people who have left by 2027.
    i = twins()
    r = c.plan(i)
    d = r.duals[r.duals["family"] == "budget"].set_index("description")
    assert d.loc["the budget in 2027 (CN)", "persons"] == pytest.approx(1.0)
    assert d.loc["the budget in 2025 (CN)", "persons"] == pytest.approx(0.0)
    g0 = frontier_gap(i)
    assert g0 == pytest.approx(60.0)
    for year in (2025, 2027):
        row = d.loc[f"the budget in {year} (CN)"]
        for step in (1.0, -1.0):
            b = dict(i.budget)
            b["CN", year] += step
            fd = (g0 - frontier_gap(dataclasses.replace(i, budget=b))) / step
            if row["persons_side"] == "both" or (row["persons_side"] == "relax") == (step > 0):
                assert fd == pytest.approx(row["persons"], abs=1e-6)
    assert set(r.duals["persons_side"]) <= {"both", "relax", "tighten", "neither"}


def test_what_limits_the_gap_relaxes_one_family_at_a_time() -> None:
    r = c.plan(twins(), limits=True)
    lim = r.limits.set_index("family")
    assert list(r.limits.columns) == list(c.LIMIT_COLUMNS)
    assert lim.loc["budget", "gap_with"] == pytest.approx(60.0)
    assert lim.loc["budget", "gap_without"] == pytest.approx(0.0, abs=1e-6)
    assert lim.loc["budget", "binding_rows"] == 3
    assert lim.loc["all", "gap_without"] == pytest.approx(0.0, abs=1e-6)
    assert lim.loc["intake_growth", "gap_without"] == pytest.approx(60.0)  # growth does not bind
    assert r.target_gap() == pytest.approx((100.0, 60.0))
    assert r.total_cost() == pytest.approx(120.0)


def test_regions_solved_one_by_one_give_the_one_lp_optimum() -> None:
    from tests.test_curricula_families import every_family

    i = dataclasses.replace(every_family(), cvar_weight=0.0, central_budget={}, mobility={})  # nothing couples
    assert c.regions.separable(i) and not c.regions.separable(every_family())
    r = c.plan(i, ranges=True)
    m = c.build(i)
    assert c.solve_model(m)[0] == "optimal"
    assert r.objective == pytest.approx(m.prob.objective.value(), rel=1e-7)
    assert set(r.intake["region"]) == {"CN", "CN-HA"} and set(r.ranges["region"]) == {"CN", "CN-HA"}
    assert c.check_plan(i, r) == []
