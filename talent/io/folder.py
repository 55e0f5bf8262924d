"""Output folders written as a whole: built beside the target, swapped in only when complete.

`talent run` writes into a temporary sibling folder (`.output.partial-<pid>-<token>`)
and renames it into place when every file is written; the previous folder is
moved aside (`.output.old-…`) and deleted only after the swap. A run that
fails or is interrupted leaves the previous folder as it was (or none), and
never a mix of two runs. Leftovers of a run that was killed (its process no
longer exists) are removed by the next run into the same folder.

A folder is replaced only when it is empty or was written by `talent run`
(its `manifest.json` says so, or it holds nothing but the files a run
writes), never when it holds an input of the run or other files, and never
when it is the current folder or one of its parents.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from talent.errors import InputFileError, OutputError, shorten
from talent.io.files import check_name_length, ensure_folder, files_read, is_inside, reason, resolved
from talent.io.read import read_json
from talent.io.seal import read_by_report
from talent.paths import assets_dir

_OUTPUT_NAMES = re.compile(r"(manifest\.json|tables|report_[a-z]+\.html|gap\.[\w.]+|plan\.(xlsx|csv|json|md))")
_LEFTOVER = re.compile(r"\.(partial|old)-(\d+)-[0-9a-f]+")


def _not_written(folder: Path) -> list[str]:
    """The files of an output folder that no run writes: beside its outputs, and in its tables/ anything but a
    table or, when the manifest lists the run's tables (`talent.io.seal`), a table it does not list and that
    has no name a run gives its tables (an earlier version's plan_*.csv is one). A user's notes.docx left in
    an earlier run's folder was deleted with it by the next run."""
    others = sorted(p.name for p in folder.iterdir() if not _OUTPUT_NAMES.fullmatch(p.name))
    tables = folder / "tables"
    if not tables.is_dir():
        return others
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        manifest = None
    listed = manifest.get("outputs") if isinstance(manifest, dict) else None
    return others + sorted(f"tables/{p.name}" for p in tables.iterdir() if p.suffix != ".csv" or (
        isinstance(listed, dict) and f"tables/{p.name}" not in listed and not read_by_report(p.name)))


def check_output_folder(out: Path, inputs: Iterable[Path | str]) -> None:
    """Raise `OutputError` unless `out` may be replaced by a run's output folder (see the module docstring)."""
    out = Path(out)
    check_name_length(out, spare=40)  # its staging sibling: '.NAME.partial-<pid>-<token>'
    target = resolved(out)
    if (out.exists() or out.is_symlink()) and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; give --out a folder (new, empty, or an earlier output)")
    if target == Path(target.anchor) or is_inside(Path.cwd(), target):
        raise OutputError(f"{out}: is the current folder or one of its parents; "
                          "choose a new folder for the output, e.g. --out output")
    for p in [*inputs, *sorted(files_read())]:
        if is_inside(Path(p), target):
            raise OutputError(f"{out}: holds the input file {p}, which a run into this folder would delete; "
                              "choose another output folder or move the input")
    if is_inside(target, assets_dir()):
        raise OutputError(f"{out}: is inside the program's own data folder; choose another output folder")
    if out.is_dir():
        others = _not_written(out)
        if others:  # an earlier run's folder too: its user's own files would go with it
            raise OutputError(f"{out}: holds files that `talent run` did not write ({shorten(', '.join(others[:5]))}); "
                              "a run replaces the whole folder: move them out, or choose a new or empty folder")
    ensure_folder(target.parent)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(out: Path) -> list[Path]:
    """Delete the partial and old copies of `out` left by runs whose process has ended; return them."""
    out = resolved(Path(out))
    removed = []
    for p in out.parent.glob(f".{glob_escape(out.name)}.*"):
        m = _LEFTOVER.fullmatch(p.name[len(out.name) + 1:])
        if m and int(m.group(2)) != os.getpid() and not _alive(int(m.group(2))):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def glob_escape(name: str) -> str:
    """`name` with the glob characters * ? [ escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _swap(stage: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    had_old = out.exists()
    if had_old:
        os.rename(out, old)
    try:
        os.rename(stage, out)
    except OSError as exc:
        if had_old:
            os.rename(old, out)
        raise OutputError(f"{out}: cannot move the new output into place ({exc.strerror}); "
                          "the previous folder is unchanged") from exc
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_folder(out: Path, inputs: Iterable[Path | str] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder beside `out`; when the block ends normally, it replaces `out`.

    On an error or an interruption the temporary folder is deleted and `out` is left as it was.
    """
    inputs = list(inputs)
    check_output_folder(out, inputs)
    out = resolved(Path(out))
    remove_leftovers(out)
    stage = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        stage.mkdir()
    except OSError as exc:
        raise OutputError(f"{out}: cannot create the output folder ({exc.strerror}); "
                          "choose a folder you can write to") from exc
    try:
        yield stage
        _swap(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def check_run_folder(folder: Path) -> None:
    """Raise `InputFileError` when `folder` is a file or cannot be read (a missing folder is named by the
    reader, with the file it looked for)."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputFileError(f"{folder}: the output folder {reason(exc)}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise InputFileError(f"{folder}: is a file, not an output folder; give the folder `talent run` wrote")


class _Forecast(BaseModel):
    until: int


class _Gap(BaseModel):
    interval: float = Field(gt=0, lt=1)


class _Settings(BaseModel):
    forecast: _Forecast
    gap: _Gap


class _Versions(BaseModel):
    model_config = ConfigDict(extra="allow")

    talent: str


class _Plan(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: str = ""
    reason: str = ""
    range_tolerance: float = Field(default=0.01, ge=0, le=1, allow_inf_nan=False)


class RunManifest(BaseModel):
    """The parts of a run's `manifest.json` that `talent report` reads (other keys are kept, unchecked)."""

    model_config = ConfigDict(extra="allow")

    tool: str = "talent"
    created: str
    settings: _Settings
    inputs: dict[str, str]
    versions: _Versions
    plan: _Plan = _Plan()


def read_manifest(path: Path, folder: Path) -> dict[str, Any]:
    """A run manifest as a dict, checked against `RunManifest`; a damaged one names the key that is wrong."""
    doc = read_json(path, "run manifest", f"re-run `talent run --out {folder}` to rewrite the output folder")
    try:
        RunManifest.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the document"
        what = ("must be an object" if first["type"] in ("dict_type", "model_type") else
                first["msg"].replace("Input should be", "must be").lower())
        value = "" if first["type"] == "missing" else f"; the value is {shorten(repr(first['input']), 80)}"
        raise InputFileError(f"{path}: not a run manifest written by `talent run` ({where}: {what}){value}; "
                             f"re-run `talent run --out {folder}` to rewrite the output folder") from None
    return dict(doc)
