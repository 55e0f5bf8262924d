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
SHORTAGE = "shortage"  # priced shortage u ≥ demand − supply
SURPLUS = "surplus"  # priced surplus, only when surplus_penalty > 0
BUDGET = "budget"
FACULTY_CAPACITY = "faculty_capacity"
FACULTY_GROWTH = "faculty_growth"
INTAKE_GROWTH = "intake_growth"
COVERAGE = "coverage"
MIN_SHARE = "min_share"

#: Per family, the names of its key's positions, in the order the model builds them.
KEY_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    SUPPLY_FLOW: ("region", "role", "level", "year"),
    SHORTAGE: ("region", "role", "level", "year", "scenario"),
    SURPLUS: ("region", "role", "level", "year", "scenario"),
    BUDGET: ("region", "year"),
    FACULTY_CAPACITY: ("region", "tier", "year"),
    FACULTY_GROWTH: ("region", "tier", "year"),
    INTAKE_GROWTH: ("programme", "year"),
    COVERAGE: ("region", "audience", "year"),
    MIN_SHARE: ("name", "region", "year"),
})

#: Families of hard constraints (those that can make the plan infeasible).
HARD_FAMILIES: tuple[str, ...] = (
    BUDGET, FACULTY_CAPACITY, FACULTY_GROWTH, INTAKE_GROWTH, COVERAGE, MIN_SHARE,
)

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
