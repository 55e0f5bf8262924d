"""The Theta method (Assimakopoulos & Nikolopoulos 2000) in the Hyndman & Billah form.

Forecast = simple exponential smoothing (alpha by least squares) plus half the slope of
a linear trend fitted to the history. The alpha search is vectorised over a grid so one
fit costs tens of microseconds: annual series are short and fits are many.
"""

from __future__ import annotations

import numpy as np

from forecasts.models.base import Model

_ALPHAS = np.linspace(0.01, 0.99, 99)


def ses_grid(y: np.ndarray, alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Final SES level and one-step SSE for every alpha (level starts at ``y[0]``)."""
    level = np.full(alphas.shape, y[0])
    sse = np.zeros(alphas.shape)
    for t in range(1, len(y)):
        err = y[t] - level
        sse += err * err
        level = level + alphas * err
    return level, sse


class Theta(Model):
    """Standard Theta: SES with drift equal to half the OLS trend slope."""

    name = "theta"
    min_obs = 4

    def _fit(self, y: np.ndarray) -> None:
        n = len(y)
        t = np.arange(n, dtype=float)
        self._b0 = float(np.polyfit(t, y, 1)[0])
        level, sse = ses_grid(y, _ALPHAS)
        i = int(np.argmin(sse))
        self._alpha = float(_ALPHAS[i])
        self._level = float(level[i])
        self._sigma = float(np.sqrt(sse[i] / max(n - 1, 1)))

    def _point(self, h: int) -> np.ndarray:
        a, n = self._alpha, len(self._y)
        steps = np.arange(1, h + 1)
        trend = 0.5 * self._b0 * ((steps - 1) + 1 / a - (1 - a) ** n / a)
        return self._level + trend
