"""Planning files → planner inputs, and the library twins of `talent plan`.

Builds the demand scenarios from projected quantiles and the baseline supply
from the projected mean, adds the programmes, budgets and limits of the
planning file, and solves with the `curricula` engine (through
`talent.engines`). Every problem a user can cause becomes a `ConfigError`
naming the file and the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from talent import engines
from talent.config import PlanningConfig, load_planning, scenario_quantile
from talent.errors import ConfigError
from talent.gaps.coverage import coverage_table
from talent.gaps.simulate import project as project_paths
from talent.gaps.tables import GapTables
from talent.io.coverage import load_coverage
from talent.io.manifest import file_sha256
from talent.io.series import load_series
from talent.paths import assets_dir
from talent.taxonomy import Taxonomy, load_taxonomy

ProjectFn = Callable[..., pd.DataFrame]
PROGRAMME_FIELDS = ("duration", "completion", "cost", "students_per_faculty", "growth",
                    "opening", "existing_intake", "yield")


@dataclass(frozen=True)
class PlanOutcome:
    """A solved plan with the inputs and the file it came from."""

    config: PlanningConfig
    inputs: engines.PlanInputs
    result: engines.PlanResult


def _yields(tier: Mapping[str, Any], y: float, track: str, level: str, roles: list[str],
            mix: Mapping[str, float]) -> dict[tuple[str, str], float]:
    """Where a programme's graduates go: (role, level) -> share.

    A coverage tier (`serves = "coverage"`, literacy) adds no professionals,
    except the share `applied_conversion` (default 0) who go on to applied work,
    split across roles by the track mix.
    """
    if tier.get("serves") == "coverage":
        conversion = float(tier.get("applied_conversion", 0.0))
        return {(r, "applied"): conversion * mix.get(r, 0.0) for r in roles} if conversion > 0 else {}
    if track in roles:
        return {(track, level): y}
    return {(r, level): y * mix.get(r, 0.0) for r in roles}


def _programmes(cfg: PlanningConfig, tax: Taxonomy, region: str) -> list[engines.Programme]:
    where = str(cfg.path)
    roles = tax.ids("roles")
    mix = {str(k): float(v) for k, v in cfg.raw.get("track_mix", {}).items()}
    overrides = cfg.raw.get("programme", {})
    general = str(cfg.plan.get("track_for_general", "general"))
    out: list[engines.Programme] = []
    for tier, t in cfg.raw["tiers"].items():
        if tier not in tax.ids("tiers"):
            raise ConfigError(f"{where}, [tiers.{tier}]: unknown tier — use one of "
                              f"{tax.ids('tiers')}")
        tracks = roles if t.get("tracks") == "roles" else list(t.get("tracks", [general]))
        level = str(t.get("level", tier))
        for aud, a in t.get("audience", {}).items():
            if aud not in tax.ids("audiences"):
                raise ConfigError(f"{where}, [tiers.{tier}.audience.{aud}]: unknown audience — "
                                  f"use one of {tax.ids('audiences')}")
            for track in tracks:
                pid = f"{tier}.{aud}.{track}"
                f = {k: t[k] for k in PROGRAMME_FIELDS if k in t}
                f.update({k: a[k] for k in PROGRAMME_FIELDS if k in a})
                share = mix.get(track, 1.0) if track in roles else 1.0
                f["existing_intake"] = float(f.get("existing_intake", 0.0)) * share
                f.update(overrides.get(pid, {}))
                missing = [k for k in ("duration", "completion", "cost", "students_per_faculty")
                           if k not in f]
                if missing:
                    raise ConfigError(f"{where}, programme '{pid}': missing fields {missing}")
                yields = _yields(t, f.pop("yield", 1.0), track, level, roles, mix)
                enrolled = {int(k): v for k, v in f.pop("enrolled", {}).items()}
                try:
                    out.append(engines.Programme(
                        id=pid, tier=tier, audience=aud, track=track, region=region,
                        yields=yields, enrolled=enrolled, **f))
                except TypeError as exc:
                    raise ConfigError(f"{where}, programme '{pid}': {exc}") from exc
    unknown = set(overrides) - {p.id for p in out}
    if unknown:
        raise ConfigError(f"{where}: [programme] overrides for unknown programmes {sorted(unknown)}")
    return out


def _scenario_frames(cfg: PlanningConfig, series: pd.DataFrame, region: str, years: range,
                     scenarios: Mapping[str, float], project: ProjectFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Demand per scenario (a projected quantile) and baseline supply (the projected mean), per cell and year."""
    where = str(cfg.path)
    qs = {name: scenario_quantile(name, where) for name in scenarios}
    mine = series[series["region"] == region]
    if mine.empty:
        regions = ", ".join(sorted(set(series["region"])))
        raise ConfigError(f"{where}, [plan] region = {region!r}: the data has no series for this region; "
                          f"set region to one of {regions}")
    proj = project(mine, until=years[-1], quantiles=tuple(sorted(set(qs.values()))))
    proj = proj[proj["year"].between(years[0], years[-1])]
    if proj.empty or sorted(set(proj["year"])) != list(years):
        raise ConfigError(f"{where}, [plan]: the series for region {region!r} give no projection "
                          f"for every year {years[0]}–{years[-1]}; the plan must start after the last "
                          "observed year")
    keys = ["region", "role", "level", "year"]
    dem = proj[proj["kind"] == "demand"]
    demand = pd.concat([dem[keys].assign(scenario=name, value=dem[engines.qname(q)].to_numpy())
                        for name, q in qs.items()], ignore_index=True)
    sup = proj[proj["kind"] == "supply"]
    return demand, sup[keys].assign(value=sup["mean"].to_numpy())


