"""Exponential smoothing (additive errors) fitted by a vectorised grid search, chosen by AICc.

Simple (N), Holt (A) and damped (Ad) trends. Every parameter combination of the grid
is run in one numpy recursion, so a fit costs well under a millisecond: the point of
this model is to make backtest-based selection affordable on 20,000 short series.
Initial states are set from the first observations (level ``y[0]``, slope the mean of
the first three differences) rather than estimated.
"""

from __future__ import annotations

import numpy as np

from forecasts.models.base import Model, aicc

_A = np.array([0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99])
_BFRAC = np.array([0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0])
_PHI = np.array([0.8, 0.85, 0.9, 0.94, 0.97, 0.99])


def _grid(phis: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, bf, p = np.meshgrid(_A, _BFRAC, phis, indexing="ij")
    return a.ravel(), (a * bf).ravel(), p.ravel()


_HOLT = _grid(np.array([1.0]))
_DAMPED = _grid(_PHI)
_SES_A = np.linspace(0.01, 0.99, 50)


def run_trend(
    y: np.ndarray, alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray, b0: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Additive-trend recursion for all parameter rows; returns level, slope and SSE."""
    level = np.full(alpha.shape, y[0])
    slope = np.full(alpha.shape, b0)
    sse = np.zeros(alpha.shape)
    for t in range(1, len(y)):
        fc = level + phi * slope
        err = y[t] - fc
        sse += err * err
        level = fc + alpha * err
        slope = phi * slope + beta * err
    return level, slope, sse


class ETSFast(Model):
    """ETS(A,N,N) / ETS(A,A,N) / ETS(A,Ad,N) with the smallest AICc."""

    name = "ets_fast"
    min_obs = 4

    def __init__(self, trends: tuple[str, ...] = ("N", "A", "Ad")) -> None:
        super().__init__()
        self.trends = trends

    def _fit(self, y: np.ndarray) -> None:
        n = len(y) - 1
        b0 = float(np.mean(np.diff(y[: min(4, len(y))])))
        fits: list[tuple[float, str, float, float, float, float, float, float]] = []
        if "N" in self.trends:
            zeros = np.zeros_like(_SES_A)
            lv, _, sse = run_trend(y, _SES_A, zeros, np.ones_like(_SES_A), 0.0)
            i = int(np.argmin(sse))
            fits.append((float(aicc(sse[i], n, 3)), "N", lv[i], 0.0, 1.0, sse[i], 0, 0))
        for trend, grid, k in (("A", _HOLT, 5), ("Ad", _DAMPED, 6)):
            if trend not in self.trends or len(y) < 6:
                continue
            lv, sl, sse = run_trend(y, *grid, b0)
            i = int(np.argmin(sse))
            fits.append((float(aicc(sse[i], n, k)), trend, lv[i], sl[i], grid[2][i], sse[i], 0, 0))
        best = min(fits, key=lambda f: f[0])
        _, self.trend, self._level, self._slope, self._phi, sse_best, _, _ = best
        self._sigma = float(np.sqrt(sse_best / max(n, 1)))

    def _point(self, h: int) -> np.ndarray:
        damp = np.cumsum(self._phi ** np.arange(1, h + 1))
        return self._level + self._slope * damp
