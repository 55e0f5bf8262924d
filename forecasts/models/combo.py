"""Combinations (mean or median of member forecasts) and the log-transform wrapper."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from forecasts.models.base import Model


class Combination(Model):
    """Mean or median of the point forecasts of members that could be fitted."""

    min_obs = 1

    def __init__(self, members: Sequence[Model], agg: str = "mean") -> None:
        super().__init__()
        if agg not in ("mean", "median"):
            raise ValueError(f"agg must be 'mean' or 'median', got {agg!r}")
        if not members:
            raise ValueError("a combination needs at least one member")
        self.members, self.agg = list(members), agg
        self.min_obs = min(m.min_obs for m in self.members)
        self.name = f"{agg}({','.join(m.name for m in self.members)})"

    def _fit(self, y: np.ndarray) -> None:
        self._fitted: list[Model] = []
        for m in self.members:
            if len(y) < m.min_obs:
                continue
            try:
                self._fitted.append(m.fit(y))
            except Exception:  # a failed member is left out
                continue
        if not self._fitted:
            raise ValueError(f"no member of {self.name} could be fitted")
        self._sigma = float(np.mean([m._sigma for m in self._fitted]))

    def _point(self, h: int) -> np.ndarray:
        points = np.vstack([m.predict(h).mean for m in self._fitted])
        return np.mean(points, axis=0) if self.agg == "mean" else np.median(points, axis=0)

    def __repr__(self) -> str:
        return f"Combination({self.members!r}, agg={self.agg!r})"


class LogModel(Model):
    """Fit ``inner`` to ``log(y)`` and back-transform (median forecast); needs y > 0."""

    def __init__(self, inner: Model) -> None:
        super().__init__()
        self.inner = inner
        self.min_obs = inner.min_obs
        self.name = f"log_{inner.name}"

    def _fit(self, y: np.ndarray) -> None:
        if np.any(y <= 0):
            raise ValueError("log transform needs strictly positive values")
        self.inner.fit(np.log(y))
        self._sigma = float(np.exp(np.mean(np.log(y))) * self.inner._sigma)

    def _point(self, h: int) -> np.ndarray:
        return np.exp(np.minimum(self.inner.predict(h).mean, 700.0))

    def refit(self, y: np.ndarray) -> Model | None:
        y = np.asarray(y, dtype=float)
        if np.any(y <= 0):
            return None
        inner = self.inner.refit(np.log(y))
        if inner is None:
            return None
        out = LogModel(inner)
        out._y, out._sigma = y, float(np.exp(np.mean(np.log(y))) * inner._sigma)
        return out
