"""`talent forecast` and `talent backtest`: thin wrappers over the `forecasts` engine.

Parse options -> read the table (our data contract via `talent.data.load_series`, or
any long table via `talent.io.read_table` when column options are given) -> one call
to `forecasts.forecast` / `forecasts.backtest` + `forecasts.score` -> print and write.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
import typer

import forecasts
from talent.cli import app
from talent.cli.render import print_frame
from talent.errors import TalentError

FileArg = Annotated[
    Path | None,
    typer.Argument(help="Series file (CSV, XLSX or JSON); default: the embedded data."),
]
IdCols = Annotated[str | None, typer.Option("--id-cols", help="Comma-separated key columns "
                   "of a file outside our data contract, e.g. 'occ_code'.")]
TimeCol = Annotated[str | None, typer.Option("--time-col", help="Year column (default: year).")]
TargetCol = Annotated[str | None, typer.Option("--target-col",
                      help="Value column (default: value).")]
ModelOpt = Annotated[list[str] | None, typer.Option("--model", "-m", help="Model name "
                     "(repeatable): auto, naive, drift, theta, ets, ets_fast, arima, "
                     "arima_fast, prophet, log_<name>, mean(a,b), median(a,b).")]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (-1: all cores).")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address "
                      "(tcp://host:8786) or 'local' for a LocalCluster.")]
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
    return qs


def _read(file: Path | None, id_cols: str | None, time_col: str | None,
          target_col: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The frame and the column keyword arguments for the engine."""
    if id_cols is None and time_col is None and target_col is None:
        from talent.data import load_series

        return load_series(file), {}
    if file is None:
        raise typer.BadParameter("--id-cols/--time-col/--target-col need an input FILE")
    from talent.io import read_table

    raw = read_table(file)
    raw = raw.apply(lambda c: c.str.strip() if c.dtype == object else c).replace("", np.nan)
    kwargs: dict[str, Any] = {"time_col": time_col or "year", "target_col": target_col or "value"}
    if id_cols is not None:
        kwargs["id_cols"] = tuple(c.strip() for c in id_cols.split(",") if c.strip())
    else:
        used = {kwargs["time_col"], kwargs["target_col"]}
        kwargs["id_cols"] = tuple(c for c in raw.columns if c not in used)
    return raw, kwargs


def _engine(call: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Run an engine call: ForecastError -> TalentError, ForecastWarning -> stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", forecasts.ForecastWarning)
        try:
            result = call()
        except forecasts.ForecastError as exc:
            raise TalentError(str(exc)) from exc
    seen: set[str] = set()
    for w in caught:
        text = str(w.message)
        if issubclass(w.category, forecasts.ForecastWarning) and text not in seen:
            seen.add(text)
            typer.echo(f"Warning: {text}", err=True)
    return result


def _write(df: pd.DataFrame, out: Path | None) -> None:
    if out is None:
        return
    if out.suffix.lower() not in (".csv", ".xlsx", ".json"):
        raise typer.BadParameter(f"'{out}': use a .csv, .xlsx or .json file", param_hint="--out")
    from talent.io import write_table

    write_table(df, out)
    typer.echo(f"Wrote {len(df)} rows to {out}")


def _models(model: list[str] | None) -> str | list[str]:
    return list(model) if model else "auto"


@app.command("forecast")
def forecast_cmd(
    file: FileArg = None,
    id_cols: IdCols = None,
    time_col: TimeCol = None,
    target_col: TargetCol = None,
    model: ModelOpt = None,
    horizon: Annotated[int | None, typer.Option("--horizon", "-h", min=1,
                       help="Years ahead (default 6).")] = None,
    until: Annotated[int | None, typer.Option("--until", help="Forecast up to this year.")] = None,
    quantiles: Quantiles = "0.05,0.1,0.5,0.9,0.95",
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    windows: Annotated[int, typer.Option("--windows", min=1,
                       help="Inner backtest windows for selection and calibration.")] = 3,
    out: Out = None,
) -> None:
    """Forecast every series with calibrated intervals (mean, quantiles, model, reason)."""
    if horizon is not None and until is not None:
        raise typer.BadParameter("give either --horizon or --until, not both")
    qs = _parse_quantiles(quantiles)
    df, cols = _read(file, id_cols, time_col, target_col)
    result = _engine(lambda: forecasts.forecast(
        df, _models(model), horizon or 6, qs, n_jobs=jobs, scheduler=scheduler,
        n_windows=windows, until=until, progress=None, **cols))
    shown = result.drop(columns=["reason", "score"])
    print_frame(shown, title=f"Forecast ({len(result)} rows)")
    _write(result, out)


@app.command("backtest")
def backtest_cmd(
    file: FileArg = None,
    id_cols: IdCols = None,
    time_col: TimeCol = None,
    target_col: TargetCol = None,
    model: ModelOpt = None,
    horizon: Annotated[int, typer.Option("--horizon", "-h", min=1, help="Years ahead.")] = 6,
    windows: Annotated[int, typer.Option("--windows", min=1, help="Rolling origins.")] = 3,
    step: Annotated[int, typer.Option("--step", min=1, help="Years between origins.")] = 1,
    quantiles: Quantiles = "0.025,0.05,0.1,0.5,0.9,0.95,0.975",
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    out: Out = None,
) -> None:
    """Rolling-origin backtest: metrics per model on screen, per-series scores to --out."""
    qs = _parse_quantiles(quantiles)
    df, cols = _read(file, id_cols, time_col, target_col)
    specs = list(model) if model else ["auto", "naive"]

    def run() -> pd.DataFrame:
        bt = forecasts.backtest(df, specs, horizon, windows, step, qs, n_jobs=jobs,
                                scheduler=scheduler, **cols)
        return bt

    bt = _engine(run)
    table = forecasts.score(bt)
    screen = table.rename(columns=lambda c: c.replace("coverage_", "cov").replace("msis_", "msis"))
    keep = ["model", "smape", "mase", *[c for c in screen.columns if c.startswith("cov")],
            *[c for c in screen.columns if c.startswith("msis")][-1:]]
    print_frame(screen[keep], title=f"Backtest: h={horizon}, {windows} windows, step {step}")
    _write(forecasts.score(bt, per_series=True), out)
