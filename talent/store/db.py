"""Opening a run store: a DuckDB file (the default, no server) or a PostgreSQL database by URL.

`open_store(location)` takes a file path (`talent-runs.duckdb`), a
`duckdb:///path` URL or a `postgresql://user@host/db` URL and returns a
`Store`, migrated to the current schema. Every database error becomes a
`StoreError` naming the store (a URL is shown without its password) and what
to do; a read-only verb on a DuckDB file that does not exist says so instead
of creating an empty store.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import URL, Connection, Engine, Table, create_engine, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from talent.io.files import check_output, is_inside
from talent.store.migrate import StoreError, migrate
from talent.store.schema import RUN_IDS

DEFAULT_NAME = "talent-runs.duckdb"
SCHEMES = {"duckdb": "duckdb", "postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg",
           "postgresql+psycopg": "postgresql+psycopg"}


def is_url(location: str | Path) -> bool:
    """Whether a store location is a database URL rather than a file path."""
    return isinstance(location, str) and "://" in location


def _url(location: str | Path) -> tuple[URL, Path | None]:
    """The SQLAlchemy URL of a location and, for a DuckDB file, its path."""
    if not is_url(location):
        path = Path(location).expanduser()
        return URL.create("duckdb", database=str(path)), path
    try:
        url = make_url(str(location))
    except (ArgumentError, ValueError):  # ValueError: a port that is no number ('postgresql://u@[::1/db')
        raise StoreError(f"{location}: not a database URL; write postgresql://USER@HOST/DATABASE "
                         "or a DuckDB file path") from None
    if url.drivername not in SCHEMES:
        raise StoreError(f"{url.render_as_string()}: unsupported database '{url.drivername}'; use a DuckDB "
                         "file path or postgresql://USER@HOST/DATABASE")
    url = url.set(drivername=SCHEMES[url.drivername])
    if url.drivername == "duckdb":
        if not url.database or url.database == ":memory:":  # a database in memory: every run recorded is lost
            raise StoreError(f"{location}: names no file, so the run store would be held in memory and lost; write "
                             f"duckdb:///PATH (four slashes for an absolute path), e.g. duckdb:///{DEFAULT_NAME}, "
                             "or a file path")
        return url, Path(url.database).expanduser()
    return url, None


def shown(location: str | Path) -> str:
    """A location as messages show it: a URL without its password."""
    if not is_url(location):
        return str(location)
    try:
        url = make_url(str(location))
    except (ArgumentError, ValueError):
        return str(location)
    return str(location) if url.password is None else url.render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()
    return first[0] if first else type(orig).__name__


def _foreign(path: Path) -> str | None:
    """'a SQLite database' for a file that starts as one; None for others (DuckDB names them: 'not a DuckDB
    run store'). Given a SQLite file, DuckDB tried to download its SQLite extension (a network access at run
    time) and the error was about that URL."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return None  # named when the store is opened
    return "a SQLite database" if head.startswith(b"SQLite format 3\0") else None


def _check_file(path: Path, create: bool, where: str) -> None:
    from importlib.resources import files

    if is_inside(path, Path(str(files("talent")))):
        raise StoreError(f"{where}: refusing to keep the run store inside the talent package; "
                         f"choose another path, e.g. ./{DEFAULT_NAME}")
    if path.is_dir():
        raise StoreError(f"{where}: is a folder; give the run store a file name, e.g. {path / DEFAULT_NAME}")
    if path.exists() and not path.is_file():  # a pipe: reading its first bytes waited for a writer for ever
        raise StoreError(f"{where}: not a regular file (a device, pipe or socket); give the run store a file name, "
                         f"e.g. {DEFAULT_NAME}")
    if path.is_file() and _foreign(path):
        raise StoreError(f"{where}: not a DuckDB run store ({_foreign(path)}); give another path with --store")
    if not path.exists():
        if not create:
            raise StoreError(f"{where}: no run store here; `talent run` records each run in {DEFAULT_NAME} beside "
                             "its output folder (or where [store] path in talent.toml says): pass --store PATH")
        check_output(path, [])


