"""Scale benchmark of the planner: national + 31 provinces × full taxonomy × 10 years × 3 scenarios.

Run: nice .venv/bin/python benchmarks/plan_scale.py [--repeats 3] [--regions 32]
Each repetition runs in a fresh process so that peak memory (max RSS) is its own.
Writes benchmarks/RESULTS_plan.md with the medians of what it measured.

Provinces are synthetic: the national projection and capacities split by fixed,
deterministic shares (this measures size and speed, not a provincial forecast).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_inputs(n_regions: int, years: int = 10):  # type: ignore[no-untyped-def]
    """National inputs from the default files, then 31 synthetic provinces, full taxonomy."""
    import pandas as pd

    import curricula
    from talent.config import load_planning
    from talent.io.series import load_series
    from talent.planning import build_inputs
    from talent.taxonomy import load_taxonomy

    tax = load_taxonomy()
    cfg = load_planning()
    start = int(cfg.plan["start"])
    nat = build_inputs(cfg, load_series(), until=start + years - 1)
    roles, tiers, auds = tax.ids("roles"), tax.ids("tiers"), tax.ids("audiences")
    level = {"literacy": "literacy", "applied": "applied", "expert": "expert"}
    template = {}
    existing = {p.id: p.existing_intake for p in nat.programmes}
    for p in nat.programmes:
        template.setdefault((p.tier, p.audience), p)
        template.setdefault((p.tier, None), p)
    weights = [1.0] + [1.0 + (k * 7919 % 31) / 10 for k in range(n_regions - 1)]
    prov_total = sum(weights[1:]) or 1.0
    regions = ["CN"] + [f"P{k:02d}" for k in range(1, n_regions)]
    share = {"CN": 1.0} | {r: w / prov_total for r, w in zip(regions[1:], weights[1:], strict=True)}
    progs, budget, pools, demand, supply = [], {}, [], [], []
    for region in regions:
        s = share[region]
        for tier in tiers:
            for aud in auds:
                for role in roles:
                    t = template.get((tier, aud)) or template[(tier, None)]
                    progs.append(dataclasses.replace(
                        t, id=f"{region}.{tier}.{aud}.{role}", audience=aud, track=role,
                        region=region, yields={(role, level[tier]): 0.7},
                        existing_intake=existing.get(f"{tier}.{aud}.{role}", 0.0) * s, enrolled={},
                        opening=t.opening * s))
        for (_, y), b in nat.budget.items():
            budget[region, y] = b * s
        pools += [dataclasses.replace(f, region=region, initial=f.initial * s) for f in nat.faculty]
        demand.append(nat.demand.assign(region=region, value=nat.demand["value"] * s))
        supply.append(nat.base_supply.assign(region=region, value=nat.base_supply["value"] * s))
    return curricula.PlanInputs(
        **{**nat.__dict__, "programmes": tuple(progs), "budget": budget, "faculty": tuple(pools),
           "demand": pd.concat(demand, ignore_index=True),
           "base_supply": pd.concat(supply, ignore_index=True), "coverage": (), "min_shares": ()})


def one_run(n_regions: int) -> dict[str, float]:
    """Plan once in this process with the default options (first solve, persons, tie-break);
    report times, size and peak memory."""
    import curricula
    from curricula.tiebreak import band_width, define_tiebreak

    t0 = time.perf_counter()
    inputs = make_inputs(n_regions)
    prep = time.perf_counter() - t0
    t1 = time.perf_counter()
    r = curricula.plan(inputs, diagnose=False)
    total = time.perf_counter() - t1
    tm = r.timings
    build = tm["build"] + tm.get("build_tiebreak", 0.0)
    solve = tm["solve"] + tm.get("persons", 0.0) + tm.get("solve_tiebreak", 0.0)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    m = curricula.build(inputs)  # once more, for the size of the first and second problems
    size1 = (len(m.prob.variables()), m.prob.numConstraints())
    define_tiebreak(m, m.prob.objective, r.objective, band_width(r.objective, r.optimal_money, 0.01),
                    {k: 0.0 for k in m.intake})
    return {"status": r.status, "solver": r.solver, "prepare_s": prep, "build_s": build,
            "solve_s": solve, "first_solve_s": tm["solve"], "persons_s": tm.get("persons", 0.0),
            "tiebreak_solve_s": tm.get("solve_tiebreak", 0.0), "extract_s": total - build - solve,
            "peak_rss_mb": rss_kb / 1024, "variables": size1[0], "constraints": size1[1],
            "variables_2": len(m.prob.variables()), "constraints_2": m.prob.numConstraints(),
            "programmes": len(inputs.programmes), "objective": r.objective,
            "modelled_years": len(r.horizon)}


def main() -> None:
    """Run the repetitions in subprocesses, write the medians to RESULTS_plan.md."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--regions", type=int, default=32)
    ap.add_argument("--child", action="store_true")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one_run(a.regions)))
        return
    runs = []
    for k in range(a.repeats):
        out = subprocess.run([sys.executable, __file__, "--child", "--regions", str(a.regions)],
                             capture_output=True, text=True, check=True, cwd=HERE.parent)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"run {k + 1}: {runs[-1]}", file=sys.stderr)
    med = {k: statistics.median(r[k] for r in runs) for k in
           ("prepare_s", "build_s", "solve_s", "first_solve_s", "persons_s", "tiebreak_solve_s",
            "extract_s", "peak_rss_mb")}
    first = runs[0]
    share = med["build_s"] / (med["build_s"] + med["solve_s"])
    lines = [
        "# Planner scale benchmark (benchmarks/plan_scale.py)", "",
        f"National + {a.regions - 1} synthetic provinces × full taxonomy (3 tiers × 4 audiences "
        "× 6 role tracks = 72 programmes per region) × 10 plan years × 3 demand scenarios, "
        "`curricula.plan` with its default options: the horizon extended by the longest "
        f"duration ({first['modelled_years']} modelled years), ramp limits, the convex penalty, the "
        "first solve, the gap problem (persons) and the tie-break solve. Nothing couples the regions, "
        "so `plan` solves them one by one (32 problems of 1/32 the size; `curricula.regions`); the "
        "sizes below are those of all regions together.",
        f"Measured on {platform.machine()} with {os.cpu_count()} cores shared with other work, "
        f"Python {platform.python_version()}, run under `nice`; medians of {a.repeats} runs, "
        "each in a fresh process.", "",
        "| figure | value |", "|---|---:|",
        f"| status / solver | {first['status']} / {first['solver']} |",
        f"| programmes | {first['programmes']:,} |",
        f"| variables, all regions (first solve / tie-break solve) | {first['variables']:,} / "
        f"{first['variables_2']:,} |",
        f"| constraints, all regions (first solve / tie-break solve) | {first['constraints']:,} / "
        f"{first['constraints_2']:,} |",
        f"| prepare inputs (projection, frames), s | {med['prepare_s']:.2f} |",
        f"| build model in PuLP (both stages), s | {med['build_s']:.2f} |",
        f"| solve (HiGHS via PuLP, incl. passing the model; three solves), s | {med['solve_s']:.2f} |",
        f"| — first solve (simplex), s | {med['first_solve_s']:.2f} |",
        f"| — gap problem for persons, s | {med['persons_s']:.2f} |",
        f"| — tie-break (interior point, no crossover), s | {med['tiebreak_solve_s']:.2f} |",
        f"| build + solve, s | {med['build_s'] + med['solve_s']:.2f} |",
        f"| extract result frames, s | {med['extract_s']:.2f} |",
        f"| share of build in build + solve | {share:.0%} |",
        f"| peak memory (max RSS), MB | {med['peak_rss_mb']:.0f} |", "",
        "Per run: " + "; ".join(
            f"build {r['build_s']:.2f} s, solve {r['solve_s']:.2f} s, {r['peak_rss_mb']:.0f} MB"
            for r in runs), "",
    ]
    (HERE / "RESULTS_plan.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
