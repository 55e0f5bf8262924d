"""How numbers read in terminal tables and the report: one rule for both.

Each column gets a kind: `year` (calendar years and year-like headers, shown
as 2030, never 2,030), `fraction` (float columns whose values stay below 100:
ratios, probabilities, scores; three decimals, so 1.0 reads 1.000 beside
0.325), `count` (persons and money: thousands separators, no decimals) or
`text`.
"""

from __future__ import annotations

import numbers
from typing import Literal

import pandas as pd

from talent.io.xlsx import is_year_column

Kind = Literal["year", "fraction", "count", "text"]


def column_kinds(df: pd.DataFrame) -> list[Kind]:
    """The display kind of every column of `df`."""
    kinds: list[Kind] = []
    for c in df.columns:
        values = df[c]
        if is_year_column(c, values):
            kinds.append("year")
        elif pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
            kinds.append("text")
        elif pd.api.types.is_float_dtype(values) and values.abs().max() < 100:
            kinds.append("fraction")
        else:
            kinds.append("count")
    return kinds


def number_text(value: object, kind: Kind = "count") -> str:
    """A cell's text: '–' for missing, 2030 for years, 0.325 for fractions, 1,234,567 for counts."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool) or kind == "text" or not isinstance(value, numbers.Real):
        return str(value)
    number = float(value)  # python and numpy ints and floats alike
    if kind == "year":
        return f"{number:.0f}"
    text = f"{number:.3f}" if kind == "fraction" else f"{number:,.0f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text  # not '-0'
