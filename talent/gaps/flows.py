"""Gap tables, flow view: openings against new entrants, as official projection systems show them.

Per cell and year (expected values, persons per year):

- expansion demand = demand(t) − demand(t−1);
- replacement demand = attrition(level) × employed(t−1), where employed =
  min(demand, supply) (people leave filled jobs only);
- openings = expansion + replacement;
- new entrants = supply(t) − supply(t−1) + attrition(level) × supply(t−1):
  the graduates and other inflows that the supply path implies;
- flow gap = openings − new entrants: the extra yearly intake a planner must
  size to stop the stock gap from growing.

Totals are sums of their cells, so the flow tables add up exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from talent.gaps.stock import ALL, sort_rows

FLOW_COLUMNS = ["expansion", "replacement", "openings", "entrants", "flow_gap"]


def flow_table(stock: pd.DataFrame, attrition: Callable[[str], float]) -> pd.DataFrame:
    """The flow view for every year after the first, from the stock table's cell means."""
    has_levels = bool((stock["level"] != ALL).any())
    cells = stock[(stock["role"] != ALL) & ((stock["level"] != ALL) | (not has_levels))]
    out = []
    for (region, role, level), g in cells.groupby(["region", "role", "level"], sort=True):
        d = g["demand"].to_numpy(float)
        s = g["supply"].to_numpy(float)
        rate = attrition(str(level))
        employed = np.fmin(d, s)
        block = pd.DataFrame({"region": region, "role": role, "level": level, "year": g["year"].to_numpy()[1:],
                              "source": g["source"].to_numpy()[1:]})
        block["expansion"] = np.diff(d)
        block["replacement"] = np.round(rate * employed[:-1])
        block["openings"] = block["expansion"] + block["replacement"]
        block["entrants"] = np.diff(s) + np.round(rate * s[:-1])
        block["flow_gap"] = block["openings"] - block["entrants"]
        out.append(block)
    flows = pd.concat(out, ignore_index=True)
    return add_totals(flows, FLOW_COLUMNS)


def add_totals(cells: pd.DataFrame, value_cols: list[str]) -> pd.DataFrame:
    """Append role, level and region totals (sums of cells) to a cell table."""
    frames = [cells]
    has_levels = set(cells["level"]) != {ALL}
    keys = ["region", "year", "source"]
    if has_levels:
        frames.append(cells.groupby([*keys, "role"], as_index=False)[value_cols].sum().assign(level=ALL))
        frames.append(cells.groupby([*keys, "level"], as_index=False)[value_cols].sum().assign(role=ALL))
    frames.append(cells.groupby(keys, as_index=False)[value_cols].sum().assign(role=ALL, level=ALL))
    table = pd.concat(frames, ignore_index=True)[["region", "role", "level", *keys[1:], *value_cols]]
    return sort_rows(table)
