"""Units chosen from the numbers: persons in persons/thousands/millions (人/万人/亿人), money in CNY units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talent.present.units import money, money_scale, person_scale, persons


@pytest.mark.parametrize(("value", "en", "zh"), [
    (4_266_000, "4.27 million persons", "426.6万人"),
    (48_460_000, "48.46 million persons", "4,846.0万人"),
    (220_000_000, "220.00 million persons", "2.20亿人"),
    (30_500, "30.5 thousand persons", "3.0万人"),
    (2_793, "2,793 persons", "2,793人"),
    (0, "0 persons", "0人"),
])
def test_persons(value: float, en: str, zh: str) -> None:
    assert (persons(value, "en"), persons(value, "zh")) == (en, zh)


@pytest.mark.parametrize(("value", "en", "zh"), [
    (66_079.0, "66.08 billion CNY", "660.79亿元"),
    (2_500.0, "2,500 million CNY", "25.00亿元"),
    (5.01, "5 million CNY", "501万元"),
])
def test_money(value: float, en: str, zh: str) -> None:
    assert (money(value, "en"), money(value, "zh")) == (en, zh)


@given(st.lists(st.floats(min_value=0, max_value=1e10), min_size=1, max_size=20), st.sampled_from(["en", "zh"]))
def test_a_larger_unit_is_chosen_only_when_the_largest_number_reaches_one_of_it(values: list[float],
                                                                              lang: str) -> None:
    top = max(values)
    for scale, smallest in ((person_scale(values, lang), 1.0), (money_scale(values, lang),  # type: ignore[arg-type]
                                                                  1.0 if lang == "en" else 0.01)):
        assert scale.factor == smallest or top / scale.factor >= 1
        shown = float(scale.number(top).replace(",", ""))
        assert abs(shown * scale.factor - top) <= 0.5 * scale.factor * 10 ** -scale.decimals + 1e-6 * top


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_value_that_rounds_to_zero_has_no_sign(lang: str) -> None:
    """A gap interval's lower bound of -1e-7 persons showed as '-0.00' beside millions."""
    scale = person_scale([6.5e9, -1e-7], lang)  # type: ignore[arg-type]
    assert scale.number(-1e-7) == "0.00"  # millions of persons; 亿人 in Chinese
    assert scale.number(-2e7).startswith("-")
    assert persons(-0.4, lang) == ("0 persons" if lang == "en" else "0人")


def test_table_cells_that_round_to_zero_have_no_sign() -> None:
    from talent.present.numbers import number_text

    assert [number_text(v, k) for v in (-1e-9, -0.0, -0.4) for k in ("count", "fraction")] == [
        "0", "0.000", "0", "0.000", "0", "-0.400"]
    assert number_text(-2.0, "count") == "-2"
