"""Every fast kernel by model name, and how many points each needs.

The kernels live in :mod:`forecasts.kernels` (exponential smoothing, Theta, DOTM, naive,
drift) and :mod:`forecasts.kernels_arima`; the per-series models
(:mod:`forecasts.models.base`) and the vectorised path (:mod:`forecasts.vector`) look
them up here, so both run the same formula.
"""

from __future__ import annotations

from collections.abc import Callable

from forecasts.kernels import (
    MIN_OBS,
    KernelOut,
    Tasks,
    dotm,
    drift,
    ets_fast,
    log_dotm,
    log_theta,
    naive,
    theta,
)
from forecasts.kernels_arima import arima2_fast, arima_fast

__all__ = ["KERNELS", "MIN_OBS"]
KERNELS: dict[str, Callable[[Tasks], KernelOut]] = {
    "naive": naive, "drift": drift, "theta": theta, "ets_fast": ets_fast,
    "arima_fast": arima_fast, "arima2_fast": arima2_fast, "log_theta": log_theta, "dotm": dotm,
    "log_dotm": log_dotm,
}
