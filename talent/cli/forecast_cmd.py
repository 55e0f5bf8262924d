"""`talent forecast` and `talent backtest`: thin wrappers over the forecast engine.

Parse options -> read the table (our data contract via `load_series`, or a plain series
file via `talent.io.plain`: recognised by its column names or named by the column
options) -> one call to
`talent.forecast` / `talent.backtest` + `talent.score` -> print and write.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer

from talent import engines
from talent.cli.options import InnerWindows, Sheet, Step, Windows, check_outside_run_folders
from talent.cli.render import ProgressBar, print_frame, say, warn
from talent.config import YEAR_RANGE
from talent.errors import DataValidationError, OptionError, Problem, TalentError, TalentWarning, collect_warnings
from talent.io import plain
from talent.io.files import check_output
from talent.io.positions import position_columns
from talent.io.read import read_table
from talent.io.series import load_series, validate_series
from talent.io.tsf import tsf_horizon
from talent.io.write import write_table
from talent.limits import MAX_HORIZON, MAX_JOBS
from talent.taxonomy import load_taxonomy

FileArg = Annotated[
    Path | None,
    typer.Argument(help="Series file (CSV, XLSX or JSON) of the data contract, or any yearly panel "
                   "(key, year, value columns, or years as columns); default: the embedded data."),
]
IdCols = Annotated[str | None, typer.Option("--id-cols", help="Comma-separated key columns "
                   "of a file outside our data contract, e.g. 'occ_code'.")]
TimeCol = Annotated[str | None, typer.Option("--time-col", help="Year column (default: year).")]
TargetCol = Annotated[str | None, typer.Option("--target-col",
                      help="Value column (default: value).")]
def _split_models(value: str) -> list[str]:
    """The models of one --model value: split at the commas outside parentheses ('drift, ets', not 'mean(a,b)')."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(value[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, value[start:]]]


def model_list(values: list[str] | None) -> list[str] | None:
    """The models of the --model values: a value may list several, comma-separated ('drift, ets' was an unknown
    model); a model named twice is used once; an empty name is a usage error."""
    if not values:
        return values
    out: list[str] = []
    for value in values:
        for spec in _split_models(value):
            if not spec:
                raise typer.BadParameter(f"'{value}': an empty model name. Fix: name a model, e.g. --model auto, or "
                                         "several: --model drift,ets")
            if spec.lower() not in {m.lower() for m in out}:
                out.append(spec)
    return out


def _models_known(values: list[str] | None) -> list[str] | None:
    """Each --model one the engine builds (a typo was reported as a failure of the data file, exit 1)."""
    specs = model_list(values)
    for spec in specs or []:
        problem = engines.model_problem(spec)
        if problem is not None:
            raise typer.BadParameter(f"{problem[0]}. Fix: {problem[1]}")
    return specs


ModelOpt = Annotated[list[str] | None, typer.Option("--model", "-m", callback=_models_known, help="Model name "
                     "(repeatable, or comma-separated): auto, naive, drift, theta, ets, ets_fast, arima, "
                     "arima_fast, arima2_fast, prophet, log_<name>, mean(a,b), median(a,b).")]
def _jobs(value: int) -> int:
    if value != -1 and not 1 <= value <= MAX_JOBS:
        raise typer.BadParameter(f"{value}: use 1 to {MAX_JOBS} worker processes, or -1 for all cores")
    return value


Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (-1: all cores).", callback=_jobs)]
_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]*://(\[[0-9a-fA-F:.]+\]|[^\s/:\[\]]+):\d{1,5}/?")


def _scheduler(value: str | None) -> str | None:
    if value is None or value.strip() == "local" or _ADDRESS.fullmatch(value.strip()):
        return value.strip() if value else value
    raise typer.BadParameter(f"'{value}': use 'local' or a Dask scheduler address with its port, "
                             "e.g. tcp://host:8786")


Scheduler = Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address "
                      "(tcp://host:8786) or 'local' for a LocalCluster.", callback=_scheduler)]
def _check_reach(df: pd.DataFrame, horizon: int | None, until: int | None) -> None:
    """A series file of the data contract is not forecast past 2100, the last year `run`, `gap` and `plan`
    accept (--until 2101, or --horizon 90 from 2024, forecast to 2114 silently): an `OptionError` (exit 2)
    naming the year and the fix. A request above the 100-year limit is left to that limit's message."""
    if df.empty or "year" not in df.columns:
        return
    last = int(pd.to_numeric(df["year"], errors="coerce").max())
    if until is not None and until <= last < YEAR_RANGE[1]:  # as gap and run say it (it was 'forecast failed')
        raise TalentError(f"--until {until} is not after the last observed year {last}; choose a year after {last}, "
                          f"e.g. --until {min(last + 6, YEAR_RANGE[1])}")
    end = until if until is not None else last + (horizon or 6)
    if end <= YEAR_RANGE[1] or end - last > MAX_HORIZON:
        return
    option = f"--until {until}" if until is not None else f"--horizon {horizon}"
    fix = (f"use --until {YEAR_RANGE[1]} or earlier" if until is not None else
           f"use --horizon {max(YEAR_RANGE[1] - last, 1)} or less, or --until {YEAR_RANGE[1]}")
    raise OptionError(f"{option}: the forecast would reach {end} from the last observed year {last}, past "
                      f"{YEAR_RANGE[1]}, the last year a forecast may reach. Fix: {fix}")


