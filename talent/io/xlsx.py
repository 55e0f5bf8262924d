"""XLSX workbooks a reader can use as they are: formatted, sized to fit, printable.

Column widths are estimated here (East Asian characters count double, headers
wrap on at most three lines) because neither openpyxl nor LibreOffice fits
them, and XlsxWriter's autofit measures CJK text as narrow Latin glyphs.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Mapping
from copy import copy
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import pandas as pd

from talent.errors import TalentWarning
from talent.io.manifest import fixed_time
from talent.io.write import Inputs, safe_frame, write_atomic

_MAX_CELLS = 40  # widest column, in character cells; longer text wraps
CELL_CHARS = 32_767  # the most characters a spreadsheet cell holds (Excel's limit)
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



def _style_header(ws: Any) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(bottom=Side(style="thin"))


def _wrap_long_text(ws: Any, j: int, width: float, tall_rows: set[int]) -> None:
    """Wrap a text column's cells; make rows tall enough, as no reader auto-fits them reliably."""
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
        cell.alignment = wrap
        lines = _wrapped_lines(str(cell.value or ""), (width - 2) * 1.1)
        if lines > 1:
            dim = ws.row_dimensions[cell.row]
            dim.height = max(dim.height or 0, 15 * lines + 2)
            tall_rows.add(cell.row)


def _number_column(ws: Any, j: int, fmt: str, alignment: Any) -> None:
    """Number format `fmt` (and `alignment`) on column `j`'s data cells. The first cell is styled
    through openpyxl; the others get a copy of its style record (`cell._style`): setting the
    format cell by cell looks it up in the workbook's tables each time, which took most of the
    time of a large workbook (a regional plan: 144,000 cells)."""
    style = None
    for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
        if style is None:
            cell.number_format = fmt
            if alignment is not None:
                cell.alignment = alignment
            style = cell._style
        else:
            cell._style = copy(style)


def _format_columns(ws: Any, df: pd.DataFrame) -> None:
    """Widths, number formats and wrapping per column; the header row's height."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    header_lines = 1
    tall_rows: set[int] = set()
    top: dict[int, Any] = {}  # per column not wrapped: its cells' alignment in a tall row
    for j, col in enumerate(df.columns, start=1):
        values = df.iloc[:, j - 1]
        fmt = _number_format(col, values)
        width, lines = _column_width(col, values, fmt)
        ws.column_dimensions[get_column_letter(j)].width = width
        header_lines = max(header_lines, lines)
        centre = "center" if fmt == "0" else None
        if fmt is not None:
            _number_column(ws, j, fmt, Alignment(horizontal=centre) if centre else None)
        elif any(_display_width(str(v)) > _MAX_CELLS for v in values):
            _wrap_long_text(ws, j, width, tall_rows)
            continue
        top[j] = Alignment(horizontal=centre, vertical="top")
    for r in tall_rows:  # the other cells of a wrapped row line up at its top
        # bounds given: ws[r] would scan every cell of the sheet for its width, once per row
        for cell in next(ws.iter_rows(min_row=r, max_row=r, max_col=len(df.columns))):
            if cell.column in top:
                cell.alignment = top[cell.column]
    ws.row_dimensions[1].height = 15 * header_lines + 3


def _page_setup(ws: Any) -> None:
    """A4 landscape, one page wide, header repeated on every page, gridlines, sheet name in the footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&A — &P / &N"


def _cut_long_text(df: pd.DataFrame, path: Path, sheet: str) -> pd.DataFrame:
    """Text longer than a spreadsheet cell holds (32,767 characters) cut, with a `TalentWarning` naming where
    (openpyxl cut it with a bare UserWarning pointing into this module)."""
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
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, frame in sheets.items():
                sheet = name[:31]
                df = _cut_long_text(safe_frame(frame), Path(path), sheet)
                df.to_excel(xw, sheet_name=sheet, index=False)
                ws = xw.sheets[sheet]
                _style_header(ws)
                _format_columns(ws, df)
                _page_setup(ws)
        _reproducible(tmp)

    return write_atomic(path, write, inputs=inputs)


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def _reproducible(path: Path) -> None:
    """With `SOURCE_DATE_EPOCH` set (`talent.io.manifest.fixed_time`), the workbook's creation and
    modification times and its zip entries' times become that time (openpyxl stamps the time of
    saving), so the same tables give the same bytes; otherwise the file is left as written."""
    when = fixed_time()
    if when is None:
        return
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # the zip format starts in 1980
    with ZipFile(path) as src:
        members = [(info, src.read(info.filename)) for info in src.infolist()]
    with ZipFile(path, "w", ZIP_DEFLATED) as dst:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m.group(1) + stamp, data)
            entry = ZipInfo(info.filename, date_time=zip_time)
            entry.compress_type, entry.external_attr = ZIP_DEFLATED, info.external_attr
            dst.writestr(entry, data)
