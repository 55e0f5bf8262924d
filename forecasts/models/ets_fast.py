"""Exponential smoothing (additive errors) by a vectorised grid search, chosen by AICc.

Simple (N), Holt (A) and damped (Ad) trends; every parameter combination of the grid
runs in one numpy recursion (:func:`forecasts.kernels.grid_pass`), so a fit costs well
under a millisecond. Initial states are set from the first observations (level
``y[0]``, slope the mean of the first three differences) rather than estimated.
Trends need 6 points; the family with the smallest AICc wins.
"""

from __future__ import annotations

from forecasts.models.base import KernelModel


class ETSFast(KernelModel):
    """ETS(A,N,N) / ETS(A,A,N) / ETS(A,Ad,N) with the smallest AICc."""

    name = "ets_fast"
    kernel = "ets_fast"
