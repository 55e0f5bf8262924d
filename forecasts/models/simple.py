"""Benchmarks every forecaster must beat: naive (last value) and random walk with drift.

Formulas in :mod:`forecasts.kernels` (shared with the vectorised path).
"""

from __future__ import annotations

from forecasts.models.base import KernelModel


class Naive(KernelModel):
    """Repeat the last observation (random walk); the final fallback for any series."""

    name = "naive"
    kernel = "naive"


class Drift(KernelModel):
    """Random walk with drift: the line through the first and last observation, extended."""

    name = "drift"
    kernel = "drift"
