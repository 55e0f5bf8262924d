"""The run store against both backends: DuckDB (a file) and PostgreSQL (a real server, `TALENT_TEST_PG_URL`).

Schema and migrations, a vintage read back exactly, transactional writes (a raising or killed run leaves
no partial vintage), revisions that add up. `.ci/run` starts PostgreSQL and sets `TALENT_TEST_PG_URL`; on
a machine without it the PostgreSQL cases skip, saying so (in CI, where `CI` is set, they fail instead).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from talent.config import ForecastSettings, Settings
from talent.gaps.tables import GapTables, gap_tables
from talent.io.series import load_series
from talent.paths import default_series_path
from talent.run import report_tables
from talent.store import SCHEMA_VERSION, StoreError, history_diff, history_list, history_show, open_store
from talent.store import record as record_module
from talent.store.migrate import migrate, schema_version, series_key
from talent.store.record import point_forecasts, record_run, stock_rows
from talent.store.schema import TABLES
from tests.conftest import ROOT

PG_ENV = "TALENT_TEST_PG_URL"
SETTINGS = Settings(forecast=ForecastSettings(paths=100))


def _pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    reason = (f"PostgreSQL store tests need {PG_ENV} (a postgresql:// URL of a database the tests may create "
              "schemas in); .ci/run starts a server and sets it")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, but it is not set in CI")
    pytest.skip(reason)


@pytest.fixture(params=["duckdb", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store: a DuckDB file, or a schema of its own in the test PostgreSQL database."""
    if request.param == "duckdb":
        yield str(tmp_path / "runs.duckdb")
        return
    base = make_url(_pg_url()).set(drivername="postgresql+psycopg")
    schema = f"talent_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@dataclass(frozen=True)
class Run:
    """A run's inputs and outputs, ready to record: data to 2022 or to 2024."""

    series: pd.DataFrame
    gap: GapTables
    manifest: dict[str, object]


def _run(series: pd.DataFrame, sha: str) -> Run:
    gap = gap_tables(series, SETTINGS, inputs=[default_series_path()])
    manifest = gap.manifest | {"inputs": {str(default_series_path()): sha}, "plan": {"status": "skipped"}}
    return Run(series, gap, manifest)


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    """The default data cut at 2022, and whole (to 2024)."""
    full = load_series()
    cut = full[full["year"] <= 2022].reset_index(drop=True)
    return {"2022": _run(cut, "a" * 64), "2024": _run(full, "b" * 64)}


def _record(store_location: str, run: Run) -> int:
    with open_store(store_location, create=True) as store:
        return record_run(store, store.reserve(), run.series, report_tables(run.gap, None), run.manifest,
                          SETTINGS, default_series_path())


def _counts(store_location: str) -> dict[str, int]:
    with open_store(store_location) as store, store.read() as conn:
        return {name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for name, t in TABLES.items()}


def test_a_new_store_is_created_at_the_current_schema_version(location: str) -> None:
    with open_store(location, create=True) as store:
        assert store.migrated == list(range(1, SCHEMA_VERSION + 1))
        with store.read() as conn:
            assert schema_version(conn) == SCHEMA_VERSION
            found = conn.execute(text("SELECT table_name, column_name FROM information_schema.columns "
                                      "WHERE table_schema = current_schema()")).all()
    columns: dict[str, set[str]] = {}
    for table, column in found:
        columns.setdefault(str(table), set()).add(str(column))
    declared = {name: {c.name for c in t.columns} for name, t in TABLES.items()}
    assert {k: v for k, v in columns.items() if k in declared} == declared
    with open_store(location) as again:  # opening again migrates nothing
        assert again.migrated == []


def test_a_recorded_run_reads_back_as_it_was(location: str, runs: dict[str, Run]) -> None:
    run = runs["2024"]
    number = _record(location, run)
    v = history_show(location, number)
    assert (v.run, v.created, v.history, v.settings) == (number, run.manifest["created"], (2015, 2024), SETTINGS)
    assert v.manifest == {**run.manifest, "settings": v.manifest["settings"]}
    pd.testing.assert_frame_equal(v.series, run.series[v.series.columns], check_dtype=False)
    pd.testing.assert_frame_equal(v.stock, run.gap.stock, check_dtype=False)
    pd.testing.assert_frame_equal(v.tables["flow"], run.gap.flow, check_dtype=False)
    pd.testing.assert_frame_equal(v.tables["models"], run.gap.models, check_dtype=False)
    expected = point_forecasts(run.series, SETTINGS)[list(v.forecasts.columns)]
    pd.testing.assert_frame_equal(v.forecasts, expected, check_dtype=False)
    models = v.forecasts.groupby(["region", "role", "level", "kind"])["model"].first().reset_index()
    assert models.merge(run.gap.models, on=["region", "role", "level", "kind"]).eval("model_x == model_y").all()
    listed = history_list(location)
    assert listed[["run", "history", "until_year", "series", "region"]].to_dict("records") == [
        {"run": number, "history": "2015–2024", "until_year": 2030, "series": 24, "region": "CN"}]
    assert listed["gap"].iloc[0] == run.gap.stock.query("role == 'all' and level == 'all' and year == 2030")[
        "gap"].iloc[0]


