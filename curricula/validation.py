"""Validation of planner inputs: every problem collected, then one `PlanInputError`.

Why a module of its own: the LP must never see a NaN, an infinity, a negative cost, a
zero duration, yields summing above 1, a non-convex shortage penalty or a candidate pool
smaller than the intake already drawn from it; each is refused naming the entry, the
field and the value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from curricula.inputs import PlanInputError, PlanInputs, Programme


def _finite(x: object) -> bool:
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _check_frame(
    df: pd.DataFrame, name: str, keys: list[str], problems: list[str], years: set[int]
) -> None:
    missing = [c for c in [*keys, "year", "value"] if c not in df.columns]
    if missing:
        problems.append(f"{name}: missing columns {missing}")
        return
    bad = df[~df["value"].map(_finite) | (pd.to_numeric(df["value"], errors="coerce") < 0)]
    for _, row in bad.head(5).iterrows():
        where = ", ".join(f"{k} {row[k]!r}" for k in keys)
        problems.append(f"{name} {where}, year {row['year']}: value {row['value']!r} "
                        "— must be a finite number ≥ 0")
    dup = df.duplicated([*keys, "year"])
    if dup.any():
        problems.append(f"{name}: {int(dup.sum())} duplicate rows for the same keys and year")
    have = set(pd.to_numeric(df["year"], errors="coerce").dropna().astype(int))
    lacking = sorted(years - have)
    if lacking:
        problems.append(f"{name}: no values for plan years {lacking}")


def _programme_problems(p: Programme, pools: set[tuple[str, str]]) -> list[str]:
    out: list[str] = []
    name = f"programme '{p.id}'"
    numbers = {
        "duration": p.duration, "completion": p.completion, "cost": p.cost,
        "students_per_faculty": p.students_per_faculty, "existing_intake": p.existing_intake,
        "growth": p.growth, "opening": p.opening,
    }
    if p.ramp_down is not None:
        numbers["ramp_down"] = p.ramp_down
    for fld, v in numbers.items():
        if not _finite(v):
            out.append(f"{name}, field '{fld}': {v!r} — must be a finite number")
        elif v < 0:
            out.append(f"{name}, field '{fld}': {v} — must be ≥ 0")
    if _finite(p.duration) and p.duration <= 0:
        out.append(f"{name}, field 'duration': {p.duration} — must be > 0 years")
    if p.ramp_down is not None and _finite(p.ramp_down) and p.ramp_down > 1:
        out.append(f"{name}, field 'ramp_down': {p.ramp_down} — must be between 0 and 1")
    if _finite(p.completion) and p.completion > 1:
        out.append(f"{name}, field 'completion': {p.completion} — must be between 0 and 1")
    if _finite(p.students_per_faculty) and p.students_per_faculty <= 0:
        out.append(f"{name}, field 'students_per_faculty': {p.students_per_faculty} — must be > 0")
    total = 0.0
    for key, v in p.yields.items():
        if not _finite(v) or v < 0:
            out.append(f"{name}, yield {key}: {v!r} — must be a finite number ≥ 0")
        else:
            total += float(v)
    if total > 1 + 1e-9:
        out.append(f"{name}, field 'yields': they sum to {total:.4g} — must be ≤ 1 "
                   "(shares of graduates entering each role and level)")
    for y, v in p.enrolled.items():
        if not _finite(v) or v < 0:
            out.append(f"{name}, enrolled cohort {y}: {v!r} — must be a finite number ≥ 0")
    if (p.region, p.tier) not in pools and pools:
        out.append(f"{name}: no faculty pool for tier '{p.tier}' in region '{p.region}'")
    return out


def validate(inputs: PlanInputs) -> None:
    """Refuse inputs the LP cannot use honestly; collect every problem, then raise once."""
    problems = _structure_problems(inputs)
    pools = {(f.region, f.tier) for f in inputs.faculty}
    for p in inputs.programmes:
        problems += _programme_problems(p, pools) + _channel_problems(p)
    problems += _scenario_problems(inputs)
    yrs = set(inputs.years)
    _check_frame(inputs.demand, "demand", ["region", "role", "level", "scenario"], problems, yrs)
    _check_frame(inputs.base_supply, "base_supply", ["region", "role", "level"], problems, yrs)
    if "scenario" in inputs.demand.columns:
        unknown = set(inputs.demand["scenario"]) - {s.name for s in inputs.scenarios}
        if unknown:
            problems.append(f"demand: scenarios {sorted(unknown)} have no probability")
    problems += _weight_problems(inputs)
    problems += _faculty_problems(inputs)
    problems += _target_problems(inputs)
    problems += _option_problems(inputs)
    problems += _pool_problems(inputs)
    problems += _regional_problems(inputs)
    if problems:
        raise PlanInputError(problems)


def _structure_problems(inputs: PlanInputs) -> list[str]:
    """Consecutive plan years and unique programme ids."""
    problems: list[str] = []
    ys = list(inputs.years)
    if not ys:
        problems.append("years: the plan needs at least one year")
    elif ys != list(range(ys[0], ys[0] + len(ys))):
        problems.append(f"years: {ys} — must be consecutive")
    ids = [p.id for p in inputs.programmes]
    if len(set(ids)) != len(ids):
        problems.append("programmes: duplicate ids " + str(sorted({i for i in ids if ids.count(i) > 1})))
    return problems


def _scenario_problems(inputs: PlanInputs) -> list[str]:
    """At least one scenario; probabilities finite, ≥ 0 and summing to 1."""
    problems: list[str] = []
    if not inputs.scenarios:
        problems.append("scenarios: at least one is needed")
    total_p = 0.0
    for s in inputs.scenarios:
        if not _finite(s.probability) or s.probability < 0:
            problems.append(f"scenario '{s.name}', field 'probability': {s.probability!r} "
                            "— must be a finite number ≥ 0")
        else:
            total_p += s.probability
    if inputs.scenarios and abs(total_p - 1) > 1e-6:
        problems.append(f"scenarios: probabilities sum to {total_p:.6g} — must sum to 1")
    return problems


def _weight_problems(inputs: PlanInputs) -> list[str]:
    """Penalties, weights, rates, attrition and budgets: finite and ≥ 0 (attrition ≤ 1)."""
    problems: list[str] = []
    scalars = {
        "shortage_penalty": inputs.shortage_penalty, "surplus_penalty": inputs.surplus_penalty,
        "terminal_weight": inputs.terminal_weight, "discount_rate": inputs.discount_rate,
        "cost_weight": inputs.cost_weight,
    }
    for name, v in scalars.items():
        if not _finite(v) or v < 0:
            problems.append(f"{name}: {v!r} — must be a finite number ≥ 0")
    for kind, mapping in (("attrition", inputs.attrition), ("role_weight", inputs.role_weight),
                          ("level_weight", inputs.level_weight)):
        for k, v in mapping.items():
            if not _finite(v) or v < 0 or (kind == "attrition" and v > 1):
                problems.append(f"{kind} {k}: {v!r} — must be a finite number ≥ 0"
                                + (" and ≤ 1" if kind == "attrition" else ""))
    for (region, year), v in inputs.budget.items():
        if not _finite(v) or v < 0:
            problems.append(f"budget {region} {year}: {v!r} — must be a finite number ≥ 0")
    return problems


def _faculty_problems(inputs: PlanInputs) -> list[str]:
    """Faculty pools' numbers, and expert yields plus the share becoming faculty ≤ 1."""
    problems: list[str] = []
    for f in inputs.faculty:
        for fld in ("initial", "growth", "from_expert_share", "salary"):
            v = getattr(f, fld)
            if not _finite(v) or v < 0:
                problems.append(f"faculty pool {f.region}/{f.tier}, field '{fld}': {v!r} "
                                "— must be a finite number ≥ 0")
        if f.lag < 0:
            problems.append(f"faculty pool {f.region}/{f.tier}, field 'lag': {f.lag} — must be ≥ 0")
    expert_share: dict[str, float] = {}
    for f in inputs.faculty:
        if _finite(f.from_expert_share):
            expert_share[f.region] = expert_share.get(f.region, 0.0) + float(f.from_expert_share)
    for p in inputs.programmes:
        share = expert_share.get(p.region, 0.0) if p.tier == "expert" else 0.0
        total = sum(float(v) for v in p.yields.values() if _finite(v))
        if share and total + share > 1 + 1e-9:
            problems.append(f"programme '{p.id}', field 'yields': they sum to {total:.4g}, plus "
                            f"{share:.4g} of graduates becoming faculty — must be ≤ 1")
    return problems


