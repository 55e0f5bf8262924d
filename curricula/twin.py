"""The first solve and the gap problem of a large LP at once, on two cores.

Why: the gap problem (`curricula.persons`) has the first solve's constraints and another
objective, and neither solve needs the other's result. For a large LP (a group of
coupled regions, `solve.LARGE`) each is an interior-point solve of tens of seconds that
HiGHS runs on one core, and a warm start of the gap problem from the first solve's basis
was slower than solving it afresh (43 s against 21 s at 32 coupled regions). So both are
passed to HiGHS once, as two copies of the same model, and run in two threads (HiGHS
releases the GIL while it solves): the wall time of the pair is about that of the longer
one when a second core is free. The results are exactly those of the two solves one after
the other: the same models, the same options. The gap problem's ranging (for the sides of
its duals; at 32 coupled regions about half as long as its solve) runs in its thread too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

import pulp

from curricula.extract import PersonsDuals
from curricula.model import PlanModel


def solve_pair(m: PlanModel, time_limit: float | None, options: Mapping[str, object] | None
               ) -> tuple[str, str, float, PersonsDuals | None, float] | None:
    """Solve `m` (its values, duals and status left as after `solve.solve_model`) and its gap
    problem together with HiGHS; (status, solver name, seconds of the first solve, persons
    duals or None when the gap problem is not optimal, seconds of the gap problem). None
    (nothing solved) when HiGHS's Python interface is not there."""
    from curricula.persons import read_persons, target_gap_expr
    from curricula.solve import _STATUS, _QuietHighs, highs_model

    built = highs_model(m, time_limit, options)  # the first solve's model
    if built is None:
        return None
    import highspy

    s, first = built
    gap = _QuietHighs()
    if time_limit is not None:
        gap.setOptionValue("time_limit", float(time_limit))
    for key, value in s.optionsDict.items():
        gap.setOptionValue(key, value)
    gap.passModel(first.getLp())
    costs = {v.index: c for v, c in target_gap_expr(m).items()}
    gap.changeColsCost(gap.getNumCol(), list(range(gap.getNumCol())),
                       [costs.get(i, 0.0) for i in range(gap.getNumCol())])
    seconds: dict[str, float] = {}
    ranging: list[object] = []

    def run(name: str, h: object) -> None:
        t0 = time.perf_counter()
        h.run()  # type: ignore[attr-defined]
        if name == "gap" and h.getModelStatus() == highspy.HighsModelStatus.kOptimal:  # type: ignore[attr-defined]
            ranging.append(h.getRanging()[1])  # type: ignore[attr-defined]  # in this thread too
        seconds[name] = time.perf_counter() - t0

    threads = [threading.Thread(target=run, args=item) for item in (("first", first), ("gap", gap))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    m.prob.solverModel = gap
    status, sol = s.findSolutionValues(m.prob)
    optimal = status == pulp.LpStatusOptimal and sol == pulp.LpSolutionOptimal
    persons = read_persons(m, ranging[0] if ranging else None) if optimal else None
    m.prob.solverModel = first
    status, sol = s.findSolutionValues(m.prob)
    m.prob.assignStatus(status, sol)
    word = _STATUS.get(status, "undefined")
    if word == "optimal" and sol != pulp.LpSolutionOptimal:
        word = "not solved"
    return word, s.name, seconds["first"], persons, seconds["gap"]
