"""Past forecasts against the actuals observed since: sMAPE, MASE, interval coverage, direction of change.

Each vintage's stored forecasts (the engine's point forecasts and calibrated quantiles) are joined with
the actuals of the years after the vintage's last observed year, in the shape of a backtest frame whose
origin (`cutoff`) is that year, and scored by the forecast engine's own metrics (`talent.engines.score`,
the M4 definitions); MASE's scale is the in-sample mean absolute first difference of the series as the
vintage saw it. So a vintage made from data up to 2022 scores exactly as a rolling-origin backtest at
origin 2022 does. Official evaluations also report the direction of change: a series' direction is right
when its forecast for the last scored year and the actual lie on the same side of its last observed
value (or both on it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from talent import engines
from talent.store.db import Store, using
from talent.store.schema import KEYS
from talent.store.vintage import Vintage, load_vintage, resolve, runs_table

ID = list(KEYS)


def mase_scales(series: pd.DataFrame) -> pd.DataFrame:
    """Per series: the last observed year (`cutoff`), its value (`origin_value`) and the in-sample mean absolute
    first difference (`mase_scale`, NaN for fewer than two points)."""
    rows = []
    for key, g in series.sort_values("year").groupby(ID, sort=True):
        y = g["value"].to_numpy(float)
        scale = float(np.mean(np.abs(np.diff(y)))) if len(y) > 1 else float("nan")
        rows.append((*key, int(g["year"].iloc[-1]), float(y[-1]), scale))
    return pd.DataFrame(rows, columns=[*ID, "cutoff", "origin_value", "mase_scale"])


def backtest_frame(vintage: Vintage, actuals: pd.DataFrame) -> pd.DataFrame:
    """The vintage's forecasts of the years that have actuals, shaped like `talent.backtest`'s frame (ids,
    cutoff, year, horizon, actual, mean, quantiles, model = 'run N', used, mase_scale) plus `origin_value`."""
    scales = mase_scales(vintage.series)
    fc = vintage.forecasts.merge(scales, on=ID)
    fc = fc[fc["year"] > fc["cutoff"]]
    seen = actuals[[*ID, "year", "value"]].rename(columns={"value": "actual"})
    bt = fc.merge(seen, on=[*ID, "year"])
    bt = bt[bt["actual"].notna()]
    qcols = [c for c in vintage.forecasts.columns if c.startswith("q") and c[1:].isdigit()]
    bt = bt.assign(horizon=bt["year"] - bt["cutoff"], used=bt["model"], model=f"run {vintage.run}")
    cols = [*ID, "cutoff", "year", "horizon", "actual", "mean", *qcols, "model", "used", "mase_scale",
            "origin_value"]
    out = bt[cols].sort_values([*ID, "year"], kind="stable").reset_index(drop=True)
    out.attrs["id_cols"] = tuple(ID)
    return out


def directions(bt: pd.DataFrame) -> pd.DataFrame:
    """Per series: whether the forecast's direction of change to the last scored year was right."""
    last = bt.sort_values("year").groupby(ID, sort=True).tail(1)
    right = np.sign(last["mean"] - last["origin_value"]) == np.sign(last["actual"] - last["origin_value"])
    return last[ID].assign(direction_right=right.to_numpy(bool)).reset_index(drop=True)


def score_vintage(vintage: Vintage, actuals: pd.DataFrame, per_series: bool = False) -> pd.DataFrame:
    """One vintage's scores against `actuals` (long: keys, year, value); empty when no actual has arrived."""
    bt = backtest_frame(vintage, actuals)
    if bt.empty:
        return pd.DataFrame()
    scores = engines.score(bt, per_series=per_series)
    right = directions(bt)
    head: dict[str, Any] = {"run": vintage.run, "created": vintage.created, "last_year": int(bt["cutoff"].max()),
                            "years": _span(bt["year"])}
    if per_series:
        scores = scores.merge(right, on=ID).drop(columns=["model", "windows"])
        return scores.assign(**head)[[*head, *scores.columns]]
    metrics = scores.drop(columns=["model", "windows"]).iloc[0]
    row: dict[str, Any] = {**head, "series": int(scores["windows"].iloc[0])}
    row |= {str(k): float(v) for k, v in metrics.items()}
    row["direction_right"] = float(right["direction_right"].mean())
    return pd.DataFrame([row])


def _span(years: pd.Series) -> str:
    lo, hi = int(years.min()), int(years.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def history_score(store: Store | str | Path, actuals: pd.DataFrame | Path | str | None = None,
                  per_series: bool = False) -> pd.DataFrame:
    """Every vintage's forecasts against the actuals that arrived after its data (library twin of
    `talent history score`): one row per vintage (or per vintage and series) with sMAPE, MASE, coverage of
    the central intervals, MSIS and the share of series whose direction of change was right.

    `actuals`: a frame or a series file (validated like any data file); default: the latest run's input series."""
    from talent.io.series import load_series

    with using(store) as s:
        if actuals is None:
            actuals = load_vintage(s, "latest").series
        elif not isinstance(actuals, pd.DataFrame):
            actuals = load_series(Path(actuals))
        with s.read() as conn:
            ids = [int(i) for i in runs_table(conn)["id"]]
        parts = [score_vintage(load_vintage(s, resolve(s, i)), actuals, per_series) for i in ids]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["run", "created", "last_year",
                                                                                  "years", "series"])
