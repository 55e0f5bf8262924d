"""Regional planning in the application (issue 12): which regions a plan covers, how the planning file's
national figures reach them, the mobility rule, and `talent run` on the shipped regional example."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from talent.config import load_planning
from talent.errors import ConfigError, TalentWarning
from talent.io.series import load_series
from talent.planning import build_inputs
from talent.planning_regions import RegionShare, leaf_regions, mobility, plan_regions, region_shares
from tests.conftest import ASSETS, CliResult

REGIONAL = ASSETS / "cn_regional_example.csv"
Cli = Callable[..., CliResult]
PROVINCES = ["CN-BJ", "CN-GD", "CN-HA", "CN-HB", "CN-JS", "CN-SC", "CN-SH", "CN-ZJ", "CN-ZZ"]


def _series(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """(region, kind, value) rows of one role and level in 2024."""
    return pd.DataFrame([{"region": r, "role": "robotics", "level": "applied", "kind": k, "year": 2024, "value": v}
                         for r, k, v in rows])


def test_leaves_are_the_regions_without_sub_regions_in_the_data() -> None:
    assert leaf_regions(["CN", "CN-HA", "CN-GD"]) == ["CN-GD", "CN-HA"]
    assert leaf_regions(["CN"]) == ["CN"]
    assert leaf_regions(["US+CA", "CN"]) == ["CN", "US+CA"]
    series = pd.DataFrame({"region": ["CN", "CN-HA", "CN-GD", "US"]})
    assert plan_regions(series, None, "CN") == ["CN-GD", "CN-HA"]  # never CN and its provinces together
    assert plan_regions(series, "CN", "CN") == ["CN"]  # --region plans exactly that region
    assert plan_regions(pd.DataFrame({"region": ["CN-HA"]}), None, "CN") == ["CN-HA"]  # a province-only file
    assert plan_regions(pd.DataFrame({"region": ["US"]}), None, "CN") == ["CN"]  # named as missing downstream


def test_shares_come_from_the_last_observed_year_and_overrides_win() -> None:
    s = _series([("A", "supply", 30), ("B", "supply", 10), ("A", "demand", 50), ("B", "demand", 150)])
    s = pd.concat([s, s.assign(year=2020, value=1.0)])  # an earlier year must not count
    with pytest.warns(TalentWarning, match=r"p.toml: the data has no rows for X .* the 2 region\(s\) planned "
                      r"\(A, B\) are taken to be the whole of X"):
        shares = region_shares(s, ["A", "B"], ("applied",), {}, "p.toml", "X")
    assert shares == {"A": RegionShare(0.75, 0.25), "B": RegionShare(0.25, 0.75)}
    with pytest.warns(TalentWarning):
        shares = region_shares(s, ["A", "B"], ("applied",), {"B": {"economy": 0.5}}, "p.toml", "X")
    assert shares["B"] == RegionShare(0.25, 0.5)
    with pytest.raises(ConfigError, match=r"p.toml, key regions.share.\"C\": is not a region of this plan "
                       r"\(2 planned\) \(value: 'C'\). Fix: use one of A, B"):
        region_shares(s, ["A", "B"], ("applied",), {"C": {"people": 0.1}}, "p.toml", "X")


def test_a_region_gets_its_share_of_the_country_however_many_regions_are_planned() -> None:
    """Shares are of the country's own totals (its rows in the data, else the national data given), not of
    the planned regions' sum: Henan planned alone, or with Guangdong only, gets Henan's part of China."""
    s = _series([("CN", "supply", 100), ("CN", "demand", 400), ("CN-HA", "supply", 10), ("CN-HA", "demand", 40),
                 ("CN-GD", "supply", 30), ("CN-GD", "demand", 120)])
    alone = region_shares(s, ["CN-HA"], ("applied",), {}, "p.toml", "CN")
    assert alone == {"CN-HA": RegionShare(pytest.approx(0.1), pytest.approx(0.1))}
    two = region_shares(s, ["CN-GD", "CN-HA"], ("applied",), {}, "p.toml", "CN")
    assert two["CN-GD"] == RegionShare(pytest.approx(0.3), pytest.approx(0.3)) and two["CN-HA"] == alone["CN-HA"]
    provinces = s[s["region"] != "CN"]
    country = s[s["region"] == "CN"]
    assert region_shares(provinces, ["CN-HA"], ("applied",), {}, "p.toml", "CN", national=country) == alone
    assert region_shares(s, ["CN"], ("applied",), {}, "p.toml", "CN") == {"CN": RegionShare(1.0, 1.0)}


def test_one_province_gets_its_part_of_the_national_figures(tmp_path: Path) -> None:
    """`--region CN-HA` on the regional example, and a Henan-only file (China's totals then from the default
    data), give Henan the same inputs: its demand share of the budget and firms' money, its supply share of
    faculty, baseline intake and literacy targets; no central budget of its own."""
    cfg = load_planning()
    national = build_inputs(cfg, load_series())
    henan = build_inputs(cfg, load_series(REGIONAL), region="CN-HA")
    shares = region_shares(load_series(REGIONAL), ["CN-HA"], ("applied", "expert"), {}, "p", "CN")["CN-HA"]
    assert 0.01 < shares.people < 0.1 and 0.01 < shares.economy < 0.1
    for y in henan.years:
        assert henan.budget["CN-HA", y] == pytest.approx(shares.economy * national.budget["CN", y])
        assert henan.industry_budget["CN-HA", y] == pytest.approx(shares.economy * national.industry_budget["CN", y])
    assert not henan.central_budget
    for part in ("faculty", "coverage"):
        size = "initial" if part == "faculty" else "persons"
        assert sum(getattr(x, size) for x in getattr(henan, part)) == pytest.approx(
            shares.people * sum(getattr(x, size) for x in getattr(national, part)))
    assert sum(p.existing_intake for p in henan.programmes) == pytest.approx(
        shares.people * sum(p.existing_intake for p in national.programmes))
    regional = pd.read_csv(REGIONAL, comment="#")
    path = tmp_path / "henan.csv"
    regional[regional["region"] == "CN-HA"].to_csv(path, index=False)
    alone = build_inputs(cfg, load_series(path))
    assert alone.budget == pytest.approx(henan.budget) and alone.faculty == henan.faculty


def test_some_provinces_get_their_part_of_the_central_budget() -> None:
    """Henan and Guangdong planned together: their regional budgets and the central money for them add up
    to their demand shares of the national budget, not to the whole of it."""
    cfg = load_planning()
    national = build_inputs(cfg, load_series())
    regional = load_series(REGIONAL)
    two = build_inputs(cfg, regional[regional["region"].isin(["CN", "CN-HA", "CN-GD"])].reset_index(drop=True))
    shares = region_shares(regional, ["CN-GD", "CN-HA"], ("applied", "expert"), {}, "p", "CN")
    part = shares["CN-GD"].economy + shares["CN-HA"].economy
    assert 0.05 < part < 0.5
    for y in two.years:
        total = sum(v for (_, yy), v in two.budget.items() if yy == y) + two.central_budget[y]
        assert total == pytest.approx(part * national.budget["CN", y])


def test_mobility_stay_rule_rows_and_errors() -> None:
    shares = {"A": RegionShare(0.5, 0.2), "B": RegionShare(0.3, 0.3), "C": RegionShare(0.2, 0.5)}
    m = mobility({"stay": 0.8}, shares, "p.toml")
    assert m[("A", "A")] == pytest.approx(0.8)
    assert m[("A", "B")] == pytest.approx(0.2 * 0.3 / 0.8) and m[("A", "C")] == pytest.approx(0.2 * 0.5 / 0.8)
    for origin in "ABC":
        assert sum(v for (o, _), v in m.items() if o == origin) == pytest.approx(1.0)
    m = mobility({"stay": 0.8, "mobility": {"A": {"A": 0.5, "C": 0.5}}}, shares, "p.toml")
    assert (m[("A", "A")], m[("A", "C")], ("A", "B") in m) == (0.5, 0.5, False)
    assert mobility({"stay": 1.0}, shares, "p.toml") == {("A", "A"): 1.0, ("B", "B"): 1.0, ("C", "C"): 1.0}
    assert mobility({}, {"A": shares["A"]}, "p.toml") == {}
    with pytest.raises(ConfigError, match=r"key regions.mobility.\"A\": the shares of graduates trained in A sum "
                       r"to 0.9, not 1 \(value: 0.9\). Fix: make them sum to 1"):
        mobility({"mobility": {"A": {"A": 0.6, "B": 0.3}}}, shares, "p.toml")
    with pytest.raises(ConfigError, match=r"key regions.mobility.\"A\".\"Z\": is not a region of this plan"):
        mobility({"mobility": {"A": {"Z": 1.0}}}, shares, "p.toml")


def test_regional_inputs_share_the_national_figures() -> None:
    """Budgets (regional + central), firms' money, faculty and baseline intake of the provinces add up to the
    planning file's national figures; programme ids carry their region."""
    cfg = load_planning()
    national = build_inputs(cfg, load_series())
    regional = build_inputs(cfg, load_series(REGIONAL))
    assert sorted({p.region for p in regional.programmes}) == PROVINCES
    assert all(p.id.startswith(f"{p.region}:") for p in regional.programmes)
    for y in regional.years:
        total = sum(v for (_, yy), v in regional.budget.items() if yy == y) + regional.central_budget[y]
        assert total == pytest.approx(national.budget["CN", y])
        assert regional.central_budget[y] == pytest.approx(0.3 * national.budget["CN", y])
        firms = sum(v for (_, yy), v in regional.industry_budget.items() if yy == y)
        assert firms == pytest.approx(national.industry_budget["CN", y])
    for tier in ("literacy", "applied", "expert"):
        assert sum(f.initial for f in regional.faculty if f.tier == tier) == pytest.approx(
            sum(f.initial for f in national.faculty if f.tier == tier))
    assert sum(p.existing_intake for p in regional.programmes) == pytest.approx(
        sum(p.existing_intake for p in national.programmes))
    for origin in PROVINCES:
        assert sum(v for (o, _), v in regional.mobility.items() if o == origin) == pytest.approx(1.0)


