"""Print frames as readable terminal tables (rich)."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from talent.formatting import fraction_columns, number_text

console = Console(highlight=False)


def say(text: str) -> None:
    """Print a sentence without hard line breaks (terminals and pipes wrap it themselves)."""
    console.print(text, soft_wrap=True)


def warn(messages: list[str]) -> None:
    """Print the forecast engine's fallback warnings so the user sees them (stderr)."""
    for message in messages:
        Console(stderr=True, highlight=False).print(f"Warning: {message}", soft_wrap=True)


def print_frame(df: pd.DataFrame, title: str | None = None, max_rows: int = 60) -> None:
    """Print `df` as a table, numbers right-aligned; long frames are cut with a note."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(str(col), justify="right" if numeric else "left")
    fractions = fraction_columns(df)
    for row in df.head(max_rows).itertuples(index=False):
        table.add_row(*(number_text(v, frac) for v, frac in zip(row, fractions, strict=True)))
    console.print(table)
    if len(df) > max_rows:
        console.print(f"… {len(df) - max_rows} more rows (write them to a file with --out)")
