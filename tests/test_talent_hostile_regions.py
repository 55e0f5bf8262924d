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
from tests.test_talent_hostile_inputs import PLAN, _planning

PLACEMENTS = "placements = { base = 80000.0, growth = 0.10 }"
INDUSTRY = "[industry]\nbudget = { base = 2000.0, growth = 0.10 }\n" + PLACEMENTS
REGIONAL = "plan {d}/p.toml --data {assets}/cn_regional_example.csv --until 2026"
CASES = [
    # the whole budget central: the engine's central transfers (what a region's budget row may spend, up to the
    # central budget) were reported as spent: 'central budget 21.00 billion CNY, regional budgets -12.20 billion'
    Case("central-share-one", {"p.toml": _planning("central_share = 0.3", "central_share = 1.0")}, REGIONAL, 0,
         ("central budget 7,960 million CNY, regional budgets 840 million CNY",)),
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
]
FORBIDDEN = ("Traceback", "internal error", "budgets -", "budget -")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_region_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli, forbidden=FORBIDDEN)
