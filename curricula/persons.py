"""Marginal values in persons: the gap problem and its duals.

Why: the planning objective mixes money and penalty-weighted shortage, so its duals
("million CNY per million CNY") answer no policy question. The gap problem keeps every
limit of the plan and minimises the expected professional shortage in the target year,
in persons:

    min  G = Σ_s π_s Σ_{r, l professional} u[r, l, T, s]   subject to every limit

Its dual on a limit is the number of persons of target-year gap that one more unit of
that limit (one more money unit of budget in a year, one more faculty FTE, one more
seat of growth, …) closes when the limits are aimed at the target year: the marginal
value on the gap frontier, not a re-optimised mixed objective. A dual is a derivative
only within the range where the optimal basis stays optimal; HiGHS's ranging reports
that range, and `persons_side` says on which side of the current value it holds:
"both", "relax" (only for more of the limit), "tighten" (only for less), "neither" (a
kink both ways) or "unknown" (no ranging, e.g. CBC).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulp

from curricula.extract import PersonsDuals, fold_extension, relax_value, reported_rows
from curricula.families import INTERNAL_FAMILIES
from curricula.inputs import PlanInputs
from curricula.model import PlanModel, _expr


def target_gap_expr(m: PlanModel) -> pulp.LpAffineExpression:
    """G: expected professional shortage in the target year, persons."""
    probs = {s.name: s.probability for s in m.inputs.scenarios}
    prof = set(m.inputs.professional())
    target = m.inputs.target
    terms = []
    for (_, _, level, year, scenario), u in m.shortage.items():
        if year == target and level in prof:
            terms.append((u, probs[scenario]))
    return _expr(terms)


def _sides(m: PlanModel, ranging: Any = None) -> dict[int, str] | None:
    """Row index -> side on which its dual holds, from HiGHS's ranging (`ranging`, or asked
    of `m.prob.solverModel`; None without it)."""
    if ranging is None:
        h = getattr(m.prob, "solverModel", None)
        if h is None or not hasattr(h, "getRanging"):
            return None
        _, ranging = h.getRanging()
    if not getattr(ranging, "valid", False):
        return None
    up, dn = ranging.row_bound_up.value_, ranging.row_bound_dn.value_
    out: dict[int, str] = {}
    for family, cons in m.constraints.items():
        if family in INTERNAL_FAMILIES:
            continue
        for c in cons.values():
            i = getattr(c, "index", None)
            if i is None or i >= len(up):
                continue
            rhs = -c.constant
            tol = 1e-7 * max(1.0, abs(rhs))
            room_up, room_dn = up[i] - rhs > tol, rhs - dn[i] > tol
            relax, tighten = (room_up, room_dn) if c.sense == pulp.LpConstraintLE else (room_dn, room_up)
            out[i] = ("both" if relax and tighten else "relax" if relax else
                      "tighten" if tighten else "neither")
    return out


def persons_duals(m: PlanModel, solver: str = "highs", time_limit: float | None = None,
                  options: Mapping[str, object] | None = None) -> PersonsDuals | None:
    """Solve the gap problem on the built model (its objective restored afterwards) and
    return, per reported row, persons of target-year gap closed per unit of relaxation."""
    from curricula.solve import solve_model

    saved = m.prob.objective
    m.prob.setObjective(target_gap_expr(m))
    try:
        status, _, _ = solve_model(m, solver, time_limit, options)
        return read_persons(m) if status == "optimal" else None
    finally:
        m.prob.setObjective(saved)


def read_persons(m: PlanModel, ranging: Any = None) -> PersonsDuals:
    """The persons column from the solved gap problem: its duals (in the model's
    constraints) and, with HiGHS, its ranging (`ranging`, or asked of `m.prob.solverModel`)."""
    sides = _sides(m, ranging)
    rows = reported_rows(m)
    values = fold_extension(m, {(f, k): relax_value(c) for f, k, c in rows})
    out: PersonsDuals = {}
    for family, key, c in rows:
        side = "unknown" if sides is None else sides.get(getattr(c, "index", -1), "unknown")
        out[family, key] = (values[family, key], side)
    return out


def frontier_gap(inputs: PlanInputs, solver: str = "highs") -> float:
    """The gap problem's optimum: the least expected professional gap in the target year
    (persons) that the limits of `inputs` allow. Re-solving it with a limit moved both ways
    checks the persons column of the duals."""
    from curricula.model import build
    from curricula.solve import solve_model
    from curricula.validation import validate

    validate(inputs)
    m = build(inputs)
    m.prob.setObjective(target_gap_expr(m))
    status, _, _ = solve_model(m, solver)
    if status != "optimal":
        raise RuntimeError(f"the gap problem ended '{status}'")
    return float(pulp.value(m.prob.objective) or 0.0)
