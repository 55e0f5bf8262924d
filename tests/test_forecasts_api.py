"""forecast / backtest / sample_paths: contract, fallbacks and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import forecasts as F

QCOLS = ["q05", "q10", "q50", "q90", "q95"]


def panel(n_series: int = 6, n_years: int = 15, seed: int = 0) -> pd.DataFrame:
    """A small panel in the talent data contract (without `level`)."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_series):
        y = 100 + 10 * s + np.cumsum(rng.normal(3, 4, n_years))
        for t in range(n_years):
            rows.append({"region": f"R{s % 3}", "role": f"role{s // 3}", "kind": "demand",
                         "year": 2005 + t, "value": max(y[t], 0.0)})
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", F.ForecastWarning)


def test_forecast_contract_columns_and_rows() -> None:
    df = panel()
    out = F.forecast(df, h=4)
    assert list(out.columns) == ["region", "role", "kind", "year", "mean", *QCOLS,
                                 "model", "score", "reason"]
    assert len(out) == 6 * 4
    assert set(out["year"]) == {2020, 2021, 2022, 2023}
    q = out[QCOLS].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all() and (q >= 0).all()
    assert out["reason"].str.len().min() > 0


def test_a_list_holding_only_auto_means_auto() -> None:
    df = panel()
    pd.testing.assert_frame_equal(F.forecast(df, ["auto"], h=3), F.forecast(df, "auto", h=3))
    with pytest.raises(F.ForecastError, match="'auto' cannot be mixed with other models"):
        F.forecast(df, ["auto", "drift"], h=3)


def test_custom_column_names_and_until() -> None:
    df = panel().rename(columns={"region": "occ_code", "year": "yr", "value": "emp"})
    df = df[df["role"] == "role0"]
    out = F.forecast(df, "theta", id_cols=("occ_code",), time_col="yr", target_col="emp",
                     until=2022)
    assert list(out.columns[:2]) == ["occ_code", "yr"]
    assert out.groupby("occ_code")["yr"].apply(list).tolist() == [[2020, 2021, 2022]] * 3


def test_straight_line_and_constant_series() -> None:
    years = list(range(2000, 2012))
    df = pd.DataFrame({"kind": ["a"] * 12 + ["b"] * 12, "year": years * 2,
                       "value": [5.0 + 2 * t for t in range(12)] + [9.0] * 12})
    out = F.forecast(df, "drift", h=3, id_cols=("kind",))
    a, b = out[out.kind == "a"], out[out.kind == "b"]
    np.testing.assert_allclose(a["mean"], [29.0, 31.0, 33.0])
    np.testing.assert_allclose(b["mean"], 9.0)
    assert (b["q95"] - b["q05"]).max() < 0.1  # zero-width-ish
    assert b["model"].eq("naive").all()


@pytest.mark.parametrize(("n", "model"), [(1, "auto"), (2, "auto"), (3, "auto"), (4, "auto"),
                                          (5, "arima_fast"), (3, "dotm"), (4, "ets")])
def test_short_series_fall_back_with_a_warning(n: int, model: str) -> None:
    """Series with 4 or fewer points warn (no backtest); a model asked for by name warns
    when it cannot fit (arima_fast needs 6 points, dotm 4, ets 5)."""
    df = pd.DataFrame({"year": range(2020, 2020 + n), "value": np.linspace(10, 20, n)})
    with pytest.warns(F.ForecastWarning):
        out = F.forecast(df, model, h=3)
    assert len(out) == 3 and np.isfinite(out[[*QCOLS, "mean"]].to_numpy()).all()
    assert (out["mean"] >= 0).all()


