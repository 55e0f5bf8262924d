"""The vectorised chunk path gives the per-series path's forecasts (up to float noise)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import forecasts as F
import forecasts.engine as engine
from forecasts.engine import AUTO_MEMBERS
from forecasts.pipeline import TaskConfig, run_chunk
from forecasts.vector import run_chunk_vector, vector_names


def _series() -> list[np.ndarray]:
    """Random walks of many lengths plus the awkward cases of the fallback chain."""
    rng = np.random.default_rng(11)
    out = [np.abs(200 + np.cumsum(rng.normal(3, 15, n))) for n in range(1, 30)]
    out += [
        np.full(12, 7.0),  # constant
        np.zeros(9),  # all zeros
        np.arange(15, dtype=float) * 4 + 2,  # straight line (singular AR regressions)
        np.r_[5.0, 6.0, 0.0, 8.0, 9.0, 11.0, 12.0, 15.0, 14.0, 18.0],  # a zero: no log
        np.r_[np.full(6, 3.0), 4.0, 6.0, 5.0, 9.0],  # constant prefixes, then not
        np.exp(np.cumsum(rng.normal(0.05, 0.3, 25))) * 1e4,  # large level
    ]
    return out


@pytest.mark.parametrize("n_windows,step", [(3, 1), (2, 2)])
def test_vector_chunk_matches_per_series(n_windows: int, step: int) -> None:
    ys = _series()
    chunk = list(enumerate(ys))
    cfg = TaskConfig(AUTO_MEMBERS, 6, n_windows, step, False, 0, True)
    slow, fast = run_chunk(chunk, cfg), run_chunk_vector(chunk, cfg)
    for a, b in zip(slow, fast, strict=True):
        assert a.index == b.index and a.used == b.used
        np.testing.assert_array_equal(a.bt_actual, b.bt_actual)
        np.testing.assert_array_equal(a.bt_scale, b.bt_scale)
        for c in range(len(AUTO_MEMBERS)):
            np.testing.assert_allclose(a.points[c], b.points[c], rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(a.bt_fc[c], b.bt_fc[c], rtol=1e-9, atol=1e-9)


def test_vector_result_does_not_depend_on_chunk_neighbours() -> None:
    ys = _series()
    cfg = TaskConfig(AUTO_MEMBERS, 5, 3, 1, False, 0, True)
    whole = run_chunk_vector(list(enumerate(ys)), cfg)
    alone = [run_chunk_vector([(i, y)], cfg)[0] for i, y in enumerate(ys)]
    for a, b in zip(whole, alone, strict=True):
        for c in range(len(AUTO_MEMBERS)):
            np.testing.assert_array_equal(a.points[c], b.points[c])
            np.testing.assert_array_equal(a.bt_fc[c], b.bt_fc[c])


def test_forecast_same_with_and_without_vectorisation(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"role": f"s{i:02d}", "year": 2000 + t, "value": v}
            for i, y in enumerate(_series()) for t, v in enumerate(y)]
    df = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        fast = F.forecast(df, "auto", h=4, id_cols=("role",))
        monkeypatch.setattr(engine, "vector_names", lambda *a: None)
        slow = F.forecast(df, "auto", h=4, id_cols=("role",))
    pd.testing.assert_frame_equal(fast, slow, rtol=1e-9, atol=1e-9)


def test_only_fast_members_are_vectorised() -> None:
    assert vector_names(AUTO_MEMBERS, False) == list(AUTO_MEMBERS)
    assert vector_names(("Theta", "drift"), False) == ["theta", "drift"]
    assert vector_names(AUTO_MEMBERS, True) is None
    assert vector_names(("ets",), False) is None
    assert vector_names(("median(theta,drift)",), False) is None