def _budget(cfg: PlanningConfig, region: str, years: range, scale: float) -> dict[tuple[str, int], float]:
    """Budget per (region, year): explicit [budget.years] entries, else base × (1 + growth)^i; × --budget."""
    budget_cfg = cfg.raw.get("budget", {})
    if not budget_cfg:
        return {}
    years_cfg = budget_cfg.get("years", {})
    base, growth = float(budget_cfg.get("base", 0.0)), float(budget_cfg.get("growth", 0.0))
    return {(region, y): float(years_cfg.get(str(y), base * (1 + growth) ** i)) * scale
            for i, y in enumerate(years)}


def coverage_data_path(cfg: PlanningConfig) -> Path | None:
    """The coverage data file a planning file names (`[coverage] data`), beside it or embedded; None if none."""
    name = cfg.raw.get("coverage", {}).get("data")
    if name is None:
        return None
    beside = cfg.path.parent / str(name)
    return beside if beside.exists() else assets_dir() / str(name)


def planning_coverage(cfg: PlanningConfig, taxonomy: Taxonomy | None = None) -> pd.DataFrame | None:
    """The literacy coverage table (without the plan) of a planning file's `[coverage]`: its data file
    (beside the planning file, else the embedded one of that name) against its targets; None without one."""
    path = coverage_data_path(cfg)
    if path is None:
        return None
    section = cfg.raw["coverage"]
    targets = {str(aud): {int(y): float(v) for y, v in t.items()} for aud, t in section.get("target", {}).items()}
    return coverage_table(load_coverage(path, taxonomy), targets)


def with_coverage(tables: GapTables, cfg: PlanningConfig) -> GapTables:
    """`tables` with the planning file's literacy coverage table for their regions (if it has one), its
    planning and coverage data files hashed into the manifest's inputs."""
    table = planning_coverage(cfg)
    if table is None:
        return tables
    table = table[table["region"].isin(set(tables.stock["region"]))].reset_index(drop=True)
    if table.empty:
        return tables
    files = [cfg.path, coverage_data_path(cfg)]
    inputs = tables.manifest.get("inputs", {}) | {str(p): file_sha256(p) for p in files if p is not None}
    return replace(tables, coverage=table, manifest=tables.manifest | {"inputs": inputs})


