"""Hand-solvable cases for the decision-grade blocks: ramp limits, the extended horizon,
the convex penalty and its grouping, CVaR, candidate pools with opportunity cost,
carry-forward, faculty salaries, budget 0, yields without demand."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pandas as pd
import pytest

import curricula as c
from tests.test_curricula_hand import CORE, YEARS, dual, one_programme


def cells(values: dict[tuple[str, int], float], scenario: str = "mid", level: str = "expert") -> pd.DataFrame:
    """A demand frame from {(role, year): persons}."""
    return pd.DataFrame([{"region": "CN", "role": r, "level": level, "scenario": scenario, "year": y,
                          "value": v} for (r, y), v in values.items()])


def inst(budget: dict[tuple[str, int], float], **kw: Any) -> c.PlanInputs:
    """`one_programme` with its options `kw` and this budget per (region, year)."""
    return dataclasses.replace(one_programme(None, **kw), budget=budget)


def supply(values: dict[tuple[str, int], float], level: str = "expert") -> pd.DataFrame:
    return cells(values, level=level).drop(columns="scenario")


def test_ramp_limit_keeps_intake_from_collapsing() -> None:
    # Core optimum is 60, 40, 0. A 25% ramp forces n26 ≥ 45 and n27 ≥ 33.75 (both surplus):
    # objective = shortage 40 × 10 + seats 60 + 45 + 33.75 = 538.75; cutting n25 costs more.
    i = one_programme(60.0, ramp_down=0.25)
    r = c.plan(i)
    assert r.objective == pytest.approx(538.75)
    assert r.intake["intake"].tolist() == pytest.approx([60.0, 45.0, 33.75])
    # one seat less required in 2026 saves that seat and 0.75 of the forced seat in 2027
    assert dual(r, "the ramp-down limit of 'expert.students.ml' in 2026") == pytest.approx(1.75)
    assert c.check_plan(i, r) == []
    # a programme's own ramp_down overrides the plan's
    p = dataclasses.replace(i.programmes[0], ramp_down=1.0)
    assert c.plan(dataclasses.replace(i, programmes=(p,))).objective == pytest.approx(500.0)


def test_extended_horizon_values_late_long_programmes() -> None:
    # Demand 100, 200, 300 (trend +100: 400, 500 in the extension), a two-year programme, no
    # budget. Without the extension the 2027 intake (graduating 2028) is worthless.
    d = cells({("ml", y): 100.0 * (k + 1) for k, y in enumerate(YEARS)})
    i = one_programme(None, duration=2.0, demand=d)
    short = c.plan(i)
    assert short.intake["intake"].tolist() == pytest.approx([200.0, 100.0, 0.0])
    assert short.objective == pytest.approx(100 * 10 + 2 * 300)
    long = c.plan(dataclasses.replace(i, horizon_extension=2))  # one duration: 2 years
    assert long.horizon == (2025, 2026, 2027, 2028, 2029)
    default = c.extend(dataclasses.replace(i, horizon_extension=None))  # twice the longest duration
    assert default.years == tuple(range(2025, 2032)) and default.extension == (2028, 2029, 2030, 2031)
    assert long.intake["intake"].tolist() == pytest.approx([200.0, 100.0, 100.0])
    assert long.beyond["intake"].tolist() == pytest.approx([100.0, 0.0])  # 2029: the new horizon's end
    assert long.objective == pytest.approx(1000 + 2 * 500)
    assert list(long.gap["year"].unique()) == list(YEARS)  # frames report the plan years only
    assert c.check_plan(i, long) == []
    held = c.extend(dataclasses.replace(i, horizon_extension=2, extend_method="hold"))
    assert held.demand[("CN", "ml", "expert", 2029), "mid"] == 300.0


def test_convex_penalty_prices_the_last_person_short_highest() -> None:
    # One year, demand 100, no supply; segments: ≤20% unmet ×1, 20–50% ×2, 50–100% ×4 (P = 1).
    segs = ((0.2, 1.0), (0.5, 2.0), (1.0, 4.0))
    i = inst({("CN", 2025): 0.0}, shortage_penalty=1.0, shortage_segments=segs, years=(2025,),
             demand=cells({("ml", 2025): 100.0}), base_supply=supply({("ml", 2025): 0.0}))
    r = c.plan(i)
    assert r.objective == pytest.approx(20 * 1 + 30 * 2 + 50 * 4)
    assert dual(r, "one more expert-level ml person in 2025 (CN, scenario mid)") == pytest.approx(4.0)
    # 30 of budget buys 30 graduates at cost 1, each saving 4: u = 70, 20 + 60 + 80 + 30 = 190
    r = c.plan(dataclasses.replace(i, budget={("CN", 2025): 30.0}))
    assert r.objective == pytest.approx(190.0)
    assert dual(r, "the budget in 2025 (CN)") == pytest.approx(3.0)


@pytest.mark.parametrize(("grouping", "expected"), [("cell", 10 + 150 + 150 * 3), ("region", 200 + 110 * 3),
                                                    ("role", 10 + 150 + 150 * 3)])
def test_penalty_grouping_measures_the_unmet_share_of_the_group(grouping: str, expected: float) -> None:
    # Cells a (demand 100, supply 90) and b (demand 300, none); segments ≤50% ×1, above ×3.
    # cell/role: a 10 × 1, b 150 × 1 + 150 × 3; region: W = 310 of 400: 200 × 1 + 110 × 3.
    d = cells({("a", 2025): 100.0, ("b", 2025): 300.0})
    i = inst({("CN", 2025): 0.0}, shortage_penalty=1.0, shortage_segments=((0.5, 1.0), (1.0, 3.0)),
             shortage_grouping=grouping, years=(2025,), demand=d,
             base_supply=supply({("a", 2025): 90.0, ("b", 2025): 0.0}))
    p = dataclasses.replace(i.programmes[0], yields={("a", "expert"): 1.0})
    assert c.plan(dataclasses.replace(i, programmes=(p,))).objective == pytest.approx(expected)


@pytest.mark.parametrize(("alpha", "expected"), [(0.5, 0.5 * 1500 + 0.5 * 2000), (0.0, 1500.0)])
def test_cvar_weights_the_worst_scenarios(alpha: float, expected: float) -> None:
    # Losses 1,000 (lo) and 2,000 (hi), each with probability 0.5; CVaR_0.5 = 2,000, CVaR_0 = mean.
    d = pd.concat([cells({("ml", 2025): 100.0}, "lo"), cells({("ml", 2025): 200.0}, "hi")])
    i = inst({("CN", 2025): 0.0}, years=(2025,), demand=d, base_supply=supply({("ml", 2025): 0.0}),
             scenarios=(c.Scenario("lo", 0.5), c.Scenario("hi", 0.5)), cvar_weight=0.5, cvar_alpha=alpha)
    assert c.plan(i).objective == pytest.approx(expected)


def test_candidate_pool_caps_entrants_and_prices_lost_work() -> None:
    # Pool of 50 technical staff (20 already in baseline training), lost work 2 per seat-year:
    # 30 more entrants at 1 + 2 each, shortage 70 × 10: 700 + 90 = 790; a candidate more is worth 10 − 3.
    p = dataclasses.replace(one_programme().programmes[0], id="expert.technical_staff.ml",
                            audience="technical_staff", existing_intake=20.0)
    i = one_programme(None, years=(2025,), programmes=(p,), demand=cells({("ml", 2025): 100.0}),
                      base_supply=supply({("ml", 2025): 0.0}),
                      pools=(c.CandidatePool("CN", "technical_staff", 50.0, opportunity_cost=2.0),))
    r = c.plan(i)
    assert r.intake["intake"].tolist() == pytest.approx([30.0])
    assert r.objective == pytest.approx(700 + 30 * 3)
    assert dual(r, "the candidate pool of technical_staff in 2025 (CN)") == pytest.approx(7.0)
    assert r.cost["opportunity"].tolist() == pytest.approx([60.0])
    assert r.cost["cost"].tolist() == pytest.approx([30.0])  # lost work is not charged to the budget
    assert c.check_plan(i, r) == []
    with pytest.raises(c.PlanInputError, match=r"candidate pool CN/technical_staff.*below the baseline"):
        c.validate(dataclasses.replace(i, pools=(c.CandidatePool("CN", "technical_staff", 10.0),)))


@pytest.mark.parametrize(("carry", "expected"), [(0.0, 50 * 10 + 100), (0.2, 30 * 10 + 120), (1.0, 150.0)])
def test_carry_forward_moves_unspent_budget_to_the_next_year(carry: float, expected: float) -> None:
    # No demand in 2025, 150 in 2026; graduates stay one year only (attrition 1), so 2025's
    # training is worthless; budget 100 a year; a share of 2025's 100 unspent carries.
    years = (2025, 2026)
    i = inst({("CN", y): 100.0 for y in years}, years=years, attrition={("ml", "expert"): 1.0},
             demand=cells({("ml", 2025): 0.0, ("ml", 2026): 150.0}),
             base_supply=supply({("ml", 2025): 0.0, ("ml", 2026): 0.0}), budget_carry_forward=carry)
    r = c.plan(i)
    assert r.objective == pytest.approx(expected)
    assert c.check_plan(i, r) == []


def test_faculty_salaries_are_paid_from_the_budget() -> None:
    # 5 FTE teach 50 seats; each FTE more costs 2. Budget 100: n + 2(n/10 − 5) ≤ 100, n = 91.67;
    # objective 10(100 − n) + n + 2(n/10 − 5) = 990 − 8.8 n; a unit of budget buys 1/1.2 entrants.
    i = inst({("CN", 2025): 100.0}, years=(2025,), demand=cells({("ml", 2025): 100.0}),
             base_supply=supply({("ml", 2025): 0.0}),
             faculty=(c.FacultyPool("CN", "expert", 5.0, growth=10.0, salary=2.0),))
    r = c.plan(i)
    n = 110 / 1.2
    assert r.intake["intake"].tolist() == pytest.approx([n])
    assert r.objective == pytest.approx(990 - 8.8 * n)
    assert dual(r, "the budget in 2025 (CN)") == pytest.approx(8.8 / 1.2)
    assert r.cost["salaries"].tolist() == pytest.approx([2 * (n / 10 - 5)])
    assert r.cost["cost"].tolist() == pytest.approx([100.0])
    assert c.check_plan(i, r) == []


def test_budget_zero_is_the_do_nothing_plan_with_committed_cohorts() -> None:
    # A committed cohort costs 30 in 2025; budget 0: no new seats, not "infeasible". A hard
    # coverage target of a region without money is reported unmet, not required.
    p = dataclasses.replace(one_programme().programmes[0], enrolled={2024: 30.0}, duration=2.0)
    lit = c.Programme(id="literacy.managers.general", tier="literacy", audience="managers", track="general",
                      duration=0.25, completion=1.0, cost=0.1, students_per_faculty=40, yields={})
    i = one_programme(0.0, programmes=(p, lit), coverage=(c.CoverageTarget("CN", "managers", 2026, 10.0),))
    r = c.plan(i)
    assert r.optimal
    assert r.intake["intake"].abs().max() == pytest.approx(0.0)
    assert r.cost.set_index("year")["committed"][2025] == pytest.approx(30.0)
    assert r.coverage["shortfall"].tolist() == [10.0]
    assert r.gap.set_index("year")["added"][2025] == pytest.approx(30.0)  # the cohort graduates
    assert c.check_plan(i, r) == []
    some = c.plan(dataclasses.replace(i, budget={("CN", y): 1.0 for y in YEARS}))
    assert some.status == "infeasible" and some.diagnosis is not None  # money, but not enough


def test_yields_without_demand_are_reported_not_refused() -> None:
    base = one_programme(60.0)
    odd = dataclasses.replace(base.programmes[0], id="expert.students.quantum",
                              yields={("quantum", "expert"): 0.8})
    lit = c.Programme(id="literacy.students.general", tier="literacy", audience="students",
                      track="general", duration=0.25, completion=0.9, cost=0.02,
                      students_per_faculty=40, yields={})
    r = c.plan(dataclasses.replace(base, programmes=(*base.programmes, odd, lit)))
    assert r.optimal
    assert r.unmatched_yields == (("expert.students.quantum", "quantum", "expert"),)
    with pytest.raises(c.PlanInputError, match="no demand for that role and level"):
        c.plan(dataclasses.replace(base, programmes=(odd,)))


@pytest.mark.parametrize(("change", "needle"), [
    ({"ramp_down": 1.5}, "ramp_down: 1.5"),
    ({"shortage_segments": ((0.5, 2.0), (1.0, 1.0))}, "the penalty must be convex"),
    ({"shortage_segments": ((0.5, 1.0), (0.4, 2.0))}, "must be above the previous one"),
    ({"cvar_alpha": 1.0}, "cvar_alpha"),
    ({"shortage_grouping": "level"}, "shortage_grouping"),
    ({"extend_method": "guess"}, "extend_method"),
    ({"horizon_extension": -1}, "horizon_extension"),
    ({"tiebreak_tolerance": math.nan}, "tiebreak_tolerance"),
    ({"target_year": 2031}, "target_year"),
    ({"budget_carry_forward": 2.0}, "budget_carry_forward"),
])
def test_bad_options_are_refused(change: dict[str, Any], needle: str) -> None:
    with pytest.raises(c.PlanInputError, match=needle.replace("(", r"\(")):
        c.validate(dataclasses.replace(one_programme(), **change))


def test_core_options_are_the_original_formulation() -> None:
    assert set(CORE) <= {f.name for f in dataclasses.fields(c.PlanInputs)}


def test_check_plan_flags_broken_ramp_pool_and_band() -> None:
    i = one_programme(60.0, ramp_down=0.25, tiebreak_tolerance=0.01,
                      pools=(c.CandidatePool("CN", "students", 70.0),))
    r = c.plan(i)
    assert c.check_plan(i, r) == []
    cut = r.intake.assign(intake=r.intake["intake"].where(r.intake["year"] != 2026, 1.0))
    broken = c.check_plan(i, dataclasses.replace(r, intake=cut))
    assert any(m.startswith("ramp expert.students.ml 2026") for m in broken)
    big = r.intake.assign(intake=r.intake["intake"].where(r.intake["year"] != 2025, 80.0))
    assert any(m.startswith("pool CN/students 2025") for m in c.check_plan(i, dataclasses.replace(r, intake=big)))
    worse = dataclasses.replace(r, plan_objective=r.objective + 0.02 * r.optimal_money)
    assert any(m.startswith("tie-break") for m in c.check_plan(i, worse))
