"""A/B timing of ``forecasts.forecast(models="auto")`` between two checkouts, side by side.

Why: a change to the engine is judged by the ratio of its time to the code before it,
measured on the same machine at the same time (machines here are shared and noisy).
Each run is a fresh process importing one checkout's engine (its folder first on
``sys.path`` and the working directory; the child checks which engine it imported; ``git
worktree add DIR COMMIT`` makes the old one); runs alternate A, B, A, B, ...; the medians and their
ratio B / A are printed. Data: M3 yearly (645 series, full histories) and a synthetic
panel (``--synthetic N`` geometric random walks with drift, 15–40 points, seed 0).
Imports, data generation and a warm-up forecast of 50 series are not timed.

Usage:  nice .venv/bin/python benchmarks/auto_speed_ab.py --a /tmp/old --b . [--repeats 3]
        [--synthetic 20000] [--jobs 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import sys, time, warnings
sys.path[:0] = [{checkout!r}, {bench!r}]  # the checkout's engine first (before the working directory)
import numpy as np, pandas as pd
import forecasts as F
assert F.__file__.startswith({checkout!r}), F.__file__
from m3_folds import load_series
warnings.simplefilter("ignore")
if {n} == 0:
    df = load_series().drop(columns=["category"])
else:
    rng = np.random.default_rng(0)
    parts = []
    for i in range({n}):
        L = int(rng.integers(15, 41))
        y = 100 * np.exp(np.cumsum(rng.normal(0.03, 0.08, L)))
        parts.append(pd.DataFrame({{"series_id": f"s{{i}}", "timestamp": np.arange(2000 - L, 2000), "value": y}}))
    df = pd.concat(parts)
kw = dict(id_cols=("series_id",), time_col="timestamp", n_jobs={jobs})
F.forecast(df[df.series_id.isin(df.series_id.unique()[:50])], "auto", 6, (0.1, 0.5, 0.9), **kw)
t = time.perf_counter()
F.forecast(df, "auto", 6, (0.1, 0.5, 0.9), **kw)
print(time.perf_counter() - t)
"""


def one(checkout: Path, n: int, jobs: int) -> float:
    """Seconds of one forecast call in a fresh process importing `checkout`'s engine."""
    root = str(checkout.resolve())
    env = dict(os.environ, PYTHONPATH=root)
    code = CHILD.format(checkout=root, bench=str(HERE), n=n, jobs=jobs)
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--a", required=True, help="checkout A (the reference, e.g. the code before)")
    ap.add_argument("--b", required=True, help="checkout B (the change)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--synthetic", type=int, default=20000)
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    for label, n in (("M3 yearly (645)", 0), (f"synthetic ({args.synthetic:,})", args.synthetic)):
        times: dict[str, list[float]] = {"A": [], "B": []}
        for _ in range(args.repeats):
            for key, path in (("A", args.a), ("B", args.b)):
                times[key].append(one(Path(path), n, args.jobs))
        a, b = statistics.median(times["A"]), statistics.median(times["B"])
        print(f"{label}, {args.jobs} job(s): A {a:.2f} s, B {b:.2f} s (medians of {args.repeats}); "
              f"ratio B/A {b / a:.2f}; A runs {[round(x, 2) for x in times['A']]}, "
              f"B runs {[round(x, 2) for x in times['B']]}", flush=True)


if __name__ == "__main__":
    main()
