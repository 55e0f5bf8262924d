"""CLI: `talent forecast` and `talent backtest` exit codes, messages and outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import talent.cli.forecast_cmd  # noqa: F401  (registers the commands until commands.py does)
from talent.cli import app, main

runner = CliRunner()


def _agency_file(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    rows = []
    for code in ("15-1221", "15-2051"):
        y = 1000 + np.cumsum(rng.normal(30, 20, 14))
        rows += [{"occ_code": code, "yr": 2008 + t, "emp": round(y[t], 1)} for t in range(14)]
    path = tmp_path / "agency.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _invoke(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
            ) -> tuple[int, str, str]:
    """Run through `main()` so TalentError handling (Error: ..., exit 1) is exercised."""
    monkeypatch.setattr("sys.argv", ["talent", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err


def test_forecast_agency_file_to_csv(tmp_path: Path) -> None:
    src, out = _agency_file(tmp_path), tmp_path / "fc.csv"
    res = runner.invoke(app, ["forecast", str(src), "--id-cols", "occ_code", "--time-col", "yr",
                              "--target-col", "emp", "--until", "2025", "--out", str(out)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert set(df["yr"]) == set(range(2022, 2026)) and len(df) == 8
    assert {"mean", "q05", "q95", "model", "reason"} <= set(df.columns)


def test_forecast_json_and_models(tmp_path: Path) -> None:
    src, out = _agency_file(tmp_path), tmp_path / "fc.json"
    res = runner.invoke(app, ["forecast", str(src), "--id-cols", "occ_code", "--time-col", "yr",
                              "--target-col", "emp", "-m", "theta", "-m", "drift",
                              "--horizon", "2", "--quantiles", "0.1,0.9", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert '"q10"' in out.read_text()


def test_backtest_prints_metrics(tmp_path: Path) -> None:
    src, out = _agency_file(tmp_path), tmp_path / "scores.csv"
    res = runner.invoke(app, ["backtest", str(src), "--id-cols", "occ_code", "--time-col", "yr",
                              "--target-col", "emp", "-m", "naive", "-m", "drift",
                              "--horizon", "2", "--windows", "2", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "smape" in res.output and "cov80" in res.output
    assert len(pd.read_csv(out)) == 4


def test_bad_column_is_error_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    src = _agency_file(tmp_path)
    code, _, err = _invoke(["forecast", str(src), "--id-cols", "occ_code", "--time-col", "year",
                            "--target-col", "emp"], monkeypatch, capsys)
    assert code == 1 and err.startswith("Error: ")
    assert "time column 'year' not in the data; columns are ['occ_code', 'yr', 'emp']" in err


def test_duplicate_years_name_the_series(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("occ,yr,emp\nA,2000,1\nA,2000,2\nA,2001,3\n")
    code, _, err = _invoke(["forecast", str(path), "--id-cols", "occ", "--time-col", "yr",
                            "--target-col", "emp"], monkeypatch, capsys)
    assert code == 1 and "occ=A" in err and "sharing a year" in err


def test_bad_options_exit_2(tmp_path: Path) -> None:
    src = _agency_file(tmp_path)
    base = ["forecast", str(src), "--id-cols", "occ_code", "--time-col", "yr", "--target-col",
            "emp"]
    assert runner.invoke(app, [*base, "--quantiles", "0.1,2"]).exit_code == 2
    assert runner.invoke(app, [*base, "--horizon", "2", "--until", "2030"]).exit_code == 2
    assert runner.invoke(app, [*base, "--out", str(tmp_path / "x.txt")]).exit_code == 2


def test_unknown_model_and_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    src = _agency_file(tmp_path)
    code, _, err = _invoke(["forecast", str(src), "--id-cols", "occ_code", "--time-col", "yr",
                            "--target-col", "emp", "-m", "magic"], monkeypatch, capsys)
    assert code == 2 and "unknown model 'magic'" in err  # a usage error, before the file is read
    code, _, err = _invoke(["forecast", str(tmp_path / "nope.csv"), "--id-cols", "a"],
                           monkeypatch, capsys)
    assert code == 1 and "file not found" in err


def test_forecast_default_data() -> None:
    res = runner.invoke(app, ["forecast", "--horizon", "2"])
    assert res.exit_code == 0, res.output
    assert "Forecast" in res.output