@dataclass
class Store:
    """An open run store (a DuckDB file or a PostgreSQL database) at the current schema version.

    Use it as a context manager, or call `close()`; `talent.store` verbs take it or a location."""

    engine: Engine
    location: str
    migrated: list[int] = field(default_factory=list)

    @property
    def backend(self) -> str:
        """'duckdb' or 'postgresql'."""
        return self.engine.dialect.name

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the database (the DuckDB file is unlocked)."""
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for queries; database errors become `StoreError`."""
        with self._errors("read"), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends normally, rolled back on any error or interruption."""
        with self._errors("write to"), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _errors(self, verb: str) -> Iterator[None]:
        try:
            yield
        except StoreError:
            raise
        except (DBAPIError, SQLAlchemyError) as exc:
            raise StoreError(f"{shown(self.location)}: cannot {verb} the run store: {_reason(exc)}") from exc

    def reserve(self) -> int:
        """A new run number (taken from a sequence: never reused, even when the run then fails)."""
        with self.write() as conn:
            return int(conn.execute(select(RUN_IDS.next_value())).scalar_one())


def open_store(location: str | Path, create: bool = False) -> Store:
    """Open (and with `create`, make) the run store at `location`, migrated to the current schema.

    `location`: a DuckDB file path, `duckdb:///path`, or `postgresql://USER@HOST/DATABASE` (the password
    from PGPASSWORD or ~/.pgpass). Without `create`, a DuckDB file that does not exist is an error."""
    where = shown(location)
    url, path = _url(location)
    if path is not None and is_url(location):  # duckdb:///tmp/x is tmp/x in the working folder: name the file
        where += f" (the file {path}{_four_slashes(path)})"
    if path is not None:
        _check_file(path, create, where)
    try:
        return _opened(url, location, where)
    except StoreError as exc:
        if create or path is None or "Read-only file system" not in str(exc):
            raise
    try:  # a store on a read-only share or disc is read without a write lock ('give a file you can write to')
        return _opened(url, location, where, read_only=True)
    except StoreError as exc:
        raise StoreError(f"{where}: the run store is on a read-only file system and cannot be read there ({exc}); "
                         "copy it to a folder you can write to and give that copy with --store") from None


def _opened(url: URL, location: str | Path, where: str, read_only: bool = False) -> Store:
    try:
        engine = create_engine(url, poolclass=NullPool, **({"connect_args": {"read_only": True}} if read_only
                                                           else {}))
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(f"{where}: the database driver is not installed ({exc}); "
                         "pip install 'talent[postgres]' for PostgreSQL") from None
    store = Store(engine, str(location))
    try:
        with store._errors("open"), engine.begin() as conn:
            store.migrated = migrate(conn, where)
    except StoreError as exc:
        engine.dispose()
        raise _friendlier(exc, where) from exc.__cause__
    return store


def _four_slashes(path: Path) -> str:
    """A hint for duckdb:///tmp/x.duckdb meant as /tmp/x.duckdb (a relative path after three slashes)."""
    absolute = Path("/", path)
    return "" if path.is_absolute() or not absolute.exists() else \
        f"; an absolute path takes four slashes: duckdb:///{absolute}"


def _friendlier(exc: StoreError, where: str) -> StoreError:
    text = str(exc)
    if "lock" in text.lower() and "conflicting" in text.lower():
        return StoreError(f"{where}: the run store is in use by another talent process; wait for it to finish")
    if "not a valid DuckDB database" in text or "is not a DuckDB" in text or "Unrecognized" in text:
        return StoreError(f"{where}: not a DuckDB run store; give another path with --store")
    if "Could not read enough bytes" in text or "Corrupt" in text or "checksum" in text.lower():
        return StoreError(f"{where}: the run store file is damaged or cut short ({text.split('IO Error: ')[-1]}); "
                          "restore it from a copy, or give another path with --store")
    if ": cannot open the run store: " not in text:  # a message of its own (migrate), with its fix
        return exc
    if where.startswith("postgresql"):  # no server there, a wrong host, port, user, password or database name
        return StoreError(f"{text}. Fix: check the host, port, user and database in the URL and that the PostgreSQL "
                          "server runs and lets that user in, or give a DuckDB file with --store talent-runs.duckdb")
    return StoreError(f"{text}. Fix: give a DuckDB file you can write to with --store, e.g. talent-runs.duckdb")


@contextmanager
def using(store: Store | str | Path) -> Iterator[Store]:
    """`store` itself when it is open; otherwise the store at that location, opened (never created) and closed
    after the block."""
    if isinstance(store, Store):
        yield store
        return
    with open_store(store) as opened:
        yield opened


def default_location(out: Path | None = None) -> Path:
    """Where `talent run` records by default: `talent-runs.duckdb` beside the output folder
    (`./talent-runs.duckdb` for the default `output/`)."""
    return Path(out).parent / DEFAULT_NAME if out is not None else Path(DEFAULT_NAME)


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, missing values as None (SQL NULL)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({str(k): None if (v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA) else v
                    for k, v in row.items()})
    return out


def insert_frame(conn: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert a frame's rows (columns named as the table's). DuckDB reads the frame directly (one statement,
    in the same transaction); other databases get one batched executemany."""
    if frame.empty:
        return
    frame = frame[[c.name for c in table.columns if c.name in frame.columns]]
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        view = f"_talent_{table.name}"
        raw.register(view, frame)  # type: ignore[union-attr]
        try:
            names = ", ".join(f'"{c}"' for c in frame.columns)
            conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{view}"')
        finally:
            raw.unregister(view)  # type: ignore[union-attr]
        return
    conn.execute(table.insert(), frame_records(frame))


def read_frame(conn: Connection, query: Any) -> pd.DataFrame:
    """A query's rows as a frame (columns as selected)."""
    result = conn.execute(query)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def _plain(doc: Any) -> Any:
    if isinstance(doc, float) and not math.isfinite(doc):
        return None
    if isinstance(doc, dict):
        return {str(k): _plain(v) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [_plain(v) for v in doc]
    return doc


def to_json(doc: object) -> str:
    """JSON text of a document (NaN and infinities written as null, tuples as lists)."""
    return json.dumps(_plain(doc), ensure_ascii=False, allow_nan=False, default=str)
