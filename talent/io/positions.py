"""Sheets of one row per series whose values are columns named by position, as competition files write them.

Why: the M1/M3 workbooks (``Series, N, NF, Category, Starting Year, …, 1, 2, 3, …``) and M4's
``Yearly-train.csv`` (``V1, V2, …``: a key, then the values) name their value columns by position,
not by year: each series starts in its own year. The values run from each series' first year on,
empty cells after its last.

* The value columns are the last run of columns named by consecutive positions (``1, 2, 3`` or
  ``V2, V3, V4``); the key is the columns before it (or `id_cols`). When every column is named
  by position (M4), the key is the leading columns that hold text (a key of numbers needs
  ``--id-cols``).
* A key column named as a start year (``Starting Year``, ``start_year``, ``起始年份``) gives
  each series' years: the start year at position 1. Without one the years are the positions
  1, 2, … themselves (and so are the forecast's).
"""

from __future__ import annotations

import re

import pandas as pd

#: A column named by its position: 'V2' (M4, R), 'X2', '2', '2.0' (not 'Q2' or 'M2': quarters and months).
_POSITION_NAME = re.compile(r"[VvXx]?_?(\d{1,3})(?:\.0)?")
#: Key columns read as the year of each series' first value (case, spaces and underscores ignored).
START_NAMES = ("startingyear", "startyear", "firstyear", "start", "起始年份", "起始年", "开始年份")
#: Fewest value columns for a sheet to read this way.
MIN_POSITIONS = 3


def position_columns(raw: pd.DataFrame, id_cols: tuple[str, ...] | None = None
                     ) -> tuple[tuple[str, ...], dict[object, int]] | None:
    """Keys and value columns (with their positions 1, 2, …) of a sheet read this way (module docstring);
    None when its columns are not named so."""
    numbers = [_position(c) for c in raw.columns]
    start = len(numbers)
    while start > 0 and numbers[start - 1] is not None and (
            start == len(numbers) or numbers[start - 1] == numbers[start] - 1):  # type: ignore[operator]
        start -= 1
    run = list(raw.columns[start:])
    if id_cols is None and start > 0 and all(n is not None for n in numbers[:start]):
        return None  # every column named by position, with a gap: not a layout of ours
    if id_cols is not None:
        keys = list(id_cols)
    elif start > 0:
        keys = [str(c) for c in raw.columns[:start]]
    else:
        keys = []
        for c in run:
            cells = raw[c].dropna().astype(str).str.strip()
            if not cells.empty and pd.to_numeric(cells, errors="coerce").notna().all():
                break
            keys.append(str(c))
    values = [c for c in run if c not in keys]
    if not keys or len(values) < MIN_POSITIONS:
        return None
    return tuple(keys), {c: i for i, c in enumerate(values, start=1)}


def start_column(keys: tuple[str, ...]) -> str | None:
    """The key column naming each series' first year, if any."""
    return next((k for k in keys if re.sub(r"[\s_]+", "", k).casefold() in START_NAMES), None)


def _position(name: object) -> int | None:
    found = _POSITION_NAME.fullmatch(str(name).strip())
    return int(found.group(1)) if found else None
