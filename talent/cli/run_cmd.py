"""`talent run` (the main job) and `talent report` (re-render the report of an output folder)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from talent.cli.options import BudgetScale, Limits, Sheet, check_out_name, check_plain_name
from talent.cli.render import Lang, say, warn
from talent.config import load_settings
from talent.gaps.headline import headlines
from talent.gaps.simulate import until_named
from talent.io.files import check_output
from talent.io.folder import check_output_folder, check_run_folder
from talent.planning_checks import check_until, coverage_file_named
from talent.present.regional import plan_lines
from talent.present.report import render_report
from talent.present.words import headline_line, recorded_lines, word
from talent.run import RunResult, run_pipeline


def _plan_line(result: RunResult, lang: str) -> str:
    if result.plan is None:
        return f"Plan skipped: {result.plan_skipped}" if lang == "en" else f"未生成规划：{result.plan_skipped}"
    return "\n".join(plan_lines(result.plan, lang))  # type: ignore[arg-type]


def run(
    data: Annotated[Path | None, typer.Option(help="Series file; default: the embedded data.")] = None,
    planning: Annotated[Path | None, typer.Option(help="Planning TOML; default: the embedded one.")] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("output"),
    config: Annotated[Path | None, typer.Option(help="Settings file (default ./talent.toml if present).")] = None,
    lang: Annotated[Lang | None, typer.Option(help="Language of tables and report.", case_sensitive=False)] = None,
    until: Annotated[int | None, typer.Option(help="Forecast and plan up to this year (default 2030).")] = None,
    budget: BudgetScale = 1.0,
    paths: Annotated[int | None, typer.Option(help="Simulated paths for the gap distribution.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    jobs: Annotated[int | None, typer.Option(help="Parallel forecasting processes.")] = None,
    sheet: Sheet = None,
    explain: Annotated[bool, typer.Option(
        "--explain/--no-explain",
        help="Near-optimal ranges and what limits the gap (a few seconds of re-solves).")] = True,
    limits: Limits = False,
    store: Annotated[str | None, typer.Option("--store", help="Run store to record into: a DuckDB file or "
                     "postgresql://USER@HOST/DB (default: talent-runs.duckdb beside the output folder).")] = None,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not record this run in a run store.")] = False,
) -> None:
    """Forecast, build gap tables, solve the training plan and write everything (with the report) to one folder.

    Examples: talent run · talent run --data my_series.csv --out results --lang zh · talent run --budget 1.2
    """
    from talent.store import shown
    from talent.store.location import run_store

    if store is not None and no_store:
        raise typer.BadParameter("give --store or --no-store, not both", param_hint="--no-store")
    settings = load_settings(config, forecast_until=until, forecast_paths=paths, forecast_seed=seed,
                             forecast_jobs=jobs, report_lang=lang.value if lang else None, store_path=store)
    check_until(planning, settings.forecast.until, "--until" if until is not None
                else f"{config or 'talent.toml'}, key forecast.until")  # a plan of more than 30 years
    inputs = [p for p in (config, data, planning) if p is not None] + coverage_file_named(planning)
    check_plain_name(out)
    check_output_folder(out, inputs)
    start = time.perf_counter()
    steps = iter(range(1, 5))
    with run_store(settings, out, record=not no_store, inputs=inputs) as archive, until_named(until is not None):
        result = run_pipeline(data, planning, out, settings, budget,
                              on_step=lambda text: say(f"[{next(steps)}/4] {text} …"), sheet=sheet, store=archive,
                              explain=explain, limits=limits or None)
    warn(result.gap.manifest["warnings"])
    year = settings.forecast.until
    say("")
    for h in headlines(result.gap.stock, year):
        say(headline_line(h, settings.report.lang))  # type: ignore[arg-type]
    say(_plan_line(result, settings.report.lang))
    location = shown(archive.location) if archive is not None else ""
    lang_ = settings.report.lang
    for line in recorded_lines(result.run_id, location, result.history.get("revisions"), lang_):  # type: ignore[arg-type]
        say(line)
    say(word("wrote", settings.report.lang, n=len(result.files), out=out,  # type: ignore[arg-type]
             seconds=time.perf_counter() - start, report=out / f"report_{settings.report.lang}.html"))


def report(
    folder: Annotated[Path, typer.Argument(help="Output folder written by `talent run`.")] = Path("output"),
    lang: Annotated[Lang, typer.Option(help="Report language.", case_sensitive=False)] = Lang.en,
    out: Annotated[Path | None, typer.Option(help="Report file; default FOLDER/report_<lang>.html.")] = None,
    allow_edited: Annotated[bool, typer.Option(
        "--allow-edited", help="Draw the report even when the folder's tables or manifest were changed after "
        "`talent run` wrote them (a warning says so).")] = False,
) -> None:
    """Regenerate the HTML report from an existing output folder, without recomputing.

    Example: talent report output --lang zh
    """
    check_run_folder(folder)
    if out is not None:  # before the work: never over the manifest or a table the report reads
        check_plain_name(out)
        check_output(out, [folder / "manifest.json", *(folder / "tables").glob("*.csv")])
        check_out_name(out, (".html", ".htm"), f"report_{lang.value}.html")  # x.pdf or x.csv got an HTML page
    say(f"wrote {render_report(folder, lang.value, out, allow_edited)}")