Quantiles = Annotated[str, typer.Option("--quantiles", help="Comma-separated quantile levels.")]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="Write the table to a file "
                "(.csv, .xlsx or .json by suffix).")]


def _parse_quantiles(text: str) -> tuple[float, ...]:
    try:
        qs = tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a list of numbers such as 0.1,0.5,0.9",
                                 param_hint="--quantiles") from None
    if not qs or any(not 0 < q < 1 for q in qs):
        raise typer.BadParameter(f"quantiles must lie strictly between 0 and 1, got '{text}'",
                                 param_hint="--quantiles")
    twice = sorted({q for q in qs if qs.count(q) > 1})
    if twice:
        raise typer.BadParameter(f"{', '.join(f'{q:g}' for q in twice)} given more than once in '{text}'; "
                                 "list each level once", param_hint="--quantiles")
    return qs


def _read(file: Path | None, id_cols: str | None, time_col: str | None,
          target_col: str | None, sheet: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame and the column keyword arguments for the engine: a file of the data contract, or a plain
    series file (`talent.io.plain`) named by the options or recognised by its column names."""
    if id_cols is None and time_col is None and target_col is None:
        return _contract_or_plain(file, sheet)
    if file is None:
        raise typer.BadParameter("--id-cols/--time-col/--target-col need an input FILE")
    raw = _stripped(read_table(file, sheet))
    keys = None
    if id_cols is not None:
        keys = tuple(c.strip() for c in id_cols.split(",") if c.strip())
        if not keys:  # ',' read as no key: every row one series, 'rows sharing a year'
            raise typer.BadParameter(f"'{id_cols}' names no column; give the key columns, e.g. occ_code",
                                     param_hint="--id-cols")
    layout = plain.layout_of(raw, keys, time_col, target_col)
    roles = [*layout.id_cols, layout.time_col, layout.target_col]
    twice = sorted({c for c in roles if roles.count(c) > 1})
    if twice:
        raise typer.BadParameter(f"column {twice[0]!r} is given two roles (key, year or value); give each of "
                                 "--id-cols, --time-col and --target-col its own columns")
    return _plain(raw, layout, str(file))


def _contract_or_plain(file: Path | None, sheet: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A file of the data contract, or a plain series file recognised by its column names when it has none of
    the contract's region, role and kind columns (the file read once)."""
    if file is None:
        return load_series(None, sheet=sheet), {}
    raw, tax = read_table(file, sheet), load_taxonomy()
    outside = plain.outside_contract(raw, tax)
    layout = plain.recognise(raw) if outside else None
    if layout is None:
        try:
            df = validate_series(raw, tax, file=str(file))
        except DataValidationError as exc:
            if outside and any(p.column in ("region", "role", "kind") or "is not a known column" in p.message
                               or "the years are columns" in p.message for p in exc.problems):
                raise DataValidationError([*exc.problems, _plain_hint(str(file), raw)]) from None
            raise
        df.attrs["source"] = str(file)
        return df, {}
    warnings.warn(f"{file} has none of the data contract's key columns (region, role, kind): read as a plain "
                  f"series file ({layout.describe()}); gap tables and plans need the contract's columns (README, "
                  "'Plain series files')", TalentWarning, stacklevel=2)
    return _plain(_stripped(raw), layout, str(file))


def _stripped(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.apply(lambda c: c.str.strip() if c.dtype == object else c).replace("", np.nan)


def _plain_hint(file: str, raw: pd.DataFrame) -> Problem:
    """One more line for a file that is not ours: how to name the columns of any yearly series (the key
    only, for columns named by position such as M4's V1, V2, … whose key holds numbers)."""
    first = str(raw.columns[0]) if len(raw.columns) else "KEY"
    if position_columns(raw, (first,)) is not None:
        return Problem(file, None, None, None, "if this is one row per series with its values by position "
                       "(M4's layout), name the key column", f"talent forecast {file} --id-cols {first}")
    return Problem(file, None, None, None, "if this is not a talent data file but any yearly series, "
                   "name its columns", f"talent forecast {file} --id-cols KEY --time-col YEAR --target-col VALUE")


def _plain(raw: pd.DataFrame, layout: plain.Layout, file: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    frame = plain.plain_frame(raw, layout, file)
    return frame, {"id_cols": layout.id_cols, "time_col": layout.time_col, "target_col": layout.target_col}


def _check_out(out: Path | None, file: Path | None, example: str = "forecast.csv") -> None:
    """Before the work: --out has a known format and is not the input."""
    if out is None:
        return
    if out.is_dir():
        raise typer.BadParameter(f"'{out}' is a folder; give a file name, e.g. {out / example}",
                                 param_hint="--out")
    if out.suffix.lower() not in (".csv", ".xlsx", ".json"):
        raise typer.BadParameter(f"'{out}': use a .csv, .xlsx or .json file", param_hint="--out")
    check_output(out, [file] if file else [])
    check_outside_run_folders(out)  # OUT/tables/forecast.csv added to a run's own files


def _write(df: pd.DataFrame, out: Path | None, file: Path | None) -> None:
    if out is None:
        return
    write_table(df, out, inputs=[file] if file else [])
    say(f"Wrote {len(df)} rows to {out}")


def _models(model: list[str] | None) -> str | list[str]:
    return list(model) if model else "auto"


def forecast(
    file: FileArg = None,
    id_cols: IdCols = None,
    time_col: TimeCol = None,
    target_col: TargetCol = None,
    model: ModelOpt = None,
    horizon: Annotated[int | None, typer.Option("--horizon", min=1,
                       help="Years ahead (default 6, or a .tsf file's @horizon).")] = None,
    until: Annotated[int | None, typer.Option("--until", help=f"Forecast up to this year (at most "
                                              f"{YEAR_RANGE[1]}).")] = None,
    quantiles: Quantiles = "0.05,0.1,0.5,0.9,0.95",
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    windows: InnerWindows = 3,
    out: Out = None,
    sheet: Sheet = None,
) -> None:
    """Forecast every series with calibrated intervals (mean, quantiles, model, reason).

    Examples: talent forecast --until 2035 · talent forecast panel.csv (unique_id, ds, y) ·
    talent forecast jobs.csv --id-cols occ_code -m ets -m theta
    """
    if horizon is not None and until is not None:
        raise typer.BadParameter("give either --horizon or --until, not both")
    qs = _parse_quantiles(quantiles)
    _check_out(out, file)
    df, cols = _read(file, id_cols, time_col, target_col, sheet)
    if not cols:  # calendar years of the data contract (a file of other columns may count time otherwise)
        _check_reach(df, horizon, until)
    if horizon is None and until is None and file is not None and file.suffix.lower() == ".tsf":
        horizon = tsf_horizon(file)
        if horizon is not None:
            say(f"Horizon {horizon}, as {file} states (@horizon); --horizon N for another")
    with collect_warnings() as notes, ProgressBar("forecasting") as bar:
        result = engines.forecast(df, _models(model), horizon or 6, qs, n_jobs=jobs, scheduler=scheduler,
                                  n_windows=windows, until=until, progress=bar, **cols)
    warn(notes)
    print_frame(result.drop(columns=["reason", "score"]), title=f"Forecast ({len(result)} rows)")
    _write(result, out, file)


def backtest(
    file: FileArg = None,
    id_cols: IdCols = None,
    time_col: TimeCol = None,
    target_col: TargetCol = None,
    model: ModelOpt = None,
    horizon: Annotated[int, typer.Option("--horizon", min=1, help="Years ahead.")] = 6,
    windows: Windows = 3,
    step: Step = 1,
    quantiles: Quantiles = "0.025,0.05,0.1,0.5,0.9,0.95,0.975",
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    out: Out = None,
    sheet: Sheet = None,
) -> None:
    """Rolling-origin backtest: metrics per model on screen, per-series scores to --out.

    Examples: talent backtest --horizon 3 --windows 4 · talent backtest -m auto -m drift --out scores.csv
    """
    qs = _parse_quantiles(quantiles)
    _check_out(out, file, "scores.csv")
    df, cols = _read(file, id_cols, time_col, target_col, sheet)
    specs = list(model) if model else ["auto", "naive"]
    with collect_warnings() as notes, ProgressBar("backtesting") as bar:
        bt = engines.backtest(df, specs, horizon, windows, step, qs, n_jobs=jobs, scheduler=scheduler,
                              progress=bar, **cols)
    warn(notes)
    table = engines.score(bt)
    screen = table.rename(columns=lambda c: c.replace("coverage_", "cov").replace("msis_", "msis"))
    keep = ["model", "smape", "mase", *[c for c in screen.columns if c.startswith("cov")],
            *[c for c in screen.columns if c.startswith("msis")][-1:]]
    plural = "s" if windows != 1 else ""
    print_frame(screen[keep], title=f"Backtest: h={horizon}, {windows} window{plural}, step {step}")
    _write(engines.score(bt, per_series=True), out, file)
