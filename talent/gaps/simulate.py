"""Simulated futures: the forecast engine's sample paths per series, aligned on one set of years.

The gap tables and the planner both read these paths, so a plan and the gap
it closes are computed from the same forecast.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from talent import engines
from talent.config import YEAR_RANGE
from talent.errors import TalentError
from talent.gaps.reconcile import reconcile

SERIES = ["region", "role", "level", "kind"]
Paths = dict[tuple[str, str, str, str], np.ndarray]  # series key -> array [year, path]


@dataclass(frozen=True)
class PathSet:
    """Simulated future paths of every series, aligned on one set of forecast years."""

    years: list[int]
    paths: Paths
    calibration: dict[str, Any] = field(default_factory=dict)  # what calibrated the paths' spread (engine)

    def summary(self, quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Per series and year: the paths' mean and quantiles (columns `mean`, `q10`, …)."""
        rows = []
        for key, arr in self.paths.items():
            block = pd.DataFrame(dict(zip(SERIES, key, strict=True)), index=range(len(self.years)))
            block["year"] = self.years
            block["mean"] = arr.mean(axis=1)
            qs = np.quantile(arr, list(quantiles), axis=1) if len(quantiles) else np.empty((0, len(self.years)))
            block = pd.concat([block, pd.DataFrame(dict(zip((engines.qname(q) for q in quantiles), qs, strict=True)),
                                                   index=block.index)], axis=1)  # one insert per quantile: a
            rows.append(block)  # PerformanceWarning printed to the user for a plan of 99 demand scenarios
        return pd.concat(rows, ignore_index=True)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> PathSet:
        """Build from the engine's long frame: region, role, level, kind, year, path, value."""
        years = sorted(int(y) for y in frame["year"].unique())
        out: Paths = {}
        for key, g in frame.groupby(SERIES, sort=True):
            wide = g.pivot(index="year", columns="path", values="value").reindex(years)
            out[tuple(map(str, key))] = wide.to_numpy(float)  # type: ignore[index]
        return cls(years, out)



class UntilInData(TalentError):
    """The year to forecast to (`until`) is not after the data's last year (`last`)."""

    def __init__(self, until: int, last: int) -> None:
        super().__init__(f"--until {until} is not after the last observed year {last}; choose a year after {last}")
        self.until, self.last = until, last


@contextmanager
def until_named(given: bool) -> Iterator[None]:
    """An `UntilInData` raised inside, when the year came from the settings (`given`: False), not from --until: named
    as that year, not as an --until the user never gave (data reaching 2094 met the default 2030)."""
    try:
        yield
    except UntilInData as exc:
        if given:
            raise
        later = min(exc.last + 6, YEAR_RANGE[1])
        raise TalentError(f"the data goes up to {exc.last}, and the year to forecast to is {exc.until} (--until not "
                          f"given: [forecast] until of the settings, 2030 by default), so no year is left to "
                          f"forecast. Fix: give a later year, e.g. --until {later}") from None


def simulate(series: pd.DataFrame, until: int, *, models: str | Sequence[str] = "auto", n_paths: int = 1000,
             seed: int = 0, n_jobs: int = 1) -> PathSet:
    """Sample `n_paths` future paths of every series up to `until` (engine fallbacks warn).

    Each series is forecast from its own last year, so series ending in
    different years all reach `until`. Provinces that add up to their country in
    the data are reconciled with it (`talent.gaps.reconcile`).
    """
    last = int(series["year"].max())
    if until <= last < YEAR_RANGE[1]:
        raise UntilInData(until, last)
    if until <= last:  # the data reaches the last year a forecast may: the data's year is what to check
        line = series.attrs.get("year_lines", {}).get(last)
        where = (f"{series.attrs['source']}, row {line}, column '{series.attrs.get('year_column', 'year')}': "
                 if line and series.attrs.get("source") else "")
        raise TalentError(f"{where}the last observed year is {last} (value: {last}), so --until {until} leaves no "
                          f"year to forecast: forecasts go up to {YEAR_RANGE[1]}. Fix: check the year column of the "
                          f"data (a year typed wrong?); observed years must end before {YEAR_RANGE[1]}")
    frame = engines.sample_paths(series, models=models, n_paths=n_paths, id_cols=SERIES, seed=seed, n_jobs=n_jobs,
                                 until=until)
    return reconcile(replace(PathSet.from_frame(frame), calibration=dict(frame.attrs.get("calibration", {}))), series)


def project(series: pd.DataFrame, until: int, quantiles: Sequence[float] = (0.1, 0.5, 0.9),
            models: str | Sequence[str] = "auto", seed: int = 0, n_paths: int = 1000) -> pd.DataFrame:
    """Future demand and supply per series: region, role, level, kind, year, mean, quantile columns.

    The summary of `simulate`, exactly as the gap tables compute it
    (`GapTables.projection`), so a plan made by `talent plan` and one made
    inside `talent run` with the same seed work on the same numbers.
    """
    if series.empty:
        raise TalentError("no series to project: the data has no rows for this region")
    return simulate(series, until, models=models, n_paths=n_paths, seed=seed).summary(quantiles)
