"""The year column of a series file: whole calendar years, and the dates a workbook makes of them.

A year cell formatted as a date in a spreadsheet reads as a date: the number
2015 with a Date format shows as 1905-07-07 (day 2015 of Excel's calendar),
and a year typed as a date is 1 January of it. Both are read as the year,
with a warning, when that is unambiguous: the cell's day number is a whole
number that is a plausible year, or every date in the column is 1 January.
Any other date (30 June 2015) is refused: which year it stands for is a guess.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pandas as pd

from talent.config import YEAR_RANGE
from talent.errors import Problem, TalentWarning, shorten
from talent.io.numbers import unquote

EXCEL_EPOCH = datetime(1899, 12, 30)  # day 0 of a workbook's 1900 date system (the 1904 one starts 1904-01-01)
_YEAR_MARK = re.compile(r"(?<=\d)\s*年$")  # '2015年', as Chinese tables write a year: the year
#: A year written with a thousands separator, as a column formatted as Number with separators exports it
#: ('2,015', '2.015', '2 015'): no other reading is a year (2.015 is no whole year).
GROUPED = re.compile(r"(\d)[,.\u00a0\u202f\u2009\u2007 '\u2019](\d{3})")


def year_text(text: str) -> str:
    """A year cell's text as a number's: its spreadsheet apostrophe, '年' and thousands separator dropped."""
    text = _YEAR_MARK.sub("", unquote(text))
    return GROUPED.sub(r"\1\2", text) if GROUPED.fullmatch(text) else text
#: A time of day of 0:00, as exports add it: 00:00:00.000, and JSON's 00:00:00Z or 00:00:00+08:00.
_MIDNIGHT = r"(?:[ T]0?0:00(?::00(?:\.0+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _MIDNIGHT)  # year first: 2015-01-01, 2015/1/1
#: Day or month first, the year last: 01/01/2015 (Europe), 1/1/2015 (US), 01.01.2015 (Germany).
LAST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})" + _MIDNIGHT)


def _date(text: str) -> date | None:
    """The date `text` writes, year first or last (day and month told apart when one is above 12, or the same),
    None for none (or one whose day and month could be either)."""
    found = DATE.fullmatch(text)
    if found:
        y, m, d = map(int, found.groups())
    elif (last := LAST.fullmatch(text)) is not None:
        a, b, y = map(int, last.groups())
        if a != b and a <= 12 and b <= 12:
            return None  # 03/04/2015: 3 April or 4 March
        d, m = (a, b) if a > 12 or a == b else (b, a)
    else:
        return None
    try:
        return date(y, m, d)
    except ValueError:  # 2015-02-30: not a date, its row's problem
        return None


def _exists(text: str) -> bool:
    """Whether a text of `DATE` or `LAST`'s form is a date, in some order of its day and month."""
    first, last = DATE.fullmatch(text), LAST.fullmatch(text)
    if first:
        y, m, d = map(int, first.groups())
        orders = [(m, d)]
    elif last:
        a, b, y = map(int, last.groups())
        orders = [(a, b), (b, a)]
    else:
        return False
    for m, d in orders:
        try:
            date(y, m, d)
        except ValueError:
            continue
        return True
    return False


def date_years(texts: Sequence[str], epoch: datetime | None = None) -> tuple[dict[int, int], str]:
    """Year of each date cell (by position) that reads as one unambiguously, and how they were read ('' when
    none): every date 1 January, else each date whose day number in the workbook's calendar is a plausible year."""
    dates: dict[int, date] = {}
    for i, text in enumerate(texts):
        day = _date(text.strip())
        if day is not None:
            dates[i] = day
    if not dates:
        return {}, ""
    if all((d.month, d.day) == (1, 1) for d in dates.values()):
        return {i: d.year for i, d in dates.items()}, "1 January of each year"
    start = (epoch or EXCEL_EPOCH).date()
    serial = {i: (d - start).days for i, d in dates.items()}
    plausible = {i: s for i, s in serial.items() if YEAR_RANGE[0] <= s <= YEAR_RANGE[1]}
    return plausible, "year numbers in cells formatted as dates: 2015 shows as 1905-07-07" if plausible else ""


def serial_hint(value: float, epoch: datetime | None = None) -> str:
    """'; …' naming the date a whole number out of the year range is as a workbook's day number (42005 is
    2015-01-01: a date column formatted as Number, or a date exported as its number), '' when it is none: only
    a year's first or last day is named (20150 is a year mistyped more likely than 2 March 1955)."""
    if not 1 <= value <= 2_958_465:  # day 1 to 9999-12-31
        return ""
    day = (epoch or EXCEL_EPOCH) + timedelta(days=int(value))
    if not YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1] or (day.month, day.day) not in ((1, 1), (12, 31)):
        return ""
    return (f"; it reads as a date as a spreadsheet stores it: day {int(value)} is {day.date().isoformat()} "
            f"(a date column formatted as Number?), the year {day.year}")


