"""The one loop over series: inner rolling-origin backtest plus final fit, per series.

This is what runs in worker processes (local pool or Dask). It is a pure function of
its inputs, so every backend gives identical results. For each series and each
candidate model it returns the final point forecasts and the point forecasts of the
inner backtest windows; selection and calibration happen afterwards, centrally.
(For the six fast members of ``auto`` the faster :mod:`forecasts.vector` replaces this
loop and also makes the per-series choice in the worker.)

Fallback chain (a series never crashes the run): a constant series is forecast by
``naive``; a model that needs more points than the series has, or whose fit fails or
gives non-finite numbers, is replaced by the first of ``theta`` (>= 4 points),
``drift`` (>= 3 points), ``naive`` (any length) that works. Each replacement is
recorded as a note and reported as a ForecastWarning by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from forecasts.models import Model, ModelSpec, make_model
from forecasts.models.combo import LogModel
from forecasts.parallel import one_blas_thread

if TYPE_CHECKING:
    pass

MIN_TRAIN = 4
FALLBACKS: tuple[str, ...] = ("theta", "drift", "naive")


@dataclass(frozen=True)
class TaskConfig:
    """Everything a worker needs besides the series values."""

    candidates: tuple[ModelSpec, ...]
    h: int
    n_windows: int
    step: int = 1
    log: bool = False
    seed: int = 0
    select: bool = False  # combine candidates (auto / a list) or use the single one


@dataclass
class SeriesResult:
    """Worker output for one series (index into the panel).

    Inner backtest origins are training lengths ``origins`` (oldest first). ``cal``
    marks the cells (origin, horizon) whose errors calibrate the intervals and choose
    the final combination; with selection, earlier origins are included too so that
    the combination at every calibration origin can be chosen from its own past only.
    """

    index: int
    points: dict[int, np.ndarray]  # candidate position -> (h,) final point forecast
    used: dict[int, str]  # candidate position -> model actually used for the final fit
    bt_fc: dict[int, np.ndarray]  # candidate position -> (O, h) backtest forecasts
    bt_actual: np.ndarray  # (O, h) actuals, NaN beyond the history
    bt_scale: np.ndarray  # (O,) calibration scale of each origin's training data
    origins: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cal: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    notes: list[str] = field(default_factory=list)


#: Differences in the calibration scale: about the span of the inner backtest (h + windows - 1).
SCALE_DIFFS = 8


def calibration_scale(y: np.ndarray) -> float:
    """Per-series error scale: mean absolute first difference of the last 8 years.

    The recent level of change, not the whole history's: annual series grow, and
    errors scale with where the series is now. Floored at 0.1% of the mean level;
    series with fewer than 3 points use 10% of their mean level (a stated rule).
    """
    return float(prefix_scales(np.asarray(y, dtype=float), np.array([len(y)]))[0])


def prefix_scales(y: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """:func:`calibration_scale` of ``y[:t]`` for every ``t`` in ``lengths`` (one pass)."""
    t = np.asarray(lengths, dtype=np.int64)
    level = np.concatenate([[0.0], np.cumsum(np.abs(y))])[t] / np.maximum(t, 1)
    change = np.concatenate([[0.0], np.cumsum(np.abs(np.diff(y)))])
    first = np.maximum(t - 1 - SCALE_DIFFS, 0)
    recent = (change[np.maximum(t - 1, 0)] - change[first]) / np.maximum(t - 1 - first, 1)
    # a last floor at a millionth of the series' largest value: a prefix of zeros and denormals
    # (e.g. 0, 0, 1e-300) would otherwise scale its errors to infinity
    floor = 1e-6 * float(np.max(np.abs(y))) if len(y) else 0.0
    return np.maximum(np.where(t < 3, 0.1 * level, np.maximum(recent, 1e-3 * level)), floor)


def window_starts(n: int, h: int, n_windows: int, step: int) -> list[int]:
    """Training lengths (origins) of the inner backtest, oldest first.

    For every horizon ``j`` the engine uses the ``n_windows`` most recent origins that
    still have year ``t + j`` observed: ``t = n - j - k*step``. Their union is every
    origin from ``n - h - (n_windows-1)*step`` to ``n - 1``, clipped to at least
    ``MIN_TRAIN`` points. Using the most recent origins per horizon keeps the training
    lengths close to the final fit's, so the errors are representative of it.
    """
    if n <= MIN_TRAIN:
        return []
    first = max(n - h - (n_windows - 1) * step, MIN_TRAIN)
    return [t for t in range(first, n) if (n - t) % step == 0 or step == 1]


def cell_mask(n: int | np.ndarray, origins: np.ndarray, h: int, n_windows: int, step: int
              ) -> np.ndarray:
    """Which (origin, horizon) errors a series of ``n`` points uses: ``(len(origins), h)``.

    The error of origin ``t`` at horizon ``j`` is used when year ``t + j`` is observed and
    ``t`` is one of the ``n_windows`` most recent such origins (``t = n - j - k*step``).
    An array of lengths ``n`` gives one mask per length: ``(len(n), len(origins), h)``.
    """
    t = np.asarray(origins)[:, None]
    j = np.arange(1, h + 1)[None, :]
    n = np.asarray(n)[..., None, None]
    return (t + j <= n) & (n - j - (n_windows - 1) * step <= t) & ((n - j - t) % step == 0)


def layout(n: int, cfg: TaskConfig) -> tuple[np.ndarray, np.ndarray]:
    """Origins of one series' inner backtest and its calibration cells.

    With selection, the origins of every calibration origin's own inner backtest are
    added (a nested backtest), so the combination used at that origin is chosen from
    data before it only.
    """
    starts = set(window_starts(n, cfg.h, cfg.n_windows, cfg.step))
    if cfg.select:
        for t in list(starts):
            starts |= set(window_starts(t, cfg.h, cfg.n_windows, cfg.step))
    origins = np.array(sorted(starts), dtype=np.int64)
    return origins, cell_mask(n, origins, cfg.h, cfg.n_windows, cfg.step)


def backtest_frame(y: np.ndarray, origins: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray]:
    """Observed actuals ``(O, h)`` after each origin (NaN beyond the history) and scales ``(O,)``."""
    n = len(y)
    actual = np.full((len(origins), h), np.nan)
    for w, t in enumerate(origins):
        k = min(h, n - int(t))
        actual[w, :k] = y[t : t + k]
    return actual, prefix_scales(np.asarray(y, dtype=float), origins)


def _build(spec: ModelSpec, cfg: TaskConfig, y: np.ndarray) -> Model:
    model = make_model(spec)
    if hasattr(model, "seed"):
        model.seed = cfg.seed
    if cfg.log and np.all(y > 0) and not isinstance(model, LogModel):
        model = LogModel(model)
    return model


def fit_point(spec: ModelSpec, cfg: TaskConfig, y: np.ndarray, h: int) -> tuple[np.ndarray, str]:
    """Point forecast by ``spec`` with the fallback chain; returns (forecast, model used)."""
    fc, used, _ = fit_chain(spec, cfg, y, h)
    return fc, used


def fit_chain(spec: ModelSpec, cfg: TaskConfig, y: np.ndarray, h: int
              ) -> tuple[np.ndarray, str, Model | None]:
    """:func:`fit_point`, also returning the fitted model when ``spec`` itself was used."""
    if len(y) >= 2 and np.all(y == y[0]):
        return np.full(h, y[0]), "naive", None
    chain: list[ModelSpec] = [spec, *FALLBACKS]
    for k, s in enumerate(chain):
        try:
            model = _build(s, cfg, y)
            if len(y) < model.min_obs:
                continue
            fc = model.fit(y).predict(h).mean
        except Exception:  # any failure moves down the fallback chain
            continue
        if fc.shape == (h,) and np.all(np.isfinite(fc)):
            return np.maximum(fc, 0.0), model.name, (model if k == 0 else None)
    return np.full(h, y[-1]), "naive", None


def _origin_point(model: Model | None, spec: ModelSpec, cfg: TaskConfig, y: np.ndarray,
                  h: int) -> np.ndarray:
    """Forecast from one inner origin: the final model refitted warm where it can."""
    if model is not None and len(y) >= model.min_obs and not np.all(y == y[0]):
        try:
            warm = model.refit(y)
            fc = warm.predict(h).mean if warm is not None else None
        except Exception:  # a failed warm refit falls back to a fresh fit
            fc = None
        if fc is not None and fc.shape == (h,) and np.all(np.isfinite(fc)):
            return np.maximum(fc, 0.0)
    return fit_point(spec, cfg, y, h)[0]


def run_series(index: int, y: np.ndarray, cfg: TaskConfig) -> SeriesResult:
    """Inner backtest and final fit of every candidate for one series.

    The final fit comes first; each inner origin then refits that model warm
    (:meth:`forecasts.models.Model.refit`), or fits from scratch with the fallback chain.
    """
    h, n = cfg.h, len(y)
    origins, cal = layout(n, cfg)
    actual, scale = backtest_frame(y, origins, h)
    res = SeriesResult(index=index, points={}, used={}, bt_fc={}, bt_actual=actual,
                       bt_scale=scale, origins=origins, cal=cal)
    for c, spec in enumerate(cfg.candidates):
        res.points[c], res.used[c], model = fit_chain(spec, cfg, y, h)
        fc = np.full((len(origins), h), np.nan)
        for w, t in enumerate(origins):
            steps = min(h, n - int(t))
            fc[w, :steps] = _origin_point(model, spec, cfg, y[:t], steps)
        res.bt_fc[c] = fc
    return res


def run_chunk(
    chunk: Sequence[tuple[int, np.ndarray]], cfg: TaskConfig
) -> list[SeriesResult]:
    """Process a chunk of series (the unit of work sent to a worker)."""
    with one_blas_thread():
        return [run_series(i, y, cfg) for i, y in chunk]
