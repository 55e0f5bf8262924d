"""Gap tables, stock view: demand, supply, gap and P(shortage) per cell and total.

Method (see README "How the gap is computed"): demand and supply paths are
simulated per series by the forecast engine (`forecasts.sample_paths`); the
gap's distribution is that of demand path − supply path, so its interval and
P(shortage) = share of paths with demand > supply come from the joint
simulation, not from subtracting quantiles. Totals (by role, by level, by
region) are bottom-up: their paths are sums of their cells' paths, and their
mean columns are sums of the cells' rounded means, so every table adds up
exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from talent.config import GapSettings
from talent.engines import qname
from talent.gaps.simulate import SERIES, Paths, PathSet

ALL = "all"  # id of an aggregate over roles or levels


def _quantile_cols(interval: float) -> tuple[float, float, str, str]:
    lo, hi = round((1 - interval) / 2, 6), round(1 - (1 - interval) / 2, 6)
    return lo, hi, qname(lo), qname(hi)


def _groups(cells: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], list[tuple[str, str, str]]]:
    """Every aggregate key (role totals, level totals, region totals) with its member cells."""
    cells = sorted(set(cells))
    levels = {c[2] for c in cells}
    groups: dict[tuple[str, str, str], list[tuple[str, str, str]]] = {c: [c] for c in cells}
    for region, role, level in cells:
        if levels != {ALL}:
            groups.setdefault((region, role, ALL), []).append((region, role, level))
            groups.setdefault((region, ALL, level), []).append((region, role, level))
        groups.setdefault((region, ALL, ALL), []).append((region, role, level))
    # a region with one role only: its role total repeats the cell, keep one copy
    return {k: sorted(set(v)) for k, v in groups.items()}


def _rating(ratio: np.ndarray, s: GapSettings) -> np.ndarray:
    return np.where(ratio < s.shortage_below, "shortage", np.where(ratio > s.surplus_above, "surplus", "balanced"))


def _reliability(size: np.ndarray, s: GapSettings) -> np.ndarray:
    return np.where(size < s.unreliable_below, "unreliable", np.where(size < s.caution_below, "caution", "ok"))


def _cell_means(history: pd.DataFrame, paths: PathSet) -> Paths:
    """Rounded mean per series over years (observed values, then path means), aligned on all years."""
    means: Paths = {}
    years = sorted(set(history["year"]) | set(paths.years))
    for (region, role, level, kind), g in history.groupby(SERIES, sort=True):
        key = (str(region), str(role), str(level), str(kind))
        means[key] = g.set_index("year")["value"].reindex(years).round().to_numpy(float)
    for key, arr in paths.paths.items():
        counts = (~np.isnan(arr)).sum(axis=1)  # years before a series' own forecast start have no paths
        mean = np.where(counts > 0, np.nansum(arr, axis=1) / np.maximum(counts, 1), np.nan)
        future = pd.Series(mean.round(), index=paths.years)
        base = pd.Series(means.get(key, np.full(len(years), np.nan)), index=years)
        means[key] = future.combine_first(base).reindex(years).to_numpy(float)
    return means


def _member_paths(paths: PathSet, means: Paths, key: tuple[str, str, str, str], future: Any,
                  missing: np.ndarray) -> np.ndarray:
    """A series' paths over the forecast years; a year it still observed (it ends later than others) is a
    degenerate path at the observed value; a series that does not exist is all NaN."""
    arr = paths.paths.get(key)
    if arr is None:
        return missing
    observed = np.asarray(np.isnan(arr).all(axis=1))
    if not observed.any():
        return arr
    fill = means[key][future][:, None]
    return np.where(observed[:, None], fill, arr)


def stock_table(history: pd.DataFrame, paths: PathSet, settings: GapSettings | None = None,
                history_source: str = "history") -> pd.DataFrame:
    """The stock view for observed and forecast years, cells and totals.

    Columns: region, role, level, year, source (the data's provenance for
    past years: observed, modelled, mixed, or history when the file does not
    say; forecast for future years), demand,
    demand_qLO, demand_qHI, supply, supply_qLO, supply_qHI, gap, gap_qLO,
    gap_qHI, ratio (supply/demand), p_shortage, rating, reliability. Counts
    are whole persons; `role`/`level` = 'all' marks a total. Observed years
    have no spread: their quantile columns repeat the observed value.
    """
    s = settings or GapSettings()
    lo, hi, qlo, qhi = _quantile_cols(s.interval)
    means = _cell_means(history, paths)
    years = sorted(set(history["year"]) | set(paths.years))
    future = np.isin(years, paths.years)
    n_paths = next(iter(paths.paths.values())).shape[1] if paths.paths else 1
    nan_paths = np.full((len(paths.years), n_paths), np.nan)
    nan_years = np.full(len(years), np.nan)
    blocks = []
    for key, members in _groups((k[0], k[1], k[2]) for k in means).items():
        block = pd.DataFrame({"region": key[0], "role": key[1], "level": key[2], "year": years,
                              "source": np.where(future, "forecast", history_source)})
        sims = {}
        for kind in ("demand", "supply"):
            member_means = [means.get((*m, kind), nan_years) for m in members]
            block[kind] = np.where(np.isnan(member_means).all(axis=0), np.nan, np.nansum(member_means, axis=0))
            stack = np.array([_member_paths(paths, means, (*m, kind), future, nan_paths) for m in members])
            # a series that does not exist counts 0 in a total, as in its mean (a role with demand only gave a
            # total gap without interval or P(shortage), 'nan–nan' in the headline); a cell of none stays empty
            sims[kind] = np.where(np.isnan(stack).all(axis=0), np.nan, np.nansum(stack, axis=0))
        sims["gap"] = sims["demand"] - sims["supply"]
        observed_gap = (block["demand"] - block["supply"]).to_numpy(float)
        for name, arr in sims.items():
            for q, col in ((lo, qlo), (hi, qhi)):
                past = block[name].to_numpy(float) if name != "gap" else observed_gap
                sim = np.full(len(years), np.nan)
                if not np.isnan(arr).all():
                    sim[future] = np.round(np.quantile(arr, q, axis=1))
                block[f"{name}_{col}"] = np.where(future, sim, past)
        p_future = np.full(len(years), np.nan)
        both = ~np.isnan(sims["gap"]).any(axis=1)  # P(shortage) only where demand and supply both exist
        p_future[future] = np.where(both, (sims["gap"] > 0).mean(axis=1), np.nan)
        p_past = np.where(np.isnan(observed_gap), np.nan, (observed_gap > 0).astype(float))
        block["p_shortage"] = np.where(future, p_future, p_past)
        blocks.append(block)
    table = pd.concat(blocks, ignore_index=True)
    table["gap"] = table["demand"] - table["supply"]
    table["ratio"] = (table["supply"] / table["demand"].where(table["demand"] > 0)).round(4)
    table["p_shortage"] = table["p_shortage"].round(3)
    table["rating"] = np.where(table["ratio"].isna(), "", _rating(table["ratio"].to_numpy(float), s))
    table["reliability"] = _reliability(table["demand"].fillna(0).to_numpy(float), s)
    order = ["region", "role", "level", "year", "source", "demand", f"demand_{qlo}", f"demand_{qhi}", "supply",
             f"supply_{qlo}", f"supply_{qhi}", "gap", f"gap_{qlo}", f"gap_{qhi}", "ratio", "p_shortage",
             "rating", "reliability"]
    return sort_rows(table[order])


def sort_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Cells first, then role totals, level totals and the region total; by key and year within."""
    rank = (table["level"] == ALL).astype(int) + 2 * (table["role"] == ALL).astype(int)
    out = table.assign(_rank=rank).sort_values(["region", "_rank", "role", "level", "year"], kind="stable")
    return out.drop(columns="_rank").reset_index(drop=True)
