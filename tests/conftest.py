"""Shared fixtures: paths to the shipped data and a runner for the CLI's `main`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"  # sources, generator, datasheet
ASSETS = ROOT / "talent" / "assets"  # the data the package ships and reads at run time


@dataclass
class CliResult:
    """Exit code and captured output of one CLI invocation."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `talent.cli.main(args)` in-process, exactly as the console script does."""
    from talent.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
