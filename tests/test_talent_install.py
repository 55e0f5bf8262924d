"""A plain (non-editable) install works: the wheel carries the embedded data, and `talent run` in an
empty folder finds it through importlib.resources, not through the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_install_runs_in_an_empty_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("talent-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"talent/assets/cn_national.csv", "talent/assets/taxonomy.toml", "talent/assets/planning.toml",
            "talent/assets/published.toml", "talent/assets/fonts/NotoSansSC-GB2312.otf"} <= names
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    work = tmp_path / "empty"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}  # the installed copy comes before the editable checkout
    where = subprocess.run([sys.executable, "-c", "import talent; print(talent.__file__)"], cwd=work, env=env,
                           check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(site)
    proc = subprocess.run([sys.executable, "-m", "talent", "run", "--paths", "100", "--no-explain"], cwd=work, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "CN 2030: gap" in proc.stdout
    assert (work / "output" / "report_en.html").stat().st_size > 0
    assert (work / "output" / "tables" / "plan_plan.csv").exists()
