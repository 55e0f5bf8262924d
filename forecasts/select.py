"""Automatic choice per series: the best few members, shrunk toward the combination of all.

For ``auto`` (or a list of models) every distinct candidate is scored by sMAPE on the
inner backtest cells of the series. The forecast is

    w * median(best k) + (1 - w) * base,   k = min(3, ceil(M / 2)),

``base`` the panel's prior (``forecasts.panel``): the trimmed mean of all members (the
mean without the lowest and the highest, per year; the median for three members, the
mean for two), moved toward the members the whole panel's backtests favour as far as
the panel can tell them apart. ``w = t^2 / (t^2 + 16)`` and ``t`` the paired
t-statistic, over the same cells, of the sMAPE advantage of ``median(best k)`` over
``base`` (``w = 0`` when the best k are not better). So the series' own selection
counts only as far as its inner backtest can tell the models apart: with a clear
winner ``w`` approaches 1, with noisy or few cells the forecast is the panel's
combination (``t = 4`` gives half weight).

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
from forecasts.panel import SHRINK_TAU, PanelPrior, distinct, selection_sets, series_length, trimmed_mean
from forecasts.panel import median as _median
from forecasts.pipeline import SeriesResult

if TYPE_CHECKING:
    from forecasts.pipeline import TaskConfig

TOP_K = 3


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


def shrink_weights(bt: np.ndarray, actual: np.ndarray, masks: np.ndarray, k: int,
                   base: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rule for several sets of selection cells at once.

    ``bt`` (M, O, h) member forecasts, ``actual`` (O, h), ``masks`` (E, O, h), ``base``
    the forecasts shrunk toward, (E, O, h) or (O, h) (default: the trimmed mean of
    ``bt``). Returns per set: the indices of the best ``k`` members (E, k), the weight
    ``w`` (E,) and the t-statistic (E,). A set without cells selects nothing (``w = 0``).
    One series of :func:`_shrink_group`.
    """
    base = trimmed_mean(bt, axis=0) if base is None else base
    base = np.broadcast_to(base, (len(masks), *bt.shape[1:]))
    top, w, t = _shrink_group(bt[None], actual[None], masks, k, base[None])
    return top[0], w[0], t[0]


def choose(res: SeriesResult, names: list[str], cfg: TaskConfig,
           prior: PanelPrior | None = None) -> Choice:
    """Choose the forecast of one series among its candidates (see the module docstring)."""
    used = [res.used[i] for i in range(len(names))]
    cal = res.cal
    if not cfg.select or len(names) == 1:
        bt = np.where(cal, res.bt_fc[0], np.nan)
        reason = "requested" if used[0] == names[0] else f"fallback from {names[0]}"
        return Choice(res.points[0], bt, used[0], reason, smape_of(bt, res.bt_actual))
    # candidates that fell back to the same model are duplicates: keep distinct ones
    first = distinct(res, len(names))
    if len(first) == 1:
        bt = np.where(cal, res.bt_fc[first[0]], np.nan)
        return Choice(res.points[first[0]], bt, used[first[0]], "fallback: only one usable model",
                      smape_of(bt, res.bt_actual))
    return _choose_group([res], len(names), first, cfg, prior)[0]


def choose_all(results: list[SeriesResult], names: list[str], cfg: TaskConfig,
               prior: PanelPrior | None) -> list[Choice]:
    """:func:`choose` for every series of a panel. Series of one layout (the same origins and
    cells) and the same fitted models are chosen together, as arrays: the same formulas, a few
    numpy calls per layout instead of per series (on large panels the choice per series was
    the largest cost)."""
    out: list[Choice | None] = [None] * len(results)
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, r in enumerate(results):
        if not cfg.select or len(names) == 1 or len(distinct(r, len(names))) == 1:
            out[i] = choose(r, names, cfg, prior)
            continue
        key = (tuple(r.used[c] for c in range(len(names))), r.origins.tobytes(), r.cal.tobytes(),
               r.bt_actual.shape, series_length(r))
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        group = [results[i] for i in members]
        for i, c in zip(members, _choose_group(group, len(names), distinct(group[0], len(names)), cfg, prior),
                        strict=True):
            out[i] = c
    return [c for c in out if c is not None]


