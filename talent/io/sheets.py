"""Excel workbooks as input: one sheet, every cell as text.

Without `sheet`, the workbook's only sheet with data is read (hidden sheets
count only when no visible one, or several, hold data); when several sheets
hold data the error lists them and asks for `--sheet NAME`. A sheet is
named by its name (exact, else ignoring case) or by its 1-based number.
"""

from __future__ import annotations

import codecs
import difflib
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from talent.errors import InputFileError, TalentWarning, rows_text, shorten
from talent.io.csv_lines import markup
from talent.io.files import head_bytes
from talent.limits import BYTES_PER_SHEET_CELL, check_sheet, memory_limit

OLE = b"\xd0\xcf\x11\xe0"  # an OLE compound file: an old .xls, or an encrypted (password-protected) .xlsx
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
ENCRYPTED_FIX = ("open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password: "
                 "clear it) and save it as .xlsx, or save the sheet as CSV")


def ole_kind(raw: bytes) -> str:
    """What an OLE compound file (`raw` starts with `OLE`) is: a password-protected workbook (its streams
    EncryptionInfo and EncryptedPackage) or an old Excel 97-2003 one, with the fix."""
    if any(name in raw for name in _ENCRYPTED):
        return f"a password-protected (encrypted) Excel workbook, which cannot be read. Fix: {ENCRYPTED_FIX}"
    return ("an old Excel 97-2003 workbook (.xls), which this reader does not take. Fix: open it in Excel or "
            "LibreOffice and save it as .xlsx (Excel Workbook) or CSV")


def _check_ole(path: Path) -> None:
    """A workbook that is an OLE compound file, not a ZIP archive, named for what it is."""
    try:
        with path.open("rb") as f:
            raw = f.read()
    except OSError:
        return
    if raw.startswith(OLE):
        raise InputFileError(f"{path}: not a readable .xlsx workbook: it looks like {ole_kind(raw)}")


def _looks_like(path: Path) -> str:
    """'; it looks like …' for a file named .xlsx that is not a ZIP archive: text (CSV), or empty."""
    head = head_bytes(path)
    if head is None:
        return ""
    if not head:
        return "; the file is empty"
    if head.startswith(b"PAR1"):
        return "; it looks like a Parquet file: if it is one, name it .parquet; if it is a workbook,"
    if head.startswith(b"PK\x03\x04"):  # a ZIP archive's start without its end: a workbook cut short
        return ("; it starts as a workbook does but is damaged or incomplete (cut short by an interrupted download "
                "or copy?): get the file again, or if it opens,")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return ""
    if markup(text):
        return f"; it is {markup(text)}, as a system's 'Export to Excel' often saves one: to read it,"
    if text.strip() and "\x00" not in text:
        return "; it looks like a text file: if it is a CSV table, name it .csv"
    return ""


_OTHER = "give the workbook that holds the table, as .xlsx or CSV"
_ZIP_KINDS = (("xl/workbook.bin", "an Excel binary workbook (.xlsb)", "save it in Excel as .xlsx or CSV"),
              ("word/", "a Word document (.docx), not a workbook", _OTHER),
              ("ppt/", "a PowerPoint file (.pptx), not a workbook", _OTHER),
              ("content.xml", "an OpenDocument file (.ods, LibreOffice Calc)", "save it as .xlsx or CSV"),
              ("Index/Document.iwa", "an Apple Numbers file", "export it from Numbers as .xlsx or CSV"))


