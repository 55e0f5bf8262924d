"""Prophet for annual data: trend only (no seasonalities), seeded and silent.

Optional logistic growth saturates at a user-given ``cap`` (for demand that cannot
exceed a known ceiling). Prophet's own intervals are not used (the engine calibrates
from backtest errors), so ``uncertainty_samples=0`` keeps fits fast and deterministic.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from forecasts.models.base import Model, diff_sigma


def _silence() -> None:
    """Quiet Prophet and cmdstanpy, whose handlers reset their level (seen in forked workers)."""
    for name in ("prophet", "prophet.plot", "cmdstanpy"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL)
        logger.propagate = False
        logger.disabled = True
        for handler in logger.handlers:
            handler.setLevel(logging.CRITICAL)


class ProphetModel(Model):
    """Prophet with linear (default) or logistic growth and no seasonal terms."""

    name = "prophet"
    min_obs = 3

    def __init__(
        self, growth: str = "linear", cap: float | None = None, seed: int = 0
    ) -> None:
        super().__init__()
        if growth not in ("linear", "logistic"):
            raise ValueError(f"growth must be 'linear' or 'logistic', got {growth!r}")
        if growth == "logistic" and (cap is None or cap <= 0):
            raise ValueError("logistic growth needs a positive cap")
        self.growth, self.cap, self.seed = growth, cap, seed

    def _frame(self, n: int, start: int = 0) -> pd.DataFrame:
        ds = pd.date_range(f"{2000 + start}-01-01", periods=n, freq="YS")
        df = pd.DataFrame({"ds": ds})
        if self.growth == "logistic":
            df["cap"] = self.cap
        return df

    def _fit(self, y: np.ndarray) -> None:
        _silence()
        from prophet import Prophet

        _silence()

        if self.growth == "logistic" and self.cap is not None and np.max(y) >= self.cap:
            raise ValueError(f"cap {self.cap} must exceed every observation (max {np.max(y)})")
        m = Prophet(
            growth=self.growth,  # type: ignore[arg-type]  # validated in __init__
            yearly_seasonality=False,
            weekly_seasonality=False,
            daily_seasonality=False,
            uncertainty_samples=0,
        )
        df = self._frame(len(y))
        df["y"] = y
        m.fit(df, seed=self.seed)
        self._m = m
        self._sigma = diff_sigma(y)

    def _point(self, h: int) -> np.ndarray:
        future = self._frame(h, start=len(self._y))
        return np.asarray(self._m.predict(future)["yhat"], dtype=float)

    def __repr__(self) -> str:
        return f"ProphetModel(growth={self.growth!r}, cap={self.cap!r})"
