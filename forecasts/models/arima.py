"""ARIMA models: statsmodels estimators with a small automatic order search, and a CSS twin.

``arima`` is ARIMA(p,1,q) with drift for (p, q) in {(0,0), (1,0), (2,0), (0,1)}, plus the
driftless random walk, the order by AICc. On the first differences minus their mean
(the drift), statsmodels' non-iterative estimators fit the ARMA part: Burg for the
autoregressive orders (stationary by construction), the innovations algorithm for the
moving average (non-invertible estimates are refused). The AICc uses their innovation
variance (a conditional Gaussian likelihood) and counts the drift and the variance as
parameters; forecasts run the ARMA recursion on the conditional residuals. The order
is chosen once per series, on its full history; each inner backtest origin refits
that order (:meth:`ARIMA.refit`; the estimators are not iterative, so there is nothing
to warm-start). Under a millisecond a fit, where exact maximum likelihood through the
state-space optimiser took 20-100 ms (and its Kalman-filter set-up alone 1.5 ms).

``arima_fast`` fits ARIMA(p,1,0) with drift, p in {0,1,2}, by ordinary least squares on
the differences (conditional sum of squares), rejecting non-stationary AR parts; it is a
few microseconds per fit. ``arima2_fast`` fits ARIMA(p,2,0) without a constant the same way
on the second differences (formulas in :mod:`forecasts.kernels_arima`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from forecasts.kernels import KernelOut, Tasks, aicc_penalty
from forecasts.kernels_arima import arima2_fast, arima_fast
from forecasts.models.base import KernelModel, Model

#: (p, q, drift) of the candidate orders on the first differences.
_ORDERS: tuple[tuple[int, int, bool], ...] = (
    (0, 0, True), (1, 0, True), (2, 0, True), (0, 1, True), (0, 0, False),
)


@dataclass(frozen=True)
class _ArmaFit:
    order: tuple[int, int, bool]
    mu: float  # drift: mean of the differences (0 without drift)
    ar: np.ndarray
    ma: np.ndarray
    sigma2: float
    score: float  # AICc (up to a constant shared by every order)


def _fit_order(y: np.ndarray, order: tuple[int, int, bool]) -> _ArmaFit | None:
    """One order fitted to ``y``'s first differences by statsmodels; None if unusable."""
    from statsmodels.tsa.arima.estimators.burg import burg
    from statsmodels.tsa.arima.estimators.innovations import innovations

    p, q, drift = order
    d = np.diff(y)
    if len(d) < p + q + 3:
        return None
    mu = float(np.mean(d)) if drift else 0.0
    x = d - mu
    ar, ma = np.zeros(0), np.zeros(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if p:
                params, _ = burg(x, ar_order=p, demean=False)
                ar, sigma2 = np.asarray(params.ar_params, dtype=float), float(params.sigma2)
            elif q:
                params = innovations(x, ma_order=q, demean=False)[0][-1]
                ma, sigma2 = np.asarray(params.ma_params, dtype=float), float(params.sigma2)
            else:
                sigma2 = float(np.mean(x * x))
    except Exception:  # a failed order is simply skipped
        return None
    if not (np.all(np.isfinite(ar)) and np.all(np.abs(ma) < 1) and np.isfinite(sigma2)):
        return None
    score = len(d) * np.log(max(sigma2, 1e-300)) + float(aicc_penalty(len(d), p + q + 1 + drift))
    return _ArmaFit(order, mu, ar, ma, sigma2, score) if np.isfinite(score) else None


def _arma_forecast(x: np.ndarray, fit: _ArmaFit, h: int) -> np.ndarray:
    """ARMA forecasts of the demeaned differences ``x``, conditional residuals (zeros before)."""
    p, q = len(fit.ar), len(fit.ma)
    xs, es = list(x), [0.0] * len(x)
    for t in range(len(x)):
        pred = sum(fit.ar[i] * xs[t - 1 - i] for i in range(p) if t - 1 - i >= 0)
        pred += sum(fit.ma[j] * es[t - 1 - j] for j in range(q) if t - 1 - j >= 0)
        es[t] = xs[t] - pred
    for _ in range(h):
        t = len(xs)
        pred = sum(fit.ar[i] * xs[t - 1 - i] for i in range(p))
        pred += sum(fit.ma[j] * es[t - 1 - j] for j in range(q))
        xs.append(pred)
        es.append(0.0)
    return np.asarray(xs[len(x):])


class ARIMA(Model):
    """ARIMA(p,1,q) with drift by statsmodels' Burg / innovations estimators; order by AICc."""

    name = "arima"
    min_obs = 6

    def _fit(self, y: np.ndarray) -> None:
        fits = [f for o in _ORDERS if (f := _fit_order(y, o)) is not None]
        if not fits:
            raise ValueError("no ARIMA order could be fitted")
        self._set(min(fits, key=lambda f: f.score))

    def _set(self, fit: _ArmaFit) -> None:
        self._fit_result = fit
        self._sigma = float(np.sqrt(fit.sigma2))

    def refit(self, y: np.ndarray) -> ARIMA | None:
        """The same order refitted to ``y``."""
        y = np.asarray(y, dtype=float)
        fit = _fit_order(y, self._fit_result.order)
        if fit is None:
            return None
        out = ARIMA()
        out._y = y
        out._set(fit)
        return out

    def _point(self, h: int) -> np.ndarray:
        fit = self._fit_result
        x = np.diff(self._y) - fit.mu
        return self._y[-1] + np.cumsum(_arma_forecast(x, fit, h) + fit.mu)


class ARIMAFast(KernelModel):
    """ARIMA(p,1,0) with drift by conditional least squares, p chosen by AICc."""

    name = "arima_fast"
    kernel = "arima_fast"

    def __init__(self, max_p: int = 2) -> None:
        super().__init__()
        self.max_p = max_p

    def _run(self, y: np.ndarray, h: int) -> KernelOut:
        return arima_fast(Tasks.single(y, h), self.max_p)


class ARIMA2Fast(ARIMAFast):
    """ARIMA(p,2,0) without a constant by conditional least squares, p chosen by AICc."""

    name = "arima2_fast"
    kernel = "arima2_fast"

    def _run(self, y: np.ndarray, h: int) -> KernelOut:
        return arima2_fast(Tasks.single(y, h), self.max_p)
