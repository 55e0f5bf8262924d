"""Leads toward issue 12's 30 s, measured on the 32-region coupled LP (not used by the planner).

The coupled benchmark's LP (`plan_scale.couple(plan_scale.make_inputs(n))`, built by
`curricula.build`) is handed to HiGHS directly and solved one of these ways (one per run,
in a fresh process; times are wall seconds of this process, CPU seconds too):

* ``plain-ipm``: as the planner solves a group this large (interior point with crossover);
* ``pool-ipm`` / ``pool-warm``: the mobility block rewritten through one pool variable per
  (role, level, year) (exact when the shares that leave split alike, as in the benchmark:
  μ[r, r′] = a_r·b_r′ off the diagonal), then the interior point, or the regions solved
  apart by the dual simplex and the coupling put back (`curricula.warm`'s scheme);
* ``rowgen``: the intake-growth and ramp rows (68% of the rows) left out except those
  binding in the regions-apart optimum with a non-zero term, then added back when violated,
  re-solving by the dual simplex, until none is violated (or `--rounds`).

``--objective gap`` solves the gap problem (`curricula.persons`) instead of the first one.

Usage:  nice .venv/bin/python benchmarks/plan_leads.py --lead pool-warm [--regions 32]
Results: benchmarks/RESULTS_plan.md, "Seventh session".
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))


def coupled_lp(n: int, objective: str) -> dict[str, Any]:
    """The coupled benchmark's LP as arrays, with what `curricula.warm` changes to decouple it."""
    import plan_scale

    import curricula
    from curricula.families import SUPPLY_FLOW
    from curricula.persons import target_gap_expr
    from curricula.solve import first_options, highs_model
    from curricula.warm import decoupling

    inputs = plan_scale.couple(plan_scale.make_inputs(n))
    m = curricula.build(inputs)
    built = highs_model(m, None, first_options(m))
    assert built is not None
    lp = built[1].getLp()
    import highspy

    kind = sp.csc_matrix if lp.a_matrix_.format_ == highspy.MatrixFormat.kColwise else sp.csr_matrix
    a = sp.csc_matrix(kind((np.array(lp.a_matrix_.value_), np.array(lp.a_matrix_.index_),
                            np.array(lp.a_matrix_.start_)), shape=(lp.num_row_, lp.num_col_)))
    cost = np.array(lp.col_cost_)
    if objective == "gap":
        cost = np.zeros(lp.num_col_)
        for v, c in target_gap_expr(m).items():
            cost[v.index] = c
    family = np.empty(lp.num_row_, dtype=object)
    for f, cons in m.constraints.items():
        for c in cons.values():
            family[c.index] = f
    changes, central = decoupling(m)
    return {"A": a, "cost": cost, "col": (np.array(lp.col_lower_), np.array(lp.col_upper_)),
            "row": (np.array(lp.row_lower_), np.array(lp.row_upper_)), "sense": lp.sense_,
            "changes": changes, "central": central, "family": family, "mobility": dict(inputs.mobility),
            "supply": {k: c.index for k, c in m.constraints[SUPPLY_FLOW].items()},
            "trained": {k: x.index for k, x in m.trained.items()}}


def pooled(d: dict[str, Any]) -> dict[str, Any]:
    """`d` with the mobility terms through a pool per cell; its own decoupling changes."""
    mob, supply, trained = d["mobility"], d["supply"], d["trained"]
    regions = sorted({o for o, _ in mob})
    o0, o1, x = regions[:3]
    b = {to: mob[o0, to] for to in regions if to != o0}
    b[o0] = mob[o1, o0] * b[x] / mob[o1, x]
    a = {o: mob[o, t] / b[t] for o in regions for t in [regions[-1] if o != regions[-1] else regions[0]]}
    assert max(abs(mob[o, t] - a[o] * b[t]) for o in regions for t in regions if t != o) < 1e-12
    coo = d["A"].tocoo()
    drop = np.isin(coo.row, list(supply.values())) & np.isin(coo.col, list(trained.values()))
    kept = list(zip(coo.row[~drop].tolist(), coo.col[~drop].tolist(), coo.data[~drop].tolist(), strict=True))
    new: list[tuple[int, int, float]] = []
    nr, nc = d["A"].shape
    changes = []
    cells = sorted({k[1:] for k in trained})
    for j, cell in enumerate(cells):
        p, q = nc + j, nr + j  # the pool's column and its defining row
        new.append((q, p, 1.0))
        new += [(q, trained[(o, *cell)], -a[o]) for o in regions if (o, *cell) in trained]
        for to in regions:
            r = supply.get((to, *cell))
            if r is None:
                continue
            entries = [(p, -b[to], 0.0)]
            if (to, *cell) in trained:
                entries.append((trained[(to, *cell)], -mob[to, to] + a[to] * b[to], -1.0))
            for col, built, apart in entries:
                new.append((r, col, built))
                changes.append((r, col, built, apart))
    k = len(cells)
    rows, cols, vals = zip(*(kept + new), strict=True)
    out = dict(d, changes=changes)
    out["A"] = sp.csc_matrix((vals, (rows, cols)), shape=(nr + k, nc + k))
    out["cost"] = np.concatenate([d["cost"], np.zeros(k)])
    out["col"] = tuple(np.concatenate([v, np.full(k, s * np.inf)]) for v, s in zip(d["col"], (-1, 1), strict=True))
    out["row"] = tuple(np.concatenate([v, np.zeros(k)]) for v in d["row"])
    out["family"] = np.concatenate([d["family"], np.full(k, "mobility_pool", dtype=object)])
    return out