def _choose_group(group: list[SeriesResult], n_cand: int, first: list[int], cfg: TaskConfig,
                  prior: PanelPrior | None) -> list[Choice]:
    """The choice for series of one layout whose distinct fitted models are the candidates at
    positions ``first`` (the same for every series of the group)."""
    head, cal = group[0], group[0].cal
    idx = [head.used[c] for c in first]
    final = np.stack([np.stack([r.points[c] for c in first]) for r in group])  # (G, M, h)
    bt_all = np.stack([np.stack([r.bt_fc[c] for c in first]) for r in group])  # (G, M, O, h)
    actual = np.stack([r.bt_actual for r in group])  # (G, O, h)
    k = min(TOP_K, -(-len(first) // 2))
    rows = np.flatnonzero(cal.any(axis=1))
    masks, slots = selection_sets(head, cfg)
    plain, plain_bt = trimmed_mean(final, axis=1), trimmed_mean(bt_all, axis=1)
    if prior is None:
        base, base_bt = plain, np.repeat(plain_bt[:, None], len(slots), axis=1)
    else:  # the prior pools candidates by position, fallbacks included (as it was estimated)
        every_c = list(range(n_cand))
        cand = np.stack([np.stack([r.points[c] for c in every_c]) for r in group], axis=1)  # (C, G, h)
        cand_bt = np.stack([np.stack([r.bt_fc[c] for c in every_c]) for r in group], axis=1)  # (C, G, O, h)
        base = prior.base([0], cand, plain)[0]
        base_bt = np.moveaxis(prior.base(slots, cand_bt, plain_bt), 0, 1)
    top, w, t = _shrink_group(bt_all, actual, masks, k, base_bt)  # (G, E, k), (G, E), (G, E)
    g = np.arange(len(group))
    point = w[:, :1] * _median(final[g[:, None], top[:, 0]], axis=1) + (1 - w[:, :1]) * base
    bt = np.full(actual.shape, np.nan)
    if len(rows):
        r = np.arange(len(rows))
        picked = bt_all[g[:, None, None], top[:, 1:], rows[None, :, None]]  # (G, R, k, h)
        nested = _median(picked, axis=2)
        bt[:, rows] = w[:, 1:, None] * nested + (1 - w[:, 1:, None]) * base_bt[:, 1 + r, rows]
        bt[:, ~cal] = np.nan
    every = f"trimmed_mean({','.join(idx)})" if prior is None or prior.w[0] <= 0 else prior.label(0)
    panel = "" if prior is None else prior.describe(0)
    out = []
    for i in range(len(group)):
        model, reason = _label([idx[j] for j in top[i, 0]], idx, float(w[i, 0]), float(t[i, 0]),
                               bool(cal.any()), every, panel)
        out.append(Choice(point[i], bt[i], model, reason, smape_of(bt[i], actual[i])))
    return out


def _shrink_group(bt: np.ndarray, actual: np.ndarray, masks: np.ndarray, k: int, base: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`shrink_weights` for G series at once: ``bt`` (G, M, O, h), ``actual`` (G, O, h),
    ``masks`` (E, O, h) shared, ``base`` (G, E, O, h)."""
    actual = np.where(np.isnan(actual), 0.0, actual)
    bt = np.where(np.isnan(bt), 0.0, bt)
    loss = smape_terms(actual[:, None], bt)  # (G, M, O, h)
    count = masks.sum(axis=(1, 2))
    mean_loss = np.einsum("gmoh,eoh->gem", loss, masks) / np.maximum(count, 1)[None, :, None]
    top = np.argsort(mean_loss, axis=2, kind="stable")[:, :, :k]  # (G, E, k)
    g = np.arange(len(bt))[:, None, None]
    top_fc = _median(bt[g, top], axis=2)  # (G, E, O, h)
    gain = smape_terms(actual[:, None], np.where(np.isnan(base), 0.0, base)) - smape_terms(actual[:, None], top_fc)
    m = np.maximum(count, 1)
    mu = np.sum(gain * masks, axis=(2, 3)) / m
    var = np.sum(((gain - mu[..., None, None]) ** 2) * masks, axis=(2, 3)) / np.maximum(m - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(var > 0, mu / np.sqrt(var / m), np.where(mu > 0, np.inf, 0.0))
        share = np.where(np.isinf(t), 1.0, t * t / (t * t + SHRINK_TAU))
    w = np.where((mu > 0) & (count >= 2), share, 0.0)
    return top, w, np.where(count >= 2, t, 0.0)


def _label(best: list[str], members: list[str], w: float, t: float, cells: bool, every: str,
           panel: str) -> tuple[str, str]:
    """``model`` and ``reason`` of a choice; ``every``/``panel``: the base's label and words."""
    plain = every.startswith("trimmed_mean")
    base = f"trimmed mean of all {len(members)}" if plain else f"the panel's prior ({panel})"
    if not cells:
        return every, ("no backtest window: trimmed mean of all usable members" if plain
                       else f"no backtest window: {base}")
    top = f"median({','.join(m for m in members if m in best)})"  # member order: stable labels
    if w <= 0:
        return every, (f"{base}{' members' if plain else ''}: the best {len(best)} by "
                       f"inner-backtest sMAPE ({','.join(best)}) are not better (t = {t:.1f})")
    why = (f"{w:.2f} x median of the best {len(best)} by inner-backtest sMAPE "
           f"({','.join(best)}) + {1 - w:.2f} x {base} "
           f"(t = {t:.1f}; weight t^2/(t^2+{SHRINK_TAU:g}))")
    short = f"trimmed_mean(all {len(members)})" if plain else every
    return (top if w >= 1 else f"{top} shrunk to {short}"), why
