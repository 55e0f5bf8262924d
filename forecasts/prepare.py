"""Turn a long data frame into validated per-series numpy arrays.

Rules (documented in docs/forecasting.md):

* id columns: the default ``("region", "role", "level", "kind")`` keeps only the columns
  present; explicitly given id columns must all exist.
* years must be integers from -9999 to 9999 (not dates); a (series, year) pair may appear only once;
* values must be finite, >= 0 and at most 1e15 (headcounts; larger ones overflow the models);
  missing values and missing years *inside*
  a series' history are filled by linear interpolation (with a warning); missing values
  at the start or end are dropped (a late start or early end is allowed);
* a series with no observed value is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forecasts.errors import ForecastError, warn_grouped

DEFAULT_ID_COLS: tuple[str, ...] = ("region", "role", "level", "kind")
MAX_YEAR = 9999  # |year|: a year of 10**15 made the gap filling allocate petabytes
MAX_VALUE = 1e15  # larger values overflow the models' sums of squares (1e300 gave infinite forecasts)


@dataclass
class Panel:
    """A set of annual series: keys, first year and values (float arrays, no gaps)."""

    id_cols: tuple[str, ...]
    keys: list[tuple[object, ...]]
    start: np.ndarray  # first year per series (int64)
    values: list[np.ndarray] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)

    def label(self, i: int) -> str:
        """Readable id of series ``i`` for messages, e.g. ``region=CN, role=ai_chips``."""
        if not self.id_cols:
            return "(single series)"
        return ", ".join(f"{c}={v}" for c, v in zip(self.id_cols, self.keys[i], strict=True))

    def last_year(self, i: int) -> int:
        """Last observed year of series ``i``."""
        return int(self.start[i]) + len(self.values[i]) - 1


def resolve_id_cols(df: pd.DataFrame, id_cols: Sequence[str], used: Sequence[str] = ()) -> tuple[str, ...]:
    """Return the id columns to use. The defaults are filtered to those present; when none of them is, every
    column but the time and target columns (``used``) is a key, as in a plain panel (``series_id, year,
    value`` or statsforecast's ``unique_id, ds, y``): without it such a frame read as one series with
    every year many times."""
    cols = tuple(id_cols)
    if cols == DEFAULT_ID_COLS:
        present = tuple(c for c in cols if c in df.columns)
        return present or tuple(c for c in df.columns if c not in used)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ForecastError(
            f"id column(s) {missing} not in the data; columns are {list(df.columns)}"
        )
    return cols


def to_panel(
    df: pd.DataFrame,
    *,
    id_cols: Sequence[str],
    time_col: str,
    target_col: str,
) -> Panel:
    """Validate ``df`` and split it into one gap-free array per series."""
    if not isinstance(df, pd.DataFrame):
        raise ForecastError(f"expected a pandas DataFrame, got {type(df).__name__}")
    for col, what in ((time_col, "time"), (target_col, "target")):
        if col not in df.columns:
            raise ForecastError(
                f"{what} column {col!r} not in the data; columns are {list(df.columns)}"
            )
    ids = resolve_id_cols(df, id_cols, (time_col, target_col))
    if len(df) == 0:
        raise ForecastError("the data frame has no rows")
    _check_columns(df, ids, time_col, target_col)
    work = _numeric_frame(df, ids, time_col, target_col)
    try:
        _check_values(work, ids)
        return _assemble(work, ids)
    except TypeError as exc:  # a list or dict in an id cell cannot key a series
        raise ForecastError(f"id columns must hold text or numbers ({exc})") from exc


def _check_columns(df: pd.DataFrame, ids: tuple[str, ...], time_col: str, target_col: str) -> None:
    """Flat, unique column names; no dates or booleans where numbers belong; every id cell filled."""
    if isinstance(df.columns, pd.MultiIndex) or not df.columns.is_unique:
        repeated = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise ForecastError(
            f"column names must be unique and flat (one level); repeated: {repeated}"
            if repeated else "column names must be flat (one level), not a MultiIndex; join the levels"
        )
    time, target = df[time_col], df[target_col]
    if pd.api.types.is_datetime64_any_dtype(time) or isinstance(time.dtype, pd.PeriodDtype):
        raise ForecastError(  # as numbers they are nanoseconds or periods since 1970, not years
            f"time column {time_col!r} holds dates ({time.dtype}), not integer years; "
            f"give the calendar year, e.g. df[{time_col!r}].dt.year"
        )
    types = pd.api.types
    if (types.is_bool_dtype(target) or types.is_complex_dtype(target) or types.is_timedelta64_dtype(target)
            or types.is_datetime64_any_dtype(target) or isinstance(target.dtype, pd.PeriodDtype)):
        raise ForecastError(f"target column {target_col!r} must hold numbers, not {target.dtype} values")
    for c in ids:
        empty = df[c].isna()
        if empty.any():
            raise ForecastError(
                f"id column {c!r} is empty in {int(empty.sum())} row(s) (e.g. {time_col} "
                f"{df.loc[empty, time_col].iloc[0]}); fill it in or drop those rows"
            )


def _shown(value: object) -> str:
    """A cell for a message: text quoted, numbers as written (not ``np.int64(…)``)."""
    return repr(value) if isinstance(value, str) else str(value)


def _numeric_frame(
    df: pd.DataFrame, ids: tuple[str, ...], time_col: str, target_col: str
) -> pd.DataFrame:
    """Integer years ``_y``, float values ``_v`` and the id columns; refuses non-numbers."""
    years = pd.to_numeric(df[time_col], errors="coerce")
    bad = years.isna() | (years != np.round(years)) | (years.abs() > MAX_YEAR)
    if bad.any():
        row = df[bad].iloc[0]
        raise ForecastError(
            f"time column {time_col!r} must hold integer years from {-MAX_YEAR} to {MAX_YEAR}; "
            f"found {_shown(row[time_col])} ({int(bad.sum())} bad row(s))"
        )
    values = pd.to_numeric(df[target_col], errors="coerce")
    nonnum = values.isna() & df[target_col].notna()
    if nonnum.any():
        row = df[nonnum].iloc[0]
        raise ForecastError(
            f"target column {target_col!r} must be numeric; found {row[target_col]!r} "
            f"in year {row[time_col]}"
        )
    work = pd.DataFrame({"_y": years.astype("int64"), "_v": values.astype(float)})
    for c in ids:
        work[c] = df[c].to_numpy()
    return work


def _check_values(work: pd.DataFrame, ids: tuple[str, ...]) -> None:
    """Values finite and >= 0; at most one row per series and year."""
    bad = np.isinf(work["_v"]) | (work["_v"] < 0) | (work["_v"] > MAX_VALUE)
    if bad.any():
        row = work[bad].iloc[0]
        key = ", ".join(f"{c}={row[c]}" for c in ids) or "(single series)"
        more = f" ({int(bad.sum())} such values in all)" if bad.sum() > 1 else ""
        why = ("a negative value is usually a change, a balance or a typo" if row["_v"] < 0
               else "a value this large is usually a unit or a typo (persons are counted, not 万 or 千)")
        raise ForecastError(
            f"values must be finite, >= 0 and at most {MAX_VALUE:.0e}; series {key} has {row['_v']} "
            f"in year {row['_y']}{more}. Fix: correct that value: the engine forecasts counts of "
            f"0 to {MAX_VALUE:.0e}, and {why}"
        )
    dup = work.duplicated(subset=[*ids, "_y"], keep=False)
    if dup.any():
        row = work[dup].iloc[0]
        key = ", ".join(f"{c}={row[c]}" for c in ids) or "(single series)"
        raise ForecastError(
            f"series {key} has {int(dup.sum())} rows sharing a year (e.g. {row['_y']}); "
            "each series needs at most one value per year. Fix: keep one row per series and "
            "year, or name the column that tells the rows apart as a key column (id_cols; --id-cols in the CLI)"
        )


def _assemble(work: pd.DataFrame, ids: tuple[str, ...]) -> Panel:
    """One gap-free array per series: inner gaps interpolated, leading/trailing NaN dropped."""
    panel = Panel(id_cols=ids, keys=[], start=np.zeros(0, dtype=np.int64))
    starts: list[int] = []
    filled: list[str] = []
    empty: list[str] = []
    for key_t, yrs, vals in _split(work, ids):
        if len(vals) and not np.isnan(vals).any() and np.all(np.diff(yrs) == 1):
            panel.keys.append(key_t)  # the common case: complete and gap-free, no pandas
            starts.append(int(yrs[0]))
            panel.values.append(vals.astype(float))
            continue
        label = ", ".join(f"{c}={v}" for c, v in zip(ids, key_t, strict=True)) or "(single)"
        full, gaps = _fill(yrs, vals)
        if full is None:
            empty.append(label)
            continue
        if gaps:
            filled.append(f"{label} [{', '.join(map(str, gaps[:4]))}]")
        panel.keys.append(key_t)
        starts.append(int(full.index[0]))
        panel.values.append(full.to_numpy(dtype=float))
    if empty:
        raise ForecastError(
            f"{len(empty)} series have no observed value and cannot be forecast: "
            + "; ".join(empty[:5])
        )
    warn_grouped("missing years inside the history were filled by linear interpolation", filled)
    panel.start = np.asarray(starts, dtype=np.int64)
    return panel


def _fill(yrs: np.ndarray, vals: np.ndarray) -> tuple[pd.Series | None, list[int]]:
    """The observed span of one series with inner gaps interpolated, and the filled years.

    ``(None, [])`` when the series has no observed value at all.
    """
    s = pd.Series(vals, index=yrs)
    obs = s.dropna()
    if obs.empty:
        return None, []
    full = s.loc[obs.index[0] : obs.index[-1]]
    full = full.reindex(range(int(obs.index[0]), int(obs.index[-1]) + 1))
    gaps = [int(y) for y in full.index[full.isna()]]
    if gaps:
        full = full.interpolate(method="linear")
    return full, gaps


def _split(
    work: pd.DataFrame, ids: tuple[str, ...]
) -> list[tuple[tuple[object, ...], np.ndarray, np.ndarray]]:
    """(key, sorted years, values) per series, in sorted key order.

    One sort of the whole frame instead of one pandas group object per series: with
    20,000 series the per-group overhead used to dominate the validation step.
    """
    years = work["_y"].to_numpy()
    vals = work["_v"].to_numpy(dtype=float)
    if not ids:
        order = np.argsort(years, kind="stable")
        return [((), years[order], vals[order])]
    grouped = work.groupby(list(ids), sort=True, dropna=False)
    codes = grouped.ngroup().to_numpy()
    keys: list[Any] = grouped.size().index.tolist()
    order = np.lexsort((years, codes))
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    parts = np.split(order, bounds)
    return [(tuple(k) if len(ids) > 1 else (k,), years[idx], vals[idx])
            for k, idx in zip(keys, parts, strict=True)]
