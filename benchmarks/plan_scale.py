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


def couple(inputs, stay: float = 0.8, central_share: float = 0.1, industry_share: float = 0.15):  # type: ignore[no-untyped-def]
    """The regional case of issue 12 on top of `make_inputs`: graduate mobility (`stay` of each
    region's graduates work where trained, the rest spread over the other regions by their
    share of total demand), a central budget (`central_share` of the regional budgets'
    total a year), per region a co-op copy of every applied-tier programme for students (30%
    paid by firms, each seat-year needs half a placement place; placements for half the
    school programme's current seat-years), the applied-tier programmes for skilled
    technicians as the enterprise channel (paid by firms alone), and industry budgets
    (`industry_share` of the region's budget)."""
    import dataclasses

    regions = sorted({p.region for p in inputs.programmes})
    dem = inputs.demand.groupby("region")["value"].sum()
    mobility = {}
    for r in regions:
        others = dem.drop(r)
        mobility[r, r] = stay
        for o, v in others.items():
            mobility[r, str(o)] = (1 - stay) * float(v) / float(others.sum())
    progs, places = [], {}
    for p in inputs.programmes:
        if p.tier == "applied" and p.audience == "skilled_technicians":
            progs.append(dataclasses.replace(p, channel="enterprise", industry_share=1.0))
            continue
        progs.append(p)
        if p.tier == "applied" and p.audience == "students":
            progs.append(dataclasses.replace(p, id=p.id + ".coop", channel="coop", industry_share=0.3,
                                             placement=0.5, existing_intake=0.0, duration=max(1.0, p.duration - 1)))
            for y in inputs.years:
                places[p.region, y] = places.get((p.region, y), 0.0) + 0.5 * p.existing_intake * p.duration
    by_year: dict[int, float] = {}
    for (_, y), b in inputs.budget.items():
        by_year[y] = by_year.get(y, 0.0) + b
    return dataclasses.replace(
        inputs, programmes=tuple(progs), mobility=mobility, placements=places,
        central_budget={y: central_share * b for y, b in by_year.items()},
        industry_budget={k: industry_share * b for k, b in inputs.budget.items()})


def one_run(n_regions: int, coupled: bool = False) -> dict[str, float]:
    """Plan once in this process with the default options (first solve, persons, tie-break);
    report times, size and peak memory. `coupled`: the regional case of issue 12 (`couple`)."""
    import curricula
    from curricula.tiebreak import band_width, define_tiebreak

    t0 = time.perf_counter()
    inputs = make_inputs(n_regions)
    if coupled:
        inputs = couple(inputs)
    prep = time.perf_counter() - t0
    t1 = time.perf_counter()
    r = curricula.plan(inputs, diagnose=False)
    total = time.perf_counter() - t1
    tm = r.timings
    build = sum(tm.get(k, 0.0) for k in ("build", "build_tiebreak", "regions_build", "regions_build_tiebreak"))
    second = sum(tm.get(k, 0.0) for k in ("solve_tiebreak", "regions_solve", "regions_solve_tiebreak"))
    if "tiebreak_by_region" in tm:  # two regions at a time (curricula.threads): their seconds overlap, so
        # the part's wall time is split between build and solve in proportion to the threads' seconds
        b = tm.get("regions_build", 0.0) + tm.get("regions_build_tiebreak", 0.0)
        s = tm.get("regions_solve_tiebreak", 0.0)
        wall = tm["tiebreak_by_region"]
        build += wall * b / (b + s) - b if b + s > 0 else 0.0
        second += wall * s / (b + s) - s if b + s > 0 else 0.0
    solve = tm["solve"] + tm.get("persons", 0.0) + second
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    m = curricula.build(inputs)  # once more, for the size of the first and second problems
    size1 = (len(m.prob.variables()), m.prob.numConstraints())
    size2 = (0, 0)
    if not coupled:  # the coupled group's tie-break is region by region (curricula.coupled)
        define_tiebreak(m, m.prob.objective, r.objective, band_width(r.objective, r.optimal_money, 0.01),
                        {k: 0.0 for k in m.intake})
        size2 = (len(m.prob.variables()), m.prob.numConstraints())
    money = r.cost[["cost", "industry", "central"]].sum()
    return {"status": r.status, "solver": r.solver, "prepare_s": prep, "build_s": build,
            "solve_s": solve, "first_solve_s": tm["solve"], "persons_s": tm.get("persons", 0.0),
            "first_alone_s": tm.get("solve_first", tm["solve"]), "gap_alone_s": tm.get("solve_gap", 0.0),
            "tiebreak_solve_s": second, "extract_s": total - build - solve,
            "peak_rss_mb": rss_kb / 1024, "variables": size1[0], "constraints": size1[1],
            "variables_2": size2[0], "constraints_2": size2[1],
            "programmes": len(inputs.programmes), "objective": r.objective,
            "modelled_years": len(r.horizon), "groups": len(curricula.regions.groups(inputs)),
            "industry_share": float(money["industry"] / money["cost"]),
            "central_share": float(money["central"] / money["cost"]),
            "moved_share": _moved(r), "load_1min": os.getloadavg()[0]}


