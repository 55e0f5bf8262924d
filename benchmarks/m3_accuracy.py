"""M3 yearly accuracy on the official split (645 series, h=6) against the original M3 entries.

Scores our forecasts and the original M3 submissions shipped in ../shared/bench/m3
(relative to the repository root) with the same code (forecasts.score, M4 definitions).
Not part of the test run. Development happens on rolling origins (m3_rolling.py,
m3_folds.py): the official split is scored once per design, never tuned on.

Usage:  nice .venv/bin/python benchmarks/m3_accuracy.py [--models auto,theta,...] [--jobs 2]
        [--out benchmarks/m3_scores.csv]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import pandas as pd

import forecasts as F
from forecasts.metrics import mase_scale

#: The M3 competition files live beside the repository: ../shared/bench/m3 from its root.
M3 = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "m3"
H = 6
QUANTILES = (0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975)
ALL_MODELS = ("naive", "drift", "theta", "dotm", "ets_fast", "arima_fast", "ets", "arima",
              "prophet", "auto")


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    """History (timestamp <= origin) and test frame with the MASE scale per series."""
    if not (M3 / "M3_yearly_TSTS.csv").exists():
        raise SystemExit(f"M3 data not found in {M3.resolve()} (expected ../shared/bench/m3 "
                         "relative to the repository root)")
    full = pd.read_csv(M3 / "M3_yearly_TSTS.csv")
    full["timestamp"] = full["timestamp"].astype(int)
    fts = pd.read_csv(M3 / "M3_yearly_FTS.csv")
    origin = fts.groupby("series_id")["origin_timestamp"].first()
    full["origin"] = full["series_id"].map(origin)
    hist = full[full["timestamp"] <= full["origin"]]
    test = full[(full["timestamp"] > full["origin"]) & (full["timestamp"] <= full["origin"] + H)]
    scale = hist.groupby("series_id")["value"].apply(lambda s: mase_scale(s.to_numpy()))
    test = test.assign(mase_scale=test["series_id"].map(scale), cutoff=test["origin"])
    return hist, test[["series_id", "cutoff", "timestamp", "value", "mase_scale"]]


def scored(frame: pd.DataFrame, test: pd.DataFrame, label: str) -> pd.DataFrame:
    """Join forecasts to actuals and score them with forecasts.score."""
    bt = test.rename(columns={"value": "actual"}).merge(frame, on=["series_id", "timestamp"])
    if len(bt) != len(test):
        raise RuntimeError(f"{label}: {len(bt)} of {len(test)} test points have forecasts")
    bt["model"] = label
    return F.score(bt, id_cols=["series_id"])


def original_methods(test: pd.DataFrame) -> list[pd.DataFrame]:
    """Scores of the original M3 submissions (point) and R ETS/ARIMA intervals."""
    fts = pd.read_csv(M3 / "M3_yearly_FTS.csv")
    out = []
    for method, g in fts.groupby("method_id"):
        f = g.rename(columns={"forecast": "mean"})[["series_id", "timestamp", "mean"]]
        out.append(scored(f, test, f"M3 {method}"))
    pis = pd.read_csv(M3 / "M3_yearly_PIs_FTS.csv")
    for method, g in pis.groupby("method_id"):
        f = g.rename(columns={"forecast": "mean", "lo80": "q10", "hi80": "q90",
                              "lo90": "q05", "hi90": "q95"})
        out.append(scored(f[["series_id", "timestamp", "mean", "q05", "q10", "q90", "q95"]],
                          test, f"R {method} (forvision)"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--models", default=",".join(ALL_MODELS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--out", default="")
    ap.add_argument("--no-original", action="store_true")
    args = ap.parse_args()
    hist, test = load()
    rows = [] if args.no_original else original_methods(test)
    for name in args.models.split(";") if ";" in args.models else args.models.split(","):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", F.ForecastWarning)
            fc = F.forecast(hist, name, H, QUANTILES, id_cols=("series_id",),
                            time_col="timestamp", n_jobs=args.jobs, n_windows=args.windows)
        secs = time.perf_counter() - t0
        res = scored(fc.drop(columns=["model"]), test, name)
        res["seconds"] = round(secs, 1)
        rows.append(res)
        print(res.to_string(index=False, header=len(rows) == 1), flush=True)
    table = pd.concat(rows, ignore_index=True).sort_values("smape")
    cols = ["model", "smape", "mase", "coverage_80", "coverage_90", "coverage_95", "msis_95",
            "seconds"]
    table = table[[c for c in cols if c in table.columns]]
    pd.set_option("display.width", 200)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.out:
        table.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
