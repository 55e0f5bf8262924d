"""The one boundary between the application and its two engines, `forecasts` and `curricula`.

No other module of `talent` imports them. Here:

- engine errors become named `TalentError`s (`forecasts.ForecastError` ->
  `ForecastFailed`, `curricula.PlanInputError` -> `ConfigError` naming the
  planning file), and engine warnings become `TalentWarning`s, each once;
- the planner's types are re-exported, so planning code builds inputs
  without importing the engine;
- the planner's constraint family names are re-exported (`families`), so
  the application's labels are keyed by the engine's own definitions; duals
  come with their keys as named fields (`PlanResult.duals_by_field`).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

import curricula
import forecasts
from talent import limits
from talent.errors import ConfigError, ForecastFailed, TalentWarning
from talent.plan_fixes import with_fix

# the planner's input and result types, for the application's planning code
CoverageTarget = curricula.CoverageTarget
FacultyPool = curricula.FacultyPool
MinShare = curricula.MinShare
PlanInputs = curricula.PlanInputs
PlanResult = curricula.PlanResult
Diagnosis = curricula.Diagnosis
Programme = curricula.Programme
Scenario = curricula.Scenario

families = curricula.families  # constraint family names (BUDGET, FACULTY_GROWTH, …) and their key fields

qname = forecasts.qname  # quantile column names: 0.1 -> 'q10', 0.05 -> 'q05', 0.025 -> 'q025'
DEFAULT_QUANTILES = forecasts.DEFAULT_QUANTILES


def _workload(df: pd.DataFrame, h: int, options: dict[str, Any]) -> tuple[int, int, str]:
    """(number of series, years ahead, the request in words), as far as they are known before the engine runs."""
    id_cols = [c for c in options.get("id_cols", ("region", "role", "level", "kind")) if c in df.columns]
    n_series = int(df.groupby(id_cols).ngroups) if id_cols else 1
    until, time_col = options.get("until"), options.get("time_col", "year")
    what = "the forecast horizon"
    if until is not None and time_col in df.columns:
        last = pd.to_numeric(df[time_col], errors="coerce").max()
        if pd.notna(last):
            h, what = int(until) - int(last), f"forecasting up to {until} from the last observed year {int(last)}"
    limits.check_jobs(int(options.get("n_jobs", 1)), "n_jobs")
    _cap_jobs(options, n_series)
    _far_ahead(df, h, time_col, id_cols, until)
    return max(n_series, 1), h, what


#: Years ahead that never get the warning of `_far_ahead` (the reference class's horizons reach 6).
FAR_AHEAD = 10


def _far_ahead(df: pd.DataFrame, h: int, time_col: str, id_cols: Sequence[str] = (), until: int | None = None
               ) -> None:
    """A forecast reaching further ahead than the data reach back (data of 1950–59 forecast to 2030, 71 years
    ahead, went silently): a warning, once; for the file, else for the series that do (a series of 1990–99 beside
    others up to 2024, forecast to 2030, went silently too)."""
    years = pd.to_numeric(df[time_col], errors="coerce") if time_col in df.columns else pd.Series(dtype=float)
    if not years.notna().any():
        return
    first, last = int(years.min()), int(years.max())
    if h > FAR_AHEAD and h > last - first + 1:
        warnings.warn(f"forecasting {h} years past the last observed year {last} from data that begin in "
                      f"{first}: further ahead than the data reach back; the intervals that far out are the "
                      "reference class's widths extended, so read the figures as a scenario, not a forecast",
                      TalentWarning, stacklevel=4)
        return
    keys = [c for c in id_cols if c in df.columns]
    if not keys or until is None:  # with a horizon every series is forecast as far from its own end
        return
    span = years.groupby([df[k].astype(str) for k in keys]).agg(["min", "max"]).dropna()
    ahead = int(until) - span["max"]
    far = span[(ahead > FAR_AHEAD) & (ahead > span["max"] - span["min"] + 1)]
    if len(far):
        far = far.assign(ahead=ahead[far.index])
        shown = "; ".join(f"{'/'.join(map(str, key if isinstance(key, tuple) else (key,)))} ({int(r['min'])}–"
                          f"{int(r['max'])}, {int(r['ahead'])} years ahead)" for key, r in far.head(3).iterrows())
        more = f"; … and {len(far) - 3} more" if len(far) > 3 else ""
        verb = "ends long before the rest and is" if len(far) == 1 else "end long before the rest and are"
        their = "its" if len(far) == 1 else "their"
        warnings.warn(f"{len(far)} series {verb} forecast further ahead than {their} data reach back: {shown}{more}; "
                      "the intervals that far out are the reference class's widths extended, so read those figures "
                      "as a scenario (or add the recent years)", TalentWarning, stacklevel=4)


def _cap_jobs(options: dict[str, Any], n_series: int) -> None:
    """More local worker processes than cores (--jobs 256 on 2 cores) only wait for a core, each with a copy of
    the data (the memory a large file takes, times the processes): the cores are used, with a warning."""
    jobs, cores = int(options.get("n_jobs", 1)), os.cpu_count() or 1
    if options.get("scheduler") is None and jobs > cores and n_series > 1:
        warnings.warn(f"{jobs} worker processes asked for (--jobs, or [forecast] jobs of the settings), on a "
                      f"machine of {cores} core(s): {cores} are used (more would only wait for a core, each holding "
                      "a copy of the data)", TalentWarning, stacklevel=4)
        options["n_jobs"] = cores


@contextmanager
def _forecast_engine(df: pd.DataFrame | None = None) -> Iterator[None]:
    """Run engine code: ForecastError -> ForecastFailed (naming `df`'s file when it has one); each distinct
    ForecastWarning -> one TalentWarning."""
    source = f"{df.attrs['source']}: " if df is not None and df.attrs.get("source") else ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", forecasts.ForecastWarning)
        try:
            yield
        except forecasts.ForecastError as exc:
            raise ForecastFailed(f"{source}forecast failed: {exc}") from exc
    seen: set[str] = set()
    for w in caught:
        text = str(w.message)
        if not issubclass(w.category, forecasts.ForecastWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        elif text not in seen:
            seen.add(text)
            warnings.warn(text, TalentWarning, stacklevel=4)


def forecast(df: pd.DataFrame, models: str | Sequence[str] = "auto", h: int = 6,
             quantiles: Sequence[float] = DEFAULT_QUANTILES, **options: Any) -> pd.DataFrame:
    """Forecasts with calibrated intervals (library twin of `talent forecast`).

    One row per series and future year: keys, year, `mean`, quantile columns,
    `model`, `score`, `reason`. `options` are those of `forecasts.forecast`
    (id_cols, time_col, target_col, n_jobs, scheduler, seed, n_windows, until,
    progress). Fallbacks are reported as `TalentWarning`s. A request too large for the memory limit
    raises `ResourceLimitError` before anything is allocated (`talent.limits`).
    """
    n_series, years, what = _workload(df, h, options)
    if years >= 1:
        limits.check_forecast(n_series, years, what)
    with _forecast_engine(df):
        return forecasts.forecast(df, models, h, quantiles, **options)


def model_problem(spec: str) -> tuple[str, str] | None:
    """Why a --model (or [forecast] models) spec is not one the forecast engine builds, and the fix naming the
    closest model; None when it is one. Checked before the data is read: 'foo' was reported as a failure of
    the data file ('cn_national.csv: forecast failed: unknown model')."""
    if spec.strip().lower() == "auto":
        return None
    try:
        forecasts.models.make_model(spec)
    except ValueError:
        names = ["auto", *forecasts.models.MODELS, *(f"log_{m}" for m in forecasts.models.MODELS)]
        close = difflib.get_close_matches(spec.strip().lower(), names, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? Use" if close else "use"
        return (f"unknown model '{spec}'", f"{hint} auto, {', '.join(forecasts.models.MODELS)}, log_<name>, "
                "mean(a,b,...) or median(a,b,...)")
    return None


def backtest(df: pd.DataFrame, models: str | Sequence[str] = ("auto", "naive"), h: int = 6, n_windows: int = 3,
             step: int = 1, quantiles: Sequence[float] = (0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975),
             **options: Any) -> pd.DataFrame:
    """Rolling-origin backtest (library twin of `talent backtest`): per window forecasts and actuals.

    Score it with `score`. `options` are those of `forecasts.backtest`.
    """
    n_series, _, _ = _workload(df, h, options)
    limits.check_forecast(n_series * max(n_windows, 1), h)
    _long_enough(df, h, options)
    with _forecast_engine(df):
        return forecasts.backtest(df, list(models) if not isinstance(models, str) else models, h, n_windows,
                                  step, quantiles, **options)


def _long_enough(df: pd.DataFrame, h: int, options: dict[str, Any]) -> None:
    """A backtest `h` years ahead needs a series of at least h + 1 years (one to train on); else `ForecastFailed`
    naming the file, the longest series' length and the fix."""
    id_cols = [c for c in options.get("id_cols", ("region", "role", "level", "kind")) if c in df.columns]
    time_col = options.get("time_col", "year")
    if time_col not in df.columns or df.empty:
        return
    longest = int(df.groupby(id_cols)[time_col].nunique().max()) if id_cols else int(df[time_col].nunique())
    if longest < h + 1:
        source = f"{df.attrs['source']}: " if df.attrs.get("source") else ""
        fix = (f"lower --horizon to at most {longest - 1}, or add earlier years" if longest > 1
               else "add earlier years: a backtest needs at least 2 years per series")
        raise ForecastFailed(f"{source}cannot backtest {h} year(s) ahead: the longest series has {longest} year(s), "
                             f"and a backtest needs at least {h + 1} (one to train on and {h} to check). Fix: {fix}")


def score(backtest_frame: pd.DataFrame, per_series: bool = False) -> pd.DataFrame:
    """sMAPE, MASE, interval coverage and MSIS per model (or per series) of a backtest."""
    with _forecast_engine():
        return forecasts.score(backtest_frame, per_series=per_series)


def sample_paths(df: pd.DataFrame, models: str | Sequence[str] = "auto", h: int = 6, n_paths: int = 1000,
                 **options: Any) -> pd.DataFrame:
    """Simulated future paths per series (long: keys, year, path, value); too large a request raises
    `ResourceLimitError` stating the memory it would need."""
    n_series, years, what = _workload(df, h, options)
    if years >= 1:
        limits.check_simulation(n_series, years, n_paths, what)
    with _forecast_engine(df):
        return forecasts.sample_paths(df, models=models, h=h, n_paths=n_paths, **options)


CandidatePool = curricula.CandidatePool


def solve_plan(inputs: curricula.PlanInputs, planning_file: Path | str, solver: str = "highs",
               ranges: bool = True, limits: bool = True) -> curricula.PlanResult:
    """Solve prepared planning inputs: the unique optimal plan with marginal values in persons and, on
    request, its near-optimal ranges and what limits the gap. The engine's input problems become one
    ConfigError naming the file."""
    try:
        return _central_spent(curricula.plan(inputs, solver=solver, ranges=ranges, limits=limits))
    except curricula.PlanInputError as exc:
        lines = "\n".join(f"  - {planning_file}, {with_fix(p)}" for p in exc.problems)
        raise ConfigError(f"{len(exc.problems)} problem(s) in the planning inputs:\n{lines}") from exc


def _central_spent(result: curricula.PlanResult) -> curricula.PlanResult:
    """The plan with its `central` money per region and year as the central money spent there: the engine's
    value is the transfer a region's budget row *may* spend, which an LP whose budget does not bind sets
    anywhere up to the central budget (central_share = 1 reported all 21 bn of it as spent, and 'regional
    budgets -12.20 billion'). Central money spent is at most the public money spent in that region-year on
    what the budget row pays after the committed cohorts (which the region's budget pays first)."""
    cost = result.cost
    if not {"central", "public"} <= set(cost.columns):
        return result
    spent = (cost["public"] - cost.get("committed", 0.0)).clip(lower=0.0)
    if not (cost["central"] > spent + 1e-9).any():
        return result
    cost = cost.copy()
    cost["central"] = cost["central"].clip(lower=0.0, upper=spent)
    return dataclasses.replace(result, cost=cost)
