"""Sanity check on small real annual series (never used to tune anything).

The annual series in ../shared/reference/real-data (relative to the repository root):
new US CS PhDs by specialty (Taulbee survey via OWID; 21 series, 2010–2020) and the
share of job postings requiring AI skills (Lightcast via OWID; 6 countries, 2010/13–2021).
Each data set is one panel; ``forecasts.backtest`` cuts every series at rolling origins
(``h`` years before its end, and 1, 2, ... years earlier: ``--windows``) and forecasts
from data up to the cut only, so selection and calibration never see the scored years.
Scores by ``forecasts.score`` (M4 definitions; coverage of the 80% and 95% intervals).

Usage:  nice .venv/bin/python benchmarks/real_data_check.py [--horizon 3] [--windows 3]
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

import forecasts as F

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "reference" / "real-data"
SETS = {
    "US CS PhDs by specialty": ("owid_new_cs_phds_us_by_specialty_taulbee.csv",
                                "number_new_cs_phds_by_specialty"),
    "AI share of job postings": ("owid_share_ai_job_postings_lightcast.csv", "ai_job_postings"),
}
MODELS = ("auto", "drift", "naive", "theta", "log_theta", "dotm", "ets_fast", "arima_fast", "arima2_fast")
QUANTILES = (0.025, 0.1, 0.5, 0.9, 0.975)


def load(file: str, column: str) -> pd.DataFrame:
    """One real data set, long: series, year, value (series with a zero dropped)."""
    path = REAL / file
    if not path.exists():
        raise SystemExit(f"{path} not found (expected ../shared/reference/real-data)")
    df = pd.read_csv(path).rename(columns={"Entity": "series", "Year": "year", column: "value"})
    df = df[["series", "year", "value"]].dropna()
    return df[df.groupby("series")["value"].transform("min") > 0]


def check(name: str, df: pd.DataFrame, h: int, windows: int) -> pd.DataFrame:
    """Scores of every model on one data set (rolling origins)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        bt = F.backtest(df, list(MODELS), h=h, n_windows=windows, quantiles=QUANTILES,
                        id_cols=("series",), time_col="year", target_col="value")
    s = F.score(bt)
    cols = ["model", "smape", "mase", "coverage_80", "coverage_95"]
    out = s[cols].copy()
    out.insert(0, "data", name)
    out.insert(1, "series", df["series"].nunique())
    out.insert(2, "errors", int(len(bt) / len(MODELS)))
    return out.sort_values("smape")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--horizon", type=int, default=3)
    ap.add_argument("--windows", type=int, default=3)
    args = ap.parse_args()
    table = pd.concat([check(name, load(*spec), args.horizon, args.windows)
                       for name, spec in SETS.items()], ignore_index=True)
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
