"""Solve a plan: validate, build, solve with HiGHS (CBC as fallback), extract, diagnose.

The one entry point most callers need is `plan(inputs)`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Collection

import pulp

from curricula.inputs import PlanInputs, validate
from curricula.model import PlanModel, build
from curricula.result import PlanResult

_STATUS = {
    pulp.LpStatusOptimal: "optimal",
    pulp.LpStatusInfeasible: "infeasible",
    pulp.LpStatusUnbounded: "unbounded",
    pulp.LpStatusNotSolved: "not solved",
    pulp.LpStatusUndefined: "undefined",
}


_BANNER_SILENCED = False


def _silence_highs_banner() -> None:
    """HiGHS prints a copyright banner once per process when first constructed; the
    engine must not print, so construct it once with the stdout descriptor muted."""
    global _BANNER_SILENCED
    if _BANNER_SILENCED:
        return
    _BANNER_SILENCED = True
    try:
        import highspy
    except ImportError:
        return
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def make_solver(name: str = "highs", time_limit: float | None = None) -> pulp.LpSolver:
    """The PuLP solver for `name` ('highs' or 'cbc'); HiGHS falls back to CBC if missing."""
    if name == "highs":
        s = pulp.HiGHS(msg=False, timeLimit=time_limit)
        if s.available():
            _silence_highs_banner()
            return s
        name = "cbc"
    if name == "cbc":
        return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    raise ValueError(f"unknown solver {name!r}: use 'highs' or 'cbc'")


def solve_model(m: PlanModel, solver: str = "highs",
                time_limit: float | None = None) -> tuple[str, str, float]:
    """Solve a built model; return (status word, solver name, seconds)."""
    s = make_solver(solver, time_limit)
    t0 = time.perf_counter()
    m.prob.solve(s)
    seconds = time.perf_counter() - t0
    status = _STATUS.get(m.prob.status, "undefined")
    if status == "optimal" and m.prob.sol_status not in (pulp.LpSolutionOptimal,):
        status = "not solved"
    return status, s.name, seconds


def plan(inputs: PlanInputs, solver: str = "highs", diagnose: bool = True,
         time_limit: float | None = None, elastic: Collection[str] = ()) -> PlanResult:
    """Validate, build and solve the plan; diagnose it in words when it is infeasible."""
    from curricula.diagnose import diagnose as run_diagnosis
    from curricula.result import extract

    validate(inputs)
    t0 = time.perf_counter()
    m = build(inputs, elastic=elastic)
    built = time.perf_counter() - t0
    status, name, solved = solve_model(m, solver, time_limit)
    timings = {"build": built, "solve": solved}
    result = extract(m, status, name, timings)
    if status == "infeasible" and diagnose and not elastic:
        d = run_diagnosis(inputs, solver=solver)
        result = PlanResult(**{**result.__dict__, "diagnosis": d})
    return result
