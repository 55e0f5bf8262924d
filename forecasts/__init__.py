"""forecasts: a standalone engine for short annual series over long data frames.

Public API::

    forecast(df, models="auto", h=6, quantiles=(...), *, id_cols, time_col, target_col, ...)
    backtest(df, models, h=6, n_windows=3, step=1, quantiles=(...), ...)
    score(backtest_frame, by=("model",), per_series=False)
    sample_paths(df, models="auto", h=6, n_paths=1000, seed=0, ...)
    MODELS  # registry of model names -> factories
    ProgressCallback  # Callable[[int, int], None]: progress=(done, total) of any verb; None = quiet

Errors are :class:`ForecastError` (a ``ValueError``); fallbacks emit :class:`ForecastWarning`.
Frames returned by ``forecast`` and ``sample_paths`` say how their intervals were
calibrated in ``DataFrame.attrs["calibration"]`` (the run's backtest errors and their
weight against the reference class, per horizon; see docs/forecasting.md).
This package never imports the application (``talent``) or the planner (``curricula``).
"""

from forecasts.api import DEFAULT_QUANTILES, backtest, forecast, sample_paths
from forecasts.engine import AUTO_MEMBERS
from forecasts.errors import ForecastError, ForecastWarning
from forecasts.metrics import qname, score
from forecasts.models import MODELS, Model, Prediction
from forecasts.parallel import ProgressCallback

__all__ = [
    "AUTO_MEMBERS",
    "DEFAULT_QUANTILES",
    "MODELS",
    "ForecastError",
    "ForecastWarning",
    "Model",
    "Prediction",
    "ProgressCallback",
    "backtest",
    "forecast",
    "qname",
    "sample_paths",
    "score",
]
