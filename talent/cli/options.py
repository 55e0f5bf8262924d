"""Options shared by several commands."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from talent.errors import OutputError
from talent.io.files import check_name_length
from talent.limits import MAX_WINDOWS
from talent.planning_schema import YEARS

Sheet = Annotated[str | None, typer.Option("--sheet", help="Sheet of an Excel workbook to read (name or number); "
                                           "needed when several sheets hold data.")]


def _budget_scale(value: float) -> float:
    if not math.isfinite(value) or not 0 <= value <= MAX_BUDGET_SCALE:
        raise typer.BadParameter(f"{value:g}: scale the budget by a number from 0 to {MAX_BUDGET_SCALE:g}, e.g. 1.2")
    return value


def _plan_year(value: int | None) -> int | None:
    if value is not None and not YEARS[0] <= value <= YEARS[1]:
        raise typer.BadParameter(f"{value}: give the last plan year, a calendar year from {YEARS[0]} to {YEARS[1]}, "
                                 "e.g. 2030")
    return value


MAX_BUDGET_SCALE = 1000.0
BudgetScale = Annotated[float, typer.Option("--budget", help="Scale every year's training budget, e.g. 1.2 for +20%.",
                                            callback=_budget_scale)]
PlanUntil = Annotated[int | None, typer.Option("--until", help="Last plan year.", callback=_plan_year)]
Limits = Annotated[bool, typer.Option(
    "--limits", help="Say what limits the gap for a plan of several regions too (one re-solve of the whole "
    "plan per family of limits: 40–90 s at nine regions on 2 cores); a plan of one region always says it.")]


def _windows(value: int) -> int:
    if not 1 <= value <= MAX_WINDOWS:
        raise typer.BadParameter(f"{value}: use 1 to {MAX_WINDOWS} backtest windows (a series of 1950–2100 has no "
                                 "more years), e.g. 3")
    return value


def _step(value: int) -> int:
    if not 1 <= value <= MAX_WINDOWS:
        raise typer.BadParameter(f"{value}: use 1 to {MAX_WINDOWS} years between backtest origins, e.g. 1")
    return value


Windows = Annotated[int, typer.Option("--windows", callback=_windows,
                                      help=f"Rolling origins of the backtest, 1 to {MAX_WINDOWS}.")]
InnerWindows = Annotated[int, typer.Option("--windows", callback=_windows, help="Inner backtest windows for "
                                           f"selection and calibration, 1 to {MAX_WINDOWS}.")]
Step = Annotated[int, typer.Option("--step", callback=_step, help=f"Years between origins, 1 to {MAX_WINDOWS}.")]


def check_out_name(out: Path, formats: Sequence[str], example: str, option: str = "--out") -> None:
    """A file name given to `option` that names a folder or has no known suffix: a bad option value, a usage error
    (exit code 2) naming the option, the value and the suffixes accepted, before any work."""
    check_name_length(out, spare=16)  # a name the file system refuses: is_dir() raised 'File name too long'
    if out.is_dir():
        raise typer.BadParameter(f"'{out}' is a folder; give a file name, e.g. {out / example}", param_hint=option)
    if out.suffix.lower() not in formats:
        found = f"unknown output format '{out.suffix}'" if out.suffix else "no file suffix"
        listed = ", ".join(formats[:-1]) + f" or {formats[-1]}" if len(formats) > 1 else formats[0]
        raise typer.BadParameter(f"'{out}': {found}; use a {listed} file, e.g. {out.with_name(example).name}",
                                 param_hint=option)


def check_outside_run_folders(out: Path) -> None:
    """An export into a folder `talent run` wrote (its manifest.json beside tables/) replaced or added to the run's
    own files: `talent report` then refused the folder as edited, and the next run refused to replace it."""
    for folder in (out.parent, out.parent.parent):
        if (folder / "manifest.json").is_file() and (folder / "tables").is_dir():
            raise OutputError(f"{out}: is inside the output folder {folder} of `talent run`; writing there would "
                              "replace or add to the run's own files. Fix: choose a path outside it")


def check_plain_name(path: Path, option: str = "--out") -> None:
    """An output name that begins or ends with a space or holds a control character (--out ' plan.xlsx', a line
    break pasted in): a file or folder of an odd name was written, silently. A usage error (exit 2)."""
    name = path.name
    if name and (name != name.strip() or not name.isprintable()):
        clean = "".join(c for c in name if c.isprintable()).strip() or "output"
        raise typer.BadParameter(f"{name!r}: begins or ends with a space or holds a control character; write the "
                                 f"name without them, e.g. {path.with_name(clean)}", param_hint=option)
