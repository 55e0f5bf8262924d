"""Hostile inputs found by fuzzing the CLI (damaged data, planning and coverage files), table-driven.

Each case ran into a traceback, a hang, a silent acceptance or a message that
did not say what to fix before its fix; `tests/test_talent_bad_inputs.py`
holds the older families and the helpers reused here. Every case asserts the
exit code, no traceback, the key parts of the message (file, row or key,
value, fix), the inputs unchanged and, for a failure, no file written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from talent.paths import assets_dir
from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, _row, _snapshot, run_case

PLANNING = (assets_dir() / "planning.toml").read_text(encoding="utf-8")
COVERAGE = (assets_dir() / "cn_literacy_coverage.csv").read_text(encoding="utf-8")
DEMAND_ONLY = "".join(line + "\n" for line in GOOD.splitlines() if ",supply," not in line)
ONE_YEAR = GOOD.splitlines()[0] + "\n" + "".join(line + "\n" for line in GOOD.splitlines() if ",2024," in line)
PLAN = "plan {d}/p.toml --data {d}/s.csv --until 2026"
NO_COVERAGE = PLANNING[:PLANNING.index("[coverage]")] + PLANNING[PLANNING.index("# Candidate pools"):]


def _planning(old: str, new: str) -> str:
    assert old in PLANNING, old
    return PLANNING.replace(old, new, 1)


def _plan_case(name: str, planning: str, code: int, expect: tuple[str, ...], **files: str | bytes) -> Case:
    return Case(name, {"s.csv": GOOD, "p.toml": planning, **files}, PLAN, code, expect)


CASES = [
    # planning: coverage targets that cannot be applied were dropped silently, or crashed
    _plan_case("coverage-targets-without-data", _planning('data = "cn_literacy_coverage.csv"', ""), 1,
               ("{d}/p.toml, key coverage.data: coverage targets are given but no data file",
                'Fix: name a coverage data file beside the planning file or the embedded one')),
    _plan_case("coverage-data-missing", _planning('data = "cn_literacy_coverage.csv"', 'data = "nope.csv"'), 1,
               ("{d}/p.toml, key coverage.data: file not found beside the planning file ({d}/nope.csv) nor among "
                "the embedded data (value: 'nope.csv')",)),
    _plan_case("coverage-data-header-only", PLANNING, 1,
               ("{d}/cn_literacy_coverage.csv: the table has a header but no data rows",),
               **{"cn_literacy_coverage.csv": "region,audience,year,population,trained\n"}),
    _plan_case("coverage-target-without-row", PLANNING, 1,
               ("{d}/p.toml, key coverage.target.managers.2030: no row for audience 'managers' and year 2030 in "
                "the coverage data {d}/cn_literacy_coverage.csv (value: 0.16). Fix: add a row managers, 2030",),
               **{"cn_literacy_coverage.csv": "".join(line + "\n" for line in COVERAGE.splitlines()
                                                      if ",managers," not in line)}),
    _plan_case("coverage-population-huge", PLANNING, 1,
               ("{d}/cn_literacy_coverage.csv, row 7, column 'population': population must be a number above 0 "
                "and at most 10,000,000,000 (value: '1e300')",),
               **{"cn_literacy_coverage.csv": COVERAGE.replace("2024,20000000,", "2024,1e300,", 1)}),
    _plan_case("coverage-region-unknown", PLANNING, 1,
               ("{d}/cn_literacy_coverage.csv, row 7, column 'region': unknown region code (value: 'ZZ'). Fix: use "
                "an ISO 3166-1 alpha-2 country code",),
               **{"cn_literacy_coverage.csv": COVERAGE.replace("CN,managers,2024", "ZZ,managers,2024", 1)}),
    # planning: a programme of 1000 years made the LP run for minutes
    _plan_case("duration-huge", _planning("duration = 3 ", "duration = 1000 "), 1,
               ("{d}/p.toml, key tiers.applied.duration: must be less than or equal to 20 (value: 1000). "
                "Fix: use years in training, from 0.02 (about a week) to 20",)),
    # planning: penalties and weights far out of range hung or crashed the solver (1e12, 1e15, 1e300)
    _plan_case("penalty-huge", _planning("shortage_penalty = 0.1", "shortage_penalty = 1e15"), 1,
               ("{d}/p.toml, key plan.shortage_penalty: must be less than or equal to 1000000 "
                "(value: 1000000000000000.0). Fix: use money per person-year, from 0 to 1,000,000",)),
    _plan_case("terminal-weight-huge", _planning("terminal_weight = 3.0", "terminal_weight = 1e12"), 1,
               ("{d}/p.toml, key plan.terminal_weight: must be less than or equal to 100",)),
    _plan_case("cvar-weight-above-one", _planning("cvar_weight = 0.0", "cvar_weight = 2.0"), 1,
               ("{d}/p.toml, key plan.cvar_weight: must be less than or equal to 1 (value: 2.0). Fix: use a weight "
                "from 0 to 1",)),
    # data: a plan needs both sides; the planner blamed the planning file
    Case("plan-demand-only", {"s.csv": DEMAND_ONLY}, "plan --data {d}/s.csv --until 2026", 1,
         ("{d}/s.csv, column 'kind': region 'CN' has demand series only, no supply: a plan needs both demand and "
          "supply. Fix: add the supply rows of CN",)),
    # data: values no headcount can have overflowed the engines (RuntimeWarnings, then a crash)
    Case("value-huge", {"s.csv": _row("1e20")}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv, row 2, column 'value': value above 10,000,000,000 persons (more people than live on Earth) "
          "(value: '1e20'). Fix: write the headcount in persons",)),
    Case("value-at-the-limit", {"s.csv": _row("10000000000")}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
    # backtest of series too short: a message without the file or the fix
    Case("backtest-one-year", {"s.csv": ONE_YEAR}, "backtest {d}/s.csv --horizon 1 --windows 1", 1,
         ("{d}/s.csv: cannot backtest 1 year(s) ahead: the longest series has 1 year(s)",
          "Fix: add earlier years")),
    Case("backtest-horizon-too-long", {"s.csv": GOOD}, "backtest {d}/s.csv --horizon 10", 1,
         ("the longest series has 10 year(s), and a backtest needs at least 11",
          "Fix: lower --horizon to at most 9, or add earlier years")),
    # formats: say what the file is instead of only "not a zip file" or "not valid UTF-8"
    Case("csv-named-xlsx", {"s.xlsx": GOOD}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable Excel workbook", "it looks like a text file: if it is a CSV table, name it "
                                                      ".csv",)),
    Case("xls-named-xlsx", {"s.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600},
         "data validate {d}/s.xlsx", 1, ("it looks like an old Excel 97-2003 workbook (.xls)",)),
    Case("ctrl-z-end", {"s.csv": GOOD + "\x1a"}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
]
OTHER = "occ,year,v\n" + "".join(f"a,{y},{'lots' if y == 2003 else y}\n" for y in range(2000, 2012))
CASES += [
    # options: a bad scheduler address escaped as a ValueError traceback; empty values were ignored silently
    Case("scheduler-no-port", {"s.csv": GOOD}, "forecast {d}/s.csv --scheduler bogus", 2,
         ("Invalid value for '--scheduler': 'bogus': use 'local' or a Dask scheduler address with its port, "
          "e.g. tcp://host:8786",)),
    Case("scenarios-empty", {"s.csv": GOOD}, "plan --data {d}/s.csv --scenarios ,,,", 2,
         ("Error: --scenarios ',,,': no scenario given; write QUANTILE:PROBABILITY",)),
    Case("region-empty", {"s.csv": GOOD}, "plan --data {d}/s.csv --region=", 2,
         ("Invalid value for --region: '': give a region code of the data",)),
    Case("columns-two-roles", {"o.csv": OTHER}, "forecast {d}/o.csv --id-cols year --target-col v", 2,
         ("column 'year' is given two roles (key, year or value)",)),
    # engine errors name the file
    Case("other-file-text-value", {"o.csv": OTHER}, "forecast {d}/o.csv --id-cols occ --target-col v", 1,
         ("{d}/o.csv, row 5, column 'v': value is not a number (value: 'lots'). Fix: write digits only",)),
    # the run store must not be one of the run's inputs
    Case("store-is-input", {"s.csv": GOOD}, "run --data {d}/s.csv --store {d}/s.csv --out {d}/o", 1,
         ("Error: {d}/s.csv: is an input file of this run; refusing to record the run store into it",)),
]
TITLED = "AI talent (persons),,,,,\n,,,,,\n" + GOOD  # a title row as Excel saves it: padded with separators


def _titled_workbook(path: Path) -> None:
    frame = pd.read_csv(pd.io.common.StringIO(GOOD))
    with pd.ExcelWriter(path) as w:
        pd.DataFrame([["AI talent, persons"]]).to_excel(w, sheet_name="data", index=False, header=False)
        frame.to_excel(w, sheet_name="data", index=False, startrow=2)


def _formula_workbook(path: Path) -> None:
    """The values as formulas (=1*value), saved by a program that never calculates them (no cached results)."""
    from openpyxl import Workbook

    frame = pd.read_csv(pd.io.common.StringIO(GOOD))
    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([*row[:-1], f"=1*{row[-1]}"])
    book.save(path)


CASES += [
    # tables under a title, as official statistics tables are laid out: the column names were one problem naming
    # their row; now they are found below the title, which is skipped with a warning naming it
    Case("title-rows-csv", {"s.csv": TITLED}, "data validate {d}/s.csv", 0,
         ("Warning: {d}/s.csv: the column names are in row 3; the rows above them are read as a title and skipped "
          "(row 1: 'AI talent (persons)')", "{d}/s.csv: OK: 20 rows")),
    Case("title-row-unpadded", {"s.csv": "AI talent, persons\n" + GOOD}, "data validate {d}/s.csv", 0,
         ("Warning: {d}/s.csv: the column names are in row 2; the rows above them are read as a title and skipped "
          "(row 1: 'AI talent persons')", "{d}/s.csv: OK: 20 rows")),
    Case("title-rows-xlsx", {"s.xlsx": _titled_workbook}, "data validate {d}/s.xlsx", 0,
         ("Warning: {d}/s.xlsx: the column names are in row 3", "(row 1: 'AI talent, persons')",
          "{d}/s.xlsx: OK: 20 rows")),
    Case("header-repeated", {"s.csv": GOOD + GOOD}, "data validate {d}/s.csv", 1,
         ("1 problem found:", "{d}/s.csv, row 22: this row repeats the column names (two tables pasted one under "
          "the other?). Fix: delete the row")),
    Case("xlsx-zero-bytes", {"s.xlsx": b""}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable Excel workbook (File is not a zip file); the file is empty",)),
    Case("text-lines-inside-the-table",
         {"s.csv": "".join([*GOOD.splitlines(keepends=True)[:6], "# revised figures below\n",
                            *GOOD.splitlines(keepends=True)[6:], "Source: a survey, 2024\n"])},
         "data validate {d}/s.csv", 1,
         ("1 problem found:", "{d}/s.csv, row 7: a comment line inside the table (value: '# revised figures "
          "below'). Fix: delete it, or move it above the column names",
          "Warning: {d}/s.csv: the line(s) of text below the table are read as notes and skipped (row 23: "
          "'Source: a survey, 2024')")),
    Case("xlsx-formulas-never-calculated", {"s.xlsx": _formula_workbook}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: sheet 'data' has 20 formula cell(s) without saved results (e.g. F2: =1*",
          "open the workbook in Excel or LibreOffice and save it (that stores the results), or export it as CSV")),
]
LINES = GOOD.splitlines(keepends=True)  # header, then the data rows (GOOD's row 12 is LINES[11])
BAD_ROW_12 = LINES[11].rsplit(",", 1)[0] + ",oops\n"
CASES += [
    # row numbers counted records, not lines: a blank line or a quoted line break shifted every later row
    Case("row-after-blank-line", {"s.csv": "".join([*LINES[:5], "\n", *LINES[5:11], BAD_ROW_12, *LINES[12:]])},
         "data validate {d}/s.csv", 1, ("{d}/s.csv, row 13, column 'value': value is not a number (value: 'oops')",)),
    Case("row-after-quoted-line-break",
         {"s.csv": "".join([*LINES[:5], LINES[5].replace("CN,", '"C\nN",', 1), *LINES[6:11], BAD_ROW_12,
                            *LINES[12:]])},
         "data validate {d}/s.csv", 1, ("{d}/s.csv, row 6, column 'region': unknown region code (value: 'C\\nN')",
                                        "{d}/s.csv, row 13, column 'value': value is not a number (value: 'oops')")),
    _plan_case("coverage-row-after-blank-lines", PLANNING, 1,
               ("{d}/cn_literacy_coverage.csv, row 10, column 'population': population must be a number",),
               **{"cn_literacy_coverage.csv": COVERAGE.replace("\nCN,managers,2025", "\n\n\nCN,managers,2025", 1)
                  .replace("2025,20000000,", "2025,lots,", 1)}),
]
SIGNATURES = [("png", b"\x89PNG\r\n\x1a\n", "a PNG image"), ("jpeg", b"\xff\xd8\xff\xe0", "a JPEG image"),
              ("gif", b"GIF89a", "a GIF image"), ("gzip", b"\x1f\x8b\x08", "a gzip archive")]
CASES += [Case(f"signature-{name}", {"s.csv": head + bytes(range(1, 256)) * 4}, "data validate {d}/s.csv", 1,
               (f"{{d}}/s.csv: this is not a text table (it contains binary data; it looks like {what}",))
          for name, head, what in SIGNATURES]
SEPARATORS = [("pipe", "|", "'|'"), ("full-width-comma", "，", "full-width commas '，'"), ("spaces", " ", "spaces")]
CASES += [Case(f"separator-{name}", {"s.csv": GOOD.replace(",", sep)}, "data validate {d}/s.csv", 1,
               ("{d}/s.csv: the header row 'region" + sep + "role", f"seems to be separated by {what}; save the "
                "file with comma, semicolon or tab separators"))
          for name, sep, what in SEPARATORS]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli, ("Traceback", "RuntimeWarning"))


def test_planning_without_coverage_builds(tmp_path: Path) -> None:
    """A planning file without [coverage] (no literacy targets) crashed with KeyError 'audience'."""
    from talent.config import load_planning
    from talent.io.series import load_series
    from talent.planning import build_inputs

    (tmp_path / "p.toml").write_text(NO_COVERAGE, encoding="utf-8")
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    inputs = build_inputs(load_planning(tmp_path / "p.toml"), load_series(tmp_path / "s.csv"), until=2026)
    assert inputs.coverage == ()


def test_zero_demand_report_figure_is_quiet() -> None:
    """Zero demand in the last observed year made the report's published-figure table divide 0 by 0."""
    from talent.gaps.stock import ALL
    from talent.present.report import _published

    stock = pd.DataFrame({"region": "CN", "role": [ALL, "machine_learning"], "level": ALL, "source": "observed",
                          "year": 2024, "demand": 0.0, "supply": 0.0, "gap": 0.0, "ratio": float("nan")})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _published(stock, "CN", "en")


