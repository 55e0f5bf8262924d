"""The ETS family from statsmodels (``ETSModel``), the form chosen by AICc.

Candidates: simple, Holt and damped trend, each with additive error and, for strictly
positive series, multiplicative error. Fits that fail or give non-finite forecasts are
skipped; if every candidate fails the engine's fallback chain takes over.
"""

from __future__ import annotations

import warnings

import numpy as np

from forecasts.models.base import Model

_FORMS: tuple[tuple[str, str | None, bool], ...] = (
    ("add", None, False),
    ("add", "add", False),
    ("add", "add", True),
    ("mul", None, False),
    ("mul", "add", False),
    ("mul", "add", True),
)


class ETS(Model):
    """statsmodels ETSModel; chooses error/trend/damping by AICc."""

    name = "ets"
    min_obs = 5

    def __init__(self, multiplicative: bool = True) -> None:
        super().__init__()
        self.multiplicative = multiplicative

    def _fit(self, y: np.ndarray) -> None:
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        best = None
        positive = bool(np.all(y > 0))
        for error, trend, damped in _FORMS:
            if error == "mul" and not (positive and self.multiplicative):
                continue
            if trend is not None and len(y) < 8:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = ETSModel(y, error=error, trend=trend, damped_trend=damped).fit(
                        disp=False
                    )
                    fc = np.asarray(res.forecast(1))
            except Exception:  # a failed candidate is simply skipped
                continue
            if not np.isfinite(res.aicc) or not np.all(np.isfinite(fc)):
                continue
            if best is None or res.aicc < best.aicc:
                best = res
        if best is None:
            raise ValueError("no ETS form could be fitted")
        self._res = best
        resid = np.asarray(best.resid, dtype=float)
        if best.model.error == "mul":
            resid = resid * np.asarray(best.fittedvalues, dtype=float)
        self._sigma = float(np.sqrt(np.mean(resid[1:] ** 2))) if len(resid) > 1 else 0.0

    def _point(self, h: int) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(self._res.forecast(h), dtype=float)
