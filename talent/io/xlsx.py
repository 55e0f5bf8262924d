"""XLSX workbooks a reader can use as they are: formatted, sized to fit, printable.

Column widths are estimated here (East Asian characters count double, headers
wrap on at most three lines) because neither openpyxl nor LibreOffice fits
them, and XlsxWriter's autofit measures CJK text as narrow Latin glyphs.
"""

from __future__ import annotations

import math
import unicodedata
import warnings
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from talent.errors import OutputError, TalentWarning
from talent.io.manifest import run_time
from talent.io.write import Inputs, safe_frame, write_atomic

_MAX_CELLS = 40  # widest column, in character cells; longer text wraps
CELL_CHARS = 32_767  # the most characters a spreadsheet cell holds (Excel's limit)
_MAX_ROWS, _MAX_COLUMNS = 1_048_576, 16_384  # the size of a spreadsheet sheet, the header row included
YEAR_HEADERS = {"year", "年份", "年", "from", "to", "起始年", "截止年", "origin", "cutoff", "起始年份"}


def _display_width(text: str) -> int:
    """Width of `text` in character cells: East Asian wide and full-width characters count two."""
    return sum(2 if _wide(ch) else 1 for ch in text)


def _text_width(text: str) -> int:
    """Estimated width of `text` in the units of Excel column widths (the digit
    '0'): East Asian characters take two, digits one, other letters (proportional,
    mostly narrower than '0') nine tenths."""
    wide = sum(1 for ch in text if _wide(ch))
    digits = sum(1 for ch in text if ch.isdigit() or ch in ",.")
    return round(2 * wide + digits + 0.9 * (len(text) - wide - digits))


def is_year_column(name: object, values: pd.Series) -> bool:
    """A column of calendar years (by its header and whole values 1000–9999): shown as 2030, never 2,030."""
    label = str(name).strip().casefold()
    if not (label in YEAR_HEADERS or label.endswith((" year", "_year", "年份"))):
        return False
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(v.empty or ((v >= 1000) & (v <= 9999) & (v == v.round())).all())


def _number_format(name: object, values: pd.Series) -> str | None:
    """The XLSX number format of a column, None for text."""
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return "0" if is_year_column(name, values) else "#,##0"
    if pd.api.types.is_float_dtype(values):
        if is_year_column(name, values):
            return "0"
        biggest = values.abs().max(skipna=True)
        return "#,##0.00" if pd.isna(biggest) or biggest < 100 else "#,##0"
    return None


def _shown(value: object, fmt: str | None) -> str:
    """A cell value as the number format displays it (to size the column)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if fmt is not None and isinstance(value, int | float):
        if fmt == "0":
            return f"{value:.0f}"
        return f"{value:,.2f}" if fmt.endswith(".00") else f"{value:,.0f}"
    return str(value)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Pieces a wrapped header may break between (words, and each East Asian
    character), each with whether a space precedes it."""
    out: list[tuple[str, bool]] = []
    for word in text.split():
        run, spaced = "", True
        for ch in word:
            if _wide(ch):
                if run:
                    out.append((run, spaced))
                out.append((ch, spaced and not run))
                run, spaced = "", False
            else:
                run += ch
        if run:
            out.append((run, spaced))
    return out


def _wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes when wrapped greedily into `width` character cells."""
    lines, used = 1, 0
    for token, spaced in _tokens(text):
        w = _display_width(token)
        gap = 1 if used and spaced else 0
        if used and used + gap + w > width:
            lines, used = lines + 1, 0
            gap = 0
        used += gap + w
        while used > width > 0:  # a word longer than the line breaks anywhere
            lines, used = lines + 1, used - int(width)
    return lines


def _column_width(name: object, values: pd.Series, fmt: str | None) -> tuple[float, int]:
    """Excel column width (in '0' characters) fitting the data and the header
    wrapped on at most three lines, and the number of lines the header takes."""
    header = str(name)
    data = min(max((_text_width(_shown(v, fmt)) for v in values.head(500)), default=0), _MAX_CELLS)
    longest = max((_display_width(t) for t, _ in _tokens(header)), default=0)
    cells = max(4, data, min(longest, 24) + 1)
    # one cell of slack: bold and East Asian glyphs render a little wider than their count
    while _wrapped_lines(header, cells - 1) > 3 and cells < _MAX_CELLS:
        cells += 1
    return cells + 2.0, _wrapped_lines(header, cells - 1)



#: Cell formats (XlsxWriter properties). Header: bold, wrapped, centred, shaded, a rule below.
_HEADER = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "bg_color": "#DDE4EE",
           "bottom": 1}
_LINE = 15  # points per line of text in a row


class _Formats:
    """The workbook's cell formats, each made once (XlsxWriter keeps one record per format object)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._made: dict[tuple[tuple[str, object], ...], Any] = {}

    def get(self, **props: object) -> Any:
        """The format with these properties (None for none)."""
        key = tuple(sorted((k, v) for k, v in props.items() if v is not None))
        if not key:
            return None
        if key not in self._made:
            self._made[key] = self.book.add_format(dict(key))
        return self._made[key]


