"""All file reading and writing of the application.

Reading: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 as Chinese Excel exports it;
comma, semicolon or tab separated; leading `#` comment lines are skipped),
XLSX and JSON records. Every cell is read as text so validation can report
the exact value a user typed.

Writing is atomic (a temporary file in the same folder, then a rename): a
failed run never leaves a half-written file. A file read as an input in this
process is never overwritten.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from talent.errors import ConfigError, InputFileError, OutputError

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json")
_inputs_read: set[Path] = set()


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise InputFileError(f"{path}: this is not a text table (it contains binary data); "
                             "save it as CSV (UTF-8) or XLSX")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"{path}: text encoding not recognised; save it as UTF-8 or GBK")


def _read_csv(path: Path) -> tuple[pd.DataFrame, int]:
    text = _decode(path, path.read_bytes())
    lines = text.splitlines()
    skipped = 0
    while skipped < len(lines) and (lines[skipped].lstrip().startswith("#") or not lines[skipped].strip()):
        skipped += 1
    body = "\n".join(lines[skipped:])
    if not body.strip():
        raise InputFileError(f"{path}: the file is empty; it needs a header row and data rows")
    try:
        sep = csv.Sniffer().sniff(lines[skipped], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    try:
        df = pd.read_csv(io.StringIO(body), sep=sep, dtype=str, keep_default_na=False,
                         skipinitialspace=True)
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable table ({exc}); "
                             "check that every row has the same number of separators") from exc
    return df, skipped


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a table with every cell as text.

    The frame's `attrs["first_row"]` is the file line number (1-based) of its
    first data row, so row numbers in messages match what an editor shows.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: file not found")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a table file")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputFileError(f"{path}: unknown table format '{suffix}'; use one of "
                             + ", ".join(TABLE_SUFFIXES))
    skipped = 0
    if suffix in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise InputFileError(f"{path}: not a readable Excel workbook ({exc})") from exc
    elif suffix == ".json":
        try:
            records = json.loads(_decode(path, path.read_bytes()))
        except json.JSONDecodeError as exc:
            raise InputFileError(f"{path}: not valid JSON ({exc})") from exc
        if isinstance(records, dict) and "data" in records:
            records = records["data"]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InputFileError(f"{path}: JSON must be a list of records (objects), "
                                 "or an object with a 'data' list")
        df = pd.DataFrame(records).astype(str)
    else:
        df, skipped = _read_csv(path)
    if df.shape[1] < 2 and len(df) == 0:
        raise InputFileError(f"{path}: the file is empty; it needs a header row and data rows")
    df.columns = [str(c).strip() for c in df.columns]
    df.attrs["first_row"] = skipped + 2
    df.attrs["source"] = str(path)
    _inputs_read.add(path.resolve())
    return df


def read_toml(path: Path | str, what: str) -> dict[str, Any]:
    """Parse a TOML file (`what` names it in messages, e.g. 'planning file'); errors are ConfigError."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: {what} not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    _inputs_read.add(path.resolve())
    return raw


def _check_target(path: Path) -> None:
    if path.resolve() in _inputs_read:
        raise OutputError(f"{path}: refusing to overwrite an input file; choose another output path")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)


def write_atomic(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    _check_target(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path | str, text: str) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of `df` (values as displayed by str)."""
    def cell(v: object) -> str:
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).replace("|", "\\|")

    head = "| " + " | ".join(map(str, df.columns)) + " |"
    rule = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(t) else "---" for t in df.dtypes) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


_MAX_CELLS = 40  # widest column, in character cells; longer text wraps
_YEAR_HEADERS = {"year", "年份", "年", "origin", "起始年份"}


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


def _is_year_column(name: object, values: pd.Series) -> bool:
    label = str(name).strip().casefold()
    if not (label in _YEAR_HEADERS or label.endswith((" year", "_year", "年份"))):
        return False
    v = values.dropna()
    return bool(v.empty or ((v >= 1000) & (v <= 9999)).all())


def _number_format(name: object, values: pd.Series) -> str | None:
    """The XLSX number format of a column, None for text."""
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return "0" if _is_year_column(name, values) else "#,##0"
    if pd.api.types.is_float_dtype(values):
        if _is_year_column(name, values):
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


def write_workbook(path: Path | str, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write several frames as formatted sheets of one XLSX workbook, atomically.

    Formatting: bold, wrapped, shaded header; frozen header row; column widths
    to fit (East Asian characters count double); thousands separators on
    integers, two decimals on fractions, plain years. Printing (and PDF
    conversion, as LibreOffice does it): A4 landscape, fitted to one page
    wide, the header row repeated on every page, gridlines.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header_border = Border(bottom=Side(style="thin"))
    wrap_align = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center")

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in sheets.items():
                sheet = name[:31]
                df.to_excel(xw, sheet_name=sheet, index=False)
                ws = xw.sheets[sheet]
                ws.freeze_panes = "A2"
                for cell in ws[1]:
                    cell.font = header_font
                    cell.fill = header_fill
                    cell.alignment = header_align
                    cell.border = header_border
                header_lines = 1
                tall_rows: set[int] = set()
                for j, col in enumerate(df.columns, start=1):
                    values = df.iloc[:, j - 1]
                    fmt = _number_format(col, values)
                    width, lines = _column_width(col, values, fmt)
                    ws.column_dimensions[get_column_letter(j)].width = width
                    header_lines = max(header_lines, lines)
                    cells = (row[0] for row in ws.iter_rows(min_row=2, min_col=j, max_col=j))
                    if fmt is not None:
                        for cell in cells:
                            cell.number_format = fmt
                            if fmt == "0":
                                cell.alignment = centre
                    elif any(_display_width(str(v)) > _MAX_CELLS for v in values):
                        # long text wraps; rows are made tall enough as no reader auto-fits them reliably
                        for cell in cells:
                            cell.alignment = wrap_align
                            lines = _wrapped_lines(str(cell.value or ""), (width - 2) * 1.1)
                            if lines > 1:
                                dim = ws.row_dimensions[cell.row]
                                dim.height = max(dim.height or 0, 15 * lines + 2)
                                tall_rows.add(cell.row)
                for r in tall_rows:  # the other cells of a wrapped row line up at its top
                    for cell in ws[r]:
                        if not cell.alignment.wrap_text:
                            cell.alignment = Alignment(horizontal=cell.alignment.horizontal, vertical="top")
                ws.row_dimensions[1].height = 15 * header_lines + 3
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

    return write_atomic(path, write)


def write_table(df: pd.DataFrame, path: Path | str, *, meta: Mapping[str, object] | None = None) -> Path:
    """Write one frame atomically, the format chosen by the suffix (.csv .xlsx .json .md).

    `meta` (for example a run manifest) goes into the JSON object's `meta`
    field, or a `provenance` sheet in XLSX; CSV and Markdown carry data only.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_atomic(path, lambda tmp: tmp.write_text(
            df.to_csv(index=False, lineterminator="\n"), encoding="utf-8"))
    if suffix == ".xlsx":
        sheets = {"data": df}
        if meta:
            sheets["provenance"] = pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})
        return write_workbook(path, sheets)
    if suffix == ".json":
        records = json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))
        doc = {"meta": dict(meta or {}), "data": records}
        return write_text(path, json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")
    if suffix == ".md":
        return write_text(path, markdown_table(df))
    raise OutputError(f"{path}: unknown output format '{suffix}'; use .csv, .xlsx, .json or .md")
