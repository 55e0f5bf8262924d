"""Hostile options, planning files and output folders, table-driven (the harness of
`tests/test_talent_bad_inputs.py`).

Each case was accepted silently, misread, or answered with a message that named
the wrong option or key before its fix. Every case asserts the exit code, no
traceback, the key parts of the message (option or file, key, value, fix), the
inputs unchanged and, for a failure, no file written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case

CASES = [
    # forecast --until 2150 (or 2101) forecast past 2100, the last year `run`, `gap` and `plan` accept
    Case("forecast-until-2150", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2150", 2,
         ("Invalid value for '--until': 2150: forecast up to a calendar year from 1950 to 2100",)),
    Case("forecast-until-2101", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2101", 2,
         ("Invalid value for '--until': 2101",)),
    # --horizon 90 from 2024 forecast up to 2114, silently
    Case("forecast-horizon-past-2100", {"s.csv": GOOD}, "forecast {d}/s.csv --horizon 90 --out {d}/f.csv", 2,
         ("Error: --horizon 90: the forecast would reach 2114 from the last observed year 2024, past 2100, the last "
          "year a forecast may reach. Fix: use --horizon 76 or less, or --until 2100",)),
    # gap --year 2200 was reported as '--until: must be less than or equal to 2100', an option not given
    Case("gap-year-2200", {"s.csv": GOOD}, "gap {d}/s.csv --year 2200", 2,
         ("Invalid value for '--year': 2200: give a calendar year from 1950 to 2100, e.g. 2030",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_cli(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     cli: Callable[..., CliResult]) -> None:
    r = run_case(case, tmp_path, monkeypatch, cli)
    if case.id == "gap-year-2200":
        assert "--until" not in r.err


def test_forecast_up_to_2100_still_works(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """The limit is 2100 itself: a horizon that reaches it exactly forecasts."""
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    r = cli("forecast", str(tmp_path / "s.csv"), "--horizon", "76", "-m", "naive", "--out", str(tmp_path / "f.csv"))
    assert r.code == 0, r.err
    assert "2100" in (tmp_path / "f.csv").read_text(encoding="utf-8")
