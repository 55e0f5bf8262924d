"""One number format for terminal tables and the report."""

from __future__ import annotations

import pandas as pd

from talent.present.numbers import fraction_columns, number_text


def test_fraction_and_count_columns() -> None:
    df = pd.DataFrame({"role": ["a", "b"], "demand": [1234567.0, 5.0], "p": [1.0, 0.3254], "year": [2030, 2031]})
    assert fraction_columns(df) == [False, False, True, False]
    assert [number_text(v, f) for v, f in zip(df.iloc[0], fraction_columns(df), strict=True)] == [
        "a", "1,234,567", "1.000", "2030"]
    assert number_text(float("nan"), True) == "–"
