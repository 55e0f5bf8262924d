"""Terminal output: readable tables (rich), sentences, warnings and a progress bar.

Text from data, files and paths is printed as plain text, never as rich
markup: a cell or a path such as `[/x]` is shown as it is (and cannot
break the output or restyle it)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from talent.present.numbers import column_kinds, number_text

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


class Lang(StrEnum):
    """Language of labels, tables and the report."""

    en = "en"
    zh = "zh"


def say(text: str) -> None:
    """Print a sentence without hard line breaks (terminals and pipes wrap it themselves)."""
    console.print(text, soft_wrap=True, markup=False)


def warn(messages: list[str]) -> None:
    """Print warnings (for example the forecast engine's fallbacks) on stderr."""
    for message in messages:
        errors.print(f"Warning: {message}", soft_wrap=True, markup=False)


def print_frame(df: pd.DataFrame, title: str | None = None, max_rows: int = 60) -> None:
    """Print `df` as a table, numbers right-aligned; long frames are cut with a note."""
    table = Table(title=Text(title) if title is not None else None, show_lines=False, header_style="bold")
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(Text(str(col)), justify="right" if numeric else "left")
    kinds = column_kinds(df)
    for row in df.head(max_rows).itertuples(index=False):
        table.add_row(*(Text(number_text(v, kind)) for v, kind in zip(row, kinds, strict=True)))
    console.print(table)
    if len(df) > max_rows:
        console.print(f"… {len(df) - max_rows} more rows (write them to a file with --out)")


class ProgressBar:
    """A progress callback `(done, total)` for the engines, drawn as a bar on stderr when it is a
    terminal and the job is large (`min_total` series); silent otherwise."""

    def __init__(self, description: str, min_total: int = 2000) -> None:
        self.description, self.min_total = description, min_total
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None and total >= self.min_total and errors.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                TimeRemainingColumn(), console=errors, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.description, total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
