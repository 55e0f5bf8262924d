"""Programmes of a planning file: tier × audience × track, and the [channels] variants.

Split from `talent.planning` (one concept per module): how a planning file's tiers,
audiences, tracks, channels and [programme."id"] overrides become `engines.Programme`s.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from talent import engines
from talent.config import PlanningConfig
from talent.errors import ConfigError, shorten
from talent.taxonomy import Taxonomy

PROGRAMME_FIELDS = ("duration", "completion", "cost", "students_per_faculty", "growth",
                    "opening", "existing_intake", "yield")
#: Fields a [channels.<name>] table adds: firms' share of the seat cost, placement places per seat-year.
CHANNEL_FIELDS = ("industry_share", "placement")


def _yields(tier: Mapping[str, Any], y: float, track: str, level: str, roles: list[str],
            mix: Mapping[str, float]) -> dict[tuple[str, str], float]:
    """Where a programme's graduates go: (role, level) -> share.

    A coverage tier (`serves = "coverage"`, literacy) adds no professionals,
    except the share `applied_conversion` (default 0) who go on to applied work,
    split across roles by the track mix.
    """
    if tier.get("serves") == "coverage":
        conversion = float(tier.get("applied_conversion", 0.0))
        return {(r, "applied"): conversion * mix.get(r, 0.0) for r in roles} if conversion > 0 else {}
    if track in roles:
        return {(track, level): y}
    return {(r, level): y * mix.get(r, 0.0) for r in roles}


def _fields(*tables: Mapping[str, Any]) -> dict[str, Any]:
    """Programme fields of the given tables, later tables overriding earlier ones."""
    return {k: t[k] for t in tables for k in PROGRAMME_FIELDS + CHANNEL_FIELDS if k in t}


def _programme(cfg: PlanningConfig, pid: str, f: dict[str, Any], tier: str, aud: str, track: str,
               region: str, yields: dict[tuple[str, str], float]) -> engines.Programme:
    """One programme from its merged fields (a [programme."id"] override applied last)."""
    f = f | dict(cfg.raw.get("programme", {}).get(pid, {}))
    missing = [k for k in ("duration", "completion", "cost", "students_per_faculty") if k not in f]
    if missing:
        raise ConfigError(f"{cfg.path}, programme '{pid}': missing fields {missing}")
    f.pop("yield", None)  # the yields are built by the caller
    enrolled = {int(k): v for k, v in f.pop("enrolled", {}).items()}
    try:
        return engines.Programme(id=pid, tier=tier, audience=aud, track=track, region=region, yields=yields,
                                 enrolled=enrolled, **f)
    except TypeError as exc:
        raise ConfigError(f"{cfg.path}, programme '{pid}': {exc}") from exc


def programmes(cfg: PlanningConfig, tax: Taxonomy, region: str) -> list[engines.Programme]:
    """Every programme of the file: tier × audience × track (school), and the [channels] variants
    (co-op 校企合作, enterprise training 企业培训) of a tier for their audiences."""
    roles = tax.ids("roles")
    mix = {str(k): float(v) for k, v in cfg.raw.get("track_mix", {}).items()}
    general = str(cfg.plan.get("track_for_general", "general"))
    tiers = cfg.raw["tiers"]
    out: list[engines.Programme] = []

    def add(pid: str, tier: str, aud: str, track: str, f: dict[str, Any]) -> None:
        t = tiers[tier]
        share = mix.get(track, 1.0) if track in roles else 1.0
        f["existing_intake"] = float(f.get("existing_intake", 0.0)) * share
        y = float({**f, **cfg.raw.get("programme", {}).get(pid, {})}.get("yield", 1.0))
        yields = _yields(t, y, track, str(t.get("level", tier)), roles, mix)
        out.append(_programme(cfg, pid, f, tier, aud, track, region, yields))

    def tracks(t: Mapping[str, Any]) -> list[str]:
        return roles if t.get("tracks") == "roles" else list(t.get("tracks", [general]))

    for tier, t in tiers.items():
        for aud, a in t.get("audience", {}).items():
            for track in tracks(t):
                add(f"{tier}.{aud}.{track}", tier, aud, track, _fields(t, a))
    for channel, c in cfg.raw.get("channels", {}).items():
        tier = str(c["tier"])
        base = {k: v for k, v in _fields(tiers[tier]).items() if k != "existing_intake"}
        for aud in c.get("audiences", []):
            for track in tracks(tiers[tier]):
                add(f"{tier}.{aud}.{track}.{channel}", tier, aud, track, base | _fields(c) | {"channel": channel})
    _check_overrides(cfg, sorted(p.id for p in out))
    return out


def _check_overrides(cfg: PlanningConfig, ids: list[str]) -> None:
    """Every [programme."id"] override names a programme of the file (the closest id when it does not)."""
    unknown = sorted(set(cfg.raw.get("programme", {})) - set(ids))
    if not unknown:
        return
    close = difflib.get_close_matches(unknown[0], ids, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    more = f" (and {len(unknown) - 1:,} more: {shorten(', '.join(unknown[1:6]))})" if len(unknown) > 1 else ""
    raise ConfigError(f'{cfg.path}, key programme."{shorten(unknown[0])}": no such programme in this file{more}. '
                      f"Fix: {hint}Use an id tier.audience.track (a channel's: tier.audience.track.channel) of the "
                      f"tiers, audiences and tracks of this file, e.g. {ids[0] if ids else 'expert.students.ai_chips'}")
