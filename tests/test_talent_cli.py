"""CLI: exit codes and output of the foundation commands; errors without tracebacks."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ASSETS, CliResult

Cli = Callable[..., CliResult]


def test_version(cli: Cli) -> None:
    from importlib.metadata import version

    r = cli("--version")
    assert (r.code, r.out.strip()) == (0, f"talent {version('talent')}")


def test_help_lists_commands(cli: Cli) -> None:
    r = cli("--help")
    assert r.code == 0
    for command in ("run", "data"):
        assert command in r.out


def test_validate_clean_file(cli: Cli) -> None:
    r = cli("data", "validate", str(ASSETS / "cn_national.csv"))
    assert r.code == 0
    assert "OK: 240 rows, 24 series, 1 region(s), years 2015–2024" in r.out.replace("\n", "")


def test_validate_bad_file_lists_every_problem(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("region,role,level,kind,year,value\nCN,robotix,expert,demand,2023,-1\n", encoding="utf-8")
    r = cli("data", "validate", str(path))
    assert r.code == 1
    assert r.err.startswith("Error: 2 problems found:\n")
    assert "column 'role': unknown role (value: 'robotix')" in r.err
    assert "column 'value': negative value (value: '-1')" in r.err
    assert "Traceback" not in r.err + r.out


def test_missing_file(cli: Cli, tmp_path: Path) -> None:
    r = cli("data", "validate", str(tmp_path / "none.csv"))
    assert (r.code, r.err) == (1, f"Error: {tmp_path / 'none.csv'}: file not found\n")


def test_show_in_chinese(cli: Cli) -> None:
    r = cli("data", "show", "--lang", "zh")
    assert r.code == 0
    assert "机器学习" in r.out and "供需比" in r.out


def test_bad_option_value_is_a_usage_error(cli: Cli) -> None:
    r = cli("data", "show", "--lang", "fr")
    assert r.code == 2
    last = r.err.splitlines()[-1]
    assert last.startswith("Error: Invalid value for '--lang': ") and last.endswith("'fr' is not one of 'en', 'zh'.")


def test_console_script_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "talent", "data", "validate", str(bad)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: 5 problems found:")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [["run"], ["report"], ["gap"], ["plan"], ["forecast"], ["backtest"],
                                     ["data", "validate"], ["data", "show"], ["history", "diff"]])
def test_every_command_has_help_with_examples_and_readable_placeholders(cli: Cli, command: list[str]) -> None:
    short, long = cli(*command, "-h"), cli(*command, "--help")
    assert (short.code, short.out) == (0, long.out)
    assert re.search(r"Examples?:\n(    talent .+\n)+", short.out), short.out
    options = short.out[short.out.index("Options:"):]
    assert not re.search(r"<(list|tuple|int|str|float|Path)", options), options
