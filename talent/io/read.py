"""Reading the application's input files.

Tables: CSV (UTF-8, UTF-8 with BOM, UTF-16 or UTF-32 with a BOM, UTF-16
without one, GBK/GB18030 as Chinese Excel exports it; comma, semicolon or tab
separated; leading `#` comment lines are skipped), XLSX (one sheet: the only
one with data, or the one named with `sheet`), JSON records and Parquet (`talent.io.parquet`). Every cell is
read as text so validation can report the exact value a user typed; repeated
column names are refused. TOML: settings, taxonomy and planning files. Every
input is checked first (`talent.io.files`): missing, a folder, a device, a
symbolic-link loop, unreadable, or above the size limit are named errors.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from talent.errors import DataValidationError, InputFileError, Problem, shorten
from talent.io.big5 import big5_line
from talent.io.csv_lines import markup_error, no_nul, title_above, wider_rows
from talent.io.files import bom_encoding, check_input, read_bytes
from talent.io.garbled import garbled, mixed
from talent.io.json_table import read_json_table
from talent.io.parquet import OTHER_FORMATS, read_parquet
from talent.io.sheets import OLE, ole_kind, read_sheet
from talent.io.tsf import read_tsf
from talent.limits import MAX_COLUMNS, MAX_TABLE_BYTES, check_table

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".parquet", ".tsf")
_SIGNATURES = ((b"PK\x03\x04", "an Excel workbook or another ZIP archive; if it is a workbook, name it .xlsx"),
               (b"%PDF", "a PDF document; export the table as CSV or XLSX"),
               (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
               (b"\x1f\x8b", "a gzip archive; unpack it first"), (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
               (b"PAR1", "a Parquet file; name it .parquet"))


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte of the start is NUL (UTF-16 text without a BOM)."""
    head = raw[:4096] if len(raw) % 2 == 0 else raw[:4096][:-1]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_text(path: Path, raw: bytes) -> str:
    """Text of a table file in any of the encodings above; other bytes are a named `InputFileError`."""
    encoding = bom_encoding(raw)
    if raw.startswith(OLE):  # its own fix: "save it as .xlsx or CSV", or remove the password
        raise InputFileError(f"{path}: this is not a text table: it looks like {ole_kind(raw)}")
    kind = next((f"; it looks like {what}" for sig, what in _SIGNATURES if raw.startswith(sig)), "")
    head = raw.rstrip(b"\x00")[:4096]  # a text padded with NULs (a crash) is named by no_nul, as are a few NULs
    if encoding is None and (kind or head.count(0) > len(head) // 100):
        encoding = None if kind else _utf16_without_bom(raw)
        if encoding is None:
            raise InputFileError(f"{path}: this is not a text table (it contains binary data{kind}); "
                                 "save it as CSV (UTF-8, or UTF-16 with a byte-order mark) or XLSX")
    where = ""
    for enc in [encoding] if encoding else ["utf-8", "gb18030"]:
        try:
            text = raw.decode(enc).replace("\ufeff", "")  # a byte-order mark inside: files joined with `cat`
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            western = raw[exc.start:exc.start + 1].decode("cp1252", errors="replace")
            where = where or (f" (the first byte that is not UTF-8: {raw[exc.start]:#04x} on line {line}, "
                              f"{western!r} in Windows-1252)" if enc.startswith("utf-8") else "")
            continue
        _private_use(path, raw, text, enc)
        no_nul(path, text)
        markup_error(path, text)
        if enc in ("utf-8", "utf-8-sig"):  # valid UTF-8, but perhaps UTF-8 read as Windows-1252 and saved again
            garbled(path, text)
        elif enc == "gb18030":  # not UTF-8 as a whole: perhaps partly
            mixed(path, raw)
        return text
    name = encoding.upper() if encoding else "UTF-8 or GBK"
    raise InputFileError(f"{path}: the text is not valid {name}; save it as UTF-8{where}")


def _private_use(path: Path, raw: bytes, text: str, enc: str) -> None:
    """Text read as GBK that reads better as Big5 (`talent.io.big5`), or holds private-use characters (no font
    shows them: another encoding, Shift-JIS…, misread): refused naming the line, never passed on as garbage
    labels."""
    found = re.search(r"[\ue000-\uf8ff]", text) if enc == "gb18030" else None
    big5 = big5_line(raw, text, misread=found is not None) if enc == "gb18030" else None
    if big5:
        raise InputFileError(f"{path}: the text is not valid UTF-8, and it reads as Big5 (Traditional Chinese, as "
                             f"Excel saves CSV in Taiwan or Hong Kong; line {big5[0]} reads {big5[1]!r}), which this "
                             "reader does not take; save it as UTF-8 (Excel: File > Save As > 'CSV UTF-8'), or "
                             "convert it: iconv -f BIG5 -t UTF-8")
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise InputFileError(f"{path}: the text is not valid UTF-8, and read as GBK it holds characters no font "
                             f"shows (line {line}: {shorten(text.splitlines()[line - 1].strip(), 60)!r}); it is "
                             "probably another encoding (Big5, Shift-JIS…); save it as UTF-8")


def _csv_frame(path: Path, body: str, sep: str, skipped: int) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(body), sep=sep, dtype=str, keep_default_na=False, header=None,
                           skipinitialspace=True, skip_blank_lines=True).fillna("")
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        text = re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + skipped}", str(exc).strip())
        quote = re.search(r"EOF inside string starting at row (\d+)", text)
        if quote:  # the row counts from 0 at the header
            row = int(quote.group(1)) + 1 + skipped
            shown = shorten(repr(_line(body, row - skipped)), 120)
            raise InputFileError(f"{path}, row {row}: a cell there opens a double quote (\") that is never closed, so "
                                 f"the rest of the file reads as one cell (value: {shown}). Fix: close the quote, or "
                                 "delete it") from exc
        wider = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
        if wider and int(wider.group(3)) > int(wider.group(1)):
            return wider_rows(path, body, sep, skipped)  # empty cells beyond the last column are dropped
        title = (f"; if the lines above line {wider.group(2)} are a title or notes, delete them or start them "
                 "with #" if wider and int(wider.group(3)) > int(wider.group(1)) else "")
        raise InputFileError(f"{path}: not a readable table ({shorten(text)}); "
                             f"check that every row has the same number of separators{title}") from exc


