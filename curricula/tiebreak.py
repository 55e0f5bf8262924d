"""Second stage: one plan among the (near-)optimal ones, chosen by a documented criterion.

Why: many programmes cost the same at the margin, so the LP's optimal face is wide and a
solver returns an arbitrary vertex; a hair's change of an input then swaps programmes.
After the optimum f* (and its discounted money M*) is known, the plan is solved again with

    planning objective ≤ f* + ε·M* (+ 1e-7·|f*|)          band (ε = `tiebreak_tolerance`, 1%)

minimising the secondary criterion, every term relative to a reference intake r_p
(the programme's share s_p of its tier's current scale Σ (existing_intake + opening)):

    Σ_p Σ_{t > y0} |n[p, t] − n[p, t − 1]| / r_p                      smooth intake
  + Σ_p Σ_t φ((n[p, t] − s_p·N[g(p), t]) / r_p)                       reference allocation
  + W·|Σ_{p ∈ g} Σ_{t ∈ plan years} n[p, t] − the optimum's| / r̄_g    anchor (W = 1000)

over the modelled years. g(p) is the programme's (region, tier), N[g, t] its total intake;
s_p splits the tier's tracks in proportion to the expected gap their yields serve in the
target year (equally when none serves a gap) and a track's audiences in proportion to
their current scale. φ is convex piecewise linear (slopes 1, 3, 9 up to 25%, 75% and
beyond of r_p), so a tie is split in proportion instead of pushed to one programme. The
anchor keeps each tier's intake over the plan years at the optimum's (r̄_g: the tier's
mean r_p): the second solve re-times and re-allocates within tiers, it does not trade
one tier for another. No term depends on a cost, so a small change of one programme's
cost only tilts the band. The solve uses HiGHS's interior point without crossover, which
ends at the centre of the optimal face: whatever ties remain are split, not resolved by
the order of the columns.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import pulp

from curricula.families import ANCHOR, BAND, SHARE, SMOOTH, TIER_TOTAL
from curricula.inputs import Programme
from curricula.model import PlanModel, Terms, _expr

#: Price of a tier's intake over the plan years differing from the optimum's: a difference
#: the size of one typical programme of the tier counts as much as that many relative steps
#: of single programmes. So strong that the second solve re-times and re-allocates within
#: tiers but moves a tier's total only by the hair a tie's split may need (e.g. when a budget
#: binds and the reference split costs a little more).
ANCHOR_WEIGHT = 1000.0

#: The convex penalty of a programme's deviation from its reference allocation: (upper end
#: of the deviation as a share of the programme's reference intake, price per person).
SHARE_SEGMENTS: tuple[tuple[float, float], ...] = ((0.25, 1.0), (0.75, 3.0), (float("inf"), 9.0))


def _gap_served(m: PlanModel) -> dict[str, float]:
    """Expected positive gap (persons) in the target year that each programme's yields serve
    (in the regions its graduates work in)."""
    probs = {s.name: s.probability for s in m.inputs.scenarios}
    gap: dict[tuple[str, str, str], float] = defaultdict(float)
    target = m.inputs.target
    for (cell, scenario), demand in m.h.demand.items():
        if cell[3] == target:
            gap[cell[:3]] += probs[scenario] * max(0.0, demand - m.h.base.get(cell, 0.0))
    where = {r: m.inputs.destinations(r) for r in {p.region for p in m.programmes()}}
    return {p.id: sum(share * move * gap.get((to, role, level), 0.0) for (role, level), share in p.yields.items()
                      for to, move in where[p.region])
            for p in m.programmes()}


def reference_shares(m: PlanModel) -> dict[tuple[str, str], dict[str, float]]:
    """Per (region, tier): each programme's share of the tier's intake in the reference allocation."""
    served = _gap_served(m)
    groups: dict[tuple[str, str], list[Programme]] = defaultdict(list)
    for p in m.programmes():
        groups[p.region, p.tier].append(p)
    out: dict[tuple[str, str], dict[str, float]] = {}
    for g, progs in groups.items():
        tracks: dict[str, list[Programme]] = defaultdict(list)
        for p in progs:
            tracks[p.track].append(p)
        gap = {t: max(served[p.id] for p in ps) for t, ps in tracks.items()}
        total_gap = sum(gap.values())
        shares: dict[str, float] = {}
        for t, ps in tracks.items():
            track_share = gap[t] / total_gap if total_gap > 0 else 1.0 / len(tracks)
            scale = {p.id: p.existing_intake + p.opening for p in ps}
            total = sum(scale.values())
            for p in ps:
                shares[p.id] = track_share * (scale[p.id] / total if total > 0 else 1.0 / len(ps))
        out[g] = shares
    return out


def band_width(optimum: float, money: float, tolerance: float) -> float:
    """How much worse than the optimum a plan in the band may be: `tolerance` × the optimal
    plan's discounted money (so "1%" means "costing at most 1% more"), plus 1e-7 of the
    optimum (the solvers' tolerance)."""
    return tolerance * abs(money) + 1e-7 * max(1.0, abs(optimum))


def add_band(m: PlanModel, objective: pulp.LpAffineExpression, optimum: float,
             width: float) -> pulp.LpConstraint | None:
    """Planning objective ≤ optimum + width."""
    terms = list(objective.items())
    return m.add(BAND, (), terms, pulp.LpConstraintLE, optimum + width - objective.constant)


def _deviation(m: PlanModel, family: str, key: tuple[object, ...], terms: Terms, criterion: Terms,
               scale: float, rhs: float = 0.0) -> None:
    """|Σ terms − rhs| / scale as (up + down) / scale with Σ terms − up + down = rhs."""
    up, down = m.var(f"{family}{len(criterion)}p"), m.var(f"{family}{len(criterion)}m")
    m.add(family, key, [*terms, (up, -1.0), (down, 1.0)], pulp.LpConstraintEQ, rhs)
    criterion += [(up, 1.0 / scale), (down, 1.0 / scale)]


def _convex_deviation(m: PlanModel, key: tuple[str, int], terms: Terms, criterion: Terms,
                      scale: float) -> None:
    """Σ terms as a sum of signed segments priced by `SHARE_SEGMENTS` (a convex penalty of
    the deviation relative to `scale`): a tie between two programmes is split, not pushed
    to one of them."""
    parts: Terms = []
    for sign in (1.0, -1.0):
        start = 0.0
        for k, (end, slope) in enumerate(SHARE_SEGMENTS):
            last = k == len(SHARE_SEGMENTS) - 1
            v = m.var(f"d{len(criterion)}", up=None if last else (end - start) * scale)
            criterion.append((v, slope / scale))
            parts.append((v, -sign))
            start = end
    m.add(SHARE, key, [*terms, *parts], pulp.LpConstraintEQ, 0.0)


def _scales(m: PlanModel, shares: dict[tuple[str, str], dict[str, float]]) -> dict[str, float]:
    """Per programme: its reference intake, s_p × the tier's current scale (persons, ≥ 1)."""
    out: dict[str, float] = {}
    progs = {p.id: p for p in m.programmes()}
    for group in shares.values():
        size = max(1.0, sum(progs[q].existing_intake + progs[q].opening for q in group))
        for pid, s in group.items():
            out[pid] = max(1.0, max(s, 0.01 / len(group)) * size)
    return out


def define_tiebreak(m: PlanModel, objective: pulp.LpAffineExpression, optimum: float,
                    width: float, first: dict[tuple[str, int], float] | None = None) -> None:
    """Add the band, the anchors and the secondary criterion, and make the criterion the
    objective. `first` is the first solve's intake (default: the variables' current values)."""
    groups = reference_shares(m)
    reported = m.h.reported
    n1 = first if first is not None else {k: float(v.value() or 0.0) for k, v in m.intake.items()}
    tier_total = {g: sum(n1[q, t] for q in shares for t in reported) for g, shares in groups.items()}
    add_band(m, objective, optimum, width)
    criterion: Terms = []
    scale = _scales(m, groups)
    for p in m.programmes():
        for prev, t in itertools.pairwise(m.years):
            _deviation(m, SMOOTH, (p.id, t), [(m.intake[p.id, t], 1.0), (m.intake[p.id, prev], -1.0)],
                       criterion, scale[p.id])
    for (region, tier), shares in groups.items():
        typical = sum(scale[q] for q in shares) / len(shares)
        _deviation(m, ANCHOR, (region, tier), [(m.intake[q, t], 1.0) for q in shares for t in reported],
                   criterion, typical / ANCHOR_WEIGHT, rhs=tier_total[region, tier])
        if len(shares) < 2:
            continue
        for t in m.years:
            total = m.var(f"N_{region}_{tier}_{t}")
            m.add(TIER_TOTAL, (region, tier, t), [(total, 1.0)] + [(m.intake[q, t], -1.0) for q in shares],
                  pulp.LpConstraintEQ, 0.0)
            for pid, s in shares.items():
                _convex_deviation(m, (pid, t), [(m.intake[pid, t], 1.0), (total, -s)], criterion, scale[pid])
    m.prob.setObjective(_expr(criterion))
