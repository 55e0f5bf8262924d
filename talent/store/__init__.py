"""The run store: every `talent run` recorded as a vintage, revisions explained, past forecasts scored.

A store is a DuckDB file by default (`talent-runs.duckdb` beside the output folder, created on first
use; no server) or a PostgreSQL database given by URL, for a team sharing one archive. The same code
(SQLAlchemy Core) reads and writes both. Library twins of `talent history`:

    open_store(location, create)              # a Store, migrated to the current schema version
    history_list(store)                       # talent history list
    history_show(store, run)                  # talent history show RUN     -> Vintage
    history_diff(store, run_a, run_b)         # talent history diff A B     -> Revisions
    history_score(store, actuals)             # talent history score [--actuals FILE]

`talent.run_pipeline(..., store=…)` records a run (`talent.store.recording`).
"""

from __future__ import annotations

from talent.store.db import DEFAULT_NAME, Store, default_location, open_store, shown, using
from talent.store.diff import Revisions, history_diff
from talent.store.history import history_list, history_show
from talent.store.migrate import StoreError
from talent.store.schema import SCHEMA_VERSION
from talent.store.score import history_score
from talent.store.vintage import Vintage

__all__ = ["DEFAULT_NAME", "SCHEMA_VERSION", "Revisions", "Store", "StoreError", "Vintage", "default_location",
           "history_diff", "history_list", "history_score", "history_show", "open_store", "shown", "using"]