def _line(body: str, n: int) -> str:
    """Line `n` (1-based) of `body`, '' past its end."""
    lines = body.split("\n", n)
    return lines[n - 1] if len(lines) >= n else ""


def _record_lines(body: str, sep: str, n: int, skipped: int) -> list[int] | None:
    """File line numbers (1-based) of the `n` records parsed from `body` (the header first) when blank lines or
    line breaks inside quoted cells make them differ from one record a line; None when they do not."""
    if body.count("\n") + 1 == n:
        return None
    out, start = [], 1
    reader = csv.reader(io.StringIO(body), delimiter=sep, skipinitialspace=True)
    try:
        for record in reader:
            if record and not (len(record) == 1 and not record[0].strip()):
                out.append(skipped + start)
            start = reader.line_num + 1
    except csv.Error:
        return None
    return out if len(out) == n else None


def line_numbers(df: pd.DataFrame) -> list[int]:
    """The file line number (1-based, as an editor shows it) of each row of a frame from `read_table`."""
    lines = df.attrs.get("lines")
    if lines is not None and len(lines) == len(df):
        return list(lines)
    first = int(df.attrs.get("first_row", 2))
    return list(range(first, first + len(df)))


def _read_csv(path: Path) -> tuple[pd.DataFrame, int, str]:
    """The frame (header in row 0), the comment/blank lines skipped before the header, and the separator;
    the frame's `attrs["lines"]` holds each record's file line when they are not one a line."""
    text = decode_text(path, read_bytes(path, "file", MAX_TABLE_BYTES)).rstrip("\x1a")  # DOS end-of-file mark
    lines = text.splitlines()
    skipped = 0
    while skipped < len(lines) and (lines[skipped].lstrip().startswith("#") or not lines[skipped].strip()):
        skipped += 1
    declared = re.fullmatch(r"\s*sep=(.)\s*", lines[skipped]) if skipped < len(lines) else None
    skipped += 1 if declared else 0  # Excel's "sep=;" line names the separator
    if declared and skipped < len(lines):
        _declared_separator(path, skipped, declared.group(1), lines[skipped])
    titled = None if declared else title_above(lines, skipped)
    body = "\n".join(lines[skipped:])
    if not body.strip():
        raise InputFileError(f"{path}: the file is empty; it needs a header row and data rows")
    try:
        sep = declared.group(1) if declared else titled or csv.Sniffer().sniff(lines[skipped],
                                                                             delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
        _other_separator(path, lines[skipped])
    _check_width(path, lines[skipped], sep)
    frame = _csv_frame(path, body, sep, skipped)
    frame.attrs["lines"] = _record_lines(body, sep, len(frame), skipped)
    frame = _without_empty_records(frame, skipped)
    frame.attrs["open_end"] = not text.endswith(("\n", "\r"))  # no line break after the last line: cut short?
    frame.attrs["comments"] = [(i + 1, line.strip().lstrip("#").strip()) for i, line in enumerate(lines[:skipped])
                               if line.strip()]  # a unit stated there is checked as a title's is
    return frame, skipped, sep


def _without_empty_records(frame: pd.DataFrame, skipped: int) -> pd.DataFrame:
    """Records of separators only (',,,,,': rows a spreadsheet exports below the table or between two blocks)
    dropped, as blank lines are (each was a problem per column); `attrs["lines"]` keeps each record's file line.
    A file of nothing else is left to be named as empty."""
    filled = frame.apply(lambda c: c.str.strip() != "").any(axis=1).to_numpy(dtype=bool)
    if filled.all() or not filled.any():
        return frame
    lines = frame.attrs.get("lines") or range(skipped + 1, skipped + 1 + len(frame))
    out = frame[filled].reset_index(drop=True)
    out.attrs = {**frame.attrs, "lines": [n for n, f in zip(lines, filled, strict=True) if f]}
    return out


def _check_width(path: Path, header: str, sep: str) -> None:
    """A header of more columns than a spreadsheet holds is refused before parsing (a million columns took
    minutes to read)."""
    if header.count(sep) >= MAX_COLUMNS:
        n = len(next(csv.reader([header], delimiter=sep)))
        if n > MAX_COLUMNS:
            raise InputFileError(f"{path}: the header row has {n:,} columns, more than a spreadsheet holds "
                                 f"({MAX_COLUMNS:,}); delete the columns the table does not need, including empty ones "
                                 "(separators at the end of each line)")


def _declared_separator(path: Path, line: int, sep: str, header: str) -> None:
    """Refuse an Excel "sep=X" line (file line `line`) whose separator does not split the column names."""
    if sep in header:
        return
    used = [c for c in ",;\t|" if c in header]
    names = {",": "','", ";": "';'", "\t": "a tab", "|": "'|'"}
    what = f"the column names are separated by {names[used[0]]}" if used else "it does not occur in the column names"
    fix = (f"delete the sep= line, or write sep={used[0]}" if used and used[0] != "\t" else "delete the sep= line")
    raise InputFileError(f"{path}, row {line}: the line {'sep=' + sep!r} declares {names.get(sep, repr(sep))} as the "
                         f"separator, but {what} (value: {shorten(repr(header.strip()), 80)}). Fix: {fix}")


def _other_separator(path: Path, header: str) -> None:
    """Refuse a header split by a separator this reader does not take ('|', '，', spaces…), naming it."""
    if any(c in header for c in ",;\t"):
        return
    for sep, name in (("|", "'|'"), ("，", "full-width commas '，'"), ("；", "full-width semicolons '；'"),
                      (":", "':'"), (" ", "spaces")):
        if len([part for part in header.split(sep) if part.strip()]) >= 3:
            raise InputFileError(f"{path}: the header row {shorten(repr(header.strip()), 120)} seems to be separated "
                                 f"by {name}; save the file with comma, semicolon or tab separators")


def _read_json(path: Path) -> pd.DataFrame:
    return read_json_table(path, decode_text(path, read_bytes(path, "file", MAX_TABLE_BYTES)))


def header_frame(df: pd.DataFrame, file: str, header_row: int, columns_at: list[int] | None = None) -> pd.DataFrame:
    """Row 0 as the header: names stripped; empty trailing columns dropped; repeated names refused. The frame's
    `attrs["columns_at"]` holds each column's position in the file (0-based; `columns_at`: those of `df`'s)."""
    names = [str(v).strip() for v in df.iloc[0]] if len(df) else []
    body = df.iloc[1:].reset_index(drop=True)
    cells = body.to_numpy(dtype=object)
    keep = [j for j, n in enumerate(names) if n or any(str(v).strip() for v in cells[:, j])]
    if not keep:
        raise InputFileError(f"{file}: every cell is empty; the table needs a header row with the column names "
                             "and data rows")
    names = [names[j] or f"column {j + 1}" for j in keep]
    body = body.iloc[:, keep].set_axis(names, axis=1)
    at = columns_at or list(range(df.shape[1]))
    body.attrs["columns_at"] = [at[j] for j in keep]
    folded = [n.casefold() for n in names]
    problems = [Problem(file, header_row, n, None,
                        f"column '{shorten(n)}' appears {folded.count(n.casefold())} times "
                        f"(columns {', '.join(str(j + 1) for j, f in enumerate(folded) if f == n.casefold())})",
                        "keep one of them, or rename the others")
                for i, n in enumerate(names) if folded.index(n.casefold()) == i and folded.count(n.casefold()) > 1]
    if problems:
        raise DataValidationError(problems)
    return body


def read_table(path: Path | str, sheet: str | None = None) -> pd.DataFrame:
    """Read a table with every cell as text (`sheet`: the workbook sheet, by name or 1-based number).

    The frame's `attrs["first_row"]` is the file line number (1-based) of its
    first data row and `line_numbers(df)` that of every row (blank lines and
    quoted line breaks counted), so row numbers in messages match what an
    editor shows; `attrs["separator"]` is the CSV separator (None for XLSX and JSON); `attrs["header_row"]` the
    line of the column names (None for JSON: its column names are keys, `attrs["key_records"]` the record each
    first appears in); `attrs["epoch"]` a workbook's day 0.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        check_input(path, "file", MAX_TABLE_BYTES)  # a missing file is named as missing first
        known = OTHER_FORMATS.get(suffix)
        raise InputFileError(f"{path}: unknown table format '{shorten(suffix)}'; " + (f"this is {known}" if known else
                             "use one of " + ", ".join(TABLE_SUFFIXES)))
    if sheet is not None and suffix not in (".xlsx", ".xlsm"):
        raise InputFileError(f"{path}: --sheet applies to Excel workbooks only; this is a {suffix} file")
    skipped, sep = 0, None
    if suffix in (".xlsx", ".xlsm"):
        check_table(path, check_input(path, "file", MAX_TABLE_BYTES), "workbook")
        df = read_sheet(path, sheet)
    elif suffix in (".json", ".parquet"):  # records: row N is the N-th, the column names are not a line
        check_table(path, check_input(path, "file", MAX_TABLE_BYTES), "text" if suffix == ".json" else "workbook")
        df = _read_json(path) if suffix == ".json" else read_parquet(path)
    elif suffix == ".tsf":  # the Monash archive's series format (`talent.io.tsf`)
        check_table(path, check_input(path, "file", MAX_TABLE_BYTES))
        df = read_tsf(path)
    else:
        check_table(path, check_input(path, "file", MAX_TABLE_BYTES))
        df, skipped, sep = _read_csv(path)
    if df.shape[0] < 1:
        raise InputFileError(f"{path}: the file is empty; it needs a header row and data rows")
    kept = {k: df.attrs[k] for k in ("epoch", "key_records", "open_end", "unsaved", "sheet", "merged",
                                                   "hidden", "comments", "text_keys", "text_columns") if k in df.attrs}
    lines = df.attrs.get("lines")
    header_row = lines[0] if lines else skipped + 1
    df = header_frame(df, str(path), header_row)
    first = 1 if suffix in (".json", ".parquet") else skipped + 2  # no header line: row N is the N-th record
    df.attrs.update(first_row=lines[1] if lines and len(lines) > 1 else first, source=str(path),
                    separator=sep, lines=lines[1:] if lines else None,
                    header_row=None if suffix in (".json", ".parquet") else header_row, **kept)
    return df


# The id-based tables `talent run` writes to `tables/` and `talent report` reads back: the columns the
# report needs, text and numbers. A damaged copy is named with what is missing or wrong.
OUTPUT_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "stock": (("region", "role", "level", "source", "rating", "reliability"),
              ("year", "demand", "supply", "gap", "ratio", "p_shortage")),
    "flow": (("region", "role", "level"), ("year", "openings", "entrants", "flow_gap")),
    "models": (("region", "role", "level", "kind", "model"), ("score",)),
    "plan_cost": ((), ("year", "cost", "budget")),
    "plan_expected_gap": (("level",), ("year", "gap_before", "gap_after")),
    "plan_plan": (("tier", "audience"), ("year", "intake")),
    "plan_duals": (("family",), ("value",)),
    "plan_ranges": (("kind", "region", "tier", "audience"), ("planned", "min", "max")),
    "plan_limits": (("family", "description"), ("binding_rows", "gap_with", "gap_without")),
    "plan_regions": (("region",), ("intake", "regional", "central", "industry", "gap_before", "gap_after",
                                   "gap_share")),
    "plan_flows": (("from_region", "to_region"), ("graduates",)),
    "coverage": (("region", "audience"), ("year", "population", "trained", "coverage", "target", "shortfall")),
}


def _check_output_columns(path: Path, df: pd.DataFrame) -> None:
    text, numbers = OUTPUT_COLUMNS.get(path.stem, ((), ()))
    missing = [c for c in (*text, *numbers) if c not in df.columns]
    if missing:
        raise InputFileError(f"{path}: damaged: column(s) {', '.join(missing)} missing; "
                             "re-run `talent run` to rewrite the output folder")
    bad = [c for c in numbers if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        value = next(v for v in df[bad[0]] if pd.isna(pd.to_numeric(pd.Series([v]), errors="coerce")[0]))
        raise InputFileError(f"{path}: damaged: column '{bad[0]}' holds text where numbers belong "
                             f"(value: {shorten(repr(value))}); re-run `talent run` to rewrite the output folder")


def read_output_table(path: Path) -> pd.DataFrame:
    """A table this program wrote (an id-based CSV under an output folder's `tables/`), typed by pandas."""
    text = decode_text(path, read_bytes(path, "output table", MAX_TABLE_BYTES))
    try:
        df = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable table ({shorten(str(exc))}); "
                             "re-run `talent run` to rewrite it") from exc
    if df.empty:
        raise InputFileError(f"{path}: the table has no rows; re-run `talent run` to rewrite it")
    _check_output_columns(path, df)
    return df


class _LongNumber(ValueError):
    """A whole number longer than this program writes (Python's int() refuses 4,300 digits and more)."""


def _whole_number(text: str) -> int:
    if len(text) > 40:
        raise _LongNumber(f"a number of {len(text.lstrip('-')):,} digits ({text[:12]}…), longer than any number "
                          "`talent run` writes")
    return int(text)


def read_json(path: Path, what: str, fix: str = "re-run `talent run` to rewrite it") -> Any:
    """Parse a JSON file this program wrote (`what` names it in messages, `fix` says how to mend it)."""
    raw = read_bytes(path, what, MAX_TABLE_BYTES)
    encoding = bom_encoding(raw) or "utf-8"  # saved again by an editor
    try:
        return json.loads(raw.decode(encoding), parse_int=_whole_number)
    except _LongNumber as exc:
        raise InputFileError(f"{path}: the {what} is damaged: it holds {exc}; {fix}") from None
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise InputFileError(f"{path}: the {what} is not valid JSON ({shorten(str(exc))}); {fix}") from exc
