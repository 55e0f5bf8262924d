"""The per-series model protocol: ``fit(y) -> self`` and ``predict(h, quantiles)``.

A model sees one gap-free float array ``y`` (oldest first) and returns point forecasts
plus its own (uncalibrated, normal-approximation) quantiles. The engine replaces those
quantiles with calibrated ones from backtest errors; the native ones are only used by
callers of the model objects directly.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Self

import numpy as np

from forecasts.kernel_registry import KERNELS, MIN_OBS
from forecasts.kernels import KernelOut, Tasks


@dataclass(frozen=True)
class Prediction:
    """Point forecasts ``mean`` (h,) and quantiles (h, len(levels)) of one series."""

    mean: np.ndarray
    quantiles: np.ndarray
    levels: tuple[float, ...]


class Model(ABC):
    """Base class: subclasses implement ``_fit`` and ``_point`` over numpy arrays."""

    name: str = "model"
    min_obs: int = 1

    def __init__(self) -> None:
        self._y: np.ndarray = np.zeros(0)
        self._sigma: float = 0.0

    def fit(self, y: np.ndarray) -> Self:
        """Fit to ``y`` (1-d, finite, oldest first) and return ``self``."""
        y = np.asarray(y, dtype=float)
        if y.ndim != 1 or len(y) < self.min_obs or not np.all(np.isfinite(y)):
            raise ValueError(
                f"{self.name} needs at least {self.min_obs} finite values, got {len(y)}"
            )
        self._y = y
        self._fit(y)
        return self

    def predict(self, h: int, quantiles: Sequence[float] = ()) -> Prediction:
        """Point forecasts for ``h`` steps and normal-approximation quantiles."""
        mean = np.asarray(self._point(h), dtype=float)
        levels = tuple(float(q) for q in quantiles)
        steps = np.sqrt(np.arange(1, h + 1))
        z = np.array([NormalDist().inv_cdf(q) for q in levels])
        qs = mean[:, None] + self._sigma * steps[:, None] * z[None, :]
        return Prediction(mean=mean, quantiles=np.maximum(qs, 0.0), levels=levels)

    def refit(self, y: np.ndarray) -> Model | None:
        """This fitted model refitted to ``y`` (a prefix of its series), reusing its fit.

        Models with costly fits (statsmodels ``ets``, ``arima``) keep the form chosen on
        the full history and start the optimiser from its parameters; the engine uses
        this at the inner backtest origins. ``None`` (the default): fit from scratch.
        """
        return None

    @abstractmethod
    def _fit(self, y: np.ndarray) -> None:
        """Estimate parameters; set ``self._sigma`` (one-step error s.d.) if known."""

    @abstractmethod
    def _point(self, h: int) -> np.ndarray:
        """Point forecasts for steps 1..h."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def diff_sigma(y: np.ndarray) -> float:
    """Standard deviation of the first differences (the random-walk-with-drift noise)."""
    return float(np.std(np.diff(y))) if len(y) > 2 else 0.0


class KernelModel(Model):
    """A fast model whose formulas live in :mod:`forecasts.kernels` (shared with the
    vectorised chunk path): the per-series fit is the kernel run on one task."""

    kernel: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.min_obs = MIN_OBS[self.kernel]

    def _run(self, y: np.ndarray, h: int) -> KernelOut:
        return KERNELS[self.kernel](Tasks.single(y, h))

    def _checked(self, y: np.ndarray, h: int) -> KernelOut:
        out = self._run(y, h)
        if not out.ok[0] or not np.all(np.isfinite(out.fc[0])):
            raise ValueError(f"{self.name} cannot forecast this series")
        return out

    def _fit(self, y: np.ndarray) -> None:
        sigma = float(self._checked(y, 1).sigma[0])
        self._sigma = sigma if np.isfinite(sigma) else 0.0

    def _point(self, h: int) -> np.ndarray:
        return self._checked(self._y, h).fc[0]
