"""Shared fixtures: paths to the shipped data and a runner for the CLI's `main`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw new examples on every local run (that is how they find new failures); CI sets
# HYPOTHESIS_PROFILE=ci (`.ci/run`) so a landing's result depends on the code only.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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


@dataclass(frozen=True)
class DefaultRun:
    """One `talent run` of the embedded data through the CLI, shared by the tests that read its outputs."""

    out: Path
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> DefaultRun:
    """`talent run --paths 300` once per session (the report tests read its folder, never write into it)."""
    from typer.testing import CliRunner

    from talent.cli import app

    out = tmp_path_factory.mktemp("default_run") / "output"
    result = CliRunner().invoke(app, ["run", "--out", str(out), "--paths", "300"])
    assert result.exit_code == 0, result.output
    return DefaultRun(out, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`talent run` of the small series with the shipped planning file: an output folder to damage (the hostile
    report and option tests copy it and never write into it)."""
    from talent.cli import main
    from tests.test_talent_bad_inputs import GOOD, _make
    from tests.test_talent_hostile_inputs import PLANNING

    d = tmp_path_factory.mktemp("small_run")
    _make(d, {"s.csv": GOOD, "p.toml": PLANNING})
    with pytest.raises(SystemExit) as exc:
        main(["run", "--data", str(d / "s.csv"), "--planning", str(d / "p.toml"), "--out", str(d / "out"),
              "--paths", "50", "--no-store", "--no-explain"])
    assert exc.value.code in (0, None)
    return d / "out"
