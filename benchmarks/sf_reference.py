"""statsforecast reference forecasts on the M3 rolling-origin folds (run in its own venv).

statsforecast is never a dependency of the project: this script runs with the
interpreter of a separate venv (``benchmarks/.refenv``, gitignored), created with::

    python3.11 -m venv benchmarks/.refenv
    benchmarks/.refenv/bin/pip install statsforecast==2.1.1

It writes one CSV per fold (series_id, timestamp, model, mean, q025, q10, q90, q975)
and a timing CSV (model, fold, seconds, series) into ``--out`` (a scratch folder that
m3_rolling.py passes and caches). Models: AutoETS, AutoTheta, DynamicOptimizedTheta,
RandomWalkWithDrift and (with ``--arima``) AutoARIMA, all ``season_length=1``, with
their own 80% and 95% intervals, each timed separately on one core after a warm-up
on 20 series (numba compilation not counted). A model that refuses a series (AutoETS on
fewer than about 8 points) is replaced by Naive for that series (statsforecast's
``fallback_model``).

Usage: benchmarks/.refenv/bin/python benchmarks/sf_reference.py --out DIR [--arima] [--data CSV]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from m3_folds import CUTS, fold, load_series


def models(arima: bool) -> dict[str, object]:
    from statsforecast.models import (
        AutoARIMA,
        AutoETS,
        AutoTheta,
        DynamicOptimizedTheta,
        RandomWalkWithDrift,
    )

    out: dict[str, object] = {
        "sf AutoETS": AutoETS(season_length=1),
        "sf AutoTheta": AutoTheta(season_length=1),
        "sf DynamicOptimizedTheta": DynamicOptimizedTheta(season_length=1),
        "sf RandomWalkWithDrift": RandomWalkWithDrift(),
    }
    if arima:
        out["sf AutoARIMA"] = AutoARIMA(season_length=1)
    return out


def run_one(label: str, model: object, df: pd.DataFrame, h: int) -> tuple[pd.DataFrame, float]:
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    # AutoETS refuses tiny series (fewer than about 8 points); those get Naive, as stated
    sf = StatsForecast(models=[model], freq=1, n_jobs=1, fallback_model=Naive())
    warm = df[df.unique_id.isin(df.unique_id.unique()[:20])]
    sf.forecast(df=warm, h=h, level=[80, 95])
    t0 = time.perf_counter()
    fc = sf.forecast(df=df, h=h, level=[80, 95])
    secs = time.perf_counter() - t0
    col = next(c for c in fc.columns if c not in ("unique_id", "ds") and "-lo-" not in c
           and "-hi-" not in c)
    out = pd.DataFrame({
        "series_id": fc["unique_id"], "timestamp": fc["ds"].astype(int), "model": label,
        "mean": fc[col], "q025": fc[f"{col}-lo-95"], "q10": fc[f"{col}-lo-80"],
        "q90": fc[f"{col}-hi-80"], "q975": fc[f"{col}-hi-95"],
    })
    return out, secs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--arima", action="store_true")
    ap.add_argument("--data", default="", help="a long CSV instead of M3 (heldout_panels.py)")
    ap.add_argument("--folds", default="fold18,fold12,fold6",
                    help=f"comma list of {', '.join(CUTS)}")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    full = load_series(args.data or None)
    timing = []
    for name in args.folds.split(","):
        hist, _ = fold(name, full)
        df = hist.rename(columns={"series_id": "unique_id", "timestamp": "ds", "value": "y"})[
            ["unique_id", "ds", "y"]]
        parts = []
        for label, model in models(args.arima).items():
            fc, secs = run_one(label, model, df, 6)
            parts.append(fc)
            timing.append({"model": label, "fold": name, "seconds": secs,
                           "series": df.unique_id.nunique()})
            print(f"{name} {label}: {secs:.1f} s", flush=True)
        pd.concat(parts).to_csv(out / f"sf_{name}.csv", index=False)
    pd.DataFrame(timing).to_csv(out / "sf_timing.csv", index=False)


if __name__ == "__main__":
    main()
