"""`talent gap`: gap tables (stock and flow views) with exports in English or Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talent.cli.forecast_cmd import model_list
from talent.cli.options import Sheet, check_out_name, check_outside_run_folders
from talent.cli.render import Lang, print_frame, say, warn
from talent.config import YEAR_RANGE, load_planning, load_settings
from talent.gaps.headline import headlines
from talent.gaps.simulate import until_named
from talent.gaps.stock import ALL
from talent.gaps.tables import GapTables, gap_tables
from talent.io.files import check_output
from talent.io.series import load_series
from talent.paths import default_series_path
from talent.planning import with_coverage
from talent.present.export import FORMATS, export_gap, export_paths
from talent.present.labels import localise
from talent.present.words import headline_line
from talent.taxonomy import load_taxonomy

SHOWN = ["region", "role", "level", "year", "demand", "supply", "gap", "ratio", "p_shortage", "rating"]
COVERAGE_SHOWN = ["region", "audience", "population", "trained", "coverage", "target", "shortfall"]


def show(tables: GapTables, years: list[int], lang: Lang) -> None:
    """Print the headline and the totals by role and by level for each year."""
    tax = load_taxonomy()
    stock = tables.stock
    for year in years:
        for h in headlines(stock, year):
            say(headline_line(h, lang.value))
        rows = stock[(stock["year"] == year) & ((stock["role"] == ALL) | (stock["level"] == ALL))]
        print_frame(localise(rows[SHOWN], lang.value, tax), title=f"{year}", max_rows=80)
        if tables.coverage is not None and (tables.coverage["year"] == year).any():
            cov = tables.coverage[tables.coverage["year"] == year][COVERAGE_SHOWN]
            title = ("AI-literacy coverage (not part of the gap)" if lang == Lang.en
                     else "人工智能素养覆盖率（不计入缺口）")
            print_frame(localise(cov, lang.value, tax), title=f"{title}, {year}")


def _years(values: list[int] | None) -> list[int] | None:
    """No --year past 2100: one was reported as '--until: must be less than or equal to 2100' (an option not
    given), as it became the forecast's last year. An early year is 'not in these tables', naming those there."""
    for value in values or []:
        if value > YEAR_RANGE[1]:
            raise typer.BadParameter(f"{value}: give a calendar year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}, "
                                     "e.g. 2030")
    return list(dict.fromkeys(values)) if values else values  # a year given twice is shown once


def gap(
    file: Annotated[Path | None, typer.Argument(help="Series file; default: the embedded data.")] = None,
    year: Annotated[list[int] | None, typer.Option(help="Year(s) to show and export (repeatable).",
                                                   callback=_years)] = None,
    until: Annotated[int | None, typer.Option(help="Forecast up to this year (default: the latest --year).")]
    = None,
    role: Annotated[list[str] | None, typer.Option(help="Only these role ids (repeatable).")] = None,
    level: Annotated[list[str] | None, typer.Option(help="Only these level ids (repeatable).")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Only these regions (repeatable).")] = None,
    lang: Annotated[Lang, typer.Option(help="Labels and headers.", case_sensitive=False)] = Lang.en,
    out: Annotated[list[Path] | None, typer.Option(help="Write tables: .csv, .xlsx, .md or .json (repeatable).")]
    = None,
    model: Annotated[list[str] | None, typer.Option(help="Forecast model(s), repeatable or comma-separated; default "
                                                    "auto.", callback=model_list)] = None,
    paths: Annotated[int | None, typer.Option(help="Simulated paths for the gap distribution.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    config: Annotated[Path | None, typer.Option(help="Settings file (default ./talent.toml if present).")] = None,
    planning: Annotated[Path | None, typer.Option(
        help="Planning TOML whose [coverage] gives the literacy targets; default: the embedded one.")] = None,
    sheet: Sheet = None,
) -> None:
    """Gap tables: shortage or surplus by role, level, region and year, with P(shortage).

    Examples: talent gap --year 2030 · talent gap my_series.csv --lang zh --out gap.xlsx --out gap.md
    """
    for path in out or []:  # before the work: a known format, not a file read, in a folder we can write to
        check_out_name(path, FORMATS, "gap.xlsx")  # a usage error (2), as forecast's and history's --out
        for target in export_paths(path):  # a CSV's flow, models, coverage and manifest files too
            check_output(target, [p for p in (file, config, planning) if p is not None])
            check_outside_run_folders(target)  # OUT/tables/stock.csv replaced a run's own table
    series = load_series(file, sheet=sheet)
    later = [y for y in year or () if y > int(series["year"].max())]  # --year of observed years needs no forecast
    settings = load_settings(config, forecast_until=until or (max(later) if later else None),
                             forecast_models=tuple(model) if model else None, forecast_paths=paths,
                             forecast_seed=seed)
    with until_named(until is not None or bool(later)):  # a default 2030 within the data is not an --until given
        tables = gap_tables(series, settings, inputs=[file or default_series_path()])
    tables = with_coverage(tables, load_planning(planning))
    warn(tables.manifest["warnings"])
    tax = load_taxonomy()  # a role or level as a data file may write it: 'ML', 'Expert', '专家型'
    tables = tables.filter(years=year or (), roles=[tax.resolve("roles", r) or r for r in role or ()],
                           regions=[r.strip().upper() for r in region or ()],
                           levels=[tax.resolve("levels", v) or v for v in level or ()])
    show(tables, year or [settings.forecast.until], lang)
    exported = tables.filter(years=year) if year else tables  # without --year: history and every forecast year
    for path in out or []:
        for written in export_gap(exported, path, lang.value):
            say(f"wrote {written}")
