"""``auto`` uses the statsmodels ``ets`` and ``arima`` for long series only (issue 13)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import forecasts as F
from forecasts.engine import AUTO_LONG, AUTO_LONG_MIN, AUTO_MEMBERS
from forecasts.pipeline import TaskConfig, run_chunk, series_candidates
from forecasts.vector import run_chunk_vector


def _cfg() -> TaskConfig:
    return TaskConfig(AUTO_MEMBERS, 6, 3, 1, False, 0, True, AUTO_LONG, AUTO_LONG_MIN)


def _walks() -> list[np.ndarray]:
    rng = np.random.default_rng(5)
    lengths = (8, AUTO_LONG_MIN - 1, AUTO_LONG_MIN, 33)
    return [np.abs(500 + np.cumsum(rng.normal(8, 20, n))) for n in lengths]


def test_long_series_swap_fast_members_for_statsmodels() -> None:
    cfg = _cfg()
    assert series_candidates(cfg, AUTO_LONG_MIN - 1) == AUTO_MEMBERS
    long = series_candidates(cfg, AUTO_LONG_MIN)
    assert "ets" in long and "arima" in long
    assert "ets_fast" not in long and "arima_fast" not in long
    plain = TaskConfig(AUTO_MEMBERS, 6, 3, 1, False, 0, True)  # a list, not auto
    assert series_candidates(plain, 40) == AUTO_MEMBERS


def test_mixed_chunk_matches_per_series_path() -> None:
    chunk = list(enumerate(_walks()))
    slow, fast = run_chunk(chunk, _cfg()), run_chunk_vector(chunk, _cfg())
    for a, b in zip(slow, fast, strict=True):
        assert a.index == b.index and a.used == b.used
        for c in range(len(AUTO_MEMBERS)):
            np.testing.assert_allclose(a.points[c], b.points[c], rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(a.bt_fc[c], b.bt_fc[c], rtol=1e-9, atol=1e-9)
    assert "ets" in fast[3].used.values() and "ets_fast" in fast[0].used.values()


def test_auto_long_series_labels_have_no_fast_approximation() -> None:
    rows = [{"role": f"s{i}", "year": 1980 + t, "value": v}
            for i, y in enumerate(_walks()) for t, v in enumerate(y)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        fc = F.forecast(pd.DataFrame(rows), "auto", h=3, id_cols=("role",))
    label = fc.groupby("role")["model"].first()
    assert "_fast" not in label["s3"]  # the long series never uses the fast approximations
