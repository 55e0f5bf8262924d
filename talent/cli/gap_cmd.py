"""`talent gap`: gap tables (stock and flow views) with exports in English or Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from talent.cli import app
from talent.cli.render import print_frame, say, warn
from talent.data import load_series
from talent.export import export_gap
from talent.gap import ALL
from talent.gap_tables import GapTables, gap_tables
from talent.labels import localise
from talent.paths import default_series_path
from talent.settings import load_settings
from talent.taxonomy import Lang, load_taxonomy

SHOWN = ["region", "role", "level", "year", "demand", "supply", "gap", "ratio", "p_shortage", "rating"]


def headline(stock: pd.DataFrame, year: int, lang: Lang = "en") -> list[str]:
    """One sentence per region: the total gap in `year`, supply as a share of demand, P(shortage)."""
    lines = []
    totals = stock[(stock["role"] == ALL) & (stock["level"] == ALL) & (stock["year"] == year)]
    lo = next(c for c in stock.columns if c.startswith("gap_q"))
    hi = [c for c in stock.columns if c.startswith("gap_q")][-1]
    for r in totals.to_dict("records"):
        if lang == "zh":
            lines.append(f"{r['region']} {year}年：需求 {r['demand'] / 1e6:.2f} 百万人，"
                         f"供给 {r['supply'] / 1e6:.2f} 百万人，"
                         f"缺口 {r['gap'] / 1e6:.2f} 百万人（{r[lo] / 1e6:.2f}–{r[hi] / 1e6:.2f}），"
                         f"供给为需求的 {r['ratio']:.0%}，短缺概率 {r['p_shortage']:.0%}")
        else:
            lines.append(f"{r['region']} {year}: demand {r['demand'] / 1e6:.2f} m, supply {r['supply'] / 1e6:.2f} m, "
                         f"gap {r['gap'] / 1e6:.2f} m ({r[lo] / 1e6:.2f}–{r[hi] / 1e6:.2f}), supply "
                         f"{r['ratio']:.0%} of demand, P(shortage) {r['p_shortage']:.0%}")
    return lines


def show(tables: GapTables, years: list[int], lang: Lang) -> None:
    """Print the headline and the totals by role and by level for each year."""
    tax = load_taxonomy()
    for year in years:
        for line in headline(tables.stock, year, lang):
            say(line)
        rows = tables.stock[(tables.stock["year"] == year)
                            & ((tables.stock["role"] == ALL) | (tables.stock["level"] == ALL))]
        print_frame(localise(rows[SHOWN], lang, tax), title=f"{year}", max_rows=80)


@app.command("gap")
def gap(
    file: Annotated[Path | None, typer.Argument(help="Series file; default: the embedded data.")] = None,
    year: Annotated[list[int] | None, typer.Option(help="Year(s) to show and export (repeatable).")] = None,
    until: Annotated[int | None, typer.Option(help="Forecast up to this year (default 2030).")] = None,
    role: Annotated[list[str] | None, typer.Option(help="Only these role ids (repeatable).")] = None,
    region: Annotated[list[str] | None, typer.Option(help="Only these regions (repeatable).")] = None,
    lang: Annotated[str, typer.Option(help="Labels and headers: en or zh.")] = "en",
    out: Annotated[list[Path] | None, typer.Option(help="Write tables: .csv, .xlsx, .md or .json (repeatable).")]
    = None,
    model: Annotated[list[str] | None, typer.Option(help="Forecast model(s); default auto.")] = None,
    paths: Annotated[int | None, typer.Option(help="Simulated paths for the gap distribution.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    config: Annotated[Path | None, typer.Option(help="Settings file (default ./talent.toml if present).")] = None,
) -> None:
    """Gap tables: shortage or surplus by role, level, region and year, with P(shortage)."""
    if lang not in ("en", "zh"):
        raise typer.BadParameter(f"'{lang}' is not a language; use en or zh", param_hint="--lang")
    settings = load_settings(config, forecast_until=until or (max(year) if year else None),
                             forecast_models=tuple(model) if model else None, forecast_paths=paths,
                             forecast_seed=seed)
    series = load_series(file)
    tables = gap_tables(series, settings, inputs=[file or default_series_path()])
    years = year or [settings.forecast.until]
    warn(tables.manifest["warnings"])
    tables = tables.filter(roles=role or (), regions=region or ())
    show(tables, years, lang)  # type: ignore[arg-type]
    exported = tables.filter(years=year) if year else tables  # without --year: history and every forecast year
    for path in out or []:
        for written in export_gap(exported, path, lang):  # type: ignore[arg-type]
            say(f"wrote {written}")
