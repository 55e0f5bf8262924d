"""Planning files → planner inputs, and the library twins of `talent plan`.

Builds the demand scenarios from projected quantiles and the baseline supply
from the projected mean, adds the programmes, budgets and limits of the
planning file, and solves with the `curricula` engine (through
`talent.engines`). Every problem a user can cause becomes a `ConfigError`
naming the file and the entry.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from talent import engines
from talent.config import PlanningConfig, load_planning, scenario_quantile
from talent.errors import ConfigError, ConfigValidationError, Problem, TalentWarning, shorten
from talent.gaps.simulate import project as project_paths
from talent.gaps.tables import GapTables
from talent.io.manifest import file_sha256
from talent.io.regions import load_regions
from talent.io.series import load_series
from talent.paths import default_planning_path
from talent.planning_coverage import coverage_data_path, planning_coverage
from talent.planning_programmes import programmes
from talent.planning_regions import (
    DEFAULT_CENTRAL_SHARE,
    RegionShare,
    check_sides,
    forecast_regions,
    mobility,
    plan_regions,
    region_shares,
    regional_programme,
    warn_unlimited_industry,
)
from talent.planning_results import PlanOutcome, headline
from talent.taxonomy import Taxonomy, load_taxonomy

ProjectFn = Callable[..., pd.DataFrame]


def _scenario_frames(cfg: PlanningConfig, series: pd.DataFrame, regions: list[str], years: range,
                     scenarios: Mapping[str, float], project: ProjectFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Demand per scenario (a projected quantile) and baseline supply (the projected mean), per cell and year."""
    where = str(cfg.path)
    qs = {name: scenario_quantile(name, where) for name in scenarios}
    missing = sorted(set(regions) - set(series["region"]))
    if missing:
        known = sorted(str(r) for r in set(series["region"]))
        hint = load_regions().hint(missing[0], known)  # '中国' or 'Henan': CN, CN-HA
        raise ConfigError(f"{where}, key plan.region: {missing[0]!r}: the data has no series for this region. "
                          f"Fix: {hint}set region to one of {shorten(', '.join(known))}")
    family = forecast_regions([str(r) for r in series["region"].unique()], regions)  # with the country, if any
    proj = project(series[series["region"].isin(family)], until=years[-1], quantiles=tuple(sorted(set(qs.values()))))
    proj = proj[proj["year"].between(years[0], years[-1]) & proj["region"].isin(regions)]
    for region in regions:
        mine = proj[proj["region"] == region]
        if mine.empty or sorted(set(mine["year"])) != list(years):
            last = int(series.loc[series["region"].isin(family), "year"].max())
            if years[0] <= last:  # the usual cause: a start year the data already covers
                raise ConfigError(f"{where}, key plan.start: {years[0]} is not after the last observed year "
                                  f"({last}) of the data for region {region!r}: a plan sizes training for "
                                  f"years to come. Fix: start = {last + 1}")
            raise ConfigError(f"{where}, [plan]: the series for region {region!r} give no projection "
                              f"for every year {years[0]}–{years[-1]}; the plan must start after the last "
                              "observed year")
    keys = ["region", "role", "level", "year"]
    dem = proj[proj["kind"] == "demand"]
    demand = pd.concat([dem[keys].assign(scenario=name, value=dem[engines.qname(q)].to_numpy())
                        for name, q in qs.items()], ignore_index=True)
    sup = proj[proj["kind"] == "supply"]
    return demand, sup[keys].assign(value=sup["mean"].to_numpy())


def _yearly(section: Mapping[str, Any], years: range, scale: float = 1.0, where: str = "", key: str = "budget"
            ) -> dict[int, float]:
    """Money or places per year of a {base, growth, years} table: explicit years, else base × (1 + growth)^i.
    Without a base, a plan year missing from `years` would silently get 0: that is an error naming the years."""
    given = section.get("years", {})
    missing = [y for y in years if str(y) not in given]
    if "base" not in section and missing:
        raise ConfigError(f"{where}, key {key}: no value for the plan year(s) {', '.join(map(str, missing))} "
                          f"(years given: {', '.join(given) or 'none'}; no base). Fix: add them to {key}.years, e.g. "
                          f"{{ {missing[0]} = ... }}, or give {key}.base (and growth) for the years not listed")
    if outside := [str(y) for y in given if not (str(y).isdigit() and int(y) in years)]:  # a typo (2052) was unused
        warnings.warn(f"{where}, key {key}.years: {', '.join(outside)} not in the plan's years ({years[0]}–"
                      f"{years[-1]}): not used. Fix: give plan years (or plan up to them with --until)",
                      TalentWarning, stacklevel=2)
    base, growth = float(section.get("base", 0.0)), float(section.get("growth", 0.0))
    return {y: float(given.get(str(y), base * (1 + growth) ** i)) * scale for i, y in enumerate(years)}