def _limits(cfg: PlanningConfig, region: str, years: range) -> tuple[
        tuple[engines.FacultyPool, ...], tuple[engines.CoverageTarget, ...], tuple[engines.MinShare, ...]]:
    """Faculty pools per tier, literacy coverage targets, minimum shares: the plan's hard limits."""
    faculty = tuple(
        engines.FacultyPool(region=region, tier=tier, initial=float(t.get("faculty", 0.0)),
                            growth=float(t.get("faculty_growth", 0.0)),
                            from_expert_share=float(t.get("faculty_from_expert_share", 0.0)),
                            lag=int(t.get("faculty_lag", 1)))
        for tier, t in cfg.raw["tiers"].items() if "faculty" in t)
    table = planning_coverage(cfg)
    rows = table[(table["region"] == region) & table["year"].between(years[0], years[-1])
                 & table["target"].notna()] if table is not None else pd.DataFrame(columns=["year"])
    coverage = tuple(engines.CoverageTarget(region, str(a), int(y), float(n)) for a, y, n in
                     zip(rows["audience"], rows["year"], rows["shortfall"], strict=True))
    shares = tuple(engines.MinShare(name=str(m.get("name", f"min_share_{i + 1}")), share=float(m.get("share", 0.0)),
                                    of=dict(m.get("of", {})), within=dict(m.get("within", {})))
                   for i, m in enumerate(cfg.raw.get("min_share", [])))
    return faculty, coverage, shares


#: Planner options a planning file may set in [plan] (curricula.PlanInputs fields; docs/planner.md).
PLAN_OPTIONS = {"horizon_extension": int, "extend_method": str, "ramp_down": float, "shortage_grouping": str,
                "cvar_weight": float, "cvar_alpha": float, "tiebreak_tolerance": float, "range_tolerance": float,
                "budget_carry_forward": float, "coverage_penalty": float, "target_year": int}