def test_mobility_rows_of_a_one_region_plan_warn_that_they_are_not_used() -> None:
    with pytest.warns(TalentWarning, match=r"p.toml, \[regions.mobility\]: not used, the plan covers one region "
                                           r"\(CN\)"):
        assert mobility({"mobility": {"CN-HA": {"CN-HA": 1.0}}}, {"CN": RegionShare(1.0, 1.0)}, "p.toml") == {}


def test_a_bad_mobility_row_is_a_named_error(tmp_path: Path) -> None:
    text = (ASSETS / "planning.toml").read_text(encoding="utf-8")
    bad = tmp_path / "p.toml"
    bad.write_text(text + '\n[regions.mobility."CN-HA"]\nCN-HA = 0.7\nCN-GD = 0.2\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"p.toml, key regions.mobility.\"CN-HA\": the shares of graduates "
                       r"trained in CN-HA sum to 0.9"):
        build_inputs(load_planning(bad), load_series(REGIONAL))


@pytest.fixture(scope="module")
def regional_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`talent run` on the shipped regional example, then the Chinese report of the same folder."""
    from talent.cli import app

    out = tmp_path_factory.mktemp("regional") / "out"
    result = CliRunner().invoke(app, ["run", "--data", str(REGIONAL), "--out", str(out), "--paths", "200",
                                      "--no-store"])
    assert result.exit_code == 0, result.output
    zh = CliRunner().invoke(app, ["report", str(out), "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    return out, result.stdout


@pytest.mark.slow
def test_talent_run_plans_every_province(regional_run: tuple[Path, str]) -> None:
    out, stdout = regional_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"]["status"] == "optimal"
    regions = pd.read_csv(out / "tables" / "plan_regions.csv")
    assert sorted(regions["region"]) == PROVINCES and (regions["intake"] > 0).sum() >= 4
    plan = pd.read_csv(out / "tables" / "plan_plan.csv")
    by_channel = plan.groupby("channel")["intake"].sum()
    assert by_channel["coop"] > 0 and by_channel["enterprise"] > 0  # the industry-funded channels train
    cost = pd.read_csv(out / "tables" / "plan_cost.csv")
    assert cost["industry"].sum() > 0 and cost["central"].sum() > 0
    assert regions["industry"].sum() == pytest.approx(cost["industry"].sum())
    expected = pd.read_csv(out / "tables" / "plan_expected_gap.csv")
    last = expected[expected["year"] == regions["year"].iloc[0]]
    assert regions["gap_before"].sum() == pytest.approx(last["gap_before"].sum())  # the national total is the sum
    flows = pd.read_csv(out / "tables" / "plan_flows.csv")
    moved = flows[flows["from_region"] != flows["to_region"]]["graduates"].sum() / flows["graduates"].sum()
    assert moved == pytest.approx(0.2, abs=0.01)  # the default stay rule: 80% work where they trained
    assert "Who pays: firms" in stdout and "Regions: the plan trains in" in stdout
    text = stdout.replace("\n", " ")
    for region in ("CN", *PROVINCES):  # every region's gap, the country's too
        assert re.search(rf"{region} 2030: gap [\d.]+ (thousand|million) persons \(interval", text), region
    ranges = pd.read_csv(out / "tables" / "plan_ranges.csv")  # how much freedom, province by province
    groups = ranges[ranges["kind"] == "tier_audience"]
    assert sorted(groups["region"].unique()) == PROVINCES
    assert ranges[["min", "max"]].notna().all().all()  # every range solved (a warm start that fails is re-run)
    assert (groups["min"] <= groups["planned"] + 1).all() and (groups["planned"] <= groups["max"] + 1).all()
    assert (groups["max"] - groups["min"] > 1).any()  # some freedom somewhere
    assert "What limits the gap is not computed for a plan of several regions unless asked" in text


@pytest.mark.slow
def test_the_report_has_a_regional_section_in_both_languages(regional_run: tuple[Path, str]) -> None:
    out, _ = regional_run
    en = (out / "report_en.html").read_text(encoding="utf-8")
    zh = (out / "report_zh.html").read_text(encoding="utf-8")
    for text, words in ((en, ["<h2>Regions</h2>", "Where the plan trains and where the gap falls",
                              "Graduate flows that matter", "Henan", "Guangdong",
                              "reconciled with China's: China's simulated paths are shared among its 9 provinces",
                              "How much freedom there is", "A region's ranges hold the other regions"]),
                        (zh, ["<h2>分地区</h2>", "规划在哪里培养，缺口落在哪里", "主要的毕业生跨地区流动",
                              "河南", "广东", "各省预测已与中国协调", "可调整的余地", "各地区的区间以其他地区的规划"])):
        for w in words:
            assert w in text, w
    assert en.count("<svg") == zh.count("<svg")  # the same charts in both languages
    # every chart in a <figure>, which the page's style scales to its width (a bare SVG overflowed it)
    assert en.count("<svg") == len(re.findall(r"<figure>(?:<h3>[^<]*</h3>)?<svg", en))


def test_a_province_without_a_role_is_planned_for_what_it_has(tmp_path: Path) -> None:
    """Partial data: Guangdong has no robotics series. The plan of Henan and Guangdong is optimal, trains
    nothing for Guangdong robotics, and lists the programmes whose graduates have nowhere to go."""
    from talent.planning import plan_from_files
    from talent.planning_results import plan_tables, unmatched_table

    regional = pd.read_csv(REGIONAL, comment="#")
    two = regional[regional["region"].isin(["CN-HA", "CN-GD"])]
    two = two[~((two["region"] == "CN-GD") & (two["role"] == "robotics"))]
    path = tmp_path / "two.csv"
    two.to_csv(path, index=False)
    o = plan_from_files(series=path, explain=False)
    assert o.result.optimal
    listed = unmatched_table(o)
    gd = listed[listed["region"] == "CN-GD"]
    assert set(gd["role"]) == {"robotics"} and len(gd) >= 2  # an applied and an expert robotics programme at least
    assert set(listed["role"]) == {"robotics"}
    intake = o.result.intake.groupby("programme")["intake"].sum()
    assert all(intake.get(f"CN-GD:{p}", 0.0) < 1e-6 for p in gd["programme"])
    assert "unmatched" in plan_tables(o)


def test_one_province_plan_in_chinese(cli: Cli, tmp_path: Path) -> None:
    """`talent plan --region CN-HA --lang zh`: the status in Chinese, money in 亿元 and persons in 万人, and the
    cost of Henan's part of the national budget (billions of CNY, not the tens of billions of all China)."""
    r = cli("plan", "--data", str(REGIONAL), "--region", "CN-HA", "--lang", "zh", "--out", str(tmp_path / "p.csv"))
    assert r.code == 0, r.err
    head, sentence = r.out.splitlines()[:2]
    assert head.endswith("：最优（HiGHS）"), head
    cost = re.search(r"共需([\d.]+)亿元", sentence)
    assert cost is not None and 10 < float(cost.group(1)) < 60, sentence
    assert re.search(r"由[\d.]+万人降至[\d.]+万人", sentence), sentence


