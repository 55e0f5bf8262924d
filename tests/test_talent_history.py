"""`talent history` end to end (issue 16): two runs of the default data, history cut at 2022 and to 2024,
recorded by `talent run` into the default store; the diff's data and model parts add up; the score of the
2022 vintage equals the backtest at the same origin; the report's revision and past-forecast sections;
the commands' errors."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from talent import engines
from talent.config import ForecastSettings, Settings
from talent.gaps.tables import gap_tables
from talent.io.series import load_series
from talent.paths import default_series_path
from talent.run import report_tables
from talent.store import history_diff, history_score, history_show, open_store
from talent.store.record import record_run
from tests.conftest import ASSETS, CliResult

Cli = Callable[..., CliResult]
KEYS = ["region", "role", "level", "kind"]


@dataclass(frozen=True)
class TwoRuns:
    """A folder holding the 2022 data file, both runs' output folders and the store they recorded into."""

    folder: Path
    first_stdout: str
    second_stdout: str

    @property
    def store(self) -> Path:
        return self.folder / "talent-runs.duckdb"


def cut_file(folder: Path, last_year: int = 2022) -> Path:
    """The embedded default data with the years after `last_year` removed (its comment lines kept)."""
    lines = (ASSETS / "cn_national.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.startswith("#") or "," not in line or line.startswith("region")
            or int(line.split(",")[4]) <= last_year]
    path = folder / f"cn_{last_year}.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> TwoRuns:
    """`talent run` on the data to 2022, then on the default data (to 2024): both record into the default
    store beside their output folders."""
    from talent.cli import app

    folder = tmp_path_factory.mktemp("history")
    data = cut_file(folder)
    first = CliRunner().invoke(app, ["run", "--data", str(data), "--out", str(folder / "out2022"), "--paths", "200",
                                     "--no-explain"])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(app, ["run", "--out", str(folder / "out2024"), "--paths", "200", "--no-explain"])
    assert second.exit_code == 0, second.output
    return TwoRuns(folder, first.stdout, second.stdout)


@pytest.mark.slow
def test_runs_are_recorded_in_the_store_beside_the_output_folder(two_runs: TwoRuns, cli: Cli) -> None:
    assert f"Recorded as run 1 in the run store {two_runs.store}" in two_runs.first_stdout.replace("\n", "")
    assert "Revisions since" not in two_runs.first_stdout
    r = cli("history", "list", "--store", str(two_runs.store))
    assert r.code == 0, r.err
    listed = pd.DataFrame(history_show(two_runs.store, 2).manifest["inputs"].items())
    assert len(listed) == 3
    runs = open_store(two_runs.store)
    with runs:
        from talent.store import history_list

        table = history_list(runs)
    assert table[["run", "data", "history"]].to_dict("records") == [
        {"run": 1, "data": "cn_2022.csv", "history": "2015–2022"},
        {"run": 2, "data": "cn_national.csv", "history": "2015–2024"}]


@pytest.mark.slow
def test_diff_splits_the_2030_gap_change_into_data_and_model_parts_that_add_up(two_runs: TwoRuns, cli: Cli) -> None:
    rev = history_diff(two_runs.store, 1, 2)
    t = rev.table
    assert (t["data"] + t["model"] == t["change"]).all()
    h = rev.headline()
    assert h is not None and (h["region"], int(h["year"])) == ("CN", 2030)
    stock1, stock2 = history_show(two_runs.store, 1).stock, history_show(two_runs.store, 2).stock
    total = "region == 'CN' and role == 'all' and level == 'all' and year == 2030"
    old, new = stock1.query(total)["gap"].iloc[0], stock2.query(total)["gap"].iloc[0]
    assert (h["old"], h["new"], h["change"]) == (old, new, new - old) and h["data"] + h["model"] == new - old
    # the counterfactual: the 2022 data forecast with run 2's settings reproduces run 1 (same settings, same code)
    assert h["model"] == 0 and h["data"] == new - old
    r = cli("history", "diff", "1", "2", "--store", str(two_runs.store), "--out", str(two_runs.folder / "rev.csv"))
    assert r.code == 0, r.err
    change = int(new - old)
    assert (f"CN 2030 gap: {old:,.0f} → {new:,.0f} persons, change {change:+,} = data {change:+,} + model +0"
            in r.out.replace("\n", ""))
    assert "changed: history: 2015–2022 → 2015–2024" in r.out
    written = pd.read_csv(two_runs.folder / "rev.csv")
    assert len(written) == len(t) and (written["data"] + written["model"] == written["change"]).all()


