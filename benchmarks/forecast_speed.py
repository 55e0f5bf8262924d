"""Speed and memory of `forecasts.forecast` with intervals vs statsforecast, side by side.

Suite ``auto`` (the default): ``forecast(models="auto")`` at 1 and 2 jobs and on a Dask
LocalCluster, on M3 yearly and 20,000 synthetic series, against statsforecast
AutoETS + AutoTheta. Suite ``models``: the statsmodels-based ``ets`` and ``arima``
(with the engine's calibrated intervals, i.e. their inner backtest refits included) on
M3 yearly at 1 job, against statsforecast AutoETS and AutoARIMA alone.

Each measurement runs in a fresh subprocess (so peak memory is that run's own: the
maximum resident set of the process plus, separately, of its worker processes).
Timings cover the forecast call only (imports and data loading excluded; our first
call's statsmodels import is excluded by a warm-up forecast of 5 series); the
reference (statsforecast with 80/95% intervals, in the separate venv
benchmarks/.refenv) is warmed up on a small panel first so numba compilation is not
counted against it. Runs alternate ours / reference on the same machine.

Data: the M3 yearly files in ../shared/bench/m3 (relative to the repository root); the
CSV inputs of the runs are written to a temporary folder that is removed at the end.

Usage:  nice .venv/bin/python benchmarks/forecast_speed.py [--suite auto|models] [--repeats 3]
        [--big-repeats 1]
"""

from __future__ import annotations

import argparse
import inspect
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REF_PY = HERE / ".refenv" / "bin" / "python"
#: The M3 competition files live beside the repository: ../shared/bench/m3 from its root.
M3_DIR = ROOT / ".." / "shared" / "bench" / "m3"
M3 = M3_DIR / "M3_yearly_TSTS.csv"
FTS = M3_DIR / "M3_yearly_FTS.csv"
H = 6


def make_data(folder: Path) -> dict[str, Path]:
    """M3 yearly histories and a synthetic panel of 20,000 annual series, as CSV in `folder`."""
    if not M3.exists() or not FTS.exists():
        raise SystemExit(f"M3 data not found in {M3_DIR.resolve()} (expected ../shared/bench/m3 "
                         "relative to the repository root)")
    m3_path, syn_path = folder / "m3.csv", folder / "synthetic20k.csv"
    full = pd.read_csv(M3)
    origin = pd.read_csv(FTS).groupby("series_id")["origin_timestamp"].first()
    full["timestamp"] = full["timestamp"].astype(int)
    hist = full[full["timestamp"] <= full["series_id"].map(origin)]
    hist.rename(columns={"series_id": "unique_id", "timestamp": "ds", "value": "y"})[
        ["unique_id", "ds", "y"]].to_csv(m3_path, index=False)
    rng = np.random.default_rng(2026)
    parts = []
    for i in range(20_000):
        n = int(rng.integers(15, 41))
        level = rng.uniform(50, 5000)
        y = level * np.exp(np.cumsum(rng.normal(rng.normal(0.03, 0.03), 0.05, n)))
        parts.append(pd.DataFrame({"unique_id": f"S{i:05d}", "ds": np.arange(2024 - n, 2024),
                                   "y": np.round(y, 2)}))
    pd.concat(parts).to_csv(syn_path, index=False)
    return {"M3 yearly (645)": m3_path, "synthetic (20,000)": syn_path}


def one_ours(path: str, jobs: int, scheduler: str | None, model: str = "auto") -> None:
    """Child process: time one forecast with intervals; print JSON."""
    import warnings

    import forecasts as F

    df = pd.read_csv(path)
    run = lambda d: F.forecast(d, model, H, (0.025, 0.1, 0.5, 0.9, 0.975),  # noqa: E731
                               id_cols=("unique_id",), time_col="ds", target_col="y",
                               n_jobs=jobs, scheduler=scheduler)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        run(df[df.unique_id.isin(df.unique_id.unique()[:5])])  # warm-up: imports
        t0 = time.perf_counter()
        out = run(df)
    secs = time.perf_counter() - t0
    _emit(secs, out["unique_id"].nunique())


