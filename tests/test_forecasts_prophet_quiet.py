"""Prophet and cmdstanpy print nothing, in the main process or in pool workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_prophet_is_silent(tmp_path: Path, jobs: str) -> None:
    data = tmp_path / "s.csv"
    rows = [f"CN,robotics,expert,{kind},{year},{base + 7 * (year - 2015)}"
            for kind, base in (("demand", 100), ("supply", 40)) for year in range(2015, 2025)]
    data.write_text("region,role,level,kind,year,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "talent", "forecast", str(data), "--model", "prophet",
                           "--horizon", "2", "--jobs", jobs, "--out", str(tmp_path / "f.csv")],
                          capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "cmdstanpy" not in proc.stderr + proc.stdout
    assert "INFO" not in proc.stderr
