"""The shipped default data meets the published calibration targets (Han 2024)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from talent.io.series import load_series
from tests.conftest import ASSETS, DATA


def trend_2030(national: pd.DataFrame) -> pd.DataFrame:
    """Per series: the ordinary-least-squares line through the history, read at 2030 (the datasheet's calibration)."""
    rows = [(*key, np.polyval(np.polyfit(g["year"], g["value"], 1), 2030))
            for key, g in national.groupby(["role", "level", "kind"])]
    return pd.DataFrame(rows, columns=["role", "level", "kind", "mean"])


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return load_series()


def test_history_is_2015_to_2024_by_role_and_professional_level(national: pd.DataFrame) -> None:
    assert sorted(national["year"].unique()) == list(range(2015, 2025))
    # roles × professional levels (applied, expert) × kinds
    assert national.groupby(["role", "level", "kind"]).ngroups == 6 * 2 * 2


def test_linear_trend_reaches_published_2030_figures(national: pd.DataFrame) -> None:
    """OLS trend on 2015–2024: demand ≈ 6.0 m, supply ≈ 2.0 m (one third), gap ≈ 4 m."""
    totals = trend_2030(national).groupby("kind")["mean"].sum()
    assert totals["demand"] == pytest.approx(6.0e6, rel=0.01)
    assert totals["supply"] == pytest.approx(2.0e6, rel=0.01)
    assert totals["demand"] - totals["supply"] == pytest.approx(4.0e6, rel=0.02)
    # the same holds for the total series itself (sums of lines are lines)
    total = national.groupby(["kind", "year"])["value"].sum()
    for kind, target in (("demand", 6.0e6), ("supply", 2.0e6)):
        s = total[kind]
        assert np.polyval(np.polyfit(s.index, s.to_numpy(), 1), 2030) == pytest.approx(target, rel=0.01)


def test_role_shares_of_2024_demand(national: pd.DataFrame) -> None:
    d = national.query("kind == 'demand' and year == 2024").groupby("role")["value"].sum()
    share = d / d.sum()
    assert share["machine_learning"] == pytest.approx(0.456, abs=0.0005)
    for role in ("robotics", "ai_chips", "computer_vision", "decision_systems"):
        assert share[role] > 0.05


def test_expert_level_has_the_largest_relative_shortage(national: pd.DataFrame) -> None:
    by_level = national.query("year == 2024").pivot_table(index="level", columns="kind", values="value",
                                                          aggfunc="sum")
    assert (1 - by_level["supply"] / by_level["demand"]).idxmax() == "expert"
    future = trend_2030(national).pivot_table(
        index="level", columns="kind", values="mean", aggfunc="sum")
    assert (1 - future["supply"] / future["demand"]).idxmax() == "expert"


def test_modelled_files_say_so_in_their_header() -> None:
    assert (ASSETS / "cn_national.csv").read_text(encoding="utf-8").startswith("# MODELLED DATA, not observed.")
    assert (ASSETS / "cn_regional_example.csv").read_text(encoding="utf-8").startswith("# MODELLED DATA")
    assert (ASSETS / "us_ca_ai_phds.csv").read_text(encoding="utf-8").startswith("# OBSERVED DATA.")


def test_generator_reproduces_the_shipped_file() -> None:
    """Determinism: the builder script regenerates the shipped CSV byte for byte."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_default_data", DATA / "make_default_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = pd.read_csv(ASSETS / "cn_national.csv", comment="#")
    pd.testing.assert_frame_equal(module.national(), expected)


def test_literacy_coverage_file_is_valid_and_says_what_is_published() -> None:
    """Coverage data: every audience, plan years, published populations flagged as such, the rest modelled."""
    from talent.io.coverage import load_coverage

    cov = load_coverage(ASSETS / "cn_literacy_coverage.csv")
    assert set(cov["audience"]) == {"managers", "technical_staff", "students", "skilled_technicians"}
    assert set(cov["year"]) == set(range(2024, 2031))
    published = cov[cov["population_status"] == "published"].set_index(["audience", "year"])["population"]
    assert published.to_dict() == {("skilled_technicians", 2024): 200_000_000,
                                   ("skilled_technicians", 2025): 220_000_000,
                                   ("students", 2024): 48_460_000, ("technical_staff", 2025): 80_000_000}
    assert set(cov["trained_status"]) == {"modelled"}  # no published series of AI-literate people exists
    assert (cov["trained"] < cov["population"]).all()
    text = (ASSETS / "cn_literacy_coverage.csv").read_text(encoding="utf-8")
    assert "MODELLED, not observed" in text.split("region,")[0]


def test_regional_example_adds_up_to_the_nation_and_provinces_differ() -> None:
    regional = load_series(ASSETS / "cn_regional_example.csv")
    national = load_series(ASSETS / "cn_national.csv")
    keys = ["role", "level", "kind", "year"]
    parts = regional[regional["region"] != "CN"].groupby(keys)["value"].sum()
    whole = regional[regional["region"] == "CN"].set_index(keys)["value"]
    assert (parts - whole).abs().max() == 0  # eight provinces plus the rest of the country = CN, every cell
    pd.testing.assert_series_equal(whole, national.set_index(keys)["value"])
    assert {"CN-BJ", "CN-SH", "CN-GD", "CN-JS", "CN-ZJ", "CN-HA", "CN-SC", "CN-HB", "CN-ZZ"} < set(regional["region"])
    y = regional[regional["year"] == 2024].pivot_table(index="region", columns="kind", values="value", aggfunc="sum")
    relative = (y["supply"] / y["demand"]) / (y.loc["CN", "supply"] / y.loc["CN", "demand"])
    documented = {"CN-BJ": 1.10, "CN-SH": 1.00, "CN-GD": 0.85, "CN-JS": 1.05, "CN-ZJ": 0.90, "CN-HB": 1.15,
                  "CN-SC": 1.10, "CN-HA": 1.25}  # data/DATASHEET.md, each with its reason
    for region, factor in documented.items():
        assert relative[region] == pytest.approx(factor, abs=0.002), region
