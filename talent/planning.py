"""Planning files → curricula inputs, and the library twins of `talent plan`.

Reads and checks the planning TOML (tiers, audiences, programmes, budgets, yields),
builds the demand scenarios from projected quantiles and the baseline supply from the
projected mean, and calls the standalone `curricula` engine. Every problem a user can
cause becomes a `ConfigError` naming the file and the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import curricula
from talent.errors import ConfigError
from talent.io import read_toml
from talent.paths import default_planning_path
from talent.taxonomy import Taxonomy, load_taxonomy

ProjectFn = Callable[..., pd.DataFrame]
PROGRAMME_FIELDS = ("duration", "completion", "cost", "students_per_faculty", "growth",
                    "opening", "existing_intake", "yield")


@dataclass(frozen=True)
class PlanningConfig:
    """A parsed planning file: the raw tables plus where they came from."""

    path: Path
    raw: Mapping[str, Any]

    @property
    def plan(self) -> Mapping[str, Any]:
        """The [plan] table."""
        return self.raw.get("plan", {})


@dataclass(frozen=True)
class PlanOutcome:
    """A solved plan with the inputs and the file it came from."""

    config: PlanningConfig
    inputs: curricula.PlanInputs
    result: curricula.PlanResult


def load_planning(path: Path | str | None = None) -> PlanningConfig:
    """Read a planning TOML (default: the embedded data/planning.toml) and check its shape."""
    p = Path(path) if path is not None else default_planning_path()
    raw = read_toml(p, "planning file")
    problems = [f"{p}: missing table [{t}]" for t in ("plan", "scenarios", "tiers") if t not in raw]
    if problems:
        raise ConfigError("\n".join(problems))
    return PlanningConfig(p, raw)


def parse_scenarios(text: str) -> dict[str, float]:
    """'q10:0.3,q50:0.4,q90:0.3' → {'q10': 0.3, …} (the --scenarios option)."""
    out: dict[str, float] = {}
    for part in filter(None, (s.strip() for s in text.split(","))):
        name, _, prob = part.partition(":")
        try:
            out[name.strip()] = float(prob)
        except ValueError as exc:
            raise ConfigError(f"--scenarios: '{part}' — write QUANTILE:PROBABILITY, "
                              "e.g. q10:0.3,q50:0.4,q90:0.3") from exc
    return out


def _quantile(name: str, where: str) -> float:
    try:
        q = float("0." + name[1:]) if name.startswith("q") else float("nan")
    except ValueError:
        q = float("nan")
    if not 0 < q < 1:
        raise ConfigError(f"{where}: scenario '{name}' — name a demand quantile such as q10, q50, q90")
    return q


def _programmes(cfg: PlanningConfig, tax: Taxonomy, region: str) -> list[curricula.Programme]:
    where = str(cfg.path)
    roles = tax.ids("roles")
    mix = {str(k): float(v) for k, v in cfg.raw.get("track_mix", {}).items()}
    overrides = cfg.raw.get("programme", {})
    general = str(cfg.plan.get("track_for_general", "general"))
    out: list[curricula.Programme] = []
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
                y = f.pop("yield", 1.0)
                yields = ({(track, level): y} if track in roles
                          else {(r, level): y * mix.get(r, 0.0) for r in roles})
                enrolled = {int(k): v for k, v in f.pop("enrolled", {}).items()}
                try:
                    out.append(curricula.Programme(
                        id=pid, tier=tier, audience=aud, track=track, region=region,
                        yields=yields, enrolled=enrolled, **f))
                except TypeError as exc:
                    raise ConfigError(f"{where}, programme '{pid}': {exc}") from exc
    unknown = set(overrides) - {p.id for p in out}
    if unknown:
        raise ConfigError(f"{where}: [programme] overrides for unknown programmes {sorted(unknown)}")
    return out


def build_inputs(cfg: PlanningConfig, series: pd.DataFrame, *, until: int | None = None,
                 budget_scale: float = 1.0, scenarios: Mapping[str, float] | None = None,
                 project: ProjectFn | None = None, taxonomy: Taxonomy | None = None
                 ) -> curricula.PlanInputs:
    """Turn a planning file plus series data into `curricula.PlanInputs`."""
    where = str(cfg.path)
    tax = taxonomy or load_taxonomy()
    plan = cfg.plan
    region = str(plan.get("region", "CN"))
    start, end = int(plan.get("start", 2025)), int(until or plan.get("until", 2030))
    if end < start:
        raise ConfigError(f"{where}, [plan] until {end}: must not be before start {start}")
    if not budget_scale >= 0:
        raise ConfigError(f"--budget {budget_scale}: must be a number ≥ 0")
    sc = dict(scenarios) if scenarios else {str(k): v for k, v in cfg.raw["scenarios"].items()}
    qs = {name: _quantile(name, where) for name in sc}
    if project is None:
        from talent.projection import project as default_project
        project = default_project
    proj = project(series[series["region"] == region], until=end,
                   quantiles=tuple(sorted(set(qs.values()))))
    proj = proj[proj["year"].between(start, end)]
    if proj.empty or sorted(set(proj["year"])) != list(range(start, end + 1)):
        raise ConfigError(f"{where}, [plan]: the series for region {region!r} give no projection "
                          f"for every year {start}–{end}; the plan must start after the last "
                          "observed year")
    keys = ["region", "role", "level", "year"]
    dem = proj[proj["kind"] == "demand"]
    demand = pd.concat([dem[keys].assign(scenario=name, value=dem[_qcol(q)].to_numpy())
                        for name, q in qs.items()], ignore_index=True)
    sup = proj[proj["kind"] == "supply"]
    base = sup[keys].assign(value=sup["mean"].to_numpy())
    attrition = {(r, lvl): tax.attrition(lvl) for r in tax.ids("roles") for lvl in tax.ids("levels")}
    budget_cfg = cfg.raw.get("budget", {})
    budget = {}
    if budget_cfg:
        years_cfg = budget_cfg.get("years", {})
        for i, y in enumerate(range(start, end + 1)):
            amount = years_cfg.get(str(y), float(budget_cfg.get("base", 0.0))
                                   * (1 + float(budget_cfg.get("growth", 0.0))) ** i)
            budget[region, y] = float(amount) * budget_scale
    faculty = tuple(
        curricula.FacultyPool(region=region, tier=tier, initial=float(t.get("faculty", 0.0)),
                              growth=float(t.get("faculty_growth", 0.0)),
                              from_expert_share=float(t.get("faculty_from_expert_share", 0.0)),
                              lag=int(t.get("faculty_lag", 1)))
        for tier, t in cfg.raw["tiers"].items() if "faculty" in t)
    coverage = tuple(curricula.CoverageTarget(region, aud, int(y), float(v))
                     for aud, targets in cfg.raw.get("coverage", {}).items()
                     for y, v in targets.items() if start <= int(y) <= end)
    shares = tuple(curricula.MinShare(name=str(m.get("name", f"min_share_{i + 1}")),
                                      share=float(m.get("share", 0.0)),
                                      of=dict(m.get("of", {})), within=dict(m.get("within", {})))
                   for i, m in enumerate(cfg.raw.get("min_share", [])))
    weights = cfg.raw.get("weights", {})
    try:
        return curricula.PlanInputs(
            years=tuple(range(start, end + 1)), programmes=tuple(_programmes(cfg, tax, region)),
            scenarios=tuple(curricula.Scenario(k, float(v)) for k, v in sc.items()),
            demand=demand, base_supply=base, attrition=attrition,
            role_weight=dict(weights.get("role", {})), level_weight=dict(weights.get("level", {})),
            shortage_penalty=float(plan.get("shortage_penalty", 1.0)),
            surplus_penalty=float(plan.get("surplus_penalty", 0.0)),
            terminal_weight=float(plan.get("terminal_weight", 0.0)),
            discount_rate=float(plan.get("discount_rate", 0.0)),
            budget=budget, faculty=faculty, coverage=coverage, min_shares=shares,
            money_unit=str(plan.get("money_unit", "million CNY")))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _qcol(q: float) -> str:
    from talent.projection import qcol

    return qcol(q)


def solve_config(cfg: PlanningConfig, inputs: curricula.PlanInputs,
                 solver: str = "highs") -> PlanOutcome:
    """Solve prepared inputs; engine input errors become ConfigError naming the file."""
    try:
        result = curricula.plan(inputs, solver=solver)
    except curricula.PlanInputError as exc:
        lines = "\n".join(f"  - {cfg.path}, {p}" for p in exc.problems)
        raise ConfigError(f"{len(exc.problems)} problem(s) in the planning inputs:\n{lines}") from exc
    return PlanOutcome(cfg, inputs, result)


def plan_from_files(planning: Path | str | None = None, series: Path | str | None = None, *,
                    until: int | None = None, budget_scale: float = 1.0,
                    scenarios: Mapping[str, float] | None = None, solver: str = "highs",
                    project: ProjectFn | None = None) -> PlanOutcome:
    """Library twin of `talent plan`: read both files, build the inputs, solve."""
    from talent.data import load_series

    cfg = load_planning(planning)
    inputs = build_inputs(cfg, load_series(series), until=until, budget_scale=budget_scale,
                          scenarios=scenarios, project=project)
    return solve_config(cfg, inputs, solver)


def plan_tables(outcome: PlanOutcome) -> dict[str, pd.DataFrame]:
    """The result as named long tables (for XLSX sheets or separate files)."""
    r = outcome.result
    plan = r.intake.merge(r.graduates, on=["region", "programme", "tier", "audience", "track",
                                           "year"]).merge(
        r.enrolment[["programme", "year", "seat_years"]], on=["programme", "year"])
    duals = r.duals.assign(key=r.duals["key"].map(lambda k: "/".join(map(str, k))))
    return {"plan": plan, "gap": r.gap, "cost": r.cost, "faculty": r.faculty, "duals": duals}


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
                            scenarios=scenarios, project=project)
        cols[str(path) if str(path) not in cols else f"{path} (2)"] = headline(o)
    frame = pd.DataFrame(cols)
    frame.index.name = "figure"
    return frame.reset_index()

