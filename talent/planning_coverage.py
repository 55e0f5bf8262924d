"""The literacy coverage of a planning file: its `[coverage]` data file and targets, checked together.

The data file is named by `[coverage] data` (beside the planning file, else the
embedded one of that name); every target needs a row of its audience and year
in it. Targets without a data file, a data file found nowhere or a target
without its row are one `ConfigValidationError` naming the planning file's key:
a target that cannot be applied is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from talent.config import DATA_SUFFIXES, PlanningConfig
from talent.errors import ConfigValidationError, InputFileError, Problem
from talent.gaps.coverage import coverage_table
from talent.io.coverage import load_coverage
from talent.paths import assets_dir
from talent.taxonomy import Taxonomy

COVERAGE_DATA_FIX = ('name a coverage data file beside the planning file or the embedded one, e.g. data = '
                     '"cn_literacy_coverage.csv" (columns region, audience, year, population, trained)')


def _coverage_problem(cfg: PlanningConfig, key: str, value: object, message: str, fix: str) -> ConfigValidationError:
    return ConfigValidationError([Problem(str(cfg.path), None, None, value, message, fix, key=key)])


def coverage_data_path(cfg: PlanningConfig) -> Path | None:
    """The coverage data file a planning file names (`[coverage] data`), beside it or embedded; None if none.

    Targets without a data file, or a named file found in neither place, are a `ConfigValidationError`."""
    section = cfg.raw.get("coverage", {})
    name = section.get("data")
    if name is None:
        if any(section.get("target", {}).values()):
            raise _coverage_problem(cfg, "coverage.data", None, "coverage targets are given but no data file "
                                    "with the audiences' populations", COVERAGE_DATA_FIX)
        return None
    beside = cfg.path.parent / str(name)
    embedded = assets_dir() / str(name)
    here = beside.exists() or beside.is_symlink()  # a broken link or a loop is named, not replaced silently
    if not here and not embedded.is_file():
        raise _coverage_problem(cfg, "coverage.data", name, f"file not found beside the planning file ({beside}) "
                                "nor among the embedded data", COVERAGE_DATA_FIX)
    path = beside if here else embedded
    if path.is_dir():  # was "/tmp: is a folder; give the path of the file", without the key that named it
        raise _coverage_problem(cfg, "coverage.data", name, f"is a folder ({path}), not a data file",
                                COVERAGE_DATA_FIX)
    if path.suffix.lower() not in DATA_SUFFIXES:  # was "p.toml: unknown table format '.toml'"
        raise _coverage_problem(cfg, "coverage.data", name, f"not a data table ({path.suffix or 'no suffix'}; "
                                f"use {', '.join(DATA_SUFFIXES)})", COVERAGE_DATA_FIX)
    return path


def _missing_targets(cfg: PlanningConfig, data: pd.DataFrame, path: Path,
                     targets: Mapping[str, Mapping[int, float]]) -> None:
    """Every target needs a row of its audience and year in the coverage data: a target without one is
    refused (it would silently not constrain the plan)."""
    have = set(zip(data["audience"], data["year"], strict=True))
    problems = [Problem(str(cfg.path), None, None, share, f"no row for audience '{aud}' and year {year} in the "
                        f"coverage data {path}", f"add a row {aud}, {year} (population, trained) to {path.name}, "
                        "or remove this target", key=f"coverage.target.{aud}.{year}")
                for aud, by_year in targets.items() for year, share in by_year.items() if (aud, year) not in have]
    if problems:
        raise ConfigValidationError(problems)


def planning_coverage(cfg: PlanningConfig, taxonomy: Taxonomy | None = None) -> pd.DataFrame | None:
    """The literacy coverage table (without the plan) of a planning file's `[coverage]`: its data file
    (beside the planning file, else the embedded one of that name) against its targets; None without one."""
    path = coverage_data_path(cfg)
    if path is None:
        return None
    section = cfg.raw["coverage"]
    targets = {str(aud): {int(y): float(v) for y, v in t.items()} for aud, t in section.get("target", {}).items()}
    try:
        data = load_coverage(path, taxonomy, section.get("sheet"))
    except InputFileError as exc:  # 'loop.csv: the file is a symbolic link loop', without the key that named it
        raise InputFileError(f"{exc} (the coverage data named by {cfg.path}, key coverage.data)") from None
    _missing_targets(cfg, data, path, targets)
    return coverage_table(data, targets)