def with_coverage(tables: GapTables, cfg: PlanningConfig) -> GapTables:
    """`tables` with the planning file's literacy coverage table for their regions (if it has one), its
    planning and coverage data files hashed into the manifest's inputs."""
    table = planning_coverage(cfg)
    if table is None:
        return tables
    found = sorted(set(table["region"]))
    table = table[table["region"].isin(set(tables.stock["region"]))].reset_index(drop=True)
    if table.empty and cfg.path.resolve() == default_planning_path().resolve():
        return tables  # the embedded planning file's China coverage, for data of other countries: not asked for
    if table.empty:  # was dropped silently: no coverage table, no word of why
        data = ", ".join(sorted(set(tables.stock["region"])))
        warnings.warn(f"{coverage_data_path(cfg)}: the literacy coverage data has rows for {shorten(', '.join(found))} "
                      f"only, none for the regions of the series data ({shorten(data)}): the coverage table is left "
                      "out; add rows for those regions (or give a coverage file of theirs in [coverage] data)",
                      TalentWarning, stacklevel=2)
        return tables
    files = [cfg.path, coverage_data_path(cfg)]
    inputs = tables.manifest.get("inputs", {}) | {str(p): file_sha256(p) for p in files if p is not None}
    return replace(tables, coverage=table, manifest=tables.manifest | {"inputs": inputs})


def _warn_beyond(later: pd.DataFrame, cfg: PlanningConfig, last: int) -> None:
    """Coverage targets after the plan's last year are not planned for (they were dropped without a word)."""
    if later.empty:
        return
    spans = later.groupby(["region", "audience"])["year"].agg(["min", "max"]).reset_index()
    top = spans.head(4)
    shown = "; ".join(f"{region} {audience} {lo}" + (f"–{hi}" if hi > lo else "")
                      for region, audience, lo, hi in zip(top["region"].astype(str), top["audience"].astype(str),
                                                          top["min"].astype(int).tolist(),
                                                          top["max"].astype(int).tolist(), strict=True))
    more = f"; … and {len(spans) - 4} more" if len(spans) > 4 else ""
    warnings.warn(f"{cfg.path}: the plan ends in {last}, so its literacy coverage targets after that year are not "
                  f"planned for ({shown}{more}); --until {int(later['year'].max())} plans them", TalentWarning,
                  stacklevel=3)


def _limits(cfg: PlanningConfig, home: str, regions: list[str], years: range) -> tuple[
        tuple[engines.FacultyPool, ...], dict[str, tuple[bool, tuple[engines.CoverageTarget, ...]]],
        tuple[engines.MinShare, ...]]:
    """Faculty pools per tier (national figures), literacy coverage targets per region, minimum shares:
    the plan's hard limits. A region's coverage targets are its own rows of the coverage data (True:
    persons of the region) or else the country's (False: national persons, to be shared)."""
    faculty = tuple(
        engines.FacultyPool(region=home, tier=tier, initial=float(t.get("faculty", 0.0)),
                            growth=float(t.get("faculty_growth", 0.0)),
                            from_expert_share=float(t.get("faculty_from_expert_share", 0.0)),
                            lag=int(t.get("faculty_lag", 1)))
        for tier, t in cfg.raw["tiers"].items() if "faculty" in t)
    table = planning_coverage(cfg)
    if table is not None:
        _warn_beyond(table[table["target"].notna() & (table["year"] > years[-1])], cfg, years[-1])
        table = table[table["year"].between(years[0], years[-1]) & table["target"].notna()]
    coverage = {}
    for region in regions:
        rows = table[table["region"] == region] if table is not None else None
        own = rows is not None and not rows.empty
        if not own and table is not None:
            rows = table[table["region"] == home]
        if table is not None and not table.empty and (rows is None or rows.empty):
            found = ", ".join(sorted(set(table["region"])))
            warnings.warn(f"{cfg.path}: the literacy coverage targets are not applied to region '{region}': the "
                          f"coverage data {coverage_data_path(cfg)} has rows for {found} only; add rows for {region} "
                          "to plan its literacy courses", TalentWarning, stacklevel=2)
        coverage[region] = (own, tuple(engines.CoverageTarget(region, str(a), int(y), float(n)) for a, y, n in zip(
            rows["audience"], rows["year"], rows["shortfall"], strict=True)) if rows is not None else ())
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


@dataclass
class _Parts:
    """What the planning file gives the regions of a plan, before the series are read."""

    programmes: list[engines.Programme]
    faculty: list[engines.FacultyPool]
    coverage: list[engines.CoverageTarget]
    pools: list[engines.CandidatePool]
    budget: dict[tuple[str, int], float]
    industry_budget: dict[tuple[str, int], float]
    placements: dict[tuple[str, int], float]
    central_budget: dict[int, float]
    min_shares: tuple[engines.MinShare, ...] = ()


