"""Regional planning: which regions of the data a plan covers, and how a planning file's figures reach them.

A series file may hold a country and its provinces (`CN`, `CN-HA`, …, `CN-ZZ`), where the
provinces add up to the country. The plan then covers the *leaf* regions (those with no
sub-region in the data): planning `CN` as well would count every person twice. The national
total of the plan is the sum of the leaves.

The planning file states national figures. In a regional plan they are shared among the
leaves (modelled; the `[regions]` table of the planning file; README, "Regional plans"):

- figures about **people and education capacity** (baseline intake, extra seats a programme
  may open, faculty, candidate pools, literacy shortfalls) by each region's share of the
  country's professional **supply** in its last observed year: training happens where it happens now;
- figures about **money and firms** (public budget, firms' budget, placement places) by each
  region's share of the country's professional **demand** in that year: budgets follow the economy
  (shares of the country, not of the regions planned: a province planned alone gets its part);
- a share `central_share` of the national budget is held by the centre and may fund seats
  in any region planned (their demand shares' part of it; `PlanInputs.central_budget`);
- graduates work where they trained with probability `stay`; the rest move to the other
  regions in proportion to their demand shares, unless `[regions.mobility.<from>]` gives the row.

Explicit `[regions.share.<region>]` entries (`people`, `economy`) override the computed shares.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from talent import engines
from talent.errors import ConfigValidationError, DataValidationError, Problem, TalentWarning, shorten
from talent.io.regions import load_regions

#: Separates the region from the programme id in a plan of several regions ("CN-HA:applied.students.robotics").
REGION_SEP = ":"
DEFAULT_STAY = 0.8  # modelled: share of graduates who work in the region where they trained
DEFAULT_CENTRAL_SHARE = 0.0


@dataclass(frozen=True)
class RegionShare:
    """A region's share of the national figures: `people` (education, candidates) and `economy` (money, firms)."""

    people: float
    economy: float


def leaf_regions(regions: list[str]) -> list[str]:
    """The regions with no sub-region among `regions` (`CN` is the parent of `CN-HA` and `CN-ZZ`), sorted."""
    return sorted(r for r in set(regions) if not any(o != r and o.startswith(f"{r}-") for o in regions))


def region_keys(keys: list[str], path: str, regions: list[str], where: str) -> tuple[dict[str, str], list[Problem]]:
    """The planned region each key of a `[regions.<path>]` table names: a planned code as it is, a lower-case
    one in upper case and a mainland province's name as its code (a warning says so, as for [plan] region and
    data files); the others are problems naming the key, the value and the closest planned region ('CN-HAA':
    did you mean 'CN-HA (Henan Sheng)'?)."""
    codes = load_regions()
    out: dict[str, str] = {}
    problems = []
    for key in keys:
        code = key.strip().upper()
        if key in regions or (code in regions and code not in keys):
            out[key] = code
            if key != code:
                warnings.warn(f"{where}, key {path}.\"{key}\": region codes are stored in upper case: read "
                              f"{key!r} as {code!r}", TalentWarning, stacklevel=3)
            continue
        named = codes.province(key) if code not in regions else None  # '河南', 'Henan Sheng'
        if named in regions and named not in keys and named not in out.values():
            out[key] = named
            warnings.warn(f"{where}, key {path}.\"{key}\": region names are read as their province codes: read "
                          f"{key!r} as {named!r}; write the code to silence this", TalentWarning, stacklevel=3)
            continue
        if code in regions or named in regions:  # 'cn-ha' or '河南' beside 'CN-HA'
            problems.append(Problem(where, None, None, key, f"is also given as '{named or code}'",
                                    f"give {named or code} once", key=f'{path}."{key}"'))
            continue
        problems.append(Problem(where, None, None, key, f"is not a region of this plan ({len(regions)} planned)",
                                f"{codes.hint(key, regions)}use one of {shorten(', '.join(regions))}",
                                key=f'{path}."{key}"'))
    return out, problems


