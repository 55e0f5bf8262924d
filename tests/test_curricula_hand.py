"""Hand-solvable planner cases with known optimal objective and duals, validation, isolation."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import curricula as c

YEARS = (2025, 2026, 2027)

#: The core LP of the original formulation: no extended horizon, no ramp limit, a linear
#: penalty, no tie-break solve. These hand cases pin it; the decision-grade blocks have
#: hand cases of their own (tests/test_curricula_decision.py).
CORE: dict[str, Any] = {"horizon_extension": 0, "ramp_down": None, "shortage_segments": (),
                        "tiebreak_tolerance": None}


def one_programme(budget: float | None = 60.0, duration: float = 1.0, **kw: Any) -> c.PlanInputs:
    """One programme, one role and level, demand 100 a year, no base supply, penalty 10."""
    p = c.Programme(id="expert.students.ml", tier="expert", audience="students", track="ml",
                    duration=duration, completion=1.0, cost=1.0, students_per_faculty=10,
                    yields={("ml", "expert"): 1.0}, growth=10, opening=1000)
    d = pd.DataFrame({"region": "CN", "role": "ml", "level": "expert", "scenario": "mid",
                      "year": list(YEARS), "value": 100.0})
    s = pd.DataFrame({"region": "CN", "role": "ml", "level": "expert", "year": list(YEARS),
                      "value": 0.0})
    base = c.PlanInputs(years=YEARS, programmes=(p,), scenarios=(c.Scenario("mid", 1.0),),
                        demand=d, base_supply=s, attrition={}, shortage_penalty=10.0,
                        budget={} if budget is None else {("CN", y): budget for y in YEARS})
    return dataclasses.replace(base, **{**CORE, **kw})


def dual(r: c.PlanResult, text: str) -> float:
    row = r.duals[r.duals["description"] == text]
    assert len(row) == 1, text
    return float(row["value"].iloc[0])


def test_budget_binding_objective_and_duals() -> None:
    # 2025: budget 60 buys 60 graduates, shortage 40 (×10); 2026: 40 more; total 60+40+400.
    r = c.plan(one_programme(60.0))
    assert r.optimal
    assert r.objective == pytest.approx(500.0)
    assert r.intake["intake"].tolist() == pytest.approx([60.0, 40.0, 0.0])
    # one more million in 2025 replaces a shortage unit (10) and shifts a seat from 2026 (−1 +1)
    assert dual(r, "the budget in 2025 (CN)") == pytest.approx(10.0)
    assert dual(r, "the budget in 2026 (CN)") == pytest.approx(0.0)
    assert dual(r, "one more expert-level ml person in 2025 (CN, scenario mid)") == pytest.approx(10.0)
    assert dual(r, "one more expert-level ml person in 2026 (CN, scenario mid)") == pytest.approx(1.0)
    assert r.binding()["description"].tolist() == ["the budget in 2025 (CN)"]
    assert c.check_plan(one_programme(60.0), r) == []


def test_budget_not_binding() -> None:
    r = c.plan(one_programme(200.0))
    assert r.objective == pytest.approx(100.0)
    assert dual(r, "the budget in 2025 (CN)") == pytest.approx(0.0)
    assert r.binding().empty
    assert r.gap["shortage"].sum() == pytest.approx(0.0)


def test_duration_lag_makes_early_shortage_unavoidable() -> None:
    # Two-year programme: entrants of 2025 graduate at the end of 2026; 2025 is short by 100.
    r = c.plan(one_programme(None, duration=2.0))
    assert r.objective == pytest.approx(100 * 10 + 100 * 2)  # shortage + two seat-years each
    gap = r.gap.set_index("year")["shortage"]
    assert gap[2025] == pytest.approx(100.0)
    assert gap[2026] == pytest.approx(0.0)
    assert dual(r, "one more expert-level ml person in 2025 (CN, scenario mid)") == pytest.approx(10.0)


def test_discount_and_scenarios_weight_the_shortage() -> None:
    d = one_programme(0.0).demand
    two = pd.concat([d.assign(scenario="low", value=50.0), d.assign(scenario="high", value=150.0)])
    i = one_programme(0.0, demand=two, discount_rate=0.1,
                      scenarios=(c.Scenario("low", 0.25), c.Scenario("high", 0.75)))
    r = c.plan(i)
    expected = sum((0.25 * 50 + 0.75 * 150) * 10 / 1.1 ** k for k in range(3))
    assert r.objective == pytest.approx(expected)


def test_infeasible_target_is_diagnosed_in_words() -> None:
    i = one_programme(60.0)
    p = dataclasses.replace(i.programmes[0], id="literacy.managers.ml", tier="literacy",
                            audience="managers")
    i = dataclasses.replace(i, programmes=(p,),
                            coverage=(c.CoverageTarget("CN", "managers", 2025, 80.0),))
    r = c.plan(i)
    assert r.status == "infeasible"
    assert r.diagnosis is not None
    fixes = r.diagnosis.fixes
    assert fixes["coverage"][0].amount == pytest.approx(20.0)
    assert fixes["budget"][0].amount == pytest.approx(20.0)
    assert "the literacy coverage target for managers by 2025 (CN) by 20 persons" in r.diagnosis.text
    assert "the budget in 2025 (CN) by 20 million CNY" in r.diagnosis.text


@pytest.mark.parametrize(("change", "needle"), [
    ({"duration": 0.0}, "field 'duration': 0.0 — must be > 0"),
    ({"cost": -1.0}, "field 'cost': -1.0 — must be ≥ 0"),
    ({"cost": float("nan")}, "field 'cost'"),
    ({"completion": float("inf")}, "field 'completion'"),
    ({"yields": {("ml", "expert"): 0.7, ("ml", "applied"): 0.6}}, "they sum to 1.3"),
])
def test_bad_programme_is_refused_before_pulp(change: dict[str, Any], needle: str) -> None:
    i = one_programme()
    p = dataclasses.replace(i.programmes[0], **change)
    with pytest.raises(c.PlanInputError) as exc:
        c.plan(dataclasses.replace(i, programmes=(p,)))
    assert "programme 'expert.students.ml'" in str(exc.value)
    assert needle in str(exc.value)


def test_nan_demand_and_bad_probabilities_are_refused() -> None:
    i = one_programme()
    d = i.demand.copy()
    d.loc[1, "value"] = float("nan")
    with pytest.raises(c.PlanInputError, match=r"demand region .CN.*year 2026"):
        c.validate(dataclasses.replace(i, demand=d))
    with pytest.raises(c.PlanInputError, match=r"probabilities sum to 0\.5"):
        c.validate(dataclasses.replace(i, scenarios=(c.Scenario("mid", 0.5),)))


def test_engine_never_imports_the_application() -> None:
    for path in Path(c.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for n in names:
                assert n.split(".")[0] not in ("talent", "forecasts"), f"{path.name} imports {n}"
