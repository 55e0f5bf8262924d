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

from forecasts.models.base import Model, aicc

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


class ARIMAFast(Model):
    """ARIMA(p,1,0) with drift by conditional least squares, p chosen by AICc."""

    name = "arima_fast"
    min_obs = 6

    def __init__(self, max_p: int = 2) -> None:
        super().__init__()
        self.max_p = max_p

    def _fit(self, y: np.ndarray) -> None:
        d = np.diff(y)
        max_p = min(self.max_p, max((len(d) - 4) // 3, 0))
        target = d[max_p:]
        m = len(target)
        best: tuple[float, np.ndarray, float] | None = None
        for p in range(max_p + 1):
            cols = [np.ones(m)] + [d[max_p - j : len(d) - j] for j in range(1, p + 1)]
            x = np.column_stack(cols)
            coef, *_ = np.linalg.lstsq(x, target, rcond=None)
            if p > 0:
                roots = np.roots(np.r_[1.0, -coef[1:]])
                if np.any(np.abs(roots) >= 0.98):
                    continue
            sse = float(np.sum((target - x @ coef) ** 2))
            score = float(aicc(sse, m, p + 2))
            if best is None or score < best[0]:
                best = (score, coef, sse)
        assert best is not None  # p = 0 is always accepted
        self._coef = best[1]
        self._d = d
        self._sigma = float(np.sqrt(best[2] / max(m, 1)))

    def _point(self, h: int) -> np.ndarray:
        c, phis = self._coef[0], self._coef[1:]
        hist = list(self._d[-len(phis) :]) if len(phis) else []
        out = []
        for _ in range(h):
            nxt = c + sum(phis[j] * hist[-1 - j] for j in range(len(phis)))
            out.append(nxt)
            hist.append(nxt)
        return self._y[-1] + np.cumsum(out)
