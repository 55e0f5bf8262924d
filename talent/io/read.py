"""Reading the application's input files.

Tables: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030 as Chinese Excel exports it;
comma, semicolon or tab separated; leading `#` comment lines are skipped),
XLSX and JSON records. Every cell is read as text so validation can report
the exact value a user typed. TOML: settings, taxonomy and planning files.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd

from talent.errors import ConfigError, InputFileError

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json")


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
    """The frame and the number of comment/blank lines skipped before its header."""
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


def _read_json(path: Path) -> pd.DataFrame:
    try:
        records = json.loads(_decode(path, path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path}: not valid JSON ({exc})") from exc
    if isinstance(records, dict) and "data" in records:
        records = records["data"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputFileError(f"{path}: JSON must be a list of records (objects), "
                             "or an object with a 'data' list")
    return pd.DataFrame(records).astype(str)


def _read_excel(path: Path) -> pd.DataFrame:
    try:
        return pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputFileError(f"{path}: not a readable Excel workbook ({exc})") from exc


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
        df = _read_excel(path)
    elif suffix == ".json":
        df = _read_json(path)
    else:
        df, skipped = _read_csv(path)
    if df.shape[1] < 2 and len(df) == 0:
        raise InputFileError(f"{path}: the file is empty; it needs a header row and data rows")
    df.columns = [str(c).strip() for c in df.columns]
    df.attrs["first_row"] = skipped + 2
    df.attrs["source"] = str(path)
    return df


def read_toml(path: Path | str, what: str) -> dict[str, Any]:
    """Parse a TOML file (`what` names it in messages, e.g. 'planning file'); errors are ConfigError."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path}: is a folder; give the path of the {what}")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: {what} not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not a UTF-8 text file; save the {what} as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


def read_output_table(path: Path) -> pd.DataFrame:
    """A table this program wrote (an id-based CSV under an output folder's `tables/`), typed by pandas."""
    try:
        df = pd.read_csv(path)
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: missing") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: not a readable table ({exc}); re-run `talent run` to rewrite it") from exc
    if df.empty:
        raise InputFileError(f"{path}: the table has no rows; re-run `talent run` to rewrite it")
    return df


def read_json(path: Path, what: str) -> Any:
    """Parse a JSON file this program wrote (`what` names it in messages)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: {what} missing") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: the {what} is not valid JSON ({exc}); "
                             "re-run `talent run` to rewrite it") from exc