def test_unexpected_exception_is_one_line(monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliResult]) -> None:
    """A defect of the program prints one 'internal error' line and exits 70, never a traceback."""
    from talent.cli import data_cmd

    def boom(*_: object, **__: object) -> str:
        raise ValueError("boom")

    monkeypatch.setattr(data_cmd, "validate_file", boom)
    monkeypatch.delenv("TALENT_DEBUG", raising=False)
    r = cli("data", "validate", "any.csv")
    assert r.code == 70 and "Traceback" not in r.err
    assert r.err.startswith("Error: internal error (ValueError: boom). Fix: this is a defect of talent")


@pytest.mark.parametrize(("out", "code", "message"), [
    ("{d}/p.toml", 2, "Invalid value for --out: '{d}/p.toml': unknown output format '.toml'; use a .csv, .xlsx, "
                      ".json or .md file, e.g. plan.xlsx"),
    ("{d}/s.csv", 1, "{d}/s.csv: refusing to overwrite an input file; choose another output path"),
    ("{d}/s.csv/p.xlsx", 1, "{d}/s.csv: is a file, not a folder; choose another output folder"),
])
def test_plan_checks_its_output_before_solving(out: str, code: int, message: str, tmp_path: Path,
                                               cli: Callable[..., CliResult]) -> None:
    """`talent plan --out` was checked only after the solve (about 10 s of work for nothing). A bad suffix is a
    bad option value (exit 2, as `forecast --out x.txt`); it exited 1."""
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    before = _snapshot(tmp_path)
    r = cli("plan", "--data", f"{tmp_path}/s.csv", "--out", out.format(d=tmp_path))
    assert (r.code, r.out) == (code, "") and "Traceback" not in r.err
    assert message.format(d=tmp_path) in r.err
    assert _snapshot(tmp_path) == before


def test_coverage_region_codes_are_read_in_upper_case(tmp_path: Path) -> None:
    """'cn' in a coverage file matched no region of the data: its targets and table were dropped silently."""
    from talent.io.coverage import load_coverage

    path = tmp_path / "c.csv"
    path.write_text(COVERAGE.replace("\nCN,", "\ncn,"), encoding="utf-8")
    assert set(load_coverage(path)["region"]) == {"CN"}
