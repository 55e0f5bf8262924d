"""The public verbs: ``forecast``, ``sample_paths`` and ``backtest`` over long frames."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasts.engine import (
    check_progress,
    check_quantiles,
    future_years,
    key_columns,
    key_frame,
    run,
)
from forecasts.errors import ForecastError, warn_grouped
from forecasts.metrics import mase_scale, qname
from forecasts.models import ModelSpec
from forecasts.parallel import ProgressCallback
from forecasts.prepare import DEFAULT_ID_COLS, Panel, to_panel

DEFAULT_QUANTILES: tuple[float, ...] = (0.05, 0.1, 0.5, 0.9, 0.95)


def forecast(
    df: pd.DataFrame,
    models: ModelSpec | Sequence[ModelSpec] = "auto",
    h: int = 6,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    *,
    id_cols: Sequence[str] = DEFAULT_ID_COLS,
    time_col: str = "year",
    target_col: str = "value",
    n_jobs: int = 1,
    scheduler: str | None = None,
    seed: int = 0,
    log: bool | None = None,
    n_windows: int = 3,
    until: int | None = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Forecast every series ``h`` years ahead (or up to year ``until``).

    Returns one row per series and future year: id columns, ``time_col``, ``mean``
    (point forecast), one column per quantile (``q05``, ``q025``, ...), ``model`` (what
    was used), ``score`` (its inner-backtest sMAPE) and ``reason`` (why).

    ``id_cols`` default: those of region, role, level, kind the frame has; with none of them,
    every column but ``time_col`` and ``target_col`` (a plain panel: ``series_id, year, value``).

    ``progress``: None (the default) reports nothing; a callable is called in this
    process as ``progress(done, total)`` with the number of series finished so far and
    the number of series, as chunks of series finish. The engine never draws a bar.
    """
    qs = check_quantiles(quantiles)
    fitted = run(df, models, h=h, id_cols=id_cols, time_col=time_col, target_col=target_col,
                 n_jobs=n_jobs, scheduler=scheduler, seed=seed, log=log,
                 n_windows=n_windows, until=until, progress=progress)
    levels = np.asarray(qs)
    hmax = int(fitted.horizons.max())
    # the calibrated scaled-error quantiles depend only on the horizon (and on whether the
    # series has backtest errors there): compute them once
    cal = fitted.calibrator
    blocks = [np.vstack([cal.quantiles(k + 1, levels, own) for k in range(hmax)])
              for own in (False, True)]
    hs = fitted.horizons.astype(int)
    point = np.concatenate([c.point[:hi] for c, hi in zip(fitted.choices, hs, strict=True)])
    step = np.concatenate([np.arange(hi) for hi in hs])
    own = np.concatenate([fitted.own[i, :hi] for i, hi in enumerate(hs)])
    scale = np.repeat(fitted.scales, hs)
    block = np.where(own[:, None], blocks[1][step], blocks[0][step])
    qv = np.maximum(point[:, None] + scale[:, None] * block, 0.0)
    qv = np.maximum.accumulate(qv, axis=1)
    frame = key_columns(fitted, hs)
    frame[time_col] = np.concatenate([future_years(fitted, i) for i in range(len(hs))])
    frame["mean"] = np.maximum(point, 0.0)
    for j, q in enumerate(qs):
        frame[qname(q)] = qv[:, j]
    frame["model"] = _repeat([c.model for c in fitted.choices], hs)
    frame["score"] = np.repeat(np.array([c.score for c in fitted.choices], dtype=float), hs)
    frame["reason"] = _repeat([c.reason for c in fitted.choices], hs)
    out = pd.DataFrame(frame)
    out.attrs["calibration"] = cal.describe()
    return out


def _repeat(values: Sequence[object], counts: np.ndarray) -> list[object]:
    """``values[i]`` repeated ``counts[i]`` times, as one flat list (keeps Python objects)."""
    return [v for v, c in zip(values, counts, strict=True) for _ in range(int(c))]


