"""The ETS family from statsmodels (``ETSModel``), the form chosen by AICc, fitted fast.

Model space: additive errors with no trend, additive trend or damped trend (ANN, AAN,
AAdN); with ``multiplicative=True`` also the multiplicative-error forms (MNN, MAN, MAdN)
for strictly positive series. Trend forms are always candidates (statsmodels needs a
finite AICc, i.e. enough points): a clearly trending series gets a flat forecast only
when its AICc prefers the no-trend form.

Speed (a fit costs milliseconds, and the engine needs one per inner backtest origin):

* initial states are known, not estimated (level: the first value; slope: the mean
  of the first three differences, as ``ets_fast``), so only the smoothing parameters
  and the damping are optimised, each form starting from the best point of the fast
  grid search (:func:`forecasts.kernels.ets_grid`);
* the form is chosen once per series, on its full history; at each inner origin the
  engine refits only that form, started from the full-history parameters
  (:meth:`ETS.refit`). Fits that fail or give non-finite forecasts are skipped; if
  every form fails the engine's fallback chain takes over.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from forecasts.kernels import ETS_ALPHA, ETS_BETA, ETS_PHI, Tasks, ets_grid, initial_slope
from forecasts.models.base import Model

_ADDITIVE: tuple[tuple[str, str | None, bool], ...] = (
    ("add", None, False),
    ("add", "add", False),
    ("add", "add", True),
)
_MULTIPLICATIVE = tuple(("mul", t, d) for _, t, d in _ADDITIVE)
_FAMILY = {(None, False): 0, ("add", False): 1, ("add", True): 2}


def _start(trend: str | None, damped: bool, grid: tuple[np.ndarray, ...]) -> np.ndarray:
    """Start parameters (alpha, beta, phi) from the grid search, inside ETSModel's bounds."""
    best = grid[0][0, _FAMILY[(trend, damped)]]
    alpha = float(np.clip(ETS_ALPHA[best] if best >= 0 else 0.5, 0.02, 0.98))
    params = [alpha]
    if trend is not None:
        params.append(float(np.clip(ETS_BETA[best] if best >= 0 else 0.1, 0.01, alpha - 0.01)))
    if damped:
        params.append(float(np.clip(ETS_PHI[best] if best >= 0 else 0.95, 0.81, 0.97)))
    return np.array(params)


def _fit_form(y: np.ndarray, form: tuple[str, str | None, bool], start: np.ndarray) -> Any:
    """One statsmodels ETS fit from ``start``; None if it fails or is not usable.

    Initial states are known, not estimated: slope the mean of the first three
    differences (as ``ets_fast``) and level such that the first year's one-step
    forecast is the first value, so only the smoothing parameters and the damping are
    optimised: half the cost, and every prefix shares them.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    error, trend, damped = form
    init = {"initial_level": float(y[0])}
    if trend is not None:  # states before the first year: its one-step forecast is y[0]
        slope = float(initial_slope(y[None, :])[0])
        init = {"initial_level": float(y[0]) - slope, "initial_trend": slope}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = ETSModel(y, error=error, trend=trend, damped_trend=damped,
                           initialization_method="known", **init).fit(
                disp=False, start_params=start)
            ok = np.all(np.isfinite(np.asarray(res.forecast(1))))
    except Exception:  # a failed candidate is simply skipped
        return None
    return res if ok and np.isfinite(res.aicc) else None


class ETS(Model):
    """statsmodels ETSModel; the form (error, trend, damping) with the smallest AICc."""

    name = "ets"
    min_obs = 5

    def __init__(self, multiplicative: bool = False) -> None:
        super().__init__()
        self.multiplicative = multiplicative

    def _fit(self, y: np.ndarray) -> None:
        forms = _ADDITIVE + (_MULTIPLICATIVE if self.multiplicative and np.all(y > 0) else ())
        grid = ets_grid(Tasks.single(y, 1), np.array([True]))
        best = None
        for form in forms:
            res = _fit_form(y, form, _start(form[1], form[2], grid))
            if res is not None and (best is None or res.aicc < best.aicc):
                best = res
        if best is None:
            raise ValueError("no ETS form could be fitted")
        self._set(best)

    def _set(self, res: Any) -> None:
        self._res = res
        resid = np.asarray(res.resid, dtype=float)
        if res.model.error == "mul":
            resid = resid * np.asarray(res.fittedvalues, dtype=float)
        self._sigma = float(np.sqrt(np.mean(resid[1:] ** 2))) if len(resid) > 1 else 0.0

    def refit(self, y: np.ndarray) -> ETS | None:
        """The same form refitted to ``y``, started from this fit's parameters."""
        y = np.asarray(y, dtype=float)
        m = self._res.model
        form = (m.error, m.trend, bool(m.damped_trend))
        if m.error == "mul" and np.any(y <= 0):
            return None
        res = _fit_form(y, form, np.asarray(self._res.params, dtype=float))
        if res is None:
            return None
        out = ETS(self.multiplicative)
        out._y = y
        out._set(res)
        return out

    def _point(self, h: int) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(self._res.forecast(h), dtype=float)
