"""Units a reader expects, chosen from the numbers themselves.

Persons: in English persons, thousand or million persons; in Chinese 人,
万人 (10,000) or 亿人 (100 million), as Chinese statistics publish them.
Money (kept internally in million CNY): in English million or billion CNY,
in Chinese 万元 or 亿元 (100 million CNY). One scale is chosen per sentence,
table or axis from its largest number, so numbers side by side share a unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "zh"]


@dataclass(frozen=True)
class Scale:
    """A unit: divide by `factor`, show `decimals` decimals, then the unit's name (long and short)."""

    factor: float
    decimals: int
    name: str
    short: str

    def number(self, value: float) -> str:
        """The value in this unit, without the unit's name ('4.27', '426.5', '12,345'); a value that rounds to
        zero is '0.00', never '-0.00' (a lower bound of -1e-9 persons read as a negative gap)."""
        text = f"{value / self.factor:,.{self.decimals}f}"
        return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text

    def text(self, value: float, short: bool = False) -> str:
        """The value with its unit ('4.27 million persons', '426.5万人')."""
        unit = self.short if short else self.name
        space = "" if unit[:1] > "\u2e80" else " "  # no space before a Chinese unit
        return f"{self.number(value)}{space}{unit}"


def _largest(values: Iterable[float]) -> float:
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    return max(finite, default=0.0)


def person_scale(values: Iterable[float], lang: Lang) -> Scale:
    """The unit for persons fitting the largest of `values`."""
    top = _largest(values)
    if lang == "zh":
        if top >= 1e8:
            return Scale(1e8, 2, "亿人", "亿人")
        return Scale(1e4, 1, "万人", "万人") if top >= 1e4 else Scale(1, 0, "人", "人")
    if top >= 1e6:
        return Scale(1e6, 2, "million persons", "m")
    return Scale(1e3, 1, "thousand persons", "k") if top >= 1e4 else Scale(1, 0, "persons", "persons")


def money_scale(values: Iterable[float], lang: Lang) -> Scale:
    """The unit for money given in million CNY, fitting the largest of `values`."""
    top = _largest(values)
    if lang == "zh":
        return Scale(100, 2, "亿元", "亿元") if top >= 100 else Scale(0.01, 0, "万元", "万元")
    return Scale(1e3, 2, "billion CNY", "bn CNY") if top >= 1e4 else Scale(1, 0, "million CNY", "m CNY")


def persons(value: float, lang: Lang) -> str:
    """One number of persons in its own unit."""
    return person_scale([value], lang).text(value)


def money(value: float, lang: Lang) -> str:
    """One amount of money (million CNY) in its own unit."""
    return money_scale([value], lang).text(value)
