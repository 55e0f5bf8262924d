"""Hostile values in planning files, run folders, run stores and options of `talent plan`, `run`, `report` and
`history` (a third sweep).

Each case was silently accepted, crashed, or gave a message without the key, value or fix before its fix. Every
case asserts the exit code, no traceback, the key parts of the message, the inputs unchanged and, for a failure,
no file written (the harness of `tests/test_talent_bad_inputs.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talent.paths import assets_dir
from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case
from tests.test_talent_hostile_inputs import PLAN, _plan_case, _planning
from tests.test_talent_hostile_inputs import PLANNING as PLANNING_FILE

ROLE_WEIGHTS = "machine_learning = 1.2\nai_chips = 1.5\ncomputer_vision = 1.0\ndecision_systems = 1.0\n" \
               "robotics = 1.0\nother = 0.8"
NO_GAP_WEIGHT = "so the plan would give the gap no weight: it would train for the coverage targets and minimum " \
                "shares only, however large the shortage"
ENROLLED = "enrolled = { 2023 = 3000, 2024 = 4000 }"
CASES = [
    # weights that take the gap out of the objective planned for the coverage targets only, reported 'optimal'
    _plan_case("shortage-penalty-zero", _planning("shortage_penalty = 0.1", "shortage_penalty = 0"), 1,
               (f"{{d}}/p.toml, key plan.shortage_penalty: is 0, {NO_GAP_WEIGHT} (value: 0). Fix: give the cost of "
                "a weighted person-year of shortage, above 0, e.g. shortage_penalty = 0.1",)),
    _plan_case("role-weights-all-zero", _planning(ROLE_WEIGHTS, "\n".join(
                   line.split("=")[0] + "= 0.0" for line in ROLE_WEIGHTS.splitlines())), 1,
               ("{d}/p.toml, key weights.role: every role's weight is 0 (machine_learning, ai_chips, "
                f"computer_vision, decision_systems, robotics, other), {NO_GAP_WEIGHT}. Fix: give the roles whose "
                "shortage matters a weight above 0 (1 is the default), e.g. machine_learning = 1.0",)),
    _plan_case("level-weights-all-zero", _planning("expert = 2.0\napplied = 1.0", "expert = 0\napplied = 0.0"), 1,
               (f"{{d}}/p.toml, key weights.level: every level's weight is 0 (expert, applied), {NO_GAP_WEIGHT}",)),
    _plan_case("shortage-segments-all-zero", _planning("cvar_weight = 0.0 ", "shortage_segments = [[0.5, 0], "
                                                       "[1.0, 0.0]]\ncvar_weight = 0.0 "), 1,
               (f"{{d}}/p.toml, key plan.shortage_segments: every band's multiplier is 0, {NO_GAP_WEIGHT} (value: "
                "[[0.5, 0], [1.0, 0.0]])",)),
    # one role at 0 is a choice, not a mistake
    _plan_case("one-role-weight-zero", _planning("ai_chips = 1.5", "ai_chips = 0"), 0, ("optimal",)),
    # a cohort that had graduated before the plan began was ignored silently
    _plan_case("enrolled-long-ago", _planning(ENROLLED, "enrolled = { 1990 = 3000 }"), 1,
               ("{d}/p.toml, key programme.expert.students.machine_learning.enrolled.1990: a cohort admitted in 1990 "
                "to a programme of 4 year(s) graduated by the end of 1993, before the plan's first year (2025): the "
                "plan counts no graduates before it (the data's supply holds those of its years), so the cohort "
                "changes nothing (value: 3000). Fix: remove it; list only cohorts still in training in 2025 (admitted "
                "2022–2024)",)),
    _plan_case("enrolled-just-graduated", _planning(ENROLLED, "enrolled = { 2021 = 3000, 2022 = 10 }"), 1,
               ("1 problem found:", "enrolled.2021: a cohort admitted in 2021")),
    # a programme of 1e-9 years trained graduates free of seats, money and faculty
    _plan_case("duration-tiny", _planning("duration = 3 ", "duration = 1e-9 "), 1,
               ("{d}/p.toml, key tiers.applied.duration: must be greater than or equal to 0.02 (value: 1e-09). Fix: "
                "use years in training, from 0.02 (about a week) to 20, e.g. 3, or 0.25 for 3 months",)),
    _plan_case("duration-a-week", _planning("duration = 3 ", "duration = 0.02 "), 0, ("optimal",)),
    # a band's multiplier of 1e300 crashed the solver inside PuLP (IndexError, exit 70)
    _plan_case("segment-multiplier-huge", _planning("cvar_weight = 0.0 ", "shortage_segments = [[0.5, 1], [1.0, "
                                                    "1e300]]\ncvar_weight = 0.0 "), 1,
               ("{d}/p.toml, key plan.shortage_segments[1]: the multiplier of band 1 is above 1,000 (value: 1e+300). "
                "Fix: use multipliers from 0 to 1,000, rising band by band, e.g. [[0.5, 1.0], [1.0, 2.0]]",)),
    _plan_case("segment-multiplier-1000", _planning("cvar_weight = 0.0 ", "shortage_segments = [[0.5, 1], [1.0, "
                                                    "1000]]\ncvar_weight = 0.0 "), 0, ("optimal",)),
    # engine messages naming programmes, repeated per programme, without the key to change
    _plan_case("channel-audience-twice", _planning('audiences = ["students"]', 'audiences = ["students", "students"]'),
               1, ("1 problem found:", "{d}/p.toml, key channels.coop.audiences: lists the audience 'students' twice "
                   "(value: ['students', 'students']). Fix: list each audience once",)),
    _plan_case("pool-persons-empty", _planning("persons = 200000", "persons = {}"), 1,
               ("{d}/p.toml, key pools.managers.persons: is an empty table: no persons for any year. Fix: give one "
                "number of persons a year",)),
    _plan_case("pool-persons-missing", _planning("persons = 200000", "opportunity_cost = 0"), 1,
               ("{d}/p.toml, key pools.managers.persons: missing key. Fix: add the persons who can start training a "
                "year, e.g. persons = 800000",)),
    _plan_case("faculty-share-and-yield", _planning("faculty_from_expert_share = 0.05",
                                                    "faculty_from_expert_share = 0.5"), 1,
               ("1 problem found:", "{d}/p.toml, key tiers.expert.faculty_from_expert_share: plus the expert yield "
                "(0.8) is more than 1: a graduate would count both in the field and on the faculty (value: 0.5). "
                "Fix: make the shares becoming faculty and the expert yield add up to at most 1, e.g. "
                "faculty_from_expert_share = 0.2",)),
    # a weight of the level 'all' (the total) was accepted and changed nothing
    _plan_case("level-weight-of-all", _planning("expert = 2.0", "expert = 2.0\nall = 50"), 1,
               ("1 problem found:", "{d}/p.toml, key weights.level.all: 'all' is the total of the levels, which the "
                "plan never weighs (it weighs each level's shortage), so this weight would change nothing (value: "
                "50). Fix: give the levels their own weights, e.g. expert = 2.0 and applied = 1.0",)),
    # keys a tier's kind never uses were accepted and changed nothing
    _plan_case("coverage-tier-yield", _planning('serves = "coverage"\n', 'serves = "coverage"\nyield = 0.9\n'), 1,
               ("1 problem found:", "{d}/p.toml, key tiers.literacy.yield: is not used: the tier serves the coverage "
                "targets, and its graduates add no professionals (value: 0.9). Fix: remove it; give "
                "applied_conversion for the share of a coverage tier's graduates who go on to applied work",)),
    _plan_case("coverage-programme-yield", PLANNING_FILE + '\n[programme."literacy.students.general"]\nyield = 0.5\n',
               1, ('{d}/p.toml, key programme."literacy.students.general".yield: is not used',)),
    _plan_case("gap-tier-conversion", _planning('level = "expert"\ntracks = "roles"',
                                                'level = "expert"\ntracks = "roles"\napplied_conversion = 0.5'), 1,
               ("{d}/p.toml, key tiers.expert.applied_conversion: is not used: the tier serves the gap, and its "
                'graduates count by yield (value: 0.5). Fix: remove it; applied_conversion is for a tier with serves '
                '= "coverage"',)),
    _plan_case("faculty-share-up-to-one", _planning("faculty_from_expert_share = 0.05",
                                                    "faculty_from_expert_share = 0.2"), 0, ("optimal",)),
    # a start year far off also flagged every enrolled cohort as graduated
    _plan_case("start-far-future", _planning("start = 2025 ", "start = 99999999999999999999 "), 1,
               ("1 problem found:", "key plan.start: must be less than or equal to 2100")),
    _plan_case("enrolled-still-in-training", _planning(ENROLLED, "enrolled = { 2022 = 3000 }"), 0, ("optimal",)),
]

COVERAGE = (assets_dir() / "cn_literacy_coverage.csv").read_text(encoding="utf-8")
RUN_FOLDER = {"o/manifest.json": "{}", "o/tables/plan_plan.csv": "programme,year,intake\n"}
CASES += [
    # the coverage data the planning file names was refused as --out only after the plan was solved and shown
    Case("out-is-the-coverage-file", {"s.csv": GOOD, "p.toml": PLANNING_FILE, "cn_literacy_coverage.csv": COVERAGE},
         PLAN + " --out {d}/cn_literacy_coverage.csv", 1,
         ("Error: {d}/cn_literacy_coverage.csv: refusing to overwrite an input file",)),
    # --out inside a folder `talent run` wrote replaced the run's own table: the report then refused the folder
    *[Case(f"out-in-a-run-folder-{i}", {"s.csv": GOOD, "p.toml": PLANNING_FILE, **RUN_FOLDER},
           "plan {d}/p.toml --data {d}/s.csv --until 2026 --out {d}/" + target, 1,
           ("Error: {d}/" + target + ": is inside the output folder {d}/o of `talent run`; writing there would "
            "replace or add to the run's own files. Fix: choose a path outside it",))
      for i, target in enumerate(("o/tables/plan_plan.csv", "o/plan.xlsx"))],
]

CASES += [
    # talent run planned up to the forecast's last year and ignored the planning file's own until without a word
    Case("run-ignores-plan-until", {"s.csv": GOOD, "p.toml": _planning("until = 2030 ", "until = 2027 ")},
         "run --data {d}/s.csv --planning {d}/p.toml --out {d}/o --no-store --paths 20 --no-explain", 0,
         ("Warning: {d}/p.toml, key plan.until: 2027 is not used by talent run, which plans up to the forecast's "
          "last year, 2030 (--until, or [forecast] until in talent.toml). Fix: give --until 2027 to plan up to 2027",
          "over 2025–2030")),
]
NOT_TOML = "{d}/p.toml: not valid TOML ("
CASES += [
    # a planning file in JSON or YAML, or with a Chinese key not in quotes: a fix about TOML syntax in general
    _plan_case("planning-as-json", '{"plan": {"region": "CN"}}', 1,
               (NOT_TOML, "Fix: p.toml looks like JSON; a planning file is TOML: [plan], [scenarios] and [tiers] "
                "tables of key = value lines. Write it as TOML, starting from a copy of talent/assets/planning.toml")),
    _plan_case("planning-as-json-list", '# exported\n[\n  {"plan": 1}\n]\n', 1, ("Fix: p.toml looks like JSON",)),
    _plan_case("planning-as-yaml", "plan:\n  region: CN\n", 1,
               (NOT_TOML, "Fix: p.toml looks like YAML (key: value); a planning file is TOML")),
    _plan_case("chinese-key-unquoted", _planning("ai_chips = 1.5", "人工智能芯片 = 1.5"), 1,
               ("(at line 44, column 1)). Fix: line 44: the key 人工智能芯片 has characters a TOML key without quotes "
                'cannot have (only A-Z, a-z, 0-9, _ and -): write it in double quotes, "人工智能芯片" = …',)),
    _plan_case("chinese-label-unquoted", _planning("machine_learning = 1.2", "机器学习 = 1.2"), 1,
               ("Fix: line 43: the key 机器学习 is a label; the planning file names it by its id: write "
                "machine_learning = …",)),
    # a TOML table header stays TOML: the usual fix
    _plan_case("toml-error-after-a-table", "[plan]\nregion = CN\n", 1,
               ("Fix: correct the TOML at that line",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_plan_values(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             cli: Callable[..., CliResult]) -> None:
    r = run_case(case, tmp_path, monkeypatch, cli, ("Traceback", "internal error"))
    assert case.code == 0 or "Training plan" not in r.out  # refused before the plan is solved


def test_zero_penalty_of_a_literacy_only_file_is_no_problem() -> None:
    """A file whose tiers all serve the coverage targets has no gap to weigh: a penalty of 0 is refused only when
    some tier trains for the gap."""
    from talent.planning_checks import cross_problems

    ids = {"role": ["machine_learning"], "level": ["expert", "applied", "all"]}
    raw = {"plan": {"shortage_penalty": 0}, "tiers": {"literacy": {"serves": "coverage"}}}
    assert cross_problems(raw, ids, "p.toml", []) == []
    raw["tiers"]["applied"] = {"level": "applied"}
    assert [p.key for p in cross_problems(raw, ids, "p.toml", [])] == ["plan.shortage_penalty"]


@pytest.mark.parametrize(("store", "clean"), [(" ", "talent-runs.duckdb"), ("runs.duckdb ", "runs.duckdb"),
                                              ("a\nb.duckdb", "ab.duckdb")])
def test_a_store_name_of_spaces_or_control_characters(store: str, clean: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliResult]
                                                      ) -> None:
    """`--store ' '` recorded the run in a file named by one space, silently."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    r = cli("run", "--data", "s.csv", "--out", "o", "--paths", "20", "--no-explain", "--until", "2026",
            "--store", store)
    assert r.code == 2 and "Traceback" not in r.err, r.err
    assert "--store: begins or ends with a space or holds a control character" in r.err
    assert f"Fix: write the name without them, e.g. '{clean}'" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]
    written = store.replace("\n", "\\n")  # a TOML escape
    (tmp_path / "talent.toml").write_text(f'[store]\npath = "{written}"\n', encoding="utf-8")
    r = cli("history", "list")
    assert r.code == 1 and "talent.toml, key store.path: begins or ends with a space" in r.err, r.err