def _write_cell(ws: Any, row: int, col: int, value: object, fmt: Any) -> None:
    """One value of a frame: blank for a missing one, text never run as a formula (and with "\n"
    line breaks), a non-finite number as its text."""
    if value is None or value is pd.NA or value is pd.NaT:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, int | float | np.integer | np.floating):
        if math.isfinite(value):
            ws.write_number(row, col, float(value) if isinstance(value, float | np.floating) else int(value), fmt)
        elif math.isnan(value):
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_string(row, col, str(float(value)), fmt)
    elif isinstance(value, datetime | date):
        ws.write_string(row, col, value.isoformat(), fmt)
    else:  # a line break in a cell is "\n"; XlsxWriter would keep a "\r" as the escape _x000D_
        ws.write_string(row, col, str(value).replace("\r\n", "\n").replace("\r", "\n"), fmt)


def _tall_rows(df: pd.DataFrame, widths: list[float], wrapped: list[int]) -> dict[int, int]:
    """Data row (0-based) -> lines of its tallest wrapped cell, for rows of more than one line: no
    reader fits row heights to wrapped text reliably, so the heights are written."""
    tall: dict[int, int] = {}
    for j in wrapped:
        for i, value in enumerate(df.iloc[:, j]):
            lines = _wrapped_lines("" if value is None or value is pd.NA else str(value), (widths[j] - 2) * 1.1)
            if lines > 1:
                tall[i] = max(tall.get(i, 0), lines)
    return tall


def _write_sheet(ws: Any, df: pd.DataFrame, formats: _Formats) -> None:
    """The frame with its header: widths, number formats (plain years, centred), long text wrapped
    (its rows made tall, their other cells aligned at the top), the header row's height."""
    if len(df) + 1 > _MAX_ROWS or len(df.columns) > _MAX_COLUMNS:
        raise OutputError(f"a table of {len(df):,} rows and {len(df.columns):,} columns is larger than a spreadsheet "
                          f"sheet holds ({_MAX_ROWS - 1:,} rows, {_MAX_COLUMNS:,} columns); write it as CSV instead")
    header_lines, widths, number, wrapped = 1, [], [], []
    for j, col in enumerate(df.columns):
        values = df.iloc[:, j]
        fmt = _number_format(col, values)
        width, lines = _column_width(col, values, fmt)
        widths.append(width)
        number.append(fmt)
        header_lines = max(header_lines, lines)
        if fmt is None and any(_display_width(str(v)) > _MAX_CELLS for v in values):
            wrapped.append(j)
    tall = _tall_rows(df, widths, wrapped)
    head = formats.get(**_HEADER)
    for j, col in enumerate(df.columns):
        ws.set_column(j, j, widths[j])
        ws.write_string(0, j, str(col), head)
        fmt = number[j]
        align = "center" if fmt == "0" else None
        plain = formats.get(num_format=fmt, align=align)
        wrap = j in wrapped
        top = formats.get(num_format=fmt, align=align, valign="top", text_wrap=True if wrap else None)
        for i, value in enumerate(df.iloc[:, j].tolist()):
            _write_cell(ws, i + 1, j, value, top if (wrap or i in tall) else plain)
    ws.set_row(0, _LINE * header_lines + 3)
    for i, lines in tall.items():
        ws.set_row(i + 1, _LINE * lines + 2)
    ws.freeze_panes(1, 0)


def _page_setup(ws: Any) -> None:
    """A4 landscape, one page wide, header repeated on every page, gridlines, sheet name in the footer."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # printed too
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&C&A — &P / &N")


def _cut_long_text(df: pd.DataFrame, path: Path, sheet: str) -> pd.DataFrame:
    """Text longer than a spreadsheet cell holds (32,767 characters) cut, with a `TalentWarning` naming where
    (a spreadsheet program would cut it without saying where)."""
    out = df
    for col in df.columns:
        long = df[col].map(lambda v: isinstance(v, str) and len(v) > CELL_CHARS).to_numpy(dtype=bool)
        if long.any():
            out = out.copy() if out is df else out
            out.loc[long, col] = out.loc[long, col].str[:CELL_CHARS]
            warnings.warn(f"{path}: {int(long.sum())} cell(s) of column '{col}' (sheet '{sheet}') hold more than the "
                          f"{CELL_CHARS:,} characters a spreadsheet cell holds and were cut; a CSV output keeps them "
                          "whole", TalentWarning, stacklevel=2)
    return out


def write_workbook(path: Path | str, sheets: Mapping[str, pd.DataFrame], *, inputs: Inputs = ()) -> Path:
    """Write several frames as formatted sheets of one XLSX workbook, atomically.

    Formatting: bold, wrapped, shaded header; frozen header row; column widths
    to fit (East Asian characters count double); thousands separators on
    integers, two decimals on fractions, plain years. Printing (and PDF
    conversion, as LibreOffice does it): A4 landscape, fitted to one page
    wide, the header row repeated on every page, gridlines. Text that a
    spreadsheet would run as a formula is written with a leading quote
    (`talent.io.write.safe_frame`).
    """
    def write(tmp: Path) -> None:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        book.set_properties({"created": run_time().replace(tzinfo=None)})  # XlsxWriter takes naive UTC
        formats = _Formats(book)
        for name, frame in sheets.items():
            sheet = name[:31]
            ws = book.add_worksheet(sheet)
            _write_sheet(ws, _cut_long_text(safe_frame(frame), Path(path), sheet), formats)
            _page_setup(ws)
        book.close()

    return write_atomic(path, write, inputs=inputs)