def _parts(cfg: PlanningConfig, tax: Taxonomy, regions: list[str], shares: Mapping[str, RegionShare],
           years: range, budget_scale: float) -> _Parts:
    """Programmes, limits and money of every region: the file's national figures shared by `shares`
    (the country itself: the figures unchanged; see `talent.planning_regions`)."""
    home = str(cfg.plan.get("region", "CN"))
    several = len(regions) > 1
    raw = cfg.raw
    national = _yearly(raw["budget"], years, budget_scale, str(cfg.path)) if raw.get("budget") else {}
    central = float(raw.get("regions", {}).get("central_share", DEFAULT_CENTRAL_SHARE)) if several else 0.0
    industry = {k: _yearly(raw.get("industry", {})[k], years, 1.0, str(cfg.path), f"industry.{k}")
                for k in ("budget", "placements")
                if k in raw.get("industry", {})}
    faculty, coverage, min_shares = _limits(cfg, home, regions, years)  # the file's figures, read once
    covered = min(1.0, sum(shares[r].economy for r in regions))  # the planned regions' part of the central money
    out = _Parts([], [], [], [], {}, {}, {}, {y: central * v * covered for y, v in national.items()} if central else {},
                 min_shares)
    for region in regions:
        sh = shares[region]
        out.programmes += [regional_programme(p, sh, prefix=several) for p in programmes(cfg, tax, region)]
        out.faculty += [replace(f, region=region, initial=f.initial * sh.people) for f in faculty]
        own, targets = coverage[region]
        out.coverage += [replace(c, persons=c.persons * (1.0 if own else sh.people)) for c in targets]
        out.pools += [replace(p, region=region, persons=p.persons * sh.people if isinstance(p.persons, float)
                              else {y: n * sh.people for y, n in p.persons.items()}) for p in _pools(cfg, region)]
        out.budget |= {(region, y): v * (1 - central) * sh.economy for y, v in national.items()}
        out.industry_budget |= {(region, y): v * sh.economy for y, v in industry.get("budget", {}).items()}
        out.placements |= {(region, y): v * sh.economy for y, v in industry.get("placements", {}).items()}
    return out


def _check_min_shares(where: str, parts: _Parts) -> None:
    """A [[min_share]] rule whose `of` selects no programme forced its `within` intake to 0 silently."""
    for i, rule in enumerate(parts.min_shares):
        for part in ("of", "within"):
            selector = getattr(rule, part)
            if rule.share > 0 and not any(rule.matches(p, selector) for p in parts.programmes):
                raise ConfigError(f"{where}, key min_share[{i}].{part}: selects no programme of this file (value: "
                                  f"{dict(selector)}). Fix: name a tier, audience and track that a programme has")


