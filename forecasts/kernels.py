"""The formulas of the fast models, once, over *tasks* (prefixes of a chunk's series).

A task is a prefix ``y[:t]`` of one series. Every kernel takes a :class:`Tasks` and
returns :class:`KernelOut`: point forecasts ``(tasks, h)``, a mask of the tasks it
could forecast (enough points, positive where a log is taken) and the one-step error
s.d. of the fit (for the models' own normal intervals). The per-series models in
:mod:`forecasts.models` call the same kernels with one task (``Tasks.single``), and
:mod:`forecasts.vector` with every task of a chunk, so both paths share every formula
(the Holt/damped recursion, AICc, the OLS trend slope; the ARIMA kernels and
their stationarity cut are in :mod:`forecasts.kernels_arima`).

Recursions over the grid of smoothing parameters run once per series over its whole
history, with the series as rows and the grid as columns; a task's states are those
after step ``t - 1`` (read off on the way). Every task's result depends only on its
own series, never on the other rows of the chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: ETS grids: alpha, beta as a fraction of alpha, damping phi; simple exponential smoothing.
_A = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99])
_BFRAC = np.array([0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0])
_PHI = np.array([0.8, 0.85, 0.9, 0.94, 0.97, 0.99])
_SES_A = np.linspace(0.01, 0.99, 50)
#: Theta and DOTM smoothing grid.
THETA_ALPHAS = np.linspace(0.01, 0.99, 99)


def _grid(phis: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, bf, p = np.meshgrid(_A, _BFRAC, phis, indexing="ij")
    return a.ravel(), (a * bf).ravel(), p.ravel()


_HOLT, _DAMPED = _grid(np.array([1.0])), _grid(_PHI)
_N_SES, _N_HOLT = len(_SES_A), len(_HOLT[0])
ETS_ALPHA = np.concatenate([_SES_A, _HOLT[0], _DAMPED[0]])
ETS_BETA = np.concatenate([np.zeros_like(_SES_A), _HOLT[1], _DAMPED[1]])
ETS_PHI = np.concatenate([np.ones_like(_SES_A), _HOLT[2], _DAMPED[2]])
_ETS_FAMILIES = ((0, _N_SES), (_N_SES, _N_SES + _N_HOLT), (_N_SES + _N_HOLT, len(ETS_ALPHA)))
#: Parameters per ETS family (N, A, Ad) in the AICc, and the points a trend needs.
_ETS_K = (3, 5, 6)
ETS_TREND_MIN = 6


@dataclass
class KernelOut:
    """Forecasts ``(tasks, h)``, which tasks could be forecast, one-step error s.d. per task."""

    fc: np.ndarray
    ok: np.ndarray
    sigma: np.ndarray


class Tasks:
    """Prefixes ``Y[row, :t]`` of a chunk's series, with the arrays every kernel needs.

    ``Y`` holds the series left-aligned (padded with 0 after each series' end).
    """

    def __init__(self, values: Sequence[np.ndarray], rows: np.ndarray, t: np.ndarray, h: int):
        self.lengths = np.array([len(y) for y in values], dtype=np.int64)
        self.Y = np.zeros((len(values), int(self.lengths.max())))
        for i, y in enumerate(values):
            self.Y[i, : len(y)] = y
        self.rows, self.t, self.h = np.asarray(rows), np.asarray(t), h
        self.last = self.Y[self.rows, self.t - 1]
        cmax = np.maximum.accumulate(self.Y, axis=1)[self.rows, self.t - 1]
        cmin = np.minimum.accumulate(self.Y, axis=1)[self.rows, self.t - 1]
        self.constant = (self.t >= 2) & (cmax == cmin)
        self.positive = cmin > 0
        self.steps = np.arange(1, h + 1)

    @classmethod
    def single(cls, y: np.ndarray, h: int) -> Tasks:
        """One task: the whole series ``y``."""
        return cls([np.asarray(y, dtype=float)], np.array([0]), np.array([len(y)]), h)

    def by_length(self, mask: np.ndarray) -> list[tuple[int, np.ndarray]]:
        """Task indices grouped by prefix length, for the tasks in ``mask``."""
        idx = np.flatnonzero(mask)
        return [(int(n), idx[self.t[idx] == n]) for n in np.unique(self.t[idx])]

    def log_y(self) -> np.ndarray:
        """``log Y`` where positive (1 elsewhere: never read by a masked task)."""
        with np.errstate(divide="ignore"):
            return np.log(np.where(self.Y > 0, self.Y, 1.0))


def aicc_penalty(n: int | np.ndarray, k: int) -> np.ndarray:
    """AICc's penalty ``2k + 2k(k+1)/(n-k-1)`` (infinite where ``n <= k + 1``), elementwise."""
    den = np.asarray(n, dtype=float) - k - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, 2 * k + (2 * k * (k + 1)) / np.where(den > 0, den, 1), np.inf)


