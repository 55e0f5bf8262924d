"""A/B time and peak memory of reading a wide plain series file, between two checkouts, side by side.

Why: `talent forecast` reads any yearly panel (`talent.io.plain`); an M4-sized sheet
(``Yearly-train.csv``: 23,000 series, a key and 835 position columns, mostly empty) is
the largest layout people bring. This times `read_table` + `plain_frame` on a synthetic
file of that shape (series lengths 13 + lognormal, median 29, three of 835 points; seed 1)
in fresh processes importing each checkout (its folder first on ``sys.path``; the child
checks which `talent` it imported; ``git worktree add DIR COMMIT`` makes the old one),
alternating A, B, A, B, ...; prints the medians of seconds and peak resident memory and
their ratios B / A. The file is written once to ``--file`` (default in the temp folder).

Usage:  nice .venv/bin/python benchmarks/plain_read_ab.py --a /tmp/old --b . [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD = r"""
import resource, sys, time, warnings
sys.path[:0] = [{checkout!r}]
import talent
assert talent.__file__.startswith({checkout!r}), talent.__file__
from talent.io.read import read_table
from talent.io import plain
warnings.simplefilter("ignore")
t = time.perf_counter()
raw = read_table({file!r})
raw = raw.apply(lambda c: c.str.strip() if c.dtype == object else c).replace("", float("nan"))
frame = plain.plain_frame(raw, plain.recognise(raw), {file!r})
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, len(frame))
"""


def write_m4_like(path: Path, n: int = 23_000, width: int = 835, seed: int = 1) -> None:
    """M4 Yearly-train.csv's shape: V1 the key, V2.. the values from each series' first year, the rest empty."""
    rng = np.random.default_rng(seed)
    lengths = np.minimum(13 + rng.lognormal(2.8, 0.6, n).astype(int), width)
    lengths[:3] = width
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow([f"V{i}" for i in range(1, width + 2)])
        for i, k in enumerate(lengths):
            values = np.round(1000 * np.cumprod(1 + rng.normal(0.03, 0.05, k)), 1)
            out.writerow([f"Y{i + 1}", *map(str, values), *[""] * (width - k)])


def one(checkout: Path, file: Path) -> tuple[float, float, int]:
    """Seconds, peak bytes and rows read in a fresh process importing `checkout`."""
    root = str(checkout.resolve())
    code = CHILD.format(checkout=root, file=str(file))
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=root), cwd=root,
                         check=True, capture_output=True, text=True)
    secs, peak, rows = out.stdout.split()
    return float(secs), float(peak), int(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", type=Path, required=True, help="checkout A (the reference)")
    ap.add_argument("--b", type=Path, required=True, help="checkout B")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--file", type=Path, default=Path(tempfile.gettempdir()) / "talent_m4_like.csv")
    args = ap.parse_args()
    if not args.file.exists():
        write_m4_like(args.file)
    runs: dict[str, list[tuple[float, float, int]]] = {"A": [], "B": []}
    for _ in range(args.repeats):
        for arm, checkout in (("A", args.a), ("B", args.b)):
            runs[arm].append(one(checkout, args.file))
    assert {r[2] for r in runs["A"]} == {r[2] for r in runs["B"]}, "the two checkouts read different rows"
    med = {arm: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs))
           for arm, rs in runs.items()}
    for arm in ("A", "B"):
        print(f"{arm}: {med[arm][0]:.2f} s, peak {med[arm][1] / 2**30:.2f} GiB (median of {args.repeats})")
    print(f"B / A: time {med['B'][0] / med['A'][0]:.2f}, peak memory {med['B'][1] / med['A'][1]:.2f}; "
          f"{runs['B'][0][2]:,} rows read")


if __name__ == "__main__":
    main()
