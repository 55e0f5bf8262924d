"""Near-optimal ranges (MGA, modelling to generate alternatives; Brill et al. 1982).

Why: one optimal plan hides how much freedom the planner has. For each programme and for
each tier × audience (per region), the least and the most total intake over the plan
years among all plans whose planning objective is at most (1 + δ) times the optimum:

    min / max  Σ_{t ∈ plan years} Σ_{p ∈ group} n[p, t]
    s.t.       every limit of the plan,  planning objective ≤ f* + δ·|f*|   (family `band`)

δ is `PlanInputs.range_tolerance` (default 1%). The planning objective includes the
penalty of the shortage the plan cannot avoid, so δ of it is a band on money *and*
weighted shortage together: any plan in the band is at most δ worse by the planner's
own measure. Two solves per quantity on the built model: with HiGHS, one solver model
whose objective is swapped in place, each solve a primal simplex warm-started from the
last one's basis (8× faster than a fresh solve through PuLP on the default plan); with
CBC, via PuLP.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd
import pulp

from curricula.families import BAND
from curricula.model import PlanModel, _expr
from curricula.result import RANGE_COLUMNS, PlanResult
from curricula.tiebreak import add_band, band_width


def _groups(m: PlanModel) -> list[tuple[dict[str, object], list[str]]]:
    """(row labels, programme ids): each programme, then each region × tier × audience."""
    out: list[tuple[dict[str, object], list[str]]] = []
    by_group: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for p in m.programmes():
        out.append(({"kind": "programme", "region": p.region, "programme": p.id, "tier": p.tier,
                     "audience": p.audience}, [p.id]))
        by_group[p.region, p.tier, p.audience].append(p.id)
    for (region, tier, audience), ids in by_group.items():
        out.append(({"kind": "tier_audience", "region": region, "programme": "", "tier": tier,
                     "audience": audience}, ids))
    return out


def _extreme(m: PlanModel, ids: list[str], sign: float, solver: str,
             time_limit: float | None) -> float:
    from curricula.solve import solve_model

    expr = _expr((m.intake[pid, t], sign) for pid in ids for t in m.h.reported)
    m.prob.setObjective(expr)
    status, _, _ = solve_model(m, solver, time_limit)
    if status != "optimal":
        return math.nan
    return max(0.0, sign * float(pulp.value(expr) or 0.0))


def _extremes_highs(m: PlanModel, groups: list[list[str]], time_limit: float | None
                    ) -> list[tuple[float, float]] | None:
    """(min, max) of every group's total intake on one HiGHS model of `m`: the objective is set to
    ± the group's intake columns and the model re-run from the previous basis. None (nothing
    solved) when HiGHS's Python interface is not there."""
    from curricula.solve import highs_model

    m.prob.setObjective(_expr([]))
    built = highs_model(m, time_limit)
    if built is None:
        return None
    import highspy

    h = built[1]
    # a new objective leaves the basis primal feasible: the primal simplex goes on from it (on the
    # default plan 14,033 iterations in all against 148,994 for HiGHS's default dual simplex)
    h.setOptionValue("simplex_strategy", 4)
    out: list[tuple[float, float]] = []
    last: list[int] = []
    for ids in groups:
        cols = sorted({m.intake[pid, t].index for pid in ids for t in m.h.reported})
        ends = []
        for sign in (1.0, -1.0):
            h.changeColsCost(len(last), last, [0.0] * len(last))
            h.changeColsCost(len(cols), cols, [sign] * len(cols))
            last = cols
            h.run()
            optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            if not optimal:  # the warm start can end 'infeasible' or 'unknown' on the tight band
                # row (5 of 990 solves of the regional example): solve that one afresh
                h.clearSolver()
                h.setOptionValue("simplex_strategy", 1)
                h.run()
                h.setOptionValue("simplex_strategy", 4)
                optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            ends.append(max(0.0, sign * h.getInfo().objective_function_value) if optimal else math.nan)
        out.append((ends[0], ends[1]))
    return out


def ranges_on_model(m: PlanModel, result: PlanResult, solver: str = "highs",
                    time_limit: float | None = None) -> pd.DataFrame:
    """Near-optimal ranges on a model already solved to `result` (its objective is lost)."""
    planned = {str(k): float(v) for k, v in result.intake.groupby("programme")["intake"].sum().items()}
    return ranges_in_band(m, result.objective, result.optimal_money, planned, solver, time_limit)


def ranges_in_band(m: PlanModel, optimum: float, money: float, planned: dict[str, float],
                   solver: str = "highs", time_limit: float | None = None) -> pd.DataFrame:
    """The ranges of every programme and tier × audience of `m` among its plans within
    `range_tolerance` × `money` of `optimum` (`planned`: each programme's planned total)."""
    objective = m.planning if m.planning is not None else m.prob.objective
    width = band_width(optimum, money, m.inputs.range_tolerance)
    band = m.constraints.get(BAND, {}).get(())
    if band is not None:
        band.changeRHS(optimum + width - objective.constant)
    else:
        add_band(m, objective, optimum, width)
    groups = _groups(m)
    extremes = _extremes_highs(m, [ids for _, ids in groups], time_limit) if solver == "highs" else None
    if extremes is None:
        extremes = [(_extreme(m, ids, 1.0, solver, time_limit), _extreme(m, ids, -1.0, solver, time_limit))
                    for _, ids in groups]
    rows = [{**labels, "planned": sum(float(planned.get(pid, 0.0)) for pid in ids), "min": lo, "max": hi}
            for (labels, ids), (lo, hi) in zip(groups, extremes, strict=True)]
    return pd.DataFrame(rows, columns=list(RANGE_COLUMNS))
