"""One number format for terminal tables and the report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from talent.present.numbers import column_kinds, number_text


def test_column_kinds_and_texts() -> None:
    df = pd.DataFrame({"role": ["a", "b"], "demand": [1234567.0, 5.0], "p": [1.0, 0.3254], "year": [2030, 2031],
                       "年份": [2030.0, 2031.0], "budget": [12000, 13000]})
    kinds = column_kinds(df)
    assert kinds == ["text", "count", "fraction", "year", "year", "count"]
    for row in (df.iloc[0], next(df.itertuples(index=False))):  # numpy and python scalars alike
        assert [number_text(v, k) for v, k in zip(row, kinds, strict=True)] == [
            "a", "1,234,567", "1.000", "2030", "2030", "12,000"]
    assert number_text(float("nan"), "fraction") == number_text(pd.NA, "count") == number_text(None) == "–"
    assert number_text(np.int64(1234)) == "1,234" and number_text("x", "count") == "x"


def test_a_year_header_with_non_year_values_is_a_count() -> None:
    assert column_kinds(pd.DataFrame({"year": [12.5, 99.0]})) == ["fraction"]
