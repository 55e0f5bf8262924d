"""Graduate mobility in the supply rows: one term per origin, or a pool when the moves are rank one.

Why: with mobility among R regions, each destination's supply row (region, role, level,
year) has a term `μ[r, r′]·X[r]` for every origin r, R² terms per cell and year: at 32
regions they are about 170,000 of the joint LP's 575,000 nonzeros (419,000 with the pool;
one interior-point solve 26 s → 21 s). When the shares that leave every origin split alike over
the other regions (off-diagonal rank one, `μ[r, r′] = a_r·b_r′` for r ≠ r′: a region's
propensity to send times a destination's pull, as in a gravity model or "the rest spread
by demand"), the same rows are

    Σ_{r ≠ r′} μ[r, r′]·X[r] = b_r′·(P − a_r′·X[r′]),   P = Σ_r a_r·X[r]   (family `mobility_pool`)

one pool variable and row per (role, level, year) and three terms per destination row: the
same feasible set for every other variable (P is defined by an equality), so the same
optimum, duals of the reported rows included. Otherwise every origin keeps its own term.
"""

from __future__ import annotations

import pulp

from curricula.families import MOBILITY_POOL

#: Relative tolerance of the rank-one test.
RANK_TOL = 1e-9
#: Fewest origins for which the pool saves terms.
MIN_ORIGINS = 3


def rank_one(where: dict[str, list[tuple[str, float]]]) -> tuple[dict[str, float], dict[str, float]] | None:
    """(a, b) with `μ[r, r′] = a[r]·b[r′]` for every origin r (several destinations) and
    r′ ≠ r, from `where` (origin -> [(works_in, share > 0)]); None when there is no such
    split or fewer than `MIN_ORIGINS` origins."""
    moves = {r: {to: s for to, s in dests if to != r} for r, dests in where.items() if len(dests) > 1}
    if len(moves) < MIN_ORIGINS:
        return None
    names = sorted(set(moves) | {to for v in moves.values() for to in v})
    r0, r1 = sorted(moves)[:2]
    b = {to: moves[r0].get(to, 0.0) for to in names if to != r0}
    common = [to for to in names if to not in (r0, r1)]
    base = sum(b[to] for to in common)
    if base <= 0:
        return None
    b[r0] = moves[r1].get(r0, 0.0) * base / sum(moves[r1].get(to, 0.0) for to in common)
    total = sum(b.values())
    b = {to: v / total for to, v in b.items()}  # scaled: Σ b = 1 (a and b of the order of the shares)
    a: dict[str, float] = {}
    for r, v in moves.items():
        others = sum(b[to] for to in names if to != r)
        a[r] = sum(v.values()) / others if others > 0 else 0.0
        scale = max(v.values())
        if any(abs(v.get(to, 0.0) - a[r] * b[to]) > RANK_TOL * scale for to in names if to != r):
            return None
    return a, b


def pooled_inflows(m: object, trained: dict[str, pulp.LpVariable], stay: dict[str, float],
                   dests: list[str], pull: tuple[dict[str, float], dict[str, float]], key: tuple[str, str, int]
                   ) -> dict[str, list[tuple[pulp.LpVariable, float]]]:
    """The terms of the graduates that origins send into each destination's row of the cell
    `key` (role, level, year), through the pool P: `trained` the origins' X, `stay` their
    own shares μ[r, r], `dests` the destinations with that cell, `pull` = (a, b) of `rank_one`."""
    from curricula.model import PlanModel

    assert isinstance(m, PlanModel)
    a, b = pull
    p = m.var(f"mp{len(m.constraints.get(MOBILITY_POOL, {}))}")
    m.add(MOBILITY_POOL, key, [(p, 1.0)] + [(x, -a[r]) for r, x in trained.items()], pulp.LpConstraintEQ, 0.0)
    out: dict[str, list[tuple[pulp.LpVariable, float]]] = {}
    for to in dests:
        terms = [(p, b.get(to, 0.0))]
        if to in trained:
            terms.append((trained[to], stay.get(to, 0.0) - a[to] * b.get(to, 0.0)))
        terms = [(v, c) for v, c in terms if c != 0]
        if terms:
            out[to] = terms
    return out
