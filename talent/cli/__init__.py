"""The `talent` command line: thin wrappers over library functions.

Each command lives in its own module and registers itself on `app`; `main`
turns library errors into ``Error: …`` on stderr and exit code 1.
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from typing import Annotated

import typer

from talent.errors import TalentError

app = typer.Typer(
    name="talent",
    help="Forecast AI-talent demand and supply, build gap tables and plan training capacity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    from talent.cli import commands  # noqa: F401  (registers the commands on `app`)

    try:
        app(args=argv, prog_name="talent")
    except TalentError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