def build_inputs(cfg: PlanningConfig, series: pd.DataFrame, *, until: int | None = None,
                 budget_scale: float = 1.0, scenarios: Mapping[str, float] | None = None,
                 project: ProjectFn | None = None, taxonomy: Taxonomy | None = None,
                 region: str | None = None) -> engines.PlanInputs:
    """Turn a planning file plus series data into the planner's inputs: for `region`, else for every leaf
    region of the data under the file's [plan] region (the country itself when the data has no provinces;
    `talent.planning_regions`)."""
    where = str(cfg.path)
    tax = taxonomy or load_taxonomy()
    plan = cfg.plan
    try:
        start, end = int(plan.get("start", 2025)), int(until if until is not None else plan.get("until", 2030))
        if end < start:  # the file's own until is checked by its schema: this one is the option's
            raise ConfigValidationError([Problem("--until", None, None, end, f"is before the plan's first year "
                                                 f"{start} ([plan] start in {where})", f"give --until {start} "
                                                 "or later, or an earlier start in the planning file")], usage=True)
        if not budget_scale >= 0:
            raise ConfigError(f"--budget {budget_scale}: must be a number ≥ 0")
        years = range(start, end + 1)
        target = plan.get("target_year", end)
        if target not in years:  # the engine's message named neither the key nor --until
            later = f", or plan up to it (--until {target})" if target > end else ""
            raise ConfigError(f"{where}, key plan.target_year: {target} is not a plan year ({start}–{end}). "
                              f"Fix: make it one of them{later}")
        regions = plan_regions(series, region, str(plan.get("region", "CN")), where)
        check_sides(series, regions)
        sc = dict(scenarios) if scenarios else {str(k): v for k, v in cfg.raw["scenarios"].items()}
        demand, base = _scenario_frames(cfg, series, regions, years, sc, project or project_paths)
        section = cfg.raw.get("regions", {})
        levels = tuple(lv for lv in tax.ids("levels") if lv != "literacy")
        home = str(plan.get("region", "CN"))
        national = None if (series["region"] == home).any() or regions == [home] else load_series()
        shares = region_shares(series, regions, levels, section.get("share", {}), where, home, national)
        parts = _parts(cfg, tax, regions, shares, years, budget_scale)
        _check_min_shares(where, parts)
        warn_unlimited_industry(parts.programmes, parts.industry_budget, parts.placements, where)
        if "budget" not in cfg.raw:  # as for firms' money: an absent limit is none, so say so
            warnings.warn(f"{where}, key budget: not given, so there is no limit on public money: the plan may "
                          "spend any amount. Fix: give it as a [budget] table, e.g. base = 10000.0 (million CNY "
                          "in the first plan year) and growth = 0.10", TalentWarning, stacklevel=2)
        weights = cfg.raw.get("weights", {})
        return engines.PlanInputs(
            years=tuple(years), programmes=tuple(parts.programmes),
            scenarios=tuple(engines.Scenario(k, float(v)) for k, v in sc.items()),
            demand=demand, base_supply=base,
            attrition={(r, lvl): tax.attrition(lvl) for r in tax.ids("roles") for lvl in tax.ids("levels")},
            role_weight=dict(weights.get("role", {})), level_weight=dict(weights.get("level", {})),
            shortage_penalty=float(plan.get("shortage_penalty", 1.0)),
            surplus_penalty=float(plan.get("surplus_penalty", 0.0)),
            terminal_weight=float(plan.get("terminal_weight", 0.0)),
            discount_rate=float(plan.get("discount_rate", 0.0)),
            budget=parts.budget, faculty=tuple(parts.faculty), coverage=tuple(parts.coverage),
            min_shares=parts.min_shares, money_unit=str(plan.get("money_unit", "million CNY")),
            pools=tuple(parts.pools), central_budget=parts.central_budget, industry_budget=parts.industry_budget,
            placements=parts.placements, mobility=mobility(section, shares, where), **_options(plan))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def solve_config(cfg: PlanningConfig, inputs: engines.PlanInputs, solver: str = "highs",
                 explain: bool = True, limits: bool | None = None) -> PlanOutcome:
    """Solve prepared inputs (with near-optimal ranges and what limits the gap when `explain`); engine input
    errors become ConfigError naming the file. A plan of several regions is one coupled LP: its ranges are
    found region by region with the central money and each region's graduates per cell held at the plan's
    values (about 3 s at nine regions); what limits the gap (one re-solve of the whole plan per family of
    limits, 40–90 s at nine regions on 2 cores) is left out unless `limits` is True (`--limits`).
    `limits=None` computes it for a plan of one region only; False never."""
    several = len({p.region for p in inputs.programmes}) > 1
    wanted = (not several) if limits is None else limits
    return PlanOutcome(cfg, inputs, engines.solve_plan(inputs, cfg.path, solver, ranges=explain,
                                                       limits=explain and wanted))


def plan_from_files(planning: Path | str | None = None, series: Path | str | None = None, *,
                    until: int | None = None, budget_scale: float = 1.0,
                    scenarios: Mapping[str, float] | None = None, solver: str = "highs",
                    project: ProjectFn | None = None, explain: bool = True,
                    region: str | None = None, limits: bool | None = None) -> PlanOutcome:
    """Library twin of `talent plan`: read both files, build the inputs, solve. `explain` adds the
    near-optimal ranges and what limits the gap (a few seconds of re-solves); `region` plans that
    region of the data instead of the planning file's; `limits` as in `solve_config`."""
    cfg = load_planning(planning)
    inputs = build_inputs(cfg, load_series(series), until=until, budget_scale=budget_scale,
                          scenarios=scenarios, project=project, region=region)
    return solve_config(cfg, inputs, solver, explain, limits)


def compare_plans(a: Path | str, b: Path | str, series: Path | str | None = None, *,
                  until: int | None = None, budget_scale: float = 1.0,
                  scenarios: Mapping[str, float] | None = None,
                  project: ProjectFn | None = None, region: str | None = None,
                  solver: str = "highs") -> pd.DataFrame:
    """Two planning files side by side: one row per headline figure, one column per file (`region` and `solver`
    as in `plan_from_files`: both plans of that region of the data, by that solver)."""
    cols: dict[str, dict[str, float | str]] = {}
    for path in (a, b):
        o = plan_from_files(path, series, until=until, budget_scale=budget_scale, scenarios=scenarios,
                            solver=solver, project=project, explain=False, region=region)
        cols[str(path) if str(path) not in cols else f"{path} (2)"] = headline(o)
    frame = pd.DataFrame(cols)
    frame.index.name = "figure"
    return frame.reset_index()