def _check_zip_kind(path: Path) -> None:
    """A ZIP archive named .xlsx that is another kind of document (by its parts), named with its own fix."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except Exception:  # not a ZIP archive, or a damaged one: the reader's own message says so
        return
    for part, what, fix in _ZIP_KINDS:
        if any(n.startswith(part) for n in names):
            raise InputFileError(f"{path}: not a readable .xlsx workbook: it looks like {what}. Fix: {fix}")


def _open(path: Path) -> pd.ExcelFile:
    _check_ole(path)
    try:
        return pd.ExcelFile(path, engine="openpyxl")
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook (AttributeError, XML ParseError…)
        _check_zip_kind(path)  # or another document in a ZIP archive
        raise InputFileError(f"{path}: not a readable Excel workbook ({shorten(str(exc) or type(exc).__name__)})"
                             f"{(hint := _looks_like(path))}{' ' if hint.endswith(',') else '; '}open it in Excel or "
                             "LibreOffice and save it again as .xlsx"
                             ) from exc


def _parse(book: pd.ExcelFile, path: Path, name: str, nrows: int | None = None) -> pd.DataFrame:
    try:
        df = pd.read_excel(book, sheet_name=name, header=None, dtype=str, keep_default_na=False, nrows=nrows)
    except Exception as exc:  # openpyxl raises many types for damaged sheets
        raise InputFileError(f"{path}: sheet '{name}' is not readable ({shorten(str(exc) or type(exc).__name__)}); "
                             "open the workbook and save it again as .xlsx") from exc
    return df.fillna("").astype(str)


def _has_data(df: pd.DataFrame) -> bool:
    return any(str(v).strip() for v in df.to_numpy().ravel())


def _listing(names: list[str], most: int = 10) -> str:
    """Sheet names for a message: the first `most`, then how many more (a workbook may hold hundreds)."""
    more = f" and {len(names) - most:,} more" if len(names) > most else ""
    return ", ".join(f"'{shorten(n, 60)}'" for n in names[:most]) + more


def _named(path: Path, names: list[str], sheet: str) -> str:
    if sheet in names:
        return sheet
    folded = [n for n in names if n.casefold() == sheet.strip().casefold()]
    if folded:
        return folded[0]
    if sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    folded_names = {n.casefold(): n for n in names}
    guess = difflib.get_close_matches(sheet.strip().casefold(), list(folded_names), n=1, cutoff=0.6)
    hint = f"did you mean '{folded_names[guess[0]]}'? " if guess else ""
    raise InputFileError(f"{path}: no sheet named '{shorten(sheet, 60)}'; {hint}the workbook's sheets are "
                         f"{_listing(names)} (--sheet takes a name or a number from 1 to {len(names)})")


def _check_formulas(path: Path, name: str) -> dict[tuple[int, int], str]:
    """Cells holding an Excel error (#REF!, #DIV/0!, #N/A) and formula cells saved without their results (a
    workbook written by a program and never opened in a spreadsheet) read as empty: they are returned by (row,
    column), 0-based, with the error or the formula text, to be problems only in a column the table reads (an
    error in a notes column is no matter)."""
    from openpyxl import load_workbook

    try:
        formulas = load_workbook(path, read_only=True, data_only=False)[name]
        results = load_workbook(path, read_only=True, data_only=True)[name]
    except Exception:  # the sheet was readable once; its rows' problems speak for themselves
        return {}
    found = {}
    for i, (row_f, row_v) in enumerate(zip(formulas.iter_rows(), results.iter_rows(), strict=False)):
        for j, (f, v) in enumerate(zip(row_f, row_v, strict=False)):
            if getattr(v, "data_type", None) == "e":
                found[(i, j)] = str(v.value)
            elif isinstance(f.value, str) and f.value.startswith("=") and v.value is None:
                found[(i, j)] = f.value
    return found


def unsaved_formulas(path: str, df: pd.DataFrame, attrs: Mapping[Any, Any]) -> None:
    """Refuse a table whose columns read (`df`) hold formulas saved without results (`attrs`: the table's, whose
    "unsaved" maps formula text -> cell, from `read_sheet`): one error naming the first, not a problem per row."""
    formulas = attrs.get("unsaved") or {}
    cells = df.astype(str).to_numpy().ravel().tolist() if formulas else []
    found = [(formulas[c], c) for c in cells if c in formulas]
    if found:
        cell, formula = found[0]
        raise InputFileError(f"{path}: sheet '{attrs.get('sheet')}' has {len(found)} formula cell(s) without saved "
                             f"results (e.g. {cell}: {shorten(formula, 60)}), which read as empty; open the workbook "
                             "in Excel or LibreOffice and save it (that stores the results), or export it as CSV")


def _check_extent(path: Path, sheet: Any, where: str | None) -> None:
    """A value far from the table (XFD1048576) makes a 5 KB workbook read as 17 billion cells: when the sheet's
    declared size is beyond the memory limit, its cells with a value are found and their span checked first."""
    rows, columns = getattr(sheet, "max_row", None) or 0, getattr(sheet, "max_column", None) or 0
    if where is None or float(rows) * columns * BYTES_PER_SHEET_CELL <= memory_limit():
        return
    far_row, far_col = 0, 0
    try:
        with zipfile.ZipFile(path) as z, z.open(where) as xml:
            for _, element in ElementTree.iterparse(xml):
                if element.tag.endswith("}c") and any(c.text for c in element.iter() if c is not element):
                    row, col = coordinate_to_tuple(element.get("r", "A1"))
                    far_row, far_col = max(far_row, row), max(far_col, col)
                if not element.tag.endswith(("}v", "}t", "}is", "}f")):
                    element.clear()
    except Exception:  # unreadable here: the reader names the damage
        return
    check_sheet(path, far_row, far_col, f"{get_column_letter(max(far_col, 1))}{far_row}")


def _merged_ranges(path: Path, where: str) -> list[tuple[str, int, int, int, int]]:
    """The sheet's merged ranges: (ref, first row, last row, first column, last column), 1-based."""
    out = []
    with zipfile.ZipFile(path) as z, z.open(where) as xml:
        for _, element in ElementTree.iterparse(xml):
            ref = element.get("ref", "") if element.tag.endswith("}mergeCell") else ""
            if re.fullmatch(r"[A-Z]+\d+:[A-Z]+\d+", ref):
                (r1, c1), (r2, c2) = (coordinate_to_tuple(p) for p in ref.split(":"))
                out.append((ref, r1, r2, c1, c2))
            element.clear()
    return out


