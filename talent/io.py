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
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from talent.errors import InputFileError, OutputError

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


def _check_target(path: Path) -> None:
    if path.resolve() in _inputs_read:
        raise OutputError(f"{path}: refusing to overwrite an input file; choose another output path")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)


def write_atomic(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    _check_target(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
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


def write_workbook(path: Path | str, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write several frames as formatted sheets of one XLSX workbook, atomically.

    Formatting: bold header, frozen header row, column widths to fit, thousands
    separators on integers and two decimals on fractions.
    """
    from openpyxl.styles import Font

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in sheets.items():
                sheet = name[:31]
                df.to_excel(xw, sheet_name=sheet, index=False)
                ws = xw.sheets[sheet]
                ws.freeze_panes = "A2"
                for cell in ws[1]:
                    cell.font = Font(bold=True)
                for j, col in enumerate(df.columns, start=1):
                    letter = ws.cell(row=1, column=j).column_letter
                    width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
                    ws.column_dimensions[letter].width = min(max(10, width * 1.2 + 2), 60)
                    if pd.api.types.is_integer_dtype(df[col]):
                        fmt = "#,##0"
                    elif pd.api.types.is_float_dtype(df[col]):
                        fmt = "#,##0.00" if df[col].abs().max(skipna=True) < 100 else "#,##0"
                    else:
                        continue
                    for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        row[0].number_format = fmt

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
