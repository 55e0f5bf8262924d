"""Planner inputs: plain dataclasses and long frames, validated before PuLP sees them.

Why a separate module: every number the LP uses passes through `validate` first, so a
NaN, an infinity, a negative cost, a zero duration or yields summing above 1 is refused
with the entry named (`PlanInputError`) instead of producing a silently wrong plan.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd


class PlanInputError(ValueError):
    """A planner input is invalid; the message names the entry, the field and the value."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Programme:
    """One training programme: a tier × audience × role track in one region.

    `intake` decisions are *additional* entrants above the intake already reflected in
    the baseline supply projection; `existing_intake` is that baseline intake (it sets
    the growth headroom and the faculty already busy teaching).
    """

    id: str
    tier: str
    audience: str
    track: str
    duration: float  # years in training (fractional for short courses)
    completion: float  # share of entrants who graduate
    cost: float  # money per seat-year
    students_per_faculty: float
    yields: Mapping[tuple[str, str], float]  # (role, level) -> share of graduates
    region: str = "CN"
    existing_intake: float = 0.0  # baseline entrants per year (already in base supply)
    growth: float = 0.2  # max relative growth of total intake per year
    opening: float = 0.0  # extra seats a year the programme may add beyond `growth`
    enrolled: Mapping[int, float] = field(default_factory=dict)  # additional cohorts by intake year

    @property
    def lag(self) -> int:
        """Years from intake to graduation under the end-of-year stock convention."""
        return max(0, math.ceil(self.duration - 1e-9) - 1)

    def seat_years(self, k: int) -> float:
        """Seat-years one entrant occupies in the k-th year after intake (k = 0, 1, …)."""
        return max(0.0, min(1.0, self.duration - k))


@dataclass(frozen=True)
class FacultyPool:
    """Faculty of one tier in one region: the stock before the plan and its growth limit."""

    region: str
    tier: str
    initial: float  # faculty (full-time equivalents) in the year before the plan
    growth: float  # max relative growth per year
    from_expert_share: float = 0.0  # share of expert-tier graduates joining this pool
    lag: int = 1  # years after graduation before they teach


@dataclass(frozen=True)
class CoverageTarget:
    """Cumulative literacy-tier graduates of one audience that must be reached by a year."""

    region: str
    audience: str
    year: int
    persons: float


@dataclass(frozen=True)
class MinShare:
    """Intake of programmes matching `of` must be at least `share` of those matching `within`.

    Selectors map a programme attribute (`tier`, `audience`, `track`) to a value.
    """

    name: str
    share: float
    of: Mapping[str, str]
    within: Mapping[str, str] = field(default_factory=dict)

    def matches(self, p: Programme, selector: Mapping[str, str]) -> bool:
        """True when programme `p` has every attribute value the selector names."""
        return all(getattr(p, k) == v for k, v in selector.items())


@dataclass(frozen=True)
class Scenario:
    """A demand scenario (e.g. a quantile) with its probability."""

    name: str
    probability: float


@dataclass(frozen=True)
class PlanInputs:
    """Everything the planner needs, in plain Python and long frames.

    demand: columns region, role, level, scenario, year, value (persons).
    base_supply: columns region, role, level, year, value (persons without the plan).
    budget: (region, year) -> money available for additional seats; absent = unlimited.
    """

    years: tuple[int, ...]
    programmes: tuple[Programme, ...]
    scenarios: tuple[Scenario, ...]
    demand: pd.DataFrame
    base_supply: pd.DataFrame
    attrition: Mapping[tuple[str, str], float]  # (role, level) -> yearly exit share
    role_weight: Mapping[str, float] = field(default_factory=dict)  # default 1
    level_weight: Mapping[str, float] = field(default_factory=dict)  # default 1
    shortage_penalty: float = 1.0  # money per weighted person-year of shortage
    surplus_penalty: float = 0.0  # money per person-year of surplus
    terminal_weight: float = 0.0  # extra years the last year's shortage counts for
    discount_rate: float = 0.0
    cost_weight: float = 1.0
    budget: Mapping[tuple[str, int], float] = field(default_factory=dict)
    faculty: tuple[FacultyPool, ...] = ()
    coverage: tuple[CoverageTarget, ...] = ()
    min_shares: tuple[MinShare, ...] = ()
    money_unit: str = "million CNY"

    def discount(self, year: int) -> float:
        """Discount factor of `year` relative to the first plan year."""
        return float((1.0 + self.discount_rate) ** -(year - self.years[0]))

    def demand_rows(self) -> Iterator[tuple[tuple[str, str, str, int], str, float]]:
        """Each demand row as ((region, role, level, year), scenario, persons)."""
        for r in self.demand.to_dict("records"):
            yield ((str(r["region"]), str(r["role"]), str(r["level"]), int(r["year"])),
                   str(r["scenario"]), float(r["value"]))

    def base_supply_by_cell(self) -> dict[tuple[str, str, str, int], float]:
        """Supply without the plan by (region, role, level, year)."""
        return {(str(r["region"]), str(r["role"]), str(r["level"]), int(r["year"])): float(r["value"])
                for r in self.base_supply.to_dict("records")}


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
    for fld, v in numbers.items():
        if not _finite(v):
            out.append(f"{name}, field '{fld}': {v!r} — must be a finite number")
        elif v < 0:
            out.append(f"{name}, field '{fld}': {v} — must be ≥ 0")
    if _finite(p.duration) and p.duration <= 0:
        out.append(f"{name}, field 'duration': {p.duration} — must be > 0 years")
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
        problems += _programme_problems(p, pools)
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
        for fld in ("initial", "growth", "from_expert_share"):
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
