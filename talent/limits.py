"""Resource bounds, checked before anything is allocated.

A request that would need more memory than the limit stops with a
`ResourceLimitError` stating what it would need and the limit, instead of
failing halfway with "Unable to allocate 74.5 GiB" or being killed by the
operating system.

- `MAX_HORIZON` years ahead, `MAX_PATHS` simulated paths, `MAX_JOBS` worker
  processes: plain bounds, checked by the settings schema and the commands.
- Memory: simulating paths holds about `BYTES_PER_POINT` bytes per series ×
  year × path (measured: about 130 for the paths, plus the totals built from
  them); the forecast engine's error correlation matrix holds 8 × horizon²
  bytes. The limit is half the machine's memory, at most 8 GiB, or
  `TALENT_MEMORY_LIMIT` (e.g. `16GiB`, `500MB` or a number of bytes).
"""

from __future__ import annotations

import os
import re

from talent.errors import ResourceLimitError

MAX_HORIZON = 100
MAX_PATHS = 1_000_000
MAX_JOBS = 256
MAX_WINDOWS = 100  # backtest windows and years between them: more than a series of 1950–2100 has
MAX_HEADCOUNT = 10**10  # persons: more than live on Earth; larger values are typos or the wrong unit
MAX_TABLE_BYTES = 512 * 2**20  # an input table file
TABLE_EXPANSION = {"text": 25, "workbook": 150}  # memory per byte of a file once read as a table of text cells
MAX_TOML_BYTES = 8 * 2**20  # a settings, taxonomy or planning file
MAX_COLUMNS = 16_384  # columns of an input table: as many as a spreadsheet holds (parsing slows down past it)
BYTES_PER_SHEET_CELL = 400  # a workbook cell once read (measured: 6 million cells took 2 GB)
BYTES_PER_POINT = 200
BYTES_PER_FORECAST_ROW = 400  # a row of forecasts: keys, year, mean, quantiles, model, score, reason
_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def human_bytes(n: float) -> str:
    """1.5 * 2**30 -> '1.5 GiB'."""
    for unit, size in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n:,.0f} bytes"


def memory_limit() -> int:
    """Bytes a request may use: `TALENT_MEMORY_LIMIT` if set, else half the machine's memory, at most 8 GiB."""
    text = os.environ.get("TALENT_MEMORY_LIMIT", "").strip()
    if text:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?", text, flags=re.IGNORECASE)
        if m is None:
            raise ResourceLimitError(f"TALENT_MEMORY_LIMIT={text!r} is not a size; "
                                     "write e.g. 8GiB, 500MB or 2000000000")
        return int(float(m.group(1)) * _UNITS[(m.group(2) or "").upper()])
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not available on this system
        physical = 16 * 2**30
    return int(min(physical // 2, 8 * 2**30))


def check_horizon(h: int, what: str = "the forecast horizon", n_series: int = 1) -> None:
    """1 ≤ h ≤ MAX_HORIZON years; `what` names the request in the message."""
    if h < 1:
        raise ResourceLimitError(f"{what} is {h} years ahead; it must be at least 1 year")
    if h > MAX_HORIZON:
        need = _horizon_bytes(h) + float(n_series) * h * BYTES_PER_FORECAST_ROW
        raise ResourceLimitError(
            f"{what} is {h:,} years ahead, above the limit of {MAX_HORIZON} years; it would need about "
            f"{human_bytes(need)} of memory (the memory limit is {human_bytes(memory_limit())}). "
            f"Fix: forecast at most {MAX_HORIZON} years ahead")


def _horizon_bytes(h: int) -> float:
    return 3 * 8.0 * h * h + 8.0 * 2000 * h  # correlation matrix, its Cholesky factor, the quantile grid


def _check_memory(need: float, request: str, fix: str) -> None:
    limit = memory_limit()
    if need > limit:
        raise ResourceLimitError(f"{request} would need about {human_bytes(need)} of memory; the limit is "
                                 f"{human_bytes(limit)} (TALENT_MEMORY_LIMIT). Fix: {fix}")


def paths_problem(n_paths: int) -> str | None:
    """Why `n_paths` is out of bounds (with the memory it would need), or None."""
    if n_paths < 1:
        return f"{n_paths:,} simulated paths: at least 1 is needed"
    if n_paths > MAX_PATHS:
        return (f"{n_paths:,} simulated paths are above the limit of {MAX_PATHS:,}; they would need at least "
                f"{human_bytes(n_paths * BYTES_PER_POINT)} of memory for each series and year (the memory limit "
                f"is {human_bytes(memory_limit())})")
    return None


def check_simulation(n_series: int, h: int, n_paths: int, what: str = "the forecast horizon") -> None:
    """Paths to simulate fit in memory: series × years × paths × `BYTES_PER_POINT`."""
    check_horizon(h, what, n_series)
    problem = paths_problem(n_paths)
    if problem is not None:
        raise ResourceLimitError(f"{problem}. Fix: use 1 to {MAX_PATHS:,} paths (1,000 is usually enough)")
    need = float(n_series) * h * n_paths * BYTES_PER_POINT + _horizon_bytes(h)
    most = max(int(memory_limit() / max(n_series * h * BYTES_PER_POINT, 1)), 0)
    _check_memory(need, f"simulating {n_paths:,} paths of {n_series:,} series over {h} years",
                  f"use at most {min(most, MAX_PATHS):,} paths (1,000 is usually enough), fewer years or fewer series")


def check_forecast(n_series: int, h: int, what: str = "the forecast horizon") -> None:
    """Forecast rows (series × years) and the error correlations fit in memory."""
    check_horizon(h, what, n_series)
    need = float(n_series) * h * BYTES_PER_FORECAST_ROW + _horizon_bytes(h)
    _check_memory(need, f"forecasting {n_series:,} series {h} years ahead", "forecast fewer years or fewer series")


def check_table(path: object, size: int, kind: str = "text") -> None:
    """A table file of `size` bytes, read as text cells, fits in memory."""
    need = float(size) * TABLE_EXPANSION[kind]
    _check_memory(need, f"reading {path} ({human_bytes(size)}) as a table",
                  "split the file, or keep only the rows and columns of the data contract")


def check_sheet(path: object, rows: int, columns: int, farthest: str) -> None:
    """A sheet whose cells with a value span `rows` × `columns` (reading pads every row to full width) fits."""
    need = float(rows) * columns * BYTES_PER_SHEET_CELL
    _check_memory(need, f"reading {path}: its cells with a value span {rows:,} rows × {columns:,} columns (A1 to "
                  f"{farthest})", "delete the cells far below or to the right of the table (Ctrl+End in a "
                  "spreadsheet goes to the last one), or save the table as CSV")


def check_jobs(jobs: int, option: str = "--jobs") -> None:
    """-1 (all cores) or 1 … MAX_JOBS worker processes."""
    if jobs != -1 and not 1 <= jobs <= MAX_JOBS:
        raise ResourceLimitError(f"{option} {jobs}: use 1 to {MAX_JOBS} worker processes, or -1 for all cores")
