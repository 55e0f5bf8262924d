"""`talent history list` and `talent history show`: the vintages a store holds, and one of them whole."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select

from talent.io.manifest import file_sha256
from talent.store.db import Store, using
from talent.store.schema import TABLES
from talent.store.vintage import Vintage, load_vintage, runs_table

LIST_COLUMNS = ["run", "created", "data", "history", "until_year", "series", "region", "gap", "gap_low", "gap_high",
                "plan", "talent"]


def history_list(store: Store | str | Path) -> pd.DataFrame:
    """One row per recorded run, oldest first (library twin of `talent history list`): run number, when,
    the data file and its years, the forecast horizon, the number of series, the headline (the gap of the
    region the report leads with in the last year, with its interval), the plan's status, talent's version."""
    with using(store) as s, s.read() as conn:
        runs = runs_table(conn)
    if runs.empty:
        return pd.DataFrame(columns=LIST_COLUMNS)
    out = pd.DataFrame({
        "run": runs["id"].astype(int), "created": runs["created"], "data": runs["data"].map(lambda p: Path(p).name),
        "history": [f"{a}–{b}" for a, b in zip(runs["history_first"], runs["history_last"], strict=True)],
        "until_year": runs["until"].astype(int), "series": runs["n_series"].astype(int),
        "region": runs["headline_region"], "gap": runs["headline_gap"].astype(float),
        "gap_low": runs["headline_gap_low"].astype(float), "gap_high": runs["headline_gap_high"].astype(float),
        "plan": runs["plan_status"], "talent": runs["talent_version"]})
    return out[LIST_COLUMNS]


def history_show(store: Store | str | Path, run: int | str = "latest") -> Vintage:
    """One recorded run whole (library twin of `talent history show`): manifest, settings, the input series
    as used, the forecasts, the stock table and the other tables. `run`: a number, 'latest' or 'previous'."""
    with using(store) as s:
        return load_vintage(s, run)


def recorded_input(store: Store | str | Path, path: Path) -> tuple[int, str] | None:
    """The run and the name of a recorded input (data, planning, coverage or settings file) whose bytes the file
    `path` holds now (the same SHA-256), if any: an export must not overwrite a run's input, wherever it moved."""
    if not path.is_file():
        return None
    digest, table = file_sha256(path), TABLES["run_inputs"]
    with using(store) as s, s.read() as conn:
        hit = conn.execute(select(table.c.run_id, table.c.path).where(table.c.sha256 == digest)
                           .order_by(table.c.run_id)).first()
    return None if hit is None else (int(str(hit[0])), str(hit[1]))
