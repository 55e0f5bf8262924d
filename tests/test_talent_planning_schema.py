"""The planning file's schema (issue 15): misspelt keys, wrong types, bad ranges and unknown ids are one named
error, each problem with its file, key path, value and fix, through `talent plan FILE` (exit 1, no traceback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talent.paths import default_planning_path
from tests.conftest import CliResult

ROLES = "machine_learning, ai_chips, computer_vision, decision_systems, robotics, other"
AUDIENCES = "managers, technical_staff, students, skilled_technicians"
SHARE = "Fix: use a share between 0 and 1, e.g. 0.1 for 10%"
MINIMAL = '[plan]\nregion = "CN"\n[scenarios]\nq50 = 1.0\n'

# (case, text replaced in the default planning file, replacement, the expected problem line after "{p}, key ")
CASES = [
    ("misspelt-plan-key", "shortage_penalty = 0.1", "shortage_penality = 999",
     "plan.shortage_penality: unknown key (value: 999). Fix: did you mean 'shortage_penalty'? Keys allowed in [plan]"),
    ("budget-text", "base = 10000.0", 'base = "10 billion"',
     "budget.base: must be a number (value: '10 billion'). Fix: use money a year without quotes, e.g. 10000.0"),
    ("coverage-year-not-a-year", "2027 = 0.10", '"2027x" = 0.1',
     "coverage.target.managers.2027x: '2027x' is not a year (value: 0.1). Fix: write a calendar year between 1950 "
     "and 2100, e.g. 2030"),
    ("faculty-table", "faculty = 22000", "faculty = { fte = 22000 }",
     "tiers.applied.faculty: must be a number (value: {'fte': 22000}). Fix: use full-time equivalents, 0 or more, "
     "e.g. 22000"),
    ("coverage-share-above-one", "2030 = 0.465", "2030 = 1.5",
     "coverage.target.students.2030: must be less than or equal to 1 (value: 1.5). Fix: use the share of the "
     "audience trained by that year, between 0 and 1, e.g. 2030 = 0.16"),
    ("scenarios-sum", "q90 = 0.3", "q90 = 0.5",
     "scenarios: probabilities do not sum to 1 (value: 1.2). Fix: make the scenario probabilities sum to 1, e.g. "
     "q10 = 0.3, q50 = 0.4, q90 = 0.3"),
    ("scenario-negative", "q10 = 0.3", "q10 = -0.3",
     "scenarios.q10: must be greater than or equal to 0 (value: -0.3). Fix: give each demand quantile a "
     "probability between 0 and 1, e.g. q10 = 0.3"),
    ("scenario-name", "q50 = 0.4", "median = 0.4",
     "scenarios.median: 'median' is not a demand quantile (value: 0.4). Fix: name a demand quantile by its percent "
     "in two digits or more: q05 (5%), q10, q50, q90, q975"),
    ("weight-unknown-role", "ai_chips = 1.5", "quantum_computing = 1.5",
     f"weights.role.quantum_computing: unknown role 'quantum_computing' (value: 1.5). Fix: use one of: {ROLES}"),
    ("weight-unknown-level", "expert = 2.0", "doctoral = 2.0",
     "weights.level.doctoral: unknown level 'doctoral' (value: 2.0). Fix: use one of: expert, applied, all"),
    ("track-mix-misspelt", "robotics = 0.084", "robotic = 0.084",
     f"track_mix.robotic: unknown role 'robotic' (value: 0.084). Fix: did you mean 'robotics'? Use one of: {ROLES}"),
    ("coverage-unknown-audience", "[coverage.target.students]", "[coverage.target.student]",
     f"coverage.target.student: unknown audience 'student' (value: {{'2030': 0.465}}). Fix: did you mean "
     f"'students'? Use one of: {AUDIENCES}"),
    ("pool-unknown-audience", "[pools.managers]", "[pools.manager]",
     f"pools.manager: unknown audience 'manager' (value: {{'persons': 200000}}). Fix: did you mean 'managers'? "
     f"Use one of: {AUDIENCES}"),
    ("tier-unknown-audience", "[tiers.applied.audience.students]", "[tiers.applied.audience.studnets]",
     f"tiers.applied.audience.studnets: unknown audience 'studnets' (value: {{'existing_intake': 80000}}). Fix: "
     f"did you mean 'students'? Use one of: {AUDIENCES}"),
    ("min-share-unknown-tier", 'within = { tier = "expert" }', 'within = { tier = "doctoral" }',
     "min_share[0].within.tier: unknown tier 'doctoral' (value: 'doctoral'). Fix: use one of: literacy, applied, "
     "expert"),
    ("min-share-unknown-track", 'track = "ai_chips"', 'track = "ai_chip"',
     "min_share[0].of.track: unknown track 'ai_chip' (value: 'ai_chip'). Fix: did you mean 'ai_chips'? Use one "
     "of: ai_chips, computer_vision, decision_systems, general, machine_learning, other, robotics"),
    ("min-share-name-twice", 'of = { tier = "expert", track = "ai_chips" }',
     'of = { tier = "expert", track = "ai_chips" }\n\n[[min_share]]\nname = "chips_in_expert"\nshare = 0.05\n'
     'of = { tier = "applied", track = "ai_chips" }',
     "min_share[1].name: the name 'chips_in_expert' is also the name of min_share[0] (value: 'chips_in_expert'). "
     "Fix: give every [[min_share]] rule its own name"),
    ("completion-above-one", "completion = 0.9\ncost = 0.03", "completion = 1.9\ncost = 0.03",
     "tiers.applied.completion: must be less than or equal to 1 (value: 1.9). Fix: use the share of entrants "
     "graduating, above 0 and at most 1, e.g. 0.9"),
    ("yield-above-one", "yield = 0.7", "yield = 7",
     f"tiers.applied.yield: must be less than or equal to 1 (value: 7). {SHARE}"),
    ("discount-rate", "discount_rate = 0.03", "discount_rate = 3",
     "plan.discount_rate: must be less than 1 (value: 3). Fix: use a yearly rate from 0 to below 1, e.g. 0.03"),
    ("ramp-down-negative", "ramp_down = 0.25", "ramp_down = -0.25",
     f"plan.ramp_down: must be greater than or equal to 0 (value: -0.25). {SHARE}"),
    ("tolerance-above-one", "range_tolerance = 0.01", "range_tolerance = 2",
     f"plan.range_tolerance: must be less than or equal to 1 (value: 2). {SHARE}"),
    ("applied-conversion", "applied_conversion = 0.0", "applied_conversion = 1.5",
     f"tiers.literacy.applied_conversion: must be less than or equal to 1 (value: 1.5). {SHARE}"),
    ("budget-growth", "growth = 0.10", "growth = 5.0",
     "budget.growth: must be less than or equal to 1 (value: 5.0). Fix: use a yearly rate from -1 to 1, e.g. 0.1"),
    ("cost-negative", "cost = 0.08", "cost = -0.08",
     "programme.expert.students.ai_chips.cost: must be greater than or equal to 0 (value: -0.08). Fix: use money "
     "per seat-year, 0 or more, e.g. 0.03"),
    ("duration-negative", "duration = 3              # three", "duration = -3 #",
     "tiers.applied.duration: must be greater than or equal to 0.02 (value: -3). Fix: use years in training, "
     "from 0.02 (about a week) to 20, e.g. 3, or 0.25 for 3 months"),
    ("tracks-word", 'tracks = "roles"          # one', 'tracks = "all" #',
     "tiers.applied.tracks: must be \"roles\" or a list of track ids (value: 'all'). Fix: write tracks = \"roles\" "
     "(one programme per role) or e.g. tracks = [\"general\"]"),
    ("tier-level", 'level = "expert"', 'level = "doctor"',
     "tiers.expert.level: unknown level 'doctor' (value: 'doctor'). Fix: use one of: expert, applied"),
    ("until-before-start", "until = 2030              # last", "until = 2020 #",
     "plan.until: is before start (2025) (value: 2020). Fix: make until ≥ start"),
    ("pool-persons-text", "persons = 800000", 'persons = "many"',
     "pools.technical_staff.persons: must be a number of persons ≥ 0, or a table year = persons (value: 'many'). "
     "Fix: write e.g. persons = 800000 or persons = { 2025 = 800000, 2030 = 900000 }"),
    ("enrolled-year", "2023 = 3000", '"2023x" = 3000',
     "programme.expert.students.machine_learning.enrolled.2023x: '2023x' is not a year (value: 3000). Fix: write "
     "a calendar year between 1950 and 2100, e.g. 2030"),
    ("unknown-table", "[track_mix]", "[track_mixx]",
     "track_mixx: unknown table (value: {'machine_learning': 0.456, 'ai_chips': 0.072, 'computer_vision': 0.127, "
     "'decision_systems': 0.094, 'robotics': 0.084, 'other': 0.167}). Fix: did you mean 'track_mix'? Keys allowed "
     "in the top level: plan, scenarios, weights, budget, track_mix, tiers, programme, coverage, pools, min_share, "
     "channels, industry, regions"),
]


def _plan(cli: Callable[..., CliResult], path: Path) -> CliResult:
    r = cli("plan", str(path))
    assert r.code == 1, r.err
    assert "Traceback" not in r.err and r.err.startswith("Error: ")
    return r


@pytest.mark.parametrize(("old", "new", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_planning_value_is_one_named_problem(cli: Callable[..., CliResult], tmp_path: Path, old: str,
                                                   new: str, line: str) -> None:
    text = default_planning_path().read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "p.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    lines = _plan(cli, p).err.splitlines()
    expected = f"  - {p}, key {line}"
    if line.endswith("Keys allowed in [plan]"):  # the list of allowed keys follows
        assert any(x.startswith(expected + ": region, start, until,") for x in lines), lines
    else:
        assert expected in lines, lines


def test_tiers_that_are_not_a_table_and_every_problem_together(cli: Callable[..., CliResult],
                                                              tmp_path: Path) -> None:
    p = tmp_path / "p.toml"
    p.write_text('tiers = "all"\n[plan]\nshortage_penality = 999\n[scenarios]\nq50 = 1.0\n[weights.role]\n'
                 "quantum = 1.0\n", encoding="utf-8")
    lines = _plan(cli, p).err.splitlines()
    assert lines[0] == "Error: 3 problems found:"
    assert f"  - {p}, key tiers: must be a table (value: 'all'). Fix: write it as a table: a [section] header " \
           "followed by key = value lines" in lines
    assert any(x.startswith(f"  - {p}, key plan.shortage_penality: unknown key") for x in lines)
    assert f"  - {p}, key weights.role.quantum: unknown role 'quantum' (value: 1.0). Fix: use one of: {ROLES}" in lines


def test_a_missing_table_is_named(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    p = tmp_path / "p.toml"
    p.write_text(MINIMAL, encoding="utf-8")
    assert f"  - {p}, key tiers: missing key. Fix: add the training tiers, e.g. [tiers.applied] with level, tracks, " \
           "duration, cost, yield and [tiers.applied.audience.students] existing_intake, as in " \
           "talent/assets/planning.toml" in _plan(cli, p).err.splitlines()  # was 'Fix: add this key'


@pytest.mark.parametrize("text", ["", "# a comment only\n\n"])
def test_an_empty_planning_file(text: str, cli: Callable[..., CliResult], tmp_path: Path) -> None:
    """0 bytes or comments only: three 'missing key. Fix: add this key' lines; now one line saying it is empty."""
    p = tmp_path / "p.toml"
    p.write_text(text, encoding="utf-8")
    r = _plan(cli, p)
    assert r.code == 1 and r.err.splitlines()[-1] == (
        f"Error: {p}: the planning file is empty (no [plan], [scenarios] or [tiers]). Fix: start from a copy of "
        "talent/assets/planning.toml (the embedded planning file) and edit it")


def test_an_override_of_an_unknown_programme_stays_an_error(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    text = default_planning_path().read_text(encoding="utf-8")
    p = tmp_path / "p.toml"
    p.write_text(text.replace('[programme."expert.students.ai_chips"]', '[programme."expert.students.quantum"]'),
                 encoding="utf-8")
    assert _plan(cli, p).err.startswith(f'Error: {p}, key programme."expert.students.quantum": no such programme '
                                        "in this file. Fix: ")
