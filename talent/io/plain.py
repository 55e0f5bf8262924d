"""Plain series files: any yearly panel outside the data contract, for `talent forecast` and `talent backtest`.

Why: forecasting needs only a key, a year and a value, and the files people bring rarely
carry our region, role and kind columns: statsforecast's long layout (``unique_id``,
``ds``, ``y``), a ``series_id, year, value`` export, or a sheet with one row per series
and the years as columns. Such a file is recognised by its column names when it has none
of the contract's key columns (`recognise`), or named with ``--id-cols``, ``--time-col``
and ``--target-col``. Either way `plain_frame` turns it into one long frame of whole
years:

* a wide sheet is melted (empty cells are missing years, not zeros);
* a sheet whose value columns are named by position (``1, 2, 3`` after ``Starting Year`` as
  the M1/M3 workbooks, ``V1, V2, …`` as M4's files) is melted too (`talent.io.positions`):
  its years count from the start-year column, else they are the positions 1, 2, …;
* a time column of dates (``1990-12-31``, ``1990-01-01``, a date-typed cell) is read as
  the calendar year of each date when every series has at most one date per year;
  several dates in one year of a series (quarterly or monthly data) are refused, naming
  the file, row, series and dates: which yearly figure they make (a sum, a mean, the
  last) is the user's call;
* values are read as a series file's are (`talent.io.numbers`: one decimal convention
  per file, thousands separators, ``1,5`` in a semicolon file); an empty cell or a
  missing marker (``NA``, ``-``, ``..``) is a missing year, which the engine fills inside
  a history with a warning; ``12%`` is 0.12; other text is refused naming its row.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from talent.errors import DataValidationError, Problem, TalentWarning, shorten
from talent.io.numbers import Reading, read_column, unit_hint
from talent.io.positions import position_columns, start_column
from talent.io.read import line_numbers
from talent.io.sheets import unsaved_formulas
from talent.io.table_rows import resolve_header, row_unit
from talent.io.years import DATE, GROUPED, serial_hint, year_problem, year_text
from talent.taxonomy import Taxonomy

#: Column names read as the key, the year and the value of a plain file (case and spaces ignored).
TIME_NAMES = ("year", "ds", "date", "time", "timestamp", "period", "年份", "年度", "年")
VALUE_NAMES = ("value", "y", "target", "values", "obs", "数值", "值")
#: A column named by a year: '1990', '1990.0', '1990年', 'Y1990', 'X1990' (as R writes it).
_YEAR_NAME = re.compile(r"[YyXx]?(\d{4})(?:\.0+)?\s*(?:年)?")
#: A column named by the first or last day of a year: a workbook's header of dates ('2015-01-01 00:00:00').
_YEAR_DATE = re.compile(r"(\d{4})-(?:01-01|12-31)(?:[ T]00:00:00)?")
#: The largest |year| the engine takes (`forecasts.prepare.MAX_YEAR`; a test checks they agree).
MAX_YEAR = 9999
_NIAN = re.compile(r"(?<=\d)\s*年$")  # '2015年': the year
_CELL = "\x00cell"  # the melted frame's column naming each value's column in the file (dropped after reading)
#: Fewest year-named columns for a sheet to read as wide (one row per series).
MIN_YEAR_COLUMNS = 3
#: Years a column name may be (a plain file may be history: the Nile's flow from 1871).
NAME_YEARS = (1000, 2100)


@dataclass(frozen=True)
class Layout:
    """How a plain file is read: its key columns, year column and value column, and whether it is wide."""

    id_cols: tuple[str, ...]
    time_col: str
    target_col: str
    wide: bool = False
    positions: bool = False  # wide, the columns named by position (V2, V3, …): years are positions 1, 2, …

    def describe(self) -> str:
        keys = ", ".join(self.id_cols) or "none"
        if self.positions and (start := start_column(self.id_cols)) is not None:
            return f"one row per series (key: {keys}), its values by position from the year in '{start}'"
        if self.positions:
            return (f"one row per series (key: {keys}), its values by position with no years: the years are "
                    "the positions 1, 2, … of the value columns, and the forecast's years are positions too")
        if self.wide:
            return f"one row per series (key: {keys}), the years as columns"
        return f"key: {keys}; year: {self.time_col}; value: {self.target_col}"


def _norm(name: object) -> str:
    return re.sub(r"\s+", "", str(name)).lower()


def year_columns(columns: Sequence[object]) -> dict[object, int]:
    """Columns named by a plausible year, with that year."""
    out = {}
    for c in columns:
        found = _YEAR_NAME.fullmatch(str(c).strip()) or _YEAR_DATE.fullmatch(str(c).strip())
        if found and NAME_YEARS[0] <= int(found.group(1)) <= NAME_YEARS[1]:
            out[c] = int(found.group(1))
    return out


def outside_contract(raw: pd.DataFrame, tax: Taxonomy) -> bool:
    """True when no column of `raw` is named as the contract's region, role or kind column (its ids, labels or
    aliases; a misspelling does not count: that file is ours, misspelt)."""
    return not {resolve_header(tax, str(c))[0] for c in raw.columns} & {"region", "role", "kind"}


def recognise(raw: pd.DataFrame) -> Layout | None:
    """The layout of a plain file from its column names, or None when they do not say it."""
    years = year_columns(list(raw.columns))
    if len(years) >= MIN_YEAR_COLUMNS:
        return Layout(tuple(c for c in raw.columns if c not in years), "year", "value", wide=True)
    if (by_position := position_columns(raw)) is not None:
        return Layout(by_position[0], "year", "value", wide=True, positions=True)
    names = {_norm(c): c for c in raw.columns}
    time = next((names[n] for n in TIME_NAMES if n in names), None)
    value = next((names[n] for n in VALUE_NAMES if n in names), None)
    if time is None or value is None:
        return None
    return Layout(tuple(c for c in raw.columns if c not in (time, value)), str(time), str(value))


def layout_of(raw: pd.DataFrame, id_cols: tuple[str, ...] | None, time_col: str | None,
              target_col: str | None) -> Layout:
    """The layout the options name (`None`: not given): wide when the year column is not there but
    years are column names; otherwise long, the key being every other column unless named."""
    time, value = time_col or "year", target_col or "value"
    years = year_columns(list(raw.columns))
    if time not in raw.columns and target_col is None and len(years) < MIN_YEAR_COLUMNS and (
            by_position := position_columns(raw, id_cols)) is not None:
        return Layout(by_position[0], "year", "value", wide=True, positions=True)
    if time not in raw.columns and target_col is None and len(years) >= MIN_YEAR_COLUMNS:
        keys = id_cols if id_cols is not None else tuple(c for c in raw.columns if c not in years)
        return Layout(tuple(keys), "year", "value", wide=True)
    keys = id_cols if id_cols is not None else tuple(c for c in raw.columns if c not in (time, value))
    return Layout(tuple(keys), time, value)


def plain_frame(raw: pd.DataFrame, layout: Layout, file: str) -> pd.DataFrame:
    """The long frame of `raw` read with `layout`: key columns, year (whole years), value (as written)."""
    read = list(raw.columns) if layout.wide else [c for c in raw.columns if c in (
        *layout.id_cols, layout.time_col, layout.target_col)]
    unsaved_formulas(file, raw[read], raw.attrs)  # formulas saved without results: one error, the fix
    if layout.wide:
        raw = _melt(raw, layout, file)
    if layout.time_col not in raw.columns:
        return raw  # the engine names the missing column and lists those there are
    out = raw.drop(columns=[_CELL], errors="ignore")
    years, problems, headers = _years(raw, layout, file)
    out[layout.time_col] = years
    problems += _twice(raw, layout, years, file) + _empty_keys(raw, layout, file)
    if layout.target_col in raw.columns:
        values, wrong = _values(raw, layout.target_col, file, headers)
        out[layout.target_col] = values
        problems += wrong
    if problems:
        problems = [replace(p, unit=row_unit(raw.attrs)) for p in problems]
        raise DataValidationError(sorted(problems, key=lambda p: p.row or 0))
    return out


#: Cells that say a value is missing (compared without case): read as a missing year.
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-", "–", "—", "..", "...", "…", "#n/a"})


def _values(raw: pd.DataFrame, col: str, file: str, skip: set[int]) -> tuple[list[float], list[Problem]]:
    """The value column as numbers (module docstring); '12%' (typed, or a workbook's percentage cell) is 0.12: a
    plain series may be a share, unlike a headcount."""
    texts = ["" if pd.isna(v) else str(v).strip() for v in raw[col]]
    missing = [t.casefold() in MISSING or i in skip for i, t in enumerate(texts)]
    share = [t.endswith("%") for t in texts]
    kept = [t.removesuffix("%").strip() for t, m in zip(texts, missing, strict=True) if not m]
    readings, mark = read_column(kept, raw.attrs.get("separator"))
    values, problems, given = [], [], iter(readings)
    cells = raw[_CELL] if _CELL in raw.columns else pd.Series(col, index=raw.index)  # a wide sheet's: its year
    for row, text, gap, pct, cell in zip(line_numbers(raw), texts, missing, share, cells, strict=True):
        reading = Reading(math.nan) if gap else next(given)
        if pct and math.isfinite(reading.value):
            reading = Reading(reading.value / 100)
        if not gap and (reading.problem is not None or not math.isfinite(reading.value)):
            why, fix = (reading.problem, reading.fix or "") if reading.problem else unit_hint(text, mark, "the value") \
                or ("value is not a number", "")  # an Excel error (#DIV/0!), a formula's text, a unit…
            problems.append(Problem(file, row, cell, shorten(text), why,
                                    fix or "write digits only (a missing year may be left empty)"))
        values.append(reading.value)
    return values, problems


def _melt(raw: pd.DataFrame, layout: Layout, file: str) -> pd.DataFrame:
    """One row per filled cell of the value columns, by row then year (the empty cells are never made into rows:
    an M4-sized sheet is 19 million cells, most of them empty)."""
    by_position = position_columns(raw, layout.id_cols) if layout.positions else None
    years = by_position[1] if by_position else year_columns([c for c in raw.columns if c not in layout.id_cols])
    lines = np.asarray(line_numbers(raw))
    first = (_start_years(raw, layout, file, pd.Series(lines, index=raw.index)).to_numpy() if by_position
             else np.zeros(len(raw), dtype=np.int64))
    cells = raw[list(years)].to_numpy(dtype=object)
    filled = pd.notna(cells)
    filled[filled] = [str(v).strip() != "" for v in cells[filled]]
    at, col = np.nonzero(filled)
    long = pd.DataFrame({k: raw[k].to_numpy()[at] for k in layout.id_cols})
    long[layout.time_col] = np.fromiter(years.values(), dtype=np.int64)[col] + first[at]
    long[layout.target_col] = cells[at, col]
    order = np.lexsort((long[layout.time_col].to_numpy(), at))  # by row, then year (year columns in any order)
    long = long.iloc[order].reset_index(drop=True)
    # each value's column, for its problems: codes (two bytes a value on an M4-sized sheet), not 19 million names
    long[_CELL] = pd.Categorical.from_codes(col[order], categories=pd.Index([str(c) for c in years]))
    long.attrs = {**raw.attrs, "lines": lines[at][order].tolist()}
    return long


def _start_years(raw: pd.DataFrame, layout: Layout, file: str, rows: pd.Series) -> pd.Series:
    """Per row, what to add to a value's position for its year: the start-year column's year − 1, else 0."""
    start = start_column(layout.id_cols)
    if start is None:
        return pd.Series(0, index=raw.index)
    year = pd.to_numeric(raw[start].astype(str).str.strip(), errors="coerce")
    bad = year.isna() | (year != year.round()) | (year.abs() > MAX_YEAR)
    if bad.any():
        raise DataValidationError([Problem(file, int(rows[i]), start, shorten(str(raw[start][i])),
                                           "the year of the series' first value is not a year",
                                           "write it as digits, e.g. 1975") for i in raw.index[bad]])
    return (year - 1).astype(int)


def _years(raw: pd.DataFrame, layout: Layout, file: str) -> tuple[pd.Series, list[Problem], set[int]]:
    """The time column as whole years (dates read as their calendar year when no series has two dates in one
    year; numbers as a series file's: '2015.0', '2015年', full-width digits), the problems of the other cells
    (each with its row: the engine could name none) and the positions of rows repeating the column names."""
    col = raw[layout.time_col]
    if pd.api.types.is_datetime64_any_dtype(col):
        year = pd.to_datetime(col).dt.year
        texts = ["" if pd.isna(v) else str(v) for v in col]
        _one_per_year(raw, layout, year, col, file)
    else:
        texts = ["" if pd.isna(v) else str(v).strip() for v in col]
        cells = pd.Series(texts, index=col.index, dtype=object)
        year, is_date = _date_years(cells)
        plain = cells.str.replace(_NIAN, "", regex=True).str.replace(f"^{GROUPED.pattern}$", r"\1\2", regex=True)
        numbers = pd.to_numeric(plain.where(~is_date), errors="coerce")  # '2,015', '2.000': grouped years
        if is_date.any():
            _one_per_year(raw, layout, year, col, file)
        year = year.where(year.notna(), numbers)
    years: list[object] = []
    problems: list[Problem] = []
    headers: set[int] = set()
    for i, (row, text, value) in enumerate(zip(line_numbers(raw), texts, year.astype(float).tolist(), strict=True)):
        found = year_reading(text, value, layout.time_col)
        if isinstance(found, int):
            years.append(found)
            continue
        years.append(text)
        if found is None:
            headers.add(i)
            problems.append(Problem(file, row, None, None, "this row repeats the column names (two tables pasted "
                                    "one under the other?)", "delete the row"))
        else:
            problems.append(Problem(file, row, layout.time_col, shorten(text), *found))
    if not layout.wide:  # a wide sheet's years are its column names, or positions (M4's V2, V3 …: 1, 2 …)
        _two_digits(file, layout.time_col, pd.Series([y for y in years if isinstance(y, int)], dtype=float))
    return pd.Series(years, index=col.index, dtype=object), problems, headers


#: Dates and periods whose year is sure whatever the order of day and month: 31/12/2015, 12/31/2015, 2015Q1,
#: 2015-Q4, 2015M03 (the year of each; several in one year of a series are refused, as dates are).
_PERIOD = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<dmy>\d{4})(?:[ T]0?0:00(?::00)?)?"
                     r"|(?P<q>\d{4})\s*-?\s*[Qq][1-4]|(?P<m>\d{4})\s*-?\s*[Mm](?:0?[1-9]|1[0-2])")


def _date_years(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The year of each cell that is a date or a period within a year (NaN for the others, and for a date that
    is none: 2015-02-30, 40/40/2015), and which cells are dates or periods."""
    ymd = cells.str.extract(f"^(?:{DATE.pattern})$").apply(pd.to_numeric)  # year, month, day; any time zone
    ym = cells.str.extract(r"^(\d{4})-(\d{1,2})$").apply(pd.to_numeric)  # 1990-03: year and month
    is_date = ymd[0].notna() | ym[0].notna()
    year = pd.Series(np.nan, index=cells.index)
    if is_date.any():
        parts = pd.DataFrame({"year": ymd[0].fillna(ym[0]), "month": ymd[1].fillna(ym[1]),
                              "day": ymd[2].fillna(ym[0].notna().astype(float).where(ym[0].notna()))})
        year = pd.to_datetime(parts[is_date], errors="coerce").dt.year.reindex(cells.index)
    found = cells.str.extract(f"^(?:{_PERIOD.pattern})$")
    if found.notna().any(axis=None):
        a, b = pd.to_numeric(found["a"]), pd.to_numeric(found["b"])
        dated = found["dmy"].notna() & a.between(1, 31) & b.between(1, 31) & ((a <= 12) | (b <= 12))
        period = pd.to_numeric(found["q"].fillna(found["m"])).where(found["dmy"].isna(),
                                                                       pd.to_numeric(found["dmy"]).where(dated))
        is_date = is_date | found.notna().any(axis=1)
        year = year.where(year.notna(), period)
    return year, is_date


def _two_digits(file: str, column: str, year: pd.Series) -> None:
    """A warning when every year is a number below 100 (15, 16, … as a spreadsheet shows years as 'yy'): read as
    written, years of the first century, which may be meant. Years from 1 are positions (a .tsf file without
    dates: 1, 2, …), not two-digit years."""
    known = year.dropna()
    if len(known) and known.between(0, 99).all() and known.min() != 1 and known.nunique() >= 3:
        low, high = int(known.min()), int(known.max())
        century = 2000 if high < 50 else 1900
        warnings.warn(f"{file}: the years in column '{column}' are {low} to {high}, read as written (years of the "
                      f"first century); if they are two-digit years ({century + low} to {century + high}), write "
                      "them in full", TalentWarning, stacklevel=4)


def _empty_keys(raw: pd.DataFrame, layout: Layout, file: str) -> list[Problem]:
    """A problem per empty key cell, with its row (the engine named only how many: 'id column is empty in 1
    row(s)')."""
    rows = line_numbers(raw)
    return [Problem(file, rows[i], k, "", "the series key is empty",
                    "fill in the series the row belongs to, or delete the row (a total or a note below the table?)")
            for k in layout.id_cols if k in raw.columns
            for i in np.flatnonzero(raw[k].isna().to_numpy() | (raw[k].astype(str).str.strip() == "").to_numpy())]


def _twice(raw: pd.DataFrame, layout: Layout, years: pd.Series, file: str) -> list[Problem]:
    """A problem per row giving a series a year it already has, naming the first row (the engine could name
    neither)."""
    if any(k not in raw.columns for k in layout.id_cols):
        return []  # the engine names the key column missing, and lists those there are
    keys = list(layout.id_cols)
    frame = pd.DataFrame({k: raw[k].astype(str).to_numpy() for k in keys} | {"_year": years.to_numpy()})
    whole = years.map(lambda y: isinstance(y, int)).to_numpy(dtype=bool)
    again = frame.duplicated(keep="first").to_numpy() & whole
    if not again.any():
        return []
    rows = line_numbers(raw)
    found: dict[tuple[object, ...], int] = {}
    for i, r in enumerate(frame.itertuples(index=False)):
        found.setdefault(tuple(r), rows[i])
    return [Problem(file, rows[i], None, ", ".join(map(str, key)),
                    f"rows sharing a year: this row and row {found[key]} both give series "
                    f"{', '.join(f'{k}={v}' for k, v in zip(keys, key, strict=False)) or 'the file’s one series'} "
                    f"in {key[-1]}; each series needs one value per year",
                    "keep one row per series and year, or name the column that tells the rows apart with --id-cols")
            for i in np.flatnonzero(again) for key in [tuple(frame.iloc[i])]]


def year_reading(text: str, value: float, name: str) -> int | tuple[str, str] | None:
    """The whole year a time cell reads as (`value`: its number, NaN when none was found fast), None for the
    column's own name (a header repeated), or why it is no year and the fix."""
    if not (math.isfinite(value) and value.is_integer()):  # not read fast, or '2.015' read as a fraction
        try:
            value = float(year_text(text))  # full-width digits, an apostrophe, '2,015'…
        except ValueError:
            value = math.nan
    if math.isfinite(value) and value.is_integer() and abs(value) <= MAX_YEAR:
        return int(value)
    if text.casefold() == name.strip().casefold():
        return None
    if not text:
        return ("the year is empty", "fill in the year, or delete the row (a total or a note below the table?)")
    if math.isfinite(value) and value.is_integer():
        hint = serial_hint(value)
        return (f"year out of range{hint}", "write the year as digits" + (
            " (in the spreadsheet: =YEAR(cell) gives the year of a date)" if hint else
            f", from {-MAX_YEAR} to {MAX_YEAR}"))
    return year_problem(text)


def _one_per_year(raw: pd.DataFrame, layout: Layout, year: pd.Series, col: pd.Series, file: str) -> None:
    keys = list(layout.id_cols)
    frame = pd.DataFrame({"_year": year.to_numpy()})
    for k in keys:
        frame[k] = raw[k].astype(str).to_numpy()
    twice = frame.notna()["_year"].to_numpy() & frame.duplicated(keep=False).to_numpy()
    if not twice.any():
        return
    first = int(twice.argmax())
    same = list(np.flatnonzero(twice & (frame == frame.iloc[first]).all(axis=1).to_numpy()))
    shown = ", ".join(str(col.iloc[i]) for i in same[:4]) + (", …" if len(same) > 4 else "")
    series = ", ".join(f"{k}={raw[k].iloc[first]}" for k in keys) or "the file's one series"
    raise DataValidationError([Problem(
        file, line_numbers(raw)[first], layout.time_col, shorten(str(col.iloc[first])),
        f"{len(same)} dates fall in {int(year.iloc[first])} in series {series} ({shown}): talent forecasts yearly "
        "series, one value per year",
        "add them up or average them to one value per year (whichever the figure means), then forecast that")])