def year_problem(text: str) -> tuple[str, str]:
    """Why a year cell is not a whole number, and the fix (a workbook's date cell is named as a date)."""
    if (DATE.fullmatch(text) or LAST.fullmatch(text)) and not _exists(text):
        return ("the year is written as a date that does not exist", "write the calendar year as digits, e.g. 2024")
    if DATE.fullmatch(text) or LAST.fullmatch(text):
        return ("the year is a date, not a year number (in a workbook: a cell formatted as a date), and which year "
                "it stands for is not clear (neither 1 January nor a year number shown as a date)",
                "write the year as a number, e.g. 2024 (format the column as Number, not Date)")
    return "year is not a whole number", "write the calendar year as digits, e.g. 2024"


def _warn_dates(file: str, texts: Sequence[str], rows: Sequence[int], read: dict[int, int], how: str,
                unit: str = "row") -> None:
    """One warning naming the date cells read as years: how, the first few, where (`unit`: 'record' in a JSON
    or Parquet file, whose rows are records and which has no column format to change)."""
    shown = ", ".join(f"'{shorten(texts[i].strip().removesuffix(' 00:00:00'), 30)}' as {y} ({unit} {rows[i]})"
                      for i, y in list(read.items())[:3])
    more = f" and {len(read) - 3:,} more" if len(read) > 3 else ""
    fix = ("format the column as Number (not Date) in the workbook, or write the years as digits" if unit == "row"
           else "write the years as numbers (2015)")
    warnings.warn(f"{file}: the year column holds dates, read as years ({how}): {shown}{more}; to silence this, "
                  f"{fix}", TalentWarning, stacklevel=3)


def check_years(df: pd.DataFrame, rows: Sequence[int], file: str, problems: list[Problem], ok: pd.Series,
                epoch: datetime | None = None, unit: str = "row") -> None:
    """The year column as whole years in `YEAR_RANGE` (dates read as above); a problem per other cell."""
    if "year" not in df.columns:
        ok[:] = False
        return
    texts = [str(v) for v in df["year"].tolist()]
    dated, how = date_years(texts, epoch)
    years: list[int | None] = []
    bad: list[int] = []
    for i, (row, text) in enumerate(zip(rows, texts, strict=True)):
        try:
            year = float(dated[i]) if i in dated else float(year_text(text))
            if not (math.isfinite(year) and year.is_integer()):
                raise ValueError
        except ValueError:
            problems.append(Problem(file, row, "year", df["year"].iloc[i], *year_problem(text.strip())))
            bad.append(i)
            years.append(None)
            continue
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            hint = serial_hint(year, epoch)
            problems.append(Problem(file, row, "year", df["year"].iloc[i], f"year out of range{hint}",
                                    f"use a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}" + (
                                        " (in the spreadsheet: =YEAR(cell) gives the year of a date)" if hint else
                                        "")))
            bad.append(i)
        years.append(int(year))
    ok.iloc[bad] = False
    df["year"] = years
    if dated:
        _warn_dates(file, texts, rows, dated, how, unit)


def cut_short(df: pd.DataFrame, rows: Sequence[int], file: str, open_end: bool, unit: str = "row") -> None:
    """A warning when a file ends inside a series: its last row is the last year of a series that stops before
    every other series of the file does. A download or copy cut short looks like that (at a line break, or
    inside the last value, 12345 read as 12: `open_end`, no line break after the last line, says so)."""
    if len(df) < 2:
        return
    keys = ["region", "role", "level", "kind"]
    last = tuple(df[keys].iloc[-1])
    ends = df.groupby(keys, sort=False)["year"].max()
    mine, others = ends.loc[last], ends.drop(index=[last])
    if len(others) and df["year"].iloc[-1] == mine and (others > mine).all():
        how = (", and no line break follows that row, so its value may be cut too (12345 read as 12)" if open_end
               else "")
        warnings.warn(f"{file}: the file ends inside a series ({unit} {rows[-1]}, {'/'.join(map(str, last))}): its "
                      f"last year is {mine}, where every other series goes on to {int(others.max())}{how}; if the "
                      "file was cut short (an interrupted download or copy), get it again", TalentWarning,
                      stacklevel=3)
