"""The typed plan result (`PlanResult`), constraint descriptions and units.

Duals are reported as `value`: how much the (discounted) objective falls per unit of
relaxation of the constraint, in money units, so that a positive number always means
"relaxing this would help" whatever the sense of the row; `persons`: how many persons of
target-year professional gap one unit of relaxation closes (see `curricula.persons`).
docs/planner.md says how to read each family. The extraction from a solved model is in
`curricula.extract`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from curricula.families import (
    ALL_KEY_FIELDS,
    BUDGET,
    CENTRAL_BUDGET,
    COVERAGE,
    FACULTY_CAPACITY,
    FACULTY_GROWTH,
    INDUSTRY_BUDGET,
    INTAKE_GROWTH,
    KEY_FIELDS,
    MIN_SHARE,
    PLACEMENT,
    POOL,
    RAMP,
    SHORTAGE,
    SUPPLY_FLOW,
    SURPLUS,
    key_dict,
)

#: Per family: the unit one step of relaxation is measured in.
RELAX_UNIT = {
    BUDGET: "{money}",
    CENTRAL_BUDGET: "{money}",
    INDUSTRY_BUDGET: "{money}",
    PLACEMENT: "placement place",
    FACULTY_CAPACITY: "faculty FTE",
    FACULTY_GROWTH: "faculty FTE",
    INTAKE_GROWTH: "seat",
    COVERAGE: "person",
    MIN_SHARE: "seat",
    RAMP: "seat",
    POOL: "person",
    SHORTAGE: "person",
    SUPPLY_FLOW: "person",
    SURPLUS: "person",
}

#: Per family: the constraint in words, filled from its key by field name (`KEY_FIELDS`).
_DESCRIPTIONS = {
    BUDGET: "the budget in {year} ({region})",
    CENTRAL_BUDGET: "the central budget in {year}",
    INDUSTRY_BUDGET: "the industry budget in {year} ({region})",
    PLACEMENT: "the placement places in {year} ({region})",
    FACULTY_CAPACITY: "the {tier} faculty in {year} ({region})",
    FACULTY_GROWTH: "the {tier} faculty growth limit in {year} ({region})",
    INTAKE_GROWTH: "the intake growth limit of '{programme}' in {year}",
    COVERAGE: "the literacy coverage target for {audience} by {year} ({region})",
    MIN_SHARE: "the minimum share '{name}' in {year} ({region})",
    RAMP: "the ramp-down limit of '{programme}' in {year}",
    POOL: "the candidate pool of {audience} in {year} ({region})",
    SHORTAGE: "one more {level}-level {role} person in {year} ({region}, scenario {scenario})",
}

#: Per hard family: the family in words (diagnosis, what limits the gap).
FAMILY_WORDS = {
    BUDGET: "the budget",
    CENTRAL_BUDGET: "the central budget",
    INDUSTRY_BUDGET: "the industry budgets",
    PLACEMENT: "the placement places",
    FACULTY_CAPACITY: "faculty numbers",
    FACULTY_GROWTH: "the faculty growth limits",
    INTAKE_GROWTH: "the intake growth limits",
    COVERAGE: "the literacy coverage targets",
    MIN_SHARE: "the minimum shares",
    RAMP: "the ramp-down limits",
    POOL: "the candidate pools",
}

#: Columns of `PlanResult.duals`; `duals_by_field()` replaces `key` by `ALL_KEY_FIELDS`.
DUAL_COLUMNS = ("family", "key", "description", "value", "unit", "binding", "persons",
                "persons_side")

#: Columns of `PlanResult.ranges` (near-optimal ranges, `curricula.mga`).
RANGE_COLUMNS = ("kind", "region", "programme", "tier", "audience", "planned", "min", "max")

#: Columns of `PlanResult.flows` (graduates entering work, by where trained and where working).
FLOW_COLUMNS = ("from_region", "to_region", "role", "level", "year", "graduates")

#: Columns of `PlanResult.limits` (what limits the gap, `curricula.binding`).
LIMIT_COLUMNS = ("family", "description", "binding_rows", "gap_with", "gap_without")


def describe(family: str, key: tuple[object, ...]) -> str:
    """A constraint in words, e.g. 'the budget in 2027 (CN)'."""
    template = _DESCRIPTIONS.get(family)
    if template is None or len(key) != len(KEY_FIELDS.get(family, ())):
        return f"{family} {key}"
    return template.format(**key_dict(family, key))


@dataclass(frozen=True)
class Relaxation:
    """One constraint that must be relaxed by `amount` (in `unit`) to make the plan feasible."""

    family: str
    key: tuple[object, ...]
    description: str
    amount: float
    unit: str


@dataclass(frozen=True)
class Diagnosis:
    """Why a plan is infeasible: the conflicting families and, per family, a sufficient fix."""

    conflicting: tuple[Relaxation, ...]
    fixes: dict[str, tuple[Relaxation, ...]]
    text: str


@dataclass(frozen=True)
class PlanResult:
    """A solved (or diagnosed) plan. All frames are long; money is in `money_unit`."""

    status: str
    objective: float
    solver: str
    intake: pd.DataFrame  # region, programme, tier, audience, track, channel, year, intake
    enrolment: pd.DataFrame  # region, programme, tier, audience, track, channel, year, seat_years
    graduates: pd.DataFrame  # region, programme, tier, audience, track, channel, year, graduates
    added_supply: pd.DataFrame  # region, role, level, year, added
    gap: pd.DataFrame  # region, role, level, year, scenario, demand, base_supply, added, ...
    cost: pd.DataFrame  # region, year, cost, budget, …, industry, public, central, industry_budget
    faculty: pd.DataFrame  # region, tier, year, faculty, load
    duals: pd.DataFrame  # family, key, description, value, unit, binding, persons, persons_side
    money_unit: str = "million CNY"
    diagnosis: Diagnosis | None = None
    timings: dict[str, float] = field(default_factory=dict)
    plan_objective: float = math.nan  # the planning objective of the reported plan (≤ (1 + ε)·objective)
    horizon: tuple[int, ...] = ()  # modelled years: the plan years and the extension
    beyond: pd.DataFrame = field(default_factory=pd.DataFrame)  # region, programme, year, intake (extension)
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)  # region, audience, year, target, reached, shortfall
    ranges: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(RANGE_COLUMNS)))
    limits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(LIMIT_COLUMNS)))
    unmatched_yields: tuple[tuple[str, str, str], ...] = ()  # (programme, role, level) without demand
    # (programme, role, level, works_in, share of the programme's graduates): shares sent to a
    # region without that role and level (issue 12: partial data)
    unmatched_flows: tuple[tuple[str, str, str, str, float], ...] = ()
    # from_region, to_region, role, level, year, graduates: the plan's graduates entering work
    flows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FLOW_COLUMNS)))
    target_year: int = 0
    professional_levels: tuple[str, ...] = ()
    optimal_money: float = math.nan  # discounted money of the optimal plan (the bands' unit)

    @property
    def optimal(self) -> bool:
        """True when the solver proved optimality."""
        return self.status == "optimal"

    def total_cost(self) -> float:
        """Money charged to the budgets over the plan years (committed cohorts, new seats,
        faculty salaries), in `money_unit`. The employees' lost work is `cost.opportunity`."""
        return float(self.cost["cost"].sum()) if "cost" in self.cost else 0.0

    def target_gap(self, year: int | None = None) -> tuple[float, float]:
        """Expected professional gap (persons) in `year` (default the target year): before
        the plan and after it (the residual shortage)."""
        y = self.target_year if year is None else year
        g = self.expected_gap()
        g = g[(g["year"] == y) & g["level"].isin(self.professional_levels)]
        return float(g["gap_before"].sum()), float(g["gap_after"].sum())

    def binding(self) -> pd.DataFrame:
        """Binding hard constraints with a positive value of relaxation, largest first."""
        d = self.duals
        d = d[(d["family"] != SHORTAGE) & d["binding"] & (d["value"] > 1e-9)]
        return d.sort_values("value", ascending=False).reset_index(drop=True)

    def duals_by_field(self) -> pd.DataFrame:
        """`duals` with each key spread over named columns, one per field of `KEY_FIELDS`.

        Columns: family, then `ALL_KEY_FIELDS` (region, role, level, year, scenario,
        tier, programme, audience, name), then description, value, unit, binding. A
        field that a family's key lacks is None (e.g. `tier` of a budget row), so rows
        of every family can be filtered alike: `d[(d.family == "budget") & (d.year == 2027)]`.
        """
        d = self.duals
        named = [key_dict(f, tuple(k)) for f, k in zip(d["family"], d["key"], strict=True)]
        out = pd.DataFrame({"family": d["family"].to_numpy()}, index=d.index)
        for name in ALL_KEY_FIELDS:
            out[name] = pd.Series([n.get(name) for n in named], index=d.index,
                                  dtype=None if named else object)
        for col in DUAL_COLUMNS[2:]:
            out[col] = d[col]
        return out

    def shortage_prices(self) -> pd.DataFrame:
        """Shadow price of shortage per region, role, level and year (summed over scenarios)."""
        d = self.duals[self.duals["family"] == SHORTAGE]
        if d.empty:
            return pd.DataFrame(columns=["region", "role", "level", "year", "value"])
        k = pd.DataFrame(d["key"].tolist(), columns=list(KEY_FIELDS[SHORTAGE]))
        k["value"] = d["value"].to_numpy()
        return k.groupby(["region", "role", "level", "year"], as_index=False)[["value"]].sum()

    def expected_gap(self) -> pd.DataFrame:
        """Probability-weighted gap before and after the plan per region, role, level, year."""
        if self.gap.empty:
            return pd.DataFrame(columns=["region", "role", "level", "year", "gap_before", "gap_after"])
        g = self.gap.assign(b=self.gap["gap_before"] * self.gap["probability"],
                            a=self.gap["shortage"] * self.gap["probability"])
        out = g.groupby(["region", "role", "level", "year"], as_index=False)[["b", "a"]].sum()
        return out.rename(columns={"b": "gap_before", "a": "gap_after"})
