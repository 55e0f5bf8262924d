"""A solved plan as tables and key figures: what `talent plan`, `talent run` and the report show.

Money and persons stay apart: the regions table has the money by payer (public budget of the
region, central budget, firms) beside the persons (intake, gap before and after).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from talent import engines
from talent.plan_keys import planning_keys
from talent.planning_regions import REGION_SEP

if TYPE_CHECKING:
    from talent.config import PlanningConfig

#: Money columns of the engine's cost frame, by payer (absent from plans of older engines: 0).
PAYERS = ("public", "central", "industry")


@dataclass(frozen=True)
class PlanOutcome:
    """A solved plan with the inputs and the file it came from."""

    config: PlanningConfig
    inputs: engines.PlanInputs
    result: engines.PlanResult


def region_table(outcome: PlanOutcome) -> pd.DataFrame:
    """One row per planned region: additional intake over the plan years, money by payer (total,
    public budget of the region, central budget, firms), and the expected professional gap in the
    target year before and after the plan (persons), with its share of the regions' total gap."""
    r = outcome.result
    year = r.target_year or outcome.inputs.years[-1]
    cost = r.cost.copy()
    for payer in PAYERS:
        if payer not in cost:
            cost[payer] = cost["cost"] if payer == "public" else 0.0
    money = cost.groupby("region")[["cost", *PAYERS]].sum()
    money["public"] = money["public"] - money["central"]  # the region's own budget
    intake = r.intake.groupby("region")["intake"].sum().rename("intake")
    gap = r.expected_gap()
    gap = gap[(gap["year"] == year) & gap["level"].isin(r.professional_levels or gap["level"].unique())]
    gap = gap.groupby("region")[["gap_before", "gap_after"]].sum()
    out = pd.concat([intake, money, gap], axis=1).fillna(0.0).rename(columns={"public": "regional"})
    total = out["gap_before"].clip(lower=0).sum()
    out["gap_share"] = out["gap_before"].clip(lower=0) / total if total > 0 else 0.0
    out.insert(len(out.columns) - 3, "year", year)
    return out.reset_index(names="region").sort_values(["gap_share", "region"], ascending=[False, True],
                                                        ignore_index=True)


def flow_table(outcome: PlanOutcome) -> pd.DataFrame:
    """The plan's professional graduates by where they trained and where they work, summed over the plan
    years: from_region, to_region, graduates (those who stay included), largest first; empty for a plan of
    one region."""
    flows = outcome.result.flows
    if flows.empty or flows["from_region"].nunique() < 2:
        return pd.DataFrame(columns=["from_region", "to_region", "graduates"])
    out = flows.groupby(["from_region", "to_region"], as_index=False)["graduates"].sum()
    return out[out["graduates"] > 0].sort_values(["graduates", "from_region", "to_region"],
                                                 ascending=[False, True, True], ignore_index=True)


def moved(flows: pd.DataFrame) -> pd.DataFrame:
    """The rows of a flow table whose graduates work outside the region where they trained."""
    return flows[flows["from_region"] != flows["to_region"]]


def unmatched_table(outcome: PlanOutcome) -> pd.DataFrame:
    """Programmes with graduates for a role and level that no planned region has data for: they are
    planned for the rest and listed here (region, programme, role, level)."""
    rows = [{"region": pid.partition(REGION_SEP)[0] if REGION_SEP in pid else outcome.inputs.programmes[0].region,
             "programme": pid.rpartition(REGION_SEP)[2], "role": role, "level": level}
            for pid, role, level in outcome.result.unmatched_yields]
    return pd.DataFrame(rows, columns=["region", "programme", "role", "level"]).drop_duplicates(ignore_index=True)


def plan_table(outcome: PlanOutcome) -> pd.DataFrame:
    """Per programme and year: intake, graduates, seat-years and the share of the seat cost firms pay."""
    r = outcome.result
    on = [c for c in r.intake.columns if c in r.graduates.columns]
    plan = r.intake.merge(r.graduates, on=on).merge(r.enrolment[["programme", "year", "seat_years"]],
                                                    on=["programme", "year"])
    plan["industry_share"] = plan["programme"].map({p.id: p.industry_share for p in outcome.inputs.programmes})
    return plan


def plan_tables(outcome: PlanOutcome) -> dict[str, pd.DataFrame]:
    """The result as named long tables (for XLSX sheets or separate files); tables that would be empty
    (ranges and limits of a plan solved without them, flows of a plan where everyone stays, unmatched
    yields) are left out."""
    r = outcome.result
    optional = {"ranges": r.ranges, "limits": r.limits, "flows": flow_table(outcome),
                "unmatched": unmatched_table(outcome)}
    regions = {"regions": region_table(outcome)} if r.intake["region"].nunique() > 1 else {}
    return {"plan": plan_table(outcome), "gap": r.gap, "cost": r.cost, "faculty": r.faculty,
            "duals": r.duals_by_field(), **regions, **{k: v for k, v in optional.items() if len(v)}}


def headline(outcome: PlanOutcome, year: int | None = None) -> dict[str, float | str]:
    """Key figures of one plan: status, objective, total cost, expected gap before/after."""
    r = outcome.result
    y = year or outcome.inputs.years[-1]
    out: dict[str, float | str] = {"status": r.status, "objective": r.objective,
                                   "total_cost": float(r.cost["cost"].sum())}
    if r.optimal:
        g = r.expected_gap()
        g = g[g["year"] == y]
        out.update({f"gap_{y}_before": float(g["gap_before"].sum()),
                    f"gap_{y}_after": float(g["gap_after"].sum())})
        for tier, n in r.intake.groupby("tier")["intake"].sum().items():
            out[f"intake_{tier}"] = float(n)
        out["binding_constraints"] = float(len(r.binding()))
    return out


def funding_figures(cost: pd.DataFrame, plan: pd.DataFrame) -> dict[str, float]:
    """Money of a plan by payer over its years (`cost` total; `industry` firms; `central` the central
    budget; `regional` the regions' own budgets) and its new seats (`seats` all additional entrants,
    `cofunded` those of programmes firms pay a share of), from its cost and plan tables."""
    total = float(cost["cost"].sum())
    industry = float(cost["industry"].sum()) if "industry" in cost else 0.0
    central = float(cost["central"].sum()) if "central" in cost else 0.0
    if "industry_share" in plan:
        shared = plan["industry_share"] > 0
    else:  # a folder written before the plan table had the column: the channels firms co-fund
        shared = plan.get("channel", pd.Series("school", index=plan.index)) != "school"
    seats = plan["intake"].where(plan["intake"] >= 0.5, 0.0)  # under half a person a year: solver noise, no seat
    return {"cost": total, "industry": industry, "central": central, "regional": total - industry - central,
            "seats": float(seats.sum()), "cofunded": float(seats[shared].sum())}


def no_plan_message(o: PlanOutcome) -> str:
    """'FILE: no feasible plan (infeasible). <the diagnosis in words>' for a plan that is not optimal."""
    text = o.result.diagnosis.text if o.result.diagnosis is not None else ""
    keys = planning_keys(o.result.diagnosis, o.config.raw)  # the diagnosis in the file's terms: key and value
    fix = f"\nFix: in {o.config.path}, change one of: {'; '.join(keys)}" if keys else ""
    return f"{o.config.path}: no feasible plan ({o.result.status}). {text}".strip() + fix
