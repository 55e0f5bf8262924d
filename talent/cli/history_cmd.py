"""`talent history list|show|diff|score`: the runs a run store holds, thin shells over `talent.store`.

The store is `--store` (a DuckDB file or a postgresql:// URL), else `[store] path` in talent.toml
(`--config`), else `talent-runs.duckdb` in the working folder (where `make run` records).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talent.cli.options import check_outside_run_folders, check_plain_name
from talent.cli.render import print_frame, say
from talent.config import load_settings
from talent.errors import OutputError
from talent.gaps.headline import headlines
from talent.io.files import check_output
from talent.io.write import write_table
from talent.present.words import headline_line

app = typer.Typer(help="The runs recorded in the run store: list, show, diff (revisions explained), score "
                  "(past forecasts against actuals).", no_args_is_help=True, rich_markup_mode=None)

StoreOpt = Annotated[str | None, typer.Option("--store", help="Run store: a DuckDB file or postgresql://USER@HOST/DB "
                     "(default: [store] path in talent.toml, else ./talent-runs.duckdb).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings file (default ./talent.toml if present).")]
Out = Annotated[Path | None, typer.Option("--out", "-o", help="Write the whole table to a file (.csv, .xlsx, .json "
                "or .md by suffix).")]
RunArg = Annotated[str, typer.Argument(help="A run number, latest or previous.")]


def _location(store: str | None, config: Path | None) -> str | Path:
    from talent.store.location import store_location

    return store_location(load_settings(config, store_path=store))


def _check_out(out: Path | None, inputs: list[Path], location: str | Path) -> None:
    """--out: a known format, not an input of this command, nor of a recorded run, nor inside a run's folder."""
    if out is None:
        return
    check_plain_name(out)
    if out.suffix.lower() not in (".csv", ".xlsx", ".json", ".md"):
        raise typer.BadParameter(f"'{out}': use a .csv, .xlsx, .json or .md file", param_hint="--out")
    check_output(out, inputs)
    from talent.store.history import recorded_input

    check_outside_run_folders(out)
    if (hit := recorded_input(location, out)) is not None:  # `show 1 --out data.csv` replaced the run's data
        raise OutputError(f"{out}: holds the same bytes as {hit[1]}, an input of run {hit[0]}; refusing to "
                          "overwrite a run's input. Fix: choose another output path")


def _write(table: pd.DataFrame, out: Path | None, inputs: list[Path]) -> None:
    if out is not None:
        write_table(table, out, inputs=inputs)
        say(f"Wrote {len(table)} rows to {out}")


def list_runs(store: StoreOpt = None, config: ConfigOpt = None, out: Out = None) -> None:
    """List the recorded runs: number, date, data and its years, horizon, headline gap with its interval, plan.

    Example: talent history list --store runs/talent-runs.duckdb
    """
    from talent.store import history_list, shown

    location = _location(store, config)
    _check_out(out, [], location)
    table = history_list(location)
    if table.empty:
        say(f"The run store {shown(location)} holds no runs yet; `talent run` records each run there.")
        return
    screen = table.assign(created=table["created"].str[:16].str.replace("T", " "))
    print_frame(screen[["run", "created", "data", "history", "until_year", "region", "gap", "plan"]],
                title=f"Runs in {shown(location)}")
    _write(table, out, [])


def show(run: RunArg = "latest", store: StoreOpt = None, config: ConfigOpt = None, out: Out = None) -> None:
    """Show one run: when, which data (with its hash), settings, versions, headline; --out writes its stock table.

    Example: talent history show 3
    """
    from talent.store import history_show

    location = _location(store, config)
    _check_out(out, [], location)
    v = history_show(location, run)
    m, f = v.manifest, v.settings.forecast
    say(f"Run {v.run}, {v.created}, talent {m.get('versions', {}).get('talent', '?')}")
    for path, sha in m.get("inputs", {}).items():
        say(f"  input {path} (sha256 {sha[:16]})")
    say(f"  history {v.history[0]}–{v.history[1]}, {v.series.groupby(['region', 'role', 'level', 'kind']).ngroups} "
        f"series; forecast to {f.until} with {', '.join(f.models)} ({f.paths} paths, seed {f.seed}); "
        f"plan {m.get('plan', {}).get('status', '?')}")
    for h in headlines(v.stock, f.until):
        say(headline_line(h, "en"))
    totals = v.stock[(v.stock["role"] == "all") & (v.stock["level"] == "all") & (v.stock["source"] == "forecast")]
    print_frame(totals[["region", "year", "demand", "supply", "gap", "ratio", "p_shortage"]],
                title=f"Run {v.run}: forecast totals")
    _write(v.stock, out, [])


def diff(run_a: RunArg = "previous", run_b: RunArg = "latest", store: StoreOpt = None, config: ConfigOpt = None,
         year: Annotated[int | None, typer.Option(help="Target year shown (default: the last both runs reach).")]
         = None, top: Annotated[int, typer.Option(min=1, help="Largest revisions shown.")] = 20,
         out: Out = None) -> None:
    """Revisions from run A to run B per series and target year, each split into the part due to new or revised
    data and the part due to the model or settings (A's data re-run with B's settings); the parts add up.

    Examples: talent history diff 1 2 · talent history diff --out revisions.xlsx
    """
    from talent.store import history_diff

    location = _location(store, config)
    _check_out(out, [], location)
    rev = history_diff(location, run_a, run_b)
    if year is not None and year not in set(rev.table["year"]):
        raise typer.BadParameter(f"{year}: not a target year of both runs; use one of "
                                 f"{', '.join(map(str, sorted(set(rev.table['year']))))}", param_hint="--year")
    say(f"Run {rev.old_run} ({rev.old_created}) → run {rev.new_run} ({rev.new_created})")
    for change in rev.changes or ["nothing: same data, settings and software"]:
        say(f"  changed: {change}")
    h = rev.headline(year=year)
    if h is not None:
        say(f"{h['region']} {int(h['year'])} gap: {h['old']:,.0f} → {h['new']:,.0f} persons, change "
            f"{h['change']:+,.0f} = data {h['data']:+,.0f} + model {h['model']:+,.0f}")
    print_frame(rev.largest(top, year), title="Largest revisions (persons; change = data + model)")
    _write(rev.table, out, [])


def score(actuals: Annotated[Path | None, typer.Option("--actuals", help="Series file with the actuals (default: "
                                                       "the latest run's input series).")] = None,
          store: StoreOpt = None, config: ConfigOpt = None, out: Out = None) -> None:
    """Score every run's forecasts against the actuals that arrived after its data: sMAPE, MASE, interval
    coverage, MSIS, direction of change; --out writes the scores per run and series.

    Examples: talent history score · talent history score --actuals new_data.csv --out scores.csv
    """
    from talent.store import history_score

    inputs = [actuals] if actuals is not None else []
    location = _location(store, config)
    _check_out(out, inputs, location)
    table = history_score(location, actuals)
    if table.empty:
        say("No actuals have arrived for the years any recorded run forecast; nothing to score yet.")
        return
    screen = table.assign(created=table["created"].str[:10]).rename(
        columns=lambda c: c.replace("coverage_", "cov").replace("direction_right", "direction"))
    keep = ["run", "created", "last_year", "years", "series", "smape", "mase",
            *sorted(c for c in screen.columns if c.startswith("cov")), "direction"]
    print_frame(screen[keep], title="Past forecasts against the actuals since (sMAPE in %)")
    if out is not None:
        _write(history_score(location, actuals, per_series=True), out, inputs)
