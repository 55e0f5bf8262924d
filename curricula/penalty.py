"""The priced shortage: shortage rows, the convex piecewise-linear penalty, CVaR.

Why convex: with a linear penalty every person of shortage costs the same whether the
unmet share of demand is 5% or 80%, so a plan facing the q90 scenario is the q50 plan and
hedges nothing. The penalty here rises with the unmet share: the weighted shortage of a
group of cells in a year and scenario, W = Σ_cells w_r·w_l·u, is split into segments
W = Σ_k W_k with W_k ≤ (b_k − b_{k−1})·Σ_cells w_r·w_l·D (the last one unbounded) priced
at P·m_k with non-decreasing multipliers m_k (`PlanInputs.shortage_segments`).

Grouping (`PlanInputs.shortage_grouping`): "cell" (one role and level), "role" (the
levels of a role together) or "region" (every cell of a region together, the default).
With "region", every cell of a region, year and scenario shares the multiplier, so
scenarios change how much the plan trains, not the priorities among roles and levels,
which stay those of the weights; with "cell", a level whose unmet share crosses a
breakpoint in one scenario but not in another draws budget from the other levels.
"""

from __future__ import annotations

from collections import defaultdict

import pulp

from curricula.families import CVAR, SHORTAGE, SHORTAGE_GROUP, SURPLUS
from curricula.model import PlanModel, Terms

GroupKey = tuple[str, str, str, int, str]  # region, role or "all", level or "all", year, scenario


def weight(m: PlanModel, role: str, level: str) -> float:
    """Priority of one person of shortage of a role and level (role × level weight)."""
    i = m.inputs
    return i.role_weight.get(role, 1.0) * i.level_weight.get(level, 1.0)


def price(m: PlanModel, year: int) -> float:
    """Penalty per weighted person of shortage in `year` (first segment), discounted; the
    last modelled year also stands for `terminal_weight` years after it."""
    i = m.inputs
    last = 1.0 + i.terminal_weight if year == m.years[-1] else 1.0
    return i.shortage_penalty * last * i.discount(year)


def segment_widths(m: PlanModel) -> list[tuple[float | None, float]]:
    """(width as a share of weighted demand, or None for unbounded; multiplier) per segment."""
    segs = list(m.inputs.shortage_segments) or [(float("inf"), 1.0)]
    out: list[tuple[float | None, float]] = []
    start = 0.0
    for k, (end, mult) in enumerate(segs):
        out.append((None if k == len(segs) - 1 else float(end) - start, float(mult)))
        start = float(end)
    return out


def group_key(m: PlanModel, cell: tuple[str, str, str, int], scenario: str) -> GroupKey:
    """The penalty group of a cell: itself, its role, or its region (`shortage_grouping`)."""
    region, role, level, year = cell
    how = m.inputs.shortage_grouping
    if how == "cell":
        return (region, role, level, year, scenario)
    if how == "role":
        return (region, role, "all", year, scenario)
    return (region, "all", "all", year, scenario)


def define_shortage(m: PlanModel) -> None:
    """Shortage u ≥ D − S_base − ΔS (u ≥ 0) per cell and scenario; if priced, surplus v."""
    i = m.inputs
    prob = {s.name: s.probability for s in i.scenarios}
    for (key, scenario), demand in m.h.demand.items():
        gap = demand - m.h.base.get(key, 0.0)
        added = m.added[key]
        skey = (*key, scenario)
        u = m.var(f"u{len(m.shortage)}")
        m.shortage[skey] = u
        m.add(SHORTAGE, skey, [(u, 1.0), (added, 1.0)], pulp.LpConstraintGE, gap)
        if i.surplus_penalty > 0:
            v = m.var(f"v{len(m.surplus)}")
            m.surplus[skey] = v
            m.add(SURPLUS, skey, [(v, 1.0), (added, -1.0)], pulp.LpConstraintGE, -gap)
            m.penalise([(v, i.surplus_penalty * i.discount(key[3]) * prob[scenario])])


def define_penalty(m: PlanModel) -> None:
    """Convex piecewise-linear penalty of the weighted shortage of each group; the losses
    (price × multiplier, without the scenario probability) go to `m.loss` per scenario.

    With one segment (a linear penalty) the shortage itself is priced and no group rows
    are built.
    """
    widths = segment_widths(m)
    if len(widths) == 1:
        mult = widths[0][1]
        for (_, role, level, year, scenario), u in m.shortage.items():
            m.loss[scenario].append((u, weight(m, role, level) * price(m, year) * mult))
        return
    members: dict[GroupKey, Terms] = defaultdict(list)
    demand: dict[GroupKey, float] = defaultdict(float)
    for (cell, scenario), d in m.h.demand.items():
        g = group_key(m, cell, scenario)
        w = weight(m, cell[1], cell[2])
        members[g].append((m.shortage[(*cell, scenario)], -w))
        demand[g] += w * d
    for g, terms in members.items():
        parts: Terms = []
        for width, mult in widths:
            if width is not None and width * demand[g] <= 0:
                continue
            up = None if width is None else width * demand[g]
            parts.append((m.var(f"W{len(m.segments)}_{len(parts)}", up=up), mult))
        m.segments[g] = parts
        m.add(SHORTAGE_GROUP, g, [(w_k, 1.0) for w_k, _ in parts] + terms, pulp.LpConstraintGE, 0.0)
        m.loss[g[4]].extend((w_k, price(m, g[3]) * mult) for w_k, mult in parts)


def define_risk(m: PlanModel) -> None:
    """Expected shortage loss, or (1 − λ)·E[loss] + λ·CVaR_α(loss) (Rockafellar–Uryasev):
    CVaR = η + 1/(1 − α)·Σ_s π_s z_s with z_s ≥ loss_s − η, z_s ≥ 0."""
    i = m.inputs
    lam = i.cvar_weight
    for s in i.scenarios:
        m.penalise((u, (1.0 - lam) * s.probability * w) for u, w in m.loss[s.name])
    if lam <= 0 or m.elastic:
        return
    eta = m.var("eta")
    m.penalise([(eta, lam)])
    for s in i.scenarios:
        z = m.var(f"z_{s.name}")
        m.penalise([(z, lam * s.probability / (1.0 - i.cvar_alpha))])
        m.add(CVAR, (s.name,), [(z, 1.0), (eta, 1.0)] + [(u, -w) for u, w in m.loss[s.name]],
              pulp.LpConstraintGE, 0.0)
