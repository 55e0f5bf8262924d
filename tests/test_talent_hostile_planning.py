"""Hostile inputs on the planning and output side: planning files, plan/run/report options, output folders.

Found by fuzzing `talent plan`, `talent run` and `talent report`; each case ran
into an internal error (exit 70), was silently accepted or ignored, or blamed
the wrong input before its fix. Every case asserts the exit code, no
traceback, the key parts of the message (file or option, key, value, fix),
the inputs unchanged and, for a failure, no file written (the harness of
`tests/test_talent_hostile_inputs.py`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from talent.io.seal import sealed
from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, _make, _snapshot, run_case
from tests.test_talent_hostile_inputs import PLAN, PLANNING, _plan_case, _planning

ENROLLED = "enrolled = { 2023 = 3000, 2024 = 4000 }"
CASES = [
    # numbers no plan can have made HiGHS fail inside PuLP (IndexError: internal error, exit 70)
    _plan_case("cost-huge", _planning("cost = 0.03 ", "cost = 1e15 "), 1,
               ("{d}/p.toml, key tiers.applied.cost: must be less than or equal to 1000000000000 "
                "(value: 1000000000000000.0). Fix: use money per seat-year",)),
    _plan_case("faculty-huge", _planning("faculty = 22000", "faculty = 1e300"), 1,
               ("{d}/p.toml, key tiers.applied.faculty: must be less than or equal to 10000000000 (value: 1e+300)",)),
    _plan_case("students-per-faculty-tiny", _planning("students_per_faculty = 20", "students_per_faculty = 1e-15"),
               1, ("{d}/p.toml, key tiers.applied.students_per_faculty: must be greater than or equal to 0.01 "
                   "(value: 1e-15). Fix: use students per faculty member, from 0.01 to 1,000,000",)),
    _plan_case("enrolled-huge", _planning(ENROLLED, "enrolled = { 2024 = 1e300 }"), 1,
               ("{d}/p.toml, key programme.expert.students.machine_learning.enrolled.2024: must be less than or "
                "equal to 10000000000 (value: 1e+300)",)),
    _plan_case("weight-huge", _planning("expert = 2.0", "expert = 1e15"), 1,
               ("{d}/p.toml, key weights.level.expert: must be less than or equal to 1000",
                "Fix: use a weight from 0 to 1,000")),
    # a 300-digit number in the message instead of the key that holds it
    _plan_case("existing-intake-huge", _planning("existing_intake = 80000", "existing_intake = 1e300"), 1,
               ("{d}/p.toml, key tiers.applied.audience.students.existing_intake: must be less than or equal to "
                "10000000000 (value: 1e+300)",)),
    _plan_case("pool-huge", _planning("persons = 200000", "persons = 1e300"), 1,
               ("{d}/p.toml, key pools.managers.persons: must be at most 10,000,000,000 persons",)),
    # track shares summing to 1.73 multiplied the baseline intake: an 'infeasible' faculty diagnosis instead
    _plan_case("track-mix-sum", _planning("other = 0.167", "other = 0.9"), 1,
               ("{d}/p.toml, key track_mix: the shares sum to 1.733, not 1 (value: 1.733). Fix: make the role "
                "shares sum to 1",)),
    # a cohort 'enrolled' in a plan year was dropped silently (the plan's own intake replaced it)
    _plan_case("enrolled-in-plan-year", _planning(ENROLLED, "enrolled = { 2030 = 3000 }"), 1,
               ("{d}/p.toml, key programme.expert.students.machine_learning.enrolled.2030: a cohort admitted in "
                "2030, not before the plan's first year (2025) (value: 3000). Fix: list only cohorts admitted "
                "before 2025",)),
    # the aggregate level 'all' was accepted as a tier's level (its graduates then met no demand)
    _plan_case("tier-level-all", _planning('level = "applied"\ntracks = "roles"', 'level = "all"\ntracks = "roles"'),
               1, ("{d}/p.toml, key tiers.applied.level: unknown level 'all' (value: 'all'). Fix: use one of: "
                   "expert, applied",)),
    # duration 0 passed the schema (whose fix said 'more than 0') and gave one engine line per programme
    _plan_case("duration-zero", _planning("duration = 3 ", "duration = 0 "), 1,
               ("1 problem found:",
                "{d}/p.toml, key tiers.applied.duration: must be greater than or equal to 0.02 (value: 0)")),
]


BUDGET = "[budget]\nbase = 10000.0\ngrowth = 0.10"
CASES += [
    # a start year the data already covers: '[plan]: the series … give no projection', no key, no fix
    _plan_case("plan-start-in-the-data", _planning("start = 2025 ", "start = 2020 ").replace(
                   "enrolled = { 2023 = 3000, 2024 = 4000 }", "enrolled = { 2018 = 3000, 2019 = 4000 }"), 1,
               ("{d}/p.toml, key plan.start: 2020 is not after the last observed year (2024) of the data for "
                "region 'CN': a plan sizes training for years to come. Fix: start = 2025",)),
    # a region written as a name: '[plan] region = '中国': … set region to one of CN' without the key's usual form
    # or the code it means
    _plan_case("plan-region-name", _planning('region = "CN"', 'region = "中国"'), 1,
               ("{d}/p.toml, key plan.region: '中国': the data has no series for this region. Fix: did you mean "
                "'CN (China)'? set region to one of CN",)),
    # no [budget] at all: the engine took the absent limit as none and the plan could spend any amount of public
    # money, silently (firms' money had this warning already)
    _plan_case("budget-missing", _planning(BUDGET, ""), 0,
               ("Warning: {d}/p.toml, key budget: not given, so there is no limit on public money: the plan may "
                "spend any amount. Fix: give it as a [budget] table",)),
    # budget years that miss plan years, with no base, gave those years a budget of 0 silently
    _plan_case("budget-years-outside-the-plan", _planning(BUDGET, "[budget]\nyears = { 1990 = 5.0 }"), 1,
               ("{d}/p.toml, key budget: no value for the plan year(s) 2025, 2026 (years given: 1990; no base). "
                "Fix: add them to budget.years",)),
    _plan_case("budget-years-partial", _planning(BUDGET, "[budget]\nyears = { 2025 = 5.0 }"), 1,
               ("{d}/p.toml, key budget: no value for the plan year(s) 2026 (years given: 2025; no base)",)),
    _plan_case("industry-budget-years-outside", _planning("budget = { base = 2000.0, growth = 0.10 }",
                                                          "budget = { years = { 2040 = 1.0 } }"), 1,
               ("{d}/p.toml, key industry.budget: no value for the plan year(s) 2025, 2026",)),
    # a lower-case region code matched no series of the data (whose codes are stored in upper case)
    _plan_case("plan-region-lower-case", _planning('region = "CN"', 'region = "cn"'), 0,
               ("Warning: {d}/p.toml, key plan.region: region codes are stored in upper case: read 'cn' as 'CN'",
                "optimal")),
]

RUN = "run --data {d}/s.csv --planning {d}/p.toml --out {d}/o --no-store --paths 50 --no-explain"
CASES += [
    # an infeasible plan in `talent run` printed the diagnosis object's repr ('Diagnosis(conflicting=(Relaxation(…')
    Case("run-infeasible", {"s.csv": GOOD, "p.toml": _planning("2027 = 0.10", "2025 = 0.99")}, RUN, 1,
         ("Error: {d}/p.toml: no feasible plan (infeasible). The plan's hard constraints conflict; no plan meets all "
          "of them.\nConflicting: the literacy coverage target for managers by 2025 (CN).",
          "relax the literacy coverage targets: the literacy coverage target for managers by 2025 (CN) by")),
]

CASES += [
    # an override of an unknown programme: no key, no fix, every id listed (20,000 of them); a track listed twice:
    # 'duplicate ids' of the programmes from the engine, without the key
    _plan_case("override-typo", _planning('[programme."expert.students.ai_chips"]',
                                          '[programme."expert.students.ai_chip"]'), 1,
               ('{d}/p.toml, key programme."expert.students.ai_chip": no such programme in this file. Fix: did you '
                "mean 'expert.students.ai_chips'? Use an id tier.audience.track",)),
    _plan_case("override-many", PLANNING + "".join(f'[programme."p{i}"]\ncost = 1\n' for i in range(2000)), 1,
               ('{d}/p.toml, key programme."p0": no such programme in this file (and 1,999 more: p1, p10, p100, '
                "p1000, p1001). Fix: Use an id",)),
    _plan_case("tracks-twice", _planning('tracks = ["general"]', 'tracks = ["general", "general"]'), 1,
               ("{d}/p.toml, key tiers.literacy.tracks: lists the track 'general' twice (value: ['general', "
                "'general']). Fix: list each track once",)),
]

# CN and two of its provinces, Henan with 30% of each value and Beijing with 20% (each province the whole country,
# as this was, made the provinces twice the country: refused since, as their shares of its figures summed to 2)
PROVINCES = GOOD + "".join(f"{code},{line.partition(',')[2].rpartition(',')[0]},"
                           f"{round(int(line.rpartition(',')[2]) * k)}\n"
                           for code, k in (("CN-HA", 0.3), ("CN-BJ", 0.2)) for line in GOOD.splitlines()[1:])
SHARES = '[regions.share."CN-HA"]\npeople = 0.9\n[regions.share."CN-BJ"]\npeople = 0.9\n'
ONE_SHARE = SHARES.partition('[regions.share."CN-BJ"]')[0]
CASES += [
    # provinces given shares of more than the whole country shared out 1.8 times the national figures silently
    # ... and the message named the table only, not the keys and values given (known defect 1)
    Case("region-shares-above-one", {"s.csv": PROVINCES, "p.toml": PLANNING + SHARES}, PLAN, 1,
         ('{d}/p.toml, key regions.share."CN-HA".people, regions.share."CN-BJ".people: the people shares of the '
          "regions planned sum to 1.8, more than the whole of CN (1): given CN-HA 0.9, CN-BJ 0.9 (value: 1.8). "
          "Fix: make each region's people its share of CN so that together they are at most 1",)),
    Case("region-share-above-the-rest", {"s.csv": PROVINCES, "p.toml": PLANNING + ONE_SHARE},
         PLAN, 1, ('{d}/p.toml, key regions.share."CN-HA".people: the people shares of the regions planned sum to '
                   "1.1, more than the whole of CN (1): given CN-HA 0.9 and 0.2 computed from the data for the other "
                   "1 region(s) (value: 1.1). Fix: make each region's people its share of CN so that together they "
                   "are at most 1 (at most 0.8 for the regions given)",)),
]

SWAPPED = {"s.csv": GOOD, "p.toml": PLANNING}
NOT_TOML = ("{d}/s.csv: not valid TOML (Expected '=' after a key in a key/value pair (at line 1, column 7)). Fix: "
            "s.csv looks like a data table: give it with --data, and a planning TOML")
CASES += [
    # the data file as the planning file: 'not valid TOML' without a fix; `talent run` forecast first
    Case("plan-data-as-planning", SWAPPED, "plan {d}/s.csv --data {d}/s.csv", 1, (NOT_TOML,)),
    Case("run-data-as-planning", SWAPPED, "run --data {d}/s.csv --planning {d}/s.csv --out {d}/o --no-store", 1,
         (NOT_TOML,)),
    # the planning file as the settings file: 13 'unknown table' problems
    Case("run-planning-as-config", SWAPPED, "run --data {d}/s.csv --config {d}/p.toml --out {d}/o --no-store", 1,
         ("Error: {d}/p.toml: this is a planning file ([plan], [tiers]), not a settings file. Fix: give it with "
          "--planning, and a settings file (like talent.toml) with --config",)),
]

CASES += [
    # a [[min_share]] whose 'of' selects no programme forced its 'within' intake (every expert seat) to 0, silently
    _plan_case("min-share-of-selects-nothing", _planning('of = { tier = "expert", track = "ai_chips" }',
                                                         'of = { tier = "expert", audience = "managers" }'), 1,
               ("{d}/p.toml, key min_share[0].of: selects no programme of this file (value: {{'tier': 'expert', "
                "'audience': 'managers'}}). Fix: name a tier, audience and track that a programme has",)),
    _plan_case("min-share-within-selects-nothing", _planning('within = { tier = "expert" }',
                                                             'within = { tier = "expert", audience = "managers" }'),
               1, ("{d}/p.toml, key min_share[0].within: selects no programme of this file",)),
]

CASES += [
    # an unknown channel name gave one engine line per programme of the channel, without the key
    _plan_case("channel-unknown", _planning("[channels.coop]", "[channels.weird]"), 1,
               ("1 problem found:", "{d}/p.toml, key channels.weird: unknown channel 'weird'. Fix: use one of: coop, "
                "enterprise")),
]

CASES += [
    # a target year the plan does not reach (--until before it) was an engine line without the key or a fix
    _plan_case("target-year-after-until", _planning("cvar_weight = 0.0 ", "target_year = 2030\ncvar_weight = 0.0 "),
               1, ("{d}/p.toml, key plan.target_year: 2030 is not a plan year (2025–2026). Fix: make it one of them, "
                   "or plan up to it (--until 2030)",)),
]

CASES += [
    # a role id as the general track's name: 'unknown track general' with that role listed twice among the valid ids
    _plan_case("general-track-is-a-role", _planning('track_for_general = "general"', 'track_for_general = "robotics"'),
               1, ("{d}/p.toml, key plan.track_for_general: is a role id: general tracks would be taken for that "
                   "role's (value: 'robotics'). Fix: use a name that is not a role, e.g. general",)),
]

CASES += [
    # 'q5' was read as the median (0.5), 'q100' as the 10% quantile: ambiguous names are refused
    _plan_case("scenario-one-digit", _planning("q10 = 0.3\nq50 = 0.4\nq90 = 0.3", "q5 = 0.3\nq50 = 0.4\nq95 = 0.3"),
               1, ("{d}/p.toml, key scenarios.q5: 'q5' is not a demand quantile (value: 0.3). Fix: name a demand "
                   "quantile by its percent in two digits or more: q05 (5%)",)),
    _plan_case("scenario-q100", _planning("q90 = 0.3", "q100 = 0.3"), 1,
               ("{d}/p.toml, key scenarios.q100: 'q100' is not a demand quantile",)),
]


CASES += [
    # the planner's own input checks named the entry and value but not what to change
    _plan_case("pool-below-baseline-intake", _planning("persons = 200000", "persons = 20"), 1,
               ("{d}/p.toml, candidate pool CN/managers, field 'persons': 20 in 2025 is below the baseline intake its "
                "programmes already take (50,000). Fix: raise pools.managers.persons to at least 50,000 persons a "
                "year, or lower the existing_intake of the tiers whose audience is managers",)),
]


@pytest.mark.parametrize(("problem", "fix"), [
    ("candidate pool CN/managers: defined twice", "Fix: keep one [pools.managers] table"),
    ("candidate pool CN-HA/students, field 'persons': 20 in 2025 is below the baseline intake its programmes already "
     "take (5,000)", "Fix: raise pools.students.persons so that CN-HA's share of it is at least 5,000 persons a year"),
    ("programme 'x': no faculty pool for tier 'applied' in region 'CN'",
     "Fix: give tier 'applied' a faculty (tiers.applied.faculty)"),
    ("programme 'p', yield ('robotics', 'expert'): no demand for that role and level",
     "Fix: remove the role 'robotics' from the programme's tracks, or add demand series for role 'robotics'"),
    ("demand: no values for plan years [2026]", "Fix: forecast up to the last plan year (--until)"),
    ("scenarios: probabilities sum to 0.5 — must sum to 1", "Fix: make the shares sum to 1"),
    ("programme 'x', field 'duration': 0 — must be > 0 years", "Fix: give a value that is > 0 years"),
    ("shortage_grouping: 'x' — use 'cell', 'role' or 'region'", "Fix: use 'cell', 'role' or 'region'"),
    ("something new", "Fix: correct this entry of the planning file"),
])
def test_every_planner_input_problem_says_what_to_change(problem: str, fix: str) -> None:
    from talent.plan_fixes import with_fix

    assert with_fix(problem) == f"{problem}. {fix}" or with_fix(problem).startswith(f"{problem}. {fix}")


def _option_case(name: str, options: str, code: int, expect: tuple[str, ...]) -> Case:
    """`talent plan` of the shipped planning file (copied) on the small series with `options`."""
    return Case(name, {"s.csv": GOOD, "p.toml": PLANNING}, "plan {d}/p.toml --data {d}/s.csv " + options, code,
                expect)


CASES += [
    # --until 0 was ignored (the file's 2030 was planned); 2101 planned a year no forecast may reach
    _option_case("until-zero", "--until 0", 2, ("Invalid value for '--until': 0: give the last plan year, a calendar "
                                                "year from 1950 to 2100",)),
    _option_case("until-2101", "--until 2101", 2, ("Invalid value for '--until': 2101",)),
    # --until before the plan's start blamed the planning file ('[plan] until 2024') with exit 1
    _option_case("until-before-start", "--until 2024", 2,
                 ("--until: is before the plan's first year 2025 ([plan] start in {d}/p.toml) (value: 2024). Fix: "
                  "give --until 2025 or later",)),
    # --scenarios problems were reported as problems of the planning file ('p.toml, scenarios: …'), then with
    # exit 1: they are usage errors (exit 2), as the parser's own option errors are
    _option_case("scenarios-sum", "--until 2026 --scenarios q10:0.3", 2,
                 ("Error: --scenarios 'q10:0.3': the probabilities sum to 0.3, not 1; make them sum to 1",)),
    _option_case("scenarios-twice", "--until 2026 --scenarios q10:0.5,q10:0.5", 2,
                 ("Error: --scenarios 'q10:0.5,q10:0.5': scenario 'q10' is given twice",)),
    _option_case("scenarios-nan", "--until 2026 --scenarios q10:nan,q90:1", 2,
                 ("Error: --scenarios 'q10:nan,q90:1': the probability of 'q10' is nan; use a number from 0 to 1",)),
    _option_case("scenarios-not-a-quantile", "--until 2026 --scenarios q5e1:1", 2,
                 ("Error: --scenarios 'q5e1:1': 'q5e1' is not a demand quantile",)),
    _option_case("scenarios-no-colon", "--until 2026 --scenarios q10", 2,
                 ("Error: --scenarios: 'q10' — write QUANTILE:PROBABILITY, e.g. q10:0.3,q50:0.4,q90:0.3",)),
    _option_case("scenarios-one-digit", "--until 2026 --scenarios q5:1", 2,
                 ("Error: --scenarios 'q5:1': 'q5' is not a demand quantile; name a demand quantile by its percent",)),
    # a --region the data lacks was blamed on the planning file ('p.toml, [plan] region = …')
    _option_case("region-not-in-the-data", "--until 2026 --region CN-HA", 2,
                 ("--region: {d}/s.csv has no series for this region (value: 'CN-HA'). Fix: give one of CN",)),
    # a planning file given with --compare was ignored silently
    _option_case("compare-and-planning", "--until 2026 --compare {d}/p.toml {d}/p.toml", 2,
                 ("Invalid value for --compare: {d}/p.toml and --compare: give one planning file, or two with "
                  "--compare A B, not both",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_planning(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli, ("Traceback", "internal error"))


def test_largest_accepted_numbers_still_plan(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """At the new bounds together (cost, weight, penalty, faculty ratio, faculty) the solver still answers."""
    text = (_planning("cost = 0.03 ", "cost = 1e12 ").replace("expert = 2.0", "expert = 1000")
            .replace("shortage_penalty = 0.1", "shortage_penalty = 1e6")
            .replace("students_per_faculty = 20", "students_per_faculty = 0.01")
            .replace("faculty = 22000", "faculty = 1e10"))
    _make(tmp_path, _plan_case("x", text, 0, ()).files)
    r = cli(*PLAN.format(d=tmp_path).split())
    assert r.code == 0 and "optimal" in r.out, r.err


def _manifest(**changes: object) -> Callable[[Path], None]:
    def damage(out: Path) -> None:
        doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        for key, value in changes.items():
            *parents, last = key.split(".")
            part = doc
            for p in parents:
                part = part[p]
            part[last] = value
        (out / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    return damage


def _stock(column: str, value: object) -> Callable[[Path], None]:
    def damage(out: Path) -> None:
        path = out / "tables" / "stock.csv"
        frame = pd.read_csv(path)
        frame[column] = value
        frame.to_csv(path, index=False)
    return damage


REPORT_CASES = [
    # parts of the manifest of the wrong shape were internal errors (AttributeError, ValueError)
    ("manifest-central-budget-text", _manifest(**{"plan.central_budget": "x"}),
     "manifest.json, key plan.central_budget: damaged: must be an object (value: 'x')"),
    ("manifest-central-budget-value-text", _manifest(**{"plan.central_budget": {"2025": "lots"}}),
     "manifest.json, key plan.central_budget.2025: damaged: must be a number (value: 'lots')"),
    ("manifest-calibration-text", _manifest(calibration="x"),
     "manifest.json, key calibration.reconciled.parents: damaged: must map each country to its provinces"),
    # stock rows without an id, with a fractional year or repeated were internal errors
    ("stock-region-empty", _stock("region", ""),
     "tables/stock.csv, row 2, column 'region': damaged: an id is missing"),
    ("stock-year-fraction", _stock("year", 2030.5),
     "tables/stock.csv, row 2, column 'year': damaged: not a whole year (value: 2030.5)"),
    # a whole number of 5,000 digits was an internal error (Python's int-string limit); a key the report reads
    # missing or of the wrong type was a KeyError or a silent default; an 'until' the stock lacks drew nothing
    ("manifest-integer-too-long", lambda out: (out / "manifest.json").write_text(
        (out / "manifest.json").read_text(encoding="utf-8").replace('"paths": 50', '"paths": 1' + "0" * 5000),
        encoding="utf-8"),
     "manifest.json: the run manifest is damaged: it holds a number of 5,001 digits (100000000000…), longer than "
     "any number `talent run` writes"),
    ("manifest-versions-without-talent", _manifest(versions={}),
     "manifest.json: not a run manifest written by `talent run` (versions.talent: field required)"),
    ("manifest-range-tolerance-nan", _manifest(**{"plan.range_tolerance": float("nan")}),
     "(plan.range_tolerance: must be a finite number); the value is nan"),
    ("manifest-until-not-in-stock", _manifest(**{"settings.forecast.until": 10 ** 30}),
     "manifest.json, key settings.forecast.until: damaged: not a year of tables/stock.csv (2015–2030) (value: "
     "1000000000000000000000000000000)"),
    # negative persons, an infinite number, a share above 1 and a demand missing beside a gap were drawn silently
    ("stock-demand-negative", _stock("demand", -5),
     "tables/stock.csv, row 2, column 'demand': damaged: a count of persons below 0 (value: -5.0)"),
    ("stock-supply-quantile-inf", _stock("supply_q95", float("inf")),
     "tables/stock.csv, row 2, column 'supply_q95': damaged: not a finite number (value: inf)"),
    ("stock-p-shortage-above-one", _stock("p_shortage", 1.5),
     "tables/stock.csv, row 2, column 'p_shortage': damaged: above 1 (value: 1.5)"),
    ("stock-demand-nan-beside-a-gap", _stock("demand", float("nan")),
     "tables/stock.csv, row 2, column 'demand': damaged: missing in a row that has a gap (gap = demand - supply) "
     "(value: nan)"),
    ("stock-gap-not-the-difference", _stock("gap", 12345.0),
     "tables/stock.csv, row 2, column 'gap': damaged: not demand - supply (value: 12345.0)"),
    ("stock-rows-repeated", lambda out: (out / "tables" / "stock.csv").write_text(
        (out / "tables" / "stock.csv").read_text(encoding="utf-8")
        + (out / "tables" / "stock.csv").read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8"),
     ": damaged: a second row for the same region, role, level and year"),
]


@pytest.mark.parametrize(("damage", "message"), [c[1:] for c in REPORT_CASES], ids=[c[0] for c in REPORT_CASES])
def test_report_names_the_damage(damage: Callable[[Path], None], message: str, small_run: Path, tmp_path: Path,
                                 cli: Callable[..., CliResult]) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    damage(out)
    before = _snapshot(out)
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err and "internal error" not in r.err, r.err
    assert f"Error: {out}/" in r.err and message in r.err and f"re-run `talent run --out {out}`" in r.err, r.err
    assert _snapshot(out) == before  # nothing read was changed, no report written


def test_report_of_the_undamaged_folder(small_run: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    assert cli("report", str(out), "--out", str(tmp_path / "r.html")).code == 0


def test_report_of_a_region_with_demand_only(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """A run writes no supply (NaN supply, gap and ratio) for a region whose data has demand only: its report is
    drawn, not refused as damaged."""
    demand_only = "".join(line.replace("CN,", "US,", 1) + "\n" for line in GOOD.splitlines()[1:] if ",demand," in line)
    _make(tmp_path, {"s.csv": GOOD + demand_only})
    out = tmp_path / "out"
    r = cli("run", "--data", str(tmp_path / "s.csv"), "--out", str(out), "--paths", "50", "--no-store", "--no-explain")
    assert r.code == 0, r.err
    assert pd.read_csv(out / "tables" / "stock.csv").query("region == 'US'")["supply"].isna().all()
    r = cli("report", str(out), "--out", str(tmp_path / "r.html"))
    assert r.code == 0 and (tmp_path / "r.html").exists(), r.err


def test_report_from_a_newer_talent_says_so(small_run: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """A manifest of a future talent was read silently as if this version had written it."""
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    _manifest(**{"versions.talent": "99.0"})(out)
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (out / "manifest.json").write_text(json.dumps(sealed(doc, out)), encoding="utf-8")  # as that talent sealed it
    r = cli("report", str(out), "--out", str(tmp_path / "r.html"))
    assert r.code == 0 and "Traceback" not in r.err
    assert f"Warning: {out}/manifest.json: written by talent 99.0, newer than this talent" in r.err
    assert "Fix: update talent, or re-run `talent run` with this one" in r.err


@pytest.mark.parametrize("name", ["report.pdf", "report.csv", "report"])
def test_report_out_is_html(name: str, small_run: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """`talent report --out report.pdf` wrote an HTML page named .pdf."""
    r = cli("report", str(small_run), "--out", str(tmp_path / name))
    assert r.code == 2 and "Traceback" not in r.err  # a bad option value: a usage error, as plan's and gap's --out
    assert f"Invalid value for --out: '{tmp_path / name}': " in r.err and "use a .html or .htm file" in r.err
    assert not (tmp_path / name).exists()
