"""Coherent regions: a country's simulated paths shared among provinces that add up to it.

Why: a data file may hold a country and its provinces (`CN`, `CN-HA`, …, `CN-ZZ`), and each
series is forecast on its own. The forecasts then do not add up: the country's headline
gap and the sum of the provinces' gaps (what a regional plan closes) differ. Where the
data shows that the provinces partition the country (their observed values add up to the
country's in every year both have, per role, level and kind), their paths are reconciled
top-down: path by path and year by year, the country's value is shared among the
provinces in the proportions of their own simulated values,

    x̃[p, y, k] = X[y, k] · x[p, y, k] / Σ_q x[q, y, k]

(an equal split where the provinces' values are all 0). The country's forecast, usually
the steadier one, is kept; each province keeps its own share and its own share's
uncertainty; every path adds up, so every table and plan does. Cells whose provinces do
not add up to the country (a province missing, a rest-of-country row missing, other units)
are left as forecast and listed in the run's manifest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # talent.gaps.simulate calls reconcile
    from talent.gaps.simulate import Paths, PathSet

#: Relative tolerance for "the provinces add up to the country" in the observed data.
ADDS_UP = 1e-6


def children(regions: set[str]) -> dict[str, list[str]]:
    """Parent region -> its direct sub-regions present (`CN` -> `CN-HA`, …), for parents with any."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in regions:
        for parent in regions:
            if r != parent and r.startswith(f"{parent}-") and "-" not in r[len(parent) + 1:]:
                out[parent].append(r)
    return {p: sorted(c) for p, c in out.items()}


def _adds_up(history: pd.DataFrame, parent: str, kids: list[str]) -> set[tuple[str, str, str]]:
    """(role, level, kind) cells where every listed sub-region has the series and their observed values
    add up to the parent's in every year all of them have."""
    rows = history[history["region"].isin([parent, *kids])]
    wide = rows.pivot_table(index=["role", "level", "kind", "year"], columns="region", values="value",
                            aggfunc="sum")
    wide = wide.reindex(columns=[parent, *kids]).dropna()
    if wide.empty:
        return set()
    total = wide[kids].sum(axis=1)
    ok = (total - wide[parent]).abs() <= ADDS_UP * np.maximum(wide[parent].abs(), 1.0)
    good = ok.groupby(level=["role", "level", "kind"]).all()
    cells: list[tuple[object, ...]] = [tuple(c) for c in good.index[good.to_numpy(bool)]]
    return {(str(c[0]), str(c[1]), str(c[2])) for c in cells}


def reconcile(paths: PathSet, history: pd.DataFrame) -> PathSet:
    """`paths` with every partitioned country's paths shared top-down among its provinces (module doc);
    `calibration["reconciled"]` says which parents and how many cells were reconciled or left."""
    regions = {k[0] for k in paths.paths}
    out: Paths = dict(paths.paths)
    report: dict[str, dict[str, object]] = {}
    for parent, kids in children(regions).items():
        cells = {k[1:] for k in paths.paths if k[0] == parent}
        fine = _adds_up(history, parent, kids) & cells
        for role, level, kind in sorted(fine):
            keys = [(kid, role, level, kind) for kid in kids]
            if not all(k in paths.paths for k in keys):
                fine.discard((role, level, kind))
                continue
            stack = np.stack([paths.paths[k] for k in keys])  # [province, year, path]
            total = stack.sum(axis=0)
            share = np.divide(stack, total, out=np.full_like(stack, 1.0 / len(keys)), where=total > 0)
            whole = paths.paths[(parent, role, level, kind)]
            known = np.isfinite(stack).all(axis=0) & np.isfinite(whole)  # years all of them forecast
            for k, s in zip(keys, share, strict=True):
                out[k] = np.where(known, whole * s, paths.paths[k])
        left = sorted(cells - fine)
        report[parent] = {"provinces": kids, "cells_reconciled": len(fine),
                          "cells_left": [".".join(c) for c in left]}
    if not report:
        return paths
    calibration = dict(paths.calibration) | {"reconciled": {
        "method": "top-down: the country's paths shared among provinces that add up to it in the data, "
                  "in the proportions of their own paths (talent.gaps.reconcile)", "parents": report}}
    return replace(paths, paths=out, calibration=calibration)

