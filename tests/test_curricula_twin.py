"""The first solve with the gap problem on two threads (`curricula.twin`): the same plan,
the same duals as one after the other."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import curricula as c
import curricula.twin as twin
from curricula import solve
from tests.test_curricula_hand import YEARS
from tests.test_curricula_regions import DEFAULTS, programme, provinces

DEMAND = {"A": 40.0, "B": 100.0, "C": 60.0, "D": 80.0}


def gravity(stay: float = 0.7) -> dict[tuple[str, str], float]:
    """`stay` of each region's graduates work where trained, the rest by the others' demand."""
    out = {}
    for r in DEMAND:
        others = sum(v for o, v in DEMAND.items() if o != r)
        out[r, r] = stay
        out |= {(r, o): (1 - stay) * v / others for o, v in DEMAND.items() if o != r}
    return out


def four(**kw: Any) -> c.PlanInputs:
    """Four provinces at different costs and budgets, mobility and a central budget."""
    progs = tuple(programme(r, cost) for r, cost in zip(DEMAND, (1.0, 2.0, 1.5, 3.0), strict=True))
    return provinces(DEMAND, progs, {"A": 20.0, "B": 20.0, "C": 30.0, "D": 10.0}, mobility=gravity(),
                     central_budget=dict.fromkeys(YEARS, 15.0), **{**DEFAULTS, **kw})


def _same(a: c.PlanResult, b: c.PlanResult) -> None:
    assert a.optimal and b.optimal
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    for name in ("intake", "gap", "cost", "flows"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), atol=1e-6, rtol=1e-6)
    pd.testing.assert_frame_equal(a.duals, b.duals, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("cvar", [0.0, 0.5], ids=["regions-tie-broken-apart", "cvar-one-tie-break"])
def test_first_solve_and_gap_problem_on_two_threads_equal_them_one_after_the_other(
        monkeypatch: pytest.MonkeyPatch, cvar: float) -> None:
    monkeypatch.setattr(solve, "LARGE_ROWS", 0)  # every LP is "large": the pair is solved at once
    i = four(cvar_weight=cvar)
    calls: list[int] = []
    real = twin.solve_pair

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(twin, "solve_pair", counted)
    together = c.plan(i, limits=False)
    assert calls and together.timings["solve_gap"] > 0
    monkeypatch.setattr(twin, "solve_pair", lambda *args: None)  # one after the other
    _same(together, c.plan(i))
