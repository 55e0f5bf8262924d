"""Rows inside a table that are not observations: a note or source line, a '#' comment below the column names,
a total row (`Total,,,,,123456`, `合计`), a units row under the column names (`,,,,,persons`). Each is one
problem naming its row, its text and the fix, instead of one problem per column it leaves empty; the other
rows are checked as data. A row of column names below the first (tables pasted one under the other, in the
same order or another) is named, and nothing else is checked.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from talent.errors import DataValidationError, Problem, TalentWarning, shorten
from talent.io.years import DATE, LAST, date_years

if TYPE_CHECKING:
    from talent.taxonomy import Taxonomy

# the first cell of a total row: Total, Totals, Grand total, Sub-total, Sum, 合计, 总计, 小计, 總計, 合計, 总和
# a note's first cell: a label and a colon (Source:, 注：), Chinese punctuation, or a note word
_NOTE = re.compile(r".*[:：，。；].*|(notes?|source|sources|备注|说明|注|资料来源|数据来源|来源)\b.*", re.IGNORECASE)
_TOTAL = re.compile(r"((grand|sub)[ -]?)?totals?|sum|合计|合計|总计|總計|小计|小計|总和|總和", re.IGNORECASE)
# words of a units row under the column names: a unit, a format or a type, never data
_UNITS = re.compile(r"\(?(persons?|people|headcount|count|number|no\.|units?|unit:.*|yyyy|year|text|code|"
                    r"string|integer|int|人|人数|名|单位.*|單位.*|年|个|個)\)?", re.IGNORECASE)


COMMENT_LINE = "a comment line inside the table"
TEXT_LINE = "a line of text, not a row of data (a note or a source line?)"


def _total(cells: list[str]) -> bool:
    first = next((c for c in cells if c), "")
    return bool(_TOTAL.fullmatch(first.rstrip(":：").strip()))


def _units(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and not any(ch.isdigit() for c in filled for ch in c) and \
        any(_UNITS.fullmatch(c) for c in filled)


def _scaled_units(cells: list[str]) -> str | None:
    """The scaling unit of a units row under the column names ('(万人)', 'thousands'), None for other rows."""
    filled = [c.strip("()（）[] ") for c in cells if c]
    if not filled or any(ch.isdigit() for c in filled for ch in c):
        return None
    return next((c for c in filled if _SCALED.fullmatch(c)), None)


def _summary_rows(cells: pd.DataFrame, file: str, rows: Sequence[int]) -> dict[int, Problem]:
    """Total rows anywhere and a units row right under the column names, by their index in `cells`."""
    found: dict[int, Problem] = {}
    for i, row in enumerate(cells.to_numpy(dtype=str).tolist()):
        value = ", ".join(v for v in row if v)
        if _total(row):
            found[i] = Problem(file, rows[i], None, value, "a total row, not a row of data", "delete it: every "
                               "row is read as one observation, so a total would be counted twice")
        elif i == 0 and (scale := _scaled_units(row)):
            found[i] = Problem(file, rows[i], None, value, f"a second header row giving the values in {scale}, "
                               "not in persons", "multiply the values to persons and delete the row")
        elif i == 0 and _units(row):
            found[i] = Problem(file, rows[i], None, value, "a second header row (units or types under the column "
                               "names), not a row of data", "delete it: values are read as headcounts in persons, "
                               "years as calendar years")
    return found


def text_lines(raw: pd.DataFrame, file: str, rows: Sequence[int]) -> tuple[list[Problem], list[bool]]:
    """Lines of text inside the table (a note or source line, a '#' comment below the column names): one
    problem each instead of one per column, and which rows are data."""
    cells = raw.astype(str).apply(lambda c: c.str.strip())
    first = cells.iloc[:, 0]
    wordy = first.str.startswith("#") | first.str.contains(r"\s") | (first.str.len() > 12) | first.str.fullmatch(_NOTE)
    few = (cells != "").sum(axis=1) <= max(1, cells.shape[1] // 3)  # a sentence with a comma spans two cells
    text = few & (first != "") & wordy
    summary = _summary_rows(cells, file, rows)
    text &= ~pd.Series([i in summary for i in range(len(cells))], index=cells.index)
    problems = list(summary.values())
    for i in [int(k) for k in text.to_numpy().nonzero()[0]]:
        value = ", ".join(v for v in cells.iloc[i] if v)
        problems.append(Problem(file, rows[i], None, value, *(
            (COMMENT_LINE, "delete it, or move it above the column names (only there is # read as a comment)")
            if value.startswith("#") else _other_separator(first.iloc[i], raw.attrs.get("separator"), cells.shape[1])
            or (TEXT_LINE, "delete it, or start it with # and move it above the column names"))))
    problems.sort(key=lambda p: p.row or 0)
    return problems, [not t and i not in summary for i, t in enumerate(text)]


_SEPARATORS = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs", "|": "bars (|)"}


def _other_separator(line: str, sep: str | None, width: int) -> tuple[str, str] | None:
    """A row whose cells are separated by another separator than the column names' (the table's rows joined from
    two exports, one with ';'): named as that, not as a line of text."""
    if sep not in _SEPARATORS or width < 3:
        return None
    other = next((s for s in _SEPARATORS if s != sep and line.count(s) >= width - 2), None)
    if other is None:
        return None
    return (f"the row's cells are separated by {_SEPARATORS[other]}, the column names by {_SEPARATORS[sep]}",
            f"save the file with one separator throughout: replace the {_SEPARATORS[other]} in this row by "
            f"{_SEPARATORS[sep]}")


_EXCEL_ERROR = re.compile(r"#(REF!|DIV/0!|N/A|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|GETTING_DATA)",
                          re.IGNORECASE)


# characters that show nothing: zero-width spaces and joiners, direction marks, a soft hyphen, a byte-order mark
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}  # ＣＮ, ８９３４０, the ideographic space


def _plain(text: str) -> str:
    """`text` without the characters that show nothing, and in ASCII when it is full-width ASCII ('ＣＮ', typed
    with a Chinese input method in full-width mode); text with Chinese in it keeps its full-width punctuation."""
    text = _INVISIBLE.sub("", text)
    ascii_text = text.translate(_FULL_WIDTH)
    return ascii_text if ascii_text.isascii() else text


def without_invisible(raw: pd.DataFrame) -> pd.DataFrame:
    """`raw` with its column names and cells plain (`_plain`): 'CN\u200b' (copied from a web page) and 'ＣＮ'
    are the CN the user sees, not unknown codes."""
    names = [_plain(str(c)) for c in raw.columns]
    changed = {}
    for c in raw.columns:
        col = raw[c].astype(str)
        other = ~col.str.isascii()
        if other.any():  # each distinct text once: a million rows of a Chinese label are one
            plain = {t: p for t in pd.unique(col[other]) if (p := _plain(t)) != t}
            if plain:
                changed[c] = col.replace(plain)
    if not changed and names == [str(c) for c in raw.columns]:
        return raw
    out = raw.copy()
    for c, col in changed.items():
        out[c] = col
    out.columns = pd.Index(names)
    out.attrs.update(raw.attrs)
    return out


def excel_errors(df: pd.DataFrame, file: str, rows: Sequence[int]) -> tuple[list[Problem], list[bool]]:
    """Cells of the key columns (`df` renamed to the contract's names) holding an Excel error (#N/A, #REF!): a
    problem each, naming the error, instead of an unknown role or a year that is no number; and which rows
    are free of them (the others are checked no further). A value column's errors are the value's problems."""
    problems, keep = [], [True] * len(df)
    for col in [c for c in df.columns if c != "value"]:
        for i, text in enumerate(df[col].astype(str).str.strip().tolist()):
            if _EXCEL_ERROR.fullmatch(text):
                problems.append(Problem(file, rows[i], col, text, f"an Excel error ({text}) where a formula failed, "
                                        f"not a {col}", "correct the formula in the spreadsheet (or type the "
                                        f"{col} in the cell), save, and read the table again"))
                keep[i] = False
    return problems, keep


def footnotes(notes: list[Problem], rows: Sequence[int], data: list[bool], file: str) -> list[Problem]:
    """`notes` (from `text_lines`) without the lines of text below the last row of data (footnotes, a source
    line, as statistics tables end), which are skipped with one warning quoting them; the others stay problems."""
    last = max((r for r, keep in zip(rows, data, strict=True) if keep), default=None)
    below = [p for p in notes if last is not None and (p.row or 0) > last and p.message in (TEXT_LINE, COMMENT_LINE)]
    if below:
        shown = "; ".join(f"row {p.row}: {shorten(str(p.value), 80)!r}" for p in below[:3])
        warnings.warn(f"{file}: the line(s) of text below the table are read as notes and skipped ({shown}"
                      f"{' …' if len(below) > 3 else ''})", TalentWarning, stacklevel=3)
    return [p for p in notes if p not in below]


def repeated_header(df: pd.DataFrame, cols: list[str], file: str, rows: Sequence[int], tax: Taxonomy) -> None:
    """Rows of `df` (its columns renamed to the contract's) whose `cols` cells are column names: the same
    names (two tables pasted one under the other) or the names in another order (and the rows below in that
    order); each is named and nothing else is checked."""
    if not cols:
        return
    names = {t: tax.resolve("columns", t) for c in cols for t in df[c].astype(str).str.strip().unique()}
    cells = df[cols].astype(str).apply(lambda c: c.str.strip()).to_numpy().tolist()
    problems = []
    for row, values in zip(rows, cells, strict=True):
        found = [names.get(v) for v in values]
        if found == cols:
            problems.append(Problem(file, row, None, None, "this row repeats the column names (two tables "
                                    "pasted one under the other?)", "delete the row"))
        elif None not in found and sorted(map(str, found)) == sorted(cols):
            problems.append(Problem(
                file, row, None, shorten(", ".join(values), 120), "this row holds the column names in another "
                "order (two tables pasted one under the other?): the rows below it follow that order",
                f"move the cells of the rows below into the first header's order ({', '.join(cols)}) and "
                "delete this row, or save the two tables as separate files"))
    if problems:
        raise DataValidationError(problems)


# a unit after a column name that changes nothing ("value (persons)", "人数（人）", "year (yyyy)"), and one that scales
_PLAIN_UNITS = {"persons", "person", "people", "headcount", "number", "count", "人", "人数", "名", "yyyy", "年",
                "year", "calendar year"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SCALED = re.compile(r"thousands?|k|'?000s?|千人|千|万人|万|萬人|萬|millions?|mn|m|百万人|百万|亿|億", re.IGNORECASE)
_UNIT = re.compile(r"(?P<name>.+?)\s*[(（\[]\s*(?P<unit>[^()（）\[\]]*?)\s*[)）\]]")


def resolve_header(tax: Taxonomy, header: str) -> tuple[str | None, str | None]:
    """The contract column a header names (its line breaks and doubled spaces aside, and a unit in brackets
    that changes nothing: `value (persons)`, `年份（年）`), and the scale when the unit scales the values
    (`value (thousands)`, `人数（万人）`: the column is named, and its scale is a problem)."""
    found = tax.resolve("columns", header)
    text = " ".join(str(header).split())
    if found is not None or (text != header and (found := tax.resolve("columns", text)) is not None):
        return found, None
    if _CJK.search(text) and (found := tax.resolve("columns", "".join(text.split()))) is not None:
        return found, None  # '岗 位', '人　数': Chinese is written without spaces
    unit = _UNIT.fullmatch(text)
    if unit is None or (found := tax.resolve("columns", unit["name"])) is None:
        return _bilingual(tax, text)
    if unit["unit"].casefold() in _PLAIN_UNITS:
        return found, None
    return (found, unit["unit"]) if _SCALED.fullmatch(unit["unit"]) and found == "value" else (None, None)


#: Where a header cell naming its column twice splits: 'Region / 地区', '地区 Region', '人数 | Value'.
_LANGUAGES = re.compile(r"\s*[/|／｜]\s*|(?<=[\u4e00-\u9fff）)])\s*(?=[A-Za-z])|(?<=[A-Za-z)])\s*(?=[\u4e00-\u9fff])")


def _bilingual(tax: Taxonomy, text: str) -> tuple[str | None, str | None]:
    """The column a header names in two languages ('Region / 地区', '地区 Region', 'Value / 人数（人）'): every
    part names the same column (a unit in brackets read as above); (None, None) otherwise."""
    parts = [p for p in _LANGUAGES.split(text) if p.strip()]
    if len(parts) < 2:
        return None, None
    found = [resolve_header(tax, p) for p in parts]
    columns = {column for column, _ in found}
    if len(columns) != 1 or None in columns:
        return None, None
    return found[0][0], next((scale for _, scale in found if scale), None)  # a scale in either part counts


def row_unit(attrs: Mapping[Any, Any]) -> str:
    """What a table's row numbers count (`attrs`: the table's, from `read_table`): 'record' for JSON and Parquet,
    whose rows are records with no header line, else 'row'."""
    return "record" if "header_row" in attrs and attrs["header_row"] is None else "row"


def header_problem(attrs: Mapping[Any, Any], file: str, column: str, message: str, fix: str) -> Problem:
    """A problem of a column name (`attrs`: the table's, from `read_table`), at the row of the column names (a
    CSV's comment lines counted); in a JSON file, whose column names are keys, at the key, with the record it
    first appears in when that is not the first."""
    if row_unit(attrs) == "record":  # JSON: the column names are keys
        records = attrs.get("key_records")
        first = records.get(column) if isinstance(records, dict) else None
        where = f" (first in record {first})" if isinstance(first, int) and first > 1 else ""
        return Problem(file, None, None, None, message, fix, key=f"'{shorten(column, 80)}'{where}")
    row = attrs.get("header_row")
    return Problem(file, row if isinstance(row, int) else 1, column, None, message, fix)


def empty_columns(df: pd.DataFrame, file: str, rows: Sequence[int], attrs: Mapping[Any, Any]) -> None:
    """Contract columns (`df` renamed to the contract's names) empty in every data row, and a year column of
    dates in every row that do not read as years (`talent.io.years`), each one problem instead of one per row;
    nothing else is checked."""
    if len(df) < 2:
        return
    fills = {"region": "a region code such as CN", "role": "a role such as machine_learning",
             "kind": "demand or supply", "year": "the calendar year, e.g. 2024",
             "value": "the headcount in persons, e.g. 125000"}
    problems = [header_problem(attrs, file, c, f"column '{c}' is empty in every row ({rows[0]} to {rows[-1]})",
                        "fill in expert, applied or all in every row, or delete the column (without it every "
                        "series is read as 'all')" if c == "level" else
                        f"fill it in in every row: {fills.get(c, 'a value')}")
                for c in df.columns if not df[c].astype(str).str.strip().any()]
    years = df["year"].astype(str).str.strip() if "year" in df.columns else pd.Series(dtype=str)
    epoch = attrs.get("epoch")
    read = date_years(years.tolist(), epoch if isinstance(epoch, datetime) else None)[0]
    dated = years.str.fullmatch(DATE) | years.str.fullmatch(LAST)  # year first or last (01/01/2015)
    if len(years) >= 2 and dated.all() and len(read) < len(years):
        problems.append(Problem(file, rows[0], "year", years.iloc[0], f"the year is a date, not a year number, in "
                                f"every row ({rows[0]} to {rows[-1]}; in a workbook: the column is formatted as a "
                                "date), and the dates are neither 1 January nor year numbers shown as dates",
                                "write the years as numbers, e.g. 2024 (format the column as Number, not Date)"))
    if problems:
        raise DataValidationError(problems)
