"""Hostile options, planning files and output folders, table-driven (the harness of
`tests/test_talent_bad_inputs.py`).

Each case was accepted silently, misread, or answered with a message that named
the wrong option or key before its fix. Every case asserts the exit code, no
traceback, the key parts of the message (option or file, key, value, fix), the
inputs unchanged and, for a failure, no file written.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, _snapshot, run_case
from tests.test_talent_hostile_inputs import PLANNING, _plan_case, _planning

CASES = [
    # forecast --until 2101 (up to 2124: within 100 years of 2024) forecast past 2100, the last year `run`, `gap` and
    # `plan` accept; --until 2150 (126 years ahead) stays refused by the 100-year limit
    Case("forecast-until-2120", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2120 --out {d}/f.csv", 2,
         ("Error: --until 2120: the forecast would reach 2120 from the last observed year 2024, past 2100, the last "
          "year a forecast may reach. Fix: use --until 2100 or earlier",)),
    Case("forecast-until-2101", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2101", 2, ("Error: --until 2101: ",)),
    Case("forecast-until-2150", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2150", 1,
         ("forecasting up to 2150 from the last observed year 2024 is 126 years ahead, above the limit of 100 years",
          "Fix: forecast at most 100 years ahead")),
    # --horizon 90 from 2024 forecast up to 2114, silently
    Case("forecast-horizon-past-2100", {"s.csv": GOOD}, "forecast {d}/s.csv --horizon 90 --out {d}/f.csv", 2,
         ("Error: --horizon 90: the forecast would reach 2114 from the last observed year 2024, past 2100, the last "
          "year a forecast may reach. Fix: use --horizon 76 or less, or --until 2100",)),
    # gap --year 2200 was reported as '--until: must be less than or equal to 2100', an option not given
    Case("gap-year-2200", {"s.csv": GOOD}, "gap {d}/s.csv --year 2200", 2,
         ("Invalid value for '--year': 2200: give a calendar year from 1950 to 2100, e.g. 2030",)),
]

BUDGET = "[budget]\nbase = 10000.0\ngrowth = 0.10"
MIX = PLANNING[PLANNING.index("[track_mix]"):PLANNING.index("# Tiers:")]
CASES += [
    # an empty [budget] was read as no budget: the plan's public money was unlimited, silently
    _plan_case("budget-empty", _planning(BUDGET, "[budget]"), 1,
               ("{d}/p.toml, key budget: the table is empty, so the plan would have no budget limit at all. Fix: "
                "give the budget for additional seats: base (and growth)", "remove [budget] only to plan without")),
    # a year written into [budget] got 'unknown key' with the allowed keys only
    _plan_case("budget-year-key", _planning(BUDGET, "[budget]\n2025 = 100.0"), 1,
               ("{d}/p.toml, key budget.2025: unknown key (value: 100.0). Fix: give yearly values in budget.years, "
                "e.g. years = {{ 2025 = 100.0 }}; a budget without base must give every plan year",)),
    # an empty [track_mix] gave every role track the tier's whole baseline intake: 'infeasible' for faculty
    _plan_case("track-mix-empty", _planning(MIX, "[track_mix]\n\n"), 1,
               ("{d}/p.toml, key track_mix: no share for the role track(s) machine_learning, ai_chips, "
                "computer_vision, decision_systems, robotics, other of the tier(s) applied, expert: each would take "
                "the tier's whole baseline intake (existing_intake), not its share. Fix: give every role's share",)),
    # a role left out of a [track_mix] that still sums to 1: that track took the whole baseline, silently
    _plan_case("track-mix-role-left-out", _planning("other = 0.167\n", "").replace(
        "machine_learning = 0.456", "machine_learning = 0.623", 1), 1,
               ("{d}/p.toml, key track_mix: no share for the role track(s) other of the tier(s) applied, expert",
                "e.g. other = 0.1")),
    # a typo in plan.track_for_general was reported as the tiers' unknown track 'general', 'did you mean' the typo
    _plan_case("track-for-general-typo", _planning('track_for_general = "general"', 'track_for_general = "genral"'),
               1, ("{d}/p.toml, key tiers.literacy.tracks[0]: unknown track 'general' (value: 'general')",
                   "or, if 'general' is the track of programmes not tied to one role, set plan.track_for_general = "
                   "\"general\" (it is 'genral')")),
]

MODEL_FIX = "Use auto, naive, drift, theta, dotm, ets, ets_fast, arima, arima_fast, arima2_fast, prophet, log_<name>"
CASES += [
    # a typo in a model name was 'cn_national.csv: forecast failed: unknown model' (the data file blamed, exit 1)
    Case("forecast-model-typo", {"s.csv": GOOD}, "forecast {d}/s.csv -m drfit", 2,
         ("Invalid value for '--model' / '-m': unknown model 'drfit'. Fix: did you mean 'drift'? " + MODEL_FIX,)),
    Case("backtest-model-in-a-combination", {"s.csv": GOOD}, "backtest {d}/s.csv -m median(drift,foo)", 2,
         ("unknown model 'median(drift,foo)'",)),
    Case("gap-model-typo", {"s.csv": GOOD}, "gap {d}/s.csv --model etss", 2,
         ("--model: unknown model 'etss' (value: 'etss'). Fix: did you mean 'ets'? " + MODEL_FIX,)),
    Case("settings-model-typo", {"s.csv": GOOD, "talent.toml": '[forecast]\nmodels = ["etss"]\n'},
         "gap {d}/s.csv --config {d}/talent.toml", 1,
         ("{d}/talent.toml, key forecast.models: unknown model 'etss' (value: 'etss'). Fix: did you mean 'ets'?",)),
]

COVERAGE_DATA = 'data = "cn_literacy_coverage.csv"'
CASES += [
    # [coverage] data naming a folder or the planning file itself: the message named the path, not the key
    _plan_case("coverage-data-a-folder", _planning(COVERAGE_DATA, 'data = "sub"'), 1,
               ("{d}/p.toml, key coverage.data: is a folder ({d}/sub), not a data file (value: 'sub'). Fix: name a "
                "coverage data file",), sub=lambda path: path.mkdir()),
    _plan_case("coverage-data-the-planning-file", _planning(COVERAGE_DATA, 'data = "p.toml"'), 1,
               ("{d}/p.toml, key coverage.data: not a data table (.toml; use .csv, .tsv, .txt, .xlsx, .xlsm, .xls, "
                ".json) (value: 'p.toml'). Fix: name a coverage data file",)),
]

SPAN = "plans 76 years (2025–2100), more than the 30 a plan may span (solving it would take very long"
CASES += [
    # a plan to 2100 was accepted and solved for more than 15 minutes (2050: 230 s), with no word
    _plan_case("plan-until-2100-in-the-file", _planning("until = 2030", "until = 2100"), 1,
               ("{d}/p.toml, key plan.until: " + SPAN, "(value: 2100). Fix: plan up to 2054 at the latest (or "
                "start later); forecast further with talent forecast --until")),
    Case("plan-until-2100-option", {"s.csv": GOOD, "p.toml": PLANNING}, "plan {d}/p.toml --data {d}/s.csv --until 2100",
         2, ("--until: " + SPAN, "Fix: plan up to 2054 at the latest")),
    Case("run-until-2100", {"s.csv": GOOD}, "run --data {d}/s.csv --until 2100 --out {d}/o --no-store", 2,
         ("--until: " + SPAN,)),
    Case("run-settings-until-2090", {"s.csv": GOOD, "talent.toml": "[forecast]\nuntil = 2090\n"},
         "run --data {d}/s.csv --config {d}/talent.toml --out {d}/o --no-store", 1,
         ("{d}/talent.toml, key forecast.until: plans 66 years (2025–2090), more than the 30",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_cli(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     cli: Callable[..., CliResult]) -> None:
    r = run_case(case, tmp_path, monkeypatch, cli)
    if case.id == "gap-year-2200":
        assert "--until" not in r.err


def test_forecast_up_to_2100_still_works(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """The limit is 2100 itself: a horizon that reaches it exactly forecasts."""
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    r = cli("forecast", str(tmp_path / "s.csv"), "--horizon", "76", "-m", "naive", "--out", str(tmp_path / "f.csv"))
    assert r.code == 0, r.err
    assert "2100" in (tmp_path / "f.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["history list --store {s}", "run --out {d}/o --store {s} --paths 50 --no-explain"])
def test_a_sqlite_file_as_the_run_store(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        cli: Callable[..., CliResult]) -> None:
    """A SQLite file given as the run store: DuckDB tried to download its SQLite extension from the internet and
    the error named that URL; now the file is named as a SQLite database, before anything is written."""
    store = tmp_path / "runs.db"
    store.write_bytes(b"SQLite format 3\0" + bytes(100))
    monkeypatch.chdir(tmp_path)
    r = cli(*command.format(s=store, d=tmp_path).split())
    assert r.code == 1 and "Traceback" not in r.err
    assert f"Error: {store}: not a DuckDB run store (a SQLite database); give another path with --store" in r.err
    assert "extension" not in r.err and not (tmp_path / "o").exists()


@pytest.mark.parametrize(("command", "message"), [
    ("plan {d}/p.toml --until 2026 --out {d}/f", "Invalid value for --out: '{d}/f' is a folder; give a file name, "
                                               "e.g. {d}/f/plan.xlsx"),
    ("gap {d}/s.csv --out {d}/f", "Invalid value for --out: '{d}/f' is a folder; give a file name, e.g. "
                                  "{d}/f/gap.xlsx"),
    ("forecast {d}/s.csv --out {d}/f", "Invalid value for --out: '{d}/f' is a folder; give a file name, e.g. "
                                       "{d}/f/forecast.csv"),
    ("backtest {d}/s.csv --out {d}/f", "Invalid value for --out: '{d}/f' is a folder; give a file name, e.g. "
                                       "{d}/f/scores.csv"),
])
def test_out_a_folder(command: str, message: str, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """--out naming a folder was "unknown output format ''" (plan, gap) or 'use a .csv, .xlsx or .json file'."""
    (tmp_path / "f").mkdir()
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "p.toml").write_text(PLANNING, encoding="utf-8")
    r = cli(*command.format(d=tmp_path).split())
    assert r.code == 2 and message.format(d=tmp_path) in r.err, r.err
    assert "Traceback" not in r.err and not any((tmp_path / "f").iterdir())




def _cut(name: str, keep: float) -> Callable[[Path], None]:
    """Cut tables/<name>.csv to `keep` of its bytes, in the middle of a line."""
    def damage(out: Path) -> None:
        path = out / "tables" / f"{name}.csv"
        data = path.read_bytes()
        cut = int(len(data) * keep)
        while data[cut - 1:cut] in (b"\n", b","):  # end inside a value
            cut -= 1
        path.write_bytes(data[:cut])
    return damage


@pytest.mark.parametrize("name", ["plan_plan", "plan_cost", "stock"])
def test_report_of_a_table_cut_short(name: str, small_run: Path, tmp_path: Path,
                                     cli: Callable[..., CliResult]) -> None:
    """A table cut short in the middle of a line: its last row was read with the digits it still had and the
    report written from it (exit 0); now the file is named as cut short, nothing is written."""
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    _cut(name, 0.6)(out)
    before = _snapshot(out)
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert f"Error: {out}/tables/{name}.csv: damaged: the file ends in the middle of a line (cut short after " in r.err
    assert f"re-run `talent run --out {out}` to rewrite the output folder" in r.err
    assert _snapshot(out) == before


@pytest.mark.parametrize("table", ["runs", "stock"])
def test_a_run_store_with_a_table_dropped(table: str, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """A run store with a table dropped: 'cannot read the run store: Catalog Error: Table with name runs does not
    exist!' (no fix), and `talent run` failed so only after all its work; now it is named as damaged on opening."""
    import duckdb

    from talent.store import open_store

    store = tmp_path / "runs.duckdb"
    open_store(store, create=True).close()
    with duckdb.connect(str(store)) as conn:
        conn.execute(f"DROP TABLE {table}")
    for command in (("history", "list"), ("run", "--out", str(tmp_path / "o"), "--paths", "50", "--no-explain")):
        r = cli(*command, "--store", str(store))
        assert r.code == 1 and "Traceback" not in r.err, r.err
        assert (f"Error: {store}: the run store is damaged: table(s) {table} missing; restore it from a copy, or "
                "give a new file with --store (or --no-store)") in r.err
        assert "[2/4]" not in r.err + r.out and not (tmp_path / "o").exists()


def test_report_of_a_table_saved_as_utf16(small_run: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """A table saved again as UTF-16 (Excel's 'Unicode text') ends in b'\\n\\x00': it is whole and still reported."""
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    path = out / "tables" / "plan_cost.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    r = cli("report", str(out))
    assert r.code == 0, r.err


def test_lang_and_solver_in_any_case(small_run: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """--lang ZH and --solver HiGHS, as a user types them, were refused ("'ZH' is not one of 'en', 'zh'")."""
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    r = cli("report", str(out), "--lang", "ZH")
    assert r.code == 0 and (out / "report_zh.html").exists(), r.err
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    r = cli("plan", "--data", str(tmp_path / "s.csv"), "--until", "2025", "--solver", "HiGHS", "--lang", "En")
    assert r.code == 0 and "Training plan 2025–2025" in r.out, r.err
    r = cli("report", str(out), "--lang", "fr")
    assert r.code == 2 and "'fr' is not one of 'en', 'zh'" in r.err
