"""Values a hundred times their series' year before: a typo (digits added or lost) or a change of unit.

A headcount that is 100 times or more the year before's (or a hundredth of it),
at 1,000 persons or more, is almost never real: `12000000` typed for `1200`, a
spreadsheet's formula dividing by 1,000, or the years before some date given in
thousands (`1.2`) and those after in persons (`1250`). Each is read as written
(it may be right) with one warning naming the rows, so a forecast and a gap a
thousand times too large do not pass without a word.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from talent.errors import TalentWarning

FACTOR = 100.0  # the smallest change from one year to the next named (the warning says "100 times")
FLOOR = 1000.0  # persons: the larger of the two values at least this (5 → 600 is a small series growing)
SERIES = ["region", "role", "level", "kind"]


def _shown(n: float) -> str:
    return f"{n:,.0f}" if n >= 100 or float(n).is_integer() else f"{n:,.4g}"


def unit_jumps(df: pd.DataFrame, rows: Sequence[int], file: str) -> None:
    """Warn once about every value 100 times or more (or a hundredth or less) its series' value the year before
    (`df`: the validated frame, `rows[i]` the file row of `df`'s i-th row)."""
    if len(df) < 2:
        return
    order = df.assign(_at=np.arange(len(df))).sort_values([*SERIES, "year"], kind="stable")
    same = (order[SERIES] == order[SERIES].shift()).all(axis=1) & (order["year"] == order["year"].shift() + 1)
    now, before = order["value"].to_numpy(float), order["value"].shift().to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.maximum(now, before) / np.minimum(now, before)
    flagged = same.to_numpy() & (now > 0) & (before > 0) & (ratio >= FACTOR) & (np.maximum(now, before) >= FLOOR)
    if not flagged.any():
        return
    hits = order[flagged]
    shown = []
    for (_, r), prev in list(zip(hits.iterrows(), before[flagged], strict=True))[:3]:
        key = "/".join(str(r[c]) for c in SERIES)
        shown.append(f"row {rows[int(r['_at'])]} ({key} {int(r['year'])}): {_shown(r['value'])} after "
                     f"{_shown(prev)} in {int(r['year']) - 1}")
    more = f" and {len(hits) - 3:,} more" if len(hits) > 3 else ""
    warnings.warn(f"{file}: a value is 100 times or more the year before's in its series, or a hundredth of it or "
                  f"less: {'; '.join(shown)}{more}; a typo (digits added or lost) or a change of unit (thousands "
                  "against persons)? They are read as written: check them, and write every value in persons",
                  TalentWarning, stacklevel=3)
