"""Hostile inputs of regional plans: the planning file's [regions] table, [industry] and the channels, with
data holding provinces (`talent/assets/cn_regional_example.csv`) and `--region`.

Each case was silently wrong, crashed or gave a message without the key, value or fix before its fix; the
harness is `tests.test_talent_bad_inputs.run_case` (exit code, message parts, no traceback, inputs unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case
from tests.test_talent_hostile_inputs import PLAN, PLANNING, _planning
from tests.test_talent_hostile_planning import PROVINCES

PLACEMENTS = "placements = { base = 80000.0, growth = 0.10 }"
INDUSTRY = "[industry]\nbudget = { base = 2000.0, growth = 0.10 }\n" + PLACEMENTS


def _regions_case(name: str, tables: str, code: int, expect: tuple[str, ...], option: str = "") -> Case:
    """A plan of the provinces CN-HA and CN-BJ with `tables` added to the planning file's [regions]."""
    files = {"s.csv": PROVINCES, "p.toml": PLANNING + "\n" + tables}
    return Case(name, files, f"{PLAN} {option}".strip(), code, expect)


REGIONAL = "plan {d}/p.toml --data {assets}/cn_regional_example.csv --until 2026"
CASES = [
    # the whole budget central: the engine's central transfers (what a region's budget row may spend, up to the
    # central budget) were reported as spent: 'central budget 21.00 billion CNY, regional budgets -12.20 billion'
    Case("central-share-one", {"p.toml": _planning("central_share = 0.3", "central_share = 1.0")}, REGIONAL, 0,
         ("central budget 7,973 million CNY, regional budgets 840 million CNY",)),
    # channels whose firms pay a share or use placement places, without [industry]: the engine took the absent
    # limits as none (firms paid any amount) and nothing said so
    Case("industry-missing", {"s.csv": GOOD, "p.toml": _planning(INDUSTRY, "")}, PLAN, 0,
         ("Warning: {d}/p.toml, key industry.budget: not given, so there is no limit on firms' money for the "
          "channel(s) coop, enterprise (industry_share > 0): the plan may use any amount. Fix: give it in "
          "[industry], e.g. budget = {{ base = 2000.0, growth = 0.10 }}",
          "Warning: {d}/p.toml, key industry.placements: not given, so there is no limit on firms' placement places "
          "for the channel(s) coop (placement > 0)")),
    Case("industry-placements-missing", {"s.csv": GOOD, "p.toml": _planning(PLACEMENTS, "")}, PLAN, 0,
         ("key industry.placements: not given", "or set placement = 0 in [channels.coop]")),
    # region codes of [regions.mobility] and [regions.share]: a lower-case code was refused ('['cn-ha'] are not
    # regions of this plan'), though [plan] region and the data read it; a Chinese name or a typo got neither the
    # key nor the closest code
    _regions_case("mobility-lower-case", '[regions.mobility."cn-ha"]\ncn-ha = 0.9\ncn-bj = 0.1\n', 0,
                  ("Warning: {d}/p.toml, key regions.mobility.\"cn-ha\": region codes are stored in upper case: "
                   "read 'cn-ha' as 'CN-HA'", "optimal")),
    # a province's name is read as its code, with a warning, as data files, --region and [plan] region read it
    _regions_case("mobility-chinese-name", '[regions.mobility."CN-HA"]\nCN-HA = 0.9\n"北京" = 0.1\n', 0,
                  ("Warning: {d}/p.toml, key regions.mobility.\"CN-HA\".\"北京\": region names are read as their "
                   "province codes: read '北京' as 'CN-BJ'; write the code to silence this", "optimal")),
    _regions_case("mobility-name-and-code", '[regions.mobility."CN-HA"]\nCN-HA = 0.9\n"河南" = 0.1\n', 1,
                  ("{d}/p.toml, key regions.mobility.\"CN-HA\".\"河南\": is also given as 'CN-HA' (value: '河南'). "
                   "Fix: give CN-HA once",)),
    _regions_case("share-typo", '[regions.share."CN-HAA"]\npeople = 0.1\n', 1,
                  ("{d}/p.toml, key regions.share.\"CN-HAA\": is not a region of this plan (2 planned) (value: "
                   "'CN-HAA'). Fix: did you mean 'CN-HA (Henan Sheng)'? use one of CN-BJ, CN-HA",)),
    _regions_case("mobility-code-twice", '[regions.mobility."CN-HA"]\nCN-HA = 0.9\ncn-ha = 0.1\n', 1,
                  ("{d}/p.toml, key regions.mobility.\"CN-HA\".\"cn-ha\": is also given as 'CN-HA' (value: "
                   "'cn-ha'). Fix: give CN-HA once",)),
    # --region with a province's name: 'has no series for this region' without the code meant; then refused with
    # the code while data files read 河南 as CN-HA: now read alike, with a warning; a typo still gets the code
    Case("region-option-chinese-name", {"s.csv": PROVINCES, "p.toml": PLANNING}, PLAN + " --region 河南", 0,
         ("Warning: --region '河南': read as CN-HA (Henan Sheng)",)),
    Case("region-option-typo", {"s.csv": PROVINCES, "p.toml": PLANNING}, PLAN + " --region CN-HAA", 2,
         ("--region: {d}/s.csv has no series for this region (value: 'CN-HAA'). Fix: did you mean 'CN-HA (Henan "
          "Sheng)'? give one of CN, CN-BJ, CN-HA",)),
    # mobility shares of a region summing below (or above) 1: '[regions.mobility.CN-HA]: the shares sum to 0.7',
    # without the key or value; the rest is not assumed to stay (the row replaces the stay rule): now said
    _regions_case("mobility-below-one", '[regions.mobility."CN-HA"]\nCN-HA = 0.5\nCN-BJ = 0.2\n', 1,
                  ("{d}/p.toml, key regions.mobility.\"CN-HA\": the shares of graduates trained in CN-HA sum to 0.7, "
                   "not 1 (value: 0.7). Fix: make them sum to 1: every graduate works somewhere, and a row replaces "
                   "the stay rule for CN-HA",)),
    # a year of [industry] (or [budget]) years outside the plan, beside a base: unused, silently (a typo 2052 for
    # 2025 left 2025 at the base)
    Case("industry-year-outside-the-plan", {"s.csv": GOOD, "p.toml": _planning(
        "budget = { base = 2000.0, growth = 0.10 }", "budget = { base = 2000.0, growth = 0.10, years = { 2052 = 5.0 } }"
    )}, PLAN, 0, ("Warning: {d}/p.toml, key industry.budget.years: 2052 not in the plan's years (2025–2026): not used. "
                  "Fix: give plan years (or plan up to them with --until)", "optimal")),
    # [plan] region a province of the data: the file's (national) figures went to that province whole, silently
    # (public budget 6,478 million CNY for Henan at --until 2026, against 336 million with --region CN-HA)
    Case("plan-region-a-province", {"s.csv": PROVINCES, "p.toml": _planning('region = "CN"', 'region = "CN-HA"')},
         PLAN, 0, ("Warning: {d}/p.toml, key plan.region: 'CN-HA' is a part of CN in the data, so the file's figures "
                   "(budget, faculty, candidates, firms) are taken as CN-HA's own, not shared out of CN's. Fix: if "
                   "they are CN's, set region = \"CN\" and plan CN-HA with --region CN-HA", "optimal")),
    # shares of every province in the file, one planned with --region: the others were 'not a region of this plan'
    _regions_case("shares-of-other-provinces", '[regions.share."CN-HA"]\npeople = 0.05\n[regions.share."CN-BJ"]\n'
                  'people = 0.1\n', 0, ("optimal",), "--region CN-HA"),
]
FORBIDDEN = ("Traceback", "internal error", "budgets -", "budget -")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_region_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli, forbidden=FORBIDDEN)
