"""Checks of a planning file's values that the engine found only later, without the key to change.

Each rule here was an engine message naming programmes instead of the key, repeated once per programme:

- an audience listed twice in a channel (`audiences = ["students", "students"]`): "duplicate ids" of six
  programmes;
- `persons = {}` in a pool: "{} — must be finite numbers ≥ 0. Fix: give a value that is finite numbers ≥ 0";
- `[weights.level] all = 5` was accepted and did nothing: the plan weighs the levels' shortages, never their total;
- keys a tier's kind never uses: `yield` or `level` in a tier that serves the coverage targets (its graduates
  add no professionals; `applied_conversion` is the share who go on to applied work), `applied_conversion` in a
  tier that serves the gap (its graduates count by `yield`): accepted, and nothing changed;
- `faculty_from_expert_share` plus the expert yield above 1 (a graduate counted both in the field and on the
  faculty): one line per expert programme, each "Fix: give a value that is ≤ 1".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from talent.errors import Problem


def _table(raw: Any, *keys: str) -> Mapping[str, Any]:
    for key in keys:
        raw = raw.get(key) if isinstance(raw, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}


def _number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _audiences_twice(raw: Mapping[str, Any], file: str) -> list[Problem]:
    out = []
    for name, channel in _table(raw, "channels").items():
        listed = channel.get("audiences") if isinstance(channel, Mapping) else None
        twice = sorted({a for a in listed if listed.count(a) > 1 and isinstance(a, str)}) \
            if isinstance(listed, list) else []
        if twice:
            out.append(Problem(file, None, None, listed, f"lists the audience '{twice[0]}' twice",
                               "list each audience once", key=f"channels.{name}.audiences"))
    return out


def _empty_persons(raw: Mapping[str, Any], file: str) -> list[Problem]:
    return [Problem(file, None, None, None, "is an empty table: no persons for any year",
                    "give one number of persons a year (persons = 800000) or year = persons, e.g. persons = "
                    "{ 2025 = 800000, 2030 = 900000 }", key=f"pools.{aud}.persons")
            for aud, pool in _table(raw, "pools").items()
            if isinstance(pool, Mapping) and isinstance(pool.get("persons"), Mapping) and not pool["persons"]]


def _expert_yield(raw: Mapping[str, Any]) -> float:
    """The largest yield a programme of the expert tier gets from the file (an audience's, else the tier's, else
    1; a programme's own override; a channel's): 0 without expert programmes."""
    tier = _table(raw, "tiers", "expert")
    own = tier.get("yield", 1.0)
    given = [a.get("yield", own) for a in _table(tier, "audience").values() if isinstance(a, Mapping)]
    given += [p["yield"] for pid, p in _table(raw, "programme").items()
              if str(pid).startswith("expert.") and isinstance(p, Mapping) and "yield" in p]
    given += [c.get("yield", 1.0) for c in _table(raw, "channels").values()
              if isinstance(c, Mapping) and c.get("tier") == "expert"]
    return max((float(y) for y in given if _number(y)), default=0.0)


def _faculty_share(raw: Mapping[str, Any], file: str) -> list[Problem]:
    shares = {name: t["faculty_from_expert_share"] for name, t in _table(raw, "tiers").items()
              if isinstance(t, Mapping) and _number(t.get("faculty_from_expert_share"))
              and t["faculty_from_expert_share"] > 0}
    best = _expert_yield(raw)
    if not shares or sum(shares.values()) + best <= 1 + 1e-9:
        return []
    return [Problem(file, None, None, share, f"plus the expert yield ({best:g}) is more than 1: a graduate would "
                    "count both in the field and on the faculty",
                    f"make the shares becoming faculty and the expert yield add up to at most 1, e.g. "
                    f"faculty_from_expert_share = {max(0.0, round(1 - best, 4)):g}",
                    key=f"tiers.{name}.faculty_from_expert_share") for name, share in shares.items()]


def _weight_of_all(raw: Mapping[str, Any], file: str) -> list[Problem]:
    weights = _table(raw, "weights", "level")
    return [Problem(file, None, None, weights["all"], "'all' is the total of the levels, which the plan never weighs "
                    "(it weighs each level's shortage), so this weight would change nothing",
                    "give the levels their own weights, e.g. expert = 2.0 and applied = 1.0", key="weights.level.all")
            ] if "all" in weights else []


_UNUSED = {True: (("yield", "level"), "the tier serves the coverage targets, and its graduates add no "
                  "professionals", "remove it; give applied_conversion for the share of a coverage tier's graduates "
                  "who go on to applied work"),
           False: (("applied_conversion",), "the tier serves the gap, and its graduates count by yield",
                   'remove it; applied_conversion is for a tier with serves = "coverage"')}


def _unused_keys(raw: Mapping[str, Any], file: str) -> list[Problem]:
    out = []
    for name, tier in _table(raw, "tiers").items():
        if not isinstance(tier, Mapping):
            continue
        keys, why, fix = _UNUSED[tier.get("serves") == "coverage"]
        places = [(f"tiers.{name}", tier), *((f"tiers.{name}.audience.{a}", t)
                                             for a, t in _table(tier, "audience").items() if isinstance(t, Mapping))]
        places += [(f'programme."{pid}"', p) for pid, p in _table(raw, "programme").items()
                   if str(pid).split(".")[0] == name and isinstance(p, Mapping)]
        out += [Problem(file, None, None, table[key], f"is not used: {why}", fix, key=f"{where}.{key}")
                for where, table in places for key in keys if key in table]
    return out


def value_problems(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """The problems above, each naming its key (see the module docstring)."""
    return (_audiences_twice(raw, file) + _empty_persons(raw, file) + _faculty_share(raw, file)
            + _weight_of_all(raw, file) + _unused_keys(raw, file))