def test_auto_does_not_warn_about_members_that_cannot_fit() -> None:
    """Five points: arima_fast cannot fit, so auto combines the others, and says so in
    `model`/`reason`, without a warning."""
    df = pd.DataFrame({"year": range(2020, 2025), "value": [10.0, 12, 15, 16, 19]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", F.ForecastWarning)
        out = F.forecast(df, "auto", h=3)
    assert "arima_fast" not in out["model"].iloc[0]


def test_zeros_late_start_and_gap_filled() -> None:
    df = pd.concat([
        pd.DataFrame({"role": "z", "year": range(2000, 2015), "value": 0.0}),
        pd.DataFrame({"role": "late", "year": range(2011, 2015), "value": [1.0, 2, 3, 4]}),
        pd.DataFrame({"role": "gap", "year": [2000, 2001, 2004, 2005], "value": [1.0, 2, 5, 6]}),
    ])
    with pytest.warns(F.ForecastWarning, match="linear interpolation"):
        out = F.forecast(df, h=2, id_cols=("role",))
    assert out[out.role == "z"]["q95"].max() == 0.0
    assert set(out[out.role == "gap"]["year"]) == {2006, 2007}


@pytest.mark.parametrize(("frame", "match"), [
    (pd.DataFrame({"year": [2000, 2000], "value": [1.0, 2.0]}), "sharing a year"),
    (pd.DataFrame({"year": [2000, 2001], "value": [1.0, -2.0]}), "-2.0 in year 2001"),
    (pd.DataFrame({"year": [2000.5, 2001], "value": [1.0, 2.0]}), "integer years"),
    (pd.DataFrame({"year": [2000, 2001], "value": ["a", 2.0]}), "numeric"),
    (pd.DataFrame({"yr": [2000, 2001], "value": [1.0, 2.0]}), "time column 'year'"),
    (pd.DataFrame({"year": [2000, 2001], "value": [np.nan, np.nan]}), "no observed value"),
])
def test_bad_input_raises_forecast_error_with_numbers(frame: pd.DataFrame, match: str) -> None:
    with pytest.raises(F.ForecastError, match=match):
        F.forecast(frame, "naive")


def test_explicit_missing_id_column_and_bad_quantiles() -> None:
    df = panel(2)
    with pytest.raises(F.ForecastError, match="occ"):
        F.forecast(df, id_cols=("occ",))
    with pytest.raises(F.ForecastError, match="between 0 and 1"):
        F.forecast(df, quantiles=(0.1, 1.5))
    with pytest.raises(F.ForecastError, match="not after the last year"):
        F.forecast(df, until=2010)


def test_sample_paths_deterministic_and_match_quantiles() -> None:
    df = panel(4, 20)
    p1 = F.sample_paths(df, h=3, n_paths=4000, seed=3)
    p2 = F.sample_paths(df, h=3, n_paths=4000, seed=3)
    pd.testing.assert_frame_equal(p1, p2)
    assert list(p1.columns) == ["region", "role", "kind", "year", "path", "value"]
    fc = F.forecast(df, h=3, quantiles=(0.1, 0.5, 0.9))
    emp = p1.groupby(["region", "role", "kind", "year"])["value"].quantile([0.1, 0.5, 0.9])
    emp = emp.unstack().reset_index()
    merged = fc.merge(emp, on=["region", "role", "kind", "year"])
    width = (merged["q90"] - merged["q10"]).to_numpy()
    for col, lvl in (("q10", 0.1), ("q50", 0.5), ("q90", 0.9)):
        assert np.all(np.abs(merged[col] - merged[lvl]) <= 0.06 * width + 1e-9)


def test_backtest_windows_and_cutoffs() -> None:
    df = panel(3, 15)
    bt = F.backtest(df, ["naive", "drift"], h=2, n_windows=3, step=2)
    assert set(bt["model"]) == {"naive", "drift"}
    # last year 2019: cutoffs 2019-2-0, 2019-2-2, 2019-2-4
    assert sorted(bt["cutoff"].unique()) == [2013, 2015, 2017]
    assert (bt["year"] - bt["cutoff"] == bt["horizon"]).all()
    assert len(bt) == 2 * 3 * 3 * 2
    naive = bt[(bt.model == "naive")]
    src = df.set_index(["region", "role", "year"])["value"]
    last = [src[(r, ro, c)] for r, ro, c in zip(naive.region, naive.role, naive.cutoff,
                                                strict=True)]
    np.testing.assert_allclose(naive["mean"], last)
    scores = F.score(bt)
    assert list(scores["model"]) == ["drift", "naive"]
    assert {"smape", "mase", "coverage_80", "coverage_90", "msis_90"} <= set(scores.columns)
    per = F.score(bt, per_series=True)
    assert len(per) == 2 * 3


def test_a_plain_panel_is_keyed_by_its_other_columns() -> None:
    """A frame with none of the default key columns: every other column is a key (it was read as one series
    with every year six times, and refused)."""
    d = panel().assign(series_id=lambda f: f["region"] + "/" + f["role"])[["series_id", "year", "value"]]
    out = F.forecast(d, "drift", 3)
    assert list(out.columns[:2]) == ["series_id", "year"]
    assert out.groupby("series_id").size().to_dict() == {k: 3 for k in d["series_id"].unique()}
    contract = F.forecast(panel(), "drift", 3)
    assert np.allclose(out.sort_values(["series_id", "year"])["mean"].to_numpy(),
                       contract.assign(series_id=contract["region"] + "/" + contract["role"])
                       .sort_values(["series_id", "year"])["mean"].to_numpy())
    one = d[d["series_id"] == "R0/role0"][["year", "value"]]  # time and value only: one series, as before
    assert len(F.forecast(one, "drift", 3)) == 3
