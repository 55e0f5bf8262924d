"""`talent run` (the main job) and `talent report` (re-render the report of an output folder)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talent.cli import app
from talent.cli.render import say, warn
from talent.gap import ALL
from talent.report import render_report
from talent.run import run_pipeline
from talent.settings import load_settings
from talent.taxonomy import Lang


def _lang(value: str | None) -> Lang | None:
    if value is not None and value not in ("en", "zh"):
        raise typer.BadParameter(f"'{value}' is not a language; use en or zh", param_hint="--lang")
    return value  # type: ignore[return-value]


@app.command("run")
def run(
    data: Annotated[Path | None, typer.Option(help="Series file; default: the embedded data.")] = None,
    planning: Annotated[Path | None, typer.Option(help="Planning TOML; default: the embedded one.")] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("output"),
    config: Annotated[Path | None, typer.Option(help="Settings file (default ./talent.toml if present).")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of tables and report: en or zh.")] = None,
    until: Annotated[int | None, typer.Option(help="Forecast and plan up to this year (default 2030).")] = None,
    budget: Annotated[float, typer.Option(help="Scale every year's training budget, e.g. 1.2.")] = 1.0,
    paths: Annotated[int | None, typer.Option(help="Simulated paths for the gap distribution.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    jobs: Annotated[int | None, typer.Option(help="Parallel forecasting processes.")] = None,
) -> None:
    """Forecast, build gap tables, solve the training plan and write everything (with the report) to one folder."""
    settings = load_settings(config, forecast_until=until, forecast_paths=paths, forecast_seed=seed,
                             forecast_jobs=jobs, report_lang=_lang(lang))
    start = time.perf_counter()
    steps = iter(range(1, 5))
    result = run_pipeline(data, planning, out, settings, budget,
                          on_step=lambda text: say(f"[{next(steps)}/4] {text} …"))
    warn(result.gap.manifest["warnings"])
    year = settings.forecast.until
    stock = result.gap.stock
    total = stock[(stock["role"] == ALL) & (stock["level"] == ALL) & (stock["year"] == year)]
    say("")
    for row in total.to_dict("records"):
        if pd.isna(row["gap"]):
            say(f"{row['region']} {year}: supply {row['supply']:,.0f} persons (no demand series, so no gap)")
            continue
        say(f"{row['region']} {year}: gap {row['gap'] / 1e6:.2f} million persons (demand {row['demand'] / 1e6:.2f} m, "
            f"supply {row['supply'] / 1e6:.2f} m, supply {row['ratio']:.1%} of demand)")
    if result.plan is None:
        say(f"Plan skipped: {result.plan_skipped}")
    else:
        r = result.plan.result
        last = r.expected_gap().query("year == @year")
        say(f"Plan ({r.status}): {r.cost['cost'].sum():,.0f} {r.money_unit} over "
            f"{r.cost['year'].min()}–{r.cost['year'].max()}; expected {year} gap "
            f"{last['gap_before'].sum() / 1e6:.2f} m → {last['gap_after'].sum() / 1e6:.2f} m with the plan")
    say(f"Wrote {len(result.files)} files to {out}/ in {time.perf_counter() - start:.1f} s; "
        f"report: {out / f'report_{settings.report.lang}.html'}")


@app.command("report")
def report(
    folder: Annotated[Path, typer.Argument(help="Output folder written by `talent run`.")] = Path("output"),
    lang: Annotated[str, typer.Option(help="Report language: en or zh.")] = "en",
    out: Annotated[Path | None, typer.Option(help="Report file; default FOLDER/report_<lang>.html.")] = None,
) -> None:
    """Regenerate the HTML report from an existing output folder, without recomputing."""
    say(f"wrote {render_report(folder, _lang(lang) or 'en', out)}")
