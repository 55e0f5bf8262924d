"""Gap tables end to end: forecast, simulate, stock and flow views, with the models and the run manifest."""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from talent import engines
from talent.config import Settings
from talent.errors import TalentError, TalentWarning, collect_warnings
from talent.gaps.flows import flow_table
from talent.gaps.simulate import SERIES, PathSet, simulate
from talent.gaps.stock import ALL, stock_table
from talent.io.manifest import build_manifest, declared_status
from talent.taxonomy import Taxonomy, load_taxonomy


@dataclass(frozen=True)
class GapTables:
    """The stock and flow views of the professional gap, the model chosen per series, the run manifest,
    and (when a planning file gives targets) the literacy coverage table, which is not part of the gap."""

    stock: pd.DataFrame
    flow: pd.DataFrame
    models: pd.DataFrame
    manifest: dict[str, Any]
    paths: PathSet | None = None
    coverage: pd.DataFrame | None = None

    def projection(self, series: pd.DataFrame | None = None, until: int | None = None,
                   quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Per series and forecast year: path mean and quantiles (the planner's `project` contract).

        Built from the same simulated paths as the stock table, so a plan made
        from it works on the same forecast. `series` and `until` are accepted
        for signature compatibility with `talent.gaps.simulate.project`; the
        projection covers the forecast years of this run.
        """
        if self.paths is None:
            raise TalentError("these gap tables carry no simulated paths")
        out = self.paths.summary(quantiles)
        if series is not None and "region" in series:
            out = out[out["region"].isin(series["region"].unique())]
        return out[out["year"] <= until] if until is not None else out

    def filter(self, years: Sequence[int] = (), roles: Sequence[str] = (), regions: Sequence[str] = (),
               levels: Sequence[str] = ()) -> GapTables:
        """Keep only the given years, roles, regions and levels (empty = keep all); totals stay as computed.

        A value the tables do not hold is an error naming the values they do hold and the closest one.
        """
        for column, wanted, option in (("year", years, "--year"), ("role", roles, "--role"),
                                       ("region", regions, "--region"), ("level", levels, "--level")):
            _check_present(self.stock[column], wanted, option)

        def keep(df: pd.DataFrame) -> pd.DataFrame:
            mask = pd.Series(True, index=df.index)
            if years:
                mask &= df["year"].isin(years)
            if roles:
                mask &= df["role"].isin([*roles, ALL])
            if regions:
                mask &= df["region"].isin(regions)
            if levels:
                mask &= df["level"].isin([*levels, ALL])
            return df[mask].reset_index(drop=True)

        models = self.models
        if roles:
            models = models[models["role"].isin(roles)]
        if regions:
            models = models[models["region"].isin(regions)]
        if levels:
            models = models[models["level"].isin(levels)]
        coverage = self.coverage
        if coverage is not None:
            coverage = coverage[coverage["year"].isin(years) if years else coverage["year"].notna()]
            coverage = coverage[coverage["region"].isin(regions)] if regions else coverage
        return replace(self, stock=keep(self.stock), flow=keep(self.flow), models=models.reset_index(drop=True),
                       coverage=None if coverage is None else coverage.reset_index(drop=True))


def _check_present(values: pd.Series, wanted: Sequence[object], option: str) -> None:
    held = sorted({v for v in values if v != ALL}, key=str)
    unknown = [w for w in wanted if w not in set(held)]
    if not unknown:
        return
    names = [str(v) for v in held]
    guess = difflib.get_close_matches(str(unknown[0]), names, n=1, cutoff=0.5)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    raise TalentError(f"{option} {', '.join(map(str, unknown))}: not in these tables; {hint}"
                      f"use one of {', '.join(names)}")


def _one_sided(series: pd.DataFrame) -> list[str]:
    """Cells that have demand but no supply series, or supply but no demand: no gap can be computed there."""
    out = []
    for (region, role, level), g in series.groupby(["region", "role", "level"], sort=True):
        kinds = set(g["kind"])
        if len(kinds) == 1:
            out.append(f"{region}/{role}/{level} has {kinds.pop()} only")
    return out


def history_source(inputs: Sequence[Path]) -> str:
    """The provenance of the history rows: what the data file declares in its first line (`# OBSERVED DATA`,
    `# MODELLED DATA`, `# MIXED DATA`), or 'history' when it says nothing (never assumed observed)."""
    status = declared_status(Path(inputs[0])) if inputs else "unknown"
    return status if status in ("observed", "modelled", "mixed") else "history"


def gap_tables(series: pd.DataFrame, settings: Settings | None = None, inputs: Sequence[Path] = (),
               taxonomy: Taxonomy | None = None) -> GapTables:
    """Forecast every series to `settings.forecast.until`, simulate paths, build both views
    (library twin of `talent gap`).

    `series` is a validated long frame (see `talent.load_series`); `inputs`
    are the files it came from, hashed into the manifest. The forecast
    engine's fallbacks are listed in `manifest["warnings"]`.
    """
    s = settings or Settings()
    tax = taxonomy or load_taxonomy()
    f = s.forecast
    with collect_warnings() as notes:
        one_sided = _one_sided(series)
        if one_sided:
            shown = "; ".join(one_sided[:5]) + (f"; … and {len(one_sided) - 5} more" if len(one_sided) > 5 else "")
            warnings.warn(f"no gap where a side is missing ({shown}): its gap, ratio and P(shortage) are left empty; "
                          "the totals count the missing side as 0",
                          TalentWarning, stacklevel=2)
        pathset = simulate(series, f.until, models=f.models, n_paths=f.paths, seed=f.seed, n_jobs=f.jobs)
        point = engines.forecast(series, list(f.models), quantiles=list(f.quantiles), id_cols=SERIES,
                                 n_jobs=f.jobs, seed=f.seed, until=f.until)
    source = list(inputs) or ([Path(series.attrs["source"])] if "source" in series.attrs else [])
    stock = stock_table(series, pathset, s.gap, history_source(source))
    flow = flow_table(stock, tax.attrition)
    models = (point.groupby(SERIES, sort=True)
              .agg(model=("model", "first"), score=("score", "first"), reason=("reason", "first"))
              .reset_index())
    manifest = build_manifest(list(inputs), s, {
        "method": "gap distribution from joint simulated paths (forecasts.sample_paths); totals bottom-up",
        "models": models["model"].value_counts().to_dict(),
        "warnings": sorted(notes),
        "history": f"{int(series['year'].min())}-{int(series['year'].max())}",
        "calibration": pathset.calibration,
    })
    return GapTables(stock, flow, models, manifest, pathset)
