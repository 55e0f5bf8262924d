"""The run store's tables (SQLAlchemy Core), one definition for DuckDB and PostgreSQL.

A vintage is one row of `runs` and its rows in the other tables (all keyed by
`run_id`); a run is written in one transaction, so a vintage is all there or
not at all. What the history verbs query is relational (the input series,
the forecasts and their quantiles, the stock view of the gap); the other
tables of a run (flow, models, coverage, the plan's tables) are kept as one
JSON document each in `run_tables`, so a change of their columns upstream
needs no migration of the store.

`define(metadata, version)` builds the tables as they are at a schema
version: migration 1 creates the version-1 tables, later migrations alter
them (`talent.store.migrate`), and the queries use the current definition.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Double, Index, Integer, MetaData, Sequence, String, Table, Text

SCHEMA_VERSION = 2  # the version this code reads and writes (see talent.store.migrate.MIGRATIONS)
RUN_IDS = Sequence("talent_run_id")  # run numbers: 1, 2, 3, … (a failed run may leave a gap)
KEYS = ("region", "role", "level", "kind")  # a series, as in the data contract


def _key_columns(*names: str) -> list[Column[Any]]:
    return [Column(name, String, nullable=False) for name in names]


def _runs(metadata: MetaData, version: int) -> Table:
    columns: list[Column[Any]] = [
        Column("id", Integer, RUN_IDS, primary_key=True, autoincrement=False),
        Column("created", String, nullable=False),  # ISO 8601, UTC, as in the manifest
        Column("talent_version", String, nullable=False),
        Column("data", String, nullable=False),  # the series file as given
        Column("data_sha256", String, nullable=False),
        Column("history_first", Integer, nullable=False),
        Column("history_last", Integer, nullable=False),
        Column("until", Integer, nullable=False),
        Column("n_series", Integer, nullable=False),
        Column("interval", Double, nullable=False),  # central interval of the stock table's low/high columns
        Column("source", String, nullable=False),  # provenance of the history rows (observed, modelled, …)
        Column("headline_region", String),
        Column("headline_demand", Double),
        Column("headline_supply", Double),
        Column("headline_gap", Double),
        Column("headline_gap_low", Double),
        Column("headline_gap_high", Double),
        Column("plan_status", String, nullable=False),
        Column("settings", Text, nullable=False),  # JSON
        Column("manifest", Text, nullable=False),  # JSON: inputs with hashes, settings, versions, models, time
    ]
    if version >= 2:
        columns.append(Column("series_key", String))  # SHA-256 of the sorted series keys: same series, same key
    return Table("runs", metadata, *columns)


def define(metadata: MetaData, version: int = SCHEMA_VERSION) -> dict[str, Table]:
    """Every table of the store as it is at schema `version`, by name."""
    run_id = lambda: Column("run_id", Integer, nullable=False)  # noqa: E731
    level = ("demand", "supply", "gap")
    tables = [
        _runs(metadata, version),
        Table("run_inputs", metadata, run_id(), *_key_columns("path", "sha256")),
        Table("series", metadata, run_id(), *_key_columns(*KEYS), Column("year", Integer, nullable=False),
              Column("value", Double, nullable=False)),
        Table("forecasts", metadata, run_id(), *_key_columns(*KEYS), Column("year", Integer, nullable=False),
              Column("mean", Double, nullable=False), Column("model", String, nullable=False)),
        Table("forecast_quantiles", metadata, run_id(), *_key_columns(*KEYS), Column("year", Integer, nullable=False),
              Column("quantile", Double, nullable=False), Column("value", Double, nullable=False)),
        Table("stock", metadata, run_id(), *_key_columns("region", "role", "level"),
              Column("year", Integer, nullable=False), Column("source", String, nullable=False),
              *[Column(f"{m}{s}", Double) for m in level for s in ("", "_low", "_high")],
              Column("ratio", Double), Column("p_shortage", Double), Column("rating", String),
              Column("reliability", String)),
        Table("run_tables", metadata, run_id(), Column("name", String, nullable=False),
              Column("content", Text, nullable=False)),
    ]
    out = {t.name: t for t in tables}
    if version >= 2:
        Index("ix_runs_series_key", out["runs"].c.series_key)
    return out


def version_table(metadata: MetaData) -> Table:
    """`talent_schema`: one row per migration applied (version, when, what)."""
    return Table("talent_schema", metadata, Column("version", Integer, primary_key=True, autoincrement=False),
                 Column("applied", String, nullable=False), Column("description", String, nullable=False))


METADATA = MetaData()
TABLES = define(METADATA)
VERSIONS = version_table(METADATA)
