"""The planning file's schema: every table and key of `talent plan`'s TOML, checked before it is used.

`PlanningSchema` (pydantic, through `talent.io.schema`) checks keys, types and
ranges: unknown keys are errors with the closest valid key, rates are shares
in sensible ranges, costs and headcounts ≥ 0, years are calendar years.
`id_problems` then checks every id against the taxonomy (roles, levels,
tiers, audiences, tracks), every year key, the scenario names and that their
probabilities sum to 1. `check_planning` reports all problems together in one
`ConfigValidationError` (file, key path, value, fix, closest valid id).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from talent.errors import ConfigValidationError, Problem
from talent.io.schema import Schema, check, in_file, order_error
from talent.limits import MAX_HEADCOUNT
from talent.planning_checks import YEARS, cross_problems
from talent.taxonomy import Taxonomy, load_taxonomy

MAX_DURATION = 20  # years in training: the plan is modelled past its last year by twice the longest programme
MIN_DURATION = 0.02  # about a week: 1e-9 years made graduates free of seats, money and faculty
MAX_PENALTY = 1e6  # money per person-year: 1e12 made the LP run for minutes, 1e15 crashed the solver interface
PENALTY_FIX = f"use money per person-year, from 0 to {MAX_PENALTY:,.0f}"
# Larger numbers are typos or the wrong unit, and beyond them the LP solver fails (a cost of 1e15, a weight of 1e15
# or 1e-15 students per faculty member crashed HiGHS); headcounts are bounded as in the data (talent.limits).
MAX_MONEY = 1e12  # money a year or per seat-year, in the file's money unit
MAX_WEIGHT = 1000.0
SPF_RANGE = (0.01, 1e6)
CHANNELS = ("coop", "enterprise")  # delivery channels besides a tier's own (school) programmes
MIX_TOLERANCE = 0.01  # [track_mix] shares written with few decimals may miss 1 by rounding
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Persons = Annotated[float, Field(ge=0, le=MAX_HEADCOUNT)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
Text = Annotated[str, StringConstraints(min_length=1)]


def _fix(text: str) -> dict[str, Any]:
    return {"fix": text}


SHARE_FIX = "use a share between 0 and 1, e.g. 0.1 for 10%"
COUNT_FIX = f"use a number of persons from 0 to {MAX_HEADCOUNT:,}, without quotes"
MONEY_FIX = f"use money from 0 to {MAX_MONEY:,.0f} in the file's money unit, without quotes"
YEAR_FIX = f"write a calendar year between {YEARS[0]} and {YEARS[1]}, e.g. 2030"


class _PlanSchema(Schema):
    region: Text = "CN"
    start: int = Field(2025, ge=YEARS[0], le=YEARS[1], json_schema_extra=_fix(YEAR_FIX))
    until: int = Field(2030, ge=YEARS[0], le=YEARS[1], json_schema_extra=_fix(YEAR_FIX))
    money_unit: Text = "million CNY"
    discount_rate: float = Field(0.0, ge=0, lt=1, json_schema_extra=_fix("use a yearly rate from 0 to below 1, "
                                                                          "e.g. 0.03"))
    shortage_penalty: float = Field(1.0, ge=0, le=MAX_PENALTY, json_schema_extra=_fix(PENALTY_FIX))
    surplus_penalty: float = Field(0.0, ge=0, le=MAX_PENALTY, json_schema_extra=_fix(PENALTY_FIX))
    terminal_weight: float = Field(0.0, ge=0, le=100, json_schema_extra=_fix("use a number of years from 0 to "
                                                                              "100, e.g. 3"))
    track_for_general: Text = "general"
    ramp_down: float = Field(0.25, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    tiebreak_tolerance: float = Field(0.01, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    range_tolerance: float = Field(0.01, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    budget_carry_forward: float = Field(0.0, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    cvar_weight: float = Field(0.0, ge=0, le=1, json_schema_extra=_fix("use a weight from 0 to 1, e.g. 0.5"))
    cvar_alpha: float = Field(0.9, gt=0, lt=1, json_schema_extra=_fix("use a share strictly between 0 and 1"))
    coverage_penalty: float = Field(0.0, ge=0, le=MAX_PENALTY, json_schema_extra=_fix(
        f"use money per person, from 0 to {MAX_PENALTY:,.0f}"))
    horizon_extension: int = Field(0, ge=0, le=50, json_schema_extra=_fix("use 0 to 50 years"))
    extend_method: Literal["trend", "hold"] = "trend"
    shortage_grouping: Literal["cell", "role", "region"] = "region"
    target_year: int = Field(2030, ge=YEARS[0], le=YEARS[1], json_schema_extra=_fix(YEAR_FIX))
    shortage_segments: list[Annotated[list[NonNegative], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list, json_schema_extra=_fix("list [share, weight] pairs, e.g. [[0.5, 1.0], [1.0, 2.0]]"))

    @model_validator(mode="after")
    def _ordered(self) -> _PlanSchema:
        if "until" in self.model_fields_set and self.until < self.start:
            raise order_error("until", f"is before start ({self.start})", "make until ≥ start", self.until)
        return self


class _ProgrammeSchema(Schema):
    """Fields of a programme: in a tier (defaults), a tier's audience table, or a [programme."id"] override."""

    duration: float = Field(0.0, ge=MIN_DURATION, le=MAX_DURATION, json_schema_extra=_fix(
        f"use years in training, from {MIN_DURATION} (about a week) to {MAX_DURATION}, e.g. 3, or 0.25 for 3 months"))
    completion: float = Field(0.0, gt=0, le=1, json_schema_extra=_fix("use the share of entrants graduating, "
                                                                       "above 0 and at most 1, e.g. 0.9"))
    cost: float = Field(0.0, ge=0, le=MAX_MONEY, json_schema_extra=_fix(
        "use money per seat-year, 0 or more, e.g. 0.03"))
    students_per_faculty: float = Field(1.0, ge=SPF_RANGE[0], le=SPF_RANGE[1], json_schema_extra=_fix(
        f"use students per faculty member, from {SPF_RANGE[0]} to {SPF_RANGE[1]:,.0f}, e.g. 20"))
    growth: float = Field(0.0, ge=0, le=10, json_schema_extra=_fix("use a yearly growth share from 0 to 10, "
                                                                    "e.g. 0.25"))
    opening: float = Field(0.0, ge=0, le=MAX_HEADCOUNT, json_schema_extra=_fix(COUNT_FIX))
    existing_intake: float = Field(0.0, ge=0, le=MAX_HEADCOUNT, json_schema_extra=_fix(COUNT_FIX))
    yield_: float = Field(1.0, alias="yield", ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))


