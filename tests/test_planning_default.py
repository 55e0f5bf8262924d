"""The default plan on the default data: optimal, closes part of the 2030 gap, explains itself;
its duals match finite-difference re-solves; the CLI and the planning file's errors."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import highspy
import pandas as pd
import pytest
from typer.testing import CliRunner

import curricula as c
from talent.cli import app
from talent.config import load_planning, parse_scenarios
from talent.errors import ConfigError
from talent.gaps.coverage import with_plan
from talent.paths import default_planning_path
from talent.planning import build_inputs, compare_plans, plan_from_files, planning_coverage
from talent.planning_results import PlanOutcome, plan_tables
from talent.present.units import money
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def outcome() -> PlanOutcome:
    return plan_from_files(explain=False)  # ranges and limits are tested in test_planning_decision_default


def test_default_plan_is_optimal_reduces_the_gap_and_reports(outcome: PlanOutcome) -> None:
    r = outcome.result
    assert r.optimal
    g = r.expected_gap()
    g = g[g["year"] == 2030]
    before, after = g["gap_before"].sum(), g["gap_after"].sum()
    assert before == pytest.approx(4.0e6, rel=0.1)  # near the published 4 million gap
    assert after < before
    assert set(g["level"]) == {"applied", "expert"}  # the professional gap: no literacy in it
    assert r.cost["cost"].sum() > 0
    public = r.cost["cost"] - r.cost["industry"]  # firms pay their share of co-op and enterprise seats
    assert (public <= r.cost["budget"] * (1 + 1e-9)).all()
    assert (r.cost["industry"] <= r.cost["industry_budget"] * (1 + 1e-9)).all() and r.cost["industry"].sum() > 0
    assert not r.binding().empty
    assert c.check_plan(outcome.inputs, r) == []


def test_literacy_serves_coverage_targets_only(outcome: PlanOutcome, tmp_path: Path) -> None:
    """Literacy graduates add no professionals; they exist to meet the coverage targets, which they meet."""
    r = outcome.result
    literacy = r.intake[r.intake["tier"] == "literacy"]
    assert literacy["intake"].sum() > 0
    coverage = with_plan(planning_coverage(load_planning()), r.graduates)  # type: ignore[arg-type]
    targeted = coverage.dropna(subset=["target"])
    assert len(targeted) == 5
    assert (targeted["trained_with_plan"] >= targeted["target"] * targeted["population"] - 1).all()
    text = default_planning_path().read_text(encoding="utf-8")
    start, end = text.index("[coverage.target.managers]"), text.index("# Minimum shares")
    p = tmp_path / "no_targets.toml"
    p.write_text(text[:start] + text[end:], encoding="utf-8")
    no_targets = plan_from_files(p, explain=False).result
    assert no_targets.optimal
    assert no_targets.intake[no_targets.intake["tier"] == "literacy"]["intake"].sum() == pytest.approx(0, abs=1e-6)
    # and the professional gap does not care: literacy never counted against it
    gap = no_targets.expected_gap()
    assert gap[gap["year"] == 2030]["gap_before"].sum() == pytest.approx(
        r.expected_gap().query("year == 2030")["gap_before"].sum())


def _budget_plus(i: c.PlanInputs, year: int, delta: float) -> c.PlanInputs:
    b = dict(i.budget)
    b["CN", year] += delta
    return dataclasses.replace(i, budget=b)


def test_budget_duals_match_finite_differences(outcome: PlanOutcome) -> None:
    i, r = outcome.inputs, outcome.result
    duals = r.duals[r.duals["family"] == "budget"]
    checked = 0
    for key, value in zip(duals["key"], duals["value"], strict=True):
        if value < 1e-6:
            continue
        delta = 0.01  # ten thousand CNY: a dual holds within its basis's range (2029's: under one million)
        fd = (r.objective - c.plan(_budget_plus(i, key[1], delta)).objective) / delta
        assert fd == pytest.approx(value, rel=0.01), key
        checked += 1
    assert checked >= 1


def test_faculty_dual_matches_finite_difference(outcome: PlanOutcome) -> None:
    i, r = outcome.inputs, outcome.result
    d = r.duals[(r.duals["family"] == "faculty_growth") & (r.duals["value"] > 1e-6)]
    first = d[d["key"].map(lambda k: k[2] == i.years[0])]
    key, value = first["key"].iloc[0], float(first["value"].iloc[0])
    pools = tuple(dataclasses.replace(f, initial=f.initial + 1.0 / (1 + f.growth))
                  if f.tier == key[1] else f for f in i.faculty)
    fd = r.objective - c.plan(dataclasses.replace(i, faculty=pools)).objective
    assert fd == pytest.approx(value, rel=0.01)


def test_cbc_and_mps_agree_on_the_default_plan(outcome: PlanOutcome) -> None:
    i, r = outcome.inputs, outcome.result
    cbc = c.plan(i, solver="cbc")
    assert cbc.objective == pytest.approx(r.objective, rel=1e-6)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.mps"
        c.build(i).prob.writeMPS(str(path))
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(str(path))
        h.run()
        assert h.getInfo().objective_function_value == pytest.approx(r.objective, rel=1e-7)


def test_more_budget_helps_and_scenarios_option(outcome: PlanOutcome) -> None:
    more = plan_from_files(budget_scale=1.2, explain=False)
    assert more.result.objective < outcome.result.objective
    one = plan_from_files(scenarios=parse_scenarios("q50:1"), until=2028, explain=False)
    assert one.result.optimal and one.inputs.years == (2025, 2026, 2027, 2028)


def test_build_inputs_uses_an_injected_projection() -> None:
    def stub(series: pd.DataFrame, until: int, quantiles: tuple[float, ...]) -> pd.DataFrame:
        rows = [{"region": "CN", "role": r, "level": lv, "kind": k, "year": y, "mean": 10.0,
                 "q10": 8.0, "q50": 10.0, "q90": 12.0}
                for r in ("machine_learning", "ai_chips", "computer_vision", "decision_systems",
                          "robotics", "other")
                for lv in ("expert", "applied", "literacy") for k in ("demand", "supply")
                for y in range(2025, until + 1)]
        return pd.DataFrame(rows)

    i = build_inputs(load_planning(), pd.DataFrame({"region": ["CN"]}), project=stub)
    assert set(i.demand["value"]) == {8.0, 10.0, 12.0}
    assert len(i.programmes) == 4 + 18 + 12 + 6 + 6  # literacy, applied, expert, co-op, enterprise


def _bad_planning(tmp_path: Path, old: str, new: str) -> Path:
    text = default_planning_path().read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "bad.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def test_zero_duration_names_the_file_and_programme(tmp_path: Path) -> None:
    p = _bad_planning(tmp_path, "duration = 3              # part-time", "duration = 0 #")
    with pytest.raises(ConfigError) as exc:
        plan_from_files(p)
    msg = str(exc.value)
    assert (f"{p}, key tiers.expert.audience.technical_staff.duration: must be greater than or equal to 0.02 "
            "(value: 0)") in msg


def test_planning_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="planning file not found"):
        load_planning(tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="scenario 'median'"):
        plan_from_files(scenarios={"median": 1.0})
    with pytest.raises(ConfigError, match="unknown audience"):
        plan_from_files(_bad_planning(tmp_path, "audience.managers]", "audience.bosses]"))


def test_infeasible_plan_is_explained(tmp_path: Path) -> None:
    p = _bad_planning(tmp_path, "2027 = 0.10", "2027 = 0.60")  # 60% of managers AI-literate by 2027
    with pytest.raises(ConfigError) as exc:
        res = CliRunner().invoke(app, ["plan", str(p)])
        raise res.exception  # type: ignore[misc]
    assert "literacy coverage target for managers by 2027 (CN)" in str(exc.value)
    assert "relax the budget" in str(exc.value) or "relax the literacy" in str(exc.value)


def test_cli_summary_out_and_compare(outcome: PlanOutcome, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "plan.csv"
    res = runner.invoke(app, ["plan", "--out", str(out)])
    assert res.exit_code == 0, res.output
    r = outcome.result
    text = " ".join(res.stdout.split())
    before, after = r.target_gap()
    assert f"Training plan 2025–2030 from {default_planning_path()}: optimal" in text
    assert f"The plan costs {money(r.total_cost(), 'en')} over 2025–2030." in text  # money, never mixed
    assert f"from {before / 1e6:.2f} million persons to {after / 1e6:.2f} million persons" in text  # persons
    assert "objective" not in text
    assert text.index("What to open where and when") < text.index("How much freedom there is")
    assert re.search(r"Without the faculty growth limits, the 2030 gap would be [\d.]+ million persons", text)
    assert re.search(r"Budget: \d+ of 6 bind; .* one more million CNY of budget closes [\d.]+ persons", text)
    # the file holds the library twin's intake plan, row for row
    expected = plan_tables(outcome)["plan"]
    pd.testing.assert_frame_equal(pd.read_csv(out), expected.reset_index(drop=True), check_dtype=False)
    res = runner.invoke(app, ["plan", "--out", str(tmp_path / "plan.xlsx"), "--budget", "0.5"])
    assert res.exit_code == 0, res.output
    sheets = pd.read_excel(tmp_path / "plan.xlsx", sheet_name=None)
    assert list(sheets) == ["plan", "gap", "cost", "faculty", "duals", "ranges", "limits",
                            "provenance"]
    half = dict(zip(sheets["provenance"]["key"], sheets["provenance"]["value"], strict=True))
    assert half["budget_scale"] == "0.5"
    assert list(sheets["cost"]["budget"]) == pytest.approx(list(r.cost["budget"] * 0.5))
    a = _bad_planning(tmp_path, "base = 10000.0", "base = 20000.0")
    table = compare_plans(default_planning_path(), a)
    row = table.set_index("figure").loc["gap_2030_after"]
    assert row.iloc[1] < row.iloc[0]
    res = runner.invoke(app, ["plan", "--compare", str(default_planning_path()), str(a)])
    assert res.exit_code == 0 and "gap_2030_after" in res.output


def test_cli_error_exit_code(tmp_path: Path, cli: Cli) -> None:
    r = cli("plan", str(tmp_path / "missing.toml"))
    assert (r.code, r.out, r.err) == (1, "", f"Error: {tmp_path / 'missing.toml'}: planning file not found\n")
    r = cli("plan", "--solver", "glpk")
    assert r.code == 2 and r.err.splitlines()[-1].endswith("'glpk' is not one of 'highs', 'cbc'.")


def test_a_province_only_file_plans_its_province(cli: Cli, tmp_path: Path) -> None:
    """A file holding one province and no national row plans the province (a sub-region of the planning
    file's CN), with or without --region; a file of another country's regions names the missing region."""
    regional = pd.read_csv(default_planning_path().parent / "cn_regional_example.csv", comment="#")
    henan = tmp_path / "henan.csv"
    regional[regional["region"] == "CN-HA"].to_csv(henan, index=False)
    for extra in ([], ["--region", "cn-ha"]):
        r = cli("plan", "--data", str(henan), *extra, "--out", str(tmp_path / "plan.csv"))
        assert r.code == 0, r.err
        plan = pd.read_csv(tmp_path / "plan.csv", comment="#")
        assert set(plan["region"]) == {"CN-HA"} and plan["intake"].sum() > 0
    other = tmp_path / "us.csv"
    regional[regional["region"] == "CN-HA"].assign(region="US").to_csv(other, index=False)
    r = cli("plan", "--data", str(other))
    assert r.code == 1 and "key plan.region: 'CN': the data has no series for this region. Fix: set region to one " \
        "of US" in r.err


@pytest.mark.slow
def test_a_longer_default_plan_does_not_wind_its_expert_tier_down_at_the_end() -> None:
    # With the horizon extended by one programme duration, the default inputs planned to 2035 cut
    # expert intake from 33,468 (2031) to 14,671 (2035), at the ramp limit; two durations keep it up.
    from talent.io.series import load_series

    inputs = build_inputs(load_planning(), load_series(), until=2035)
    r = c.plan(inputs, diagnose=False)
    tiers = {p.id: p.tier for p in inputs.programmes}
    expert = r.intake[r.intake["programme"].map(tiers) == "expert"].groupby("year")["intake"].sum()
    assert expert[2035] >= 0.95 * expert.loc[2031:2034].max()


@pytest.mark.slow
def test_a_plan_to_2040_spends_its_budget_to_the_end_and_keeps_training_professionals() -> None:
    # Planned to 2040, expert intake falls in 2039-40 while applied intake rises: the applied tier closes more
    # weighted persons per yuan once its growth limits stop binding (docs/planner.md, "Long plans"). The plan
    # does not wind down: the public money of its last years is spent (its first years are held back by the
    # growth limits, not the money) and professional intake keeps growing.
    from talent.io.series import load_series

    inputs = build_inputs(load_planning(), load_series(), until=2040)
    r = c.plan(inputs, diagnose=False)
    cost = r.cost.groupby("year")[["public", "budget"]].sum().loc[2034:]
    assert (cost["public"] >= 0.999 * cost["budget"]).all(), cost
    tiers = {p.id: p.tier for p in inputs.programmes}
    by_tier = r.intake.assign(tier=r.intake["programme"].map(tiers)).groupby(["year", "tier"])["intake"].sum()
    professional = by_tier.unstack()[["applied", "expert"]].sum(axis=1)
    assert professional[2040] >= professional[2039] >= professional[2038]


def test_coverage_targets_after_the_plans_end_are_named() -> None:
    """A plan to 2028 cannot plan the 2030 literacy targets: a warning names them and the --until that plans
    them (they were dropped without a word); the plan to 2030 gets no such warning."""
    import warnings as w

    from talent.config import load_planning
    from talent.errors import TalentWarning
    from talent.io.series import load_series
    from talent.planning import build_inputs

    cfg, series = load_planning(), load_series()
    with pytest.warns(TalentWarning, match=r"the plan ends in 2028, so its literacy coverage targets after that "
                                           r"year are not planned for \(CN managers 2030; .*\); --until 2030 plans"):
        build_inputs(cfg, series, until=2028)
    with w.catch_warnings():
        w.simplefilter("error", TalentWarning)
        build_inputs(cfg, series)
