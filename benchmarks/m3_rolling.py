"""Rolling-origin accuracy and coverage on M3 yearly, per fold and horizon band.

The protocol is in benchmarks/m3_folds.py (folds 18 and 12 years before each series'
end tune; the official split, 6 years before the end, is reported once). For each
fold this scores our models and the statsforecast references (AutoETS, AutoTheta,
DynamicOptimizedTheta, RandomWalkWithDrift; run by sf_reference.py in the separate
venv benchmarks/.refenv and cached in ``--cache``) with ``forecasts.score``: sMAPE,
MASE and the coverage of the 80% and 95% intervals, overall and per band (1–2, 3–4,
5–6 years ahead).

Generalisation checks on the same folds (a different *data set* each, not a tuning
target): ``--by category`` forecasts each M3 category (demographic, micro, ...) as its
own panel, so calibration and selection only see that kind of series; ``--last N``
keeps only the last N years of each history (short series, little evidence);
``--subsample K`` forecasts random panels of K series (small panels). ``--data FILE``
scores another yearly panel (written by heldout_panels.py) on the same origins.

Usage:  nice .venv/bin/python benchmarks/m3_rolling.py [--folds fold18,fold12]
        [--models auto,drift] [--by category] [--last 10] [--subsample 20]
        [--cache DIR] [--out scores.csv] [--data FILE]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import forecasts as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from m3_folds import BANDS, CUTS, TUNING, band_of, fold, load_series

HERE = Path(__file__).resolve().parent
REF_PY = HERE / ".refenv" / "bin" / "python"
QUANTILES = (0.025, 0.1, 0.5, 0.9, 0.975)


def score_bands(test: pd.DataFrame, fc: pd.DataFrame, label: str) -> pd.DataFrame:
    """sMAPE, MASE, coverage 80/95 overall ("all") and per horizon band, one row each."""
    cols = ["series_id", "timestamp", "mean", "q025", "q10", "q90", "q975"]
    bt = test.merge(fc[[c for c in cols if c in fc.columns]], on=["series_id", "timestamp"])
    if len(bt) != len(test):
        raise RuntimeError(f"{label}: {len(bt)} of {len(test)} test points have forecasts")
    bt["model"] = label
    bt["band"] = band_of(bt["horizon"])
    rows = []
    for band, part in [("all", bt), *((b, bt[bt["band"] == b]) for b in BANDS)]:
        s = F.score(part, id_cols=["series_id"]).iloc[0]
        rows.append({"model": label, "band": band, "smape": s["smape"], "mase": s["mase"],
                     "cov80": s.get("coverage_80", np.nan), "cov95": s.get("coverage_95", np.nan),
                     "msis95": s.get("msis_95", np.nan)})
    return pd.DataFrame(rows)


def panels(hist: pd.DataFrame, by: str, subsample: int, seed: int) -> list[pd.DataFrame]:
    """How the fold is split into separate forecast calls (separate 'data sets')."""
    if by == "category":
        return [g for _, g in hist.groupby("category")]
    if subsample:
        ids = np.asarray(hist["series_id"].unique(), dtype=object)
        rng = np.random.default_rng(seed)
        rng.shuffle(ids)
        return [hist[hist["series_id"].isin(ids[i : i + subsample])]
                for i in range(0, len(ids), subsample)]
    return [hist]


def ours(hist: pd.DataFrame, model: str, args: argparse.Namespace) -> tuple[pd.DataFrame, float]:
    """Our forecasts for every panel of the fold, and the seconds they took."""
    out, secs = [], 0.0
    for part in panels(hist, args.by, args.subsample, args.seed):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", F.ForecastWarning)
            fc = F.forecast(part.drop(columns=["category"]), model, 6, QUANTILES,
                            id_cols=("series_id",), time_col="timestamp", n_jobs=args.jobs,
                            n_windows=args.windows)
        secs += time.perf_counter() - t0
        out.append(fc)
    return pd.concat(out, ignore_index=True), secs


def reference(cache: Path, name: str, data: str = "") -> pd.DataFrame | None:
    """statsforecast forecasts of a fold (computed once in the separate venv, then cached;
    with `data`, in a sub-folder of the cache named after the file)."""
    if data:
        cache = cache / Path(data).stem
    path = cache / f"sf_{name}.csv"
    if not path.exists() and REF_PY.exists():
        extra = ["--data", str(Path(data).resolve())] if data else []
        subprocess.run([str(REF_PY), str(HERE / "sf_reference.py"), "--out", str(cache),
                        "--folds", name, "--arima", *extra], check=True, cwd=HERE.parent)
    return pd.read_csv(path) if path.exists() else None


def truncate(hist: pd.DataFrame, last: int) -> pd.DataFrame:
    """Keep only the last ``last`` years of each history (0 keeps everything)."""
    if not last:
        return hist
    pos = hist.groupby("series_id").cumcount(ascending=False)
    return hist[pos < last]


def run_fold(name: str, full: pd.DataFrame, args: argparse.Namespace) -> pd.DataFrame:
    hist, test = fold(name, full)
    hist = truncate(hist, args.last)
    rows = []
    for model in args.models.split(","):
        fc, secs = ours(hist, model, args)
        res = score_bands(test, fc, model)
        res["seconds"] = round(secs, 2)
        rows.append(res)
    ref = None if args.no_ref or args.last else reference(Path(args.cache), name, args.data)
    if ref is not None:
        for label, g in ref.groupby("model"):
            rows.append(score_bands(test, g, str(label)))
    table = pd.concat(rows, ignore_index=True)
    table.insert(0, "fold", name)
    table.insert(1, "series", test["series_id"].nunique())
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--folds", default=",".join(TUNING),
                    help=f"comma list of {', '.join(CUTS)} (fold6 is the official split)")
    ap.add_argument("--models", default="auto")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--by", default="", choices=["", "category"])
    ap.add_argument("--last", type=int, default=0)
    ap.add_argument("--subsample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "talent_m3_cache"))
    ap.add_argument("--no-ref", action="store_true")
    ap.add_argument("--data", default="", help="a long CSV instead of M3 (heldout_panels.py)")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    full = load_series(args.data or None)
    table = pd.concat([run_fold(f, full, args) for f in args.folds.split(",")],
                      ignore_index=True)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 500)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if args.out:
        table.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
