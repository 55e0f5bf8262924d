"""Property tests: ids and horizon preserved, quantiles ordered, never negative."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import forecasts as F

series = st.lists(
    st.one_of(st.floats(0, 1e6, allow_nan=False), st.just(0.0)), min_size=1, max_size=25
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(series, min_size=1, max_size=4), h=st.integers(1, 5),
       start=st.integers(1990, 2010))
@example(data=[[0.0, 0.0, 5e-324, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]], h=1, start=1990)  # NaN AR fits: LinAlgError
def test_forecast_properties(data: list[list[float]], h: int, start: int) -> None:
    rows = [{"role": f"r{i}", "year": start + t, "value": v}
            for i, ys in enumerate(data) for t, v in enumerate(ys)]
    df = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        out = F.forecast(df, "auto", h=h, id_cols=("role",))
    assert sorted(out["role"].unique()) == sorted(f"r{i}" for i in range(len(data)))
    assert (out.groupby("role").size() == h).all()
    for i, ys in enumerate(data):
        years = out.loc[out.role == f"r{i}", "year"].tolist()
        assert years == list(range(start + len(ys), start + len(ys) + h))
    q = out[["q05", "q10", "q50", "q90", "q95"]].to_numpy()
    assert np.isfinite(q).all() and (q >= 0).all() and (np.diff(q, axis=1) >= 0).all()
    assert (out["mean"] >= 0).all()