def plan_regions(series: pd.DataFrame, region: str | None, home: str, where: str = "the planning file") -> list[str]:
    """The regions a plan covers: `region` when given, else the leaf regions of the data under the
    planning file's region `home` (itself, or its provinces); `[home]` when the data has neither."""
    if region is not None:  # the option's region: one the data has (it was blamed on the file's [plan] region)
        known = sorted(str(r) for r in series["region"].unique())
        named = load_regions().province(region)  # '河南', '河南省', 'Henan': read as data files read them
        if region not in known and named in known:
            warnings.warn(f"--region {region!r}: read as {load_regions().label(str(named))}", TalentWarning,
                          stacklevel=2)
            return [str(named)]
        if region not in known:
            source = series.attrs.get("source", "the data")
            hint = load_regions().hint(region, known)  # 'CN-HAA': CN-HA
            raise ConfigValidationError([Problem("--region", None, None, region, f"{source} has no series for this "
                                                 "region", f"{hint}give one of {shorten(', '.join(known))}")],
                                        usage=True)
        return [region]
    present = [str(r) for r in series["region"].unique()]
    mine = [r for r in present if r == home or r.startswith(f"{home}-")]
    parent = [r for r in present if home.startswith(f"{r}-")]
    if region is None and parent and home in present:  # a province: its own figures
        warnings.warn(f"{where}, key plan.region: '{home}' is a part of {parent[0]} in the data, so the file's "
                      f"figures (budget, faculty, candidates, firms) are taken as {home}'s own, not shared out of "
                      f"{parent[0]}'s. Fix: if they are {parent[0]}'s, set region = \"{parent[0]}\" and plan "
                      f"{home} with --region {home}", TalentWarning, stacklevel=2)
    return leaf_regions(mine) if mine else [home]


def check_sides(series: pd.DataFrame, regions: list[str]) -> None:
    """Every planned region needs demand and supply series: a missing side is a `DataValidationError`
    naming the data file, the region and the fix (the planner would otherwise blame the planning file)."""
    source = str(series.attrs.get("source", "the series data"))
    problems = []
    for region in regions if {"region", "kind"} <= set(series.columns) else []:
        kinds = set(series.loc[series["region"] == region, "kind"])
        for kind in ("demand", "supply"):
            if kinds and kind not in kinds:
                has = " and ".join(sorted(kinds))
                problems.append(Problem(source, None, "kind", None, f"region '{region}' has {has} series only, "
                                        f"no {kind}: a plan needs both demand and supply",
                                        f"add the {kind} rows of {region} (kind = {kind}), or plan another region "
                                        "with --region"))
    if problems:
        raise DataValidationError(problems)


def forecast_regions(present: list[str], regions: list[str]) -> list[str]:
    """The regions to forecast for a plan of `regions`: each one's top-most ancestor in the data
    (`CN` for `CN-HA`) with everything under it, so that provinces are reconciled with their
    country (`talent.gaps.reconcile`) whether one, some or all of them are planned."""
    roots = {min((a for a in present if r == a or r.startswith(f"{a}-")), key=len, default=r) for r in regions}
    return sorted({r for r in present if any(r == a or r.startswith(f"{a}-") for a in roots)} | set(regions))


def _last_observed(series: pd.DataFrame, kind: str, levels: tuple[str, ...]) -> pd.Series:
    """Professional persons of `kind` per region in that region's last observed year."""
    rows = series[(series["kind"] == kind) & series["level"].isin(levels)]
    last = rows.groupby("region")["year"].transform("max")
    return rows[rows["year"] == last].groupby("region")["value"].sum()


def _totals(series: pd.DataFrame, levels: tuple[str, ...], home: str, national: pd.DataFrame | None
            ) -> tuple[dict[str, pd.Series], dict[str, float] | None]:
    """Per kind, the regions' professional persons in their last observed year, and the country's
    (`home`) totals: from its own rows in `series`, else from `national`; None when neither has them."""
    own = {k: _last_observed(series, k, levels) for k in ("supply", "demand")}
    for source in (series, national):
        if source is not None and (source["region"] == home).any():
            whole = own if source is series else {k: _last_observed(source, k, levels) for k in own}
            return own, {k: float(v.get(home, 0.0)) for k, v in whole.items()}
    return own, None