def sample_paths(
    df: pd.DataFrame,
    models: ModelSpec | Sequence[ModelSpec] = "auto",
    h: int = 6,
    n_paths: int = 1000,
    seed: int = 0,
    *,
    id_cols: Sequence[str] = DEFAULT_ID_COLS,
    time_col: str = "year",
    target_col: str = "value",
    n_jobs: int = 1,
    scheduler: str | None = None,
    log: bool | None = None,
    n_windows: int = 3,
    until: int | None = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Joint future paths per series whose per-year quantiles match :func:`forecast`.

    Each path draws one Gaussian-copula vector ``z`` (correlation across horizons from
    the backtest errors), maps ``u = Phi(z)`` through the calibrated per-horizon
    quantile function and adds it to the point forecast: a path is coherent across
    years and its marginals are the calibrated distributions. Same seed, same paths.
    Returns a long frame: id columns, ``time_col``, ``path`` (int), ``value``.
    ``progress`` reports ``(done, total)`` series as in :func:`forecast`.
    """
    if n_paths < 1:
        raise ForecastError(f"n_paths must be >= 1, got {n_paths}")
    fitted = run(df, models, h=h, id_cols=id_cols, time_col=time_col, target_col=target_col,
                 n_jobs=n_jobs, scheduler=scheduler, seed=seed, log=log,
                 n_windows=n_windows, until=until, progress=progress)
    cal = fitted.calibrator
    hmax = int(fitted.horizons.max())
    chol = np.linalg.cholesky(cal.corr[:hmax, :hmax])
    rng = np.random.default_rng(seed)
    grid = np.linspace(0.0005, 0.9995, 1999)
    qgrid = [np.vstack([cal.quantiles(k + 1, grid, own) for k in range(hmax)])
             for own in (False, True)]
    parts = []
    for i, choice in enumerate(fitted.choices):
        hi = int(fitted.horizons[i])
        z = rng.standard_normal((n_paths, hmax)) @ chol.T
        u = _phi(z[:, :hi])
        err = np.column_stack([np.interp(u[:, k], grid, qgrid[int(fitted.own[i, k])][k])
                               for k in range(hi)])
        vals = np.maximum(choice.point[:hi][None, :] + fitted.scales[i] * err, 0.0)
        frame = key_frame(fitted, i, hi * n_paths)
        frame[time_col] = np.tile(future_years(fitted, i), n_paths)
        frame["path"] = np.repeat(np.arange(n_paths), hi)
        frame["value"] = vals.ravel()
        parts.append(pd.DataFrame(frame))
    out = pd.concat(parts, ignore_index=True)
    out.attrs["calibration"] = cal.describe()
    return out


def _phi(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF, vectorised via the error function."""
    from scipy.special import ndtr

    return np.asarray(ndtr(z))


def backtest(
    df: pd.DataFrame,
    models: ModelSpec | Sequence[ModelSpec] = "auto",
    h: int = 6,
    n_windows: int = 3,
    step: int = 1,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    *,
    id_cols: Sequence[str] = DEFAULT_ID_COLS,
    time_col: str = "year",
    target_col: str = "value",
    n_jobs: int = 1,
    scheduler: str | None = None,
    seed: int = 0,
    log: bool | None = None,
    inner_windows: int | None = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Rolling-origin evaluation: forecast from each cutoff with only earlier data.

    For every model (each item of ``models`` separately, or ``"auto"``) and window
    ``k = 0..n_windows-1``, each series is cut at ``cutoff = last - h - k*step`` and
    forecast ``h`` years ahead by :func:`forecast` (which calibrates on data up to the
    cutoff only). Series too short for a window are skipped with a warning. Returns
    ids, ``cutoff``, ``time_col``, ``horizon``, ``actual``, ``mean``, quantiles,
    ``model`` (the spec evaluated), ``used`` (model actually used) and ``mase_scale``.

    ``progress(done, total)`` counts series forecasts over all models and windows
    together (a series in three windows of two models counts six times), so ``done``
    rises once from 0 to ``total``.
    """
    if n_windows < 1 or step < 1 or h < 1:
        raise ForecastError(f"h, n_windows and step must be >= 1; got {h}, {n_windows}, {step}")
    check_progress(progress)
    panel = to_panel(df, id_cols=id_cols, time_col=time_col, target_col=target_col)
    specs: list[ModelSpec] = [models] if isinstance(models, str) or not isinstance(
        models, Sequence) else list(models)
    ids = list(panel.id_cols)
    windows, skipped = _windows(panel, h, n_windows, step, time_col)
    total = len(specs) * sum(n for _, _, n in windows)
    done = 0
    out = []
    for spec in specs:
        label = spec if isinstance(spec, str) else getattr(spec, "name", str(spec))
        for train, truth, n in windows:
            fc = forecast(train, spec, h, quantiles, id_cols=ids, time_col=time_col,
                          target_col="_v", n_jobs=n_jobs, scheduler=scheduler, seed=seed,
                          log=log, n_windows=inner_windows or n_windows,
                          progress=_shifted(progress, done, total))
            done += n
            fc = fc.rename(columns={"model": "used"}).drop(columns=["score", "reason"])
            merged = truth.merge(fc, on=[*ids, time_col])
            merged["model"] = label
            out.append(merged)
    warn_grouped("series too short for some backtest windows were skipped", skipped)
    if not out:
        raise ForecastError(f"no series is long enough for a backtest with h={h}")
    return _backtest_frame(out, ids, time_col)


def _backtest_frame(parts: list[pd.DataFrame], ids: list[str], time_col: str) -> pd.DataFrame:
    """Concatenate per-window results in the documented column order; remember the ids."""
    res = pd.concat(parts, ignore_index=True)
    qcols = [c for c in res.columns if c.startswith("q") and c[1:].isdigit()]
    cols = [*ids, "cutoff", time_col, "horizon", "actual", "mean", *qcols, "model", "used",
            "mase_scale"]
    res = res[cols]
    res.attrs["id_cols"] = tuple(ids)
    return res


def _windows(
    panel: Panel, h: int, n_windows: int, step: int, time_col: str
) -> tuple[list[tuple[pd.DataFrame, pd.DataFrame, int]], list[str]]:
    """Per backtest window with at least one series: (training rows, truth rows, series).

    Window ``k`` cuts each series ``h + k*step`` points before its end; the training
    frame holds the values up to the cutoff in column ``_v``, the truth frame the next
    ``h`` actuals with ``cutoff``, ``horizon`` and ``mase_scale``. Also returns the
    sorted labels of the series too short for some window.
    """
    ids = list(panel.id_cols)
    windows = []
    skipped: list[str] = []
    for k in range(n_windows):
        rows, truth = [], []
        for i, y in enumerate(panel.values):
            t = len(y) - h - k * step
            if t < 1:
                skipped.append(f"{panel.label(i)} (window {k})")
                continue
            key = {c: panel.keys[i][j] for j, c in enumerate(ids)}
            rows.append(pd.DataFrame({**{c: [v] * t for c, v in key.items()},
                                      time_col: panel.start[i] + np.arange(t), "_v": y[:t]}))
            truth.append(pd.DataFrame({
                **{c: [v] * h for c, v in key.items()},
                time_col: panel.start[i] + np.arange(t, t + h),
                "actual": y[t : t + h], "cutoff": int(panel.start[i] + t - 1),
                "horizon": np.arange(1, h + 1), "mase_scale": mase_scale(y[:t]),
            }))
        if rows:
            windows.append((pd.concat(rows, ignore_index=True),
                            pd.concat(truth, ignore_index=True), len(rows)))
    return windows, sorted(set(skipped))


def _shifted(progress: ProgressCallback | None, base: int, total: int) -> ProgressCallback | None:
    """One inner run's ``(done, n)`` reported as ``(base + done, total)`` of a whole backtest."""
    if progress is None:
        return None
    report = progress
    return lambda done, _n: report(base + done, total)