def merged_in_table(file: str, used: set[int], rows: Sequence[int], attrs: Mapping[Any, Any]) -> None:
    """Refuse cells merged over the table's cells (`used`: the 1-based columns read; `rows`: the sheet rows of
    data; `attrs`: the table's, whose "merged" lists the sheet's merged ranges): down several rows (a region
    typed once for its block) they read as a value in the first row and blanks below, across columns as a value
    and blanks beside it. A merged title above the table, or a merged note in a column not read, is no matter.
    One error naming the first such range instead of an 'empty' problem per row."""
    data = set(rows)
    down, across = [], []
    for ref, r1, r2, c1, c2 in attrs.get("merged") or []:
        if r2 > r1 and data.intersection(range(r1 + 1, r2 + 1)) and used.intersection(range(c1, c2 + 1)):
            down.append(ref)
        elif c2 > c1 and r1 in data and used.intersection(range(c1 + 1, c2 + 1)):
            across.append(ref)
    for found, how, blank in ((down, "down several rows", "the first row and empty cells below it"),
                              (across, "across columns", "the first column and empty cells beside it")):
        if found:
            more = f" and {len(found) - 1} more" if len(found) > 1 else ""
            raise InputFileError(f"{file}: sheet '{attrs.get('sheet')}' has cells merged {how} ({found[0]}{more}), "
                                 f"which read as a value in {blank}; unmerge them and fill the value into every "
                                 f"{'row' if found is down else 'cell'} (or export the sheet as CSV after filling)")


_HIDDEN_TAG = re.compile(rb"<(?:\w+:)?(row|col)\b[^>]*>")
_ATTR = re.compile(rb'\b(r|min|max|hidden)="([^"]*)"')


