"""One table of constraint families and key fields (`curricula.KEY_FIELDS`) matches what
`build()` registers, and `PlanResult.duals_by_field()` reads keys through it."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import curricula as c
from curricula.tiebreak import define_tiebreak
from tests.test_curricula_hand import one_programme


def every_family() -> c.PlanInputs:
    """A small instance that registers every family: two regions, two scenarios, surplus
    priced, CVaR, all limits, a candidate pool, two programmes sharing a tier (one co-op, with
    an industry budget and placements), a central budget, graduate mobility."""
    base = one_programme(60.0)
    staff = dataclasses.replace(base.programmes[0], id="expert.technical_staff.ml", audience="technical_staff",
                                channel="coop", industry_share=0.5, placement=0.5)
    lit = c.Programme(id="literacy.managers.ml", tier="literacy", audience="managers", track="ml",
                      duration=0.5, completion=0.9, cost=0.2, students_per_faculty=40,
                      yields={("ml", "literacy"): 0.5}, region="CN-HA", growth=1.0, opening=50)
    d = pd.concat([base.demand, base.demand.assign(region="CN-HA", level="literacy")])
    demand = pd.concat([d, d.assign(scenario="high", value=d["value"] * 1.5)])
    supply = pd.concat([base.base_supply, base.base_supply.assign(region="CN-HA", level="literacy")])
    return c.PlanInputs(
        years=base.years, programmes=(*base.programmes, staff, lit),
        scenarios=(c.Scenario("mid", 0.6), c.Scenario("high", 0.4)),
        demand=demand, base_supply=supply, attrition={("ml", "expert"): 0.05},
        shortage_penalty=10.0, surplus_penalty=0.1, cvar_weight=0.5,
        budget={("CN", y): 60.0 for y in base.years} | {("CN-HA", y): 10.0 for y in base.years},
        faculty=(c.FacultyPool("CN", "expert", 50, 0.2),
                 c.FacultyPool("CN-HA", "literacy", 10, 0.5)),
        coverage=(c.CoverageTarget("CN-HA", "managers", 2027, 20.0),),
        min_shares=(c.MinShare("ml_share", 0.1, of={"track": "ml"}),),
        pools=(c.CandidatePool("CN", "technical_staff", 500.0, opportunity_cost=0.5),),
        central_budget={y: 5.0 for y in base.years}, industry_budget={("CN", y): 20.0 for y in base.years},
        placements={("CN", y): 100.0 for y in base.years},
        mobility={("CN", "CN"): 0.9, ("CN", "CN-HA"): 0.1},
    )


def built_with_tiebreak(i: c.PlanInputs) -> c.PlanModel:
    """The model after both stages' blocks: the planning LP plus the tie-break's rows."""
    m = c.build(i)
    assert m.planning is not None
    define_tiebreak(m, m.planning, 0.0, 1.0)
    return m


def _allowed(i: c.PlanInputs) -> dict[str, set[object]]:
    """What each key field may hold in instance `i`."""
    out: dict[str, set[object]] = {
        "region": {p.region for p in i.programmes} | set(i.demand["region"]),
        "role": set(i.demand["role"]), "level": set(i.demand["level"]), "year": set(c.extend(i).years),
        "scenario": {s.name for s in i.scenarios}, "tier": {p.tier for p in i.programmes},
        "programme": {p.id for p in i.programmes}, "audience": {p.audience for p in i.programmes},
        "name": {m.name for m in i.min_shares},
    }
    out["role"] |= {"all"}  # penalty groups
    out["level"] |= {"all"}
    return out


def test_every_registered_family_has_named_key_fields_of_the_right_arity() -> None:
    i = every_family()
    m = built_with_tiebreak(i)
    assert set(m.constraints) == set(c.KEY_FIELDS)  # every family used, no stale entry
    allowed = _allowed(i)
    for family, constraints in m.constraints.items():
        fields = c.KEY_FIELDS[family]
        assert constraints, family
        for key in constraints:
            assert len(key) == len(fields), (family, key, fields)
            for name, value in c.key_dict(family, key).items():
                assert value in allowed[name], (family, name, value)
    assert set(c.HARD_FAMILIES) <= set(c.KEY_FIELDS)
    assert set(c.ALL_KEY_FIELDS) == {f for fs in c.KEY_FIELDS.values() for f in fs}


def test_duals_by_field_spreads_the_key_and_keeps_the_duals_columns() -> None:
    r = c.plan(every_family())
    assert r.optimal
    assert list(r.duals.columns) == ["family", "key", "description", "value", "unit", "binding",
                                     "persons", "persons_side"]
    assert not set(r.duals["family"]) & set(c.INTERNAL_FAMILIES)
    d = r.duals_by_field()
    assert list(d.columns) == ["family", *c.ALL_KEY_FIELDS, "description", "value", "unit",
                               "binding", "persons", "persons_side"]
    assert len(d) == len(r.duals)
    for row, (family, key) in zip(d.to_dict("records"), zip(r.duals["family"], r.duals["key"],
                                                             strict=True), strict=True):
        named = c.key_dict(family, key)
        for name in c.ALL_KEY_FIELDS:
            if name in named:
                assert row[name] == named[name], (family, name)
            else:
                assert pd.isna(row[name]), (family, name)
    budget = d[(d["family"] == "budget") & (d["region"] == "CN") & (d["year"] == 2025)]
    assert budget["description"].tolist() == ["the budget in 2025 (CN)"]
    assert budget["value"].tolist() == r.duals.loc[budget.index, "value"].tolist()


def test_key_dict_refuses_a_key_of_the_wrong_length() -> None:
    assert c.key_dict("budget", ("CN", 2027)) == {"region": "CN", "year": 2027}
    with pytest.raises(ValueError, match=r"a budget key has 2 fields"):
        c.key_dict("budget", ("CN", "expert", 2027))
    with pytest.raises(KeyError):
        c.key_dict("no_such_family", ())
