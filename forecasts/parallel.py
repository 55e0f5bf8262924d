"""Run chunks of series serially, on a local process pool, or on a Dask cluster.

No home-made scheduler: ``concurrent.futures.ProcessPoolExecutor`` (``fork`` start
method where available, so scripts without a ``__main__`` guard work; ``spawn``
elsewhere) or ``dask.distributed``.
Results are reassembled in submission order, so every backend returns the same list.
Progress is reported only through the caller's ``(done, total)`` callback: the engine
draws nothing itself.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, TypeVar

from forecasts.errors import ForecastError

T = TypeVar("T")
CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler before giving up

#: The progress contract of the verbs: called with (series done, series in total).
ProgressCallback = Callable[[int, int], None]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the enclosed per-series work with BLAS/OpenMP limited to one thread.

    The fits are tiny (statsmodels' optimisers, small least squares): BLAS threads only
    add synchronisation, and on a busy machine they spin against each other (a
    statsmodels ETS fit took 5x longer). Uses threadpoolctl when it is installed;
    without it the work runs unchanged.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        yield
        return
    with threadpool_limits(limits=1):
        yield


def make_chunks(items: Sequence[T], n_jobs: int, target: int = 64) -> list[list[T]]:
    """Split ``items`` into chunks: about ``target`` items, at least 4 chunks per job."""
    if not items:
        return []
    size = max(1, min(target, -(-len(items) // max(4 * n_jobs, 1))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def run_chunks(
    func: Callable[..., list[T]],
    chunks: list[Any],
    args: tuple[Any, ...],
    *,
    n_jobs: int = 1,
    scheduler: str | None = None,
    progress: ProgressCallback | None = None,
    sizes: Sequence[int] | None = None,
) -> list[T]:
    """Apply ``func(chunk, *args)`` to every chunk and concatenate results in order.

    ``progress(done, total)`` is called after each chunk with the number of items done
    so far (``sizes`` per chunk, default their lengths) and the total; None reports nothing.
    """
    sizes = list(sizes) if sizes is not None else [len(c) for c in chunks]
    total = sum(sizes)
    tick = progress or (lambda done, total: None)
    out: list[list[T] | None] = [None] * len(chunks)
    done = 0
    if scheduler:
        out = _run_dask(func, chunks, args, scheduler, n_jobs, sizes, tick, total)
    elif n_jobs == 1 or len(chunks) <= 1:
        for i, chunk in enumerate(chunks):
            out[i] = func(chunk, *args)
            done += sizes[i]
            tick(done, total)
    else:
        workers = min(n_jobs if n_jobs > 0 else (os.cpu_count() or 1), len(chunks))
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        ctx = mp.get_context(method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(func, chunk, *args): i for i, chunk in enumerate(chunks)}
            for fut in as_completed(futures):
                i = futures[fut]
                out[i] = fut.result()
                done += sizes[i]
                tick(done, total)
    return [r for part in out if part is not None for r in part]


def _run_dask(
    func: Callable[..., list[T]],
    chunks: list[Any],
    args: tuple[Any, ...],
    scheduler: str,
    n_jobs: int,
    sizes: list[int],
    tick: ProgressCallback,
    total: int,
) -> list[list[T] | None]:
    """Submit chunks to a Dask cluster: ``"local"`` starts a LocalCluster, else an address."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise ForecastError("scheduler given but dask.distributed is not installed") from exc
    cluster = None
    try:
        if scheduler == "local":
            workers = n_jobs if n_jobs > 0 else (os.cpu_count() or 1)
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as exc:  # unreachable, or not an address ('bogus': ValueError)
        raise ForecastError(f"cannot connect to Dask scheduler {scheduler!r}: {exc}; give 'local' or an "
                            "address such as tcp://host:8786") from exc
    out: list[list[T] | None] = [None] * len(chunks)
    try:
        arg_futures = [client.scatter(a, broadcast=True) for a in args]
        futures = [client.submit(func, chunk, *arg_futures, pure=False) for chunk in chunks]
        index = {f.key: i for i, f in enumerate(futures)}
        done = 0
        for fut in dask_completed(futures):
            i = index[fut.key]
            out[i] = fut.result()
            done += sizes[i]
            tick(done, total)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return out
