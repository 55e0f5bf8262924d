"""Accuracy metrics with the M4 competition definitions, and ``score`` over backtests.

* sMAPE = mean over horizons of ``200 |y - f| / (|y| + |f|)`` (0 when both are 0);
* MASE = mean ``|y - f|`` divided by the in-sample mean absolute first difference
  (seasonal period 1 for annual data);
* coverage of the central interval ``[q_lo, q_hi]`` = share of actuals inside;
* MSIS (level ``1 - a``) = mean over horizons of ``(U - L) + 2/a (L - y)[y < L] +
  2/a (y - U)[y > U]``, divided by the same scale as MASE.

Each metric is averaged over horizons within a series and window, then over those.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasts.errors import ForecastError


def qname(q: float) -> str:
    """Column name of quantile ``q``: ``q`` + percent, integer part two digits (q05, q025)."""
    pct = round(q * 100, 6)
    if pct == int(pct):
        return f"q{int(pct):02d}"
    whole, frac = f"{pct:.6f}".rstrip("0").split(".")
    return f"q{int(whole):02d}{frac}"


def mase_scale(y: np.ndarray) -> float:
    """In-sample mean absolute first difference (NaN for fewer than 2 points)."""
    return float(np.mean(np.abs(np.diff(y)))) if len(y) > 1 else float("nan")


def smape_terms(actual: np.ndarray, fc: np.ndarray) -> np.ndarray:
    """Elementwise sMAPE terms in percent."""
    den = np.abs(actual) + np.abs(fc)
    safe = np.where(den > 0, den, 1.0)
    return np.where(den > 0, 200.0 * np.abs(actual - fc) / safe, 0.0)


def interval_pairs(columns: Sequence[str], levels: Sequence[float]) -> list[tuple[int, str, str]]:
    """Central intervals available in ``columns``: (coverage percent, lower col, upper col)."""
    out = []
    for q in sorted(levels):
        if q < 0.5 and qname(q) in columns and qname(1 - q) in columns:
            out.append((round((1 - 2 * q) * 100), qname(q), qname(1 - q)))
    return out


def _levels_in(columns: Sequence[str]) -> list[float]:
    levels = []
    for c in columns:
        if c.startswith("q") and c[1:].isdigit():
            digits = c[1:]
            levels.append(float(f"{digits[:2]}.{digits[2:] or '0'}") / 100)
    return levels


def score(
    bt: pd.DataFrame,
    *,
    by: Sequence[str] = ("model",),
    per_series: bool = False,
    id_cols: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Score a :func:`forecasts.backtest` frame: sMAPE, MASE, coverage and MSIS per group.

    ``bt`` needs columns ``cutoff``, ``actual``, ``mean``, ``mase_scale`` and quantile
    columns; ``id_cols`` default to ``bt.attrs['id_cols']`` (set by ``backtest``). With
    ``per_series=True`` the result has one row per model and series.
    """
    need = {"cutoff", "actual", "mean", "mase_scale"}
    if missing := need - set(bt.columns):
        raise ForecastError(f"backtest frame lacks column(s) {sorted(missing)}")
    ids = list(id_cols if id_cols is not None else bt.attrs.get("id_cols", ()))
    ids = [c for c in ids if c in bt.columns]
    pairs = interval_pairs(list(bt.columns), _levels_in(list(bt.columns)))
    df = bt.copy()
    a = df["actual"].to_numpy(float)
    f = df["mean"].to_numpy(float)
    scale = df["mase_scale"].to_numpy(float)
    scale = np.where(scale > 0, scale, np.nan)
    df["_smape"] = smape_terms(a, f)
    df["_mase"] = np.abs(a - f) / scale
    for cov, lo, hi in pairs:
        low, up = df[lo].to_numpy(float), df[hi].to_numpy(float)
        alpha = 1 - cov / 100
        df[f"_cov{cov}"] = ((a >= low) & (a <= up)).astype(float)
        pen = (up - low) + 2 / alpha * (low - a) * (a < low) + 2 / alpha * (a - up) * (a > up)
        df[f"_msis{cov}"] = pen / scale
    metric_cols = [c for c in df.columns if c.startswith("_")]
    group = [*by, *ids, "cutoff"]
    per_window = df.groupby(group, dropna=False, sort=True)[metric_cols].mean()
    level = [*by, *ids] if per_series else list(by)
    out = per_window.groupby(level=level, dropna=False, sort=True).mean()
    out.insert(0, "windows", per_window.groupby(level=level, dropna=False).size())
    rename = {"_smape": "smape", "_mase": "mase"}
    for cov, _, _ in pairs:
        rename[f"_cov{cov}"] = f"coverage_{cov}"
        rename[f"_msis{cov}"] = f"msis_{cov}"
    return out.rename(columns=rename).reset_index()