def region_shares(series: pd.DataFrame, regions: list[str], levels: tuple[str, ...],
                  overrides: Mapping[str, Mapping[str, float]], where: str, home: str,
                  national: pd.DataFrame | None = None) -> dict[str, RegionShare]:
    """Each region's share of the country's (`home`) professional supply (`people`) and demand
    (`economy`), in its last observed year, so that a province gets its part of the national figures
    whether it is planned alone, with some provinces or with all of them. The country's totals come
    from its rows in `series`, else from `national` (the tool's default data, when it covers `home`);
    with neither, the planned regions are taken to be the whole country (a warning says so).
    `[regions.share.<region>]` entries replace the computed values."""
    present = {str(r) for r in series["region"].unique()}  # shares of the data's other provinces: not used here
    overrides = {k: v for k, v in overrides.items() if (code := str(k).strip().upper()) in regions
                 or code not in present or any(r.startswith(f"{code}-") for r in regions)}
    named, problems = region_keys([str(k) for k in overrides], "regions.share", regions, where)
    if problems:
        raise ConfigValidationError(problems)
    overrides = {named[str(k)]: v for k, v in overrides.items()}
    if regions == [home] and not overrides:
        return {home: RegionShare(1.0, 1.0)}
    own, totals = _totals(series, levels, home, national)
    given_all = all({"people", "economy"} <= set(overrides.get(r, {})) for r in regions)
    if totals is None and not given_all:
        warnings.warn(f"{where}: the data has no rows for {home} (the country of the planning file), so the "
                      f"{len(regions)} region(s) planned ({', '.join(regions)}) are taken to be the whole of "
                      f"{home} and share all of its figures (budget, faculty, candidates); add {home}'s rows "
                      f"to the data or give each region's share in [regions.share]", TalentWarning, stacklevel=2)
    value = {k: v.reindex(regions).fillna(0.0) for k, v in own.items()}
    whole = {k: (totals or {}).get(k, 0.0) or float(value[k].sum()) for k in own}
    out = {}
    for r in regions:
        people, economy = (float(value[k][r] / whole[k]) if whole[k] > 0 else 1.0 / len(regions)
                           for k in ("supply", "demand"))
        given = overrides.get(r, {})
        out[r] = RegionShare(float(given.get("people", people)), float(given.get("economy", economy)))
    data = str(series.attrs.get("source", "the data"))
    problems = [p for kind in ("people", "economy") if (p := _over_whole(out, overrides, kind, home, where, data))]
    if problems:
        raise ConfigValidationError(problems)
    return out


def _over_whole(shares: Mapping[str, RegionShare], given: Mapping[str, Mapping[str, float]], kind: str, home: str,
                where: str, data: str = "the data") -> Problem | None:
    """Given `kind` shares that, with the computed shares of the other regions planned, make more than the whole
    country: a problem naming the keys and values given and the part computed from the data (it named only
    the table)."""
    total = sum(getattr(s, kind) for s in shares.values())
    mine = {r: float(v[kind]) for r, v in given.items() if r in shares and v.get(kind) is not None}
    if total <= 1 + 1e-6:
        return None
    if not mine:  # the data's provinces are more than their country: each would get too large a part of its figures
        side = "supply" if kind == "people" else "demand"
        parts = ", ".join(f"{r} {getattr(s, kind):.3g}" for r, s in sorted(shares.items()))
        return Problem(data, None, None, round(total, 6), f"the regions planned have {total:.4g} times {home}'s "
                       f"professional {side} (each in its last observed year; {parts}; {home}'s from its rows, "
                       f"else from the embedded national data), so their {kind} shares of {home}'s figures in "
                       f"{where} would sum to more than the whole", f"correct the {side} rows "
                       f"(provinces are parts of {home}: together at most its total), or give each region's {kind} "
                       f"in [regions.share] of {where}")
    rest = total - sum(mine.values())
    others = len(shares) - len(mine)
    keys = ", ".join(f'regions.share."{r}".{kind}' for r in mine)
    values = ", ".join(f"{r} {v:g}" for r, v in mine.items())
    computed = f" and {rest:.4g} computed from the data for the other {others} region(s)" if others else ""
    left = 1 - rest
    room = ("" if not others else f" (at most {left:.4g} for the regions given)" if left > 1e-6 else
            f" (the other regions' shares computed from the data already make the whole: give each planned "
            f"region's {kind})")
    return Problem(where, None, None, round(total, 6), f"the {kind} shares of the regions planned sum to "
                   f"{total:.4g}, more than the whole of {home} (1): given {values}{computed}",
                   f"make each region's {kind} its share of {home} so that together they are at most 1{room}",
                   key=keys)


