"""The development protocol: rolling-origin folds of M3 yearly, and per-band scoring.

Every M3 yearly series (645, 20–47 years) is cut ``k`` years before its end for
``k`` in 18, 12 and 6; the next 6 years are the fold's test years. A series enters a
fold only when at least ``MIN_TRAIN`` (6) years remain before the cut.

* ``fold18`` and ``fold12`` are the **tuning folds**: every design choice of the engine
  (members of ``auto``, the selection rule, the calibration blend) and the reference
  error table (``benchmarks/build_reference_errors.py``) may look at them;
* ``fold6`` is the **official M3 split** (the competition's own origin, 6 years before
  the end); it is scored once, after the design is frozen, and never tuned on;
* ``fold14``, ``fold16``, ``fold20``, ``fold22``, ``fold24`` are **extra tuning origins**
  in the same region (their test years end at least 9 years before each series' end, so
  they never touch the official test years): more periods for robustness checks, because
  M3 series are aligned in calendar time and each fold is also one period.

Scores use ``forecasts.score`` (M4 definitions) overall and per horizon band
(1–2, 3–4, 5–6). Shared by m3_rolling.py, build_reference_errors.py and sf_reference.py
(the last runs in the separate statsforecast venv, so this module imports only pandas
and numpy at the top).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: The M3 competition files live beside the repository: ../shared/bench/m3 from its root.
M3 = Path(__file__).resolve().parents[1] / ".." / "shared" / "bench" / "m3"
H = 6
MIN_TRAIN = 6
CUTS = {"fold24": 24, "fold22": 22, "fold20": 20, "fold18": 18, "fold16": 16, "fold14": 14,
        "fold12": 12, "fold6": 6}
TUNING = ("fold18", "fold12")
#: More tuning origins (never the official test years): the rolling-origin robustness check.
EXTRA = ("fold24", "fold22", "fold20", "fold16", "fold14")
OFFICIAL = "fold6"
BANDS = {"h1-2": (1, 2), "h3-4": (3, 4), "h5-6": (5, 6)}


def load_series(data: str | Path | None = None) -> pd.DataFrame:
    """All M3 yearly series (or the long CSV `data`, e.g. from heldout_panels.py), long:
    series_id, category, timestamp, value."""
    path = Path(data) if data else M3 / "M3_yearly_TSTS.csv"
    if data and not path.exists():
        raise SystemExit(f"{path} not found (write it with benchmarks/heldout_panels.py)")
    if not path.exists():
        raise SystemExit(f"M3 data not found in {M3.resolve()} (expected ../shared/bench/m3 "
                         "relative to the repository root)")
    full = pd.read_csv(path)
    full["timestamp"] = full["timestamp"].astype(int)
    return full.sort_values(["series_id", "timestamp"]).reset_index(drop=True)


def fold(name: str, full: pd.DataFrame | None = None, h: int = H) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(history, test) of one fold.

    history: series_id, category, timestamp, value (years before the cut);
    test: series_id, category, cutoff, timestamp, horizon, actual, mase_scale.
    """
    full = load_series() if full is None else full
    cut = CUTS[name]
    pos = full.groupby("series_id").cumcount()
    n = full.groupby("series_id")["timestamp"].transform("size")
    t = n - cut  # training length
    keep = t >= MIN_TRAIN
    hist = full[keep & (pos < t)].copy()
    test = full[keep & (pos >= t) & (pos < t + min(h, cut))].copy()
    scale = hist.groupby("series_id")["value"].apply(lambda s: float(np.mean(np.abs(np.diff(
        s.to_numpy())))))
    cutoff = hist.groupby("series_id")["timestamp"].max()
    test["cutoff"] = test["series_id"].map(cutoff)
    test["horizon"] = test["timestamp"] - test["cutoff"]
    test["mase_scale"] = test["series_id"].map(scale)
    test = test.rename(columns={"value": "actual"})
    return (hist[["series_id", "category", "timestamp", "value"]].reset_index(drop=True),
            test[["series_id", "category", "cutoff", "timestamp", "horizon", "actual",
                  "mase_scale"]].reset_index(drop=True))


def band_of(horizon: pd.Series) -> pd.Series:
    """Horizon band label (h1-2, h3-4, h5-6) of each horizon."""
    out = pd.Series("", index=horizon.index, dtype=object)
    for label, (lo, hi) in BANDS.items():
        out[(horizon >= lo) & (horizon <= hi)] = label
    return out
