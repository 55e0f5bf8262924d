"""Checks of a planning file across its tables, beyond the schema (`talent.planning_schema`), and fixes that
point at the key the user most likely meant.

Each rule here was a silent misread or a message that blamed the wrong key:

- an empty `[budget]` table read as no budget at all: the public budget was unlimited;
- a role track of a tier with several role tracks, missing from `[track_mix]`, took the tier's whole baseline
  intake (`existing_intake`) instead of a share of it (an empty `[track_mix]` multiplied it by the number of
  roles, and the plan was then 'infeasible' for faculty);
- a typo in `plan.track_for_general` was reported as an unknown track of a tier, with the typo as the
  suggestion ('did you mean 'genral'?');
- a year written straight into `[budget]` (`2025 = 100.0`) got 'unknown key' without saying that yearly
  values go in `years`;
- a plan of many years (`until = 2100`, or `--until 2100`) was accepted and solved for hours: the LP, its
  tie-break and its explanations grow faster than the years (measured on the default file: 6 years 4 s,
  16 years 63 s, 26 years 230 s, 76 years more than 15 minutes). At most `MAX_PLAN_YEARS` are planned;
- a cohort in `enrolled` that had graduated before the plan's first year (admitted in 1990 to a four-year
  programme) was ignored silently;
- a planning file written as JSON or YAML, or with a Chinese key not in quotes (`人工智能芯片 = 1.5`), got
  "not valid TOML (Invalid statement …)" and a fix about TOML syntax in general;
- a `shortage_segments` multiplier of 1e300 crashed the solver (exit 70);
- a shortage penalty of 0, or every role's (or every level's) weight 0, or every band's multiplier 0, took the
  gap out of the objective: the plan trained for the coverage targets only, and was reported as 'optimal'.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from talent.errors import ConfigValidationError, Problem, TalentError
from talent.io.toml_file import read_toml
from talent.paths import default_planning_path
from talent.planning_values import value_problems

YEARS = (1950, 2100)  # the calendar years a planning file may name
MAX_PLAN_YEARS = 30  # plan years from start to until; a longer-range question is one of forecasts, not seats


def _table(raw: Any, *keys: str) -> Mapping[str, Any]:
    for key in keys:
        raw = raw.get(key) if isinstance(raw, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}


def _empty_budget(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """`[budget]` given with no base and no years: read as no budget, so the plan's money was unlimited."""
    budget = raw.get("budget")
    if not isinstance(budget, Mapping) or budget:
        return []
    return [Problem(file, None, None, None, "the table is empty, so the plan would have no budget limit at all",
                    "give the budget for additional seats: base (and growth), e.g. base = 10000.0 and growth = 0.1, "
                    "or years = { 2025 = 10000.0, … } for every plan year; remove [budget] only to plan without "
                    "a budget limit", key="budget")]


def _role_tracks(tier: Mapping[str, Any], roles: list[str]) -> list[str]:
    tracks = tier.get("tracks")
    listed = roles if tracks == "roles" else tracks if isinstance(tracks, list) else []
    return [t for t in listed if t in roles]


def _mix_missing(raw: Mapping[str, Any], roles: list[str], file: str) -> list[Problem]:
    """Role tracks of tiers with several role tracks that `[track_mix]` does not share: each took the whole
    baseline intake of its tier and audience (its share is taken as 1), silently."""
    mix = raw.get("track_mix", {})
    if not isinstance(mix, Mapping):
        return []
    missing: dict[str, list[str]] = {}
    for name, tier in _table(raw, "tiers").items():
        tracks = _role_tracks(tier, roles) if isinstance(tier, Mapping) else []
        for track in tracks if len(tracks) > 1 else ():
            if track not in mix:
                missing.setdefault(track, []).append(str(name))
    if not missing:
        return []
    tiers = sorted({t for names in missing.values() for t in names})
    return [Problem(file, None, None, None,
                    f"no share for the role track(s) {', '.join(missing)} of the tier(s) {', '.join(tiers)}: each "
                    "would take the tier's whole baseline intake (existing_intake), not its share",
                    f"give every role's share of a tier's entrants in [track_mix], the shares summing to 1, e.g. "
                    f"{next(iter(missing))} = 0.1", key="track_mix")]


