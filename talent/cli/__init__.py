"""The `talent` command line: thin wrappers over library functions.

Each command lives in its own module and registers itself on `app`; `main`
turns library errors into ``Error: …`` on stderr and exit code 1.
"""

from __future__ import annotations

import sys

import typer

from talent.errors import TalentError

app = typer.Typer(
    name="talent",
    help="Forecast AI-talent demand and supply, build gap tables and plan training capacity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Console-script entry point: run the app, report library errors without a traceback."""
    from talent.cli import commands  # noqa: F401  (registers the commands on `app`)

    try:
        app(standalone_mode=False)
    except TalentError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # click usage errors and aborts keep click's own exit codes
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        raise
