"""Automatic choice per series: pick or combine candidate models from backtest scores.

For ``auto`` (or a list of models) the engine scores, on the inner backtest windows of
each series, (a) the equal-weight mean of all candidates, (b) the mean of the best
``k`` candidates and (c) the best single candidate, by sMAPE. The equal-weight mean is
kept unless an alternative beats it by more than ``margin`` (relative): combinations
are robust, while selection on a handful of short windows is noisy. The chosen rule,
its members and its backtest sMAPE are recorded in the output (``model``, ``reason``,
``score``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecasts.pipeline import SeriesResult

TOP_K = 2
MARGIN = 0.10


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


def _combo(res: SeriesResult, idx: list[int]) -> tuple[np.ndarray, np.ndarray]:
    point = np.mean([res.points[i] for i in idx], axis=0)
    bt = np.mean([res.bt_fc[i] for i in idx], axis=0)
    return point, bt


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
    if len(idx) == 1:
        i = idx[0]
        return Choice(
            res.points[i], res.bt_fc[i], used[i],
            "fallback: only one usable model", smape_of(res.bt_fc[i], res.bt_actual),
        )
    scores = {i: smape_of(res.bt_fc[i], res.bt_actual) for i in idx}
    all_point, all_bt = _combo(res, idx)
    all_score = smape_of(all_bt, res.bt_actual)
    label_all = f"mean({','.join(used[i] for i in idx)})"
    if not np.isfinite(all_score):
        return Choice(all_point, all_bt, label_all, "no backtest window: equal-weight mean",
                      all_score)
    ranked = sorted(idx, key=lambda i: (scores[i], i))
    options = [(all_score, all_point, all_bt, label_all, "equal-weight mean of all")]
    if len(idx) > TOP_K:
        top = sorted(ranked[:TOP_K])
        p, b = _combo(res, top)
        options.append((smape_of(b, res.bt_actual), p, b,
                        f"mean({','.join(used[i] for i in top)})", f"mean of best {TOP_K}"))
    best = ranked[0]
    options.append((scores[best], res.points[best], res.bt_fc[best], used[best], "best single"))
    pick = options[0]
    for opt in options[1:]:
        if opt[0] < (1 - MARGIN) * all_score and opt[0] < pick[0]:
            pick = opt
    s, point, bt, label, why = pick
    reason = f"{why} (backtest sMAPE {s:.2f}; all-model mean {all_score:.2f})"
    return Choice(point, bt, label, reason, s)
