"""Projections of demand and supply for the planner.

`project` asks the forecast engine for point forecasts and quantiles;
`linear_trend` is the plain ordinary-least-squares trend that the data
sheet's calibration refers to (kept independent of the engine on purpose).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

import forecasts
from talent.errors import TalentError

SERIES_KEYS = ["region", "role", "level", "kind"]


qcol = forecasts.qname  # quantile column names: 0.1 -> 'q10', 0.05 -> 'q05', 0.025 -> 'q025'


def linear_trend(df: pd.DataFrame, until: int, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
    """OLS straight line per series, extrapolated to `until`, with Student-t prediction intervals.

    Returns region, role, level, kind, year, mean, quantile columns for the
    years after each series' last observation. Means are clipped at zero.
    """
    rows = []
    for key, g in df.groupby(SERIES_KEYS, sort=True):
        x = g["year"].to_numpy(float)
        y = g["value"].to_numpy(float)
        future = np.arange(int(x.max()) + 1, until + 1, dtype=float)
        if len(future) == 0:
            continue
        n = len(x)
        if n >= 3:
            slope, intercept = np.polyfit(x, y, 1)
            resid = y - (intercept + slope * x)
            s = float(np.sqrt(resid @ resid / (n - 2)))
            se = s * np.sqrt(1 + 1 / n + (future - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
            t = stats.t(df=n - 2)
        else:  # too short for a trend: carry the last value, no interval information
            slope, intercept, se, t = 0.0, float(y[-1]), np.zeros(len(future)), stats.norm()
        mean = np.maximum(intercept + slope * future, 0.0)
        rec = dict(zip(SERIES_KEYS, key, strict=True))
        for j, year in enumerate(future):
            row = {**rec, "year": int(year), "mean": float(mean[j])}
            for q in quantiles:
                row[qcol(q)] = max(float(mean[j] + t.ppf(q) * se[j]), 0.0)
            rows.append(row)
    return pd.DataFrame(rows)


def project(series: pd.DataFrame, until: int, quantiles: Sequence[float] = (0.1, 0.5, 0.9),
            models: str | Sequence[str] = "auto", seed: int = 0, n_paths: int = 1000) -> pd.DataFrame:
    """Future demand and supply per series: region, role, level, kind, year, mean, quantile columns.

    Summarises the forecast engine's simulated paths, exactly as the gap
    tables do (`GapTables.projection`), so a plan made from `talent plan` and
    one made inside `talent run` with the same seed work on the same numbers.
    """
    from talent.gap import PathSet

    h = until - int(series["year"].max())
    if h < 1:
        raise TalentError(f"{until} is not after the last observed year {int(series['year'].max())}")
    try:
        paths = forecasts.sample_paths(series, models=models, h=h, n_paths=n_paths, id_cols=SERIES_KEYS, seed=seed)
    except forecasts.ForecastError as exc:
        raise TalentError(f"forecast failed: {exc}") from exc
    return PathSet.from_frame(paths).summary(quantiles)
