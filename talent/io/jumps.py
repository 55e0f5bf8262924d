"""Values off by a unit: a hundred times their series' year before (a typo, or a change of unit), or a column
that gives the unit (`unit`: thousands) as something other than persons.

A headcount that is 100 times or more the year before's (or a hundredth of it),
at 1,000 persons or more, is almost never real: `12000000` typed for `1200`, a
spreadsheet's formula dividing by 1,000, or the years before some date given in
thousands (`1.2`) and those after in persons (`1250`). Each is read as written
(it may be right) with one warning naming the rows, so a forecast and a gap a
thousand times too large do not pass without a word.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from talent.errors import Problem, TalentWarning, shorten

FACTOR = 100.0  # the smallest change from one year to the next named (the warning says "100 times")
FLOOR = 1000.0  # persons: the larger of the two values at least this (5 → 600 is a small series growing)
SERIES = ["region", "role", "level", "kind"]


def _shown(n: float) -> str:
    return f"{n:,.0f}" if n >= 100 or float(n).is_integer() else f"{n:,.4g}"


def unit_jumps(df: pd.DataFrame, rows: Sequence[int], file: str, unit: str = "row") -> None:
    """Warn once about every value 100 times or more (or a hundredth or less) its series' value the year before
    (`df`: the validated frame, `rows[i]` the file row of `df`'s i-th row)."""
    if len(df) < 2:
        return
    order = df.assign(_at=np.arange(len(df))).sort_values([*SERIES, "year"], kind="stable")
    same = (order[SERIES] == order[SERIES].shift()).all(axis=1) & (order["year"] == order["year"].shift() + 1)
    now, before = order["value"].to_numpy(float), order["value"].shift().to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.maximum(now, before) / np.minimum(now, before)
    flagged = same.to_numpy() & (now > 0) & (before > 0) & (ratio >= FACTOR) & (np.maximum(now, before) >= FLOOR)
    if not flagged.any():
        return
    hits = order[flagged]
    shown = []
    for (_, r), prev in list(zip(hits.iterrows(), before[flagged], strict=True))[:3]:
        key = "/".join(str(r[c]) for c in SERIES)
        shown.append(f"{unit} {rows[int(r['_at'])]} ({key} {int(r['year'])}): {_shown(r['value'])} after "
                     f"{_shown(prev)} in {int(r['year']) - 1}")
    more = f" and {len(hits) - 3:,} more" if len(hits) > 3 else ""
    warnings.warn(f"{file}: a value is 100 times or more the year before's in its series, or a hundredth of it or "
                  f"less: {'; '.join(shown)}{more}; a typo (digits added or lost) or a change of unit (thousands "
                  "against persons)? They are read as written: check them, and write every value in persons",
                  TalentWarning, stacklevel=3)


_UNIT_NAME = re.compile(r"units?|unit of measure(ment)?|measure|scale|multiplier|计量单位|計量單位|单位|單位|数量单位",
                        re.IGNORECASE)
_SCALE_WORD = re.compile(r"thousand|million|billion|'?000s?\b|\bk\b|\bmn\b|\bm\b|千|万|萬|百万|亿|億|"
                         r"\b1[,. ']?000\b|\b10[,. ']?000\b|\b1e[3-9]\b|[x×*]\s*10", re.IGNORECASE)
_PERSONS = re.compile(r"(number of |no\. of )?(persons?|people|headcounts?|individuals?|workers?|employees?|人|人数|"
                      r"人员|名|个人)|[x×*]?\s*1(\.0*)?", re.IGNORECASE)  # a scale of 1 scales nothing


_NOT_PERSONS = re.compile(r"%|％|percent|per ?cent|shares?|rates?|ratio|index|fte|full[- ]time equivalents?|"
                          r"[$¥￥€£元]|\b(cny|usd|rmb|eur|yuan|dollars?|currency|money|hours?)\b|百分比|比例|比率|工时",
                          re.IGNORECASE)


def _unit_text(column: str, text: str) -> tuple[str, str] | None:
    """The problem of a unit cell `text` (None: persons, empty, or a unit left to a warning)."""
    name = shorten(column, 40)
    if _SCALE_WORD.search(text):
        return (f"the column '{name}' says the values are in {shorten(text, 40)}, not in persons", "multiply the "
                f"values to persons (1.2 thousand = 1200, 1.2 万人 = 12000), then write 'persons' in the column "
                f"'{name}' or delete it")
    if _NOT_PERSONS.search(text):
        return (f"the column '{name}' gives the values' unit as {shorten(text, 40)!r}, not a headcount in persons",
                "write every value as a headcount in persons, and 'persons' in that column (or delete it)")
    return None


def unit_columns(raw: pd.DataFrame, mapping: dict[str, str], file: str, rows: Sequence[int]) -> list[Problem]:
    """A column the contract does not read that gives the values' unit ('unit', '单位', 'scale'): 'thousands', '万人'
    or 1000 there was ignored, and the values read as persons, a thousand or ten thousand times too small; a share,
    a sum of money or FTE is no headcount either: problems. Persons (or a scale of 1) is read; another word
    ('Employment') is read as persons with a warning naming it."""
    out: list[Problem] = []
    for column in [c for c in raw.columns if c not in mapping and _UNIT_NAME.fullmatch(" ".join(str(c).split()))]:
        seen: dict[str, tuple[str, str] | None] = {}
        other: dict[str, int] = {}
        for row, value in zip(rows, raw[column].tolist(), strict=True):
            text = " ".join(str(value).split())
            if text not in seen:
                seen[text] = None if not text or _PERSONS.fullmatch(text) else _unit_text(str(column), text)
                if seen[text] is None and text and not _PERSONS.fullmatch(text):
                    other[text] = row
            if seen[text] is not None:
                out.append(Problem(file, row, str(column), value, *seen[text]))  # type: ignore[misc]
        if other:
            shown = ", ".join(f"'{shorten(t, 40)}' (row {r})" for t, r in list(other.items())[:3])
            warnings.warn(f"{file}: the column '{shorten(str(column), 40)}' gives the values' unit as {shown}; the "
                          "values are read as headcounts in persons: if they are not, convert them (and write "
                          "'persons' in that column to silence this)", TalentWarning, stacklevel=3)
    return out