def aicc(sse: float | np.ndarray, n: int | np.ndarray, k: int) -> np.ndarray:
    """Gaussian AICc from a sum of squared errors over ``n`` points, ``k`` parameters."""
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return n * np.log(np.maximum(sse, 1e-300) / n) + aicc_penalty(n, k)


def _order(tk: Tasks, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted longest first (active rows at step s are a prefix), and each row's position."""
    order = np.argsort(-tk.lengths, kind="stable")
    pos = np.empty_like(order)
    pos[order] = np.arange(len(order))
    return Z[order], tk.lengths[order], pos


def grid_pass(
    tk: Tasks, Z: np.ndarray, mask: np.ndarray, alpha: np.ndarray, beta: np.ndarray,
    phi: np.ndarray, slope0: np.ndarray, families: Sequence[tuple[int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Additive (damped) trend recursion for every row and grid column, read off per task.

    Level starts at ``z[0]``, slope at ``slope0`` (row × column); one-step errors
    ``z[s] - (l + phi b)`` update ``l = fc + alpha e`` and ``b = phi b + beta e``. For each
    task in ``mask`` and column family ``[a, b)`` the column with the smallest SSE of the
    prefix is chosen; returns its index, level, slope and SSE, each ``(tasks, families)``.
    """
    n_task, n_fam = len(tk.t), len(families)
    best = np.full((n_task, n_fam), -1, dtype=np.int64)
    lv_out, sl_out, sse_out = (np.full((n_task, n_fam), np.nan) for _ in range(3))
    idx = np.flatnonzero(mask)
    if not len(idx):
        return best, lv_out, sl_out, sse_out
    zs, lens, pos = _order(tk, Z)
    level = np.repeat(zs[:, :1], len(alpha), axis=1)
    slope = np.array(slope0[np.argsort(-tk.lengths, kind="stable")], dtype=float)
    sse = np.zeros_like(level)
    when = tk.t[idx] - 1  # the step after which a task's prefix is complete
    for s in range(1, int(when.max()) + 1):
        k = int(np.sum(lens > s))
        lv, sl, ss = level[:k], slope[:k], sse[:k]
        fc = lv + phi * sl
        err = zs[:k, s : s + 1] - fc
        ss += err * err
        lv[...] = fc + alpha * err
        sl[...] = phi * sl + beta * err
        done = idx[when == s]
        if len(done):
            r = pos[tk.rows[done]]
            for f, (a, b) in enumerate(families):
                i = np.argmin(sse[r, a:b], axis=1)
                best[done, f] = a + i
                lv_out[done, f] = level[r, a + i]
                sl_out[done, f] = slope[r, a + i]
                sse_out[done, f] = sse[r, a + i]
    return best, lv_out, sl_out, sse_out


def initial_slope(Y: np.ndarray) -> np.ndarray:
    """ETS initial slope per row: the mean of the first three differences."""
    width = min(4, Y.shape[1])
    return np.mean(np.diff(Y[:, :width], axis=1), axis=1) if width > 1 else np.zeros(len(Y))


def ets_grid(tk: Tasks, mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """Best grid column per ETS family (N, A, Ad) for each task: index, level, slope, SSE.

    Level starts at ``y[0]``, slope at the mean of the first three differences.
    """
    b0 = initial_slope(tk.Y)
    trend = np.arange(len(ETS_ALPHA)) >= _N_SES
    slope0 = np.where(trend[None, :], b0[:, None], 0.0)
    return grid_pass(tk, tk.Y, mask, ETS_ALPHA, ETS_BETA, ETS_PHI, slope0, _ETS_FAMILIES)


def ets_fast(tk: Tasks) -> KernelOut:
    """ETS(A,N/A/Ad,N) by grid search, the family by AICc; trends need 6 points."""
    mask = tk.t >= MIN_OBS["ets_fast"]
    fc, sigma = np.full((len(tk.t), tk.h), np.nan), np.full(len(tk.t), np.nan)
    if not mask.any():
        return KernelOut(fc, mask, sigma)
    best, lv, sl, sse = ets_grid(tk, mask)
    n = tk.t - 1
    scores = np.column_stack([aicc(sse[:, f], n, k) for f, k in enumerate(_ETS_K)])
    scores[tk.t < ETS_TREND_MIN, 1:] = np.inf
    scores[~mask] = 0.0
    f = np.argmin(scores, axis=1)
    rows = np.arange(len(tk.t))
    col = best[rows, f]
    phi = np.where(col >= 0, ETS_PHI[np.maximum(col, 0)], 1.0)
    damp = np.cumsum(phi[:, None] ** tk.steps[None, :], axis=1)
    out = lv[rows, f][:, None] + sl[rows, f][:, None] * damp
    fc[mask] = out[mask]
    sigma[mask] = np.sqrt(sse[rows, f] / np.maximum(n, 1))[mask]
    return KernelOut(fc, mask, sigma)


def ols_slope(tk: Tasks, Z: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Least-squares slope of ``Z[row, :t]`` on ``0..t-1`` per task (closed form)."""
    out = np.full(len(tk.t), np.nan)
    for n, idx in tk.by_length(mask):
        x = np.arange(n, dtype=float) - (n - 1) / 2
        z = Z[tk.rows[idx], :n]
        # row sums, not a matrix product: BLAS results may depend on how many rows there are
        out[idx] = np.sum((z - z.mean(axis=1, keepdims=True)) * x, axis=1) / np.sum(x * x)
    return out


def theta_trend(alpha: np.ndarray, t: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Theta's trend multiplier ``(h - 1) + (1 - (1 - alpha)^t) / alpha`` per task and step."""
    a, n = alpha[:, None], t[:, None]
    return (steps[None, :] - 1) + (1 - (1 - a) ** n) / a


def theta_on(tk: Tasks, Z: np.ndarray, mask: np.ndarray) -> KernelOut:
    """Standard Theta: SES (alpha by SSE) plus half the OLS slope, on ``Z`` per task."""
    fc, sigma = np.full((len(tk.t), tk.h), np.nan), np.full(len(tk.t), np.nan)
    if not mask.any():
        return KernelOut(fc, mask, sigma)
    b0 = ols_slope(tk, Z, mask)
    zeros = np.zeros((len(Z), len(THETA_ALPHAS)))
    with np.errstate(all="ignore"):
        best, lv, _, sse = grid_pass(tk, Z, mask, THETA_ALPHAS, np.zeros_like(THETA_ALPHAS),
                                     np.ones_like(THETA_ALPHAS), zeros, ((0, len(THETA_ALPHAS)),))
    a = THETA_ALPHAS[np.maximum(best[:, 0], 0)]
    out = lv[:, :1] + 0.5 * b0[:, None] * theta_trend(a, tk.t, tk.steps)
    fc[mask] = out[mask]
    sigma[mask] = np.sqrt(sse[:, 0] / np.maximum(tk.t - 1, 1))[mask]
    return KernelOut(fc, mask, sigma)


def dotm_on(tk: Tasks, Z: np.ndarray, mask: np.ndarray) -> KernelOut:
    """Dynamic optimised Theta on ``Z``: SES level plus ``c`` times the theta trend.

    One-step forecasts from each prefix ``p >= 2`` are ``l_p + c B_p (1 - (1-a)^p)/a``
    with ``B_p`` the OLS slope of the prefix (updated as data arrive). For each alpha
    of the grid, ``c = 1 - 1/theta`` minimises their SSE in closed form (clipped to
    [0, 1], i.e. theta >= 1); the alpha with the smallest SSE wins. Forecast:
    ``l_t + c B_t theta_trend(alpha, t, h)``.
    """
    fc, sigma = np.full((len(tk.t), tk.h), np.nan), np.full(len(tk.t), np.nan)
    idx = np.flatnonzero(mask)
    if not len(idx):
        return KernelOut(fc, mask, sigma)
    a = THETA_ALPHAS
    zs, lens, pos = _order(tk, Z)
    rows = len(zs)
    level = np.repeat(zs[:, :1], len(a), axis=1)
    sums = np.zeros((3, rows, len(a)))  # sum r*D, D*D, r*r
    sx, sxx, sz, sxz = 0.0, 0.0, zs[:, 0].copy(), np.zeros(rows)
    slope = np.zeros(rows)
    when = tk.t[idx] - 1
    with np.errstate(all="ignore"):
        for s in range(1, int(when.max()) + 1):
            k = int(np.sum(lens > s))
            z = zs[:k, s]
            if s >= 2:  # one-step error of prefix length s (it has a slope)
                r = z[:, None] - level[:k]
                d = slope[:k, None] * ((1 - (1 - a) ** s) / a)
                sums[:, :k] += np.stack([r * d, d * d, r * r])
            level[:k] = a * z[:, None] + (1 - a) * level[:k]
            sx, sxx = sx + s, sxx + s * s
            sz[:k] += z
            sxz[:k] += s * z
            p = s + 1.0
            slope[:k] = (p * sxz[:k] - sx * sz[:k]) / (p * sxx - sx * sx)
            done = idx[when == s]
            if len(done):
                _dotm_read(tk, done, pos[tk.rows[done]], level, slope, sums, fc, sigma)
    return KernelOut(fc, mask, sigma)


def _dotm_read(tk: Tasks, done: np.ndarray, r: np.ndarray, level: np.ndarray, slope: np.ndarray,
               sums: np.ndarray, fc: np.ndarray, sigma: np.ndarray) -> None:
    """DOTM's choice of (alpha, c) and forecast for tasks whose prefix just completed."""
    srd, sdd, srr = sums[0, r], sums[1, r], sums[2, r]
    c = np.clip(np.where(sdd > 0, srd / np.where(sdd > 0, sdd, 1.0), 0.0), 0.0, 1.0)
    sse = srr - 2 * c * srd + c * c * sdd
    i = np.argmin(sse, axis=1)
    j = np.arange(len(done))
    t = tk.t[done]
    trend = theta_trend(THETA_ALPHAS[i], t, tk.steps)
    fc[done] = level[r, i][:, None] + (c[j, i] * slope[r])[:, None] * trend
    sigma[done] = np.sqrt(np.maximum(sse[j, i], 0.0) / np.maximum(t - 2, 1))


def _log_kernel(inner: Callable[[Tasks, np.ndarray, np.ndarray], KernelOut], name: str,
                tk: Tasks) -> KernelOut:
    """``inner`` on ``log y`` back-transformed; only strictly positive prefixes."""
    mask = (tk.t >= MIN_OBS[name]) & tk.positive
    out = inner(tk, tk.log_y(), mask)
    return KernelOut(np.exp(np.minimum(out.fc, 700.0)), mask, out.sigma * tk.last)


def theta(tk: Tasks) -> KernelOut:
    """``theta`` for every task with at least 4 points."""
    return theta_on(tk, tk.Y, tk.t >= MIN_OBS["theta"])


def log_theta(tk: Tasks) -> KernelOut:
    """``log_theta``: Theta on ``log y``, back-transformed."""
    return _log_kernel(theta_on, "log_theta", tk)


def dotm(tk: Tasks) -> KernelOut:
    """``dotm`` for every task with at least 4 points."""
    return dotm_on(tk, tk.Y, tk.t >= MIN_OBS["dotm"])


def log_dotm(tk: Tasks) -> KernelOut:
    """``log_dotm``: DOTM on ``log y``, back-transformed."""
    return _log_kernel(dotm_on, "log_dotm", tk)


def _diff_moments(tk: Tasks) -> tuple[np.ndarray, np.ndarray]:
    """Mean and mean square of the first differences of each task's prefix (0 if none)."""
    d = np.diff(tk.Y, axis=1)
    c1 = np.concatenate([np.zeros((len(d), 1)), np.cumsum(d, axis=1)], axis=1)
    c2 = np.concatenate([np.zeros((len(d), 1)), np.cumsum(d * d, axis=1)], axis=1)
    k = np.maximum(tk.t - 1, 1)
    return c1[tk.rows, tk.t - 1] / k, c2[tk.rows, tk.t - 1] / k


def naive(tk: Tasks) -> KernelOut:
    """Last value repeated; sigma the root mean square first difference."""
    _, m2 = _diff_moments(tk)
    return KernelOut(np.repeat(tk.last[:, None], tk.h, axis=1), np.ones(len(tk.t), dtype=bool),
                     np.sqrt(m2))


def drift(tk: Tasks) -> KernelOut:
    """Line through the first and last value of each prefix, extended (>= 3 points)."""
    mask = tk.t >= MIN_OBS["drift"]
    first = tk.Y[tk.rows, 0]
    m1, m2 = _diff_moments(tk)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (tk.last - first) / (tk.t - 1)
    sigma = np.sqrt(np.maximum(m2 - m1 * m1, 0.0))
    return KernelOut(tk.last[:, None] + slope[:, None] * tk.steps[None, :], mask, sigma)


#: Points each kernel needs (the ARIMA kernels are in :mod:`forecasts.kernels_arima`).
MIN_OBS: dict[str, int] = {
    "naive": 1, "drift": 3, "theta": 4, "ets_fast": 4, "arima_fast": 6, "arima2_fast": 6,
    "log_theta": 4, "dotm": 4, "log_dotm": 4,
}