def _target_problems(inputs: PlanInputs) -> list[str]:
    """Coverage targets finite and ≥ 0; minimum shares in [0, 1]."""
    problems: list[str] = []
    for c in inputs.coverage:
        if not _finite(c.persons) or c.persons < 0:
            problems.append(f"coverage target {c.audience} {c.region} {c.year}: {c.persons!r} "
                            "— must be a finite number ≥ 0")
    for m in inputs.min_shares:
        if not _finite(m.share) or not 0 <= m.share <= 1:
            problems.append(f"min_share '{m.name}', field 'share': {m.share!r} — must be in [0, 1]")
    return problems


def _option_problems(inputs: PlanInputs) -> list[str]:
    """The decision-grade options: horizon, ramp, penalty segments, CVaR, tolerances, carry."""
    problems: list[str] = []
    if inputs.horizon_extension is not None and (
            not isinstance(inputs.horizon_extension, int) or inputs.horizon_extension < 0):
        problems.append(f"horizon_extension: {inputs.horizon_extension!r} — must be a whole number "
                        "of years ≥ 0, or None for twice the longest programme duration")
    if inputs.shortage_grouping not in ("cell", "role", "region"):
        problems.append(f"shortage_grouping: {inputs.shortage_grouping!r} — use 'cell', 'role' or 'region'")
    if inputs.extend_method not in ("trend", "hold"):
        problems.append(f"extend_method: {inputs.extend_method!r} — use 'trend' or 'hold'")
    shares = {"ramp_down": inputs.ramp_down, "cvar_weight": inputs.cvar_weight,
              "budget_carry_forward": inputs.budget_carry_forward}
    for name, v in shares.items():
        if v is not None and (not _finite(v) or not 0 <= v <= 1):
            problems.append(f"{name}: {v!r} — must be a number between 0 and 1")
    if not _finite(inputs.cvar_alpha) or not 0 <= inputs.cvar_alpha < 1:
        problems.append(f"cvar_alpha: {inputs.cvar_alpha!r} — must be ≥ 0 and < 1")
    tolerances = {"tiebreak_tolerance": inputs.tiebreak_tolerance,
                  "range_tolerance": inputs.range_tolerance, "coverage_penalty": inputs.coverage_penalty}
    for name, v in tolerances.items():
        if v is not None and (not _finite(v) or v < 0):
            problems.append(f"{name}: {v!r} — must be a finite number ≥ 0")
    problems += _segment_problems(inputs.shortage_segments)
    if inputs.years and inputs.target_year is not None and inputs.target_year not in inputs.years:
        problems.append(f"target_year: {inputs.target_year} — must be one of the plan years {list(inputs.years)}")
    return problems