def _hidden(path: Path, where: str | None) -> tuple[list[int], list[int]]:
    """The hidden rows and columns (1-based) of a sheet, from its XML read in chunks (a tag scan: fast on a
    sheet of a million rows, where parsing the XML again would take seconds)."""
    rows: list[int] = []
    cols: list[int] = []
    if where is None:
        return rows, cols
    try:
        with zipfile.ZipFile(path) as z, z.open(where) as xml:
            tail = b""
            while chunk := xml.read(1 << 20):
                text = tail + chunk
                cut = text.rfind(b"<")  # a tag cut by the chunk's end is scanned with the next chunk
                for tag in _HIDDEN_TAG.finditer(text, 0, cut if cut > 0 else len(text)):
                    attrs = dict(_ATTR.findall(tag.group(0)))
                    if attrs.get(b"hidden") not in (b"1", b"true"):
                        continue
                    if tag.group(1) == b"row" and attrs.get(b"r", b"").isdigit():
                        rows.append(int(attrs[b"r"]))
                    elif tag.group(1) == b"col" and attrs.get(b"min", b"").isdigit():
                        last = attrs.get(b"max", b"")
                        cols += range(int(attrs[b"min"]), int(last if last.isdigit() else attrs[b"min"]) + 1)
                tail = text[cut:] if cut > 0 else b""
    except Exception:  # unreadable here: the reader names the damage
        return [], []
    return rows, cols


def warn_hidden(file: str, used: set[int], rows: Sequence[int], attrs: Mapping[Any, Any]) -> None:
    """A warning naming the hidden rows of data and hidden columns read (`used`: 1-based columns read; `rows`:
    the sheet rows of data; `attrs`: the table's, whose "hidden" holds the sheet's hidden rows and columns):
    they are read like the others, since dropping them would lose data silently, but a user who hid them may
    not want them counted. A hidden title row or notes column is no matter."""
    hidden_rows, hidden_cols = attrs.get("hidden") or ([], [])
    found = sorted(set(hidden_rows) & set(rows))
    cols = sorted(set(hidden_cols) & used)
    parts = ([rows_text(found)] if found else []) + (
        [("column " if len(cols) == 1 else "columns ") + ", ".join(get_column_letter(c) for c in cols)] if cols
        else [])
    if parts:
        warnings.warn(f"{file}: sheet '{attrs.get('sheet')}' has hidden {' and '.join(parts)}, read as data like "
                      "the others; if they should not count, delete them from the sheet (unhide them to see them)",
                      TalentWarning, stacklevel=3)


def _choose(book: pd.ExcelFile, path: Path, names: list[str]) -> str:
    """The sheet to read without --sheet: the only one with data; else the only visible one (a hidden sheet is
    a lookup list); else the only one holding a table (a row of three cells or more in its first 20 rows; a
    sheet of notes beside it is skipped, with a warning). Several tables are refused, listing them."""
    heads = {n: _parse(book, path, n, nrows=20) for n in names}
    filled = [n for n in names if _has_data(heads[n])]
    shown = [n for n in filled if getattr(book.book[n], "sheet_state", "visible") == "visible"]
    filled = shown if len(shown) == 1 else filled
    tables = [n for n in filled if ((heads[n].to_numpy() != "").sum(axis=1) >= 3).any()]
    if len(filled) > 1 and len(tables) == 1:
        others = [n for n in filled if n != tables[0]]
        warnings.warn(f"{path}: sheet '{tables[0]}' is read, the only one holding a table; the other sheet(s) "
                      f"with cells filled ({_listing(others)}) hold none and are skipped (--sheet NAME chooses "
                      "another)", TalentWarning, stacklevel=4)
        filled = tables
    if len(filled) > 1:
        raise InputFileError(f"{path}: the workbook has {len(filled)} sheets with data ({_listing(filled)}); choose "
                             "one with --sheet NAME, or save that sheet as its own file")
    return filled[0] if filled else names[0]