def _options(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The planner options the [plan] table sets; the rest keep the planner's documented defaults."""
    out: dict[str, Any] = {k: kind(plan[k]) for k, kind in PLAN_OPTIONS.items() if k in plan}
    if "shortage_segments" in plan:
        out["shortage_segments"] = tuple((float(a), float(b)) for a, b in plan["shortage_segments"])
    return out


def _pools(cfg: PlanningConfig, region: str) -> tuple[engines.CandidatePool, ...]:
    """[pools.<audience>]: persons who can start training a year (a number, or year -> persons), the
    opportunity cost per seat-year of taking them out of work, and the tiers that draw on the pool."""
    return tuple(engines.CandidatePool(
        region=region, audience=str(aud), opportunity_cost=float(p.get("opportunity_cost", 0.0)),
        persons=({int(y): float(v) for y, v in p["persons"].items()} if isinstance(p["persons"], Mapping)
                 else float(p["persons"])),
        tiers=tuple(p.get("tiers", ()))) for aud, p in cfg.raw.get("pools", {}).items())


def build_inputs(cfg: PlanningConfig, series: pd.DataFrame, *, until: int | None = None,
                 budget_scale: float = 1.0, scenarios: Mapping[str, float] | None = None,
                 project: ProjectFn | None = None, taxonomy: Taxonomy | None = None,
                 region: str | None = None) -> engines.PlanInputs:
    """Turn a planning file plus series data into the planner's inputs (for `region`, default the file's
    [plan] region)."""
    where = str(cfg.path)
    tax = taxonomy or load_taxonomy()
    plan = cfg.plan
    region = region or str(plan.get("region", "CN"))
    try:
        start, end = int(plan.get("start", 2025)), int(until or plan.get("until", 2030))
        if end < start:
            raise ConfigError(f"{where}, [plan] until {end}: must not be before start {start}")
        if not budget_scale >= 0:
            raise ConfigError(f"--budget {budget_scale}: must be a number ≥ 0")
        years = range(start, end + 1)
        sc = dict(scenarios) if scenarios else {str(k): v for k, v in cfg.raw["scenarios"].items()}
        demand, base = _scenario_frames(cfg, series, region, years, sc, project or project_paths)
        weights = cfg.raw.get("weights", {})
        faculty, coverage, shares = _limits(cfg, region, years)
        return engines.PlanInputs(
            years=tuple(years), programmes=tuple(_programmes(cfg, tax, region)),
            scenarios=tuple(engines.Scenario(k, float(v)) for k, v in sc.items()),
            demand=demand, base_supply=base,
            attrition={(r, lvl): tax.attrition(lvl) for r in tax.ids("roles") for lvl in tax.ids("levels")},
            role_weight=dict(weights.get("role", {})), level_weight=dict(weights.get("level", {})),
            shortage_penalty=float(plan.get("shortage_penalty", 1.0)),
            surplus_penalty=float(plan.get("surplus_penalty", 0.0)),
            terminal_weight=float(plan.get("terminal_weight", 0.0)),
            discount_rate=float(plan.get("discount_rate", 0.0)),
            budget=_budget(cfg, region, years, budget_scale), faculty=faculty, coverage=coverage, min_shares=shares,
            money_unit=str(plan.get("money_unit", "million CNY")),
            pools=_pools(cfg, region), **_options(plan))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def solve_config(cfg: PlanningConfig, inputs: engines.PlanInputs, solver: str = "highs",
                 explain: bool = True) -> PlanOutcome:
    """Solve prepared inputs (with near-optimal ranges and what limits the gap when `explain`); engine input
    errors become ConfigError naming the file."""
    return PlanOutcome(cfg, inputs, engines.solve_plan(inputs, cfg.path, solver, explain=explain))


def plan_from_files(planning: Path | str | None = None, series: Path | str | None = None, *,
                    until: int | None = None, budget_scale: float = 1.0,
                    scenarios: Mapping[str, float] | None = None, solver: str = "highs",
                    project: ProjectFn | None = None, explain: bool = True,
                    region: str | None = None) -> PlanOutcome:
    """Library twin of `talent plan`: read both files, build the inputs, solve. `explain` adds the
    near-optimal ranges and what limits the gap (a few seconds of re-solves); `region` plans that
    region of the data instead of the planning file's."""
    cfg = load_planning(planning)
    inputs = build_inputs(cfg, load_series(series), until=until, budget_scale=budget_scale,
                          scenarios=scenarios, project=project, region=region)
    return solve_config(cfg, inputs, solver, explain)


def plan_tables(outcome: PlanOutcome) -> dict[str, pd.DataFrame]:
    """The result as named long tables (for XLSX sheets or separate files)."""
    r = outcome.result
    plan = r.intake.merge(r.graduates, on=["region", "programme", "tier", "audience", "track",
                                           "year"]).merge(
        r.enrolment[["programme", "year", "seat_years"]], on=["programme", "year"])
    explained = {"ranges": r.ranges, "limits": r.limits}  # empty when the plan was solved without them
    return {"plan": plan, "gap": r.gap, "cost": r.cost, "faculty": r.faculty, "duals": r.duals_by_field(),
            **{k: v for k, v in explained.items() if len(v)}}


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


def compare_plans(a: Path | str, b: Path | str, series: Path | str | None = None, *,
                  until: int | None = None, budget_scale: float = 1.0,
                  scenarios: Mapping[str, float] | None = None,
                  project: ProjectFn | None = None) -> pd.DataFrame:
    """Two planning files side by side: one row per headline figure, one column per file."""
    cols: dict[str, dict[str, float | str]] = {}
    for path in (a, b):
        o = plan_from_files(path, series, until=until, budget_scale=budget_scale,
                            scenarios=scenarios, project=project, explain=False)
        cols[str(path) if str(path) not in cols else f"{path} (2)"] = headline(o)
    frame = pd.DataFrame(cols)
    frame.index.name = "figure"
    return frame.reset_index()

