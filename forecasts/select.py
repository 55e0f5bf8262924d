"""Automatic choice per series: combine candidate models, pruned by backtest scores.

For ``auto`` (or a list of models) each candidate is scored on the inner backtest
windows of the series by sMAPE; candidates scoring worse than ``PRUNE_RATIO`` times the
best are dropped and the forecast is the median of the rest (median, not mean, because
it ignores one wild member; pruning removes members that clearly do not fit this
series). On M3 yearly this beat both picking the single best candidate and an
unpruned mean (see benchmarks/RESULTS_forecasts.md). The members kept, the rule and the
backtest sMAPE of the result are recorded in ``model``, ``reason`` and ``score``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasts.pipeline import SeriesResult

PRUNE_RATIO = 3.0


@dataclass
class Choice:
    """What a series is forecast with: point forecasts, backtest forecasts, label, why."""

    point: np.ndarray
    bt_fc: np.ndarray
    model: str
    reason: str
    score: float


def smape_of(fc: np.ndarray, actual: np.ndarray) -> float:
    """Mean sMAPE (percent) over the finite cells of the backtest block."""
    ok = np.isfinite(actual) & np.isfinite(fc)
    if not ok.any():
        return float("nan")
    a, f = actual[ok], fc[ok]
    den = np.abs(a) + np.abs(f)
    terms = np.where(den > 0, 200.0 * np.abs(a - f) / np.where(den > 0, den, 1.0), 0.0)
    return float(np.mean(terms))


def choose(res: SeriesResult, names: list[str], select: bool) -> Choice:
    """Choose the forecast of one series among its candidates."""
    used = [res.used[i] for i in range(len(names))]
    if not select or len(names) == 1:
        score = smape_of(res.bt_fc[0], res.bt_actual)
        reason = "requested" if used[0] == names[0] else f"fallback from {names[0]}"
        return Choice(res.points[0], res.bt_fc[0], used[0], reason, score)
    # candidates that fell back to the same model are duplicates: keep distinct ones
    distinct: dict[str, int] = {}
    for i, u in enumerate(used):
        distinct.setdefault(u, i)
    idx = list(distinct.values())
    bt_all = np.stack([res.bt_fc[i] for i in idx])
    vals = _smapes(bt_all, res.bt_actual)
    scores = dict(zip(idx, vals, strict=True))
    finite = [v for v in vals if np.isfinite(v)]
    if finite:
        best = min(finite)
        keep = [i for i in idx if np.isfinite(scores[i]) and scores[i] <= PRUNE_RATIO * best + 1e-9]
        dropped = [used[i] for i in idx if i not in keep]
        why = (f"median of members within {PRUNE_RATIO:g}x the best backtest sMAPE {best:.2f}"
               + (f"; dropped {','.join(dropped)}" if dropped else ""))
    else:
        keep, why = idx, "no backtest window: median of all usable members"
    point = _median(np.stack([res.points[i] for i in keep]))
    bt = _median(bt_all[[idx.index(i) for i in keep]])
    label = used[keep[0]] if len(keep) == 1 else f"median({','.join(used[i] for i in keep)})"
    if len(idx) == 1:
        why = "fallback: only one usable model"
    return Choice(point, bt, label, why, smape_of(bt, res.bt_actual))


def _smapes(fc: np.ndarray, actual: np.ndarray) -> list[float]:
    """:func:`smape_of` of each ``fc[k]`` against ``actual``, sharing the elementwise work."""
    if fc.shape[1] == 0:
        return [float("nan")] * len(fc)
    ok = np.isfinite(actual)[None] & np.isfinite(fc)
    den = np.abs(actual)[None] + np.abs(fc)
    with np.errstate(invalid="ignore"):
        terms = np.where(den > 0, 200.0 * np.abs(actual[None] - fc) / np.where(den > 0, den, 1.0),
                         0.0)
    return [float(np.mean(t[o])) if o.any() else float("nan")
            for t, o in zip(terms, ok, strict=True)]


def _median(x: np.ndarray) -> np.ndarray:
    """``np.median(x, axis=0)`` (same numbers, NaN where a column has NaN) without its overhead."""
    k = len(x)
    if k == 1:
        return x[0].copy()
    s = np.sort(x, axis=0)
    mid = s[k // 2] if k % 2 else (s[k // 2 - 1] + s[k // 2]) / 2
    return np.where(np.isnan(x).any(axis=0), np.nan, mid)
