"""`talent data validate|show`: check a data file, summarise a data set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talent.cli.options import Sheet
from talent.cli.render import Lang, print_frame, say
from talent.io.series import load_series, validate_file
from talent.present.summary import summarise


def validate(file: Annotated[Path, typer.Argument(help="Series file (CSV, XLSX or JSON).")],
             sheet: Sheet = None) -> None:
    """Check FILE against the data contract; list every problem (exit 1) or print a summary line.

    Example: talent data validate my_series.csv
    """
    say(validate_file(file, sheet=sheet))


def show(
    file: Annotated[Path | None, typer.Argument(help="Series file; default: the embedded data.")] = None,
    lang: Annotated[Lang, typer.Option(help="Label language.", case_sensitive=False)] = Lang.en,
    sheet: Sheet = None,
) -> None:
    """Summarise a data set: one row per region, role and level with the latest demand and supply.

    Example: talent data show --lang zh
    """
    print_frame(summarise(load_series(file, sheet=sheet), lang.value), title=str(file or "embedded default data"),
                max_rows=200)