def _segment_problems(segments: tuple[tuple[float, float], ...]) -> list[str]:
    """Upper ends of the unmet share increasing and > 0; multipliers ≥ 0 and non-decreasing."""
    problems: list[str] = []
    prev_end, prev_mult = 0.0, 0.0
    for k, seg in enumerate(segments):
        try:
            end, mult = float(seg[0]), float(seg[1])
        except (TypeError, ValueError, IndexError):
            problems.append(f"shortage_segments[{k}]: {seg!r} — must be (upper share, multiplier)")
            continue
        if math.isnan(end) or end <= prev_end:
            problems.append(f"shortage_segments[{k}]: upper share {end!r} — must be above the "
                            f"previous one ({prev_end:g})")
        if not _finite(mult) or mult < prev_mult:
            problems.append(f"shortage_segments[{k}]: multiplier {mult!r} — must be finite and not below "
                            f"the previous one ({prev_mult:g}): the penalty must be convex")
        prev_end, prev_mult = end, mult if _finite(mult) else prev_mult
    return problems


def _pool_problems(inputs: PlanInputs) -> list[str]:
    """Pools: finite, ≥ 0, unique, and never below the baseline intake they already supply."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for pool in inputs.pools:
        name = f"candidate pool {pool.region}/{pool.audience}"
        if (pool.region, pool.audience) in seen:
            problems.append(f"{name}: defined twice")
        seen.add((pool.region, pool.audience))
        values = list(pool.persons.values()) if isinstance(pool.persons, Mapping) else [pool.persons]
        if not values or any(not _finite(v) or float(v) < 0 for v in values):
            problems.append(f"{name}, field 'persons': {pool.persons!r} — must be finite numbers ≥ 0")
            continue
        if not _finite(pool.opportunity_cost) or pool.opportunity_cost < 0:
            problems.append(f"{name}, field 'opportunity_cost': {pool.opportunity_cost!r} "
                            "— must be a finite number ≥ 0")
        baseline = sum(p.existing_intake for p in inputs.programmes if pool.draws(p))
        short = [y for y in inputs.years if pool.size(y) < baseline - 1e-9]
        if short:
            problems.append(f"{name}, field 'persons': {pool.size(short[0]):,.0f} in {short[0]} is below "
                            f"the baseline intake its programmes already take ({baseline:,.0f})")
    return problems


#: The training channels a programme may belong to (issue 12).
CHANNELS = ("school", "coop", "enterprise")


def _channel_problems(p: Programme) -> list[str]:
    """A known channel; the industry share and placement use in [0, 1]."""
    out: list[str] = []
    name = f"programme '{p.id}'"
    if p.channel not in CHANNELS:
        out.append(f"{name}, field 'channel': {p.channel!r} — use one of {', '.join(map(repr, CHANNELS))}")
    for fld in ("industry_share", "placement"):
        v = getattr(p, fld)
        if not _finite(v) or not 0 <= float(v) <= 1:
            out.append(f"{name}, field '{fld}': {v!r} — must be a number between 0 and 1")
    return out


def _regional_problems(inputs: PlanInputs) -> list[str]:
    """Central and industry budgets and placements finite and ≥ 0; mobility shares finite,
    ≥ 0, and summing to 1 for every origin listed."""
    problems: list[str] = []
    tables: dict[str, list[tuple[object, float]]] = {
        "central_budget": list(inputs.central_budget.items()),
        "industry_budget": list(inputs.industry_budget.items()), "placements": list(inputs.placements.items())}
    for name, table in tables.items():
        for key, v in table:
            where = " ".join(map(str, key)) if isinstance(key, tuple) else str(key)
            if not _finite(v) or float(v) < 0:
                problems.append(f"{name} {where}: {v!r} — must be a finite number ≥ 0")
    totals: dict[str, float] = {}
    for (frm, to), v in inputs.mobility.items():
        if not _finite(v) or not 0 <= float(v) <= 1:
            problems.append(f"mobility {frm} → {to}: {v!r} — must be a share between 0 and 1")
            continue
        totals[frm] = totals.get(frm, 0.0) + float(v)
    for frm, total in sorted(totals.items()):
        if abs(total - 1) > 1e-6:
            problems.append(f"mobility from {frm}: the shares of its graduates working in each region "
                            f"sum to {total:.6g} — must sum to 1")
    return problems
