"""Reading vintages back: the list of runs, one run whole, a run named by number or by `latest`/`previous`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from talent.config import ForecastSettings, GapSettings, ReportSettings, Settings
from talent.errors import shorten
from talent.store.db import Store, read_frame, shown
from talent.store.migrate import StoreError
from talent.store.record import from_document, stock_frame
from talent.store.schema import KEYS, TABLES

RUNS = TABLES["runs"]
NAMED = {"latest": -1, "previous": -2}
TYPES: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "str": str}


class RunChoiceError(StoreError):
    """A run asked for by a number the store lacks or by a word that is no run: a usage error (exit 2), as a bad
    option value is."""

    exit_code = 2


def settings_from(doc: dict[str, Any]) -> Settings:
    """Settings from a stored JSON document (keys a later version added get their defaults; unknown keys are
    ignored), so an old vintage can be re-run with the same settings. A value of another type than the setting's
    (a damaged store: `paths = "x"`) is a `ValueError` naming the key."""

    def part(name: str, cls: Any) -> Any:
        values = doc.get(name, {})
        if not isinstance(values, dict):
            raise ValueError(f"{name}: not an object (value: {shorten(repr(values))})")
        known = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()
                 if k in cls.__dataclass_fields__}
        for k, v in known.items():  # annotations as text: 'int', 'float', 'str', 'tuple[float, ...]'
            kind = str(cls.__dataclass_fields__[k].type)
            inner = kind.removeprefix("tuple[").removesuffix(", ...]")
            items = v if kind.startswith("tuple") and isinstance(v, tuple) else (v,) if inner == kind else (None,)
            if not all(isinstance(x, TYPES[inner]) and not isinstance(x, bool) for x in items):
                raise ValueError(f"{name}.{k}: not of the setting's type, {kind} (value: {shorten(repr(v))})")
        return cls(**known)

    return Settings(forecast=part("forecast", ForecastSettings), gap=part("gap", GapSettings),
                    report=part("report", ReportSettings))


def _document(store: Store, run: int, name: str, text: object) -> dict[str, Any]:
    """A run's stored manifest or settings as a JSON object whose parts the commands read are objects; else a
    `StoreError` saying the run is damaged."""
    try:
        doc = json.loads(str(text))
    except (ValueError, RecursionError) as exc:
        raise _damaged(store, run, f"the stored {name} is not JSON ({shorten(str(exc))})") from None
    if not isinstance(doc, dict):
        raise _damaged(store, run, f"the stored {name} is not a JSON object (value: {shorten(repr(doc))})")
    for key in ("inputs", "versions", "plan") if name == "manifest" else ():
        if not isinstance(doc.get(key, {}), dict):
            raise _damaged(store, run, f"its manifest's {key} is not an object (value: {shorten(repr(doc[key]))})")
    return doc


def _damaged(store: Store, run: int, what: str) -> StoreError:
    return StoreError(f"{shown(store.location)}: run {run} is damaged: {what}. Fix: restore the run store from a "
                      "copy, or use the other runs (talent history list)")


@dataclass(frozen=True)
class Vintage:
    """One recorded run: its manifest and settings, the input series as used, the engine's forecasts
    (keys, year, mean, quantile columns, model), the stock table as the run wrote it, and its other tables."""

    run: int
    created: str
    data: str
    manifest: dict[str, Any]
    settings: Settings
    series: pd.DataFrame
    forecasts: pd.DataFrame
    stock: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def history(self) -> tuple[int, int]:
        """First and last year of the input series."""
        return int(self.series["year"].min()), int(self.series["year"].max())


def runs_table(conn: Connection) -> pd.DataFrame:
    """Every run's `runs` row, oldest first."""
    return read_frame(conn, select(RUNS).order_by(RUNS.c.id))


def resolve(store: Store, run: int | str) -> int:
    """A run number from a number, 'latest' or 'previous'; one the store lacks is a `RunChoiceError` listing
    those it has."""
    with store.read() as conn:
        ids = [int(i) for i in conn.execute(select(RUNS.c.id).order_by(RUNS.c.id)).scalars().all()]  # type: ignore[var-annotated]
    if not ids:
        raise StoreError(f"{store.location}: the run store holds no runs yet; `talent run` records one")
    text = str(run).strip().lower()
    if text in NAMED:
        if len(ids) < -NAMED[text]:
            raise StoreError(f"{store.location}: the run store holds one run, so there is no previous run")
        return ids[NAMED[text]]
    try:
        number = int(text)
    except ValueError:
        raise RunChoiceError(f"run '{run}': give a run number ({_listed(ids)}), latest or previous") from None
    if number not in ids:
        raise RunChoiceError(f"run {number} is not in the run store; it holds runs {_listed(ids)}")
    return number


def _listed(ids: list[int]) -> str:
    return ", ".join(map(str, ids)) if len(ids) <= 12 else f"{ids[0]}–{ids[-1]}"


def _forecasts(conn: Connection, run: int) -> pd.DataFrame:
    fc, qs = TABLES["forecasts"], TABLES["forecast_quantiles"]
    means = read_frame(conn, select(fc).where(fc.c.run_id == run)).drop(columns="run_id")
    quantiles = read_frame(conn, select(qs).where(qs.c.run_id == run)).drop(columns="run_id")
    from talent.engines import qname

    wide = quantiles.assign(quantile=quantiles["quantile"].map(qname)).pivot_table(
        index=[*KEYS, "year"], columns="quantile", values="value", aggfunc="first")
    wide.columns.name = None
    out = means.merge(wide.reset_index(), on=[*KEYS, "year"], how="left")
    cols = [*KEYS, "year", "mean", *sorted(wide.columns, key=lambda c: float("0." + c[1:])), "model"]
    return out[cols].sort_values([*KEYS, "year"], kind="stable").reset_index(drop=True)


def load_vintage(store: Store, run: int | str) -> Vintage:
    """One run, whole (`run`: a number, 'latest' or 'previous')."""
    number = resolve(store, run)
    with store.read() as conn:
        row = read_frame(conn, select(RUNS).where(RUNS.c.id == number)).iloc[0]
        series = _rows(conn, "series", number).sort_values([*KEYS, "year"], kind="stable").reset_index(drop=True)
        stock = stock_frame(_rows(conn, "stock", number), float(row["interval"]))
        rt = TABLES["run_tables"]
        docs = conn.execute(select(rt.c.name, rt.c.content).where(rt.c.run_id == number)).all()
        forecasts = _forecasts(conn, number)
    from talent.gaps.stock import sort_rows

    if series.empty:  # every run records its input series
        raise _damaged(store, number, "it holds no input series")
    try:
        settings = settings_from(_document(store, number, "settings", row["settings"]))
    except ValueError as exc:
        raise _damaged(store, number, f"its settings hold {exc}") from None
    return Vintage(number, str(row["created"]), str(row["data"]), _document(store, number, "manifest", row["manifest"]),
                   settings, series, forecasts, sort_rows(stock),
                   {str(name): from_document(str(content)) for name, content in docs})


def _rows(conn: Connection, name: str, run: int) -> pd.DataFrame:
    table = TABLES[name]
    return read_frame(conn, select(table).where(table.c.run_id == run)).drop(columns="run_id")
