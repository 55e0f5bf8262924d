"""The modelled horizon: the reported plan years plus an extension past them.

Why: within a finite horizon a four-year programme started in the last three years adds
no supply before the plan ends, so an LP that stops at the last reported year shuts long
programmes down at the end (the end-of-horizon collapse). The planner therefore models
`horizon_extension` more years (by default the longest programme duration, in whole
years) and reports only `years`. Demand and baseline supply in the extension are taken
from the input frames where they have those years, else extended per series: "trend"
continues the mean yearly change of the last three reported years (floored at 0),
"hold" keeps the last reported value. A budget the inputs do not give for an extension
year is the last plan year's, held ("trend" would make the extension depend on two plan
years, and the value of one more unit of a plan year's budget would then include a
negative effect on the extension): the value of the last plan year's budget row includes
the rows it holds (`curricula.extract.fold_extension`). The central budget, the industry
budgets and the placement places (issue 12) are extended the same way.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from curricula.families import BUDGET, CENTRAL_BUDGET, INDUSTRY_BUDGET, PLACEMENT
from curricula.inputs import PlanInputs

Cell = tuple[str, str, str, int]  # region, role, level, year


@dataclass(frozen=True)
class Horizon:
    """The modelled years and the demand, supply and budget over them."""

    reported: tuple[int, ...]
    years: tuple[int, ...]
    demand: dict[tuple[Cell, str], float]  # ((region, role, level, year), scenario) -> persons
    base: dict[Cell, float]
    budget: dict[tuple[str, int], float]
    held: frozenset[tuple[str, int]] = frozenset()  # (region, year) budgets held from the last plan year
    central: dict[int, float] = field(default_factory=dict)  # year -> central budget
    industry: dict[tuple[str, int], float] = field(default_factory=dict)  # (region, year) -> industry budget
    places: dict[tuple[str, int], float] = field(default_factory=dict)  # (region, year) -> placement places
    held_rows: tuple[tuple[str, tuple[object, ...]], ...] = ()  # (family, key) of every held extension row

    def last_key(self, family: str, key: tuple[object, ...]) -> tuple[object, ...]:
        """The key of the last plan year's row that a held extension row `key` copies."""
        return (self.reported[-1],) if family == CENTRAL_BUDGET else (key[0], self.reported[-1])

    @property
    def extension(self) -> tuple[int, ...]:
        """The modelled years after the reported ones."""
        return self.years[len(self.reported):]


#: Default extension, in longest programme durations. With one duration the last cohorts
#: graduate inside the model but count for only a year or two, so the last plan years still
#: wound long programmes down: the default inputs planned to 2035 cut expert intake from
#: 33,468 (2031) to 14,671 (2035), at the ramp limit, and the nine-province example from
#: 31,422 (2029) to 26,215 (2030). With two durations both kept rising or level (48,339 in
#: 2035; 31,831 in 2030): the end effect falls in the unreported extension.
EXTENSION_DURATIONS = 2


def extension_years(inputs: PlanInputs) -> int:
    """Years modelled after the plan: the option, or `EXTENSION_DURATIONS` × the longest programme
    duration."""
    if inputs.horizon_extension is not None:
        return int(inputs.horizon_extension)
    return EXTENSION_DURATIONS * max((math.ceil(p.duration - 1e-9) for p in inputs.programmes), default=0)


def _extend(series: dict[int, float], reported: tuple[int, ...], years: tuple[int, ...],
            method: str) -> dict[int, float]:
    """One series over `years`: given values first, the rest extrapolated from the reported ones."""
    out = {y: series[y] for y in years if y in series}
    known = [y for y in reported if y in series]
    if not known or len(out) == len(years):
        return out
    last = known[-1]
    k = min(3, len(known) - 1)
    slope = (series[last] - series[known[-1 - k]]) / (last - known[-1 - k]) if k > 0 else 0.0
    for y in years:
        if y not in out:
            out[y] = series[last] if method == "hold" else max(0.0, series[last] + slope * (y - last))
    return out


def _extend_budget(budget: dict[tuple[str, int], float], reported: tuple[int, ...],
                   years: tuple[int, ...]) -> tuple[dict[tuple[str, int], float], frozenset[tuple[str, int]]]:
    """Budgets over `years`: given ones, else the last reported year's held; and which were held."""
    out = {k: v for k, v in budget.items() if k[1] in years}
    held = set()
    last = reported[-1]
    for region in sorted({r for r, _ in budget}):
        if (region, last) not in budget:
            continue
        for y in years:
            if y > last and (region, y) not in out:
                out[region, y] = budget[region, last]
                held.add((region, y))
    return out, frozenset(held)


def extend(inputs: PlanInputs) -> Horizon:
    """Demand, baseline supply and budget over the reported years plus the extension."""
    reported = tuple(inputs.years)
    years = reported + tuple(range(reported[-1] + 1, reported[-1] + 1 + extension_years(inputs)))
    method = inputs.extend_method
    by_series: dict[tuple[str, str, str, str], dict[int, float]] = defaultdict(dict)
    for key, scenario, value in inputs.demand_rows():
        by_series[(*key[:3], scenario)][key[3]] = value
    demand: dict[tuple[Cell, str], float] = {}
    for (region, role, level, scenario), series in by_series.items():
        for y, v in _extend(series, reported, years, method).items():
            demand[(region, role, level, y), scenario] = v
    base_series: dict[tuple[str, str, str], dict[int, float]] = defaultdict(dict)
    for cell, value in inputs.base_supply_by_cell().items():
        base_series[cell[:3]][cell[3]] = value
    base: dict[Cell, float] = {}
    for (region, role, level), series in base_series.items():
        for y, v in _extend(series, reported, years, method).items():
            base[region, role, level, y] = v
    budget, held = _extend_budget(dict(inputs.budget), reported, years)
    central, held_c = _extend_budget({("", y): v for y, v in inputs.central_budget.items()}, reported, years)
    industry, held_i = _extend_budget(dict(inputs.industry_budget), reported, years)
    places, held_p = _extend_budget(dict(inputs.placements), reported, years)
    rows = ([(BUDGET, k) for k in sorted(held)] + [(CENTRAL_BUDGET, (y,)) for _, y in sorted(held_c)]
            + [(INDUSTRY_BUDGET, k) for k in sorted(held_i)] + [(PLACEMENT, k) for k in sorted(held_p)])
    return Horizon(reported=reported, years=years, demand=demand, base=base, budget=budget, held=held,
                   central={y: v for (_, y), v in central.items()}, industry=industry, places=places,
                   held_rows=tuple(rows))
