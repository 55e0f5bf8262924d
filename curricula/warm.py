"""The first solve of a group of coupled regions, started from the regions solved apart.

Why: graduate mobility and a central budget make the regions one LP. Solved cold, the
dual simplex crawls on it (330 s at 32 regions, 14 modelled years) and the interior point
takes 24–26 s, while the same LP without its coupling takes the simplex about 2 s
(HiGHS's presolve splits it into the regions). So the coupling is first taken out in place (every region's
graduates work where they were trained; no central money), that LP is solved, the
coupling is put back and the dual simplex goes on from the decoupled optimal basis: the
same optimum, faster than the interior point up to about 20 coupled regions (`WARM_ROWS`).
The coupling values are exactly those of the built model again before the second run, so
the result is an optimum of the model as built; if either run ends without an optimum, the
interior point solves the coupled LP from scratch as before (`solve.LARGE`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from curricula.families import CENTRAL_BUDGET, SUPPLY_FLOW
from curricula.model import PlanModel

#: (row, column, coefficient as built, coefficient with the regions apart)
Change = tuple[int, int, float, float]


def decoupling(m: PlanModel) -> tuple[list[Change], list[tuple[int, float]]]:
    """What takes the coupling out of the built model `m` (already passed to a solver, so its
    rows and columns have indices): the mobility coefficients of the supply rows (an origin's
    graduates X[o, role, level, year] go wholly to its own region's row) and the central
    budget rows (row index, upper bound as built; set to 0)."""
    rows = m.constraints.get(SUPPLY_FLOW, {})
    changes: list[Change] = []
    for (origin, role, level, t), x in m.trained.items():
        shares = dict(m.inputs.destinations(origin))
        for to in sorted(set(shares) | {origin}):
            row = rows.get((to, role, level, t))
            if row is None:
                continue
            built = -shares.get(to, 0.0)
            apart = -1.0 if to == origin else 0.0
            if built != apart:
                changes.append((row.index, x.index, built, apart))
    central = [(c.index, -c.constant) for c in m.constraints.get(CENTRAL_BUDGET, {}).values()]
    return changes, central


def _set(h: Any, changes: list[Change], central: list[tuple[int, float]], apart: bool) -> None:
    for row, col, built, alone in changes:
        h.changeCoeff(row, col, alone if apart else built)
    for row, upper in central:
        h.changeRowBounds(row, -float("inf"), 0.0 if apart else upper)


def solve_from_apart(m: PlanModel, h: Any) -> bool:
    """Run the HiGHS model `h` of `m` (its options set; see the module's docstring) through the
    decoupled LP when `m` has a coupling; True when it ended optimal that way. On False the
    model is as built and its solver state cleared, for a solve from scratch."""
    import highspy

    changes, central = decoupling(m)
    if not changes and not central:
        return False
    _, solver = h.getOptionValue("solver")
    h.setOptionValue("solver", "simplex")
    try:
        _set(h, changes, central, apart=True)
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        _set(h, changes, central, apart=False)
        if ok:
            h.run()
            ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    finally:
        h.setOptionValue("solver", solver)
    if not ok:
        h.clearSolver()
    return ok


#: Rows up to which the first solve of a coupled group starts from the regions solved apart;
#: above, the interior point from scratch is faster. Measured on the coupled benchmark
#: (`benchmarks/plan_scale.py --coupled`, 18 modelled years, one run each, load about 1):
#: 16 regions (64,000 rows) 8.2 s against 11.4 s; 24 regions (97,000 rows) 26.6 s against
#: 23.7 s; 32 regions (129,000 rows) 49.1 s against 41.0 s.
WARM_ROWS = 80_000


def run_first(m: PlanModel, h: Any) -> None:
    """Run the first solve on `h`, the HiGHS model of `m` with its options: through the
    decoupled LP when `m` has a coupling and at most `WARM_ROWS` rows (`solve_from_apart`),
    else (or when that did not end optimal) as the options say."""
    if m.prob.numConstraints() > WARM_ROWS or not solve_from_apart(m, h):
        h.run()


def solve_first(m: PlanModel, solver: str, time_limit: float | None,
                options: Mapping[str, object] | None) -> tuple[str, str, float]:
    """The first solve of `m`: (status word, solver name, seconds). A large LP (`options` given,
    `solve.first_options`) with HiGHS goes through `run_first`; every other one through
    `solve.solve_model`."""
    from curricula.solve import highs_model, read_highs, solve_model

    built = highs_model(m, time_limit, options) if solver == "highs" and options is not None else None
    if built is None:
        return solve_model(m, solver, time_limit, options)
    s, h = built
    t0 = time.perf_counter()
    run_first(m, h)
    return read_highs(s, m), s.name, time.perf_counter() - t0
