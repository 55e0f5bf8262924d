"""The fast members of ``auto`` computed for a whole chunk of series at once.

The per-series loop (:func:`forecasts.pipeline.run_series`) refits every candidate at
up to 8 inner backtest origins plus the final fit: 54 small fits per series for
``auto``, each a few Python-level numpy calls, so Python overhead dominated (about
9 ms per series). Here every (series, origin) pair is a *task* — a prefix ``y[:t]``
of one series — and each member is computed for all tasks of a chunk with a handful
of array operations:

* ``ets_fast`` and ``theta``/``log_theta`` run their grid recursions once per series
  over the full history, with all series of the chunk as rows and the whole
  parameter grid as columns; the states of a prefix ``y[:t]`` are the states after
  step ``t - 1``, so every origin is read off the same pass (recorded on the way).
  The recursion is elementwise and in the same order as the per-series code, so
  these numbers are bitwise the same.
* ``arima_fast`` solves its least-squares problems for all tasks of the same prefix
  length together (batched SVD pseudo-inverse instead of one ``lstsq`` per fit) and
  ``theta``'s trend slope is a closed-form OLS slope instead of ``np.polyfit``:
  equal to the per-series numbers up to floating-point noise.
* ``naive`` and ``drift`` are one line each.

The fallback chain of :func:`forecasts.pipeline.fit_point` (constant prefix →
``naive``; too short, failed or non-finite → ``theta``, ``drift``, ``naive``) is
applied per task with masks. Every task's result depends only on its own series,
never on which other series share the chunk, so all backends stay identical.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from forecasts.models import ModelSpec, make_model
from forecasts.models.ets_fast import _DAMPED, _HOLT, _SES_A
from forecasts.models.theta import _ALPHAS
from forecasts.pipeline import (
    SeriesResult,
    TaskConfig,
    calibration_scale,
    keep_cell,
    run_chunk,
    window_starts,
)
from forecasts.select import choose

#: Members this module computes; ``auto`` uses exactly these.
VECTOR_MODELS: frozenset[str] = frozenset(
    {"naive", "drift", "theta", "ets_fast", "arima_fast", "log_theta"}
)
MIN_OBS: dict[str, int] = {
    "naive": 1, "drift": 3, "theta": 4, "ets_fast": 4, "arima_fast": 6, "log_theta": 4,
}
FALLBACKS: tuple[str, ...] = ("theta", "drift", "naive")

# ets_fast's three grids side by side: simple (N), Holt (A), damped (Ad)
_N_SES, _N_HOLT = len(_SES_A), len(_HOLT[0])
_ETS_ALPHA = np.concatenate([_SES_A, _HOLT[0], _DAMPED[0]])
_ETS_BETA = np.concatenate([np.zeros_like(_SES_A), _HOLT[1], _DAMPED[1]])
_ETS_PHI = np.concatenate([np.ones_like(_SES_A), _HOLT[2], _DAMPED[2]])
_ETS_FAMILIES = ((0, _N_SES), (_N_SES, _N_SES + _N_HOLT), (_N_SES + _N_HOLT, len(_ETS_ALPHA)))


def vector_names(candidates: Sequence[ModelSpec], log: bool) -> list[str] | None:
    """Canonical names of the candidates if all can run here, else ``None``."""
    if log or not all(isinstance(s, str) for s in candidates):
        return None
    try:
        names = [make_model(s).name for s in candidates]
    except ValueError:
        return None
    return names if all(n in VECTOR_MODELS for n in names) else None


class Tasks:
    """Prefixes ``Y[row, :t]`` of a chunk's series, with the arrays every member needs.

    ``Y`` holds the series left-aligned (padded with 0 after each series' end).
    """

    def __init__(self, values: Sequence[np.ndarray], rows: np.ndarray, t: np.ndarray, h: int):
        self.lengths = np.array([len(y) for y in values], dtype=np.int64)
        self.Y = np.zeros((len(values), int(self.lengths.max())))
        for i, y in enumerate(values):
            self.Y[i, : len(y)] = y
        self.rows, self.t, self.h = rows, t, h
        self.last = self.Y[rows, t - 1]
        cmax = np.maximum.accumulate(self.Y, axis=1)[rows, t - 1]
        cmin = np.minimum.accumulate(self.Y, axis=1)[rows, t - 1]
        self.constant = (t >= 2) & (cmax == cmin)
        self.positive = cmin > 0
        self.steps = np.arange(1, h + 1)

    def by_length(self, mask: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """Task indices grouped by prefix length, for the tasks in ``mask``."""
        idx = np.flatnonzero(mask)
        return [(int(n), idx[self.t[idx] == n]) for n in np.unique(self.t[idx])]


def grid_pass(
    Y: np.ndarray, lengths: np.ndarray, tasks: Tasks, mask: np.ndarray,
    alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray, slope0: np.ndarray,
    families: Sequence[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Additive-trend recursion for every series and grid column, read off at each task.

    Same operations as :func:`forecasts.models.ets_fast.run_trend` (level from ``y[0]``,
    slope from ``slope0``). For each task in ``mask`` and each column family
    ``[a, b)`` the column with the smallest SSE of the prefix is chosen; returns its
    index, level, slope and SSE, each ``(tasks, families)`` (NaN/−1 elsewhere).
    """
    n_task, n_fam = len(tasks.t), len(families)
    best = np.full((n_task, n_fam), -1, dtype=np.int64)
    lv_out, sl_out, sse_out = (np.full((n_task, n_fam), np.nan) for _ in range(3))
    idx = np.flatnonzero(mask)
    if not len(idx):
        return best, lv_out, sl_out, sse_out
    order = np.argsort(-lengths, kind="stable")  # longest first: active rows are a prefix
    pos = np.empty_like(order)
    pos[order] = np.arange(len(order))
    ys, lens = Y[order], lengths[order]
    level = np.repeat(ys[:, :1], len(alpha), axis=1)
    slope = np.array(slope0[order], dtype=float)
    sse = np.zeros_like(level)
    when = tasks.t[idx] - 1  # the step after which a task's prefix is complete
    for s in range(1, int(when.max()) + 1):
        k = int(np.sum(lens > s))
        lv, sl, ss = level[:k], slope[:k], sse[:k]
        fc = lv + phi * sl
        err = ys[:k, s : s + 1] - fc
        ss += err * err
        lv[...] = fc + alpha * err
        sl[...] = phi * sl + beta * err
        done = idx[when == s]
        if len(done):
            r = pos[tasks.rows[done]]
            for f, (a, b) in enumerate(families):
                i = np.argmin(sse[r, a:b], axis=1)
                best[done, f] = a + i
                lv_out[done, f] = level[r, a + i]
                sl_out[done, f] = slope[r, a + i]
                sse_out[done, f] = sse[r, a + i]
    return best, lv_out, sl_out, sse_out


def aicc_vec(sse: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    """:func:`forecasts.models.base.aicc` elementwise (same operations, same numbers)."""
    sse = np.maximum(sse, 1e-300)
    den = n - k - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        penalty = np.where(den > 0, 2 * k + (2 * k * (k + 1)) / np.where(den > 0, den, 1), np.inf)
        return n * np.log(sse / n) + penalty


def ets_fast(tk: Tasks) -> tuple[np.ndarray, np.ndarray]:
    """ETS(A,N/A/Ad,N) by grid search and AICc for every task with at least 4 points."""
    mask = tk.t >= MIN_OBS["ets_fast"]
    fc = np.full((len(tk.t), tk.h), np.nan)
    if not mask.any():
        return fc, mask
    width = min(4, tk.Y.shape[1])
    b0 = np.mean(np.diff(tk.Y[:, :width], axis=1), axis=1) if width > 1 else np.zeros(len(tk.Y))
    trend = np.arange(len(_ETS_ALPHA)) >= _N_SES
    slope0 = np.where(trend[None, :], b0[:, None], 0.0)
    best, lv, sl, sse = grid_pass(tk.Y, tk.lengths, tk, mask, _ETS_ALPHA, _ETS_BETA, _ETS_PHI,
                                  slope0, _ETS_FAMILIES)
    n = tk.t - 1
    scores = np.column_stack([aicc_vec(sse[:, 0], n, 3), aicc_vec(sse[:, 1], n, 5),
                              aicc_vec(sse[:, 2], n, 6)])
    scores[tk.t < 6, 1:] = np.inf  # Holt and damped need 6 points
    scores[~mask] = 0.0
    f = np.argmin(scores, axis=1)
    rows = np.arange(len(tk.t))
    col = best[rows, f]
    phi = np.where(col >= 0, _ETS_PHI[np.maximum(col, 0)], 1.0)
    damp = np.cumsum(phi[:, None] ** tk.steps[None, :], axis=1)
    out = lv[rows, f][:, None] + sl[rows, f][:, None] * damp
    fc[mask] = out[mask]
    return fc, mask


def ols_slope(tk: Tasks, Z: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Least-squares slope of ``Z[row, :t]`` on ``0..t-1`` per task (closed form)."""
    out = np.full(len(tk.t), np.nan)
    for n, idx in tk.by_length(mask):
        x = np.arange(n, dtype=float) - (n - 1) / 2
        z = Z[tk.rows[idx], :n]
        # row sums, not a matrix product: BLAS results may depend on how many rows there are
        out[idx] = np.sum((z - z.mean(axis=1, keepdims=True)) * x, axis=1) / np.sum(x * x)
    return out


def theta_on(tk: Tasks, Z: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Standard Theta (SES + half the OLS slope) on ``Z`` (``Y`` or ``log Y``) per task."""
    fc = np.full((len(tk.t), tk.h), np.nan)
    if not mask.any():
        return fc
    b0 = ols_slope(tk, Z, mask)
    zeros = np.zeros((len(Z), len(_ALPHAS)))
    with np.errstate(all="ignore"):  # log of zeros beyond a positive prefix is never read
        best, lv, _, _ = grid_pass(Z, tk.lengths, tk, mask, _ALPHAS, np.zeros_like(_ALPHAS),
                                   np.ones_like(_ALPHAS), zeros, ((0, len(_ALPHAS)),))
    a = _ALPHAS[np.maximum(best[:, 0], 0)][:, None]
    n = tk.t[:, None]
    trend = 0.5 * b0[:, None] * ((tk.steps[None, :] - 1) + 1 / a - (1 - a) ** n / a)
    out = lv[:, :1] + trend
    fc[mask] = out[mask]
    return fc


def theta(tk: Tasks) -> tuple[np.ndarray, np.ndarray]:
    """``theta`` for every task with at least 4 points."""
    mask = tk.t >= MIN_OBS["theta"]
    return theta_on(tk, tk.Y, mask), mask


def log_theta(tk: Tasks) -> tuple[np.ndarray, np.ndarray]:
    """``log_theta``: Theta on ``log y`` back-transformed; only strictly positive prefixes."""
    mask = (tk.t >= MIN_OBS["log_theta"]) & tk.positive
    with np.errstate(divide="ignore"):
        Z = np.log(np.where(tk.Y > 0, tk.Y, 1.0))
    inner = theta_on(tk, Z, mask)
    return np.exp(np.minimum(inner, 700.0)), mask


def arima_fast(tk: Tasks, max_p_cap: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """ARIMA(p,1,0)+drift, p ≤ 2 by AICc, non-stationary AR rejected, per task (≥ 6 points)."""
    mask = tk.t >= MIN_OBS["arima_fast"]
    fc = np.full((len(tk.t), tk.h), np.nan)
    eps = np.finfo(float).eps
    for n, idx in tk.by_length(mask):
        d = np.diff(tk.Y[tk.rows[idx], :n], axis=1)
        nd = n - 1
        max_p = min(max_p_cap, max((nd - 4) // 3, 0))
        target = d[:, max_p:]
        m = target.shape[1]
        coefs = np.zeros((len(idx), 3, 3))  # per p: (c, a1, a2)
        scores = np.full((len(idx), 3), np.inf)
        for p in range(max_p + 1):
            lags = [d[:, max_p - j : nd - j] for j in range(1, p + 1)]
            x = np.stack([np.ones_like(target), *lags], axis=2)
            pinv = np.linalg.pinv(x, rcond=eps * max(m, p + 1))
            coef = np.sum(pinv * target[:, None, :], axis=2)
            pred = coef[:, :1] + sum((coef[:, j : j + 1] * lags[j - 1] for j in range(1, p + 1)),
                                     np.zeros_like(target))
            sse = np.sum((target - pred) ** 2, axis=1)
            ok = np.ones(len(idx), dtype=bool)
            if p > 0:
                comp = np.zeros((len(idx), p, p))
                comp[:, 0, :] = coef[:, 1:]
                if p > 1:
                    comp[:, 1, 0] = 1.0
                ok = ~np.any(np.abs(np.linalg.eigvals(comp)) >= 0.98, axis=1)
            scores[:, p] = np.where(ok, aicc_vec(sse, np.full(len(idx), m), p + 2), np.inf)
            coefs[:, p, : p + 1] = coef
        scores[:, 0] = np.where(np.isinf(scores).all(axis=1), 0.0, scores[:, 0])
        c = coefs[np.arange(len(idx)), np.argmin(scores, axis=1)]
        h1, h2 = d[:, -1].copy(), (d[:, -2].copy() if nd >= 2 else np.zeros(len(idx)))
        out = np.empty((len(idx), tk.h))
        for s in range(tk.h):
            nxt = c[:, 0] + (c[:, 1] * h1 + c[:, 2] * h2)
            out[:, s] = nxt
            h1, h2 = nxt, h1
        fc[idx] = tk.last[idx][:, None] + np.cumsum(out, axis=1)
    return fc, mask


def naive(tk: Tasks) -> tuple[np.ndarray, np.ndarray]:
    """Last value repeated."""
    return np.repeat(tk.last[:, None], tk.h, axis=1), np.ones(len(tk.t), dtype=bool)


def drift(tk: Tasks) -> tuple[np.ndarray, np.ndarray]:
    """Line through the first and last value of each prefix, extended (≥ 3 points)."""
    mask = tk.t >= MIN_OBS["drift"]
    first = tk.Y[tk.rows, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (tk.last - first) / (tk.t - 1)
    return tk.last[:, None] + slope[:, None] * tk.steps[None, :], mask


MEMBERS = {"naive": naive, "drift": drift, "theta": theta, "ets_fast": ets_fast,
           "arima_fast": arima_fast, "log_theta": log_theta}


def point_forecasts(
    tk: Tasks, names: Sequence[str], steps: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per candidate: forecasts ``(tasks, h)`` and model used per task, with fallbacks.

    Mirrors :func:`forecasts.pipeline.fit_point`: a constant prefix gives a flat
    forecast by ``naive``; otherwise the first of ``name, theta, drift, naive`` that
    has enough points and finite forecasts over the task's ``steps`` is used, clipped
    at 0. Columns beyond a task's ``steps`` are left as computed (the caller cuts).
    """
    results = {n: MEMBERS[n](tk) for n in dict.fromkeys([*names, *FALLBACKS])}
    cols = tk.steps[None, :] <= steps[:, None]
    fcs, useds = [], []
    for name in names:
        fc = np.repeat(tk.last[:, None], tk.h, axis=1)
        used = np.full(len(tk.t), "naive", dtype=object)
        todo = ~tk.constant
        for s in (name, *FALLBACKS):
            f, ok = results[s]
            with np.errstate(invalid="ignore"):
                good = todo & ok & np.all(np.isfinite(f) | ~cols, axis=1)
            fc[good] = np.maximum(f[good], 0.0)
            used[good] = s
            todo &= ~good
        fc[tk.constant] = tk.Y[tk.rows[tk.constant], :1]
        fcs.append(fc)
        useds.append(used)
    return fcs, useds


def run_chunk_vector(
    chunk: Sequence[tuple[int, np.ndarray]], cfg: TaskConfig
) -> list[SeriesResult]:
    """:func:`forecasts.pipeline.run_chunk` for a chunk, all series and origins at once.

    Falls back to the per-series loop when a candidate cannot be vectorised (a
    statsmodels or Prophet model, a combination, a model object, ``log=True``).
    """
    names = vector_names(cfg.candidates, cfg.log)
    if names is None or not chunk:
        return run_chunk(chunk, cfg)
    h = cfg.h
    rows: list[int] = []
    ts: list[int] = []
    steps: list[int] = []
    layout: list[tuple[int, list[int]]] = []
    for r, (_, y) in enumerate(chunk):
        n = len(y)
        starts = window_starts(n, h, cfg.n_windows, cfg.step)
        layout.append((len(ts), starts))
        rows += [r] * (len(starts) + 1)
        ts += [n, *starts]
        steps += [h, *(min(h, n - t) for t in starts)]
    tk = Tasks([y for _, y in chunk], np.array(rows), np.array(ts), h)
    fcs, useds = point_forecasts(tk, names, np.array(steps))
    out = []
    for (index, y), (first, starts) in zip(chunk, layout, strict=True):
        n, nw = len(y), len(starts)
        res = SeriesResult(index=index, points={}, used={}, bt_fc={},
                           bt_actual=np.full((nw, h), np.nan),
                           bt_scale=np.full(nw, calibration_scale(y)))
        for w, t in enumerate(starts):
            for j in range(1, h + 1):
                if keep_cell(n, t, j, cfg.n_windows, cfg.step):
                    res.bt_actual[w, j - 1] = y[t + j - 1]
        cut = np.arange(1, h + 1)[None, :] > np.array([min(h, n - t) for t in starts])[:, None]
        for c in range(len(names)):
            res.points[c] = fcs[c][first].copy()
            res.used[c] = str(useds[c][first])
            bt = fcs[c][first + 1 : first + 1 + nw].copy()
            bt[cut] = np.nan
            res.bt_fc[c] = bt
        res.choice = choose(res, names, cfg.select)
        out.append(res)
    return out
