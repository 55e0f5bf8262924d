"""What to change for each problem the planner's input checks report (`curricula.PlanInputError`).

The planner names the entry, the field and the value in its own words; the
application adds the fix in the planning file's terms (its keys, the options
of `talent plan`), so every solver-input problem ends in "Fix: …". A problem
no rule knows gets the generic fix its "— must be …" or "— use …" part states.
"""

from __future__ import annotations

import re

# a candidate pool below the baseline intake: a province's pool is its share of the national one
_BELOW = r"/(?P<audience>[^,]+), field 'persons': .* is below the baseline intake its programmes already take " \
         r"\((?P<base>[\d,.]+)\)"
_OR_LOWER = "or lower the existing_intake of the tiers whose audience is {audience} (their sum is the baseline intake)"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), f) for p, f in (
    (r"candidate pool (?P<region>[^/,]+-[^/,]+)" + _BELOW,
     "raise pools.{audience}.persons so that {region}'s share of it is at least {base} persons a year, " + _OR_LOWER),
    (r"candidate pool (?P<region>[^/,]+)" + _BELOW,
     "raise pools.{audience}.persons to at least {base} persons a year, " + _OR_LOWER),
    (r"candidate pool (?P<region>[^/,]+)/(?P<audience>[^,]+): defined twice",
     "keep one [pools.{audience}] table"),
    (r"no faculty pool for tier '(?P<tier>[^']*)' in region '(?P<region>[^']*)'",
     "give tier '{tier}' a faculty (tiers.{tier}.faculty), or plan region {region} without it"),
    (r"yield \((?P<role>'[^']*'), (?P<level>'[^']*')\): no demand for that role and level",
     "remove the role {role} from the programme's tracks, or add demand series for role {role} and level "
     "{level} to the data"),
    (r"^demand: scenarios (?P<names>.*) have no probability",
     "give each demand scenario a probability in [scenarios] (or with --scenarios)"),
    (r"^years: the plan needs at least one year", "make --until (or [plan] until) the plan's first year or later"),
    (r"^years: .* must be consecutive", "plan every year from [plan] start to --until"),
    (r"^programmes: duplicate ids", "give each programme one [programme.\"id\"] table and each track once"),
    (r"no values for plan years (?P<years>\[.*\])",
     "forecast up to the last plan year (--until), or end the plan before {years}"),
    (r"duplicate rows for the same keys and year", "keep one row per series and year in the data"),
    (r"missing columns (?P<columns>.*)", "add the columns {columns} to the table"),
    (r"sum to [\d.e+-]+ — must sum to 1", "make the shares sum to 1"),
    (r"^scenarios: at least one is needed", "give at least one demand scenario in [scenarios] (or --scenarios)"),
))


def with_fix(problem: str) -> str:
    """`problem` (one line of a `PlanInputError`) ending in the fix: what to change in the planning file."""
    if "Fix:" in problem:
        return problem
    for pattern, fix in _RULES:
        found = pattern.search(problem)
        if found:
            return f"{problem}. Fix: {fix.format(**found.groupdict())}"
    _, dash, rule = problem.partition(" — ")
    if dash and rule.startswith("must be "):
        return f"{problem}. Fix: give a value that is {rule.removeprefix('must be ')}"
    if dash and rule.startswith("use "):
        return f"{problem}. Fix: {rule}"
    return f"{problem}. Fix: correct this entry of the planning file"