def test_a_failed_write_leaves_no_partial_vintage(location: str, runs: dict[str, Run],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _record(location, runs["2022"])
    before = _counts(location)
    real = record_module.insert_frame

    def failing(conn: object, table: object, frame: pd.DataFrame) -> None:
        if getattr(table, "name", "") == "stock":  # runs, inputs, series and forecasts are written by now
            raise RuntimeError("disk on fire")
        real(conn, table, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(record_module, "insert_frame", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        _record(location, runs["2024"])
    assert _counts(location) == before
    monkeypatch.setattr(record_module, "insert_frame", real)
    assert _record(location, runs["2024"]) == 3  # the failed run's number is skipped, never reused
    assert list(history_list(location)["run"]) == [1, 3]


KILLER = """
import os, sys, time
from pathlib import Path
import pandas as pd
from talent.config import ForecastSettings, Settings
from talent.gaps.tables import gap_tables
from talent.paths import default_series_path
from talent.run import report_tables
from talent.store import open_store
from talent.store import record
location, marker = sys.argv[1], Path(sys.argv[2])
real = record.insert_frame
def stalling(conn, table, frame):
    real(conn, table, frame)
    if table.name == "forecasts":  # part of the vintage is written: announce it, then wait to be killed
        marker.write_text("mid-write")
        time.sleep(120)
record.insert_frame = stalling
years = range(2015, 2025)
series = pd.DataFrame([("CN", "machine_learning", "expert", kind, y, base + 50 * i + (i % 3) * 7)
                       for kind, base in (("demand", 1000), ("supply", 400)) for i, y in enumerate(years)],
                      columns=["region", "role", "level", "kind", "year", "value"])
settings = Settings(forecast=ForecastSettings(paths=20))
gap = gap_tables(series, settings, inputs=[default_series_path()])
manifest = gap.manifest | {"plan": {"status": "skipped"}}
with open_store(location, create=True) as store:
    record.record_run(store, store.reserve(), series, report_tables(gap, None), manifest, settings,
                      default_series_path())
"""


def test_killing_a_run_mid_write_leaves_no_partial_vintage(location: str, runs: dict[str, Run],
                                                           tmp_path: Path) -> None:
    _record(location, runs["2022"])
    before = _counts(location)
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", KILLER, location, str(marker)], cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.2)  # PostgreSQL notices the dropped connection and rolls its transaction back
    assert _counts(location) == before
    assert list(history_list(location)["run"]) == [1]


def _v1_store_with_one_run(location: str, run: Run) -> None:
    """A store as talent wrote it at schema version 1 (no runs.series_key), holding one run."""
    with open_store(location, create=True) as store:  # the current schema, to borrow its engine
        engine = store.engine
        with engine.begin() as conn:
            for name in [*TABLES, "talent_schema"]:
                conn.execute(text(f"DROP TABLE {name}"))
            conn.execute(text("DROP SEQUENCE talent_run_id"))
            assert migrate(conn, location, target=1) == [1]
            rows = {"runs": pd.DataFrame([record_module.run_row(1, run.series, run.gap.stock, run.manifest,
                                                                SETTINGS, default_series_path())]).drop(
                columns="series_key"), "series": run.series[["region", "role", "level", "kind", "year", "value"]],
                "stock": stock_rows(run.gap.stock)}
            record_module.write_rows(conn, 1, rows)
            conn.execute(text("SELECT nextval('talent_run_id')"))


def test_an_old_store_is_migrated_and_keeps_its_runs(location: str, runs: dict[str, Run]) -> None:
    run = runs["2022"]
    _v1_store_with_one_run(location, run)
    with open_store(location) as store:
        assert store.migrated == [2]
        with store.read() as conn:
            key = conn.execute(select(TABLES["runs"].c.series_key)).scalar_one()
            applied = conn.execute(text("SELECT version, description FROM talent_schema ORDER BY version")).all()
    assert key == series_key(run.series[["region", "role", "level", "kind"]].itertuples(index=False, name=None))
    assert [v for v, _ in applied] == [1, 2] and applied[1][1].startswith("runs.series_key")
    assert _record(location, runs["2024"]) == 2
    assert history_diff(location, 1, 2).headline() is not None  # the migrated run is found and compared


def test_a_store_from_a_newer_talent_is_refused(location: str) -> None:
    with open_store(location, create=True) as store, store.write() as conn:
        conn.execute(text("INSERT INTO talent_schema (version, applied, description) "
                          "VALUES (99, '2031-01-01T00:00:00Z', 'from the future')"))
    with pytest.raises(StoreError) as info:
        open_store(location)
    assert str(info.value).endswith(f": the run store has schema version 99, newer than this talent knows "
                                    f"({SCHEMA_VERSION}); upgrade talent to read it")


def test_revisions_add_up_on_both_backends(location: str, runs: dict[str, Run]) -> None:
    _record(location, runs["2022"])
    _record(location, runs["2024"])
    rev = history_diff(location, 1, 2)
    t = rev.table
    assert len(t) and (t["data"] + t["model"] == t["change"]).all()
    assert set(t["year"]) == set(range(2023, 2031)) and set(t["kind"]) == {"demand", "supply", "gap"}
    h = rev.headline()
    assert h is not None and (h["region"], h["year"], h["kind"]) == ("CN", 2030, "gap")
    old = runs["2022"].gap.stock.query("role == 'all' and level == 'all' and year == 2030")["gap"].iloc[0]
    new = runs["2024"].gap.stock.query("role == 'all' and level == 'all' and year == 2030")["gap"].iloc[0]
    assert (h["old"], h["new"], h["change"]) == (old, new, new - old)
    assert h["model"] == 0 and h["data"] == new - old  # same settings and software: all of it is the data
    assert rev.changes == [f"data: {default_series_path()} (aaaaaaaaaaaa) → {default_series_path()} (bbbbbbbbbbbb)",
                           "history: 2015–2022 → 2015–2024"]


def test_bad_locations_are_named(tmp_path: Path) -> None:
    cases = {
        str(tmp_path / "none.duckdb"): f"{tmp_path / 'none.duckdb'}: no run store here; `talent run` records each "
        "run in talent-runs.duckdb beside its output folder (or where [store] path in talent.toml says): pass "
        "--store PATH",
        "mysql://u@h/db": "mysql://u@h/db: unsupported database 'mysql'; use a DuckDB file path or "
        "postgresql://USER@HOST/DATABASE",
        str(tmp_path): f"{tmp_path}: is a folder; give the run store a file name, e.g. "
        f"{tmp_path / 'talent-runs.duckdb'}",
    }
    for where, message in cases.items():
        with pytest.raises(StoreError) as info:
            open_store(where)
        assert str(info.value) == message
    text_file = tmp_path / "notes.duckdb"
    text_file.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        open_store(text_file)
    assert str(info.value) == f"{text_file}: not a DuckDB run store; give another path with --store"


def test_a_database_of_another_program_is_refused_and_left_as_it_is(location: str) -> None:
    from talent.store.db import _url
    from talent.store.migrate import _tables

    url, _ = _url(location)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE runs (x INTEGER)"))
        conn.execute(text("INSERT INTO runs VALUES (7)"))
    try:
        with pytest.raises(StoreError) as info:
            open_store(location, create=True)
        assert str(info.value).endswith(": not a talent run store (it holds other tables: runs) and is left as it "
                                        "is; give a new file or another database with --store")
        with engine.connect() as conn:
            assert _tables(conn) == ["runs"]
            assert conn.execute(text("SELECT x FROM runs")).scalars().all() == [7]
    finally:
        engine.dispose()


def test_a_duckdb_file_with_any_table_is_not_made_a_store_but_a_shared_database_schema_may_be(location: str) -> None:
    from talent.store.db import _url

    url, _ = _url(location)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE sales (x INTEGER)"))
    engine.dispose()
    if location.startswith("postgresql"):  # a schema other programs share: the store's tables go beside theirs
        with open_store(location, create=True) as store:
            assert store.migrated == list(range(1, SCHEMA_VERSION + 1))
        return
    with pytest.raises(StoreError) as info:
        open_store(location, create=True)
    assert "not a talent run store (it holds other tables: sales)" in str(info.value)


def test_a_store_file_cut_short_is_named_as_damaged(tmp_path: Path, runs: dict[str, Run]) -> None:
    whole = tmp_path / "whole.duckdb"
    _record(str(whole), runs["2022"])
    cut = tmp_path / "cut.duckdb"
    cut.write_bytes(whole.read_bytes()[:5000])
    with pytest.raises(StoreError) as info:
        open_store(cut)
    assert str(info.value).startswith(f"{cut}: the run store file is damaged or cut short (")
    assert str(info.value).endswith("); restore it from a copy, or give another path with --store")


@pytest.mark.parametrize(("location", "reason"), [
    ("postgresql://talent@127.0.0.1:1/runs", "cannot open the run store: connection failed"),
    ("postgresql://talent@host.invalid/runs", "cannot open the run store: failed to resolve host"),
])
def test_a_database_server_that_cannot_be_reached_is_named_with_the_fix(location: str, reason: str) -> None:
    with pytest.raises(StoreError) as info:
        open_store(location)
    message = str(info.value)
    assert message.startswith(f"{location}: {reason}")
    assert message.endswith(". Fix: check the host, port, user and database in the URL and that the PostgreSQL "
                            "server runs and lets that user in, or give a DuckDB file with --store talent-runs.duckdb")


def test_a_store_path_that_cannot_be_written_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store("/dev/null", create=True)
    assert str(info.value) == ("/dev/null: not a regular file (a device, pipe or socket); give the run store a "
                               "file name, e.g. talent-runs.duckdb")  # a device: named before DuckDB opens it