def peak_mb() -> float:
    """This process's own peak resident memory in MB.

    VmHWM from /proc (ru_maxrss survives exec on Linux, so a child of a big parent would
    report the parent's peak); ru_maxrss where /proc is missing.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _emit(secs: float, n: int) -> None:
    me = peak_mb()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": secs, "series": n, "rss_mb": me, "child_rss_mb": kids}))


REF_CODE = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, Naive
path, jobs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3].split("+")
df = pd.read_csv(path)
make = {"AutoETS": AutoETS, "AutoTheta": AutoTheta, "AutoARIMA": AutoARIMA}
# PEAK
def run(d):
    sf = StatsForecast(models=[make[n](season_length=1) for n in names], freq=1, n_jobs=jobs,
                       fallback_model=Naive())
    return sf.forecast(df=d, h=6, level=[80, 95])
run(df[df.unique_id.isin(df.unique_id.unique()[:20])])  # warm-up: numba compilation
t0 = time.perf_counter()
out = run(df)
secs = time.perf_counter() - t0
me = peak_mb()
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": secs, "series": int(out.unique_id.nunique()), "rss_mb": me,
                  "child_rss_mb": kids}))
""".replace("# PEAK", inspect.getsource(peak_mb))


def measure(cmd: list[str], repeats: int) -> dict[str, float]:
    """Median seconds / series per second / peak memory over ``repeats`` fresh processes."""
    runs = []
    for _ in range(repeats):
        res = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    secs = statistics.median(r["seconds"] for r in runs)
    return {"seconds": secs, "series_per_s": runs[0]["series"] / secs,
            "rss_mb": max(r["rss_mb"] for r in runs),
            "child_rss_mb": max(r["child_rss_mb"] for r in runs), "runs": len(runs),
            "all_seconds": [round(r["seconds"], 2) for r in runs]}


def measure_all(label: str, path: Path, reps: int) -> list[dict[str, object]]:
    """Suite auto: every configuration of ours (and the reference, if installed) on one file."""
    rows: list[dict[str, object]] = []
    configs = [("forecasts auto, 1 job", [str(path), "1", "-"]),
               ("forecasts auto, 2 jobs", [str(path), "2", "-"]),
               ("forecasts auto, Dask LocalCluster 2 workers", [str(path), "2", "local"])]
    for name, a in configs:
        r = measure([sys.executable, __file__, "--one", *a], reps)
        rows.append({"data": label, "run": name, **r})
        print(rows[-1], flush=True)
    if REF_PY.exists():
        for jobs in (1, 2):
            r = measure([str(REF_PY), "-c", REF_CODE, str(path), str(jobs), "AutoETS+AutoTheta"],
                        reps)
            rows.append({"data": label, "run": f"statsforecast AutoETS+AutoTheta, {jobs} "
                         f"job{'s' if jobs > 1 else ''}", **r})
            print(rows[-1], flush=True)
    return rows


def measure_models(label: str, path: Path, reps: int) -> list[dict[str, object]]:
    """Suite models: our statsmodels ets/arima and statsforecast AutoETS/AutoARIMA, 1 job,
    alternating (ours, reference) per model so both see the same machine load."""
    rows: list[dict[str, object]] = []
    for ours, ref in (("ets", "AutoETS"), ("arima", "AutoARIMA")):
        for run, cmd in ((f"forecasts {ours} (statsmodels), 1 job",
                          [sys.executable, __file__, "--one", str(path), "1", "-", ours]),
                         (f"statsforecast {ref}, 1 job",
                          [str(REF_PY), "-c", REF_CODE, str(path), "1", ref])):
            if cmd[0] == str(REF_PY) and not REF_PY.exists():
                continue
            r = measure(cmd, reps)
            r["ms_per_series"] = 1000 / r["series_per_s"]
            rows.append({"data": label, "run": run, **r})
            print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--suite", choices=["auto", "models"], default="auto")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--big-repeats", type=int, default=1)
    ap.add_argument("--one", nargs="+", metavar="PATH JOBS SCHEDULER [MODEL]")
    args = ap.parse_args()
    if args.one:
        path, jobs, sched, *model = args.one
        one_ours(path, int(jobs), None if sched == "-" else sched, *(model or ["auto"]))
        return
    with tempfile.TemporaryDirectory(prefix="forecast_speed_") as scratch:
        data = make_data(Path(scratch))
        if args.suite == "models":
            rows = measure_models("M3 yearly (645)", data["M3 yearly (645)"], args.repeats)
        else:
            rows = [row for label, path in data.items()
                    for row in measure_all(label, path, args.repeats if "M3" in label
                                           else args.big_repeats)]
    table = pd.DataFrame(rows)
    table.to_csv(HERE / f"forecast_speed_{args.suite}.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
