"""`talent run`: the main job on the embedded default data (or the user's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talent.cli import app
from talent.cli.render import console, print_frame
from talent.run import run_pipeline


@app.command("run")
def run(
    data: Annotated[Path | None, typer.Option(help="Series file; default: the embedded data.")] = None,
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("output"),
) -> None:
    """Run the whole pipeline and write every output into one folder."""
    result = run_pipeline(data, out)
    print_frame(result.summary, title="Data summary")
    console.print(f"Wrote {len(result.files)} file(s) to {out}/")
