"""The `talent` command line: thin shells over the library, one library call each.

Commands are registered explicitly below. `main` turns library errors into
``Error: …`` on stderr and exit code 1; usage errors exit 2 (typer, and bad
option values the settings schema finds). Operating-system errors (permission
denied, disk full, a symbolic-link loop) and running out of memory are named
the same way, never as a traceback. Any other exception is a defect of the
program: one ``Error: internal error …`` line and exit code 70, the traceback
only with TALENT_DEBUG=1. `TalentWarning`s raised outside a command's own
collection (for example a region code read in upper case) are printed as
``Warning: …``.
"""

from __future__ import annotations

import os
import sys
import warnings
from importlib.metadata import version
from typing import Annotated, TextIO

import typer

from talent.cli import data_cmd, forecast_cmd, gap_cmd, history_cmd, plan_cmd, run_cmd
from talent.cli.help import tidy
from talent.errors import TalentError, TalentWarning, shorten
from talent.io.files import command_inputs

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
history_cmd.app.command("list")(history_cmd.list_runs)
history_cmd.app.command("show")(history_cmd.show)
history_cmd.app.command("diff")(history_cmd.diff)
history_cmd.app.command("score")(history_cmd.score)
app.add_typer(history_cmd.app, name="history")


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


MESSAGE_LINE = 1000
INTERNAL_ERROR = 70  # exit code of an unexpected exception (EX_SOFTWARE)


def _os_error(exc: OSError) -> str:
    """'PATH: Permission denied; check …' for an error the operating system raised."""
    where = f"{exc.filename}: " if exc.filename is not None else ""
    reason = exc.strerror or type(exc).__name__
    return shorten(f"{where}{reason}; check the path, its permissions and the free disk space", 400)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    if issubclass(category, TalentWarning):
        typer.echo(f"Warning: {message}", err=True)
    else:
        _default_show(message, category, filename, lineno, file, line)


_default_show = warnings.showwarning


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app; library errors become `Error: …` and exit 1 (2 for bad options)."""
    try:
        with warnings.catch_warnings(), command_inputs():
            warnings.simplefilter("always", TalentWarning)
            warnings.showwarning = _show_warning
            tidy(typer.main.get_command(app))(args=argv, prog_name="talent")
    except TalentError as exc:  # every line cut to MESSAGE_LINE characters: no value is ever echoed whole
        typer.echo("\n".join(shorten(line, MESSAGE_LINE) for line in f"Error: {exc}".splitlines()), err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        typer.echo(f"Error: {_os_error(exc)}", err=True)
        sys.exit(1)
    except MemoryError:
        typer.echo("Error: out of memory; ask for fewer paths, years or series (see TALENT_MEMORY_LIMIT)", err=True)
        sys.exit(1)
    except RecursionError:
        typer.echo("Error: the input is nested too deeply to read", err=True)
        sys.exit(1)
    except Exception as exc:  # a defect of the program: one line, never a traceback (unless TALENT_DEBUG is set)
        if os.environ.get("TALENT_DEBUG"):
            raise
        typer.echo(f"Error: internal error ({type(exc).__name__}: {shorten(str(exc), 300)}). Fix: this is a "
                   "defect of talent, not a problem you can fix in the input; please report it with the command "
                   "and its input files (TALENT_DEBUG=1 shows the traceback)", err=True)
        sys.exit(INTERNAL_ERROR)