def read_sheet(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The cells of one sheet as text, header in row 0 (see the module docstring for which sheet)."""
    book = _open(path)
    with book:
        names = [str(n) for n in book.sheet_names]
        name = _named(path, names, sheet) if sheet is not None else _choose(book, path, names)
        where = getattr(book.book[name], "_worksheet_path", None)
        _check_extent(path, book.book[name], where)
        df = _parse(book, path, name)
        epoch = getattr(book.book, "epoch", None)  # day 0 of the workbook's calendar: its dates' day numbers
    unsaved: dict[str, str] = {}  # formula text -> its cell, for formulas saved without results
    merged: list[tuple[str, int, int, int, int]] = []
    if (df.to_numpy() == "").any():
        for (i, j), error in _check_formulas(path, name).items():
            if i < df.shape[0] and j < df.shape[1]:
                df.iat[i, j] = error  # as Excel shows it: a problem of its row if its column is read
                if error.startswith("="):
                    unsaved[error] = f"{get_column_letter(j + 1)}{i + 1}"
        try:
            merged = _merged_ranges(path, where) if where else []
        except Exception:  # the sheet was readable once; its rows' problems speak for themselves
            merged = []
    _percents(path, name, df)
    out = _without_blank_rows(df)
    out.attrs.update(epoch=epoch, unsaved=unsaved, sheet=name, merged=merged, hidden=_hidden(path, where),
                     text_columns=_text_numbers(path, name, df))
    return out


_FRACTION = re.compile(r"[-+]?\d?\.\d+")  # a number below 10 with decimals: what a percentage cell holds


def _percents(path: Path, name: str, df: pd.DataFrame) -> None:
    """Numbers in cells formatted as percentages (0.12 shown as 12%) are read as the sheet shows them, '12%': a
    share is no headcount, and read as the number it was 0.12 persons without a word. The workbook is opened
    again only when a cell could be one (a number below 10 with decimals)."""
    hits = df.apply(lambda c: c.astype(str).str.strip().str.fullmatch(_FRACTION.pattern)).to_numpy(dtype=bool)
    if not hits.any():
        return
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True)[name]
    except Exception:  # the sheet was readable once; its rows' problems speak for themselves
        return
    for i, row in enumerate(sheet.iter_rows(max_row=df.shape[0])):
        for j, cell in enumerate(row[: df.shape[1]]):
            if hits[i, j] and "%" in str(getattr(cell, "number_format", "")):
                df.iat[i, j] = f"{float(str(df.iat[i, j])) * 100:g}%"


_DOTTED = re.compile(r"[1-9]\d{0,2}\.\d{3}")  # 1.057: the number 1.057, or 1057 grouped the European way


def _text_numbers(path: Path, name: str, df: pd.DataFrame) -> list[int]:
    """Columns (0-based) with a number stored as text that reads two ways ('1.057' typed or pasted into a cell
    formatted as text): a person's typing, read as a CSV file's cells are (`talent.io.numbers`), where a number
    cell of 1.057 is the number. The workbook is opened again only when such a text shows up."""
    hits = df.apply(lambda c: c.astype(str).str.strip().str.fullmatch(_DOTTED.pattern)).to_numpy(dtype=bool)
    columns = sorted({int(j) for j in hits.nonzero()[1]})
    if not columns:
        return []
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True)[name]
        found = {j for row in sheet.iter_rows(max_col=columns[-1] + 1) for j in columns if j < len(row)
                 and getattr(row[j], "data_type", None) == "s" and _DOTTED.fullmatch(str(row[j].value).strip())}
    except Exception:  # the sheet was readable once; its cells are read as numbers then
        return []
    return sorted(found)


def _without_blank_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Blank rows dropped, as a CSV reader skips blank lines (a blank row between two blocks was one
    problem per column); `attrs["lines"]` keeps each row's number in the sheet."""
    filled = [i for i, row in enumerate(df.to_numpy(dtype=object)) if any(str(v).strip() for v in row)]
    if len(filled) == len(df):
        return df
    out = df.iloc[filled].reset_index(drop=True)
    out.attrs["lines"] = [i + 1 for i in filled]
    return out
