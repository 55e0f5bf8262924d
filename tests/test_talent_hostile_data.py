"""Hostile series data (third pass): damaged exports, spreadsheet habits and inputs built to hurt, table-driven.

Each case was a defect before its fix: an internal error (exit 70), a run of
minutes on a small file, or one mistake reported as dozens of problems. Each
asserts the exit code, no traceback, the key parts of the message (file, row,
column, value, fix), the inputs unchanged and, for a failure, no file written.
The older families are in `tests/test_talent_bad_inputs.py` and
`tests/test_talent_hostile_inputs.py`, whose helpers are reused here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from talent.paths import assets_dir
from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, _row, _snapshot, run_case

V = "data validate {d}/s.csv"
RECORDS = [dict(zip(GOOD.splitlines()[0].split(","), line.split(","), strict=True)) for line in GOOD.splitlines()[1:]]
HUGE_INT = "1" + "0" * 5000  # above Python's 4,300-digit limit for int('…')
CASES = [
    # a table of separators only (an export of an empty selection) was an IndexError
    Case("only-separators", {"s.csv": ",,,,,\n,,,,,\n"}, V, 1,
         ("{d}/s.csv: every cell is empty; the table needs a header row with the column names and data rows",)),
    Case("json-empty-records", {"s.json": "[{}, {}]"}, "data validate {d}/s.json", 1,
         ("{d}/s.json: every cell is empty",)),
    # a JSON integer of 5,000 digits was a ValueError from int(); now it is its row's problem
    Case("json-integer-too-long", {"s.json": json.dumps(RECORDS).replace('"1000"', HUGE_INT, 1)},
         "data validate {d}/s.json", 1,
         ("{d}/s.json, record 1, key 'value': value is not a number (value: '1000000", "(5,003 characters)",
          "Fix: write a headcount in persons")),
    Case("json-numbers-as-numbers", {"s.json": json.dumps([{**r, "year": float(r["year"]), "value": int(r["value"])}
                                                            for r in RECORDS])},
         "data validate {d}/s.json", 0, ("OK: 20 rows, 2 series",)),
    # files joined with `cat` carry the second file's byte-order mark inside: its header was not recognised
    # as a repeated header (26 problems), and a BOM before a code made it unknown
    Case("bom-inside-joined-files", {"s.csv": GOOD + "\ufeff" + GOOD}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 22: this row repeats the column names")),
    Case("bom-before-a-cell", {"s.csv": GOOD.replace("\nCN,", "\n\ufeffCN,")}, V, 0, ("OK: 20 rows",)),
    # a year cell a workbook formats as a date: 1 January is its year (a warning says so); another day is refused
    Case("year-as-date", {"s.csv": _row("2015-01-01 00:00:00", "year")}, V, 0,
         ("Warning: {d}/s.csv: the year column holds dates, read as years (1 January of each year): '2015-01-01' as "
          "2015 (row 2)", "OK: 20 rows")),
    Case("year-as-date-not-1-january", {"s.csv": _row("2015-06-30 00:00:00", "year")}, V, 1,
         ("{d}/s.csv, row 2, column 'year': the year is a date, not a year number",
          "Fix: write the year as a number, e.g. 2024 (format the column as Number, not Date)")),
    # 200,000 empty columns (a 4 MB file) took 100 s to read; refused before parsing
    Case("columns-beyond-a-spreadsheet", {"s.csv": GOOD.replace("\n", "," * 20_000 + "\n")}, V, 1,
         ("{d}/s.csv: the header row has 20,006 columns, more than a spreadsheet holds (16,384); delete the columns "
          "the table does not need",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_data(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli, ("Traceback", "internal error"))


def _count_suggestions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every closest-code lookup (about a millisecond each: one per row made 20,000 rows take 28 s)."""
    from talent.io.regions import Regions

    calls: list[str] = []
    real = Regions.suggestion

    def counted(self: Regions, value: str) -> str | None:
        calls.append(value)
        return real(self, value)

    monkeypatch.setattr(Regions, "suggestion", counted)
    return calls


