"""Checks of the parts of an output folder the report reads beyond their columns (`talent report` on a damaged
folder): a manifest part of the wrong shape, and stock rows without ids, with a fractional year or repeated.

Each damage is one `InputFileError` naming the file, the key or row, the value and the fix (re-run `talent
run`), instead of an internal error deep inside the report.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

from talent.config import YEAR_RANGE
from talent.errors import InputFileError, TalentWarning, shorten
from talent.io.read import read_output_table

STOCK_KEYS = ("region", "role", "level", "year")


def read_run_table(path: Path, folder: Path) -> pd.DataFrame:
    """A table under an output folder's `tables/` (`read_output_table`), refused when it ends in the middle of a
    line: a copy or a disk that cut it short. Its last row was read with the numbers it still had (a gap of
    20 for 2,031,450) and the report was written from it, silently."""
    table = read_output_table(path)  # first: missing, binary, not a table, columns missing or of text
    with path.open("rb") as f:
        size = f.seek(0, 2)
        f.seek(max(size - 4, 0))
        last = f.read(4).rstrip(b"\x00")[-1:]  # the last character of UTF-8, UTF-16 or UTF-32 text
    if size and last not in (b"\n", b"\r"):
        raise InputFileError(f"{path}: damaged: the file ends in the middle of a line (cut short after "
                             f"{size:,} bytes); re-run `talent run --out {folder}` to rewrite the output folder")
    _check_numbers(table, path, folder)
    return table


# numbers the report reads when a table has them (older runs lack some)
_NUMBERS = {"plan_duals": ("persons",), "plan_plan": ("industry_share", "graduates", "seat_years"),
            "plan_cost": ("industry", "central", "public", "industry_budget"),
            "coverage": ("trained_with_plan", "coverage_with_plan"), "plan_regions": ("cost",)}


def _check_numbers(table: pd.DataFrame, path: Path, folder: Path) -> None:
    """A year that is not one (inf, 2025.5, 1e300, text: an internal error, OverflowError, where the report made
    it a whole number) and text in a number column the report compares (persons of the duals)."""
    if "year" in table.columns:
        years = pd.to_numeric(table["year"], errors="coerce").astype(float)
        finite = years.abs() < math.inf
        for bad, what in ((finite & (years != years.round()), "not a whole year"),
                          ((table["year"].notna() & years.isna()) | (years.notna() & (
                              ~finite | ~years.between(*YEAR_RANGE))),
                           f"not a calendar year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}")):
            if bad.any():
                row = _first(bad)
                value = table["year"].iloc[row]
                raise _damaged(path, f"row {row + 2}, column 'year'", what,
                               value.item() if hasattr(value, "item") else value, folder)
    for col in [c for c in _NUMBERS.get(path.stem, ()) if c in table.columns]:
        bad = table[col].notna() & pd.to_numeric(table[col], errors="coerce").isna()
        if bad.any():
            row = _first(bad)
            raise _damaged(path, f"row {row + 2}, column '{col}'", "text where a number belongs",
                           table[col].iloc[row], folder)


def _damaged(path: Path, where: str, what: str, value: object, folder: Path) -> InputFileError:
    return InputFileError(f"{path}, {where}: damaged: {what} (value: {shorten(repr(value))}); "
                          f"re-run `talent run --out {folder}` to rewrite the output folder")


def manifest_numbers(manifest: Mapping[str, Any], path: Path, folder: Path, *keys: str) -> dict[str, float]:
    """The table of numbers at `keys` of a run manifest ({} when absent), e.g. plan.central_budget (year → money)."""
    table: Any = manifest
    for i, key in enumerate(keys):
        table = table.get(key, {}) if isinstance(table, Mapping) else table
        if not isinstance(table, Mapping):
            raise _damaged(path, f"key {'.'.join(keys[:i + 1])}", "must be an object", table, folder)
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _damaged(path, f"key {'.'.join(keys)}.{key}", "must be a number", value, folder)
    return {str(k): float(v) for k, v in table.items()}


def reconciled_parents(manifest: Mapping[str, Any], path: Path, folder: Path) -> dict[str, dict[str, Any]]:
    """calibration.reconciled.parents of a run manifest: parent → {provinces, cells_reconciled, cells_left}."""
    part: Any = manifest
    for key in ("calibration", "reconciled", "parents"):
        part = part.get(key, {}) if isinstance(part, Mapping) else part
    shapes = {"provinces": list, "cells_reconciled": int, "cells_left": list}
    if isinstance(part, Mapping) and all(
            isinstance(r, Mapping) and all(isinstance(r.get(k), t) for k, t in shapes.items()) for r in part.values()):
        return {str(k): dict(v) for k, v in part.items()}
    raise _damaged(path, "key calibration.reconciled.parents", "must map each country to its provinces, "
                   "cells_reconciled and cells_left", part, folder)


def _first(bad: pd.Series) -> int:
    return int(bad.to_numpy().argmax())


def check_stock_values(stock: pd.DataFrame, path: Path, folder: Path) -> None:
    """The numbers of stock rows are ones a run writes: finite; persons (demand, supply and their quantiles) not
    negative; a share of paths (p_shortage) from 0 to 1; a ratio not negative; a gap exactly where demand and
    supply both are (a run writes no demand or no supply for a series the data lacks, and then no gap)."""
    persons = [c for c in stock.columns if c.split("_")[0] in ("demand", "supply")]
    shares = {"p_shortage": (0.0, 1.0), "ratio": (0.0, math.inf)}
    for col in [c for c in stock.columns if c not in STOCK_KEYS and pd.api.types.is_numeric_dtype(stock[c])]:
        values = stock[col].astype(float)
        low, high = shares.get(col, (0.0 if col in persons else -math.inf, math.inf))
        for bad, what in ((values.abs() == math.inf, "not a finite number"),
                          (values < low, "a count of persons below 0" if col in persons else f"below {low:g}"),
                          (values > high, f"above {high:g}")):
            if bad.any():
                row = _first(bad)
                raise _damaged(path, f"row {row + 2}, column '{col}'", what, float(values.iloc[row]), folder)
    if {"demand", "supply", "gap"} <= set(stock.columns):
        for col in ("demand", "supply"):
            bad = stock[col].isna() & stock["gap"].notna()
            if bad.any():
                raise _damaged(path, f"row {_first(bad) + 2}, column '{col}'", "missing in a row that has a gap "
                               "(gap = demand - supply)", float("nan"), folder)
        differs = (stock["gap"] - (stock["demand"] - stock["supply"])).abs() > 0.5
        for bad, what in ((stock["gap"].isna() & stock["demand"].notna() & stock["supply"].notna(),
                           "missing where demand and supply are given"), (differs, "not demand - supply")):
            if bad.any():
                row = _first(bad)
                raise _damaged(path, f"row {row + 2}, column 'gap'", what, float(stock["gap"].iloc[row]), folder)


def check_stock(stock: pd.DataFrame, path: Path, folder: Path) -> None:
    """Every stock row has a region, role and level, a whole year, and its own (region, role, level, year)."""
    for col in STOCK_KEYS[:3]:
        blank = stock[col].isna() | (stock[col].astype(str).str.strip() == "")
        if blank.any():
            raise _damaged(path, f"row {blank.to_numpy().argmax() + 2}, column '{col}'", "an id is missing", "",
                           folder)
    fraction = stock["year"] != stock["year"].round()
    if fraction.any():
        row = int(fraction.to_numpy().argmax())
        year = float(stock["year"].iloc[row])
        raise _damaged(path, f"row {row + 2}, column 'year'", "not a whole year", year, folder)
    twice = stock.duplicated(list(STOCK_KEYS))
    if twice.any():
        row = int(twice.to_numpy().argmax())
        key = ", ".join(str(stock[c].iloc[row]) for c in STOCK_KEYS)
        raise _damaged(path, f"row {row + 2}", "a second row for the same region, role, level and year", key, folder)
    check_stock_values(stock, path, folder)


def report_year(manifest: Mapping[str, Any], stock: pd.DataFrame, path: Path, folder: Path) -> int:
    """The manifest's settings.forecast.until, checked to be a year of the stock table (the report is about it)."""
    year = int(manifest["settings"]["forecast"]["until"])
    if year not in set(stock["year"]):
        raise _damaged(path, "key settings.forecast.until", f"not a year of tables/stock.csv "
                       f"({int(stock['year'].min())}–{int(stock['year'].max())})", year, folder)
    return year


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text.split("+")[0].split("-")[0])[:3])


def warn_if_newer(manifest: Mapping[str, Any], path: Path) -> None:
    """A folder written by a newer talent may hold what this one does not read: say so (the report is still drawn)."""
    written = str(manifest.get("versions", {}).get("talent", ""))
    mine = version("talent")
    if _release(written) > _release(mine):
        warnings.warn(f"{path}: written by talent {shorten(written, 40)}, newer than this talent {mine}; the report "
                      "shows what this version knows. Fix: update talent, or re-run `talent run` with this one",
                      TalentWarning, stacklevel=2)


def check_region_rows(table: pd.DataFrame, path: Path, folder: Path, known: Mapping[str, str]) -> None:
    """A regional table's `region` column: every row a region of the run's stock table (`known`), each once;
    an empty, unknown or repeated region was an internal error (KeyError) in the report."""
    regions = table["region"].astype(str).where(table["region"].notna(), "")
    for bad, what in ((~regions.isin(list(known)), "not a region of the run's stock table"),
                      (regions.duplicated(), "a region given twice")):
        if bad.any():
            row = _first(bad)
            raise _damaged(path, f"row {row + 2}, column 'region'", what, table["region"].iloc[row], folder)