def test_a_gap_no_training_can_close_is_not_blamed_on_the_limits() -> None:
    """A plan of one year (3- and 4-year programmes) left the whole gap and said 'the gap stays because the limits
    bind, not because training cannot close it'."""
    import pandas as pd

    from talent.present.words import limits_sentences

    def said(with_: float, without: float, lang: str = "en") -> str:
        rows = pd.DataFrame({"family": ["all"], "gap_with": [with_], "gap_without": [without]})
        return limits_sentences(rows, 2025, lang)[-1]  # type: ignore[arg-type]

    assert said(599, 599) == ("Without any of these limits it would still be 599 persons: that much of the 2025 gap "
                              "no training can close by then (its programmes take longer than the plan, or train for "
                              "other roles and levels).")
    assert said(900, 599).endswith("other roles and levels); the limits explain the rest.")
    assert said(599, 599, "zh").startswith("若取消全部上述约束，缺口仍为599人：")
    assert said(599, 0.2) == ("Without any of these limits it would be 0 persons: the gap stays because the limits "
                              "bind, not because training cannot close it.")


def test_the_store_is_never_the_coverage_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              cli: Callable[..., CliResult]) -> None:
    """`talent run --store` naming the coverage data the planning file names was opened as a database ('not a
    talent run store (it holds other tables: …)'), not refused as an input of the run."""
    monkeypatch.chdir(tmp_path)
    for name, text in (("s.csv", GOOD), ("p.toml", PLANNING_FILE), ("cn_literacy_coverage.csv", COVERAGE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    r = cli("run", "--data", "s.csv", "--planning", "p.toml", "--out", "o", "--store", "cn_literacy_coverage.csv",
            "--until", "2026", "--paths", "20", "--no-explain")
    assert r.code == 1 and r.err == ("Error: cn_literacy_coverage.csv: is an input file of this run; refusing to "
                                     "record the run store into it. Fix: give --store a DuckDB file of its own, e.g. "
                                     "talent-runs.duckdb\n"), r.err
    assert (tmp_path / "cn_literacy_coverage.csv").read_text(encoding="utf-8") == COVERAGE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cn_literacy_coverage.csv", "p.toml", "s.csv"]


def test_a_pipe_as_planning_file_or_run_store_never_waits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          cli: Callable[..., CliResult]) -> None:
    """A named pipe as the run store (`--store runs.duckdb`, a FIFO) waited for ever for a writer: reading its
    first bytes blocked; so did a pipe as the planning file (its first bytes read for a better fix)."""
    import os
    import signal

    def waited(*_: object) -> None:
        raise TimeoutError("waited for a writer of the pipe")

    before = signal.signal(signal.SIGALRM, waited)  # a regression fails (exit 70), never hangs the suite
    signal.alarm(60)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "runs.duckdb")
    os.mkfifo(tmp_path / "p.toml")
    r = cli("history", "list", "--store", "runs.duckdb")
    assert r.code == 1 and r.err == ("Error: runs.duckdb: not a regular file (a device, pipe or socket); give the "
                                     "run store a file name, e.g. talent-runs.duckdb\n"), r.err
    r = cli("run", "--data", "s.csv", "--out", "o", "--store", "runs.duckdb", "--paths", "20", "--until", "2026",
            "--no-explain")
    assert r.code == 1 and "runs.duckdb: not a regular file" in r.err, r.err
    r = cli("plan", "p.toml", "--data", "s.csv", "--until", "2026")
    assert r.code == 1 and "p.toml: not a regular file (a device, pipe or socket)" in r.err, r.err
    signal.alarm(0)
    signal.signal(signal.SIGALRM, before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml", "runs.duckdb", "s.csv"]


def test_compare_plans_one_region_by_the_solver_asked(tmp_path: Path) -> None:
    """`talent plan --compare A B --region CN-HA` compared the plans of every region of the data (the option was
    dropped silently), and --solver too."""
    from talent.planning import compare_plans

    lines = GOOD.splitlines()
    provinces = "".join(f"{code},{line.split(',', 1)[1].rsplit(',', 1)[0]},{int(line.rsplit(',', 1)[1]) // 5}\n"
                        for code in ("CN-HA", "CN-BJ") for line in lines[1:])
    (tmp_path / "s.csv").write_text(GOOD + provinces, encoding="utf-8")
    (tmp_path / "p.toml").write_text(PLANNING_FILE, encoding="utf-8")
    both = compare_plans(tmp_path / "p.toml", tmp_path / "p.toml", tmp_path / "s.csv", until=2026)
    one = compare_plans(tmp_path / "p.toml", tmp_path / "p.toml", tmp_path / "s.csv", until=2026, region="CN-HA",
                        solver="cbc")
    gap = "gap_2026_before"
    assert float(one.set_index("figure").loc[gap].iloc[0]) < float(both.set_index("figure").loc[gap].iloc[0])


@pytest.mark.parametrize(("args", "name", "clean"), [
    (("run", "--data", "s.csv", "--no-store", "--paths", "20", "--no-explain", "--until", "2026"), "o\nx", "ox"),
    (("plan", "p.toml", "--data", "s.csv", "--until", "2026"), " p.xlsx", "p.xlsx"),
    (("history", "list", "--store", "none.duckdb"), "runs.csv ", "runs.csv"),
])
def test_an_output_name_with_spaces_at_an_end_or_a_line_break(args: tuple[str, ...], name: str, clean: str,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              cli: Callable[..., CliResult]) -> None:
    """`--out ' p.xlsx'` (or a line break pasted into the name) wrote a file or folder of that odd name, silently."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "p.toml").write_text(PLANNING_FILE, encoding="utf-8")
    r = cli(*args, "--out", name)
    assert r.code == 2 and f"Invalid value for --out: {name!r}: begins or ends with a space or holds a control " \
                           f"character; write the name without them, e.g. {clean}" in r.err, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.toml", "s.csv"]
