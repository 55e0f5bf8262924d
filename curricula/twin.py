"""The gap problem of a large LP in a thread of its own, while the plan goes on.

Why: the gap problem (`curricula.persons`) has the first solve's constraints and another
objective, and neither solve needs the other's result; nor does the tie-break of a group
of coupled regions (`curricula.coupled`), which needs only the first solve's optimum. For
a large LP (a group of coupled regions, `solve.LARGE`) the gap problem is an
interior-point solve of tens of seconds that HiGHS runs on one core, and a warm start of
it from the first solve's basis was slower than solving it afresh (43 s against 21 s at
32 coupled regions). So a copy of the model goes to HiGHS with the gap problem's
objective and runs in a thread (HiGHS releases the GIL while it solves) while the calling
thread solves the first problem (`curricula.warm`) and tie-breaks the regions; its duals and
its ranging (for their sides; HiGHS's interface holds the GIL for that) are read when the
plan needs them. The results are exactly those of the solves one after the other: the same models,
the same options.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from curricula.extract import PersonsDuals
from curricula.model import PlanModel


class GapRun:
    """The gap problem of `m` (`h`: its HiGHS model, not yet run) solving in its own thread."""

    def __init__(self, m: PlanModel, h: Any) -> None:
        self.m, self.h = m, h
        self.rows = {c: c.index for cons in m.constraints.values() for c in cons.values()}  # as passed to `h`
        self.seconds = 0.0
        self._ranging: Any = None
        self._thread = threading.Thread(target=self._run)
        self._thread.start()

    def _optimal(self) -> bool:
        import highspy

        return bool(self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal)

    def _run(self) -> None:
        t0 = time.perf_counter()
        self.h.run()  # HiGHS releases the GIL while it solves
        self.seconds = time.perf_counter() - t0

    def wait(self) -> None:
        """Wait for the gap problem's solve to end (for a plan that will not report it)."""
        self._thread.join()

    def result(self) -> PersonsDuals | None:
        """Wait for the gap problem; its persons duals (None when it is not optimal), with the
        ranging for their sides computed here: HiGHS's Python interface holds the GIL for it
        (about 10 s at 32 coupled regions), which in the thread stopped the first solve's
        return and the regions' tie-breaks until it ended. The model's own duals (`pi`) are
        left as they were."""
        from curricula.persons import read_persons

        self.wait()
        if not self._optimal():
            return None
        t0 = time.perf_counter()
        self._ranging = self.h.getRanging()[1]
        self.seconds += time.perf_counter() - t0
        duals = self.h.getSolution().row_dual
        saved = {c: c.pi for c in self.rows}
        try:
            for c, i in self.rows.items():
                c.pi = duals[i]
            return read_persons(self.m, self._ranging)
        finally:
            for c, pi in saved.items():
                c.pi = pi


def solve_pair(m: PlanModel, time_limit: float | None, options: Mapping[str, object] | None
               ) -> tuple[str, str, float, GapRun] | None:
    """Start the gap problem of `m` in a thread, then solve `m` itself in this one (its values,
    duals and status left as after `solve.solve_model`): (status, solver name, seconds of the
    first solve, the running gap problem). None (nothing solved) when HiGHS's Python
    interface is not there."""
    from curricula.persons import target_gap_expr
    from curricula.solve import _QuietHighs, highs_model, read_highs
    from curricula.warm import run_first

    built = highs_model(m, time_limit, options)  # the first solve's model
    if built is None:
        return None
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
    pending = GapRun(m, gap)
    t0 = time.perf_counter()
    run_first(m, first)
    seconds = time.perf_counter() - t0
    return read_highs(s, m), s.name, seconds, pending