def test_diff_separates_a_change_of_settings_from_a_change_of_data(tmp_path: Path) -> None:
    """Run B changes both the data and the seed: the model part is the seed's effect on the old data."""
    full = load_series()
    cut = full[full["year"] <= 2022].reset_index(drop=True)
    a, b = Settings(forecast=ForecastSettings(paths=50)), Settings(forecast=ForecastSettings(paths=50, seed=5))
    with open_store(tmp_path / "runs.duckdb", create=True) as store:
        for series, settings in ((cut, a), (full, b)):
            gap = gap_tables(series, settings, inputs=[default_series_path()])
            manifest = gap.manifest | {"plan": {"status": "skipped"}}
            record_run(store, store.reserve(), series, report_tables(gap, None), manifest, settings,
                       default_series_path())
        rev = history_diff(store, 1, 2)
    t = rev.table
    assert (t["data"] + t["model"] == t["change"]).all()
    assert (t["model"] != 0).any() and (t["data"] != 0).any()
    assert "forecast.seed: 0 → 5" in rev.changes
    # the model part is exactly what the new settings do to the old data
    cf = gap_tables(cut, b).stock.query("role == 'all' and level == 'all' and year == 2030")["gap"].iloc[0]
    h = rev.headline()
    assert h is not None and h["model"] == cf - h["old"] and h["data"] == h["new"] - cf


def _scores(frame: pd.DataFrame) -> dict[str, float]:
    cols = [c for c in frame.columns if c in ("smape", "mase") or c.startswith(("coverage_", "msis_"))]
    return {c: float(frame[c].iloc[0]) for c in sorted(cols)}


def test_score_of_the_2022_vintage_equals_the_backtest_at_the_same_origin(tmp_path: Path) -> None:
    """A vintage made from data to 2022 and forecast to 2024 scores exactly as `talent backtest` does at
    origin 2022 (one window, h = 2, the same inner windows, models, quantiles and seed)."""
    full = load_series()
    cut = full[full["year"] <= 2022].reset_index(drop=True)
    settings = Settings(forecast=ForecastSettings(until=2024, paths=50))
    with open_store(tmp_path / "runs.duckdb", create=True) as store:
        gap = gap_tables(cut, settings, inputs=[default_series_path()])
        record_run(store, store.reserve(), cut, report_tables(gap, None), gap.manifest | {"plan": {}}, settings,
                   default_series_path())
        mine = history_score(store, full)
    bt = engines.backtest(full, ["auto"], h=2, n_windows=1, quantiles=settings.forecast.quantiles, id_cols=KEYS,
                          inner_windows=3, seed=settings.forecast.seed)
    assert set(bt["cutoff"]) == {2022}
    assert _scores(mine) == pytest.approx(_scores(engines.score(bt)), rel=1e-12, abs=1e-12)
    assert (mine["run"].iloc[0], mine["last_year"].iloc[0], mine["years"].iloc[0], mine["series"].iloc[0]) == (
        1, 2022, "2023–2024", 24)


