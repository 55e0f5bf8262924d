"""Where the column names of a series file are when the first row does not name the required columns: in a row
further down (under a title or group header), nowhere (the first row is data), or the years are the columns (a
wide table, one row per series)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from talent.errors import DataValidationError, Problem
from talent.io.table_rows import header_problem
from talent.taxonomy import Taxonomy

_YEAR_NAME = re.compile(r"(?:FY\s*)?(19[5-9]\d|20\d\d|2100)(?:\.0)?\s*年?", re.IGNORECASE)


def header_elsewhere(raw: pd.DataFrame, file: str, lines: Sequence[int], tax: Taxonomy,
                     required: Sequence[str]) -> None:
    """Raise the one problem that explains the missing required columns, when there is one."""
    _header_below(raw, file, lines, tax, required)
    _no_header(raw, file, tax, required)
    _wide(raw, file, tax)


def _header_below(raw: pd.DataFrame, file: str, lines: Sequence[int], tax: Taxonomy, required: Sequence[str],
                  rows: int = 20) -> None:
    """A header under title or group-header rows (a workbook's merged title, notes above the table) is named
    with its row instead of listing every required column as missing."""
    for i in range(min(rows, len(raw))):
        names = {tax.resolve("columns", str(v).strip()) for v in raw.iloc[i]}
        if set(required) <= names:
            raise DataValidationError([Problem(
                file, lines[i], None, None, f"the column names are in row {lines[i]}, not in the first "
                "row: the rows above them (a title, notes or a merged group header) are read as the header",
                f"delete the row(s) above row {lines[i]} so that the column names come first")])


def _no_header(raw: pd.DataFrame, file: str, tax: Taxonomy, required: Sequence[str]) -> None:
    """A first row that reads as data (a role and a kind among its cells) means the column names are missing."""
    names = [str(c).strip() for c in raw.columns]
    if any(tax.resolve("roles", n) for n in names) and any(tax.resolve("kinds", n) for n in names):
        raise DataValidationError([Problem(
            file, 1, None, ", ".join(names), "the first row is data, not the column names",
            "insert a first row with the column names: "
            + ",".join(c for c in ("region", "role", "level", "kind", "year", "value")
                       if c != "level" or len(names) > len(required)))])


def _wide(raw: pd.DataFrame, file: str, tax: Taxonomy) -> None:
    """Years as column names (2015, 2016, … or 2015年) and no year column: a wide table, refused with how to
    reshape it (it listed 'year' and 'value' as missing and the years as unrecognised columns)."""
    years = [str(c) for c in raw.columns if _YEAR_NAME.fullmatch(str(c).strip())]
    if len(years) < 2 or any(tax.resolve("columns", str(c).strip()) == "year" for c in raw.columns):
        return
    raise DataValidationError([header_problem(
        raw.attrs, file, years[0], f"the years are columns ({years[0]} to {years[-1]}, {len(years)} columns): a wide "
        "table, one row per series; series files are long tables, one row per series and year",
        "reshape it to the columns region, role, level, kind, year, value (Excel: Data > From Table, then "
        "'Unpivot Other Columns' on the years; pandas: DataFrame.melt), one row per year")])


_PERIOD = re.compile(r"quarters?|qtr|q|months?|period|季度|季|月|月份", re.IGNORECASE)


def sub_annual(raw: pd.DataFrame, mapping: dict[str, str], file: str) -> None:
    """A column of quarters or months beside the year, the years repeated within each series: one problem naming
    it (it was a 'duplicated key' problem per row, the quarter column never mentioned)."""
    period = next((str(c) for c in raw.columns if c not in mapping and _PERIOD.fullmatch(" ".join(str(c).split()))),
                  None)
    keys = [c for c, k in mapping.items() if k in ("region", "role", "level", "kind", "year")]
    if period is None or "year" not in mapping.values() or not raw.duplicated(subset=keys).any():
        return
    shown = [v for v in dict.fromkeys(raw[period].astype(str).str.strip()) if v][:4]
    raise DataValidationError([header_problem(
        raw.attrs, file, period, f"the column '{period}' divides the years ({', '.join(shown)}, …): a quarterly or "
        "monthly table; series files hold one value per series and year",
        "give one row per year: the year's average headcount or its year-end value (the sum, for a flow such as "
        f"graduates), and delete the column '{period}'")])


def _kinds_of(values: list[str], tax: Taxonomy) -> set[str]:
    """What a column's cells (a sample, non-empty) all look like: contract column names."""
    from talent.io.regions import region_code

    def number(v: str) -> float | None:
        try:
            return float(v.replace(",", "").replace(" ", ""))
        except ValueError:
            return None

    found = set()
    numbers = [number(v) for v in values]
    if values and all(n is not None for n in numbers):
        found.add("value")
        if all(n is not None and float(n).is_integer() and 1950 <= n <= 2100 for n in numbers):
            found.add("year")
    for column, section in (("role", "roles"), ("kind", "kinds"), ("level", "levels")):
        if values and all(tax.resolve(section, v) is not None for v in values):
            found.add(column)
    seen: dict[str, tuple[str | None, str]] = {}
    if values and "value" not in found and all(region_code(v, seen)[0] is not None for v in values):
        found.add("region")
    return found


_WHAT = {"value": "numbers", "year": "years", "role": "roles", "kind": "kinds (demand, supply)", "level": "levels",
         "region": "region codes"}


def swapped(raw: pd.DataFrame, mapping: dict[str, str], file: str, tax: Taxonomy) -> None:
    """Two columns whose names are swapped (the roles under 'value' and the numbers under 'role'): one problem
    naming both (it was a problem per row and column: 'unknown role (value: 1000)', 'value is not a number')."""
    looks = {}
    for header in mapping:
        cells = [str(v).strip() for v in raw[header].tolist()[:200]]
        looks[header] = _kinds_of([v for v in cells if v], tax)
    for first, a in mapping.items():
        for second, b in mapping.items():
            if first < second and b in looks[first] and a in looks[second] and (a not in looks[first]
                                                                                 or b not in looks[second]):
                raise DataValidationError([header_problem(
                    raw.attrs, file, first, f"the columns '{first}' and '{second}' seem swapped: '{first}' holds "
                    f"{_WHAT[b]} (value: {str(raw[first].iloc[0])!r}) and '{second}' holds {_WHAT[a]} (value: "
                    f"{str(raw[second].iloc[0])!r})", f"swap the names '{first}' and '{second}' in the header row")])


def levels_unread(raw: pd.DataFrame, mapping: dict[str, str], file: str, tax: Taxonomy) -> list[Problem]:
    """A column of levels under another name ('tier', '级别') or none (a blank header cell), when no column is
    named 'level': one problem naming it. Its levels were ignored without a word and every row read as all
    levels (a file of expert headcounts read as the total)."""
    if "level" in mapping.values() or not {"region", "role", "kind", "year", "value"} <= set(mapping.values()):
        return []  # with a required column missing, those problems (which list the unread columns) come first
    for header in [c for c in raw.columns if c not in mapping]:
        cells = [v for v in (str(v).strip() for v in raw[header].tolist()[:200]) if v]
        found = {tax.resolve("levels", v) for v in cells}
        if cells and None not in found and found - {"all"}:
            blank = " (its name is empty)" if re.fullmatch(r"column \d+", str(header)) else ""
            levels = ", ".join(sorted(str(f) for f in found))
            return [header_problem(
                raw.attrs, file, str(header), f"the column '{header}'{blank} holds levels ({levels}), but only a "
                "column named 'level' is read as the level: every row would be read as all levels",
                "name the column 'level' (or 层级)")]
    return []
