"""`talent plan`: size training capacity with the LP planner and explain the answer.

Thin: parse options → `talent.planning.plan_from_files` (or `compare_plans`) → print a
readable summary and optionally write the tables.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape

from talent.cli.options import BudgetScale
from talent.cli.render import console, print_frame
from talent.config import parse_scenarios
from talent.errors import ConfigError
from talent.io.write import write_table
from talent.io.xlsx import write_workbook
from talent.planning import PlanOutcome, compare_plans, plan_from_files, plan_tables
from talent.present.numbers import number_text


class Solver(StrEnum):
    """LP solvers: HiGHS (default) or CBC."""

    highs = "highs"
    cbc = "cbc"


def _opening(o: PlanOutcome, top: int = 12) -> pd.DataFrame:
    """What to open where and when: the largest programmes, intake by year."""
    r = o.result
    t = r.intake[r.intake["intake"] > 0.5]
    if t.empty:
        return pd.DataFrame()
    wide = t.pivot_table(index=["region", "programme"], columns="year", values="intake",
                         aggfunc="sum", fill_value=0.0)
    wide["total"] = wide.sum(axis=1)
    wide = wide.sort_values("total", ascending=False).head(top)
    wide.columns = [str(c) for c in wide.columns]
    return wide.round(0).reset_index()


def _gap(o: PlanOutcome) -> pd.DataFrame:
    g = o.result.expected_gap()
    last = o.inputs.years[-1]
    g = g[g["year"] == last].groupby("level", as_index=False)[["gap_before", "gap_after"]].sum()
    total = pd.DataFrame([{"level": "all", "gap_before": g["gap_before"].sum(),
                           "gap_after": g["gap_after"].sum()}])
    g = pd.concat([g, total], ignore_index=True)
    g["reduction"] = g["gap_before"] - g["gap_after"]
    return g


def summary(o: PlanOutcome) -> None:
    """Print the plan: status, what to open, cost, residual gap, binding constraints."""
    r, i = o.result, o.inputs
    money = r.money_unit
    console.print(f"[bold]Training plan[/bold] {i.years[0]}–{i.years[-1]} from {escape(str(o.config.path))}: "
                  f"{r.status} ({r.solver}); objective {number_text(r.objective)} {money} "
                  "(discounted cost + weighted shortage)")
    print_frame(_opening(o), title="What to open where and when (additional entrants a year)")
    cost = r.cost.assign(share=r.cost["cost"] / r.cost["budget"])
    print_frame(cost, title=f"Cost per year ({money}; budget for additional seats)")
    console.print(f"Total cost {number_text(float(r.cost['cost'].sum()))} {money}.")
    print_frame(_gap(o), title=f"Residual gap in {i.years[-1]} (persons, probability-weighted)")
    b = r.binding().head(12)
    if b.empty:
        console.print("No hard constraint is binding: more budget or faculty would not help.")
    else:
        print_frame(b[["description", "value", "unit"]].rename(
            columns={"value": "relaxing one unit saves"}),
            title="Binding constraints and what relaxing each would buy")


def plan(
    planning: Annotated[Path | None, typer.Argument(
        help="Planning TOML; default: the embedded planning file.")] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Series file (CSV/XLSX/JSON); default: the embedded data.")] = None,
    budget: BudgetScale = 1.0,
    until: Annotated[int | None, typer.Option("--until", help="Last plan year.")] = None,
    scenarios: Annotated[str | None, typer.Option(
        "--scenarios", help="Demand quantiles and probabilities, e.g. q10:0.3,q50:0.4,q90:0.3."
    )] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the plan: .csv/.json/.md (intake plan) or .xlsx (all tables).")] = None,
    compare: Annotated[tuple[Path, Path] | None, typer.Option(
        "--compare", help="Compare two planning files side by side: --compare A.toml B.toml."
    )] = None,
    solver: Annotated[Solver, typer.Option("--solver", help="LP solver.")] = Solver.highs,
) -> None:
    """Plan training seats by tier, audience and role to close the gap at least cost.

    Examples: talent plan · talent plan my_plan.toml --budget 1.2 --out plan.xlsx ·
    talent plan --compare a.toml b.toml
    """
    sc = parse_scenarios(scenarios) if scenarios else None
    if compare:
        table = compare_plans(compare[0], compare[1], data, until=until, budget_scale=budget, scenarios=sc)
        print_frame(table, title="Two plans side by side", max_rows=100)
        if out:
            write_table(table, out, meta={"compare": f"{compare[0]} vs {compare[1]}"},
                        inputs=[*compare, *([data] if data else [])])
        return
    o = plan_from_files(planning, data, until=until, budget_scale=budget, scenarios=sc, solver=solver.value)
    if not o.result.optimal:
        text = o.result.diagnosis.text if o.result.diagnosis else ""
        raise ConfigError(f"{o.config.path}: no feasible plan ({o.result.status}). {text}")
    summary(o)
    if out:
        _write_plan(o, out, budget, [o.config.path, *([data] if data else [])])
        console.print(f"Wrote {out}", markup=False)


def _write_plan(o: PlanOutcome, out: Path, budget: float, inputs: list[Path]) -> None:
    meta = {"planning": str(o.config.path), "budget_scale": budget, "until": o.inputs.years[-1],
            "scenarios": {s.name: s.probability for s in o.inputs.scenarios},
            "solver": o.result.solver, "objective": o.result.objective}
    tables = plan_tables(o)
    if out.suffix.lower() == ".xlsx":
        provenance = pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})
        write_workbook(out, {**tables, "provenance": provenance}, inputs=inputs)
    else:
        write_table(tables["plan"], out, meta=meta, inputs=inputs)