def _moved(r) -> float:  # type: ignore[no-untyped-def]
    """Share of the plan's graduates entering work (reported years) who work outside the
    region they were trained in."""
    f = r.flows
    if f.empty:
        return 0.0
    return float(f.loc[f["from_region"] != f["to_region"], "graduates"].sum() / f["graduates"].sum())


#: Heading of the coupled section of RESULTS_plan.md (everything from it on is that section).
COUPLED_HEADING = "## Coupled regions: mobility, central budget, co-op and enterprise channels (issue 12)"


def _runs(regions: int, repeats: int, coupled: bool) -> list[dict[str, float]]:
    """`repeats` runs, each in a fresh process."""
    runs = []
    for k in range(repeats):
        cmd = [sys.executable, __file__, "--child", "--regions", str(regions)] + (["--coupled"] if coupled else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=HERE.parent)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"run {k + 1}: {runs[-1]}", file=sys.stderr)
    return runs


def _table(runs: list[dict[str, float]], coupled: bool) -> list[str]:
    """The figures table: medians of the runs."""
    med = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in
           ("prepare_s", "build_s", "solve_s", "first_solve_s", "persons_s", "tiebreak_solve_s",
            "extract_s", "peak_rss_mb", "first_alone_s", "gap_alone_s")}
    first = runs[0]
    share = med["build_s"] / (med["build_s"] + med["solve_s"])
    size2 = "region by region" if coupled else f"{first['variables_2']:,}"
    rows2 = "region by region" if coupled else f"{first['constraints_2']:,}"
    second = ("tie-break region by region, coupling fixed (interior point, no crossover)" if coupled
              else "tie-break (interior point, no crossover)")
    method = ("regions apart, then coupled, by the dual simplex up to 80,000 rows (`curricula.warm`); "
              "above, interior point" if coupled else "simplex")
    pair = [f"| — first solve ({method}), s | {med['first_solve_s']:.2f} |",
            f"| — gap problem for persons with its ranging, in its own thread from the start (overlaps the "
            f"first solve and the tie-break), s | {med['gap_alone_s']:.2f} |",
            f"| — waiting for the gap problem after the tie-break, s | {med['persons_s']:.2f} |"]
    serial = [f"| — first solve ({method}), s | {med['first_solve_s']:.2f} |",
              f"| — gap problem for persons, s | {med['persons_s']:.2f} |"]
    return [
        "| figure | value |", "|---|---:|",
        f"| status / solver | {first['status']} / {first['solver']} |",
        f"| programmes | {first['programmes']:,} |",
        f"| variables, all regions (first solve / tie-break solve) | {first['variables']:,} / {size2} |",
        f"| constraints, all regions (first solve / tie-break solve) | {first['constraints']:,} / {rows2} |",
        f"| prepare inputs (projection, frames), s | {med['prepare_s']:.2f} |",
        f"| build model in PuLP (both stages), s | {med['build_s']:.2f} |",
        f"| solve (HiGHS via PuLP, incl. passing the model), s | {med['solve_s']:.2f} |",
        *(pair if med["gap_alone_s"] > 0 else serial),
        f"| — {second}, s | {med['tiebreak_solve_s']:.2f} |",
        f"| build + solve, s | {med['build_s'] + med['solve_s']:.2f} |",
        f"| extract result frames, s | {med['extract_s']:.2f} |",
        f"| share of build in build + solve | {share:.0%} |",
        f"| peak memory (max RSS), MB | {med['peak_rss_mb']:.0f} |", "",
        "Per run: " + "; ".join(
            f"build {r['build_s']:.2f} s, solve {r['solve_s']:.2f} s, {r['peak_rss_mb']:.0f} MB" for r in runs), ""]


def _uncoupled_text(regions: int, repeats: int, runs: list[dict[str, float]]) -> list[str]:
    return [
        "# Planner scale benchmark (benchmarks/plan_scale.py)", "",
        f"National + {regions - 1} synthetic provinces × full taxonomy (3 tiers × 4 audiences "
        "× 6 role tracks = 72 programmes per region) × 10 plan years × 3 demand scenarios, "
        "`curricula.plan` with its default options: the horizon extended by twice the longest "
        f"programme duration ({runs[0]['modelled_years']} modelled years), ramp limits, the convex penalty, the "
        "first solve, the gap problem (persons) and the tie-break solve. Nothing couples the regions, "
        "so `plan` solves them one by one (32 problems of 1/32 the size; `curricula.regions`); the "
        "sizes below are those of all regions together.",
        f"Measured on {platform.machine()} with {os.cpu_count()} cores shared with other work, "
        f"Python {platform.python_version()}, run under `nice`; medians of {repeats} runs, "
        "each in a fresh process.", "", *_table(runs, False)]


