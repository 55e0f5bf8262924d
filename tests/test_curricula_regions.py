"""Hand-solvable cases of the multi-region LP (issue 12): provinces planned jointly equal
provinces planned alone when nothing couples them; a central budget funds the province
where a person of gap is cheapest to close; graduates moving between provinces close a
gap where nobody trains; co-op programmes within industry budgets and placements; an
enterprise channel paid by firms alone; partial data; validation naming the entry.

Every case: one role and level (ml, expert), one-year programmes with completion 1 and
yield 1, attrition 1 (graduates fill one year's demand), a linear shortage penalty of 10
per person-year, three plan years; `CORE` options unless said.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest

import curricula as c
from tests.test_curricula_hand import CORE, YEARS


def programme(region: str, cost: float = 1.0, pid: str = "", **kw: Any) -> c.Programme:
    """A one-year programme of `region` whose graduates all fill (ml, expert)."""
    return c.Programme(id=pid or f"{region}.expert.students.ml", tier="expert", audience="students", track="ml",
                       duration=1.0, completion=1.0, cost=cost, students_per_faculty=10,
                       yields={("ml", "expert"): 1.0}, region=region, growth=10, opening=1000, **kw)


def provinces(demand: dict[str, float], programmes: tuple[c.Programme, ...], budget: dict[str, float],
              level: str = "expert", **kw: Any) -> c.PlanInputs:
    """Regions with a constant yearly demand (no base supply), their programmes and budgets."""
    d = pd.DataFrame([{"region": r, "role": "ml", "level": level, "scenario": "mid", "year": y, "value": v}
                      for r, v in demand.items() for y in YEARS])
    s = d.drop(columns="scenario").assign(value=0.0)
    base = c.PlanInputs(years=YEARS, programmes=programmes, scenarios=(c.Scenario("mid", 1.0),), demand=d,
                        base_supply=s, attrition={("ml", "expert"): 1.0}, shortage_penalty=10.0,
                        budget={(r, y): b for r, b in budget.items() for y in YEARS})
    return dataclasses.replace(base, **{**CORE, **kw})


def by(frame: pd.DataFrame, column: str, *keys: str) -> dict[Any, float]:
    """Sum of `column` per value of `keys` (one key: a plain value)."""
    got = frame.groupby(list(keys))[column].sum()
    return {k: float(v) for k, v in got.items()}


def two_provinces(**kw: Any) -> c.PlanInputs:
    """A: cost 1 per graduate, budget 20, demand 40; B: cost 2, budget 20, demand 100."""
    return provinces({"A": 40.0, "B": 100.0}, (programme("A", 1.0), programme("B", 2.0)),
                     {"A": 20.0, "B": 20.0}, **kw)


#: The decision-grade defaults of the options `CORE` switches off.
DEFAULTS = {f.name: f.default for f in dataclasses.fields(c.PlanInputs) if f.name in CORE}


@pytest.mark.parametrize("options", [CORE, DEFAULTS], ids=["core", "defaults"])
def test_identity_mobility_joint_lp_equals_the_provinces_planned_alone(options: dict[str, Any]) -> None:
    i = two_provinces(mobility={("A", "A"): 1.0, ("B", "B"): 1.0}, **options)
    assert c.regions.separable(i)
    joint = c.plan(i, split_regions=False)
    alone = [c.plan(sub) for sub in c.regions.split(i).values()]
    assert joint.optimal and all(r.optimal for r in alone)
    assert joint.objective == pytest.approx(sum(r.objective for r in alone), rel=1e-9)
    # A: 20 money → 20 graduates; B: 20 money → 10 graduates, every year
    assert by(joint.intake, "intake", "programme") == pytest.approx(
        {"A.expert.students.ml": 60.0, "B.expert.students.ml": 30.0}, rel=1e-6)
    for r in alone:
        mine = joint.intake[joint.intake["region"] == r.intake["region"].iloc[0]]
        assert by(mine, "intake", "programme", "year") == pytest.approx(by(r.intake, "intake", "programme", "year"),
                                                                        rel=1e-6, abs=1e-6)
        assert joint.cost.set_index(["region", "year"]).loc[r.cost.set_index(["region", "year"]).index, "cost"
                                                            ].tolist() == pytest.approx(r.cost["cost"].tolist())
    assert joint.target_gap() == pytest.approx((140.0, 20.0 + 90.0))
    assert sum(r.target_gap()[1] for r in alone) == pytest.approx(110.0)
    assert c.check_plan(i, joint) == []


def test_a_central_budget_funds_the_province_where_a_person_is_cheapest() -> None:
    # Central 50 a year: A's remaining gap (40 − 20 = 20 persons at 1 each) first, then B
    # (30 more money → 15 persons at 2 each). Per year: money 40 + 50, shortage 75 × 10.
    i = two_provinces(central_budget={y: 50.0 for y in YEARS})
    assert not c.regions.separable(i)
    r = c.plan(i)
    assert r.optimal
    assert r.objective == pytest.approx(3 * (90.0 + 750.0))
    central = r.cost.set_index(["region", "year"])["central"]
    for y in YEARS:
        assert central["A", y] == pytest.approx(20.0)
        assert central["B", y] == pytest.approx(30.0)
    assert by(r.intake, "intake", "region") == pytest.approx({"A": 120.0, "B": 75.0})
    # one more unit of central money buys half a person in B: 5 of penalty less, 1 of money more
    d = r.duals_by_field()
    row = d[(d["family"] == "central_budget") & (d["year"] == 2025)]
    assert row["description"].tolist() == ["the central budget in 2025"]
    assert row["value"].tolist() == pytest.approx([4.0])
    assert c.check_plan(i, r) == []


def test_central_budget_extended_like_the_budget_and_solved_with_defaults() -> None:
    i = two_provinces(central_budget={y: 50.0 for y in YEARS}, horizon_extension=2, tiebreak_tolerance=0.01)
    h = c.extend(i)
    assert h.central == {**{y: 50.0 for y in YEARS}, 2028: 50.0, 2029: 50.0}
    r = c.plan(i, ranges=True, limits=True)
    assert r.optimal and c.check_plan(i, r) == []
    assert r.cost.groupby("year")["central"].sum().tolist() == pytest.approx([50.0] * 3, rel=1e-4)
    lim = r.limits.set_index("family")
    assert lim.loc["central_budget", "description"] == "the central budget"
    assert lim.loc["all", "gap_without"] == pytest.approx(0.0, abs=1e-6)


def test_graduates_moving_close_the_gap_of_a_province_that_cannot_train() -> None:
    # B has no programme; half of A's graduates work in B. A trains 200 a year: 100 stay,
    # 100 move; both gaps closed at 200 a year.
    mobility = {("A", "A"): 0.5, ("A", "B"): 0.5}
    i = provinces({"A": 100.0, "B": 100.0}, (programme("A"),), {"A": 300.0}, mobility=mobility)
    r = c.plan(i)
    assert r.optimal
    assert r.objective == pytest.approx(3 * 200.0)
    assert r.intake["intake"].tolist() == pytest.approx([200.0] * 3)
    assert r.target_gap() == pytest.approx((200.0, 0.0))
    flows = r.flows.set_index(["from_region", "to_region", "year"])["graduates"]
    assert flows["A", "B", 2025] == pytest.approx(100.0) and flows["A", "A", 2027] == pytest.approx(100.0)
    assert list(r.flows.columns) == ["from_region", "to_region", "role", "level", "year", "graduates"]
    # B with a programme but budget 0 trains nothing; A's graduates still close B's gap
    zero = dataclasses.replace(i, programmes=(programme("A"), programme("B")), budget={
        **i.budget, **{("B", y): 0.0 for y in YEARS}})
    rz = c.plan(zero)
    assert by(rz.intake, "intake", "region") == pytest.approx({"A": 600.0, "B": 0.0}, abs=1e-6)
    assert c.check_plan(i, r) == [] and c.check_plan(zero, rz) == []


def test_industry_budget_caps_industry_funded_seats() -> None:
    # Firms pay half of a seat costing 2: industry budget 30 → 30 seats a year; the public
    # budget pays the other 30.
    coop = programme("A", 2.0, channel="coop", industry_share=0.5)
    i = provinces({"A": 100.0}, (coop,), {"A": 1000.0}, industry_budget={("A", y): 30.0 for y in YEARS})
    r = c.plan(i)
    assert r.intake["intake"].tolist() == pytest.approx([30.0] * 3)
    cost = r.cost.iloc[0]
    assert (cost["cost"], cost["industry"], cost["public"], cost["central"]) == pytest.approx((60.0, 30.0, 30.0, 0))
    assert set(r.intake["channel"]) == {"coop"} and set(r.graduates["channel"]) == {"coop"}
    d = r.duals_by_field()
    row = d[(d["family"] == "industry_budget") & (d["year"] == 2025)]
    assert row["description"].tolist() == ["the industry budget in 2025 (A)"]
    assert row["value"].tolist() == pytest.approx([(10.0 - 2.0) / 1.0])  # one more unit: one seat
    assert c.check_plan(i, r) == []


def test_placements_cap_coop_enrolment_after_the_baseline() -> None:
    # Each co-op seat-year uses a placement; 10 baseline entrants already use 10 of 50.
    coop = programme("A", 1.0, channel="coop", placement=1.0, existing_intake=10.0)
    i = provinces({"A": 100.0}, (coop,), {"A": 1000.0}, placements={("A", y): 50.0 for y in YEARS})
    r = c.plan(i)
    assert r.intake["intake"].tolist() == pytest.approx([40.0] * 3)
    assert r.binding()["family"].tolist() == ["placement"] * 3
    assert c.check_plan(i, r) == []


def test_enterprise_channel_trains_with_public_budget_zero() -> None:
    firm = programme("A", 1.0, pid="A.firm", channel="enterprise", industry_share=1.0)
    school = programme("A", 1.0)
    i = provinces({"A": 100.0}, (school, firm), {"A": 0.0}, industry_budget={("A", y): 50.0 for y in YEARS})
    r = c.plan(i)
    assert by(r.intake, "intake", "channel") == pytest.approx({"enterprise": 150.0, "school": 0.0}, abs=1e-6)
    assert r.cost["public"].tolist() == pytest.approx([0.0] * 3, abs=1e-9)
    assert r.cost["industry"].tolist() == pytest.approx([50.0] * 3)
    assert c.check_plan(i, r) == []


def test_yields_into_a_region_without_the_cell_are_listed_and_the_plan_is_optimal() -> None:
    # 40% of A's graduates work in C, which has demand for applied ml people only, and 10%
    # in D, which has no data at all. A's demand of 50 needs 100 graduates at 1 each.
    mobility = {("A", "A"): 0.5, ("A", "C"): 0.4, ("A", "D"): 0.1}
    i = provinces({"A": 50.0}, (programme("A"),), {"A": 1000.0}, mobility=mobility)
    other = pd.DataFrame([{"region": "C", "role": "ml", "level": "applied", "scenario": "mid", "year": y,
                           "value": 30.0} for y in YEARS])
    i = dataclasses.replace(i, demand=pd.concat([i.demand, other], ignore_index=True),
                            base_supply=pd.concat([i.base_supply, other.drop(columns="scenario").assign(value=0.0)],
                                                  ignore_index=True))
    r = c.plan(i)
    assert r.optimal
    assert r.objective == pytest.approx(3 * (100.0 + 30 * 10.0))
    assert r.unmatched_yields == (("A.expert.students.ml", "ml", "expert"),)
    assert r.unmatched_flows == (("A.expert.students.ml", "ml", "expert", "C", 0.4),
                                 ("A.expert.students.ml", "ml", "expert", "D", 0.1))
    assert set(r.flows["to_region"]) == {"A"}
    assert c.check_plan(i, r) == []


def test_infeasible_with_placements_is_diagnosed_in_words() -> None:
    lit = c.Programme(id="A.literacy", tier="literacy", audience="managers", track="general", duration=1.0,
                      completion=1.0, cost=0.1, students_per_faculty=40, yields={}, region="A",
                      growth=10, opening=1000, channel="coop", placement=1.0)
    i = provinces({"A": 10.0}, (programme("A"), lit), {"A": 100.0}, placements={("A", y): 5.0 for y in YEARS},
                  coverage=(c.CoverageTarget("A", "managers", 2025, 20.0),))
    r = c.plan(i)
    assert r.status == "infeasible" and r.diagnosis is not None
    assert "the placement places in 2025 (A) by 15 placement places" in r.diagnosis.text


@pytest.mark.parametrize(("change", "needle"), [
    ({"mobility": {("A", "A"): 0.5, ("A", "B"): 0.3}}, "mobility from A: the shares of its graduates working in "
                                                       "each region sum to 0.8 — must sum to 1"),
    ({"mobility": {("A", "B"): -0.1, ("A", "A"): 1.1}}, "mobility A → B: -0.1"),
    ({"central_budget": {2025: -1.0}}, "central_budget 2025: -1.0"),
    ({"industry_budget": {("A", 2026): float("nan")}}, "industry_budget A 2026: nan"),
    ({"placements": {("B", 2027): -5.0}}, "placements B 2027: -5.0"),
    ({"programmes": (programme("A", channel="university"),)}, "programme 'A.expert.students.ml', field 'channel'"),
    ({"programmes": (programme("A", industry_share=1.5),)}, "field 'industry_share': 1.5"),
    ({"programmes": (programme("A", placement=-0.5),)}, "field 'placement': -0.5"),
])
def test_bad_regional_inputs_are_refused_naming_the_entry(change: dict[str, Any], needle: str) -> None:
    with pytest.raises(c.PlanInputError, match=needle.replace("(", r"\(").replace(".", r"\.")):
        c.validate(dataclasses.replace(two_provinces(), **change))


def test_defaults_change_no_plan() -> None:
    i = two_provinces()
    assert (i.central_budget, i.industry_budget, i.placements, i.mobility) == ({}, {}, {}, {})
    p = i.programmes[0]
    assert (p.channel, p.industry_share, p.placement) == ("school", 0.0, 0.0)
    r = c.plan(i)
    assert r.cost["industry"].sum() == 0.0 and r.cost["central"].sum() == 0.0
    assert (r.cost["public"] == r.cost["cost"]).all()


def test_coupled_regions_are_tie_broken_region_by_region_inside_the_joint_band() -> None:
    # Both couplings, the default options: the first solve is one LP, the tie-break is per
    # region with the central money and the graduates sent fixed at the optimum.
    mobility = {("A", "A"): 0.8, ("A", "B"): 0.2, ("B", "B"): 0.9, ("B", "A"): 0.1}
    i = two_provinces(central_budget={y: 50.0 for y in YEARS}, mobility=mobility, **DEFAULTS)
    r = c.plan(i, ranges=True)
    m = c.build(i)
    assert c.solve_model(m)[0] == "optimal"
    assert r.optimal and r.objective == pytest.approx(m.prob.objective.value(), rel=1e-7)
    assert "tiebreak_by_region" in r.timings
    assert r.plan_objective <= r.objective + 0.01 * r.optimal_money + 1e-6
    assert r.cost.groupby("year")["central"].sum().tolist() == pytest.approx([50.0] * 3, rel=1e-6)
    assert set(r.flows["from_region"]) == set(r.flows["to_region"]) == {"A", "B"}
    assert c.check_plan(i, r) == []
    # ranges region by region with the coupling fixed: every row contains the plan
    assert set(r.ranges["region"]) == {"A", "B"} and len(r.ranges) == 4
    assert ((r.ranges["min"] <= r.ranges["planned"] + 1e-6) & (r.ranges["planned"] <= r.ranges["max"] + 1e-6)).all()


def test_groups_of_coupled_regions() -> None:
    three = provinces({"A": 10.0, "B": 10.0, "C": 10.0}, (programme("A"), programme("B"), programme("C")),
                      {"A": 5.0, "C": 5.0})
    assert c.regions.groups(three) == [["A"], ["B"], ["C"]]
    moving = dataclasses.replace(three, mobility={("A", "A"): 0.9, ("A", "B"): 0.1})
    assert c.regions.groups(moving) == [["A", "B"], ["C"]]
    funded = dataclasses.replace(three, central_budget={2025: 1.0})  # couples the regions with a budget row
    assert c.regions.groups(funded) == [["A", "C"], ["B"]]
    parts = c.regions.split(funded)
    assert parts["A"].central_budget == {2025: 1.0} and parts["B"].central_budget == {}
    r = c.plan(dataclasses.replace(funded, mobility=moving.mobility))
    assert r.optimal and sorted(r.intake["region"].unique()) == ["A", "B", "C"]


def test_industry_budgets_and_placements_are_extended_like_the_budget() -> None:
    coop = programme("A", 2.0, channel="coop", industry_share=0.5, placement=1.0)
    i = provinces({"A": 100.0}, (coop,), {"A": 1000.0}, industry_budget={("A", y): 30.0 for y in YEARS},
                  placements={("A", y): 20.0 + y - 2025 for y in YEARS}, horizon_extension=2)
    h = c.extend(i)
    assert h.industry[("A", 2029)] == 30.0 and h.places[("A", 2028)] == 22.0
    assert ("placement", ("A", 2029)) in h.held_rows and ("industry_budget", ("A", 2028)) in h.held_rows
    r = c.plan(i)
    assert r.intake["intake"].tolist() == pytest.approx([20.0, 21.0, 22.0])  # placements bind before firms' money
    d = r.duals_by_field()
    last = d[(d["family"] == "placement") & (d["year"] == 2027)]
    assert bool(last["binding"].iloc[0]) and last["value"].iloc[0] > 0
    assert c.check_plan(i, r) == []


def test_two_solves_at_a_time_give_the_plan_of_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # curricula.threads runs the per-region tie-breaks and ranges (and the limits' re-solves) two at a
    # time; each region writes only its own variables, so the plan is that of one at a time.
    from curricula import threads

    mobility = {("A", "A"): 0.8, ("A", "B"): 0.2, ("B", "B"): 0.9, ("B", "A"): 0.1, ("C", "C"): 1.0}
    three = provinces({"A": 40.0, "B": 100.0, "C": 30.0}, (programme("A", 1.0), programme("B", 2.0),
                                                          programme("C", 1.5)),
                      {"A": 20.0, "B": 20.0, "C": 15.0}, central_budget={y: 50.0 for y in YEARS},
                      mobility=mobility, **DEFAULTS)
    frames = {}
    for workers in (1, 2):
        monkeypatch.setattr(threads, "WORKERS", workers)
        r = c.plan(three, ranges=True, limits=True)
        assert "tiebreak_by_region" in r.timings
        frames[workers] = [r.intake, r.cost, r.ranges, r.gap, r.limits]
    for one, two in zip(frames[1], frames[2], strict=True):
        pd.testing.assert_frame_equal(one, two)
    assert set(frames[2][2]["region"]) == {"A", "B", "C"}


def test_threads_keep_the_order_of_the_items_and_raise_their_errors() -> None:
    from curricula.threads import map_in_threads

    assert map_in_threads(lambda x: x * x, range(20)) == [x * x for x in range(20)]

    def fail(x: int) -> int:
        if x == 3:
            raise ValueError("three")
        return x

    with pytest.raises(ValueError, match="three"):
        map_in_threads(fail, range(6))