class _OverrideSchema(_ProgrammeSchema):
    enrolled: dict[str, Persons] = Field(default_factory=dict, json_schema_extra=_fix(
        "map intake year to persons, e.g. { 2023 = 3000 }"))
    ramp_down: float = Field(0.25, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))


class _TierSchema(_ProgrammeSchema):
    serves: Literal["coverage", "gap"] = "gap"
    applied_conversion: float = Field(0.0, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    level: Text = "applied"
    tracks: Any = "roles"
    faculty: float = Field(0.0, ge=0, le=MAX_HEADCOUNT, json_schema_extra=_fix(
        "use full-time equivalents, 0 or more, e.g. 22000"))
    faculty_growth: float = Field(0.0, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    faculty_from_expert_share: float = Field(0.0, ge=0, le=1, json_schema_extra=_fix(SHARE_FIX))
    faculty_lag: int = Field(1, ge=0, le=20, json_schema_extra=_fix("use 0 to 20 years"))
    audience: dict[str, _ProgrammeSchema] = Field(default_factory=dict)

    @field_validator("tracks")
    @classmethod
    def _tracks(cls, tracks: Any) -> Any:
        if isinstance(tracks, list) and all(isinstance(t, str) for t in tracks) and len(set(tracks)) < len(tracks):
            twice = sorted({t for t in tracks if tracks.count(t) > 1})
            raise order_error("", f"lists the track '{twice[0]}' twice", "list each track once", tracks)
        if tracks == "roles" or (isinstance(tracks, list) and tracks and all(isinstance(t, str) for t in tracks)):
            return tracks
        raise order_error("", "must be \"roles\" or a list of track ids",
                          'write tracks = "roles" (one programme per role) or e.g. tracks = ["general"]', tracks)


Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]
WEIGHT_FIX = f"use a weight from 0 to {MAX_WEIGHT:,.0f}, e.g. 1.5"


class _WeightsSchema(Schema):
    role: dict[str, Weight] = Field(default_factory=dict, json_schema_extra=_fix(WEIGHT_FIX))
    level: dict[str, Weight] = Field(default_factory=dict, json_schema_extra=_fix(WEIGHT_FIX))


class _BudgetSchema(Schema):
    base: float = Field(0.0, ge=0, le=MAX_MONEY, json_schema_extra=_fix(
        "use money a year without quotes, e.g. 10000.0"))
    growth: float = Field(0.0, ge=-1, le=1, json_schema_extra=_fix("use a yearly rate from -1 to 1, e.g. 0.1"))
    years: dict[str, Money] = Field(default_factory=dict, json_schema_extra=_fix(
        f"map year to money (0 to {MAX_MONEY:,.0f}), e.g. {{ 2026 = 12000.0 }}"))


class _CoverageSchema(Schema):
    data: Text | None = None
    sheet: Text | None = None  # the workbook sheet of `data`, when several hold data
    target: dict[str, dict[str, Share]] = Field(default_factory=dict, json_schema_extra=_fix(
        "use the share of the audience trained by that year, between 0 and 1, e.g. 2030 = 0.16"))


class _PoolSchema(Schema):
    persons: Any
    opportunity_cost: float = Field(0.0, ge=0, le=MAX_MONEY, json_schema_extra=_fix(MONEY_FIX))
    tiers: list[Text] = Field(default_factory=list)

    @field_validator("persons")
    @classmethod
    def _persons(cls, persons: Any) -> Any:
        def count(v: Any) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0

        values = list(persons.values()) if isinstance(persons, dict) else [persons]
        if all(count(v) for v in values) and max(values, default=0) > MAX_HEADCOUNT:
            raise order_error("", f"must be at most {MAX_HEADCOUNT:,} persons (more than live on Earth)",
                              "write the number of persons who can start training a year", persons)
        if count(persons) or (isinstance(persons, dict) and all(count(v) for v in persons.values())):
            return persons
        raise order_error("", "must be a number of persons ≥ 0, or a table year = persons",
                          "write e.g. persons = 800000 or persons = { 2025 = 800000, 2030 = 900000 }", persons)


class _MinShareSchema(Schema):
    name: Text | None = None
    share: Share = Field(json_schema_extra=_fix(SHARE_FIX))
    of: dict[str, Text] = Field(min_length=1, json_schema_extra=_fix('e.g. of = { tier = "expert", track = '
                                                                    '"ai_chips" }'))
    within: dict[str, Text] = Field(default_factory=dict)


class _ChannelSchema(_ProgrammeSchema):
    """A delivery channel of a tier's programmes: co-op (校企合作) or enterprise training (企业培训)."""

    tier: Text
    audiences: list[Text] = Field(min_length=1, json_schema_extra=_fix('list audience ids, e.g. ["students"]'))
    industry_share: Share = Field(0.0, json_schema_extra=_fix(SHARE_FIX))
    placement: Share = Field(0.0, json_schema_extra=_fix(SHARE_FIX))


class _IndustrySchema(Schema):
    budget: _BudgetSchema | None = None
    placements: _BudgetSchema | None = None


class _RegionShareSchema(Schema):
    people: Share | None = Field(None, json_schema_extra=_fix(SHARE_FIX))
    economy: Share | None = Field(None, json_schema_extra=_fix(SHARE_FIX))


class _RegionsSchema(Schema):
    central_share: Share = Field(0.0, json_schema_extra=_fix(SHARE_FIX))
    stay: Share = Field(0.8, json_schema_extra=_fix(SHARE_FIX))
    share: dict[str, _RegionShareSchema] = Field(default_factory=dict)
    mobility: dict[str, dict[str, Share]] = Field(default_factory=dict, json_schema_extra=_fix(
        'give each destination region a share, e.g. [regions.mobility."CN-HA"] CN-HA = 0.7, CN-GD = 0.3'))


class PlanningSchema(Schema):
    """The shape of a planning file ([plan], [scenarios] and [tiers] required)."""

    plan: _PlanSchema
    scenarios: dict[str, Share] = Field(min_length=1, json_schema_extra=_fix(
        "give each demand quantile a probability between 0 and 1, e.g. q10 = 0.3"))
    weights: _WeightsSchema | None = None
    budget: _BudgetSchema | None = None
    track_mix: dict[str, Share] = Field(default_factory=dict, json_schema_extra=_fix(SHARE_FIX))
    tiers: dict[str, _TierSchema] = Field(min_length=1)
    programme: dict[str, _OverrideSchema] = Field(default_factory=dict)
    coverage: _CoverageSchema | None = None
    pools: dict[str, _PoolSchema] = Field(default_factory=dict)
    min_share: list[_MinShareSchema] = Field(default_factory=list)
    channels: dict[str, _ChannelSchema] = Field(default_factory=dict)
    industry: _IndustrySchema | None = None
    regions: _RegionsSchema | None = None


def _table(raw: Any, *keys: str) -> Mapping[str, Any]:
    for key in keys:
        raw = raw.get(key) if isinstance(raw, Mapping) else None
    return raw if isinstance(raw, Mapping) else {}


_SECTIONS = {"role": "roles", "level": "levels", "tier": "tiers", "audience": "audiences", "track": "roles"}


def _unknown(file: str, key: str, value: object, kind: str, name: str, valid: list[str]) -> Problem:
    section = _SECTIONS.get(kind)
    text = name if isinstance(name, str) and len(name) <= 100 else None  # a list item may be anything
    labelled = load_taxonomy().resolve(section, text) if section and text else None  # 机器学习, ml
    if labelled in valid:  # a data file's label or alias: the planning file names entries by their ids
        return Problem(file, None, None, value, f"unknown {kind} '{name}': the planning file names a {kind} by its "
                       f"id, not by a label or alias", f"write '{labelled}' (the id of '{name}')", key=key)
    close = difflib.get_close_matches(text, valid, n=1, cutoff=0.6) if text else []  # `audiences = [true]`
    hint = f"did you mean '{close[0]}'? Use" if close else "use"
    return Problem(file, None, None, value, f"unknown {kind} '{name}'", f"{hint} one of: {', '.join(valid)}",
                   key=key)


def _year_problems(file: str, path: str, table: Mapping[str, Any]) -> list[Problem]:
    return [Problem(file, None, None, v, f"'{y}' is not a year", YEAR_FIX, key=f"{path}.{y}")
            for y, v in table.items() if not (str(y).isdigit() and YEARS[0] <= int(y) <= YEARS[1])]


QUANTILE_FIX = "name a demand quantile by its percent in two digits or more: q05 (5%), q10, q50, q90, q975"


def quantile_of(name: str) -> float:
    """q10 -> 0.1, q05 -> 0.05, q975 -> 0.975; NaN for a name that is not one. One digit (q5: 5% or 50%?) and a
    trailing zero after two digits (q100: 10% or 100%?) are ambiguous: NaN too (q5 was read as the median)."""
    digits = name[1:]
    if not (name.startswith("q") and digits.isdigit() and digits.isascii()) or len(digits) < 2 \
            or (len(digits) > 2 and digits.endswith("0")):
        return math.nan
    return float("0." + digits)


def _scenario_problems(file: str, scenarios: Mapping[str, Any]) -> list[Problem]:
    out = []
    for name, p in scenarios.items():
        if not 0 < quantile_of(name) < 1:
            out.append(Problem(file, None, None, p, f"'{name}' is not a demand quantile", QUANTILE_FIX,
                               key=f"scenarios.{name}"))
    probs = [p for p in scenarios.values() if isinstance(p, int | float) and not isinstance(p, bool)]
    if scenarios and len(probs) == len(scenarios) and abs(sum(probs) - 1) > 1e-6:
        out.append(Problem(file, None, None, round(sum(probs), 9), "probabilities do not sum to 1",
                           "make the scenario probabilities sum to 1, e.g. q10 = 0.3, q50 = 0.4, q90 = 0.3",
                           key="scenarios"))
    return out


def id_problems(raw: Mapping[str, Any], tax: Taxonomy, file: str) -> list[Problem]:
    """Every id, year key and scenario of a planning file that the taxonomy or the calendar does not know."""
    roles, levels, tiers, auds = tax.ids("roles"), tax.ids("levels"), tax.ids("tiers"), tax.ids("audiences")
    general = _table(raw, "plan").get("track_for_general", "general")
    out: list[Problem] = [Problem(file, None, None, general, "is a role id: general tracks would be taken for that "
                                  "role's", "use a name that is not a role, e.g. general", key="plan.track_for_general")
                          ] if general in roles else []

    def ids(path: str, table: Mapping[str, Any], kind: str, valid: list[str]) -> None:
        out.extend(_unknown(file, f"{path}.{k}", v, kind, k, valid) for k, v in table.items() if k not in valid)

    ids("weights.role", _table(raw, "weights", "role"), "role", roles)
    ids("weights.level", _table(raw, "weights", "level"), "level", levels)
    ids("track_mix", _table(raw, "track_mix"), "role", roles)
    ids("tiers", _table(raw, "tiers"), "tier", tiers)
    tracks = {str(general), *roles}
    for tier, t in _table(raw, "tiers").items():
        t = t if isinstance(t, Mapping) else {}
        ids(f"tiers.{tier}.audience", _table(t, "audience"), "audience", auds)
        if t.get("serves") != "coverage" and str(t.get("level", tier)) not in set(levels) - {"all"}:
            out.append(_unknown(file, f"tiers.{tier}.level", t.get("level", tier), "level",
                                str(t.get("level", tier)), [lv for lv in levels if lv != "all"]))
        if isinstance(t.get("tracks"), list):
            out += [_unknown(file, f"tiers.{tier}.tracks[{i}]", x, "track", x, [str(general), *roles])
                    for i, x in enumerate(t["tracks"]) if isinstance(x, str) and x not in tracks]
    ids("coverage.target", _table(raw, "coverage", "target"), "audience", auds)
    for aud, target in _table(raw, "coverage", "target").items():
        out += _year_problems(file, f"coverage.target.{aud}", target if isinstance(target, Mapping) else {})
    ids("pools", _table(raw, "pools"), "audience", auds)
    for aud, pool in _table(raw, "pools").items():
        out += _year_problems(file, f"pools.{aud}.persons", _table(pool, "persons"))
        listed = pool.get("tiers") if isinstance(pool, Mapping) else None
        out += [_unknown(file, f"pools.{aud}.tiers[{i}]", x, "tier", x, tiers)
                for i, x in enumerate(listed if isinstance(listed, list) else []) if x not in tiers]
    out += _year_problems(file, "budget.years", _table(raw, "budget", "years"))
    for pid, override in _table(raw, "programme").items():
        out += _year_problems(file, f"programme.{pid}.enrolled", _table(override, "enrolled"))
        out += _enrolled_problems(file, pid, _table(override, "enrolled"), _table(raw, "plan").get("start", 2025))
    for name, c in _table(raw, "channels").items():
        if name not in CHANNELS:  # it was one engine line per programme of the channel
            out.append(_unknown(file, f"channels.{name}", None, "channel", name, list(CHANNELS)))
        c = c if isinstance(c, Mapping) else {}
        if isinstance(c.get("tier"), str) and c.get("tier") not in _table(raw, "tiers"):  # a list: the schema's
            out.append(_unknown(file, f"channels.{name}.tier", c.get("tier"), "tier", str(c.get("tier")),
                                list(_table(raw, "tiers"))))
        listed = c.get("audiences")
        out += [_unknown(file, f"channels.{name}.audiences[{i}]", x, "audience", x, auds)
                for i, x in enumerate(listed if isinstance(listed, list) else []) if x not in auds]
    for part in ("budget", "placements"):
        out += _year_problems(file, f"industry.{part}.years", _table(raw, "industry", part, "years"))
    out += _min_share_problems(file, raw.get("min_share"), {"tier": tiers, "audience": auds, "track": sorted(tracks)})
    return out + _scenario_problems(file, _table(raw, "scenarios")) + _mix_problems(file, _table(raw, "track_mix"))


def _enrolled_problems(file: str, pid: str, enrolled: Mapping[str, Any], start: object) -> list[Problem]:
    """Cohorts in `enrolled` were admitted before the plan: one of a plan year was dropped silently."""
    if not isinstance(start, int) or isinstance(start, bool):
        return []
    return [Problem(file, None, None, v, f"a cohort admitted in {y}, not before the plan's first year ({start})",
                    f"list only cohorts admitted before {start}; the plan itself decides the intake from {start}",
                    key=f"programme.{pid}.enrolled.{y}")
            for y, v in enrolled.items() if str(y).isdigit() and int(y) >= start]


def _mix_problems(file: str, mix: Mapping[str, Any]) -> list[Problem]:
    """[track_mix] splits a tier's entrants across the role tracks: its shares must add up to 1."""
    shares = [v for v in mix.values() if isinstance(v, int | float) and not isinstance(v, bool)]
    if not mix or len(shares) != len(mix) or not all(math.isfinite(v) for v in shares):
        return []
    total = sum(shares)
    if abs(total - 1) <= MIX_TOLERANCE:
        return []
    return [Problem(file, None, None, round(total, 6), f"the shares sum to {total:.4g}, not 1",
                    "make the role shares sum to 1: they split each tier's entrants (and general graduates) "
                    "across the roles, e.g. machine_learning = 0.456, ai_chips = 0.072, …", key="track_mix")]


def _min_share_problems(file: str, rules: object, valid: Mapping[str, list[str]]) -> list[Problem]:
    """[[min_share]] rules: selectors naming known tiers, audiences and tracks; no two rules with one name."""
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        label = rule.get("name") if isinstance(rule, Mapping) else None
        if isinstance(label, str) and label in seen:  # limits are reported by name: two rules must not share one
            out.append(Problem(file, None, None, label, f"the name '{label}' is also the name of "
                               f"min_share[{seen[label]}]", "give every [[min_share]] rule its own name",
                               key=f"min_share[{i}].name"))
        elif isinstance(label, str):
            seen[label] = i
        for part in ("of", "within"):
            for attr, value in _table(rule, part).items():
                if attr not in valid:
                    out.append(_unknown(file, f"min_share[{i}].{part}.{attr}", value, "selector", attr, list(valid)))
                elif value not in valid[attr]:
                    out.append(_unknown(file, f"min_share[{i}].{part}.{attr}", value, attr, str(value), valid[attr]))
    return out


def check_planning(raw: Mapping[str, Any], tax: Taxonomy, file: str) -> None:
    """Check a planning file's tables; raise one `ConfigValidationError` listing every problem."""
    problems: list[Problem] = []
    try:
        check(PlanningSchema, raw, in_file(file))
    except ConfigValidationError as exc:
        problems += exc.problems
    problems += [p for p in id_problems(raw, tax, file) if p not in problems]
    problems = cross_problems(raw, {"role": tax.ids("roles"), "level": tax.ids("levels")}, file, problems)
    if problems:
        raise ConfigValidationError(problems)
