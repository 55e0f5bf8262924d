"""Cross-solver checks: MPS solved by highspy directly, and CBC, agree with PuLP+HiGHS."""

from __future__ import annotations

import tempfile
from pathlib import Path

import highspy
import pytest
from hypothesis import given, settings

import curricula as c
from tests.test_curricula_hand import one_programme
from tests.test_curricula_properties import instances


def _mps_objective(m: c.PlanModel, tmp: Path) -> float:
    path = tmp / "plan.mps"
    m.prob.writeMPS(str(path))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(h.getInfo().objective_function_value)


@pytest.mark.parametrize("seed_budget", [30.0, 60.0, 200.0])
def test_mps_via_highspy_gives_same_objective(tmp_path: Path, seed_budget: float) -> None:
    i = one_programme(seed_budget, duration=2.0)
    r = c.plan(i)
    m = c.build(i)
    assert _mps_objective(m, tmp_path) == pytest.approx(r.objective, rel=1e-7)


@settings(max_examples=10, deadline=None)
@given(instances())
def test_cbc_and_highs_agree_on_rich_instances(i: c.PlanInputs) -> None:
    h = c.plan(i, diagnose=False)
    b = c.plan(i, solver="cbc", diagnose=False)
    assert h.status == b.status
    if h.optimal:
        assert b.objective == pytest.approx(h.objective, rel=1e-6, abs=1e-6)
        with tempfile.TemporaryDirectory() as tmp:
            assert _mps_objective(c.build(i), Path(tmp)) == pytest.approx(h.objective, rel=1e-6)
