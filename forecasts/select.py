"""Automatic choice per series: the best few members, shrunk toward the combination of all.

For ``auto`` (or a list of models) every distinct candidate is scored by sMAPE on the
inner backtest cells of the series. The forecast is

    w * median(best k) + (1 - w) * trimmed_mean(all members),   k = min(3, ceil(M / 2)),

``trimmed_mean`` the mean of the members without the lowest and the highest (per year;
the median for three members, the mean for two), ``w = t^2 / (t^2 + 16)`` and ``t`` the
paired t-statistic, over the same cells, of the sMAPE advantage of ``median(best k)``
over the combination of all (``w = 0`` when the best k are not better). So the
selection counts only as far as the inner backtest can tell the models apart: with a
clear winner ``w`` approaches 1, with noisy or few cells the forecast is the
combination of all members (``t = 4`` gives half weight).

Every calibration origin's forecast (used for the intervals) is made by the same rule
from that origin's own past cells only (a nested backtest), so the intervals carry
the cost of selecting, not an in-sample optimism. ``model``, ``reason`` and ``score``
(the nested backtest sMAPE of what is used) record the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from forecasts.metrics import smape_terms
from forecasts.pipeline import SeriesResult, cell_mask

if TYPE_CHECKING:
    from forecasts.pipeline import TaskConfig

TOP_K = 3
SHRINK_TAU = 16.0


@dataclass
class Choice:
    """What a series is forecast with: point forecasts, backtest forecasts, label, why."""

    point: np.ndarray
    bt_fc: np.ndarray  # (O, h) forecasts at the calibration cells (NaN elsewhere)
    model: str
    reason: str
    score: float


def smape_of(fc: np.ndarray, actual: np.ndarray) -> float:
    """Mean sMAPE (percent) over the finite cells of a backtest block."""
    ok = np.isfinite(actual) & np.isfinite(fc)
    return float(np.mean(smape_terms(actual[ok], fc[ok]))) if ok.any() else float("nan")


def _median(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """``np.median`` along ``axis`` (NaN where any member is NaN), without its overhead."""
    k = x.shape[axis]
    s = np.sort(x, axis=axis)
    upper = np.take(s, k // 2, axis=axis)
    return upper if k % 2 else (np.take(s, k // 2 - 1, axis=axis) + upper) / 2


def trimmed_mean(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """Mean along ``axis`` without the lowest and highest value (three or more; NaN stays NaN)."""
    k = x.shape[axis]
    if k < 3:
        return np.mean(x, axis=axis)
    s = np.sort(x, axis=axis)
    return np.mean(np.take(s, np.arange(1, k - 1), axis=axis), axis=axis)


def shrink_weights(bt: np.ndarray, actual: np.ndarray, masks: np.ndarray, k: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rule for several sets of selection cells at once.

    ``bt`` (M, O, h) member forecasts, ``actual`` (O, h), ``masks`` (E, O, h). Returns
    per set: the indices of the best ``k`` members (E, k), the weight ``w`` (E,) and the
    t-statistic (E,). A set without cells selects nothing (``w = 0``).
    """
    actual = np.where(np.isnan(actual), 0.0, actual)
    bt = np.where(np.isnan(bt), 0.0, bt)  # cells beyond the history are never in a mask
    loss = smape_terms(actual[None], bt)  # (M, O, h)
    count = masks.sum(axis=(1, 2))
    mean_loss = np.einsum("moh,eoh->em", loss, masks) / np.maximum(count, 1)[:, None]
    top = np.argsort(mean_loss, axis=1, kind="stable")[:, :k]
    top_fc = _median(bt[top], axis=1)  # (E, O, h)
    all_fc = trimmed_mean(bt, axis=0)  # (O, h)
    gain = smape_terms(actual, all_fc)[None] - smape_terms(actual[None], top_fc)
    m = np.maximum(count, 1)
    mu = np.sum(gain * masks, axis=(1, 2)) / m
    var = np.sum(((gain - mu[:, None, None]) ** 2) * masks, axis=(1, 2)) / np.maximum(m - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(var > 0, mu / np.sqrt(var / m), np.where(mu > 0, np.inf, 0.0))
        share = np.where(np.isinf(t), 1.0, t * t / (t * t + SHRINK_TAU))
    w = np.where((mu > 0) & (count >= 2), share, 0.0)
    return top, w, np.where(count >= 2, t, 0.0)


def choose(res: SeriesResult, names: list[str], cfg: TaskConfig) -> Choice:
    """Choose the forecast of one series among its candidates (see the module docstring)."""
    used = [res.used[i] for i in range(len(names))]
    cal = res.cal
    if not cfg.select or len(names) == 1:
        bt = np.where(cal, res.bt_fc[0], np.nan)
        reason = "requested" if used[0] == names[0] else f"fallback from {names[0]}"
        return Choice(res.points[0], bt, used[0], reason, smape_of(bt, res.bt_actual))
    # candidates that fell back to the same model are duplicates: keep distinct ones
    idx = list(dict.fromkeys(used).keys())
    first = [used.index(u) for u in idx]
    final = np.stack([res.points[i] for i in first])
    if len(first) == 1:
        bt = np.where(cal, res.bt_fc[first[0]], np.nan)
        return Choice(final[0], bt, idx[0], "fallback: only one usable model",
                      smape_of(bt, res.bt_actual))
    bt_all = np.stack([res.bt_fc[i] for i in first])  # (M, O, h)
    k = min(TOP_K, -(-len(first) // 2))
    rows = np.flatnonzero(cal.any(axis=1))
    inner = cell_mask(res.origins[rows], res.origins, cfg.h, cfg.n_windows, cfg.step)
    masks = np.concatenate([cal[None], inner])
    top, w, t = shrink_weights(bt_all, res.bt_actual, masks, k)
    point = w[0] * _median(final[top[0]]) + (1 - w[0]) * trimmed_mean(final)
    bt = np.full(cal.shape, np.nan)
    if len(rows):
        sel = _median(bt_all[top[1:]][:, :, rows], axis=1)  # (E, E, h): row e at origin e
        nested = sel[np.arange(len(rows)), np.arange(len(rows))]
        plain = trimmed_mean(bt_all[:, rows], axis=0)
        bt[rows] = w[1:, None] * nested + (1 - w[1:, None]) * plain
        bt[~cal] = np.nan
    model, reason = _label([idx[i] for i in top[0]], idx, float(w[0]), float(t[0]), bool(cal.any()))
    return Choice(point, bt, model, reason, smape_of(bt, res.bt_actual))


def _label(best: list[str], members: list[str], w: float, t: float, cells: bool
           ) -> tuple[str, str]:
    """``model`` and ``reason`` of a choice."""
    every = f"trimmed_mean({','.join(members)})"
    if not cells:
        return every, "no backtest window: trimmed mean of all usable members"
    top = f"median({','.join(m for m in members if m in best)})"  # member order: stable labels
    if w <= 0:
        return every, (f"trimmed mean of all {len(members)} members: the best {len(best)} by "
                       f"inner-backtest sMAPE ({','.join(best)}) are not better (t = {t:.1f})")
    why = (f"{w:.2f} x median of the best {len(best)} by inner-backtest sMAPE "
           f"({','.join(best)}) + {1 - w:.2f} x trimmed mean of all {len(members)} "
           f"(t = {t:.1f}; weight t^2/(t^2+{SHRINK_TAU:g}))")
    return (top if w >= 1 else f"{top} shrunk to trimmed_mean(all {len(members)})"), why
