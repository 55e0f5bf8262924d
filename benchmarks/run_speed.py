"""Wall time of `talent run` on a data file: this tree against a reference commit, side by side.

Why: the machine is shared and noisy, so a speed-up is stated as the ratio of medians of runs
taken in alternation (reference, current, reference, …) on the same machine, each run a fresh
process. The reference commit is checked out into a temporary git worktree and run with this
tree's virtual environment (the same dependencies), its own source first on the path.

    nice .venv/bin/python benchmarks/run_speed.py --ref 175dc87 \\
        --data talent/assets/cn_regional_example.csv --repeats 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(tree: Path, data: Path, out: Path) -> float:
    """Seconds of one `talent run --no-store` of `data` with the sources of `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-m", "talent", "run", "--data", str(data), "--out", str(out), "--no-store"]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=tree, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", required=True, help="reference commit")
    ap.add_argument("--data", default="talent/assets/cn_regional_example.csv")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    data = (ROOT / a.data).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "ref"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(ref), a.ref], cwd=ROOT, check=True)
        try:
            times: dict[str, list[float]] = {"reference": [], "current": []}
            for i in range(a.repeats):
                for name, tree in (("reference", ref), ("current", ROOT)):
                    times[name].append(one_run(tree, data, Path(tmp) / f"{name}{i}"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(ref)], cwd=ROOT, check=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"`talent run --data {a.data} --no-store`, {a.repeats} alternating fresh-process runs each, "
          f"load average {os.getloadavg()[0]:.2f} at the end")
    for k, v in times.items():
        print(f"- {k}: median {med[k]:.1f} s ({', '.join(f'{x:.1f}' for x in v)})")
    print(f"- ratio current / reference: {med['current'] / med['reference']:.2f}")


if __name__ == "__main__":
    main()
