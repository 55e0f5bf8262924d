"""`talent run`'s link to the store: before the outputs are written, what the report says of earlier
vintages; after, the run itself, recorded as one vintage.

`begin_run` takes a run number and, when the store holds an earlier run of the same series, builds two
tables for the output folder (the report reads them back, so `talent report` needs no store):

- `revisions`: the forecasts of the latest earlier run of the same series against this run's, each
  change split into its data and model parts (`talent.store.diff`), with that run's number and date;
- `past_scores`: every earlier run of the same series scored against this run's input series as the
  actuals, where they have arrived (`talent.store.score`).

`Recording.commit` then writes the vintage (`talent.store.record.record_run`), all of it or nothing.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from talent.config import Settings
from talent.errors import TalentWarning
from talent.store.db import Store
from talent.store.diff import counterfactual, revision_table
from talent.store.migrate import StoreError, series_key
from talent.store.record import record_run
from talent.store.schema import KEYS
from talent.store.score import score_vintage
from talent.store.vintage import Vintage, load_vintage, runs_table


@dataclass
class Recording:
    """A run on its way into the store: its number, and the history tables for its output folder."""

    store: Store
    run_id: int
    settings: Settings
    data: Path
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def manifest(self) -> dict[str, Any]:
        """What the run's manifest says of the store: the run's number there."""
        return {"store_run": self.run_id}

    def commit(self, series: pd.DataFrame, tables: dict[str, pd.DataFrame], manifest: dict[str, Any]) -> int:
        """Record the run (every row in one transaction); return its number."""
        return record_run(self.store, self.run_id, series, tables, manifest, self.settings, self.data)


def earlier_runs(store: Store, series: pd.DataFrame) -> list[int]:
    """The runs in the store of exactly the same series (region, role, level, kind), oldest first."""
    key = series_key(series[list(KEYS)].drop_duplicates().itertuples(index=False, name=None))
    with store.read() as conn:
        runs = runs_table(conn)
    return [int(i) for i in runs.loc[runs["series_key"] == key, "id"]]


def _readable(store: Store, run: int) -> Vintage | None:
    """An earlier run, or None with a warning when it is damaged: a run is not refused for an old run's damage."""
    try:
        return load_vintage(store, run)
    except StoreError as exc:
        warnings.warn(f"{str(exc).partition('. Fix: ')[0]}; it is left out of this run's revisions and past scores. "
                      "Fix: restore the run store from a copy", TalentWarning, stacklevel=2)
        return None


def history_tables(store: Store, series: pd.DataFrame, stock: pd.DataFrame,
                   settings: Settings) -> dict[str, pd.DataFrame]:
    """`revisions` against the latest earlier run of the same series and `past_scores` of every earlier run
    against `series` (each only when it has rows); {} when the store holds no earlier run of these series."""
    vintages = [v for v in (_readable(store, r) for r in earlier_runs(store, series)) if v is not None]
    if not vintages:
        return {}
    previous = vintages[-1]
    out = {}
    table = revision_table(previous.stock, stock, counterfactual(previous.series, settings))
    if not table.empty:
        out["revisions"] = table.assign(since_run=previous.run, since=previous.created)
    scores = [score_vintage(v, series) for v in vintages]
    scores = [s for s in scores if not s.empty]
    if scores:
        out["past_scores"] = pd.concat(scores, ignore_index=True)
    return out


def begin_run(store: Store, series: pd.DataFrame, stock: pd.DataFrame, settings: Settings, data: Path) -> Recording:
    """Take a run number and build the history tables for the run's output folder."""
    return Recording(store, store.reserve(), settings, data, history_tables(store, series, stock, settings))
