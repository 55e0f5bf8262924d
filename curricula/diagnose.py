"""Diagnosis of an infeasible plan in words, by elastic re-solves.

First every hard family is made elastic to find which constraints conflict; then each
conflicting family alone is made elastic (the others hard) to find by how much that
family alone must be relaxed. The result reads like "relax the budget in 2027 (CN) by
1,234 million CNY, or the literacy coverage target for managers by 2027 by 300,000".
"""

from __future__ import annotations

from curricula.families import HARD_FAMILIES
from curricula.inputs import PlanInputs
from curricula.model import PlanModel, build
from curricula.result import FAMILY_WORDS, RELAX_UNIT, Diagnosis, Relaxation, describe


def _relaxations(m: PlanModel, money: str) -> tuple[Relaxation, ...]:
    out = []
    for family, slacks in m.slacks.items():
        for key, e in slacks.items():
            amount = float(e.value() or 0.0)
            if amount > 1e-6:
                unit = RELAX_UNIT[family].format(money=money)
                out.append(Relaxation(family, key, describe(family, key), amount, unit))
    return tuple(sorted(out, key=lambda r: (r.family, str(r.key))))


def _elastic(inputs: PlanInputs, families: tuple[str, ...],
             solver: str) -> tuple[str, tuple[Relaxation, ...]]:
    from curricula.solve import solve_model

    m = build(inputs, elastic=families)
    status, _, _ = solve_model(m, solver)
    return status, (_relaxations(m, inputs.money_unit) if status == "optimal" else ())


def _fmt(r: Relaxation) -> str:
    unit = r.unit if r.unit.startswith(("million", "billion", "CNY")) else r.unit + "s"
    return f"{r.description} by {r.amount:,.0f} {unit}"


def diagnose(inputs: PlanInputs, solver: str = "highs") -> Diagnosis:
    """Explain an infeasible plan: which constraints conflict and what would fix it."""
    status, conflicting = _elastic(inputs, HARD_FAMILIES, solver)
    involved = {r.family for r in conflicting}
    # every family is tried alone: the cheapest overall fix may hide other valid ones
    families = sorted(HARD_FAMILIES, key=lambda f: (f not in involved, HARD_FAMILIES.index(f)))
    fixes: dict[str, tuple[Relaxation, ...]] = {}
    for fam in families:
        st, rel = _elastic(inputs, (fam,), solver)
        if st == "optimal":
            fixes[fam] = rel
    lines = ["The plan's hard constraints conflict; no plan meets all of them."]
    if status != "optimal":
        lines.append("Even relaxing every hard constraint did not help (solver status "
                     f"{status}); check the inputs.")
    else:
        lines.append("Conflicting: " + "; ".join(r.description for r in conflicting[:8])
                     + ("; …" if len(conflicting) > 8 else "") + ".")
        options = []
        for fam, rel in fixes.items():
            shown = ", ".join(_fmt(r) for r in rel[:4]) + (", …" if len(rel) > 4 else "")
            options.append(f"relax {FAMILY_WORDS[fam]}: {shown}")
        if options:
            lines.append("Any one of these makes the plan feasible: " + "; or ".join(options) + ".")
        else:
            lines.append("No single family can be relaxed alone; relax together: "
                         + ", ".join(_fmt(r) for r in conflicting) + ".")
    return Diagnosis(conflicting=conflicting, fixes=fixes, text="\n".join(lines))
