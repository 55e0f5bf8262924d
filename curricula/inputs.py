"""Planner inputs: plain dataclasses and long frames, validated before PuLP sees them.

Every number the LP uses passes through `curricula.validation.validate` first, so a
NaN, an infinity, a negative cost, a zero duration or yields summing above 1 is refused
with the entry named (`PlanInputError`) instead of producing a silently wrong plan.
The regional and co-operation inputs of issue 12 (channels, industry co-funding,
placements, a central budget, graduate mobility) default to "none", so a plan that does
not use them is unchanged. The options of issue 11 (extended horizon, ramp limits, convex shortage penalty, CVaR,
tie-break, near-optimal ranges, candidate pools, carry-forward, faculty salaries) are
fields with defaults here; docs/planner.md explains each.
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
    ramp_down: float | None = None  # max relative fall of intake a year; None = the plan's `ramp_down`
    # --- regional planning and industry–university cooperation (issue 12) ---
    channel: str = "school"  # "school", "coop" (校企合作) or "enterprise" (企业培训, firms' own training)
    industry_share: float = 0.0  # share of the seat cost paid by firms (region's industry budget), 0..1
    placement: float = 0.0  # firm placement/internship places one seat-year in training uses, 0..1

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
    salary: float = 0.0  # money per FTE-year above `initial`, paid from the budget


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
class CandidatePool:
    """The persons of one audience in one region who can start training in a year.

    Every programme of the audience (of `tiers`, all tiers when empty) draws its entrants,
    baseline (`existing_intake`) and additional, from the pool. `persons` is one number
    for every year or a mapping year -> persons (a year not given takes the value of the
    latest earlier year given, or of the first). `opportunity_cost` is money per
    seat-year of this audience in training (output lost while employees study): in the
    objective, not in the budget.
    """

    region: str
    audience: str
    persons: float | Mapping[int, float]
    opportunity_cost: float = 0.0
    tiers: tuple[str, ...] = ()

    def size(self, year: int) -> float:
        """Candidates in `year`."""
        if not isinstance(self.persons, Mapping):
            return float(self.persons)
        known = sorted(self.persons)
        earlier = [y for y in known if y <= year]
        return float(self.persons[earlier[-1] if earlier else known[0]])

    def draws(self, p: Programme) -> bool:
        """True when programme `p` takes its entrants from this pool."""
        return (p.region == self.region and p.audience == self.audience
                and (not self.tiers or p.tier in self.tiers))


#: Default convex shortage penalty: (upper end of the unmet share of demand, multiplier of
#: the shortage penalty), five bands of 20 points; the last segment is unbounded whatever
#: its upper end. The last person short when 80–100% of demand is unmet costs 3× the first.
DEFAULT_SEGMENTS: tuple[tuple[float, float], ...] = (
    (0.2, 1.0), (0.4, 1.25), (0.6, 1.5), (0.8, 2.0), (1.0, 3.0))


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
    central_budget: year -> money the centre may spend on seats in any region that has a
        budget row, on top of the regional budgets (absent year = no central money).
    industry_budget: (region, year) -> firms' money for the industry share of seats
        (`Programme.industry_share`); absent = no limit.
    placements: (region, year) -> firm placement/internship places; absent = no limit.
    mobility: (trained_in, works_in) -> share of the graduates trained in a region who work
        in another; an origin not listed keeps all its graduates; a listed origin's shares
        sum to 1.
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
    # --- decision-grade options (issue 11); docs/planner.md explains each ---
    horizon_extension: int | None = None  # years modelled after `years`; None = 2 × longest duration
    extend_method: str = "trend"  # demand, supply and budget past the data: "trend" or "hold"
    ramp_down: float | None = 0.25  # max relative fall of a programme's intake a year; None = off
    shortage_segments: tuple[tuple[float, float], ...] = DEFAULT_SEGMENTS  # () = linear
    shortage_grouping: str = "region"  # unmet share of: "cell", "role" or "region" (curricula.penalty)
    cvar_weight: float = 0.0  # λ: weight of CVaR of the shortage loss (0 = expectation only)
    cvar_alpha: float = 0.9  # α: CVaR of the worst 1 − α of scenario probability
    tiebreak_tolerance: float | None = 0.01  # ε of the second solve (share of money); None = none
    range_tolerance: float = 0.01  # δ of the near-optimal ranges (share of money)
    budget_carry_forward: float = 0.0  # share of unspent budget carried into the next year
    pools: tuple[CandidatePool, ...] = ()
    coverage_penalty: float | None = None  # money per person short of a target; None = hard
    target_year: int | None = None  # year of the gap in persons; None = last of `years`
    professional_levels: tuple[str, ...] | None = None  # None = every level but "literacy"
    # --- regional planning and industry–university cooperation (issue 12) ---
    central_budget: Mapping[int, float] = field(default_factory=dict)  # year -> central money
    industry_budget: Mapping[tuple[str, int], float] = field(default_factory=dict)  # (region, year)
    placements: Mapping[tuple[str, int], float] = field(default_factory=dict)  # (region, year) -> places
    mobility: Mapping[tuple[str, str], float] = field(default_factory=dict)  # (trained_in, works_in)

    def destinations(self, region: str) -> list[tuple[str, float]]:
        """Where the graduates trained in `region` work: (works_in, share > 0), sorted; the
        region itself with share 1 when `mobility` does not list it as an origin."""
        out = sorted((to, float(v)) for (frm, to), v in self.mobility.items() if frm == region and v > 0)
        listed = any(frm == region for frm, _ in self.mobility)
        return out if listed else [(region, 1.0)]

    @property
    def target(self) -> int:
        """The year whose professional gap the persons figures measure."""
        return self.target_year if self.target_year is not None else self.years[-1]

    def professional(self) -> tuple[str, ...]:
        """Levels counted as professional (the gap in persons)."""
        if self.professional_levels is not None:
            return tuple(self.professional_levels)
        return tuple(sorted({str(v) for v in self.demand["level"]} - {"literacy"}))

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
