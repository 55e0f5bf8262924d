"""Solve a plan: validate, build, solve with HiGHS (CBC as fallback), extract, diagnose.

The one entry point most callers need is `plan(inputs)`.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

import pulp

from curricula.families import ANCHOR, BAND
from curricula.inputs import PlanInputs
from curricula.model import PlanModel, build
from curricula.result import PlanResult
from curricula.twin import GapRun
from curricula.validation import validate
from curricula.warm import solve_first

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


#: HiGHS options of the tie-break solve: the interior-point method without crossover
#: returns the centre of the optimal face (a tie is split evenly), not one of its vertices.
CENTRE: Mapping[str, object] = {"solver": "ipm", "run_crossover": "off"}


def make_solver(name: str = "highs", time_limit: float | None = None,
                options: Mapping[str, object] | None = None) -> pulp.LpSolver:
    """The PuLP solver for `name` ('highs' or 'cbc'); HiGHS falls back to CBC if missing.

    Both are quiet: nothing is written to stdout or stderr. `options` are HiGHS options.
    """
    if name == "highs":
        s = _QuietHiGHS(msg=False, timeLimit=time_limit, **(options or {}))
        if s.available():
            return s
        name = "cbc"
    if name == "cbc":
        return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    raise ValueError(f"unknown solver {name!r}: use 'highs' or 'cbc'")


def highs_model(m: PlanModel, time_limit: float | None = None, options: Mapping[str, object] | None = None
                ) -> tuple[_QuietHiGHS, Any] | None:
    """`m` passed to HiGHS once, as PuLP's HiGHS.actualSolve does, not yet solved: (the PuLP solver, its
    `highspy.Highs` model), for callers that change and re-run the model in place; None when HiGHS's Python
    interface is not there."""
    s = make_solver("highs", time_limit, options)
    if not isinstance(s, _QuietHiGHS):
        return None
    s.createAndConfigureSolver(m.prob)
    s.buildSolverModel(m.prob)
    return s, m.prob.solverModel


def read_highs(s: _QuietHiGHS, m: PlanModel) -> str:
    """Read the run HiGHS model `m.prob.solverModel` into `m` (values, duals, status), as PuLP's
    HiGHS.actualSolve does after its run; the status word."""
    status, sol = s.findSolutionValues(m.prob)
    m.prob.assignStatus(status, sol)
    word = _STATUS.get(status, "undefined")
    return "not solved" if word == "optimal" and sol != pulp.LpSolutionOptimal else word


def solve_model(m: PlanModel, solver: str = "highs", time_limit: float | None = None,
                options: Mapping[str, object] | None = None) -> tuple[str, str, float]:
    """Solve a built model; return (status word, solver name, seconds)."""
    s = make_solver(solver, time_limit, options)
    t0 = time.perf_counter()
    m.prob.solve(s)
    seconds = time.perf_counter() - t0
    status = _STATUS.get(m.prob.status, "undefined")
    if status == "optimal" and m.prob.sol_status not in (pulp.LpSolutionOptimal,):
        status = "not solved"
    return status, s.name, seconds


#: HiGHS options of the first solve and the gap problem of a large LP (more rows than
#: `LARGE_ROWS`, i.e. a group of coupled regions): the interior point with crossover (a
#: vertex, for the duals and ranging). On the 32-region coupled benchmark it took 25–77 s
#: (depending on the load) where the cold dual simplex took 330 s; a single region's LP stays
#: with the simplex. The first solve of a coupled group of at most `warm.WARM_ROWS` rows starts
#: from the regions solved apart (`curricula.warm`) and uses these options only when that ends
#: without an optimum.
LARGE: Mapping[str, object] = {"solver": "ipm"}
LARGE_ROWS = 20_000


def first_options(m: PlanModel) -> Mapping[str, object] | None:
    """Solver options of the first solve (and the gap problem) of `m`: `LARGE` for a large LP."""
    return LARGE if m.prob.numConstraints() > LARGE_ROWS else None


#: Rows above which the gap problem (`curricula.persons`) is solved by the interior point with
#: crossover even when the first solve is not: its objective (the target year's shortage only)
#: leaves it highly degenerate, and the dual simplex crawls. Nine coupled regions (14,851
#: rows): 8.3 s with the dual simplex, 0.8 s with the interior point. One region (~3,000
#: rows) keeps the simplex (0.02 s either way).
GAP_IPM_ROWS = 5_000


def gap_options(m: PlanModel) -> Mapping[str, object] | None:
    """Solver options of the gap problem of `m`: `LARGE` above `GAP_IPM_ROWS` rows (or when the first
    solve has them)."""
    return LARGE if m.prob.numConstraints() > min(GAP_IPM_ROWS, LARGE_ROWS) else None


def _tiebreak(m: PlanModel, inputs: PlanInputs, solver: str, time_limit: float | None,
              timings: dict[str, float], optimum: float, money: float, first: dict[tuple[str, int], float]) -> bool:
    """The tie-break solve on the model itself; True when it (and the simplex after it) failed."""
    from curricula.tiebreak import band_width, define_tiebreak

    objective = m.planning if m.planning is not None else m.prob.objective
    t0 = time.perf_counter()
    define_tiebreak(m, objective, optimum, band_width(optimum, money, inputs.tiebreak_tolerance or 0.0), first)
    timings["build_tiebreak"] = time.perf_counter() - t0
    status, _, timings["solve_tiebreak"] = solve_model(m, solver, time_limit, CENTRE)
    if status != "optimal":  # the interior point did not converge: the simplex
        status, _, timings["solve_tiebreak"] = solve_model(m, solver, time_limit)
    timings["tiebreak_failed"] = float(status != "optimal")
    return status != "optimal"


def _stages(m: PlanModel, inputs: PlanInputs, solver: str, time_limit: float | None,
            persons: bool, timings: dict[str, float], name: str, pending: GapRun | None = None) -> PlanResult:
    """After an optimal first solve: duals, the gap problem (persons; `pending`: already running
    in its thread, `curricula.twin`, read after the tie-break of a coupled group, which runs
    meanwhile), the tie-break solve (on a group of coupled regions: region by region,
    `curricula.coupled`)."""
    from curricula.coupled import is_coupled, tiebreak_by_region
    from curricula.extract import extract, read_duals
    from curricula.persons import persons_duals

    optimum = float(pulp.value(m.prob.objective) or 0.0)
    money = float(pulp.value(m.money) or 0.0) if m.money is not None else 0.0
    objective = m.planning if m.planning is not None else m.prob.objective
    duals = read_duals(m)
    first = {k: float(v.value() or 0.0) for k, v in m.intake.items()}
    by_region = inputs.tiebreak_tolerance is not None and is_coupled(m)
    saved = {v: v.varValue for v in m.prob.variables()} if by_region else {}
    t0 = time.perf_counter()
    pdual = None
    if pending is not None and not by_region:  # read before the tie-break changes the model
        pdual = pending.result()
    elif pending is None and persons:
        pdual = persons_duals(m, solver, time_limit, gap_options(m))
    timings["persons"] = time.perf_counter() - t0
    rerun = persons and pending is None  # the gap problem overwrote the first solve's values
    if by_region:
        for v, value in saved.items():
            v.varValue = value
        money = tiebreak_by_region(m, solver, time_limit, timings)
        rerun = False
        if pending is not None:  # the gap problem ran while the regions were tie-broken
            t0 = time.perf_counter()
            pdual = pending.result()
            timings["persons"] = time.perf_counter() - t0
    elif inputs.tiebreak_tolerance is not None:
        rerun = _tiebreak(m, inputs, solver, time_limit, timings, optimum, money, first)
    if rerun:  # no tie-break (or it failed): the planning objective's optimum, solved again
        m.remove(BAND, ANCHOR)
        m.prob.setObjective(objective)
        status, _, _ = solve_model(m, solver, time_limit, first_options(m))
        if status != "optimal":  # pragma: no cover - the first solve's problem again
            raise RuntimeError(f"solving an optimal plan again ended '{status}'")
    result = extract(m, "optimal", name, timings, optimum=optimum, duals=duals, persons=pdual,
                     objective=objective)
    return replace(result, optimal_money=money)


def _solve_built(inputs: PlanInputs, solver: str, time_limit: float | None, elastic: Collection[str],
                 persons: bool, drop: Collection[str], require_match: bool = True) -> tuple[PlanModel, PlanResult]:
    """Build one LP (all regions of `inputs`), solve it and its later stages; the model and its result."""
    from curricula.extract import extract

    t0 = time.perf_counter()
    m = build(inputs, elastic=elastic, drop=drop, require_match=require_match)
    built = time.perf_counter() - t0
    pair, pending = None, None
    if persons and not elastic and solver == "highs" and first_options(m) is not None:
        from curricula.twin import solve_pair  # looked up here: tests replace it

        pair = solve_pair(m, time_limit, first_options(m))
    if pair is None:
        status, name, seconds = solve_first(m, solver, time_limit, first_options(m))
    else:  # the gap problem runs on in its thread (its own seconds: timings["solve_gap"])
        status, name, seconds, pending = pair
    timings = {"build": built, "solve": seconds}
    if status != "optimal" or elastic:
        if pending is not None:
            pending.wait()  # nothing to report from it
        return m, extract(m, status, name, timings)
    result = _stages(m, inputs, solver, time_limit, persons, timings, name, pending)
    if pending is not None:
        result.timings["solve_gap"] = pending.seconds
    return m, result


def _plan_one(inputs: PlanInputs, solver: str, time_limit: float | None, elastic: Collection[str],
              persons: bool, ranges: bool, drop: Collection[str], require_match: bool = True) -> PlanResult:
    """Build and solve one LP (all regions of `inputs`), then its later stages and the ranges."""
    m, result = _solve_built(inputs, solver, time_limit, elastic, persons, drop, require_match)
    if ranges and result.optimal and not elastic:
        from curricula.coupled import ranges_by_region
        from curricula.mga import ranges_on_model

        t0 = time.perf_counter()
        if m.region_optima:  # a coupled group tie-broken region by region: ranges alike
            planned = {str(k): float(v) for k, v in result.intake.groupby("programme")["intake"].sum().items()}
            result = replace(result, ranges=ranges_by_region(m, planned, solver, time_limit))
        else:
            result = replace(result, ranges=ranges_on_model(m, result, solver, time_limit))
        result.timings["ranges"] = time.perf_counter() - t0
    return result


def plan(inputs: PlanInputs, solver: str = "highs", diagnose: bool = True,
         time_limit: float | None = None, elastic: Collection[str] = (), *,
         persons: bool = True, ranges: bool = False, limits: bool = False,
         drop: Collection[str] = (), split_regions: bool = True) -> PlanResult:
    """Validate, build and solve the plan; diagnose it in words when it is infeasible.

    An optimal plan is then made unique and stable (the tie-break solve, unless
    `inputs.tiebreak_tolerance` is None); `persons` adds the persons column of the duals
    (the gap problem), `ranges` the near-optimal ranges (`curricula.mga`), `limits` what
    the target-year gap would be without each family of limits (`curricula.binding`).
    `drop` leaves out every row of the named families. Groups of regions that nothing
    couples are solved one by one (`curricula.regions`); `split_regions=False` solves
    every region in one LP (the same optimum; the bands of the later solves then span
    every region).
    """
    from curricula.diagnose import diagnose as run_diagnosis
    from curricula.regions import merge, require_some_match, separable, split

    validate(inputs)
    if split_regions and separable(inputs) and not elastic:
        require_some_match(inputs)
        parts = [_plan_one(sub, solver, time_limit, elastic, persons, ranges, drop, require_match=False)
                 for sub in split(inputs).values()]
        result = merge(inputs, parts)
    else:
        result = _plan_one(inputs, solver, time_limit, elastic, persons, ranges, drop)
    if result.status == "infeasible" and diagnose and not elastic:
        result = replace(result, diagnosis=run_diagnosis(inputs, solver=solver))
    if limits and result.optimal:
        from curricula.binding import gap_limits

        t0 = time.perf_counter()
        result = replace(result, limits=gap_limits(inputs, result, solver, time_limit))
        result.timings["limits"] = time.perf_counter() - t0
    return result