_REQUIRED = {"plan": "a [plan] table (region, start, until, money_unit, …)",
             "tiers": "the training tiers, e.g. [tiers.applied] with level, tracks, duration, cost, yield and "
                      "[tiers.applied.audience.students] existing_intake"}
_YEAR_KEY = re.compile(r"(budget|industry\.budget|industry\.placements)\.(\d{4})")


def _refined(p: Problem, raw: Mapping[str, Any]) -> Problem:
    """`p` with a fix pointing at the key the user most likely meant (see the module docstring)."""
    year = _YEAR_KEY.fullmatch(p.key or "")
    if year and p.message == "unknown key":
        table = year.group(1)
        return dataclasses.replace(p, fix=f"give yearly values in {table}.years, e.g. years = {{ {year.group(2)} = "
                                          f"{p.value!r} }}; a budget without base must give every plan year")
    if p.key in _REQUIRED and p.message == "missing key":  # the fix was "add this key"
        return dataclasses.replace(p, fix=f"add {_REQUIRED[p.key]}, as in talent/assets/planning.toml")
    if re.fullmatch(r"pools\.[^.]+\.persons", p.key or "") and p.message == "missing key":
        return dataclasses.replace(p, fix="add the persons who can start training a year, e.g. persons = 800000")
    general = _table(raw, "plan").get("track_for_general")
    track = re.fullmatch(r"tiers\.[^.]+\.tracks\[\d+\]", p.key or "")
    if track and isinstance(general, str) and p.message.startswith("unknown track") and p.value != general:
        return dataclasses.replace(p, fix=f"{p.fix}; or, if '{p.value}' is the track of programmes not tied to "
                                          f"one role, set plan.track_for_general = \"{p.value}\" (it is "
                                          f"'{general}')")
    return p


_BARE_KEY = re.compile(r"\s*([^\s\"'=#\[\]]+)\s*=")
_YAML_KEY = re.compile(r"[A-Za-z_][\w-]*:(\s.*)?")


def _bare_key_fix(key: str) -> str:
    """What to write for a key of characters a TOML key cannot have without quotes (机器学习 = 1.2)."""
    from talent.taxonomy import load_taxonomy

    tax = load_taxonomy()
    found = next((i for i in (tax.resolve(s, key) for s in ("roles", "levels", "tiers", "audiences")) if i), None)
    if found is not None:  # a label or alias of the taxonomy: the planning file names entries by their ids
        return f"is a label; the planning file names it by its id: write {found} = …"
    return (f"has characters a TOML key without quotes cannot have (only A-Z, a-z, 0-9, _ and -): write it in "
            f"double quotes, \"{key}\" = …")


def not_toml_fix(path: Path) -> str | None:
    """The fix for a planning file TOML cannot read, when its text says why (see the module docstring): JSON,
    YAML, or a key with characters a bare TOML key cannot have. None when it does not (or is not UTF-8 text)."""
    try:  # a pipe or a device is named by the reader; opening one here would wait for a writer for ever
        raw = path.read_bytes() if path.is_file() and path.stat().st_size <= 1 << 20 else b""
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [(i, line.strip()) for i, line in enumerate(text.splitlines(), 1) if line.strip()[:1] not in ("", "#")]
    if not lines:
        return None
    first = lines[0][1]
    if first.startswith("{") or (first.startswith("[") and first[1:].lstrip()[:1] in ("{", '"', "]", "")):
        return (f"{path.name} looks like JSON; a planning file is TOML: [plan], [scenarios] and [tiers] tables of "
                "key = value lines. Write it as TOML, starting from a copy of talent/assets/planning.toml")
    if _YAML_KEY.fullmatch(first) and "=" not in first:
        return (f"{path.name} looks like YAML (key: value); a planning file is TOML: [tables] of key = value lines. "
                "Write it as TOML, starting from a copy of talent/assets/planning.toml")
    for number, line in lines:
        key = _BARE_KEY.match(line)
        if key and not key.group(1).isascii():
            return f"line {number}: the key {key.group(1)} {_bare_key_fix(key.group(1))}"
    return None


