"""ARIMA models: statsmodels with a small automatic order search, and a fast CSS twin.

``arima`` fits ARIMA(p,1,q) with drift, (p,q) in {(0,0),(1,0),(0,1),(1,1)}, plus the
driftless random walk, by exact likelihood (statsmodels state space) and keeps the
smallest AICc. ``arima_fast`` fits ARIMA(p,1,0) with drift, p in {0,1,2}, by ordinary
least squares on the differences (conditional sum of squares), rejecting
non-stationary AR parts; it is a few microseconds per fit.
"""

from __future__ import annotations

import warnings

import numpy as np

from forecasts.kernels import KernelOut, Tasks, arima_fast
from forecasts.models.base import KernelModel, Model

_ORDERS: tuple[tuple[tuple[int, int, int], str], ...] = (
    ((0, 1, 0), "t"),
    ((1, 1, 0), "t"),
    ((0, 1, 1), "t"),
    ((1, 1, 1), "t"),
    ((0, 1, 0), "n"),
)


class ARIMA(Model):
    """statsmodels ARIMA with drift; order by AICc over a small grid."""

    name = "arima"
    min_obs = 8

    def _fit(self, y: np.ndarray) -> None:
        from statsmodels.tsa.arima.model import ARIMA as SMArima

        best = None
        for order, trend in _ORDERS:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = SMArima(y, order=order, trend=trend).fit()
            except Exception:  # a failed order is simply skipped
                continue
            if np.isfinite(res.aicc) and (best is None or res.aicc < best.aicc):
                best = res
        if best is None:
            raise ValueError("no ARIMA order could be fitted")
        self._res = best
        self._sigma = float(np.sqrt(max(best.params[-1], 0.0)))

    def _point(self, h: int) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(self._res.forecast(h), dtype=float)


class ARIMAFast(KernelModel):
    """ARIMA(p,1,0) with drift by conditional least squares, p chosen by AICc."""

    name = "arima_fast"
    kernel = "arima_fast"

    def __init__(self, max_p: int = 2) -> None:
        super().__init__()
        self.max_p = max_p

    def _run(self, y: np.ndarray, h: int) -> KernelOut:
        return arima_fast(Tasks.single(y, h), self.max_p)
