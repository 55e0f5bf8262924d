"""The first solve of coupled regions through the decoupled LP (`curricula.warm`): the coupling
taken out and put back exactly, the same optimum as a cold solve, and a cold solve when the
decoupled LP has no optimum."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pulp
import pytest

import curricula as c
from curricula import solve, warm
from curricula.model import build
from tests.test_curricula_twin import four


def _matrix(h: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The HiGHS model's constraint matrix (dense) and row bounds."""
    lp = h.getLp()
    a = lp.a_matrix_
    dense = np.zeros((lp.num_row_, lp.num_col_))
    start, index, value = list(a.start_), list(a.index_), list(a.value_)
    rowwise = str(a.format_).endswith("kRowwise")
    for k in range(len(start) - 1):
        for p in range(start[k], start[k + 1]):
            dense[(k, index[p]) if rowwise else (index[p], k)] = value[p]
    return dense, np.array(lp.row_lower_), np.array(lp.row_upper_)


def test_decoupling_names_the_mobility_terms_and_the_central_rows() -> None:
    m = build(four())
    solve.highs_model(m)
    changes, central = warm.decoupling(m)
    origins = {k[0] for k in m.trained}
    assert origins == {"A", "B", "C", "D"}
    # every origin's own row gets −1, each of its three other destinations 0
    assert sorted(apart for *_, apart in changes).count(-1.0) == len(m.trained)
    assert len(changes) == 4 * len(m.trained)
    assert len(central) == len(m.years) and all(upper == pytest.approx(15.0) for _, upper in central)


def test_the_coupled_lp_is_restored_exactly_and_solved_to_the_cold_optimum() -> None:
    m = build(four())
    s, h = solve.highs_model(m, None, solve.LARGE)
    before = _matrix(h)
    assert warm.solve_from_apart(m, h)
    after = _matrix(h)
    for x, y in zip(before, after, strict=True):
        np.testing.assert_array_equal(x, y)
    assert solve.read_highs(s, m) == "optimal"
    warm_objective = pulp.value(m.prob.objective)
    cold = build(four())
    assert solve.solve_model(cold, "highs", None, solve.LARGE)[0] == "optimal"
    assert warm_objective == pytest.approx(pulp.value(cold.prob.objective), rel=1e-9)


def test_a_decoupled_lp_without_optimum_falls_back_to_the_cold_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    real = warm._set

    def infeasible_apart(h: Any, changes: Any, central: Any, apart: bool) -> None:
        real(h, changes, central, apart)
        if apart:  # central money ≥ 0 cannot sum to −1
            for row, _ in central:
                h.changeRowBounds(row, -float("inf"), -1.0)

    monkeypatch.setattr(warm, "_set", infeasible_apart)
    m = build(four())
    _, h = solve.highs_model(m, None, solve.LARGE)
    assert not warm.solve_from_apart(m, h)
    assert warm.solve_first(m, "highs", None, solve.LARGE)[0] == "optimal"
    cold = build(four())
    solve.solve_model(cold, "highs", None, solve.LARGE)
    assert pulp.value(m.prob.objective) == pytest.approx(pulp.value(cold.prob.objective), rel=1e-9)


def test_a_model_without_coupling_is_not_decoupled() -> None:
    i = dataclasses.replace(four(), mobility={}, central_budget={})
    m = build(i)
    _, h = solve.highs_model(m, None, solve.LARGE)
    assert warm.decoupling(m) == ([], [])
    assert not warm.solve_from_apart(m, h)
    assert c.plan(i).optimal
