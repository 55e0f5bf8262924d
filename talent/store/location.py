"""Where the run store is: `--store`, else `[store] path` in talent.toml, else `talent-runs.duckdb` beside the
output folder (`talent run`) or in the working folder (`talent history`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from talent.config import Settings
from talent.io.files import is_inside, resolved
from talent.store.db import DEFAULT_NAME, Store, is_url, open_store
from talent.store.migrate import StoreError


def store_location(settings: Settings, out: Path | None = None) -> str | Path:
    """The store a command uses: `settings.store.path` (from --store or talent.toml) when set, else
    `talent-runs.duckdb` beside `out` (the run's output folder), else in the working folder.

    A DuckDB file inside `out` is refused: each run replaces that folder whole."""
    chosen = settings.store.path
    if chosen and is_url(chosen):
        return chosen
    path = Path(chosen) if chosen else (Path(out).parent / DEFAULT_NAME if out is not None else Path(DEFAULT_NAME))
    if out is not None and is_inside(path, Path(out)):
        raise StoreError(f"{path}: the run store cannot be inside the output folder {out}, which each run "
                         f"replaces whole; keep it beside the folder, e.g. {Path(out).parent / DEFAULT_NAME}")
    return path


@contextmanager
def run_store(settings: Settings, out: Path, record: bool = True,
              inputs: Iterable[Path | str] = ()) -> Iterator[Store | None]:
    """The store `talent run` records into (created on first use), open for the block; None when not `record`.

    A store file this call created is removed again when the block fails: a failed run leaves no file. A store
    path that is one of the run's `inputs` (the data, planning or config file) is refused before it is opened."""
    if not record:
        yield None
        return
    location = store_location(settings, out)
    if not is_url(location) and any(resolved(Path(location)) == resolved(Path(p)) for p in inputs):
        raise StoreError(f"{location}: is an input file of this run; refusing to record the run store into it. "
                         f"Fix: give --store a DuckDB file of its own, e.g. {Path(out).parent / DEFAULT_NAME}")
    new_file = Path(location) if not is_url(location) and not Path(location).exists() else None
    store = open_store(location, create=True)
    try:
        yield store
    except BaseException:
        store.close()
        if new_file is not None:  # a failed first run leaves no store behind
            for leftover in (new_file, new_file.with_name(new_file.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise
    store.close()
