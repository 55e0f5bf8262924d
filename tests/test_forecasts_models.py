"""Known answers for the per-series models and the metric definitions."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import forecasts as F
from forecasts.metrics import qname, smape_terms
from forecasts.models import make_model

LINE = np.arange(12, dtype=float) * 3 + 5
FAST = ["naive", "drift", "theta", "ets_fast", "arima_fast", "arima2_fast", "mean(theta,drift)", "log_theta",
        "dotm", "log_dotm"]


def test_drift_continues_a_straight_line_exactly() -> None:
    pred = make_model("drift").fit(LINE).predict(4, (0.1, 0.9))
    np.testing.assert_allclose(pred.mean, LINE[-1] + 3 * np.arange(1, 5))
    np.testing.assert_allclose(pred.quantiles[:, 0], pred.mean)  # no noise, no width


def test_arima2_fast_continues_the_last_slope_of_a_parabola() -> None:
    """Known answer: second differences constant (2c): AR on them would need a unit root, which
    the stationarity cut rejects, so p = 0: the change of the changes is forecast 0 and the
    last slope goes on, y[n+s] = y[n] + s * (y[n] - y[n-1])."""
    t = np.arange(14, dtype=float)
    y = 40 + 3 * t + 0.5 * t * t
    pred = make_model("arima2_fast").fit(y).predict(4)
    np.testing.assert_allclose(pred.mean, y[-1] + (y[-1] - y[-2]) * np.arange(1, 5), rtol=1e-9)


def test_arima2_fast_follows_a_bend_that_fades_geometrically() -> None:
    """Known answer: second differences 8 * 0.5^t exactly are an AR(1) with coefficient 0.5 and no
    noise, so the forecast continues the series exactly (the slope approaches its limit)."""
    d2 = 8 * 0.5 ** np.arange(16)
    slope = 1 + np.cumsum(d2)
    y = 100 + np.concatenate([[0.0], np.cumsum(slope)])
    full_d2 = 8 * 0.5 ** np.arange(16 + 4)
    future = 100 + np.cumsum(np.concatenate([[0.0], 1 + np.cumsum(full_d2)]))[len(y):len(y) + 4]
    pred = make_model("arima2_fast").fit(y).predict(4)
    np.testing.assert_allclose(pred.mean, future, rtol=1e-9)


@pytest.mark.parametrize("name", ["ets_fast", "arima_fast", "arima2_fast", "dotm"])
def test_trend_models_continue_a_straight_line(name: str) -> None:
    pred = make_model(name).fit(LINE).predict(3)
    np.testing.assert_allclose(pred.mean, LINE[-1] + 3 * np.arange(1, 4), rtol=1e-6)


@pytest.mark.parametrize("name", FAST)
def test_constant_series_gives_flat_forecast(name: str) -> None:
    y = np.full(10, 7.0)
    np.testing.assert_allclose(make_model(name).fit(y).predict(5).mean, 7.0, atol=1e-6)


@pytest.mark.parametrize("name", ["ets", "arima"])
def test_statsmodels_ets_and_arima_continue_a_noisy_trend(name: str) -> None:
    """y = 100 + 20 t plus small deterministic noise (|e| <= 3), 20 points: the forecast
    must follow the trend (a naive forecast is 20 h off; a model may also continue the
    periodic noise, so it must be within the noise of the line or within 2 of the truth),
    and the 90% interval must hold the true continuation, be narrower than one year's
    growth at h=1 and widen with h."""
    t = np.arange(26)
    series = 100 + 20 * t + 3 * np.sin(2.1 * t)
    y, truth, line = series[:20], series[20:], 100 + 20 * t[20:]
    pred = make_model(name).fit(y).predict(6, (0.05, 0.95))
    np.testing.assert_allclose(pred.mean, line, atol=3.0 + 1.0)  # h = 1..6
    assert np.all(np.abs(pred.mean - line) <= 2.0) or np.all(np.abs(pred.mean - truth) <= 2.0)
    lo, hi = pred.quantiles[:, 0], pred.quantiles[:, 1]
    assert np.all((lo <= truth) & (truth <= hi)), (lo, truth, hi)
    width = hi - lo
    assert np.all(np.diff(width) > 0), width
    assert 0 < width[0] < 20, width


def test_combination_is_median_of_members() -> None:
    y = LINE
    members = [make_model(n).fit(y).predict(3).mean for n in ("naive", "drift", "theta")]
    combo = make_model("median(naive,drift,theta)").fit(y).predict(3).mean
    np.testing.assert_allclose(combo, np.median(members, axis=0))


def test_unknown_model_is_a_forecast_error() -> None:
    df = pd.DataFrame({"year": range(2000, 2010), "value": LINE[:10]})
    with pytest.raises(F.ForecastError, match="unknown model 'nope'"):
        F.forecast(df, "nope")


def test_quantile_column_names() -> None:
    assert [qname(q) for q in (0.05, 0.1, 0.5, 0.95, 0.025, 0.975)] == [
        "q05", "q10", "q50", "q95", "q025", "q975"]


def test_smape_terms_m4_definition() -> None:
    np.testing.assert_allclose(smape_terms(np.array([100.0, 0.0]), np.array([50.0, 0.0])),
                               [200 * 50 / 150, 0.0])


def test_score_known_values() -> None:
    bt = pd.DataFrame({
        "series": ["a"] * 2, "cutoff": [2000, 2000], "actual": [10.0, 20.0],
        "mean": [12.0, 20.0], "q10": [9.0, 21.0], "q90": [11.0, 25.0],
        "mase_scale": [2.0, 2.0], "model": ["m", "m"],
    })
    s = F.score(bt, id_cols=["series"]).iloc[0]
    assert s["mase"] == pytest.approx((2 / 2 + 0) / 2)
    assert s["coverage_80"] == pytest.approx(0.5)
    # MSIS: widths 2 and 4; y=20 < L=21 adds 2/0.2*1 = 10; mean (2 + 14)/2 / scale 2
    assert s["msis_80"] == pytest.approx(((2) + (4 + 10)) / 2 / 2)


def test_engine_never_imports_the_application() -> None:
    root = Path(F.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                assert n.split(".")[0] not in {"talent", "curricula"}, f"{path} imports {n}"


@pytest.mark.parametrize("n", [5, 6, 7, 10])
def test_ets_follows_a_short_clear_trend(n: int) -> None:
    """A 5-10 point series rising by 200 a year (noise +-20): every ETS trend form is a
    candidate, and the AICc prefers one, so the forecast keeps rising about 200 a year."""
    noise = np.array([0.0, 15, -10, 20, -5, 10, -15, 5, 0, 12])[:n]
    y = 900 + 200 * np.arange(n) + noise
    model = make_model("ets").fit(y)
    steps = np.diff(np.r_[y[-1], model.predict(4).mean])
    assert model._res.model.trend == "add"
    np.testing.assert_allclose(steps, 200, rtol=0.15)


def test_ets_keeps_a_random_walk_flat() -> None:
    """Without a trend the information criterion keeps the simple form: a flat forecast."""
    y = 100 + np.cumsum(np.random.default_rng(3).normal(0, 5, 20))
    model = make_model("ets").fit(y)
    assert model._res.model.trend is None
    assert np.ptp(model.predict(5).mean) < 1e-9


@pytest.mark.parametrize("name", ["ets", "arima"])
def test_statsmodels_refit_keeps_the_form_and_refits_the_prefix(name: str) -> None:
    """The inner backtest refits the full history's form to each prefix (warm start):
    same form, a forecast of the prefix's own continuation, equal to a fresh fit's when
    the fresh fit picks the same form."""
    t = np.arange(24)
    y = 50 + 4 * t + 2 * np.sin(1.3 * t)
    full = make_model(name).fit(y)
    warm = full.refit(y[:18])
    assert warm is not None
    fresh = make_model(name).fit(y[:18])
    np.testing.assert_allclose(warm.predict(6).mean, y[18:], atol=6.0)
    if name == "arima":
        assert warm._fit_result.order == full._fit_result.order
        if fresh._fit_result.order == full._fit_result.order:
            np.testing.assert_allclose(warm.predict(6).mean, fresh.predict(6).mean)
    else:
        assert (warm._res.model.trend, warm._res.model.damped_trend) == (
            full._res.model.trend, full._res.model.damped_trend)


def test_log_dotm_continues_exponential_growth() -> None:
    y = 100 * np.exp(0.1 * np.arange(12))
    pred = make_model("log_dotm").fit(y).predict(3).mean
    np.testing.assert_allclose(pred, 100 * np.exp(0.1 * np.arange(12, 15)), rtol=1e-6)


def test_dotm_share_of_the_trend_is_between_simple_smoothing_and_the_full_trend() -> None:
    """On a noisy trend DOTM's forecast lies between SES-like flatness and the OLS line."""
    rng = np.random.default_rng(8)
    y = 50 + 2 * np.arange(20) + rng.normal(0, 3, 20)
    f = make_model("dotm").fit(y).predict(5).mean
    assert np.all(np.diff(f) >= 0) and np.all(np.diff(f) <= 2 * 2 + 1e-9)
