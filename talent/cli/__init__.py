"""The `talent` command line: thin shells over the library, one library call each.

Commands are registered explicitly below. `main` turns library errors into
``Error: …`` on stderr and exit code 1; usage errors exit 2 (typer).
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from typing import Annotated

import typer

from talent.cli import data_cmd, forecast_cmd, gap_cmd, plan_cmd, run_cmd
from talent.errors import TalentError

app = typer.Typer(
    name="talent",
    help="Forecast AI-talent demand and supply, build gap tables and plan training capacity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain usage errors and help: one greppable line per error
)
app.command("run")(run_cmd.run)
app.command("report")(run_cmd.report)
app.command("gap")(gap_cmd.gap)
app.command("plan")(plan_cmd.plan)
app.command("forecast")(forecast_cmd.forecast)
app.command("backtest")(forecast_cmd.backtest)
data_app = typer.Typer(help="Check and summarise series data files.", no_args_is_help=True, rich_markup_mode=None)
data_app.command("validate")(data_cmd.validate)
data_app.command("show")(data_cmd.show)
app.add_typer(data_app, name="data")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"talent {version('talent')}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_show_version,
                           is_eager=True)
    ] = False,
) -> None:
    """Forecast AI-talent demand and supply, build gap tables and plan training capacity."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app; library errors become `Error: …` and exit 1."""
    try:
        app(args=argv, prog_name="talent")
    except TalentError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