@pytest.mark.slow
def test_score_of_the_2030_vintage_against_2023_2024_actuals(two_runs: TwoRuns, cli: Cli) -> None:
    """The 2022 run (forecast to 2030) scored against the 2024 run's data: the engine's metrics on the
    backtest-shaped frame of its forecasts, computed here from the engine directly; direction by hand."""
    full = load_series()
    cut = full[full["year"] <= 2022].reset_index(drop=True)
    fc = engines.forecast(cut, ["auto"], quantiles=[0.05, 0.1, 0.5, 0.9, 0.95], id_cols=KEYS, until=2030)
    fc = fc.merge(full.rename(columns={"value": "actual"}), on=[*KEYS, "year"])
    scale = cut.groupby(KEYS)["value"].apply(lambda v: float(np.mean(np.abs(np.diff(v.to_numpy())))))
    bt = fc.merge(scale.rename("mase_scale").reset_index(), on=KEYS).assign(cutoff=2022, model="vintage")
    bt.attrs["id_cols"] = tuple(KEYS)
    mine = history_score(two_runs.store)
    assert list(mine["run"]) == [1]  # run 2 has no actuals after its data yet
    assert _scores(mine) == pytest.approx(_scores(engines.score(bt)), rel=1e-12, abs=1e-12)
    last = bt[bt["year"] == 2024].merge(cut[cut["year"] == 2022][[*KEYS, "value"]], on=KEYS)
    right = np.sign(last["mean"] - last["value"]) == np.sign(last["actual"] - last["value"])
    assert mine["direction_right"].iloc[0] == pytest.approx(right.mean())
    r = cli("history", "score", "--store", str(two_runs.store), "--out", str(two_runs.folder / "scores.csv"))
    assert r.code == 0, r.err
    per_series = pd.read_csv(two_runs.folder / "scores.csv")
    assert len(per_series) == 24 and set(per_series["run"]) == {1}
    actuals = cut_file(two_runs.folder, 2023)  # actuals from a file: only 2023 has arrived
    only_2023 = history_score(two_runs.store, actuals)
    assert list(only_2023["years"]) == ["2023"]


@pytest.mark.slow
def test_the_report_shows_revisions_and_past_forecasts(two_runs: TwoRuns) -> None:
    out = two_runs.folder / "out2024"
    rev = pd.read_csv(out / "tables" / "revisions.csv")
    assert set(rev["since_run"]) == {1} and (rev["data"] + rev["model"] == rev["change"]).all()
    html = (out / "report_en.html").read_text(encoding="utf-8")
    total = rev.query("region == 'CN' and role == 'all' and level == 'all' and kind == 'gap' and year == 2030")
    date = str(rev["since"].iloc[0])[:10]
    assert f"Revisions since {date} (run 1)" in html and "How past forecasts did" in html
    old, new = (f"{total[c].iloc[0] / 1e6:.2f} million persons" for c in ("old", "new"))
    assert re.search(rf"The 2030 gap of AI professionals in CN was {old} in the forecast of {date} and is "
                     rf"{new} now: a revision of [−+][\d.]+ thousand persons, of which [−+][\d.]+ thousand persons "
                     r"is due to new or revised data and 0 persons to the model, settings or software\.", html)
    assert "Revisions since run 1" in two_runs.second_stdout
    scores = pd.read_csv(out / "tables" / "past_scores.csv")
    assert list(scores["run"]) == [1] and list(scores["years"]) == ["2023–2024"]
    assert f"{scores['smape'].iloc[0]:.3f}" in html


