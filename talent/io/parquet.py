"""Parquet tables, read through DuckDB (already the run store's engine: no other dependency), every cell as text
as the other readers give it, so one validation names the value as the file holds it; and the fix for table
formats this program does not read (an old .xls workbook, an archive, a statistics package's file)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd

from talent.errors import InputFileError, shorten
from talent.io.files import head_bytes
from talent.limits import MAX_COLUMNS

_SAVE = "save it as .xlsx or CSV (UTF-8)"
OTHER_FORMATS = {
    ".xls": f"an Excel 97-2003 workbook, which this reader does not take; open it in Excel or LibreOffice and {_SAVE}",
    ".xlsb": f"an Excel binary workbook; open it in Excel and {_SAVE}",
    ".ods": f"a LibreOffice/OpenDocument spreadsheet; open it in LibreOffice and {_SAVE}",
    ".numbers": "an Apple Numbers document; export it from Numbers as .xlsx or CSV",
    ".gz": "a compressed file (gzip); unpack it first (gunzip FILE) and give the table inside",
    ".zip": "a ZIP archive; unpack it first and give the table inside",
    ".bz2": "a compressed file (bzip2); unpack it first and give the table inside",
    ".xz": "a compressed file (xz); unpack it first and give the table inside",
    ".7z": "a 7-Zip archive; unpack it first and give the table inside",
    ".feather": "an Arrow/Feather file; save the table as Parquet, CSV or .xlsx",
    ".dta": "a Stata data file; export it as CSV (Stata: export delimited)",
    ".sav": "an SPSS data file; export it as CSV",
}


def _text(value: object) -> str:
    """A Parquet cell as text: '' for null; a whole float without '.0'; dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value)


def _other_kind(path: Path) -> str:
    """'it looks like …: name it …; ' for a file named .parquet that is another table file, '' otherwise."""
    head = head_bytes(path)
    if head is None:
        return ""
    if head.startswith(b"PK\x03\x04"):
        return "it looks like an Excel workbook (or another ZIP archive): if it is a workbook, name it .xlsx; or "
    if head.startswith(b"PAR1"):
        return ""  # a Parquet file, damaged (cut short?)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return "it looks like JSON: if it is, name it .json; or "
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of the block read
            return ""
    return "it looks like a text file: if it is a CSV table, name it .csv; or " if b"\x00" not in head else ""


def read_parquet(path: Path) -> pd.DataFrame:
    """The file's table (header in row 0), every cell as text; a file that is not Parquet is a named error."""
    import duckdb

    try:
        con = duckdb.connect()
        width = len(con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)]).description or [])
        if width > MAX_COLUMNS:
            raise InputFileError(f"{path}: the table has {width:,} columns, more than a spreadsheet holds "
                                 f"({MAX_COLUMNS:,}); keep the columns of the data contract")
        result = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [str(d[0]) for d in result.description or []]
        rows = result.fetchall()
    except duckdb.Error as exc:
        raise InputFileError(f"{path}: not a readable Parquet file ({shorten(str(exc).splitlines()[0], 200)}); "
                             f"{_other_kind(path)}write it again (pandas: DataFrame.to_parquet), or save the table "
                             "as CSV") from None
    cells = [[_text(v) for v in row] for row in rows]
    return pd.DataFrame([names, *cells], dtype=object)
