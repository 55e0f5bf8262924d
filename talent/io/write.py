"""Writing the application's outputs, atomically.

Every file is written to a temporary file in the same folder, then renamed
into place: a failed run never leaves a half-written file. Writers take the
run's input files as an explicit `inputs` argument and refuse to overwrite
any of them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pandas as pd

from talent.errors import OutputError

Inputs = Iterable[Path | str]


def _check_target(path: Path, inputs: Inputs) -> None:
    target = path.resolve()
    if any(target == Path(p).resolve() for p in inputs):
        raise OutputError(f"{path}: refusing to overwrite an input file; choose another output path")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name for this output")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create the output folder ({exc.strerror}); "
                          "choose a folder you can write to") from exc


def write_atomic(path: Path | str, write: Callable[[Path], object], *, inputs: Inputs = ()) -> Path:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    _check_target(path, inputs)
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
    """A frame as CSV text: no index, Unix line ends."""
    return df.to_csv(index=False, lineterminator="\n")


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table of `df`: numbers right-aligned, '|' escaped, missing cells empty.

    Hand-written rather than `DataFrame.to_markdown`, which needs the extra
    `tabulate` package and does not escape '|' inside cells.
    """
    def cell(v: object) -> str:
        missing = v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)
        return "" if missing else str(v).replace("|", "\\|")

    head = "| " + " | ".join(str(c).replace("|", "\\|") for c in df.columns) + " |"
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