def span_problem(where: str, key: str | None, start: int, until: int) -> Problem | None:
    """A plan from `start` to `until` of more than `MAX_PLAN_YEARS` years (see the module docstring)."""
    years = until - start + 1
    if years <= MAX_PLAN_YEARS:
        return None
    return Problem(where, None, None, until, f"plans {years} years ({start}–{until}), more than the {MAX_PLAN_YEARS} a "
                   "plan may span (solving it would take very long: 26 years take about 4 minutes)",
                   f"plan up to {start + MAX_PLAN_YEARS - 1} at the latest (or start later); forecast further "
                   "with talent forecast --until", key=key)


def check_until(planning: Path | None, until: int | None, option: str = "--until") -> None:
    """`--until` of `talent plan` or `talent run` (or the settings' forecast.until, `option` naming it) against
    the planning file's start: a plan longer than `MAX_PLAN_YEARS` is refused before anything is forecast or
    solved (a usage error, exit 2, for the option). A planning file that cannot be read is left to its own,
    fuller message."""
    if until is None:
        return
    try:
        plan = read_toml(planning or default_planning_path(), "planning file").get("plan", {})
    except TalentError:
        return
    start = plan.get("start", 2025) if isinstance(plan, dict) else None  # [[plan]]: named by the schema
    if not (isinstance(start, int) and not isinstance(start, bool) and YEARS[0] <= start <= YEARS[1]):
        return  # a start the schema refuses (1800) is named there, as plan.start, not blamed on the option
    if p := span_problem(option, None, start, until):
        raise ConfigValidationError([p], usage=option.startswith("--"))


def coverage_file_named(planning: Path | None) -> list[Path]:
    """The coverage data file beside `planning` that its `[coverage] data` names, if it is there: an input of the
    plan, for an output to be checked against before anything is solved. A file that cannot be read: none (its
    problems are named when it is loaded)."""
    path = planning or default_planning_path()
    try:
        name = _table(read_toml(path, "planning file"), "coverage").get("data")
    except TalentError:
        return []
    beside = path.parent / name if isinstance(name, str) and name else None
    return [beside] if beside is not None and beside.is_file() else []


def _span(raw: Mapping[str, Any], file: str) -> list[Problem]:
    plan = _table(raw, "plan")
    start, until = plan.get("start", 2025), plan.get("until", 2030)
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in (start, until)):
        return []  # named by the schema
    problem = span_problem(file, "plan.until", start, until)
    return [problem] if problem else []


def _number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _zero_weights(raw: Mapping[str, Any], ids: Mapping[str, list[str]], file: str) -> list[Problem]:
    """Weights that make every person short cost nothing (see the module docstring). A file whose tiers all
    serve the coverage targets has no gap to weigh."""
    tiers = _table(raw, "tiers").values()
    if all(isinstance(t, Mapping) and t.get("serves") == "coverage" for t in tiers):
        return []
    why = ("so the plan would give the gap no weight: it would train for the coverage targets and minimum shares "
           "only, however large the shortage")
    out = []
    plan = _table(raw, "plan")
    if plan.get("shortage_penalty", 1.0) == 0 and _number(plan.get("shortage_penalty", 1.0)):
        out.append(Problem(file, None, None, plan["shortage_penalty"], f"is 0, {why}",
                           "give the cost of a weighted person-year of shortage, above 0, e.g. shortage_penalty = "
                           "0.1; to plan literacy only, make every tier serve = \"coverage\"",
                           key="plan.shortage_penalty"))
    for kind in ("role", "level"):
        table, valid = _table(raw, "weights", kind), [i for i in ids[kind] if i != "all"]
        if valid and all(_number(table.get(i)) and table[i] == 0 for i in valid):
            out.append(Problem(file, None, None, None, f"every {kind}'s weight is 0 ({', '.join(valid)}), {why}",
                               f"give the {kind}s whose shortage matters a weight above 0 (1 is the default), "
                               f"e.g. {valid[0]} = 1.0", key=f"weights.{kind}"))
    segments = plan.get("shortage_segments")
    if isinstance(segments, list) and segments and all(isinstance(s, list) and len(s) == 2 and _number(s[1])
                                                       and s[1] == 0 for s in segments):
        out.append(Problem(file, None, None, segments, f"every band's multiplier is 0, {why}",
                           "give the bands rising multipliers above 0, e.g. [[0.5, 1.0], [1.0, 2.0]]",
                           key="plan.shortage_segments"))
    return out


