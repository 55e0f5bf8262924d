"""Writing the application's outputs, atomically.

Every file is written to a temporary file in the same folder, then renamed
into place: a failed run never leaves a half-written file. Writers take the
run's input files as an explicit `inputs` argument and refuse to overwrite
any of them, or the program's own data (`talent.io.files.check_output`).

Formula injection (OWASP, "CSV injection"): a text cell that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula when a
spreadsheet opens the file, so CSV and XLSX outputs prefix it with a single
quote (`=HYPERLINK(…)` is written `'=HYPERLINK(…)`); numbers are untouched.
Markdown cells escape `|`, `<` and `>`. `-0` is written as 0.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd

from talent.errors import OutputError
from talent.io.files import check_output

Inputs = Iterable[Path | str]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with a single quote; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """`df` ready for a spreadsheet: text cells and headers neutralised (`neutralise`), -0.0 written as 0."""
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_float_dtype(values):
            out[col] = values + 0.0  # -0.0 + 0.0 == 0.0
        elif not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[col] = values.map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def write_atomic(path: Path | str, write: Callable[[Path], object], *, inputs: Inputs = ()) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    check_output(path, inputs)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); choose a folder you can write to") from exc
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


def write_text(path: Path | str, text: str, *, inputs: Inputs = ()) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), inputs=inputs)


def write_json(path: Path | str, doc: object, *, inputs: Inputs = ()) -> Path:
    """Write a JSON document (UTF-8, non-ASCII kept readable) atomically."""
    return write_text(path, json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", inputs=inputs)


def csv_text(df: pd.DataFrame) -> str:
    """A frame as CSV text: no index, Unix line ends, formula-like text neutralised (`safe_frame`); a carriage
    return inside a cell becomes a line feed, which the CSV quotes (a bare CR would end the row for a reader)."""
    out = safe_frame(df)
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(_one_line_break)
    return out.to_csv(index=False, lineterminator="\n")


def _one_line_break(value: object) -> object:
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _md(text: str) -> str:
    """A Markdown cell: '|' escaped, '<' and '>' as entities (no raw HTML), line breaks as spaces."""
    return (text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", " ").replace("\n", " "))


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of `df`: numbers right-aligned, '|' escaped, missing cells empty.

    Hand-written rather than `DataFrame.to_markdown`, which needs the extra
    `tabulate` package and does not escape '|' inside cells.
    """
    def cell(v: object) -> str:
        missing = v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
        return "" if missing else _md(str(v))

    head = "| " + " | ".join(_md(str(c)) for c in df.columns) + " |"
    rule = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(t) else "---" for t in df.dtypes) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, rule, *body]) + "\n"


def write_table(df: pd.DataFrame, path: Path | str, *, meta: Mapping[str, object] | None = None,
                inputs: Inputs = ()) -> Path:
    """Write one frame atomically, the format chosen by the suffix (.csv .xlsx .json .md).

    `meta` (for example a run manifest) goes into the JSON object's `meta`
    field, or a `provenance` sheet in XLSX; CSV and Markdown carry data only.
    """
    from talent.io.xlsx import write_workbook

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_text(path, csv_text(df), inputs=inputs)
    if suffix == ".xlsx":
        sheets = {"data": df}
        if meta:
            sheets["provenance"] = pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]})
        return write_workbook(path, sheets, inputs=inputs)
    if suffix == ".json":
        records = json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))
        return write_json(path, {"meta": dict(meta or {}), "data": records}, inputs=inputs)
    if suffix == ".md":
        return write_text(path, markdown_table(df), inputs=inputs)
    raise OutputError(f"{path}: unknown output format '{suffix}'; use .csv, .xlsx, .json or .md")
