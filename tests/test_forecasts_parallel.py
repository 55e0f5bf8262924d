"""Every backend (serial, local process pool, Dask LocalCluster) gives identical output."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import forecasts as F


def _panel(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for s in range(n):
        y = np.abs(50 + np.cumsum(rng.normal(1, 5, 18)))
        rows += [{"role": f"s{s:03d}", "year": 2000 + t, "value": y[t]} for t in range(18)]
    return pd.DataFrame(rows)


def _run(**kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        return F.forecast(_panel(), "auto", h=4, id_cols=("role",), **kw)  # type: ignore[arg-type]


def test_process_pool_matches_serial() -> None:
    pd.testing.assert_frame_equal(_run(n_jobs=1), _run(n_jobs=2))


def test_progress_callback_reaches_total() -> None:
    seen: list[tuple[int, int]] = []
    _run(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (40, 40)


@pytest.mark.slow
def test_dask_local_cluster_matches_serial() -> None:
    pd.testing.assert_frame_equal(_run(n_jobs=1), _run(n_jobs=2, scheduler="local"))


def test_unreachable_scheduler_is_a_forecast_error() -> None:
    with pytest.raises(F.ForecastError, match="cannot connect"):
        _run(scheduler="tcp://127.0.0.1:9")
