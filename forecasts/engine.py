"""Shared core of the verbs: validate, run the series loop, choose, calibrate.

``run`` returns a :class:`Fitted` object holding, per series, the chosen point
forecasts, the label and reason, and the calibrator; ``forecast`` turns it into
quantile rows and ``sample_paths`` into simulated paths, so both agree exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecasts.calibrate import OUTLIER, Calibrator, fit_calibrator, outlier_bound
from forecasts.errors import ForecastError, warn_grouped
from forecasts.models import ModelSpec, make_model
from forecasts.panel import panel_prior
from forecasts.parallel import ProgressCallback, make_chunks, run_chunks
from forecasts.pipeline import SeriesResult, TaskConfig, calibration_scale, run_chunk
from forecasts.prepare import Panel, to_panel
from forecasts.select import Choice, choose_all
from forecasts.vector import run_chunk_vector, vector_names

#: Members of ``auto``: fast numpy models (see docs/forecasting.md for the benchmark).
#: ``naive`` is not one (it stays the last fallback): it was never the best member on any
#: M3 category of the tuning origins, and in the combination it pulls every trend flat.
#: ``arima2_fast`` (ARIMA(p,2,0)) joined in the sixth session: smooth curves (fertility rates).
AUTO_MEMBERS: tuple[str, ...] = (
    "ets_fast", "theta", "arima_fast", "drift", "log_theta", "dotm", "log_dotm", "arima2_fast",
)


@dataclass
class Fitted:
    """Everything needed to emit forecasts or paths for a panel."""

    panel: Panel
    horizons: np.ndarray  # per series number of future years
    choices: list[Choice]
    scales: np.ndarray  # per series calibration scale of the full history
    calibrator: Calibrator
    own: np.ndarray  # (series, H): whether the series has backtest errors at that horizon


def check_quantiles(quantiles: Sequence[float]) -> tuple[float, ...]:
    """Quantile levels must be strictly inside (0, 1); returned sorted and unique."""
    qs = tuple(sorted({float(q) for q in quantiles}))
    bad = [q for q in qs if not 0 < q < 1]
    if bad:
        raise ForecastError(f"quantiles must lie strictly between 0 and 1; got {bad}")
    return qs


def resolve_models(models: ModelSpec | Sequence[ModelSpec]) -> tuple[tuple[ModelSpec, ...], bool]:
    """Candidates and whether to select among them (``auto`` or a list of several)."""
    if isinstance(models, str) and models.strip().lower() == "auto":
        return AUTO_MEMBERS, True
    specs: tuple[ModelSpec, ...]
    specs = (models,) if isinstance(models, str) or not isinstance(models, Sequence) else tuple(
        models
    )
    if not specs:
        raise ForecastError("no model given; use 'auto' or names from forecasts.MODELS")
    if len(specs) == 1 and isinstance(specs[0], str) and specs[0].strip().lower() == "auto":
        return AUTO_MEMBERS, True  # ["auto"] means the same as "auto"
    if any(isinstance(s, str) and s.strip().lower() == "auto" for s in specs):
        raise ForecastError("'auto' cannot be mixed with other models; pass it alone")
    for s in specs:
        try:
            make_model(s)
        except ValueError as exc:
            raise ForecastError(str(exc)) from exc
    return specs, len(specs) > 1


def run(
    df: pd.DataFrame,
    models: ModelSpec | Sequence[ModelSpec],
    *,
    h: int,
    id_cols: Sequence[str],
    time_col: str,
    target_col: str,
    n_jobs: int,
    scheduler: str | None,
    seed: int,
    log: bool | None,
    n_windows: int,
    until: int | None,
    step: int = 1,
    progress: ProgressCallback | None = None,
) -> Fitted:
    """Validate input, forecast every series with its inner backtest, then calibrate.

    ``progress(done, total)``, if given, is called as chunks of series finish; the
    engine itself never prints or draws.
    """
    _check_run_args(h, n_windows, step, n_jobs, until, progress)
    candidates, select = resolve_models(models)
    panel = to_panel(df, id_cols=id_cols, time_col=time_col, target_col=target_col)
    horizons = _horizons(panel, h, until)
    hmax = int(horizons.max())
    cfg = TaskConfig(candidates, hmax, n_windows, step, bool(log), seed, select)
    results = _run_series(panel, cfg, n_jobs=n_jobs, scheduler=scheduler, progress=progress)
    names = [make_model(s).name for s in candidates]
    # every series is chosen after the whole panel is in: its prior comes from all of them
    prior = panel_prior(results, names, cfg) if cfg.select and len(names) > 1 else None
    choices = choose_all(results, names, cfg, prior)
    _report_fallbacks(panel, results, [] if candidates is AUTO_MEMBERS else names)
    calibrator, own = _calibrate(results, choices, hmax, panel)
    scales = np.array([calibration_scale(y) for y in panel.values])
    return Fitted(panel, horizons, choices, scales, calibrator, own)


def _check_run_args(h: int, n_windows: int, step: int, n_jobs: int, until: int | None,
                    progress: object) -> None:
    """Refuse a bad horizon, window count, step, job count or progress callback early."""
    if until is None and (not isinstance(h, int | np.integer) or h < 1):
        raise ForecastError(f"horizon h must be a positive integer, got {h!r}")
    if n_windows < 1 or step < 1:
        raise ForecastError(f"n_windows and step must be >= 1, got {n_windows} and {step}")
    if n_jobs == 0 or n_jobs < -1:
        raise ForecastError(f"n_jobs must be >= 1 (or -1 for all cores), got {n_jobs}")
    check_progress(progress)


def check_progress(progress: object) -> None:
    """``progress`` must be None (report nothing) or a callable ``(done, total)``."""
    if progress is not None and not callable(progress):
        raise ForecastError(
            f"progress must be None or a callable (done, total), got {progress!r}"
        )


def _horizons(panel: Panel, h: int, until: int | None) -> np.ndarray:
    """Future years per series: ``h`` each, or up to year ``until`` (after every last year)."""
    if until is None:
        return np.full(len(panel), int(h))
    last = np.array([panel.last_year(i) for i in range(len(panel))])
    horizons = int(until) - last
    if (horizons < 1).any():
        i = int(np.argmax(horizons < 1))
        raise ForecastError(
            f"--until {until} is not after the last year {last[i]} of series "
            f"{panel.label(i)}"
        )
    return horizons


def _run_series(
    panel: Panel,
    cfg: TaskConfig,
    *,
    n_jobs: int,
    scheduler: str | None,
    progress: ProgressCallback | None,
) -> list[SeriesResult]:
    """The one loop over series (chunked, maybe parallel); results in panel order."""
    items = [(i, panel.values[i]) for i in range(len(panel))]
    vectorised = vector_names(cfg.candidates, cfg.log) is not None
    # vectorised chunks amortise their array set-up over many series, so they are larger
    chunks = make_chunks(items, n_jobs if n_jobs > 0 else 2, target=1000 if vectorised else 64)
    func = run_chunk_vector if vectorised else run_chunk
    results = run_chunks(func, chunks, (cfg,), n_jobs=n_jobs, scheduler=scheduler,
                         progress=progress)
    results.sort(key=lambda r: r.index)
    return results


def _calibrate(results: list[SeriesResult], choices: list[Choice], hmax: int, panel: Panel
               ) -> tuple[Calibrator, np.ndarray]:
    """Pool the scaled backtest errors of the chosen forecasts into one calibrator.

    Also returns, per series and horizon, whether the series has errors there (a series
    without uses the reference class alone at that horizon). How much the run's own
    errors weigh against the reference class is reported by ``Calibrator.describe``
    (``DataFrame.attrs['calibration']``), not as a warning: it is the design, not a fault.
    Errors beyond `forecasts.calibrate.outlier_bound` are clipped to it, with a warning naming their series.
    """
    rows = []
    own = np.zeros((len(results), hmax), dtype=bool)
    bound = np.array([outlier_bound(k + 1) for k in range(hmax)])
    clipped = []
    for i, (r, c) in enumerate(zip(results, choices, strict=True)):
        valid = r.bt_scale > 0
        err = (r.bt_actual[valid] - c.bt_fc[valid]) / r.bt_scale[valid][:, None]
        if (np.abs(err) > bound).any():  # NaN compares False
            clipped.append(panel.label(i))
            err = np.clip(err, -bound, bound)
        rows.append(err)
        own[i] = np.isfinite(err).any(axis=0)
    warn_grouped(f"backtest errors more than {OUTLIER:g} times the widest a forecast made in the reference class "
                 "were clipped to that bound before calibrating the intervals (a value typed wrong or a change of "
                 "unit in the data?)", clipped)
    scaled = np.vstack(rows) if rows else np.zeros((0, hmax))
    return fit_calibrator(scaled), own


def _report_fallbacks(panel: Panel, results: list, names: list[str]) -> None:
    """One ForecastWarning per kind of fallback, naming the series concerned.

    ``names``: the models the caller asked for by name. ``auto``'s members are not
    listed: a member that cannot fit a short series is simply not in its combination
    (``model`` and ``reason`` say which were used).
    """
    def constant(i: int) -> bool:
        y = panel.values[i]
        return len(y) >= 2 and bool(np.all(y == y[0]))

    flat = [panel.label(r.index) for r in results if constant(r.index)]
    warn_grouped("constant series are forecast flat (naive) with near-zero intervals", flat)
    short = [panel.label(r.index) for r in results if len(panel.values[r.index]) <= 4]
    warn_grouped("series with 4 or fewer points have no backtest window; fallback models "
                 "and the reference class's intervals are used", short)
    for c, name in enumerate(names):
        if name.startswith(("mean(", "median(")):
            continue
        fell = [f"{panel.label(r.index)} -> {r.used[c]}" for r in results
                if r.used[c] != name and not constant(r.index)]
        warn_grouped(f"model {name} could not be used (too short, constant or failed fit)",
                     fell)


def future_years(fitted: Fitted, i: int) -> np.ndarray:
    """Future years of series ``i``."""
    last = fitted.panel.last_year(i)
    return np.arange(last + 1, last + 1 + int(fitted.horizons[i]))


def key_frame(fitted: Fitted, i: int, n: int) -> dict[str, object]:
    """Id columns of series ``i`` repeated ``n`` times."""
    panel = fitted.panel
    return {c: [panel.keys[i][j]] * n for j, c in enumerate(panel.id_cols)}


def key_columns(fitted: Fitted, counts: np.ndarray) -> dict[str, Any]:
    """Id columns of every series, series ``i`` repeated ``counts[i]`` times (one frame)."""
    panel = fitted.panel
    return {c: [k[j] for k, n in zip(panel.keys, counts, strict=True) for _ in range(int(n))]
            for j, c in enumerate(panel.id_cols)}
