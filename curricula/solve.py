"""Solve a plan: validate, build, solve with HiGHS (CBC as fallback), extract, diagnose.

The one entry point most callers need is `plan(inputs)`.
"""

from __future__ import annotations

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


class _QuietHiGHS(pulp.HiGHS):
    """PuLP's HiGHS interface whose Highs object never logs, not even its banner.

    Why not just `pulp.HiGHS(msg=False)`: PuLP sets `output_flag` after constructing
    `highspy.Highs()`, and that constructor already logs the copyright banner to the
    process's stdout (at the C level, past `sys.stdout`) because it installs its
    callbacks while the option is still at its default. `_QuietHighs` turns the option
    off first. Only the options `make_solver` uses are passed: time limit and any extra
    HiGHS options given as keyword arguments.
    """

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        lp.solverModel = _QuietHighs()
        if self.timeLimit is not None:
            lp.solverModel.setOptionValue("time_limit", float(self.timeLimit))
        for key, value in self.optionsDict.items():
            lp.solverModel.setOptionValue(key, value)


try:
    import highspy
except ImportError:  # pragma: no cover - a declared dependency; CBC is the fallback
    pass
else:

    class _QuietHighs(highspy.Highs):
        """A `highspy.Highs` with `output_flag` off before its constructor first logs."""

        def enableCallbacks(self) -> None:
            # highspy.Highs.__init__ calls this right after creating the solver; the
            # option set here is what keeps the banner from being written.
            self.setOptionValue("output_flag", False)
            super().enableCallbacks()


def make_solver(name: str = "highs", time_limit: float | None = None) -> pulp.LpSolver:
    """The PuLP solver for `name` ('highs' or 'cbc'); HiGHS falls back to CBC if missing.

    Both are quiet: nothing is written to stdout or stderr.
    """
    if name == "highs":
        s = _QuietHiGHS(msg=False, timeLimit=time_limit)
        if s.available():
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