def test_many_unknown_region_codes_are_checked_quickly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """60,000 rows of unlisted codes: every row is named, but only the first SUGGESTED distinct codes (and a few
    cells checked for a swapped column) get a closest code (a count, not a time: this machine's speed is no
    test)."""
    from talent.errors import DataValidationError
    from talent.io.regions import SUGGESTED
    from talent.io.series import load_series

    calls = _count_suggestions(monkeypatch)
    rows = "".join(f"Q{i % 9}{i},machine_learning,expert,demand,{2000 + i % 50},1\n" for i in range(60_000))
    path = tmp_path / "s.csv"
    path.write_text(GOOD.splitlines()[0] + "\n" + rows, encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_series(path)
    assert SUGGESTED <= len(calls) < 2 * SUGGESTED  # one per row would be 60,000
    assert len(err.value.problems) >= 60_000
    assert "unknown region code (value: 'Q00')" in str(err.value)


def _workbook(change: Callable[[Any, Any], None]) -> Callable[[Path], None]:
    """GOOD as a workbook (numbers as numbers), changed by `change(book, sheet)` before it is saved."""
    def make(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        for line in GOOD.splitlines():
            sheet.append([int(c) if c.isdigit() else c for c in line.split(",")])
        change(book, sheet)
        book.save(path)
    return make


def _blank_rows_and_a_bad_value(book: Any, sheet: Any) -> None:
    sheet.insert_rows(1, 2)  # two blank rows above the table
    sheet.insert_rows(10, 2)  # and two between its blocks
    sheet.cell(14, 6).value = "oops"  # GOOD's row 11, moved down by four


def _billion_laughs(path: Path) -> None:
    """A workbook whose sheet XML defines nested entities (an 'XML bomb')."""
    import zipfile

    _workbook(lambda book, sheet: None)(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(9))
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0"?><!DOCTYPE x [{entities}]><worksheet xmlns="http://'
                                         'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
                                         '<c r="A1" t="inlineStr"><is><t>&e8;</t></is></c></row></sheetData>'
                                         '</worksheet>').encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _empty_chartsheet(book: Any, sheet: Any) -> None:
    book.create_chartsheet("chart")  # no chart in it: openpyxl cannot read it back


X = "data validate {d}/s.xlsx"
WORKBOOK_CASES = [
    # blank rows in a sheet were one problem per column each (a CSV reader skips blank lines); rows keep their
    # numbers in the sheet
    Case("xlsx-blank-rows", {"s.xlsx": _workbook(_blank_rows_and_a_bad_value)}, X, 1,
         ("1 problem found:", "{d}/s.xlsx, row 14, column 'value': value is not a number (value: 'oops')",)),
    Case("xlsx-stray-cell-far-below", {"s.xlsx": _workbook(lambda b, s: s.cell(5000, 6, "x"))}, X, 1,
         ("6 problems found:", "{d}/s.xlsx, row 5000, column 'region': empty region",)),
    # damaged workbooks raised types the reader did not expect: exit 70
    Case("xlsx-xml-bomb", {"s.xlsx": _billion_laughs}, X, 1,
         ("{d}/s.xlsx: not a readable Excel workbook (limit on input amplification factor",
          "open it in Excel or LibreOffice and save it again as .xlsx")),
    Case("xlsx-empty-chartsheet", {"s.xlsx": _workbook(_empty_chartsheet)}, X, 1,
         ("{d}/s.xlsx: not a readable Excel workbook (",)),
]


@pytest.mark.parametrize("case", WORKBOOK_CASES, ids=[c.id for c in WORKBOOK_CASES])
def test_hostile_workbook(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)


OTHER = "occ,year,v\n" + "".join(f"{o},{y},{y - 1990 + i}\n" for i, o in enumerate("ab") for y in range(2000, 2012))
F = "forecast {d}/o.csv --id-cols occ --target-col v --model drift"
ENGINE_CASES = [
    # a file outside the data contract goes to the engine as it is: a year of -100,000,000 made it interpolate
    # 100 million years (minutes, gigabytes); 1e300 was an OverflowError (exit 70); the rows are named
    Case("year-far-away", {"o.csv": OTHER.replace(",2000,", ",-100000000,")}, F, 1,
         ("{d}/o.csv, rows 2, 14 (2 rows), column 'year': year out of range (value: '-100000000'). Fix: write the "
          "year as digits, from -9999 to 9999",)),
    Case("year-1e300", {"o.csv": OTHER.replace(",2000,", ",1e300,")}, F, 1,
         ("rows 2, 14 (2 rows), column 'year': year out of range (value: '1e300')",)),
    # values of 1e300 overflowed the models: RuntimeWarnings on the screen and infinite forecasts
    Case("value-1e300", {"o.csv": OTHER.replace(",2000,10", ",2000,1e300")}, F, 1,
         ("{d}/o.csv: forecast failed: values must be finite, >= 0 and at most 1e+15; series occ=a has 1e+300 "
          "in year 2000. Fix: correct that value: the engine forecasts counts of 0 to 1e+15, and a value this "
          "large is usually a unit or a typo",)),
    # a negative value or two rows of one year named the value but gave no fix
    Case("value-negative", {"o.csv": OTHER.replace(",2000,10", ",2000,-10").replace(",2001,11", ",2001,-11")}, F, 1,
         ("series occ=a has -10.0 in year 2000 (2 such values in all). Fix: correct that value",
          "a negative value is usually a change, a balance or a typo")),
    Case("year-twice", {"o.csv": OTHER.replace("a,2001,", "a,2000,")}, F, 1,
         ("{d}/o.csv, row 3: rows sharing a year: this row and row 2 both give series occ=a in 2000; each series "
          "needs one value per year (value: 'a, 2000'). Fix: keep one row per series and year, or name the column "
          "that tells the rows apart with --id-cols",)),
    # an empty key cell was forecast as a series of its own named 'nan'; then named without its row
    Case("id-empty", {"o.csv": OTHER.replace("\na,2003,", "\n,2003,")}, F, 1,
         ("{d}/o.csv, row 5, column 'occ': the series key is empty (value: ''). Fix: fill in the series the row "
          "belongs to, or delete the row",)),
]


@pytest.mark.parametrize("case", ENGINE_CASES, ids=[c.id for c in ENGINE_CASES])
def test_hostile_file_outside_the_contract(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)
    assert "RuntimeWarning" not in cli(*[a.format(d=tmp_path) for a in case.args.split()]).err


def _frame() -> pd.DataFrame:
    return pd.DataFrame([{"region": "CN", "role": f"r{i}", "kind": "demand", "year": y, "value": 100.0 + i + y % 7}
                         for i in range(2) for y in range(2010, 2022)])


ODD_FRAMES: list[tuple[str, Callable[[pd.DataFrame], pd.DataFrame], str]] = [
    # each was a MemoryError (petabytes), an OverflowError, a TypeError or an AttributeError, or a silent misreading
    ("year-datetime", lambda f: f.assign(year=pd.to_datetime(f["year"].astype(str))),
     "time column 'year' holds dates (datetime64"),
    ("year-period", lambda f: f.assign(year=pd.PeriodIndex(f["year"].astype(str), freq="Y")),
     "time column 'year' holds dates (period"),
    ("year-huge", lambda f: f.assign(year=f["year"].where(f.index != 0, 10**15)),
     "integer years from -9999 to 9999; found 1000000000000000 (1 bad row(s))"),
    ("value-huge", lambda f: f.assign(value=1e308), "at most 1e+15; series region=CN, role=r0, kind=demand has 1e+308"),
    ("value-bool", lambda f: f.assign(value=True), "target column 'value' must hold numbers, not bool values"),
    ("value-complex", lambda f: f.assign(value=f["value"].astype(complex)), "must hold numbers, not complex128"),
    ("value-timedelta", lambda f: f.assign(value=pd.to_timedelta(f["value"], unit="D")), "not timedelta64"),
    ("id-missing", lambda f: f.assign(role=f["role"].where(f.index != 3)),
     "id column 'role' is empty in 1 row(s) (e.g. year 2013)"),
    ("id-list", lambda f: f.assign(role=[["r"]] * len(f)), "id columns must hold text or numbers (unhashable type"),
    ("columns-repeated", lambda f: pd.concat([f, f[["value"]]], axis=1), "column names must be unique and flat (one "
                                                                          "level); repeated: ['value']"),
    ("columns-multiindex", lambda f: f.set_axis(pd.MultiIndex.from_tuples([(c, "") for c in f.columns]), axis=1),
     "column names must be flat (one level), not a MultiIndex"),
]


@pytest.mark.parametrize(("name", "change", "message"), ODD_FRAMES, ids=[n for n, _, _ in ODD_FRAMES])
def test_forecast_library_names_odd_frames(name: str, change: Callable[[pd.DataFrame], pd.DataFrame],
                                           message: str) -> None:
    import forecasts
    from forecasts.errors import ForecastError

    frame = change(_frame())
    for call in (lambda: forecasts.forecast(frame, "naive", h=2), lambda: forecasts.backtest(frame, "naive", 1, 1)):
        with pytest.raises(ForecastError, match=re.escape(message)):
            call()


PLANNING = (assets_dir() / "planning.toml").read_text(encoding="utf-8")
COVERAGE = (assets_dir() / "cn_literacy_coverage.csv").read_text(encoding="utf-8")
COVERAGE_HEADER = "region,audience,year,population,population_status,trained,trained_status"
G = "gap {d}/s.csv --planning {d}/p.toml --paths 50"
COVERAGE_CASES = [
    # a broken link or a loop where the planning file names its coverage data: the embedded file of that name
    # was used silently
    Case("coverage-broken-link", {"s.csv": GOOD, "p.toml": PLANNING,
                                  "cn_literacy_coverage.csv": lambda p: p.symlink_to("gone.csv")}, G, 1,
         ("Error: {d}/cn_literacy_coverage.csv: file not found (a symbolic link to a missing file)",)),
    Case("coverage-link-loop", {"s.csv": GOOD, "p.toml": PLANNING,
                                "cn_literacy_coverage.csv": lambda p: p.symlink_to(p.name)}, G, 1,
         ("Error: {d}/cn_literacy_coverage.csv: the file is a symbolic link loop",)),
    # column names are matched whatever their case, as in a series file ('Region' was a missing column)
    Case("coverage-header-case", {"s.csv": GOOD, "p.toml": PLANNING, "cn_literacy_coverage.csv": COVERAGE.replace(
        COVERAGE_HEADER, COVERAGE_HEADER.replace("region,audience", "Region,AUDIENCE"))}, G, 0, ("Managers",)),
    # a '#' comment or a note below the column names was six problems of its cells (unknown region '# …', empty
    # year, population, …); as in a series file it is one problem naming the line and the fix
    Case("coverage-comment-inside", {"s.csv": GOOD, "p.toml": PLANNING, "cn_literacy_coverage.csv": COVERAGE.replace(
        COVERAGE_HEADER + "\n", COVERAGE_HEADER + "\n# revised figures below\n")}, G, 1,
         ("1 problem found:", "{d}/cn_literacy_coverage.csv, row 7: a comment line inside the table (value: "
          "'# revised figures below'). Fix: delete it, or move it above the column names",)),
    Case("coverage-note-inside", {"s.csv": GOOD, "p.toml": PLANNING, "cn_literacy_coverage.csv": COVERAGE.replace(
        COVERAGE_HEADER + "\n", COVERAGE_HEADER + "\nSource: MOE bulletin 2024\n")}, G, 1,
         ("1 problem found:", "{d}/cn_literacy_coverage.csv, row 7: a line of text, not a row of data",)),
    Case("coverage-population-with-unit", {"s.csv": GOOD, "p.toml": PLANNING, "cn_literacy_coverage.csv":
                                           COVERAGE.replace("2024,20000000,", '2024,"2,00,00,000",', 1)}, G, 1,
         ("{d}/cn_literacy_coverage.csv, row 7, column 'population': population must be a number above 0 and at most "
          "10,000,000,000; this is digits grouped in twos (1,00,000), which this reader does not take (value: "
          "'2,00,00,000'). Fix: write persons as a plain number: 20000000",)),
    Case("coverage-comments-above", {"s.csv": GOOD, "p.toml": PLANNING, "cn_literacy_coverage.csv": "\n# more\n\n"
                                     + COVERAGE}, G, 0, ("Managers",)),
]


@pytest.mark.parametrize("case", COVERAGE_CASES, ids=[c.id for c in COVERAGE_CASES])
def test_hostile_coverage(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          cli: Callable[..., CliResult]) -> None:
    assert COVERAGE_HEADER in COVERAGE
    test_hostile_data(case, tmp_path, monkeypatch, cli)


def test_many_unknown_region_codes_in_coverage_data_are_checked_quickly(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """As in series files: 20,000 coverage rows of an unlisted region code took 11 s, one lookup each."""
    from talent.errors import DataValidationError
    from talent.io.coverage import load_coverage
    from talent.io.regions import SUGGESTED

    calls = _count_suggestions(monkeypatch)
    path = tmp_path / "c.csv"
    path.write_text(COVERAGE_HEADER + "\n" + "".join(f"Q{i},managers,{2000 + i % 50},100,modelled,1,modelled\n"
                                                     for i in range(60_000)), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_coverage(path)
    assert SUGGESTED <= len(calls) < 2 * SUGGESTED  # one per row would be 60,000
    assert len(err.value.problems) == 60_000


def _hidden_sheet(book: Any, sheet: Any) -> None:
    lookup = book.create_sheet("lists", 0)  # a hidden lookup list, first in the workbook
    lookup.append(["roles"])
    lookup.append(["machine_learning"])
    lookup.sheet_state = "hidden"


OPTION_CASES = [
    # a hidden sheet (a lookup list the user never sees) made the workbook 'have 2 sheets with data'
    Case("xlsx-hidden-sheet", {"s.xlsx": _workbook(_hidden_sheet)}, X, 0, ("{d}/s.xlsx: OK: 20 rows",)),
    # --id-cols ',' was read as no key column: 'series (single series) has 24 rows sharing a year'
    Case("id-cols-empty", {"o.csv": OTHER}, "forecast {d}/o.csv --id-cols , --target-col v", 2,
         ("Invalid value for --id-cols: ',' names no column; give the key columns, e.g. occ_code",)),
]


@pytest.mark.parametrize("case", OPTION_CASES, ids=[c.id for c in OPTION_CASES])
def test_hostile_sheet_and_options(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)


REGION_CASES = [
    # a combined area naming one code twice counts it twice; it was accepted ('US+US', or 5,000 times 'US')
    Case("region-code-twice", {"s.csv": _row("US+us", "region")}, V, 1,
         ("{d}/s.csv, row 2, column 'region': unknown region code (value: 'US+us'). Fix: did you mean "
          "'US (United States)'?",)),
    Case("region-code-5000-times", {"s.csv": _row("+".join(["US"] * 5000), "region")}, V, 1,
         ("{d}/s.csv, row 2, column 'region': unknown region code (value: 'US+US+US",)),
    Case("region-combined-once-each", {"s.csv": GOOD.replace("CN,", "us + ca,")}, V, 0, ("OK: 20 rows",)),
]


@pytest.mark.parametrize("case", REGION_CASES, ids=[c.id for c in REGION_CASES])
def test_hostile_region_codes(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)


def _merged_region(book: Any, sheet: Any) -> None:
    sheet.merge_cells("A2:A11")  # the region typed once for its block of demand rows
    sheet.merge_cells("A1:B1")  # a header merged across (one row): not named


def _merged_title(book: Any, sheet: Any) -> None:
    sheet.insert_rows(1)
    sheet.cell(1, 1).value = "AI talent, persons"
    sheet.merge_cells("A1:F1")


MERGED_CASES = [
    # cells merged down a block read as a value in the first row and blanks below: 'empty region' for every row
    Case("xlsx-merged-down", {"s.xlsx": _workbook(_merged_region)}, X, 1,
         ("{d}/s.xlsx: sheet 'Sheet' has cells merged down several rows (A2:A11), which read as a value in the first "
          "row and empty cells below it; unmerge them and fill the value into every row",)),
    Case("xlsx-merged-title", {"s.xlsx": _workbook(_merged_title)}, X, 0,
         ("Warning: {d}/s.xlsx: the column names are in row 2; the rows above them are read as a title and skipped "
          "(row 1: 'AI talent, persons')", "OK: 20 rows")),
]


@pytest.mark.parametrize("case", MERGED_CASES, ids=[c.id for c in MERGED_CASES])
def test_hostile_merged_cells(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)


def test_a_total_and_its_levels_are_not_both_accepted(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """Rows for level 'all' (the role's total) beside rows by level were summed into the totals: counted twice."""
    totals = "".join(line.replace(",expert,", ",all,") + "\n" for line in GOOD.splitlines()[1:])
    (tmp_path / "s.csv").write_text(GOOD + totals, encoding="utf-8")
    r = cli("gap", f"{tmp_path}/s.csv", "--paths", "50")
    assert (r.code, r.out) == (1, "") and "Traceback" not in r.err
    assert (f"{tmp_path}/s.csv, row 22, column 'level': region 'CN', role 'machine_learning' has rows for level 'all' "
            "(the total) and for level(s) expert: the total would be counted twice (value: 'all'). Fix: keep either "
            "the total (level all) or the rows by level") in r.err


def test_data_up_to_the_last_possible_year(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """Data observed up to 2100 (the contract's last year): the fix was 'choose a year after 2100', which --until
    refuses."""
    shifted = GOOD
    for year in range(2024, 2014, -1):
        shifted = shifted.replace(f",{year},", f",{year + 76},")  # 2015–2024 as 2091–2100
    (tmp_path / "s.csv").write_text(shifted, encoding="utf-8")
    r = cli("gap", f"{tmp_path}/s.csv", "--paths", "50")
    assert r.code == 1 and "Traceback" not in r.err and "choose a year after 2100" not in r.err
    assert (f"Error: {tmp_path}/s.csv, row 11, column 'year': the last observed year is 2100 (value: 2100), so "
            "--until 2030 leaves no year to forecast: forecasts go up to 2100. Fix: check the year column of the "
            "data") in r.err


def _styled_far_corner(book: Any, sheet: Any) -> None:
    from openpyxl.styles import Font

    sheet.cell(1_048_576, 16_384).font = Font(bold=True)  # formatted, empty: the sheet's size says XFD1048576


EXTENT_CASES = [
    # one value in the sheet's last cell made a 5 KB workbook read as 17 billion cells: killed for lack of memory
    Case("xlsx-value-in-the-last-cell", {"s.xlsx": _workbook(lambda b, s: s.cell(1_048_576, 16_384, "x"))}, X, 1,
         ("Error: reading {d}/s.xlsx: its cells with a value span 1,048,576 rows × 16,384 columns (A1 to XFD1048576) "
          "would need about 6.2 TiB of memory; the limit is 64.0 MiB (TALENT_MEMORY_LIMIT). Fix: delete the cells far "
          "below or to the right of the table",)),
    Case("xlsx-value-far-right", {"s.xlsx": _workbook(lambda b, s: s.cell(5000, 200, "x"))}, X, 1,
         ("its cells with a value span 5,000 rows × 200 columns (A1 to GR5000)",)),
    Case("xlsx-empty-formatted-last-cell", {"s.xlsx": _workbook(_styled_far_corner)}, X, 0, ("OK: 20 rows",)),
]


@pytest.mark.parametrize("case", EXTENT_CASES, ids=[c.id for c in EXTENT_CASES])
def test_hostile_sheet_extent(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "64MiB")
    test_hostile_data(case, tmp_path, monkeypatch, cli)


J = "data validate {d}/s.json"
JSON_CASES = [
    Case("json-no-records", {"s.json": '{"data": []}'}, J, 1,
         ("{d}/s.json: the JSON list has no records; it needs one record per observation",)),
    # what the file is instead, as for a workbook named .csv
    Case("json-lines", {"s.json": "\n".join(json.dumps(r) for r in RECORDS)}, J, 1,
         ("{d}/s.json: not valid JSON (Extra data: line 2 column 1", "it looks like JSON Lines (one record per line): "
          "put the records in a list, [{{…}}, {{…}}]")),
    Case("csv-named-json", {"s.json": GOOD}, J, 1,
         ("{d}/s.json: not valid JSON (Expecting value: line 1 column 1 (char 0)); it looks like a CSV table: if it "
          "is one, name it .csv",)),
]


@pytest.mark.parametrize("case", JSON_CASES, ids=[c.id for c in JSON_CASES])
def test_hostile_json(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)


def test_a_stray_byte_is_located(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """One byte of another encoding in a large UTF-8 file: the error named no line to look at."""
    text = "地区,岗位,层级,类型,年份,人数\n" + "".join(f"CN,机器学习,专家型,{k},{y},{100 + y - 2015}\n"
                                                   for k in ("需求", "供给") for y in range(2015, 2025))
    (tmp_path / "s.csv").write_bytes(text.encode() + "# café\n".encode("latin-1"))
    r = cli("data", "validate", f"{tmp_path}/s.csv")
    assert r.code == 1 and "Traceback" not in r.err
    assert (f"{tmp_path}/s.csv: the text is not valid UTF-8 or GBK; save it as UTF-8 (the first byte that is not "
            "UTF-8: 0xe9 on line 22, 'é' in Windows-1252)") in r.err


def test_a_csv_export_never_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         cli: Callable[..., CliResult]) -> None:
    """`gap g.models.csv --out g.csv`: the input was kept, but g.csv and g.flow.csv were written before the
    models file was refused (a failed command left half a set of outputs)."""
    from talent import export_gap, gap_tables, load_series, load_settings
    from talent.errors import OutputError

    monkeypatch.chdir(tmp_path)
    (tmp_path / "g.models.csv").write_text(GOOD, encoding="utf-8")
    before = _snapshot(tmp_path)
    r = cli("gap", "g.models.csv", "--paths", "50", "--out", "g.csv")
    assert (r.code, r.out) == (1, "") and "Traceback" not in r.err
    assert "Error: g.models.csv: refusing to overwrite an input file; choose another output path" in r.err
    assert _snapshot(tmp_path) == before
    tables = gap_tables(load_series("g.models.csv"), load_settings(forecast_paths=50), inputs=["g.models.csv"])
    with pytest.raises(OutputError, match=re.escape("g.models.csv: refusing to overwrite an input file")):
        export_gap(tables, tmp_path / "g.csv")
    assert _snapshot(tmp_path) == before


def test_one_area_written_two_ways(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """'US+CA' and 'CA+US' were two regions, each holding part of the same area's rows."""
    demand = "".join(line + "\n" for line in GOOD.splitlines()[1:] if ",demand," in line).replace("CN,", "US+CA,")
    supply = "".join(line + "\n" for line in GOOD.splitlines()[1:] if ",supply," in line).replace("CN,", "ca+us,")
    (tmp_path / "s.csv").write_text(GOOD.splitlines()[0] + "\n" + demand + supply, encoding="utf-8")
    r = cli("data", "validate", f"{tmp_path}/s.csv")
    assert r.code == 1 and "Traceback" not in r.err
    assert (f"{tmp_path}/s.csv, row 12, column 'region': the same area as 'US+CA' (row 2), its codes in another order "
            "(value: 'CA+US'). Fix: write it as 'US+CA' in every row") in r.err


HEADER_CASES = [
    # a file whose column-name row was lost: five 'required column is missing' lines naming data as columns
    Case("header-row-missing", {"s.csv": GOOD.split("\n", 1)[1]}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 1: the first row is data, not the column names (value: 'CN, "
          "machine_learning, expert, demand, 2015, 1000'). Fix: insert a first row with the column names: "
          "region,role,level,kind,year,value")),
    # a control character in a header was printed raw: "column 'region' is not a known column; rename it to 'region'"
    Case("header-control-character", {"s.csv": GOOD.replace("region,", "reg\x07ion,", 1)}, V, 1,
         ("{d}/s.csv, row 1, column 'reg\\x07ion': column 'reg\\x07ion' is not a known column. Fix: rename it to "
          "'region'",)),
]


@pytest.mark.parametrize("case", HEADER_CASES, ids=[c.id for c in HEADER_CASES])
def test_hostile_header(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        cli: Callable[..., CliResult]) -> None:
    test_hostile_data(case, tmp_path, monkeypatch, cli)


def test_text_longer_than_a_spreadsheet_cell(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    """An id of 100,000 characters (a file outside the contract) was cut in the workbook with openpyxl's bare
    UserWarning, which pointed into talent's code and named no file or column."""
    from openpyxl import load_workbook

    (tmp_path / "o.csv").write_text(OTHER.replace("\na,", "\n" + "A" * 100_000 + ","), encoding="utf-8")
    r = cli("forecast", f"{tmp_path}/o.csv", "--id-cols", "occ", "--target-col", "v", "--model", "drift",
            "--out", f"{tmp_path}/f.xlsx")
    assert r.code == 0 and "UserWarning" not in r.err and "Traceback" not in r.err
    assert (f"Warning: {tmp_path}/f.xlsx: 6 cell(s) of column 'occ' (sheet 'data') hold more than the 32,767 "
            "characters a spreadsheet cell holds and were cut; a CSV output keeps them whole") in r.err
    cells = [c.value for c in load_workbook(tmp_path / "f.xlsx").active["A"]]
    assert max(len(str(v)) for v in cells) == 32_767