def _mobility_rows(rows: Mapping[str, Mapping[str, float]], regions: list[str], where: str
                   ) -> tuple[dict[str, dict[str, float]], list[Problem]]:
    """`[regions.mobility]` with its origins and destinations resolved to planned regions (`region_keys`)."""
    origins, problems = region_keys([str(k) for k in rows], "regions.mobility", regions, where)
    out: dict[str, dict[str, float]] = {}
    for key, row in rows.items():
        dests, more = region_keys([str(k) for k in row], f'regions.mobility."{key}"', regions, where)
        problems += more
        if str(key) in origins:
            out[origins[str(key)]] = {dests[str(k)]: v for k, v in row.items() if str(k) in dests}
        total = sum(float(v) for v in row.values())
        if not more and abs(total - 1.0) > 1e-6:  # the rest was not assumed to stay, nor to move: say so
            problems.append(Problem(where, None, None, round(total, 6), f"the shares of graduates trained in {key} "
                                    f"sum to {total:.4g}, not 1", "make them sum to 1: every graduate works "
                                    f"somewhere, and a row replaces the stay rule for {key} (give the share who "
                                    f"stay as {key} = …)", key=f'regions.mobility."{key}"'))
    return out, problems


def mobility(section: Mapping[str, Any], shares: Mapping[str, RegionShare], where: str) -> dict[tuple[str, str], float]:
    """(trained in, works in) -> share of graduates: the explicit rows of `[regions.mobility]`, the
    `stay` rule for the other regions. Empty for a plan of one region (explicit rows then warn that
    they are not used)."""
    regions = sorted(shares)
    if len(regions) < 2:
        if section.get("mobility"):
            warnings.warn(f"{where}, [regions.mobility]: not used, the plan covers one region ({', '.join(regions)}); "
                          "graduate mobility applies to a plan of several regions (a data file with provinces)",
                          TalentWarning, stacklevel=2)
        return {}
    stay = float(section.get("stay", DEFAULT_STAY))
    rows, problems = _mobility_rows(section.get("mobility", {}), regions, where)
    if problems:
        raise ConfigValidationError(problems)
    out: dict[tuple[str, str], float] = {}
    for origin in regions:
        if origin in rows:
            row = {str(k): float(v) for k, v in rows[origin].items()}
        else:
            others = {r: shares[r].economy for r in regions if r != origin}
            total = sum(others.values())
            row = {origin: stay} | {r: (1.0 - stay) * (w / total if total > 0 else 1.0 / len(others))
                                    for r, w in others.items()}
        out.update({(origin, dest): share for dest, share in row.items() if share > 0})
    return out


def regional_programme(p: engines.Programme, share: RegionShare, prefix: bool = True) -> engines.Programme:
    """A national programme of the planning file in one region: its baseline intake, opening and
    admitted cohorts scaled by the region's `people` share; its id prefixed with the region when
    `prefix` (a plan of several regions)."""
    return dataclasses.replace(
        p, id=f"{p.region}{REGION_SEP}{p.id}" if prefix else p.id, existing_intake=p.existing_intake * share.people,
        opening=p.opening * share.people, enrolled={y: n * share.people for y, n in p.enrolled.items()})


def programme_id(programme: str) -> str:
    """The planning file's id of a (possibly region-prefixed) programme id."""
    return programme.rpartition(REGION_SEP)[2]


def warn_unlimited_industry(programmes: list[engines.Programme], industry_budget: Mapping[Any, float],
                            placements: Mapping[Any, float], where: str) -> None:
    """Channels whose firms pay a share of the seat cost (`industry_share`) or use placement places
    (`placement`) with no `[industry]` budget or placements: the engine takes an absent limit as none, so the
    plan could spend any amount of firms' money or places. Say so (it was silent)."""
    for field, limit, key, what, example in (
            ("industry_share", industry_budget, "budget", "money", "budget = { base = 2000.0, growth = 0.10 }"),
            ("placement", placements, "placements", "placement places", "placements = { base = 80000.0, "
             "growth = 0.10 }")):
        users = sorted({str(p.channel) for p in programmes if getattr(p, field) > 0})
        if users and not limit:
            warnings.warn(f"{where}, key industry.{key}: not given, so there is no limit on firms' {what} for the "
                          f"channel(s) {', '.join(users)} ({field} > 0): the plan may use any amount. Fix: give "
                          f"it in [industry], e.g. {example}, or set {field} = 0 in [channels.{users[0]}]",
                          TalentWarning, stacklevel=2)
