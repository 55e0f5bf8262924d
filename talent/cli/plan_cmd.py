"""`talent plan`: size training capacity with the LP planner and explain the answer.

Thin: parse options → `talent.planning.plan_from_files` (or `compare_plans`) → print a
readable summary and optionally write the tables.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, cast

import pandas as pd
import typer

from talent.cli.options import (
    BudgetScale,
    Limits,
    PlanUntil,
    check_out_name,
    check_outside_run_folders,
    check_plain_name,
)
from talent.cli.render import Lang, console, print_frame, say
from talent.config import parse_scenarios
from talent.errors import ConfigError
from talent.io.files import check_output
from talent.io.regions import load_regions
from talent.io.write import write_table
from talent.io.xlsx import write_workbook
from talent.planning import compare_plans, plan_from_files
from talent.planning_checks import check_until, coverage_file_named
from talent.planning_results import PlanOutcome, no_plan_message, plan_tables
from talent.present.labels import header, programme_label
from talent.present.ranges import ranges_frame, ranges_sentence
from talent.present.regional import plan_lines
from talent.present.words import (
    binding_sentences,
    limits_sentences,
    plan_sentence,
    status_word,
    word,
)
from talent.taxonomy import Lang as LangCode
from talent.taxonomy import load_taxonomy


class Solver(StrEnum):
    """LP solvers: HiGHS (default) or CBC."""

    highs = "highs"
    cbc = "cbc"


def _opening(o: PlanOutcome, lang: LangCode, top: int = 12) -> pd.DataFrame:
    """What to open where and when: the largest programmes (named by tier, audience and role), intake by year."""
    r = o.result
    t = r.intake[r.intake["intake"] > 0.5]
    if t.empty:
        return pd.DataFrame()
    wide = t.pivot_table(index="programme", columns="year", values="intake", aggfunc="sum", fill_value=0.0)
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total", ascending=False).head(top)
    wide.columns = [str(c) for c in wide.columns]
    ids = [str(p) for p in wide.index]
    wide.index = [programme_label(p.rpartition(":")[2], load_taxonomy(), lang) for p in ids]
    out = wide.round(0).reset_index(names=word("programme", lang))
    if any(":" in p for p in ids):  # a plan of several regions: the region in a column of its own
        regions = load_regions()
        out.insert(0, header("region", lang), [regions.name(p.partition(":")[0], lang) for p in ids])
    return out


OUT_FORMATS = (".csv", ".xlsx", ".json", ".md")


def summary(o: PlanOutcome, lang: LangCode = "en") -> None:
    """Print the plan: cost (money) and the target year's gap (persons) apart, what to open, how much
    freedom there is, what keeps the gap open and what relaxing each limit would buy in persons."""
    r, i, tax = o.result, o.inputs, load_taxonomy()
    say(word("plan_head", lang, first=i.years[0], last=i.years[-1], path=o.config.path,
             status=status_word(r.status, lang), solver=r.solver))
    say(plan_sentence(r.cost, r.expected_gap(), lang))
    for line in plan_lines(o, lang)[1:]:  # who pays; where a plan of several regions trains
        say(line)
    print_frame(_opening(o, lang), title=word("opening", lang))
    ranges = ranges_frame(r.ranges, tax, lang)
    if len(ranges):
        say(ranges_sentence(i.range_tolerance, lang, r.ranges))
        print_frame(ranges, title=word("ranges_title", lang))
    for line in [*limits_sentences(r.limits, i.target, lang),
                 *binding_sentences(r.duals_by_field(), tax, lang, i.target)]:
        say(f"- {line}")


def plan(
    planning: Annotated[Path | None, typer.Argument(
        help="Planning TOML; default: the embedded planning file.")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Series file (CSV/XLSX/JSON); default: the embedded data.")] = None,
    budget: BudgetScale = 1.0,
    until: PlanUntil = None,
    scenarios: Annotated[str | None, typer.Option(
        "--scenarios", help="Demand quantiles and probabilities, e.g. q10:0.3,q50:0.4,q90:0.3."
    )] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the plan: .csv/.json/.md (intake plan) or .xlsx (all tables).")] = None,
    compare: Annotated[tuple[Path, Path] | None, typer.Option(
        "--compare", help="Compare two planning files side by side: --compare A.toml B.toml."
    )] = None,
    solver: Annotated[Solver, typer.Option("--solver", help="LP solver.", case_sensitive=False)] = Solver.highs,
    lang: Annotated[Lang, typer.Option(help="Language of the summary.", case_sensitive=False)] = Lang.en,
    region: Annotated[str | None, typer.Option(
        help="Plan this region of the data (e.g. CN-HA) instead of the planning file's [plan] region.")] = None,
    limits: Limits = False,
) -> None:
    """Plan training seats by tier, audience and role to close the gap at least cost.

    Examples: talent plan · talent plan my_plan.toml --budget 1.2 --out plan.xlsx ·
    talent plan --compare a.toml b.toml · talent plan --data cn_regional_example.csv --region CN-HA
    """
    files = [*(compare or (planning,))]  # the coverage data they name is an input too
    _check_out(out, [p for p in (*files, data) if p is not None] + [c for f in files for c in coverage_file_named(f)])
    sc = parse_scenarios(scenarios) if scenarios is not None else None
    if region is not None and not region.strip():
        raise typer.BadParameter("'': give a region code of the data, e.g. CN-HA", param_hint="--region")
    if compare and planning is not None:  # the planning file was ignored
        raise typer.BadParameter(f"{planning} and --compare: give one planning file, or two with --compare A B, "
                                 "not both", param_hint="--compare")
    for path in compare or (planning,):  # a plan of more than 30 years, before anything is solved
        check_until(path, until)
    if compare:
        table = compare_plans(compare[0], compare[1], data, until=until, budget_scale=budget, scenarios=sc,
                              region=region.strip().upper() if region else None, solver=solver.value)
        print_frame(table, title="Two plans side by side", max_rows=100)
        if out:
            write_table(table, out, meta={"compare": f"{compare[0]} vs {compare[1]}"},
                        inputs=[*compare, *([data] if data else [])])
        return
    o = plan_from_files(planning, data, until=until, budget_scale=budget, scenarios=sc, solver=solver.value,
                        region=region.strip().upper() if region else None, limits=limits or None)
    if not o.result.optimal:
        raise ConfigError(no_plan_message(o))
    summary(o, cast(LangCode, lang.value))
    if out:
        _write_plan(o, out, budget, [o.config.path, *([data] if data else [])])
        console.print(f"Wrote {out}", markup=False)


def _check_out(out: Path | None, inputs: list[Path]) -> None:
    """Before the solve: --out has a known format, is not an input and its folder can be written."""
    if out is None:
        return
    check_plain_name(out)
    check_out_name(out, OUT_FORMATS, "plan.xlsx")  # a usage error (2), as forecast's and history's --out
    check_output(out, inputs)
    check_outside_run_folders(out)


def _write_plan(o: PlanOutcome, out: Path, budget: float, inputs: list[Path]) -> None:
    meta = {"planning": str(o.config.path), "budget_scale": budget, "until": o.inputs.years[-1],
            "scenarios": {s.name: s.probability for s in o.inputs.scenarios},
            "solver": o.result.solver, "cost": float(o.result.cost["cost"].sum()), "money_unit": o.result.money_unit}
    tables = plan_tables(o)
    if out.suffix.lower() == ".xlsx":
        provenance = pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})
        write_workbook(out, {**tables, "provenance": provenance}, inputs=inputs)
    else:
        write_table(tables["plan"], out, meta=meta, inputs=inputs)
