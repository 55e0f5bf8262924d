"""The fast ARIMA kernels: AR(p) by least squares on the first or second differences.

``arima_fast`` is ARIMA(p,1,0) with drift: the changes revert to their mean, so the
forecast ends on a straight line. ``arima2_fast`` is ARIMA(p,2,0) without a constant:
the *change of the changes* is an AR process around zero, so the forecast continues the
last slope while its recent bending fades. Hyndman–Khandakar's search (statsforecast
AutoARIMA) has this form too (d = 2 when its unit-root test asks for it); it suits
smooth curves such as fertility rates, where the other members extrapolate a mean
slope. On the World Bank fertility panel it alone
beats AutoARIMA at two of four rolling origins (benchmarks/RESULTS_forecasts.md, fourth
round). On M3 it is a poor model by itself (sMAPE 24–37 on the tuning origins). As a
member of ``auto``, the trimmed mean drops its extremes, and the selection and the
panel's prior use it where it wins.

Both share one formula: p ≤ 2 by AICc, AR parts with a root of modulus ≥ 0.98 rejected
(p = 0 always stands), the same kernels for the per-series models and the vectorised
path (:mod:`forecasts.kernels`).
"""

from __future__ import annotations

import numpy as np

from forecasts.kernels import MIN_OBS, KernelOut, Tasks, aicc


def stationary(coef: np.ndarray, p: int, cut: float = 0.98) -> np.ndarray:
    """Per row: whether the AR part ``coef[:, 1:p+1]`` has every root modulus below ``cut`` (False for a
    part that is not finite: least squares on values near the smallest float, 5e-324, gives NaN)."""
    if p == 0:
        return np.ones(len(coef), dtype=bool)
    finite = np.isfinite(coef[:, 1 : p + 1]).all(axis=1)
    comp = np.zeros((int(finite.sum()), p, p))
    comp[:, 0, :] = coef[finite, 1 : p + 1]
    if p > 1:
        comp[:, 1:, :-1] = np.eye(p - 1)
    out = np.zeros(len(coef), dtype=bool)
    out[finite] = ~np.any(np.abs(np.linalg.eigvals(comp)) >= cut, axis=1)
    return out


@np.errstate(over="ignore", invalid="ignore", divide="ignore")  # values near 5e-324: NaN fits, rejected below
def _ar_fit(d: np.ndarray, max_p: int, constant: bool) -> tuple[np.ndarray, np.ndarray]:
    """AR(p) on the rows of ``d`` for p = 0..max_p by least squares, p by AICc.

    Returns per row the coefficients (c, a1, a2) of the chosen p (c = 0 without a
    constant) and the residual s.d.
    """
    rows, nd = d.shape
    target = d[:, max_p:]
    m = target.shape[1]
    eps = np.finfo(float).eps
    coefs = np.zeros((rows, 3, 3))
    scores, sses = np.full((rows, 3), np.inf), np.zeros((rows, 3))
    for p in range(max_p + 1):
        lags = [d[:, max_p - j : nd - j] for j in range(1, p + 1)]
        cols = ([np.ones_like(target)] if constant else []) + lags
        coef = np.zeros((rows, p + 1))
        if cols:
            x = np.stack(cols, axis=2)
            pinv = np.linalg.pinv(x, rcond=eps * max(m, len(cols)))
            coef[:, 1 - int(constant):] = np.sum(pinv * target[:, None, :], axis=2)
        pred = coef[:, :1] + sum((coef[:, j : j + 1] * lags[j - 1] for j in range(1, p + 1)),
                                 np.zeros_like(target))
        sses[:, p] = np.sum((target - pred) ** 2, axis=1)
        ok = stationary(coef, p)
        scores[:, p] = np.where(ok, aicc(sses[:, p], np.full(rows, m), p + 1 + int(constant)), np.inf)
        coefs[:, p, : p + 1] = coef
    scores[:, 0] = np.where(np.isinf(scores).all(axis=1), 0.0, scores[:, 0])
    pick = np.argmin(scores, axis=1)
    return coefs[np.arange(rows), pick], np.sqrt(sses[np.arange(rows), pick] / max(m, 1))


def _arima(tk: Tasks, d: int, max_p_cap: int) -> KernelOut:
    """ARIMA(p,d,0) for d in (1, 2): with drift for d = 1, without a constant for d = 2."""
    mask = tk.t >= MIN_OBS["arima_fast" if d == 1 else "arima2_fast"]
    fc, sigma = np.full((len(tk.t), tk.h), np.nan), np.full(len(tk.t), np.nan)
    for n, idx in tk.by_length(mask):
        y = tk.Y[tk.rows[idx], :n]
        diffs = [np.diff(y, axis=1)]
        if d == 2:
            diffs.append(np.diff(diffs[0], axis=1))
        x = diffs[-1]
        max_p = min(max_p_cap, max((x.shape[1] - 4) // 3, 0))
        c, sigma[idx] = _ar_fit(x, max_p, constant=d == 1)
        h1 = x[:, -1].copy()
        h2 = x[:, -2].copy() if x.shape[1] >= 2 else np.zeros(len(idx))
        out = np.empty((len(idx), tk.h))
        for s in range(tk.h):
            nxt = c[:, 0] + (c[:, 1] * h1 + c[:, 2] * h2)
            out[:, s] = nxt
            h1, h2 = nxt, h1
        if d == 2:  # integrate the second differences into slopes first
            out = diffs[0][:, -1][:, None] + np.cumsum(out, axis=1)
        fc[idx] = tk.last[idx][:, None] + np.cumsum(out, axis=1)
    return KernelOut(fc, mask, sigma)


def arima_fast(tk: Tasks, max_p_cap: int = 2) -> KernelOut:
    """ARIMA(p,1,0)+drift, p <= 2 by AICc, by least squares on the differences (>= 6 points)."""
    return _arima(tk, 1, max_p_cap)


def arima2_fast(tk: Tasks, max_p_cap: int = 2) -> KernelOut:
    """ARIMA(p,2,0) without a constant, p <= 2 by AICc, on the second differences (>= 6 points)."""
    return _arima(tk, 2, max_p_cap)
