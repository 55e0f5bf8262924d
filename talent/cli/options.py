"""Options shared by several commands."""

from __future__ import annotations

from typing import Annotated

import typer

Sheet = Annotated[str | None, typer.Option("--sheet", help="Sheet of an Excel workbook to read (name or number); "
                                           "needed when several sheets hold data.")]
