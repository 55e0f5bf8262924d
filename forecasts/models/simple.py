"""Benchmarks every forecaster must beat: naive (last value) and random walk with drift."""

from __future__ import annotations

import numpy as np

from forecasts.models.base import Model, diff_sigma


class Naive(Model):
    """Repeat the last observation (random walk); the final fallback for any series."""

    name = "naive"
    min_obs = 1

    def _fit(self, y: np.ndarray) -> None:
        self._sigma = float(np.sqrt(np.mean(np.diff(y) ** 2))) if len(y) > 1 else 0.0

    def _point(self, h: int) -> np.ndarray:
        return np.full(h, self._y[-1])


class Drift(Model):
    """Random walk with drift: the line through the first and last observation, extended."""

    name = "drift"
    min_obs = 3

    def _fit(self, y: np.ndarray) -> None:
        self._slope = (y[-1] - y[0]) / (len(y) - 1)
        self._sigma = diff_sigma(y)

    def _point(self, h: int) -> np.ndarray:
        return self._y[-1] + self._slope * np.arange(1, h + 1)
