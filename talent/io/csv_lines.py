"""Lines of a CSV text before it is parsed: a title above the column names, and NUL characters.

A title of one or two cells above the column names ('表1 …' above 'region,role,…') has fewer separators
than the table and stops a CSV parser; its lines are padded so the table parses and the series reader
finds the column names below it (`talent.io.title_rows`). NUL characters, which a crash, a full disk or a
bad copy leaves in a file, are refused naming the first line. A web page or an XML document saved under a
table's name (a system's "Export to Excel" often writes one) is named as what it is. Rows wider than the
column names only by empty cells (separators at the end of a line) are read; wider by a value, they are named.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from talent.errors import InputFileError, shorten


def title_above(lines: list[str], start: int, searched: int = 20) -> str | None:
    """The separator of a table whose first lines (from `start`) are a title of one or two cells, narrower
    than the column names below them ('表1 …' above 'region,role,…'): those lines are padded with separators
    in `lines`, so the table parses and the series reader finds its column names below the title. None (and
    `lines` untouched) for any other file."""
    for k in range(start + 1, min(start + searched, len(lines))):
        try:  # a blank line or a note without separators between the title and the column names
            sep = csv.Sniffer().sniff(lines[k][:10_000], delimiters=",;\t").delimiter
        except csv.Error:
            continue
        try:  # cells beyond the csv module's limit (a line of a million characters) are no title
            width = len(next(csv.reader([lines[k]], delimiter=sep)))
            above = [next(csv.reader([line], delimiter=sep), []) for line in lines[start:k]]
        except csv.Error:
            return None
        if width < 3:
            continue
        if any(re.fullmatch(r"[-+]?\d+([.,]\d+)?", c.strip()) for c in next(csv.reader([lines[k]], delimiter=sep))):
            return None  # a row of numbers is data, not the column names: a ragged table, named by the parser
        if not all(len(cells) < width and sum(bool(c.strip()) for c in cells) <= 2 for cells in above):
            return None
        for i, cells in enumerate(above, start):
            lines[i] += sep * (width - max(len(cells), 1))
        return sep
    return None


_SPREADSHEET_XML = "urn:schemas-microsoft-com:office:spreadsheet"


def markup(text: str) -> str | None:
    """What a text that is markup, not a table, is ('a web page (HTML)', …), or None. Web applications'
    "Export to Excel" often writes an HTML table or an Excel 2003 XML spreadsheet under a .xls, .xlsx or .csv
    name; read as CSV it was 'a header but no data rows' or five missing columns."""
    head = text.lstrip("\ufeff \t\r\n")[:2048].casefold()
    if head.startswith(("<!doctype html", "<html", "<table", "<head", "<body", "<meta")):
        return "a web page (HTML), not a table file"
    if head.startswith("<?xml") or head.startswith("<workbook"):
        if _SPREADSHEET_XML in text[:4096] or "<workbook" in head:
            return "an Excel 2003 XML spreadsheet (.xml), not a table file this reader takes"
        return "an XML document, not a table file"
    return None


def markup_error(path: Path, text: str) -> None:
    """Refuse a markup text (`markup`) with the fix."""
    kind = markup(text)
    if kind:
        raise InputFileError(f"{path}: this is {kind} (it starts with {shorten(repr(text.lstrip()[:40]), 60)}); a "
                             "system's 'Export to Excel' often saves one. Fix: open it in Excel or LibreOffice and "
                             "save it as .xlsx or CSV, or export the table again as CSV")


def no_nul(path: Path, text: str) -> None:
    """NUL characters in a text table (a crash, a full disk or a bad copy leaves them; a CSV never has them) are
    refused naming the first line, never read as part of a value."""
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise InputFileError(f"{path}, row {line}: the text holds NUL characters (\\x00; {text.count(chr(0)):,} in the "
                             "file), which a table never has: the file is damaged (a crash, a full disk or a bad "
                             "copy). Fix: get the file again, or delete those characters and check the rows around "
                             "them")


def wider_rows(path: Path, body: str, sep: str, skipped: int) -> pd.DataFrame:
    """The table of `body` when rows wider than the column names are wider only by empty cells (separators at
    the end of a line: dropped, as empty trailing columns are); a row with more cells filled is a named error
    (its file row, the cells beyond the last column, the fix). The header is `body`'s first record."""
    reader = csv.reader(io.StringIO(body), delimiter=sep, skipinitialspace=True)
    records, width = [], None
    for record in reader:
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # a blank line, skipped as the parser skips it
        width = width or len(record)
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            raise InputFileError(f"{path}, row {reader.line_num + skipped}: the row has {len(record)} cells, more "
                                 f"than the {width} column names (value: {shorten(repr(sep.join(extra)), 120)}). Fix: "
                                 "delete the extra cells or name their columns in the header row (if the lines "
                                 "above the table are a title, delete them or start them with #)")
        records.append(record[:width] + [""] * (width - len(record)))
    return pd.DataFrame(records, dtype=str)
