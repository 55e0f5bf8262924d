"""The constraint families of the planning LP: one name each, and what their keys mean.

`curricula.model` registers every constraint as `PlanModel.add(family, key, ...)` with a
tuple `key`; `KEY_FIELDS[family]` names the positions of that tuple. Everything that
reads a key (descriptions, duals by field, the application's labels) goes through this
table instead of assuming positions of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

SUPPLY_FLOW = "supply_flow"  # plan-added supply balance (equality)
TRAINED = "trained"  # graduates trained in a region per role, level, year (with mobility; equality)
SHORTAGE = "shortage"  # shortage u ≥ demand − supply
SHORTAGE_GROUP = "shortage_group"  # convex penalty: Σ_k W_k ≥ Σ_cells w·u (internal)
SURPLUS = "surplus"  # priced surplus, only when surplus_penalty > 0
BUDGET = "budget"
CENTRAL_BUDGET = "central_budget"  # Σ_r central transfer c[r, y] ≤ central budget[y]
INDUSTRY_BUDGET = "industry_budget"  # firms' share of seat cost ≤ industry budget[r, y]
PLACEMENT = "placement"  # placement seat-years ≤ placement places[r, y]
FACULTY_CAPACITY = "faculty_capacity"
FACULTY_GROWTH = "faculty_growth"
INTAKE_GROWTH = "intake_growth"
COVERAGE = "coverage"
MIN_SHARE = "min_share"
RAMP = "ramp"  # a programme's intake falls at most `ramp_down` a year
POOL = "pool"  # entrants of an audience ≤ its candidate pool
CVAR = "cvar"  # Rockafellar–Uryasev: z_s ≥ loss_s − η (internal)
BAND = "band"  # second stage: planning objective ≤ (1 + ε)·optimum (internal)
SMOOTH = "smooth"  # second stage: |n[p, t] − n[p, t − 1]| (internal)
SHARE = "share"  # second stage: |n[p, t] − s_p·N[group, t]| (internal)
TIER_TOTAL = "tier_total"  # second stage: N[region, tier, t] = Σ n (internal)
ANCHOR = "anchor"  # second stage: a tier's intake over the plan years = the optimum's (internal)

#: Per family, the names of its key's positions, in the order the model builds them.
KEY_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    SUPPLY_FLOW: ("region", "role", "level", "year"),
    TRAINED: ("region", "role", "level", "year"),
    SHORTAGE: ("region", "role", "level", "year", "scenario"),
    SURPLUS: ("region", "role", "level", "year", "scenario"),
    SHORTAGE_GROUP: ("region", "role", "level", "year", "scenario"),  # role, level "all" when grouped
    BUDGET: ("region", "year"),
    CENTRAL_BUDGET: ("year",),
    INDUSTRY_BUDGET: ("region", "year"),
    PLACEMENT: ("region", "year"),
    FACULTY_CAPACITY: ("region", "tier", "year"),
    FACULTY_GROWTH: ("region", "tier", "year"),
    INTAKE_GROWTH: ("programme", "year"),
    COVERAGE: ("region", "audience", "year"),
    MIN_SHARE: ("name", "region", "year"),
    RAMP: ("programme", "year"),
    POOL: ("region", "audience", "year"),
    CVAR: ("scenario",),
    BAND: (),
    SMOOTH: ("programme", "year"),
    SHARE: ("programme", "year"),
    TIER_TOTAL: ("region", "tier", "year"),
    ANCHOR: ("region", "tier"),
})

#: Families of hard constraints (those that can make the plan infeasible).
HARD_FAMILIES: tuple[str, ...] = (
    BUDGET, FACULTY_CAPACITY, FACULTY_GROWTH, INTAKE_GROWTH, COVERAGE, MIN_SHARE, RAMP, POOL,
    CENTRAL_BUDGET, INDUSTRY_BUDGET, PLACEMENT,
)

#: Families of bookkeeping rows: in `KEY_FIELDS` but without rows in `PlanResult.duals`.
INTERNAL_FAMILIES: tuple[str, ...] = (
    SUPPLY_FLOW, TRAINED, SURPLUS, SHORTAGE_GROUP, CVAR, BAND, SMOOTH, SHARE, TIER_TOTAL, ANCHOR)

#: Every key field name once, in order of first appearance in `KEY_FIELDS`.
ALL_KEY_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(f for fs in KEY_FIELDS.values() for f in fs))


def key_dict(family: str, key: tuple[object, ...]) -> dict[str, object]:
    """The `key` of a `family` constraint by field name, e.g. {'region': 'CN', 'year': 2027}.

    Raises KeyError for an unknown family and ValueError when the key has the wrong length.
    """
    fields = KEY_FIELDS[family]
    if len(key) != len(fields):
        raise ValueError(f"a {family} key has {len(fields)} fields {fields}, got {key!r}")
    return dict(zip(fields, key, strict=True))