def _duration(raw: Mapping[str, Any], pid: str) -> object:
    """The duration of programme `pid` (tier.audience.track[.channel]) as the file sets it, or None."""
    parts = pid.split(".")
    tier = _table(raw, "tiers", parts[0])
    places = [_table(raw, "programme", pid)]
    places += [_table(raw, "channels", parts[3])] if len(parts) == 4 else []
    places += [_table(tier, "audience", parts[1]), tier] if len(parts) >= 2 else []
    return next((t["duration"] for t in places if "duration" in t), None)


def _cohorts_done(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """Cohorts in `enrolled` whose graduates left before the plan's first year (see the module docstring)."""
    start, out = _table(raw, "plan").get("start", 2025), []
    for pid, override in _table(raw, "programme").items():
        years = _duration(raw, str(pid))
        if not (isinstance(start, int) and YEARS[0] <= start <= YEARS[1] and _number(years)
                and 0 < float(years) <= 100):  # type: ignore[arg-type]
            continue  # a bad start or duration: named by the schema
        lag = math.ceil(float(years))  # type: ignore[arg-type]
        for y, v in _table(override, "enrolled").items():
            if str(y).isdigit() and int(y) + lag <= start:
                out.append(Problem(file, None, None, v, f"a cohort admitted in {y} to a programme of {years:g} "
                                   f"year(s) graduated by the end of {int(y) + lag - 1}, before the plan's first "
                                   f"year ({start}): the plan counts no graduates before it (the data's supply holds "
                                   "those of its years), so the cohort changes nothing",
                                   f"remove it; list only cohorts still in training in {start} (admitted "
                                   f"{start - lag + 1}–{start - 1})", key=f"programme.{pid}.enrolled.{y}"))
    return out


def _segment_problems(raw: Mapping[str, Any], file: str) -> list[Problem]:
    """Multipliers of `shortage_segments` above `MAX_WEIGHT`: 1e300 crashed the solver (exit 70)."""
    from talent.planning_schema import MAX_WEIGHT

    segments = _table(raw, "plan").get("shortage_segments")
    return [Problem(file, None, None, seg[1], f"the multiplier of band {k} is above {MAX_WEIGHT:,.0f}",
                    f"use multipliers from 0 to {MAX_WEIGHT:,.0f}, rising band by band, e.g. [[0.5, 1.0], [1.0, 2.0]]",
                    key=f"plan.shortage_segments[{k}]")
            for k, seg in enumerate(segments if isinstance(segments, list) else [])
            if isinstance(seg, list) and len(seg) == 2 and _number(seg[1]) and seg[1] > MAX_WEIGHT]


def cross_problems(raw: Mapping[str, Any], ids: Mapping[str, list[str]], file: str,
                   problems: list[Problem]) -> list[Problem]:
    """`problems` (of the schema and the ids) with better fixes, and the problems across tables. `ids`: the
    taxonomy's role and level ids."""
    out = [_refined(p, raw) for p in problems]
    return (out + _empty_budget(raw, file) + _mix_missing(raw, ids["role"], file) + _span(raw, file)
            + _zero_weights(raw, ids, file) + _cohorts_done(raw, file) + _segment_problems(raw, file)
            + value_problems(raw, file))  # talent.planning_values
