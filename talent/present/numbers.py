"""How numbers read in terminal tables and the report: one rule for both.

Counts (persons, money) get thousands separators and no decimals; fraction
columns (ratios, probabilities, scores: float columns whose values stay
below 100) keep three decimals, so 1.0 reads 1.000 beside 0.325.
"""

from __future__ import annotations

import pandas as pd


def fraction_columns(df: pd.DataFrame) -> list[bool]:
    """Per column: is it a float column of small values (shown with decimals)?"""
    return [bool(pd.api.types.is_float_dtype(df[c]) and df[c].abs().max() < 100) for c in df.columns]


def number_text(value: object, fraction: bool) -> str:
    """A cell's text: '–' for missing, 0.325 for fractions, 1,234,567 for counts, other values as str."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if pd.isna(value):
        return "–"
    return f"{value:.3f}" if fraction else f"{value:,.0f}"
