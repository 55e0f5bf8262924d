"""Intervals: the run's backtest errors blended with the reference class; auto's shrunk choice."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import forecasts as F
from forecasts import reference
from forecasts.calibrate import N0, Calibrator, fit_calibrator, reference_distribution
from forecasts.engine import AUTO_MEMBERS
from forecasts.pipeline import TaskConfig, calibration_scale
from forecasts.select import SHRINK_TAU, choose, shrink_weights, trimmed_mean
from forecasts.vector import run_chunk_vector


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", F.ForecastWarning)


def _frame(ys: list[np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame([{"role": f"s{i:02d}", "year": 2000 + t, "value": v}
                         for i, y in enumerate(ys) for t, v in enumerate(y)])


def test_a_series_without_backtest_gets_the_reference_widths() -> None:
    """Four points: no inner backtest, so quantile = point + scale x reference quantile."""
    y = np.array([100.0, 112.0, 121.0, 135.0])
    fc = F.forecast(_frame([y]), "auto", h=3, quantiles=(0.1, 0.9), id_cols=("role",))
    cal = fc.attrs["calibration"]
    assert cal["run_errors"] == [0, 0, 0] and cal["run_weight"] == [0.0, 0.0, 0.0]
    scale = calibration_scale(y)
    for h in (1, 2, 3):
        x, p = reference_distribution(h)
        row = fc.iloc[h - 1]
        np.testing.assert_allclose(row[["q10", "q90"]].to_numpy(float),
                                   row["mean"] + scale * np.interp([0.1, 0.9], p, x), rtol=1e-9)


def test_blend_weight_is_the_share_of_evidence() -> None:
    """N0 reference 'errors' against n of the run's: with n = N0 the mixture is half-half.
    Run errors all at 1000 (far right of the reference): below 1000 the mixture CDF is
    half the reference's, so its 25% quantile is the reference median and 75% is 1000."""
    n = int(N0)
    cal = fit_calibrator(np.full((n, 1), 1000.0))
    assert cal.weights[0] == pytest.approx(0.5)
    x, p = reference_distribution(1)
    q25, q75 = cal.quantiles(1, np.array([0.25, 0.75]))
    assert q25 == pytest.approx(float(np.interp(0.5, p, x)))
    assert q75 == pytest.approx(1000.0)
    assert cal.quantiles(1, np.array([0.25]), own=False)[0] == pytest.approx(float(np.interp(0.25, p, x)))


def test_long_panels_use_their_own_errors() -> None:
    errs = np.random.default_rng(0).normal(0, 2.0, (20_000, 1))
    cal = fit_calibrator(errs)
    assert cal.weights[0] > 0.99
    np.testing.assert_allclose(cal.quantiles(1, np.array([0.1, 0.9])), [-2.563, 2.563], atol=0.08)


def test_reference_table_is_monotone_and_grows_linearly_past_its_end() -> None:
    table = np.asarray(reference.QUANTILES)
    assert table.shape == (len(reference.COUNTS), len(reference.LEVELS))
    assert np.all(np.diff(table, axis=1) >= 0)
    last = len(table)
    x_last, _ = reference_distribution(last)
    x_far, _ = reference_distribution(2 * last)
    np.testing.assert_allclose(x_far, 2 * x_last)


def test_calibration_is_reported_on_forecast_and_paths() -> None:
    rng = np.random.default_rng(1)
    ys = [100 + np.cumsum(rng.normal(2, 4, 14)) for _ in range(5)]
    df = _frame(ys)
    fc = F.forecast(df, "auto", h=4, id_cols=("role",))
    paths = F.sample_paths(df, "auto", h=4, n_paths=50, id_cols=("role",))
    for frame in (fc, paths):
        cal = frame.attrs["calibration"]
        assert {"method", "reference", "run_errors", "run_weight", "summary"} <= set(cal)
        assert cal["run_errors"] == [5 * 3] * 4  # 5 series x 3 windows per horizon
        np.testing.assert_allclose(cal["run_weight"], 15 / (15 + N0), atol=1e-4)


def test_short_series_use_the_reference_where_they_have_no_errors() -> None:
    """A 7-point series has no 6-year-ahead backtest error: at h = 6 its width is the
    reference's, while the long series use the blend."""
    rng = np.random.default_rng(2)
    long = [100 + np.cumsum(rng.normal(2, 4, 30)) for _ in range(40)]
    short = 100 + np.cumsum(rng.normal(2, 4, 7))
    fc = F.forecast(_frame([*long, short]), "auto", h=6, quantiles=(0.1, 0.9), id_cols=("role",))
    row = fc[(fc["role"] == "s40")].iloc[-1]
    x, p = reference_distribution(6)
    expected = row["mean"] + calibration_scale(short) * np.interp([0.1, 0.9], p, x)
    np.testing.assert_allclose(row[["q10", "q90"]].to_numpy(float), np.maximum(expected, 0), rtol=1e-9)


