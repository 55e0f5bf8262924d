"""auto's panel prior: the panel's best members, as far as its series agree (forecasts.panel)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import forecasts as F
from forecasts import engine
from forecasts.engine import AUTO_MEMBERS
from forecasts.panel import MIN_SERIES, SHRINK_TAU, panel_prior, priors
from forecasts.pipeline import TaskConfig
from forecasts.vector import run_chunk_vector

CFG = TaskConfig(AUTO_MEMBERS, 6, 3, 1, False, 0, True)


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", F.ForecastWarning)


def _slot(member_fc: list[np.ndarray], actual: np.ndarray) -> tuple[np.ndarray, int, float]:
    """`priors` on N series × C members with every cell a selection cell (one slot)."""
    bt = np.stack(member_fc, axis=1)  # (N, C, O, h)
    plain = np.sort(bt, axis=1)[:, 1:-1].mean(axis=1)
    plain_loss = 200 * np.abs(actual - plain) / (np.abs(actual) + np.abs(plain))
    order, pools, w = priors(bt, actual, plain_loss, np.ones((len(actual), 1, *actual.shape[1:]), dtype=bool))
    return order[0], int(pools[0]), float(w[0])


def test_a_member_exact_on_every_series_is_the_prior_with_full_weight() -> None:
    """Known answer: member 2 forecasts every cell exactly, the others miss by 5–15%; so the
    panel ranks it first, pools it alone (J = 1) and trusts it (t large, w near 1)."""
    rng = np.random.default_rng(0)
    actual = rng.uniform(100, 200, (12, 4, 6))
    off = [actual * (1 + s * rng.uniform(0.05, 0.15, actual.shape)) for s in (1, -1, 0, 1)]
    order, j, w = _slot(off, actual)
    assert order[0] == 2 and j == 1
    assert w > 0.99


def test_members_that_win_on_half_the_series_each_give_no_prior() -> None:
    """Members 0 and 1 are exact on alternate series and 20% off on the others: the panel
    cannot prefer a pool over the trimmed mean consistently, so w is (almost) 0."""
    rng = np.random.default_rng(1)
    actual = rng.uniform(100, 200, (12, 4, 6))
    even = (np.arange(12) % 2 == 0)[:, None, None]
    m0 = np.where(even, actual, actual * 1.2)
    m1 = np.where(even, actual * 0.8, actual)
    _, _, w = _slot([m0, m1, actual * 1.1, actual * 0.9], actual)
    assert w < 0.01


def test_weight_follows_t_squared_over_t_squared_plus_tau() -> None:
    """Per-series gains g of the pool over the trimmed mean: w = t²/(t² + 16), t = mean/(sd/√N)."""
    rng = np.random.default_rng(2)
    actual = rng.uniform(100, 200, (10, 4, 6))
    noise = rng.normal(0, 0.03, actual.shape)
    members = [actual * (1.02 + noise), actual * 1.3, actual * 0.7, actual * 1.4]
    order, j, w = _slot(members, actual)
    assert order[0] == 0 and j == 1
    pool = members[0]
    plain = np.sort(np.stack(members, axis=1), axis=1)[:, 1:-1].mean(axis=1)
    sm = lambda f: 200 * np.abs(actual - f) / (np.abs(actual) + np.abs(f))  # noqa: E731
    g = (sm(plain) - sm(pool)).mean(axis=(1, 2))
    t = g.mean() / (g.std(ddof=1) / np.sqrt(len(g)))
    assert w == pytest.approx(t * t / (t * t + SHRINK_TAU))


def _panel(ys: list[np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame([{"role": f"s{i:02d}", "year": 2000 + t, "value": v}
                         for i, y in enumerate(ys) for t, v in enumerate(y)])


def _exponential(n: int, seed: int) -> list[np.ndarray]:
    """Series growing 8–12% a year with 2% multiplicative noise: a log model is right."""
    rng = np.random.default_rng(seed)
    t = np.arange(24)
    return [50 * np.exp(rng.uniform(0.08, 0.12) * t + rng.normal(0, 0.02, t.size)) for _ in range(n)]


def test_a_panel_of_exponential_series_puts_a_log_member_first() -> None:
    ys = _exponential(30, 3)
    results = [run_chunk_vector([(i, y)], CFG)[0] for i, y in enumerate(ys)]
    prior = panel_prior(results, list(AUTO_MEMBERS), CFG)
    assert AUTO_MEMBERS[prior.order[0, 0]] in ("log_theta", "log_dotm")
    assert prior.w[0] > 0.5
    fc = F.forecast(_panel(ys), "auto", 6, id_cols=("role",), time_col="year")
    assert fc["model"].str.contains("panel(", regex=False).all()
    assert fc["reason"].str.contains("the panel's prior", regex=False).all()


def test_fewer_series_than_min_series_get_no_prior() -> None:
    ys = _exponential(MIN_SERIES - 1, 4)
    results = [run_chunk_vector([(i, y)], CFG)[0] for i, y in enumerate(ys)]
    assert not panel_prior(results, list(AUTO_MEMBERS), CFG).w.any()
    fc = F.forecast(_panel(ys), "auto", 6, id_cols=("role",), time_col="year")
    assert not fc["model"].str.contains("panel(", regex=False).any()


def test_the_prior_of_backtest_forecasts_never_sees_the_future() -> None:
    """Changing the last observation of every series of the panel changes no backtest forecast:
    each calibration origin's prior comes from the cells known at that origin (nested)."""
    ys = _exponential(12, 5)
    later = [y.copy() for y in ys]
    for y in later:
        y[-1] *= 1.5
    fits = [engine.run(_panel(v), "auto", h=6, id_cols=("role",), time_col="year",
                       target_col="value", n_jobs=1, scheduler=None, seed=0, log=None,
                       n_windows=3, until=None) for v in (ys, later)]
    assert any(c.model.startswith("panel(") or "panel(" in c.model for c in fits[0].choices)
    for a, b in zip(fits[0].choices, fits[1].choices, strict=True):
        np.testing.assert_array_equal(a.bt_fc, b.bt_fc)


def test_choosing_by_layout_equals_choosing_one_by_one() -> None:
    """choose_all (series of one layout as arrays) gives exactly what choose gives series by series:
    mixed lengths, short series whose members fall back (chosen one by one), with and without a prior."""
    from forecasts.select import choose, choose_all

    rng = np.random.default_rng(6)
    ys = [50 * np.exp(np.cumsum(rng.normal(0.05, 0.1, n))) for n in [5, 7, 9, 12, 12, 12, 15, 15, 20, 20, 20, 20]]
    results = [run_chunk_vector([(i, y)], CFG)[0] for i, y in enumerate(ys)]
    names = list(AUTO_MEMBERS)
    assert any(r.used[c] != names[c] for r in results for c in range(len(names)))  # some fell back
    for prior in (None, panel_prior(results, names, CFG)):
        one = [choose(r, names, CFG, prior) for r in results]
        for a, b in zip(one, choose_all(results, names, CFG, prior), strict=True):
            np.testing.assert_array_equal(a.point, b.point)
            np.testing.assert_array_equal(a.bt_fc, b.bt_fc)
            assert (a.model, a.reason) == (b.model, b.reason)
