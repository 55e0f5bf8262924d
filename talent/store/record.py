"""Recording a run: its manifest, input series, forecasts, gap tables and plan, in one transaction.

`record_run` writes every row of a vintage inside one transaction
(`Store.write`): a run that fails, raises or is killed before the commit
leaves no trace in the store but, at most, a skipped run number.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from talent import engines
from talent.config import Settings
from talent.errors import collect_warnings
from talent.gaps.headline import headlines
from talent.io.manifest import file_sha256
from talent.store.db import Store, insert_frame, to_json
from talent.store.migrate import series_key
from talent.store.schema import KEYS, TABLES

MEASURES = ("demand", "supply", "gap")
STOCK = "stock"  # the one report table stored relationally; the others are JSON documents in run_tables


def point_forecasts(series: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The engine's forecasts of every series with the run's settings: the same call, so the same numbers, as
    `talent.gap_tables` makes (keys, year, mean, quantile columns, model, score, reason)."""
    f = settings.forecast
    with collect_warnings():  # the gap tables already reported the engine's fallbacks
        return engines.forecast(series, list(f.models), quantiles=list(f.quantiles), id_cols=list(KEYS),
                                n_jobs=f.jobs, seed=f.seed, until=f.until)


def _interval_columns(stock: pd.DataFrame, measure: str) -> tuple[str, str]:
    found = [c for c in stock.columns if re.fullmatch(rf"{measure}_q\d+", c)]
    if len(found) != 2:
        raise ValueError(f"the stock table has no interval columns for {measure}: {list(stock.columns)}")
    low, high = sorted(found, key=lambda c: float("0." + c.split("_q")[1]))
    return low, high


def stock_rows(stock: pd.DataFrame) -> pd.DataFrame:
    """The stock table with its interval columns named `<measure>_low`/`_high` (the interval is in `runs`)."""
    names: dict[str, str] = {}
    for m in MEASURES:
        low, high = _interval_columns(stock, m)
        names |= {low: f"{m}_low", high: f"{m}_high"}
    return stock.rename(columns=names)


def stock_frame(rows: pd.DataFrame, interval: float) -> pd.DataFrame:
    """The stock table as the run wrote it: `<measure>_low`/`_high` named by their quantiles again."""
    lo = round((1 - interval) / 2, 6)
    names = {f"{m}_{side}": f"{m}_{engines.qname(q)}" for m in MEASURES for side, q in (("low", lo), ("high", 1 - lo))}
    return rows.rename(columns=names)


def document(frame: pd.DataFrame) -> str:
    """A table as JSON text (columns and rows, missing values null): read back by `from_document`."""
    split = frame.to_dict(orient="split", index=False)
    return to_json({"columns": split["columns"], "data": split["data"]})


def from_document(text: str) -> pd.DataFrame:
    """The table `document` wrote."""
    import json

    doc = json.loads(text)
    return pd.DataFrame(doc["data"], columns=doc["columns"])


def _headline(stock: pd.DataFrame, until: int) -> dict[str, Any]:
    regions = list(dict.fromkeys(stock["region"]))
    region = "CN" if "CN" in regions else regions[0]  # as the report chooses
    h = next((h for h in headlines(stock, until) if h.region == region and h.has_gap), None)
    if h is None:
        return {"headline_region": region}
    return {"headline_region": region, "headline_demand": h.demand, "headline_supply": h.supply,
            "headline_gap": h.gap, "headline_gap_low": h.gap_low, "headline_gap_high": h.gap_high}


def run_row(run_id: int, series: pd.DataFrame, stock: pd.DataFrame, manifest: dict[str, Any], settings: Settings,
            data: Path) -> dict[str, Any]:
    """The `runs` row of a vintage."""
    keys = series[list(KEYS)].drop_duplicates()
    history = [s for s in dict.fromkeys(stock["source"]) if s != "forecast"]
    inputs = manifest.get("inputs", {})
    return {
        "id": run_id, "created": manifest["created"], "talent_version": manifest["versions"]["talent"],
        "data": str(data), "data_sha256": inputs.get(str(data)) or file_sha256(data),
        "history_first": int(series["year"].min()), "history_last": int(series["year"].max()),
        "until": settings.forecast.until, "n_series": len(keys), "interval": settings.gap.interval,
        "source": history[0] if history else "history",
        "plan_status": str(manifest.get("plan", {}).get("status", "none")),
        "settings": to_json(asdict(settings)), "manifest": to_json(manifest),
        "series_key": series_key(keys.itertuples(index=False, name=None)),
        **_headline(stock, settings.forecast.until),
    }


def forecast_rows(forecasts: pd.DataFrame, quantiles: tuple[float, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(forecasts rows: keys, year, mean, model; quantile rows: keys, year, quantile, value)."""
    ids = [*KEYS, "year"]
    means = forecasts[[*ids, "mean", "model"]]
    parts = [forecasts[ids].assign(quantile=q, value=forecasts[engines.qname(q)].to_numpy(float))
             for q in quantiles]
    return means, pd.concat(parts, ignore_index=True)


def record_run(store: Store, run_id: int, series: pd.DataFrame, tables: dict[str, pd.DataFrame],
               manifest: dict[str, Any], settings: Settings, data: Path,
               forecasts: pd.DataFrame | None = None) -> int:
    """Write one vintage (all of it, or nothing) and return its run number.

    `tables` are the run's id-based tables (`talent.run.report_tables`: stock, flow, models, coverage, plan_*);
    `forecasts` default to `point_forecasts(series, settings)`."""
    fc = point_forecasts(series, settings) if forecasts is None else forecasts
    means, quantiles = forecast_rows(fc, settings.forecast.quantiles)
    stock = tables[STOCK]
    rows = {
        "runs": pd.DataFrame([run_row(run_id, series, stock, manifest, settings, data)]),
        "run_inputs": pd.DataFrame([{"path": p, "sha256": h} for p, h in manifest.get("inputs", {}).items()],
                                   columns=["path", "sha256"]),
        "series": series[[*KEYS, "year", "value"]],
        "forecasts": means, "forecast_quantiles": quantiles, "stock": stock_rows(stock),
        "run_tables": pd.DataFrame([{"name": n, "content": document(t)} for n, t in tables.items() if n != STOCK],
                                   columns=["name", "content"]),
    }
    with store.write() as conn:
        write_rows(conn, run_id, rows)
    return run_id


def write_rows(conn: Connection, run_id: int, rows: dict[str, pd.DataFrame]) -> None:
    """Insert each table's rows, `runs` first (the caller's transaction makes them one vintage)."""
    for name, frame in rows.items():
        insert_frame(conn, TABLES[name], frame.assign(run_id=run_id) if name != "runs" else frame)