def test_shrink_weight_is_the_t_statistic_share() -> None:
    """Four members over 12 cells: one is exact, the others 10-20% off (with a wobble).
    The best one beats the median of all on every cell: w = t^2/(t^2 + tau), near 1."""
    actual = np.linspace(100, 155, 12).reshape(2, 6)
    offsets = np.array([0.0, 0.1, 0.12, 0.2])
    wobble = 1 + 0.02 * np.sin(np.arange(12)).reshape(2, 6)
    bt = np.stack([actual * (1 + o * wobble) for o in offsets])
    masks = np.ones((1, 2, 6), dtype=bool)
    top, w, t = shrink_weights(bt, actual, masks, 1)
    assert top[0].tolist() == [0]
    assert w[0] == pytest.approx(t[0] ** 2 / (t[0] ** 2 + SHRINK_TAU))
    assert t[0] > 5 and w[0] > 0.85


def test_the_combination_of_all_members_is_the_trimmed_mean() -> None:
    """Without the lowest and highest member per year; the median of 3, the mean of 2."""
    x = np.array([[1.0, 5.0], [2.0, 6.0], [3.0, 7.0], [10.0, 70.0]])
    np.testing.assert_allclose(trimmed_mean(x), [2.5, 6.5])
    np.testing.assert_allclose(trimmed_mean(x[:3]), [2.0, 6.0])
    np.testing.assert_allclose(trimmed_mean(x[:2]), [1.5, 5.5])
    assert "naive" not in AUTO_MEMBERS  # naive stays the last fallback, not a member


def test_indistinguishable_members_give_the_combination() -> None:
    actual = np.full((2, 3), 50.0)
    bt = np.stack([actual + 1, actual - 1, actual + 1, actual - 1])  # all equally good
    _, w, _ = shrink_weights(bt, actual, np.ones((1, 2, 3), dtype=bool), 2)
    assert w[0] == 0.0


def test_backtest_forecasts_of_auto_never_see_the_future() -> None:
    """Each calibration origin's combination is chosen from earlier cells only (nested):
    changing the last observation leaves every backtest forecast of auto unchanged."""
    rng = np.random.default_rng(4)
    y = 200 + np.cumsum(rng.normal(5, 10, 22))
    y2 = y.copy()
    y2[-1] *= 1.5
    cfg = TaskConfig(AUTO_MEMBERS, 6, 3, 1, False, 0, True)
    names = list(AUTO_MEMBERS)
    a, b = (run_chunk_vector([(0, v)], cfg)[0] for v in (y, y2))
    ca, cb = (choose(r, names, cfg) for r in (a, b))
    np.testing.assert_array_equal(ca.bt_fc, cb.bt_fc)
    assert np.isfinite(ca.bt_fc[a.cal]).all() and np.isnan(ca.bt_fc[~a.cal]).all()


def test_calibrator_quantiles_are_monotone_in_the_level() -> None:
    cal = Calibrator(errors=[np.sort(np.random.default_rng(5).normal(0, 1, 40))],
                     weights=np.array([40 / 140]), corr=np.ones((1, 1)))
    q = cal.quantiles(1, np.linspace(0.01, 0.99, 99))
    assert np.all(np.diff(q) >= 0)


def test_a_value_typed_wrong_does_not_blow_up_the_paths() -> None:
    """One value of 1e10 among values near 1,000 (the last year of one series) gave a pooled backtest error a
    million times its series' scale: as one error of mass 1 / (n + N0) it sat above the 99th percentile of
    every series, and path means (the gap table's figures) exceeded their own 95th percentiles ten-thousandfold,
    the other series' too. Such errors are clipped to `outlier_bound`, with a warning naming the series."""
    from forecasts.calibrate import OUTLIER, outlier_bound

    demand = 1000.0 + 50 * np.arange(10) + (np.arange(10) % 3) * 7
    demand[-1] = 1e10
    df = _frame([demand, 400.0 + 50 * np.arange(10) + (np.arange(10) % 3) * 7])
    with pytest.warns(F.ForecastWarning, match=r"backtest errors more than 10 times the widest a forecast made in "
                      r"the reference class were clipped .*: 1 series \(role=s00\)"):
        paths = F.sample_paths(df, id_cols=["role"], n_paths=2000, seed=0)
    for role, g in paths.groupby("role"):
        by_year = g.groupby("year")["value"]
        assert (by_year.mean() <= by_year.quantile(0.95) * 1.5).all(), role
    assert outlier_bound(1) == OUTLIER * float(np.abs(reference_distribution(1)[0]).max())


def test_errors_of_real_forecasts_are_not_clipped() -> None:
    """The bound is far outside what forecasts of real series err by: no warning on smooth and noisy series."""
    rng = np.random.default_rng(3)
    ys = [100 + np.cumsum(rng.normal(5, 3, 15)) for _ in range(6)] + [np.linspace(10, 90, 15) ** 1.5]
    with warnings.catch_warnings():
        warnings.simplefilter("error", F.ForecastWarning)
        F.forecast(_frame(ys), id_cols=["role"])
