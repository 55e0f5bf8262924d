"""Every backend (serial, local process pool, Dask LocalCluster) gives identical output;
progress is reported only through the caller's callback."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import forecasts as F


def _panel(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows = []
    for s in range(n):
        y = np.abs(50 + np.cumsum(rng.normal(1, 5, 18)))
        rows += [{"role": f"s{s:03d}", "year": 2000 + t, "value": y[t]} for t in range(18)]
    return pd.DataFrame(rows)


def _run(**kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        return F.forecast(_panel(), "auto", h=4, id_cols=("role",), **kw)  # type: ignore[arg-type]


def test_process_pool_matches_serial() -> None:
    pd.testing.assert_frame_equal(_run(n_jobs=1), _run(n_jobs=2))


def test_progress_callback_reaches_total() -> None:
    seen: list[tuple[int, int]] = []
    _run(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (40, 40)


def test_sample_paths_reports_progress_too() -> None:
    seen: list[tuple[int, int]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        F.sample_paths(_panel(), "naive", h=2, n_paths=3, id_cols=("role",),
                       progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (40, 40)


def test_backtest_progress_counts_every_model_and_window_once() -> None:
    seen: list[tuple[int, int]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", F.ForecastWarning)
        F.backtest(_panel(), ["naive", "drift"], h=3, n_windows=2, id_cols=("role",),
                   progress=lambda done, total: seen.append((done, total)))
    total = 2 * 2 * 40
    assert {t for _, t in seen} == {total}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == total


@pytest.mark.parametrize("bad", [True, False, "yes"])
def test_progress_must_be_a_callable_or_none(bad: object) -> None:
    with pytest.raises(F.ForecastError, match="progress must be None or a callable"):
        _run(progress=bad)
    with pytest.raises(F.ForecastError, match="progress must be None or a callable"):
        F.backtest(_panel(), "naive", h=2, id_cols=("role",), progress=bad)  # type: ignore[arg-type]


_MANY_SERIES = """
import warnings
import numpy as np, pandas as pd
import forecasts as F
warnings.simplefilter("ignore")
n, years = 2500, 8
df = pd.DataFrame({"role": np.repeat([f"s{i}" for i in range(n)], years),
                   "year": np.tile(np.arange(2010, 2010 + years), n),
                   "value": np.tile(np.linspace(100.0, 170.0, years), n)})
F.forecast(df, "naive", h=2, id_cols=("role",))
"""


def test_no_progress_bar_without_a_callback_even_on_a_terminal() -> None:
    """progress=None reports nothing, even with many series and a terminal on stderr."""
    master, replica = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-c", _MANY_SERIES], stdin=subprocess.DEVNULL,
                              stdout=replica, stderr=replica, timeout=300, check=False)
    finally:
        os.close(replica)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the terminal is closed and drained
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.returncode == 0, out.decode(errors="replace")
    assert out == b""


@pytest.mark.slow
def test_dask_local_cluster_matches_serial() -> None:
    pd.testing.assert_frame_equal(_run(n_jobs=1), _run(n_jobs=2, scheduler="local"))


def test_unreachable_scheduler_is_a_forecast_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("forecasts.parallel.CONNECT_TIMEOUT", "1s")
    with pytest.raises(F.ForecastError, match="cannot connect"):
        _run(scheduler="tcp://127.0.0.1:9")


def test_a_scheduler_that_is_not_an_address_is_a_forecast_error() -> None:
    """Not an address at all (dask raises ValueError): the same named error, with the forms that work."""
    with pytest.raises(F.ForecastError, match=r"cannot connect to Dask scheduler 'bogus': .*give 'local' or an "
                                              r"address such as tcp://host:8786"):
        _run(scheduler="bogus")