def _scaling(sizes: list[int], repeats: int) -> list[str]:
    """A table of the coupled case at other sizes (medians of `repeats` fresh-process runs each)."""
    if not sizes:
        return []
    out = ["Other sizes of the coupled case (national + n − 1 provinces, everything else alike; "
           f"medians of {repeats} runs):", "",
           "| regions | first solve, s | gap problem in its thread, s | tie-break by region, s "
           "| build, s | build + solve, s | peak MB |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sizes:
        runs = _runs(n, repeats, True)
        med = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in
               ("first_solve_s", "gap_alone_s", "tiebreak_solve_s", "build_s", "solve_s", "peak_rss_mb")}
        out.append(f"| {n} | {med['first_solve_s']:.2f} | {med['gap_alone_s']:.2f} | {med['tiebreak_solve_s']:.2f} "
                   f"| {med['build_s']:.2f} | {med['build_s'] + med['solve_s']:.2f} | {med['peak_rss_mb']:.0f} |")
    return [*out, ""]


def _coupled_text(regions: int, repeats: int, runs: list[dict[str, float]]) -> list[str]:
    f = runs[0]
    return [
        COUPLED_HEADING, "",
        f"`plan_scale.py --coupled`: the {regions}-region case above plus (`couple`) graduate mobility "
        "(80% of each region's graduates work where trained, the other 20% spread over every other region "
        "by its share of total demand), a central budget (10% of the regional budgets' total a year), a "
        "co-op copy of every applied-tier programme for students (30% paid by firms, half a placement "
        "place per seat-year, placements for half the school programme's current seat-years), the "
        "applied-tier programmes for skilled technicians as the enterprise channel (paid by firms "
        "alone), and industry budgets (15% of each region's budget). Everything is coupled: "
        f"{f['groups']} group(s). `curricula.plan` with its default options: the first solve as one LP "
        "(up to 80,000 rows the regions first solved apart, then the coupling put back and the dual simplex "
        "continued, `curricula.warm`; above, the interior point), the gap problem as one LP in a thread of "
        "its own (interior point with crossover, "
        "`curricula.solve.LARGE`, and its ranging; `curricula.twin`), the tie-break region by region with the "
        "central money and the graduates sent fixed at the optimum (`curricula.coupled`) while the gap "
        "problem runs, two regions at a time (`curricula.threads`). Build = the joint model and every region's "
        "model (both stages); solve = the joint first solve, every region's tie-break and the wait for the gap "
        "problem after them; the regions' part is timed as a whole and split between build and solve in "
        "proportion to the seconds its threads spent on each. "
        f"Medians of {repeats} runs, each in a fresh process, same machine and conditions.", "",
        *_table(runs, True),
        f"In the plan: firms pay {f['industry_share']:.1%} of the money, central money is "
        f"{f['central_share']:.1%}, and {f['moved_share']:.1%} of the plan's graduates work outside the "
        "region they were trained in.", "",
        *_verdict(runs), ""]


def _verdict(runs: list[dict[str, float]]) -> list[str]:
    """The issue's limits against the medians, and where the time goes."""
    build = statistics.median(r["build_s"] for r in runs)
    solve = statistics.median(r["solve_s"] for r in runs)
    gap = statistics.median(r.get("gap_alone_s", 0.0) for r in runs)
    load = [r["load_1min"] for r in runs if "load_1min" in r]
    met = "met" if build + solve <= 30 else "NOT met"
    return [
        f"Target of issue 12 (build + solve ≤ 30 s): {met} ({build + solve:.1f} s); build ≤ solve: "
        f"{'met' if build <= solve else 'NOT met'}. "
        + (f"1-minute load average at the end of the runs: {', '.join(f'{x:.2f}' for x in load)} "
           "(2 cores, shared with other work). " if load else "")
        + f"Build + solve is the wall time of the calling thread: the joint build, the first solve, every "
        f"region's build and tie-break, then the wait for the gap problem, which ran in its own thread "
        f"from the start ({gap:.1f} s with its ranging; `curricula.twin`). With a free second core the plan "
        "takes about as long as the longer of the two threads; when the other core is busy, about as long "
        "as both."]


def main() -> None:
    """Run the repetitions in subprocesses, write the medians to RESULTS_plan.md (the
    uncoupled section, or with --coupled the coupled one; the other section is kept)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--regions", type=int, default=32)
    ap.add_argument("--coupled", action="store_true")
    ap.add_argument("--also", default="", help="with --coupled: other region counts, e.g. 8,16")
    ap.add_argument("--child", action="store_true")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(one_run(a.regions, a.coupled)))
        return
    runs = _runs(a.regions, a.repeats, a.coupled)
    path = HERE / "RESULTS_plan.md"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    top, sep, rest = old.partition(COUPLED_HEADING)
    if a.coupled:
        also = [int(n) for n in a.also.split(",") if n]
        text = top.rstrip("\n") + "\n\n" + "\n".join(
            _coupled_text(a.regions, a.repeats, runs) + _scaling(also, a.repeats))
    else:
        text = "\n".join(_uncoupled_text(a.regions, a.repeats, runs)) + ("\n" + sep + rest if sep else "")
    path.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