def test_who_pays_counts_seats_not_solver_noise() -> None:
    # A plan that opens no seat but leaves 1e-7 of an entrant in a co-funded programme said "firms 0 million CNY
    # (0.0% of the money; 100.0% of the new seats are co-funded by firms)".
    from talent.planning_results import funding_figures
    from talent.present.regional import funding_line

    cost = pd.DataFrame({"cost": [10.0], "industry": [0.0], "central": [0.0]})
    plan = pd.DataFrame({"intake": [1e-7, 0.0, 3.0], "industry_share": [0.3, 0.0, 0.0]})
    figures = funding_figures(cost, plan)
    assert (figures["seats"], figures["cofunded"]) == (3.0, 0.0)
    assert "0.0% of the new seats are co-funded by firms" in funding_line(figures, "en")
    assert funding_figures(cost, plan.assign(intake=[2.0, 0.0, 2.0]))["cofunded"] == 2.0


@pytest.mark.slow
def test_limits_of_a_plan_of_several_regions_only_when_asked(cli: Cli, tmp_path: Path) -> None:
    """A plan of two provinces leaves out what limits the gap (one re-solve of the whole plan per family) and
    says how to get it; `--limits` computes it: one row per family, the gap without every limit at most the
    gap with them, and the sentences in the summary."""
    regional = pd.read_csv(REGIONAL, comment="#")
    path = tmp_path / "two.csv"
    regional[regional["region"].isin(["CN-HA", "CN-GD"])].to_csv(path, index=False)
    plain = cli("plan", "--data", str(path))
    assert plain.code == 0, plain.err
    assert "not computed for a plan of several regions unless asked: add --limits" in plain.out.replace("\n", " ")
    asked = cli("plan", "--data", str(path), "--limits", "--out", str(tmp_path / "p.xlsx"))
    assert asked.code == 0, asked.err
    assert "unless asked" not in asked.out
    limits = pd.read_excel(tmp_path / "p.xlsx", sheet_name="limits")
    assert "all" in set(limits["family"]) and "budget" in set(limits["family"])
    every = limits[limits["family"] == "all"].iloc[0]
    assert every["gap_without"] <= every["gap_with"] + 1e-6
    assert (limits["gap_without"].dropna() <= limits["gap_with"].dropna() + 1e-3).all()
