"""The planning file's keys behind each constraint of an infeasible plan's diagnosis.

The planner diagnoses in its own words ("relax faculty numbers: the applied
faculty in 2025 (CN) by 21,000 faculty FTEs"); a user edits a TOML file. This
module names, for each family the diagnosis says to relax, the keys of the
planning file that set that limit, with the values they hold now
(`tiers.applied.faculty = 0`), so the message says what to change and where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from talent import engines
from talent.planning_regions import REGION_SEP

_F = engines.families
# per family: the keys that set its limit; {tier}, {audience}, {year}, {programme}, {name} from the constraint's key
_KEYS: dict[str, tuple[str, ...]] = {
    _F.BUDGET: ("budget.base", "budget.growth", "budget.years", "--budget"),
    _F.CENTRAL_BUDGET: ("regions.central_share", "budget.base"),
    _F.INDUSTRY_BUDGET: ("industry.budget.base", "industry.budget.years", "channels.*.industry_share"),
    _F.PLACEMENT: ("industry.placements.base", "industry.placements.years", "channels.*.placement"),
    _F.FACULTY_CAPACITY: ("tiers.{tier}.faculty", "tiers.{tier}.students_per_faculty", "tiers.{tier}.faculty_growth"),
    _F.FACULTY_GROWTH: ("tiers.{tier}.faculty_growth", "tiers.{tier}.faculty"),
    _F.INTAKE_GROWTH: ("tiers.{tier}.growth", "tiers.{tier}.opening"),
    _F.COVERAGE: ("coverage.target.{audience}.{year}", "pools.{audience}.persons"),
    _F.MIN_SHARE: ("min_share (the rule named '{name}')",),
    _F.RAMP: ("plan.ramp_down", "tiers.{tier}.existing_intake"),
    _F.POOL: ("pools.{audience}.persons", "tiers.*.audience.{audience}.existing_intake"),
}


def _value(raw: Mapping[str, Any], dotted: str) -> str:
    """' = 0' for a key the file sets to 0 (a table's value is not shown), ' (not set)' for a key it lacks."""
    node: Any = raw
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return " (not set)"
        node = node[part]
    return "" if isinstance(node, Mapping) else f" = {node!r}"


def _fields(family: str, key: Sequence[object]) -> dict[str, str]:
    """The constraint's key by field name, with the tier of a programme id ('CN-HA:applied.students.ml')."""
    fields = {f: str(v) for f, v in zip(_F.KEY_FIELDS.get(family, ()), key, strict=False)}
    if "programme" in fields:
        fields["tier"] = fields["programme"].rpartition(REGION_SEP)[2].split(".")[0]
    return fields


def planning_keys(diagnosis: engines.Diagnosis | None, raw: Mapping[str, Any]) -> list[str]:
    """The planning file's keys (with their values) that set the limits the diagnosis says to relax, each once,
    in the order of the diagnosis' fixes (the conflicting constraints when no family alone is a fix)."""
    if diagnosis is None:
        return []
    relaxed = [r for rel in diagnosis.fixes.values() for r in rel] or list(diagnosis.conflicting)
    out: dict[str, None] = {}
    for r in relaxed:
        fields = _fields(r.family, r.key)
        for template in _KEYS.get(r.family, ()):
            try:
                key = template.format(**fields)
            except KeyError:  # a field this constraint's key lacks
                continue
            shown = key if key.startswith("--") or "*" in key or " " in key else key + _value(raw, key)
            out.setdefault(shown, None)
        share = _SHARE.get(r.family)
        region = fields.get("region", "")
        if share and region and region != str(raw.get("plan", {}).get("region", "CN")):  # a province's part
            out.setdefault(f'regions.share."{region}".{share}', None)
    return list(out)


# a province's part of the national figures: people (faculty, candidates) or economy (money, firms)
_SHARE = {_F.FACULTY_CAPACITY: "people", _F.FACULTY_GROWTH: "people", _F.POOL: "people", _F.COVERAGE: "people",
          _F.BUDGET: "economy", _F.INDUSTRY_BUDGET: "economy", _F.PLACEMENT: "economy"}
