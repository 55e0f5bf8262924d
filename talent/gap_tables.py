"""Gap tables end to end (library twin of `talent gap`): forecast, simulate, stock and flow views."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

import forecasts
from talent.errors import TalentError
from talent.flows import flow_table
from talent.gap import SERIES, PathSet, stock_table
from talent.manifest import build_manifest
from talent.settings import Settings
from talent.taxonomy import Taxonomy, load_taxonomy


@dataclass(frozen=True)
class GapTables:
    """The stock and flow views, the model chosen per series, and the run manifest."""

    stock: pd.DataFrame
    flow: pd.DataFrame
    models: pd.DataFrame
    manifest: dict[str, Any]
    paths: PathSet | None = None

    def projection(self, series: pd.DataFrame | None = None, until: int | None = None,
                   quantiles: Sequence[float] = (0.1, 0.5, 0.9)) -> pd.DataFrame:
        """Per series and forecast year: path mean and quantiles (the planner's `project` contract).

        Built from the same simulated paths as the stock table, so a plan made
        from it works on the same forecast. `series` and `until` are accepted
        for signature compatibility with `talent.projection.project`; the
        projection covers the forecast years of this run.
        """
        if self.paths is None:
            raise TalentError("these gap tables carry no simulated paths")
        out = self.paths.summary(quantiles)
        if series is not None and "region" in series:
            out = out[out["region"].isin(series["region"].unique())]
        return out[out["year"] <= until] if until is not None else out

    def filter(self, years: Sequence[int] = (), roles: Sequence[str] = (),
               regions: Sequence[str] = ()) -> GapTables:
        """Keep only the given years, roles and regions (empty = keep all); totals stay as computed."""
        def keep(df: pd.DataFrame) -> pd.DataFrame:
            mask = pd.Series(True, index=df.index)
            if years:
                mask &= df["year"].isin(years)
            if roles:
                mask &= df["role"].isin([*roles, "all"])
            if regions:
                mask &= df["region"].isin(regions)
            return df[mask].reset_index(drop=True)

        models = self.models
        if roles:
            models = models[models["role"].isin(roles)]
        if regions:
            models = models[models["region"].isin(regions)]
        return replace(self, stock=keep(self.stock), flow=keep(self.flow), models=models.reset_index(drop=True))


def _engine(call: Any, series: pd.DataFrame, s: Settings, h: int, **kw: Any) -> tuple[pd.DataFrame, list[str]]:
    """Call the forecast engine; its errors become TalentError, its warnings are returned."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", forecasts.ForecastWarning)
        try:
            out = call(series, models=list(s.forecast.models), h=h, id_cols=SERIES, n_jobs=s.forecast.jobs,
                       seed=s.forecast.seed, **kw)
        except forecasts.ForecastError as exc:
            raise TalentError(f"forecast failed: {exc}") from exc
    return out, sorted({str(w.message) for w in caught if issubclass(w.category, forecasts.ForecastWarning)})


def gap_tables(series: pd.DataFrame, settings: Settings | None = None, inputs: Sequence[Path] = (),
               taxonomy: Taxonomy | None = None) -> GapTables:
    """Forecast every series to `settings.forecast.until`, simulate paths, build both views.

    `series` is a validated long frame (see `talent.data.load_series`);
    `inputs` are the files it came from, hashed into the manifest.
    """
    s = settings or Settings()
    tax = taxonomy or load_taxonomy()
    last = int(series["year"].max())
    h = s.forecast.until - last
    if h < 1:
        raise TalentError(f"--until {s.forecast.until} is not after the last observed year {last}; "
                          f"choose a year after {last}")
    point, notes = _engine(forecasts.forecast, series, s, h, quantiles=list(s.forecast.quantiles))
    paths, more = _engine(forecasts.sample_paths, series, s, h, n_paths=s.forecast.paths)
    pathset = PathSet.from_frame(paths)
    stock = stock_table(series, pathset, s.gap)
    flow = flow_table(stock, tax.attrition)
    models = (point.groupby(SERIES, sort=True)
              .agg(model=("model", "first"), score=("score", "first"), reason=("reason", "first"))
              .reset_index())
    manifest = build_manifest(list(inputs), s, {
        "method": "gap distribution from joint simulated paths (forecasts.sample_paths); totals bottom-up",
        "models": models["model"].value_counts().to_dict(),
        "warnings": sorted(set(notes + more)),
        "history": f"{int(series['year'].min())}-{last}",
    })
    return GapTables(stock, flow, models, manifest, pathset)