def highs(d: dict[str, Any], rows: np.ndarray | None = None) -> Any:
    """A quiet `highspy.Highs` with the LP of `d` (only `rows`, when given)."""
    import highspy

    a = d["A"] if rows is None else d["A"].tocsr()[rows].tocsc()
    lo, up = (v if rows is None else v[rows] for v in d["row"])
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = a.shape
    lp.col_cost_, (lp.col_lower_, lp.col_upper_) = d["cost"], d["col"]
    lp.row_lower_, lp.row_upper_, lp.sense_ = lo, up, d["sense"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h


def _run(h: Any, label: str) -> None:
    t0 = time.perf_counter()
    h.run()
    info = h.getInfo()
    print(f"{label}: {h.getModelStatus()} {time.perf_counter() - t0:.2f} s, simplex {info.simplex_iteration_count}"
          f" / ipm {info.ipm_iteration_count} iterations, objective {info.objective_function_value:.6f}", flush=True)


def warm(d: dict[str, Any], h: Any, apart: bool) -> None:
    """Set the coupling of `h` apart (every graduate stays, no central money) or back."""
    for row, col, built, alone in d["changes"]:
        h.changeCoeff(row, col, alone if apart else built)
    for row, upper in d["central"]:
        h.changeRowBounds(row, -np.inf, 0.0 if apart else upper)


def rowgen(d: dict[str, Any], rounds: int) -> None:
    """Growth and ramp rows left out, then added back while violated (see the docstring)."""
    h = highs(d)
    warm(d, h, apart=True)
    _run(h, "regions apart (dual simplex)")
    a, (lo, up) = d["A"].tocsr(), d["row"]
    x = np.array(h.getSolution().col_value)
    lazy = np.where(np.isin(d["family"], ["intake_growth", "ramp"]))[0]
    act = a[lazy] @ x
    slack = np.minimum(np.abs(act - lo[lazy]), np.abs(up[lazy] - act))
    live = np.array([np.abs(x[a.indices[a.indptr[i]:a.indptr[i + 1]]]).max() > 1e-9 for i in lazy])
    active = np.ones(a.shape[0], bool)
    active[lazy] = False
    active[lazy[(slack <= 1e-6 * np.maximum(1, np.abs(act))) & live]] = True
    print(f"growth and ramp rows: {len(lazy)}, kept {active[lazy].sum()}", flush=True)
    g = highs(d, np.where(active)[0])
    g.setOptionValue("solver", "ipm")
    _run(g, f"coupled, {active.sum()} rows (interior point)")
    g.setOptionValue("solver", "simplex")
    for k in range(rounds):
        omitted = lazy[~active[lazy]]
        act = a[omitted] @ np.array(g.getSolution().col_value)
        bad = omitted[np.maximum(lo[omitted] - act, act - up[omitted]) > 1e-7 * np.maximum(1, np.abs(act))]
        print(f"round {k}: {len(bad)} rows violated", flush=True)
        if not len(bad):
            return
        active[bad] = True
        block = a[bad]
        g.addRows(len(bad), lo[bad], up[bad], block.nnz, block.indptr[:-1].astype(np.int32),
                  block.indices.astype(np.int32), block.data)
        _run(g, f"  {len(bad)} rows added (dual simplex)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lead", required=True, choices=["plain-ipm", "pool-ipm", "pool-warm", "rowgen"])
    ap.add_argument("--objective", default="first", choices=["first", "gap"])
    ap.add_argument("--regions", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    d = coupled_lp(args.regions, args.objective)
    if args.lead.startswith("pool"):
        d = pooled(d)
    print(f"rows {d['A'].shape[0]}, columns {d['A'].shape[1]}, nonzeros {d['A'].nnz} "
          f"(built in {time.perf_counter() - t0:.1f} s)", flush=True)
    if args.lead == "rowgen":
        rowgen(d, args.rounds)
    else:
        h = highs(d)
        if args.lead == "pool-warm":
            warm(d, h, apart=True)
            _run(h, "regions apart (dual simplex)")
            warm(d, h, apart=False)
            _run(h, "coupled, from there (dual simplex)")
        else:
            h.setOptionValue("solver", "ipm")
            _run(h, "interior point with crossover")
    print(f"total {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU")


if __name__ == "__main__":
    main()