@pytest.mark.slow
def test_the_report_sections_in_chinese(two_runs: TwoRuns, cli: Cli) -> None:
    out = two_runs.folder / "out2024"
    r = cli("report", str(out), "--lang", "zh")
    assert r.code == 0, r.err
    html = (out / "report_zh.html").read_text(encoding="utf-8")
    date = str(pd.read_csv(out / "tables" / "revisions.csv")["since"].iloc[0])[:10]
    for text in (f"自{date}（第1次运行）以来的预测修订", "CN2030年人工智能专业人才缺口在", "以往预测的表现",
                 "落入90%区间的比例", "变化方向正确的比例", "新增或修订数据"):
        assert text in html, text


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding two runs of one small series pair (recorded by the library, in a second)."""
    from tests.test_talent_bad_inputs import GOOD

    folder = tmp_path_factory.mktemp("small_store")
    (folder / "s.csv").write_text(GOOD, encoding="utf-8")
    series = load_series(folder / "s.csv")
    settings = Settings(forecast=ForecastSettings(paths=20))
    with open_store(folder / "runs.duckdb", create=True) as store:
        for cut in (2022, 2024):
            part = series[series["year"] <= cut].reset_index(drop=True)
            gap = gap_tables(part, settings, inputs=[folder / "s.csv"])
            record_run(store, store.reserve(), part, report_tables(gap, None), gap.manifest | {"plan": {}},
                       settings, folder / "s.csv")
    return folder / "runs.duckdb"


def test_history_commands_on_a_small_store(small_store: Path, cli: Cli, tmp_path: Path) -> None:
    r = cli("history", "list", "--store", str(small_store), "--out", str(tmp_path / "runs.csv"))
    assert r.code == 0 and f"Runs in {small_store}" in r.out.replace("\n", ""), r.err
    listed = pd.read_csv(tmp_path / "runs.csv")
    assert listed[["run", "data", "history", "until_year", "series", "region"]].to_dict("records") == [
        {"run": 1, "data": "s.csv", "history": "2015–2022", "until_year": 2030, "series": 2, "region": "CN"},
        {"run": 2, "data": "s.csv", "history": "2015–2024", "until_year": 2030, "series": 2, "region": "CN"}]
    r = cli("history", "show", "previous", "--store", str(small_store))
    assert r.code == 0 and r.out.startswith("Run 1, ") and "history 2015–2022, 2 series" in r.out, r.err
    r = cli("history", "diff", "--store", str(small_store))  # previous → latest
    assert r.code == 0 and r.out.startswith("Run 1 (") and "→ run 2 (" in r.out, r.err
    r = cli("history", "score", "--store", str(small_store), "--out", str(tmp_path / "scores.json"))
    assert r.code == 0 and "Past forecasts against the actuals since" in r.out, r.err
    scores = pd.DataFrame(json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))["data"])
    assert list(scores["years"]) == ["2023–2024", "2023–2024"] and list(scores["run"]) == [1, 1]


def test_history_commands_name_their_errors(small_store: Path, cli: Cli, tmp_path: Path) -> None:
    store = str(small_store)
    cases = [
        # a run the store lacks or a word that is no run exited 1, as if the store were at fault: usage errors (2)
        (("history", "show", "7", "--store", store), 2, "Error: run 7 is not in the run store; it holds runs 1, 2\n"),
        (("history", "show", "abc", "--store", store), 2,
         "Error: run 'abc': give a run number (1, 2), latest or previous\n"),
        (("history", "show", "0", "--store", store), 2, "Error: run 0 is not in the run store; it holds runs 1, 2\n"),
        (("history", "show", "--store", store, "--", "-1"), 2, "Error: run -1 is not in the run store"),
        (("history", "show", "1.5", "--store", store), 2, "Error: run '1.5': give a run number (1, 2)"),
        (("history", "show", "99999", "--store", store), 2, "Error: run 99999 is not in the run store"),
        (("history", "diff", "one", "2", "--store", store), 2,
         "Error: run 'one': give a run number (1, 2), latest or previous\n"),
        (("history", "diff", "1", "3", "--store", store), 2, "Error: run 3 is not in the run store"),
        (("history", "list", "--store", str(tmp_path / "none.duckdb")), 1,
         f"Error: {tmp_path / 'none.duckdb'}: no run store here; `talent run` records each run in "
         "talent-runs.duckdb beside its output folder (or where [store] path in talent.toml says): "
         "pass --store PATH\n"),
        (("history", "diff", "1", "2", "--store", store, "--year", "2040"), 2, "2040: not a target year of both runs"),
        (("history", "list", "--store", "postgresql://u:secret@localhost/db"), 2,
         "Error: 1 problem found:\n  - --store: a password in the URL would be written into every manifest (value: "
         "'<URL with a password>'). Fix: remove it and set PGPASSWORD or use ~/.pgpass\n"),
        (("history", "score", "--store", store, "--out", str(tmp_path / "s.txt")), 2,
         "use a .csv, .xlsx, .json or .md"),
        (("run", "--store", "x.duckdb", "--no-store"), 2, "give --store or --no-store, not both"),
    ]
    for args, code, message in cases:
        r = cli(*args)
        assert (r.code, "Traceback" in r.err) == (code, False), (args, r.err)
        assert message in r.err if code == 2 else r.err == message, (args, r.err)
    assert not (tmp_path / "none.duckdb").exists()  # reading never creates a store


def test_a_store_inside_the_output_folder_is_refused(tmp_path: Path, cli: Cli) -> None:
    inside = tmp_path / "out" / "runs.duckdb"
    r = cli("run", "--out", str(tmp_path / "out"), "--paths", "20", "--store", str(inside), "--no-explain")
    assert r.code == 1 and r.err == (f"Error: {inside}: the run store cannot be inside the output folder "
                                     f"{tmp_path / 'out'}, which each run replaces whole; keep it beside the "
                                     f"folder, e.g. {tmp_path / 'talent-runs.duckdb'}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_no_store_records_nothing(tmp_path: Path, cli: Cli) -> None:
    r = cli("run", "--data", str(cut_file(tmp_path)), "--out", str(tmp_path / "out"), "--paths", "20", "--no-store",
            "--no-explain")
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cn_2022.csv", "out"] and "Recorded" not in r.out


def test_history_out_never_overwrites_a_runs_input_or_folder(small_store: Path, cli: Cli, tmp_path: Path) -> None:
    """`history show 1 --out s.csv` wrote the stock table over the run's own data file (found by its bytes, where
    ever it moved), and `history diff --out OUT/tables/stock.csv` over a table of a run's folder; `diff --year 0`
    printed the runs before its usage error."""
    from tests.test_talent_bad_inputs import GOOD

    moved = tmp_path / "copy.csv"
    moved.write_text(GOOD, encoding="utf-8")
    store = str(small_store)
    r = cli("history", "show", "1", "--store", store, "--out", str(moved))
    assert r.code == 1 and r.err == (f"Error: {moved}: holds the same bytes as {small_store.parent / 's.csv'}, an "
                                     "input of run 1; refusing to overwrite a run's input. Fix: choose another output "
                                     "path\n"), r.err
    assert moved.read_text(encoding="utf-8") == GOOD and r.out == ""
    folder = tmp_path / "out"
    (folder / "tables").mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    for target in (folder / "tables" / "stock.csv", folder / "revisions.csv"):
        r = cli("history", "diff", "1", "2", "--store", store, "--out", str(target))
        assert r.code == 1 and f"Error: {target}: is inside the output folder {folder} of `talent run`" in r.err
        assert not target.exists()
    r = cli("history", "diff", "1", "2", "--store", store, "--year", "0")
    assert r.code == 2 and r.out == "" and "0: not a target year of both runs" in r.err, r.err


DAMAGE = [  # a run store edited or damaged outside talent: each was an internal error (exit 70)
    ("update runs set manifest = 'garbage' where id = 2", "run 2 is damaged: the stored manifest is not JSON"),
    ("update runs set manifest = '[]' where id = 2", "run 2 is damaged: the stored manifest is not a JSON object "
                                                     "(value: [])"),
    ("""update runs set manifest = '{"inputs": [1, 2]}' where id = 2""",
     "run 2 is damaged: its manifest's inputs is not an object (value: [1, 2])"),
    ("""update runs set settings = '{"forecast": {"paths": "x"}}' where id = 2""",
     "run 2 is damaged: its settings hold forecast.paths: not of the setting's type, int (value: 'x')"),
    ("delete from series where run_id = 2", "run 2 is damaged: it holds no input series"),
]


@pytest.mark.parametrize(("sql", "message"), DAMAGE, ids=[m.partition("damaged: ")[2][:30] for _, m in DAMAGE])
def test_a_damaged_run_in_the_store_is_named(sql: str, message: str, small_store: Path, cli: Cli,
                                             tmp_path: Path) -> None:
    import duckdb

    store = tmp_path / "runs.duckdb"
    shutil.copy(small_store, store)
    with duckdb.connect(str(store)) as conn:
        conn.execute(sql)
    for args in (("show", "2"), ("diff", "1", "2"), ("score",)):
        r = cli("history", *args, "--store", str(store))
        assert r.code == 1 and f"Error: {store}: {message}" in r.err, (args, r.err)
        assert "Fix: restore the run store from a copy, or use the other runs (talent history list)" in r.err
    r = cli("history", "show", "1", "--store", str(store))
    assert r.code == 0, r.err


def test_a_run_leaves_a_damaged_earlier_run_out(small_store: Path, tmp_path: Path) -> None:
    """A damaged earlier run does not stop a new run: it is left out of the revisions, with a warning."""
    import duckdb

    from talent.errors import TalentWarning
    from talent.store.recording import history_tables

    store = tmp_path / "runs.duckdb"
    shutil.copy(small_store, store)
    with duckdb.connect(str(store)) as conn:
        conn.execute("update runs set manifest = 'garbage' where id = 2")
    series = load_series(small_store.parent / "s.csv")
    settings = Settings(forecast=ForecastSettings(paths=20))
    stock = gap_tables(series, settings).stock
    with open_store(store) as s, pytest.warns(TalentWarning, match=r"run 2 is damaged: the stored manifest is not "
                                               r"JSON .*; it is left out of this run's revisions and past scores"):
        tables = history_tables(s, series, stock, settings)
    assert set(tables["revisions"]["since_run"]) == {1}


def test_odd_store_urls_are_named(small_store: Path, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                  ) -> None:
    """A port that is no number was an internal error (ValueError); duckdb:// (a database in memory) said 'Table
    with name runs does not exist'; duckdb:///tmp/x.duckdb (tmp/x.duckdb in the working folder) did not say which
    file it looked for."""
    monkeypatch.chdir(tmp_path)
    cases = [("postgresql://u@[::1/db", "Error: postgresql://u@[::1/db: not a database URL; write "
                                        "postgresql://USER@HOST/DATABASE or a DuckDB file path\n"),
             ("postgresql://u@h:abc/db", "Error: postgresql://u@h:abc/db: not a database URL"),
             ("duckdb://", "Error: duckdb://: names no file, so the run store would be held in memory and lost; "
                           "write duckdb:///PATH (four slashes for an absolute path), e.g. "
                           "duckdb:///talent-runs.duckdb, or a file path\n"),
             ("duckdb:///:memory:", "Error: duckdb:///:memory:: names no file"),
             (f"duckdb://{small_store}", f"Error: duckdb://{small_store} (the file {str(small_store)[1:]}; an "
                                         f"absolute path takes four slashes: duckdb:///{small_store}): no run store "
                                         "here")]
    for url, message in cases:
        r = cli("history", "list", "--store", url)
        assert r.code == 1 and message in r.err and "internal error" not in r.err, (url, r.err)
    r = cli("history", "list", "--store", f"duckdb:///{small_store}")
    assert r.code == 0, r.err
    assert list(tmp_path.iterdir()) == []


def test_a_store_on_a_read_only_file_system_is_read(small_store: Path, monkeypatch: pytest.MonkeyPatch,
                                                    cli: Cli) -> None:
    """`talent history` on a store on a read-only share said 'cannot open the run store: … Read-only file system.
    Fix: give a DuckDB file you can write to': reading needs no write lock, so the store is opened read-only."""
    from talent.store import db
    from talent.store.migrate import StoreError

    opened = db._opened
    modes: list[bool] = []

    def on_a_read_only_share(url: object, location: str | Path, where: str, read_only: bool = False) -> db.Store:
        modes.append(read_only)
        if not read_only:  # what DuckDB says when the file system is mounted read-only
            raise StoreError(f'{where}: cannot open the run store: IO Error: Cannot open file "{location}": '
                             "Read-only file system")
        return opened(url, location, where, read_only=True)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "_opened", on_a_read_only_share)
    r = cli("history", "list", "--store", str(small_store))
    assert r.code == 0 and "Runs in" in r.out and modes == [False, True], r.err
    r = cli("run", "--store", str(small_store), "--out", str(small_store.parent / "never"), "--paths", "20")
    assert r.code == 1 and "Read-only file system" in r.err and not (small_store.parent / "never").exists()
