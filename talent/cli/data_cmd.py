"""`talent data validate|show`: check a data file, summarise a data set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talent.cli import app
from talent.cli.render import print_frame, say
from talent.data import load_series, summarise, validate_file
from talent.taxonomy import Lang

data_app = typer.Typer(help="Check and summarise series data files.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="Series file (CSV, XLSX or JSON).")]) -> None:
    """Check FILE against the data contract; list every problem (exit 1) or print a summary line."""
    say(validate_file(file))


@data_app.command("show")
def show(
    file: Annotated[Path | None, typer.Argument(help="Series file; default: the embedded data.")] = None,
    lang: Annotated[str, typer.Option(help="Label language: en or zh.")] = "en",
) -> None:
    """Summarise a data set: one row per region, role and level with the latest demand and supply."""
    df = load_series(file)
    print_frame(summarise(df, _lang(lang)), title=str(file or "embedded default data"), max_rows=200)


def _lang(value: str) -> Lang:
    if value not in ("en", "zh"):
        raise typer.BadParameter(f"'{value}' is not a language; use en or zh", param_hint="--lang")
    return value  # type: ignore[return-value]
