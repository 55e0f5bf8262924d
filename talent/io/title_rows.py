"""A table under a title, as official statistics tables are laid out: a title in row 1, maybe a unit note or a
blank row, the column names in row 3, perhaps from column B.

The column names are the first row (of the first 20) that names every required column; the rows above are
read as a title and skipped, with a warning naming them, when they hold only a few cells of text (a title, a
note, a date). Rows above that look like a table (several filled cells, or a role or kind among them) leave
the table as it was, for the caller to refuse with its fix. A scaling unit in a title (`（万人）`,
`Unit: thousands`) is refused, as a scaling unit in a column name is: the values would be read as persons.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from talent.errors import DataValidationError, Problem, TalentWarning, shorten
from talent.io.read import header_frame
from talent.io.table_rows import resolve_header

if TYPE_CHECKING:
    from talent.taxonomy import Taxonomy

SEARCHED = 20  # rows below the first searched for the column names
_SCALE = (r"(?:thousands?|millions?|'?000s?|1[,. ]?000|10[,. ]?000)(?:\s+(?:of\s+)?(?:persons|people))?|"
          r"千人|万人|萬人|百万人|亿人|億人|千|万|萬|百万|亿|億")
# where a title states its unit: in brackets ("（万人）", "(in thousands)"), after a label ("单位：万人", "Unit:
# thousands") or in words ("in thousands")
_UNIT_SAID = re.compile(rf"[(（\[]\s*(?:单位|單位|units?|in)?\s*[:：]?\s*(?P<a>{_SCALE})\s*[)）\]]|"
                        rf"(?:单位|單位|units?)\s*[:：]\s*(?P<b>{_SCALE})(?![\w])|\bin\s+(?P<c>thousands|millions)\b",
                        re.IGNORECASE)


_UNNAMED = re.compile(r"column \d+")  # the reader's name of a column with an empty header cell (its position in
# the file or sheet: a table from column B has 'column 3' as its second column)


def _cells(values: Sequence[object]) -> list[str]:
    """The filled cells of a row, stripped (a column named 'column N' by the reader was empty)."""
    return [t for v in values if (t := str(v).strip()) and not _UNNAMED.fullmatch(t)]


Resolve = Callable[[str], str | None]  # a column name -> the contract column it names, or None


def _is_header(values: Sequence[object], resolve: Resolve, required: Sequence[str]) -> bool:
    return set(required) <= {resolve(str(v).strip()) for v in values}


def _title_like(cells: list[str], tax: Taxonomy, width: int) -> bool:
    """A row that may be skipped above the column names: a few cells, none of them a role or a kind."""
    if len(cells) > max(2, width // 3):
        return False
    return not any(tax.resolve("roles", c) or tax.resolve("kinds", c) for c in cells)


def _scaled(file: str, above: list[tuple[int, list[str]]], header: int) -> None:
    """Refuse a title that gives the values' unit as a multiple of persons (万人, thousands)."""
    for line, cells in above:
        for cell in [*cells, " ".join(cells)]:  # a unit split over two cells by an unquoted comma, joined
            found = _UNIT_SAID.search(cell)
            if found:
                unit = next(g for g in found.groups() if g)
                raise DataValidationError([Problem(
                    file, line, None, shorten(cell, 120), f"the title or note above the column names (row {header}) "
                    f"says the values are in {unit}, not in persons", "multiply the values to persons (e.g. 1.2 万人 = "
                    f"12000) and delete the unit from row {line}; the values are read as headcounts in persons")])


def _second_header(raw: pd.DataFrame, file: str, rows: Sequence[int], resolve: Resolve) -> pd.DataFrame:
    """`raw` without its first row when that row names the same columns as the header, in the same order (a
    header in two languages: 地区 over region), with a warning; `raw` as it was otherwise (a repeat further
    down is two tables pasted one under the other, refused by `repeated_header`)."""
    if len(raw) < 2:
        return raw
    first = [resolve(str(v).strip()) for v in raw.iloc[0]]
    names = [resolve(str(c).strip()) for c in raw.columns]
    if first != names or None in first:
        return raw
    out = raw.iloc[1:].reset_index(drop=True)
    out.attrs.update({str(k): v for k, v in raw.attrs.items()})
    out.attrs.update(lines=list(rows[1:]), first_row=rows[1])
    same = [str(v).strip() for v in raw.iloc[0]] == [str(c).strip() for c in raw.columns]
    warnings.warn(f"{file}: row {rows[0]} names the columns again{'' if same else ', in other words'} "
                  f"({shorten(', '.join(map(str, raw.iloc[0])), 80)!r}): read as a second header row and skipped",
                  TalentWarning, stacklevel=4)
    return out


def under_title(raw: pd.DataFrame, file: str, rows: Sequence[int], tax: Taxonomy,
                required: Sequence[str], resolve: Resolve | None = None) -> pd.DataFrame:
    """`raw` (a table from `read_table`) with the column names found below a title, or `raw` as it was.
    `resolve` names the column a header means (default: the series contract's, `resolve_header`)."""
    resolve = resolve or (lambda name: resolve_header(tax, name)[0])
    header = raw.attrs.get("header_row") or 1
    _scaled(file, [(line, [text]) for line, text in raw.attrs.get("comments") or []], header)  # '# 单位：万人'
    if _is_header(list(raw.columns), resolve, required):
        return _second_header(raw, file, rows, resolve)
    at = next((i for i in range(min(SEARCHED, len(raw))) if _is_header(raw.iloc[i].tolist(), resolve, required)),
              None)
    if at is None:
        return raw
    if at + 1 >= len(raw):
        raise DataValidationError([Problem(file, rows[at], None, None, f"the column names (row {rows[at]}) have no "
                                           "rows of data below them", "add one row per observation")])
    first = raw.attrs.get("header_row") or (rows[0] - 1 if rows else 1)
    above = [(first, _cells(list(raw.columns)))] + [(rows[i], _cells(raw.iloc[i].tolist())) for i in range(at)]
    above = [(line, cells) for line, cells in above if cells]
    if not all(_title_like(cells, tax, raw.shape[1]) for _, cells in above):
        return raw
    _scaled(file, above, rows[at])
    out = header_frame(raw.iloc[at:].reset_index(drop=True), file, rows[at], raw.attrs.get("columns_at"))
    out.attrs.update({str(k): v for k, v in raw.attrs.items() if k not in ("lines", "first_row", "columns_at")})
    out.attrs.update(lines=list(rows[at + 1:]), first_row=rows[at + 1], header_row=rows[at])
    shown = "; ".join(f"row {line}: {shorten(' '.join(cells), 80)!r}" for line, cells in above[:3])
    warnings.warn(f"{file}: the column names are in row {rows[at]}; the rows above them are read as a title and "
                  f"skipped ({shown}{' …' if len(above) > 3 else ''})", TalentWarning, stacklevel=3)
    return _second_header(out, file, rows[at + 1:], resolve)
