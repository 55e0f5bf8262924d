"""Schema versions and migrations of the run store.

`talent_schema` holds one row per migration applied. Opening a store applies
the migrations it lacks, in order, in one transaction (on PostgreSQL under an
advisory lock, so two processes never migrate the same database at once): a
store is at one version or another, never between. A store written by a
newer talent (a version this code does not know) is refused, never altered.

- 1: the tables of a run (`talent.store.schema.define(…, 1)`);
- 2: `runs.series_key`, a hash of the run's series keys, backfilled from the
  stored series and indexed, so the earlier vintage of the same series is
  one lookup.

A new migration is a function `(connection) -> None` appended to
`MIGRATIONS` with its description; `SCHEMA_VERSION` is their number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, MetaData, func, inspect, select, text, update

from talent.errors import TalentError
from talent.store.schema import KEYS, RUN_IDS, SCHEMA_VERSION, TABLES, VERSIONS, define


class StoreError(TalentError):
    """The run store cannot be opened, read or written (its message names the store and the fix)."""


def series_key(keys: Iterable[tuple[str, ...]]) -> str:
    """SHA-256 of the sorted series keys (region|role|level|kind): runs of the same series share it."""
    text_ = "\n".join(sorted("|".join(map(str, k)) for k in set(map(tuple, keys))))
    return hashlib.sha256(text_.encode("utf-8")).hexdigest()


def _create_v1(conn: Connection) -> None:
    metadata = MetaData()
    define(metadata, 1)
    RUN_IDS.create(conn, checkfirst=True)
    metadata.create_all(conn)


def _add_series_key(conn: Connection) -> None:
    runs, series = TABLES["runs"], TABLES["series"]
    conn.execute(text("ALTER TABLE runs ADD COLUMN series_key VARCHAR"))
    next(i for i in runs.indexes if i.name == "ix_runs_series_key").create(conn)  # before the updates (DuckDB)
    keyed = conn.execute(select(series.c.run_id, *[series.c[k] for k in KEYS]).distinct()).all()
    by_run: dict[int, list[tuple[str, ...]]] = {}
    for row in keyed:
        by_run.setdefault(int(row[0]), []).append(tuple(str(k) for k in row[1:]))
    for run_id, keys in sorted(by_run.items()):
        conn.execute(update(runs).where(runs.c.id == run_id).values(series_key=series_key(keys)))


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("the tables of a run: runs, run_inputs, series, forecasts, forecast_quantiles, stock, run_tables", _create_v1),
    ("runs.series_key: the same series are found by one key (backfilled, indexed)", _add_series_key),
]
assert len(MIGRATIONS) == SCHEMA_VERSION


def schema_version(conn: Connection) -> int:
    """The store's schema version: 0 for an empty database."""
    if VERSIONS.name not in _tables(conn):
        return 0
    return int(conn.execute(select(func.coalesce(func.max(VERSIONS.c.version), 0))).scalar_one())


def _tables(conn: Connection) -> list[str]:
    """The tables of the connection's current schema, sorted."""
    if conn.dialect.name == "duckdb":  # duckdb-engine's reflection queries catalogs DuckDB lacks
        found = conn.execute(text("SELECT table_name FROM information_schema.tables "
                                  "WHERE table_schema = current_schema()"))
        return sorted(str(r[0]) for r in found)
    return sorted(inspect(conn).get_table_names())


def _refuse_foreign(conn: Connection, where: str) -> None:
    """A database without `talent_schema` becomes a run store only when nothing in it is in the way: never
    alter another program's data. A DuckDB file must have no tables at all (it is a file of its own); a
    PostgreSQL schema, which other programs share, no table of a run store's names."""
    tables = _tables(conn)
    clash = tables if conn.dialect.name == "duckdb" else [t for t in tables if t in TABLES]
    if clash:
        shown = ", ".join(clash[:5]) + (f" and {len(clash) - 5} more" if len(clash) > 5 else "")
        raise StoreError(f"{where}: not a talent run store (it holds other tables: {shown}) and is left as it is; "
                         "give a new file or another database with --store")


def migrate(conn: Connection, where: str, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the migrations the store lacks up to `target`, inside the caller's transaction; return those applied.

    A store at a newer version than this code knows raises `StoreError`."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('talent run store migration'))"))
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StoreError(f"{where}: the run store has schema version {current}, newer than this talent knows "
                         f"({SCHEMA_VERSION}); upgrade talent to read it")
    if current == 0:
        _refuse_foreign(conn, where)
        VERSIONS.create(conn, checkfirst=True)
    applied = []
    for version in range(current + 1, target + 1):
        description, step = MIGRATIONS[version - 1]
        step(conn)
        conn.execute(VERSIONS.insert().values(version=version, description=description,
                                              applied=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
        applied.append(version)
    _check_complete(conn, where)
    return applied


def _check_complete(conn: Connection, where: str) -> None:
    """Every table of the current schema is there: a store with one dropped (by hand, or a tool) failed later
    with 'Catalog Error: Table with name runs does not exist!' and no fix, `talent run` after all its work."""
    missing = sorted(set(TABLES) - set(_tables(conn)))
    if missing:
        raise StoreError(f"{where}: the run store is damaged: table(s) {', '.join(missing)} missing; restore it "
                         "from a copy, or give a new file with --store (or --no-store)")
