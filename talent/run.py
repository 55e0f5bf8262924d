"""The main job (library twin of `talent run`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from talent.data import load_series, summarise
from talent.io import write_table


@dataclass(frozen=True)
class RunResult:
    """What a run produced: the summary table and the files written."""

    summary: pd.DataFrame
    files: list[Path]


def run_pipeline(data: Path | None, out: Path) -> RunResult:
    """Load and validate the series, summarise them and write the outputs to `out`."""
    series = load_series(data)
    summary = summarise(series)
    files = [write_table(summary, out / "summary.csv")]
    return RunResult(summary, files)
