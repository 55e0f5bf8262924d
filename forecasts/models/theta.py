"""The Theta method and the dynamic optimised Theta model (formulas in forecasts.kernels).

* ``theta`` (Assimakopoulos & Nikolopoulos 2000, Hyndman & Billah form): simple
  exponential smoothing, alpha by least squares over a grid, plus half the slope of a
  linear trend fitted to the history.
* ``dotm``, dynamic optimised Theta (after Fiorucci et al. 2016): the same SES level
  plus ``c = 1 - 1/theta`` times the trend term, where the trend slope is the OLS slope
  of the data seen so far (updated every year) and, for every alpha of the grid, ``c``
  in [0, 1] minimises the one-step squared errors in closed form; the (alpha, c) pair
  with the smallest SSE wins. ``c = 0.5`` is standard Theta; ``c`` near 1 follows a
  clear trend fully, near 0 is simple smoothing.
"""

from __future__ import annotations

from forecasts.models.base import KernelModel


class Theta(KernelModel):
    """Standard Theta: SES with drift equal to half the OLS trend slope."""

    name = "theta"
    kernel = "theta"


class DOTM(KernelModel):
    """Dynamic optimised Theta: SES plus an optimised share of the (dynamic) OLS trend."""

    name = "dotm"
    kernel = "dotm"
