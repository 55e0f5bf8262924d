"""The fast members of ``auto`` computed for a whole chunk of series at once.

The per-series loop (:func:`forecasts.pipeline.run_series`) refits every candidate at
every inner backtest origin plus the final fit, each a few Python-level numpy calls,
so Python overhead dominates. Here every (series, origin) pair is a *task* — a prefix
``y[:t]`` of one series — and each member is computed for all tasks of a chunk by its
kernel in :mod:`forecasts.kernels` (the same formulas the per-series models run on a
single task), with a handful of array operations per member.

The fallback chain of :func:`forecasts.pipeline.fit_point` (constant prefix →
``naive``; too short, failed or non-finite → ``theta``, ``drift``, ``naive``) is
applied per task with masks. Every task's result depends only on its own series,
never on which other series share the chunk, so all backends stay identical.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from forecasts.kernel_registry import KERNELS
from forecasts.kernels import Tasks
from forecasts.models import ModelSpec, make_model
from forecasts.parallel import one_blas_thread
from forecasts.pipeline import (
    FALLBACKS,
    SeriesResult,
    TaskConfig,
    backtest_frame,
    layout,
    run_chunk,
)

#: Members this module computes; ``auto`` uses exactly these.
VECTOR_MODELS: frozenset[str] = frozenset(KERNELS)


def vector_names(candidates: Sequence[ModelSpec], log: bool) -> list[str] | None:
    """Canonical names of the candidates if all can run here, else ``None``."""
    if log or not all(isinstance(s, str) for s in candidates):
        return None
    try:
        names = [make_model(s).name for s in candidates]
    except ValueError:
        return None
    return names if all(n in VECTOR_MODELS for n in names) else None


def point_forecasts(
    tk: Tasks, names: Sequence[str], steps: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per candidate: forecasts ``(tasks, h)`` and model used per task, with fallbacks.

    Mirrors :func:`forecasts.pipeline.fit_point`: a constant prefix gives a flat
    forecast by ``naive``; otherwise the first of ``name, theta, drift, naive`` that
    has enough points and finite forecasts over the task's ``steps`` is used, clipped
    at 0. Columns beyond a task's ``steps`` are left as computed (the caller cuts).
    """
    results = {n: KERNELS[n](tk) for n in dict.fromkeys([*names, *FALLBACKS])}
    cols = tk.steps[None, :] <= steps[:, None]
    fcs, useds = [], []
    for name in names:
        fc = np.repeat(tk.last[:, None], tk.h, axis=1)
        used = np.full(len(tk.t), "naive", dtype=object)
        todo = ~tk.constant
        for s in (name, *FALLBACKS):
            out = results[s]
            with np.errstate(invalid="ignore"):
                good = todo & out.ok & np.all(np.isfinite(out.fc) | ~cols, axis=1)
            fc[good] = np.maximum(out.fc[good], 0.0)
            used[good] = s
            todo &= ~good
        fc[tk.constant] = tk.Y[tk.rows[tk.constant], :1]
        fcs.append(fc)
        useds.append(used)
    return fcs, useds


def run_chunk_vector(
    chunk: Sequence[tuple[int, np.ndarray]], cfg: TaskConfig
) -> list[SeriesResult]:
    """:func:`forecasts.pipeline.run_chunk` for a chunk, all series and origins at once.

    Falls back to the per-series loop when a candidate cannot be vectorised (a
    statsmodels or Prophet model, a combination, a model object, ``log=True``).
    """
    names = vector_names(cfg.candidates, cfg.log)
    if names is None or not chunk:
        return run_chunk(chunk, cfg)
    h = cfg.h
    rows: list[int] = []
    ts: list[int] = []
    steps: list[int] = []
    layouts = []
    for r, (_, y) in enumerate(chunk):
        n = len(y)
        origins, cal = layout(n, cfg)
        layouts.append((len(ts), origins, cal))
        rows += [r] * (len(origins) + 1)
        ts += [n, *origins.tolist()]
        steps += [h, *(min(h, n - int(t)) for t in origins)]
    tk = Tasks([y for _, y in chunk], np.array(rows), np.array(ts), h)
    with one_blas_thread():
        fcs, useds = point_forecasts(tk, names, np.array(steps))
    out = []
    for (index, y), (first, origins, cal) in zip(chunk, layouts, strict=True):
        actual, scale = backtest_frame(y, origins, h)
        res = SeriesResult(index=index, points={}, used={}, bt_fc={}, bt_actual=actual,
                           bt_scale=scale, origins=origins, cal=cal)
        nw = len(origins)
        for c in range(len(names)):
            res.points[c] = fcs[c][first].copy()
            res.used[c] = str(useds[c][first])
            bt = fcs[c][first + 1 : first + 1 + nw].copy()
            bt[np.isnan(actual)] = np.nan
            res.bt_fc[c] = bt
        out.append(res)
    return out
