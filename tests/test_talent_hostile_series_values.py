"""Hostile series files (sixth pass): numbers that read two ways, values off by a unit, and the options of the
commands that read series files.

Each case was a defect before its fix: a number read wrongly without a word, a message naming an option the user
never gave, or an option spelt as the data files spell it refused. Each asserts the exit code, no traceback, the
key parts of the message, the inputs unchanged and, for a failure, no file written
(`tests.test_talent_bad_inputs.run_case`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case

V = "data validate {d}/s.csv"
NAMES = GOOD.splitlines()[0].split(",")
LINES = GOOD.splitlines(keepends=True)


def _value(line: int, value: str, text: str = GOOD) -> str:
    """`text` with the value of file line `line` (the header is line 1) replaced by `value`."""
    lines = text.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rsplit(",", 1)[0] + f",{value}\n"
    return "".join(lines)


def _dotted(text: str) -> str:
    """GOOD with every value of four digits written with a point grouping its thousands (1057 as 1.057)."""
    out = []
    for line in text.splitlines(keepends=True):
        head, value = line.rstrip("\n").rsplit(",", 1)
        out.append(f"{head},{value[0]}.{value[1:]}\n" if value.isdigit() and len(value) == 4 else line)
    return "".join(out)


CASES = [
    # a point before three digits in a comma file with no decimal in it: 1.057 persons, or 1057 written as
    # European exports group thousands; it was read as 1.057 (the demand a thousand times too small)
    Case("point-groups-thousands", {"s.csv": _dotted(GOOD)}, V, 1,
         ("{d}/s.csv, row 2, column 'value': ambiguous number: it reads as 1 with a decimal point or 1000 with a "
          "decimal comma, and no other value of the file shows which (value: '1.000'). Fix: write the number "
          "without thousands separators", "10 problems found")),
    Case("point-groups-thousands-one-cell", {"s.csv": _value(5, "1.150")}, V, 1,
         ("{d}/s.csv, row 5, column 'value': ambiguous number: it reads as 1.15 with a decimal point or 1150",)),
    Case("point-groups-thousands-tab", {"s.tsv": _dotted(GOOD).replace(",", "\t")}, "data validate {d}/s.tsv", 1,
         ("{d}/s.tsv, row 2, column 'value': ambiguous number",)),
    # another value shows the decimal point (1000.5), so 1.150 is a decimal: read, as before
    Case("point-decimal-shown", {"s.csv": _value(3, "1000.5", _value(5, "1.150"))}, V, 0, ("OK: 20 rows",)),
    # a comma grouping thousands (quoted) is what Excel writes in English: read, as before
    Case("comma-groups-thousands", {"s.csv": _value(5, '"1,150"')}, V, 0, ("OK: 20 rows",)),
    # a value with digits added (1450 typed 14500000): read as written, silently, and forecast 10,000 times too
    # large; now a warning names the row, the value and the year before's
    Case("value-digits-added", {"s.csv": _value(11, "14500000")}, "forecast {d}/s.csv --horizon 1", 0,
         ("Warning: {d}/s.csv: a value is 100 times or more the year before's in its series, or a hundredth of it or "
          "less: row 11 (CN/machine_learning/expert/demand 2024): 14,500,000 after 1,414 in 2023; a typo",)),
    # the first years in thousands (1.0 for 1000), the later in persons: one warning, at the change
    Case("values-thousands-then-persons", {"s.csv": "".join(
        line if not 2 <= i <= 6 else _value(1, f"{int(line.rsplit(',', 1)[1]) / 1000:g}", line)
        for i, line in enumerate(LINES, start=1))}, V, 0,
         ("row 7 (CN/machine_learning/expert/demand 2020): 1,264 after 1.207 in 2019; a typo (digits added or lost) "
          "or a change of unit (thousands against persons)? They are read as written", "OK: 20 rows")),
]

FUTURE = LINES[0] + "".join(line.replace(f",{y},", f",{y + 70},") for line in LINES[1:]
                            for y in [int(line.split(",")[4])])  # the years 2085-2094
ZERO_DEMAND = LINES[0] + "".join(_value(1, "0", line) if ",demand," in line else line for line in LINES[1:])
CASES += [
    # a comma-separated list of models was 'unknown model' (exit 2) in forecast, backtest and gap
    Case("model-list", {"s.csv": GOOD}, "forecast {d}/s.csv --model drift,naive --horizon 1", 0,
         ("Forecast (2 rows)",)),
    Case("model-list-backtest", {"s.csv": GOOD}, "backtest {d}/s.csv -m drift,naive,drift --horizon 1 --windows 1", 0,
         ("│ naive", "│ drift")),
    Case("model-list-gap", {"s.csv": GOOD}, "gap {d}/s.csv --model drift,theta --paths 50", 0, ("CN 2030: gap",)),
    Case("model-list-combination", {"s.csv": GOOD}, "forecast {d}/s.csv -m mean(drift,theta),naive --horizon 1", 0,
         ("Forecast (2 rows)",)),
    Case("model-list-empty-name", {"s.csv": GOOD}, "forecast {d}/s.csv -m drift,,naive", 2,
         ("Invalid value for '--model' / '-m': 'drift,,naive': an empty model name. Fix: name a model",)),
    # data reaching past the default year (2030) was 'Error: --until 2030 is not after …', an option not given
    Case("data-past-the-default-year-gap", {"s.csv": FUTURE}, "gap {d}/s.csv --paths 50", 1,
         ("Error: the data goes up to 2094, and the year to forecast to is 2030 (--until not given: [forecast] "
          "until of the settings, 2030 by default), so no year is left to forecast. Fix: give a later year, e.g. "
          "--until 2100",)),
    Case("data-past-the-default-year-run", {"s.csv": FUTURE}, "run --data {d}/s.csv --paths 50 --no-store "
         "--out {d}/o", 1, ("Error: the data goes up to 2094, and the year to forecast to is 2030 (--until not",)),
    Case("data-past-until-given", {"s.csv": FUTURE}, "gap {d}/s.csv --paths 50 --until 2090", 1,
         ("Error: --until 2090 is not after the last observed year 2094; choose a year after 2094",)),
    # --role and --level as a data file may write them (an alias, a label, another case) were 'not in these tables'
    Case("gap-role-alias-level-label", {"s.csv": GOOD}, "gap {d}/s.csv --role ML --level Expert --paths 50", 0,
         ("CN 2030: gap",)),
    Case("gap-level-chinese", {"s.csv": GOOD}, "gap {d}/s.csv --level 专家型 --paths 50", 0, ("CN 2030: gap",)),
    # no demand: the headline said 'nan% of demand'
    Case("gap-demand-zero", {"s.csv": ZERO_DEMAND}, "gap {d}/s.csv --paths 50", 0,
         ("demand 0 persons, supply", "(demand is 0), P(shortage) 0%")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_series_value(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1GiB")
    run_case(case, tmp_path, monkeypatch, cli, forbidden=("Traceback", "internal error", "nan%"))


def test_gap_year_given_twice_is_shown_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           cli: Callable[..., CliResult]) -> None:
    """`--year 2026 --year 2026` printed the year's headline and tables twice."""
    case = Case("gap-year-twice", {"s.csv": GOOD}, "gap {d}/s.csv --year 2026 --year 2026 --paths 50", 0)
    r = run_case(case, tmp_path, monkeypatch, cli)
    assert r.out.count("CN 2026: gap") == 1, r.out


def test_model_list_with_spaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                cli: Callable[..., CliResult]) -> None:
    """`--model "drift, naive"` (a list as people type it) was 'unknown model 'drift, naive'' (exit 2)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    r = cli("forecast", "s.csv", "--model", "drift, naive", "--horizon", "1", "--out", "f.csv")
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert set((tmp_path / "f.csv").read_text(encoding="utf-8").splitlines()[0].split(",")) >= {"model", "mean"}


def _with_column(name: str, value: str, text: str = GOOD) -> str:
    """`text` with one more column, `name`, holding `value` in every data row."""
    lines = text.splitlines()
    return "\n".join([f"{lines[0]},{name}"] + [f"{line},{value}" for line in lines[1:]]) + "\n"


def _unit_workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for k, line in enumerate(GOOD.splitlines()):
        cells: list[object] = line.split(",")
        book.active.append([*cells[:4], *(cells[4:] if k == 0 else map(int, cells[4:])), "单位" if k == 0 else "千人"])
    book.save(path)


UNIT_CASES = [
    # a column giving the values' unit was ignored: 'thousands' or '万人' there, and the values read as persons
    Case("unit-column-ten-thousands", {"s.csv": _with_column("unit", "万人")}, V, 1,
         ("{d}/s.csv, rows 2–21 (20 rows), column 'unit': the column 'unit' says the values are in 万人, not in "
          "persons (value: '万人'). Fix: multiply the values to persons",)),
    Case("unit-column-thousands-xlsx", {"s.xlsx": _unit_workbook}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx, rows 2–21 (20 rows), column '单位': the column '单位' says the values are in 千人",)),
    Case("scale-column-json", {"s.json": json.dumps([{**dict(zip(NAMES, line.split(","), strict=True)), "scale": 1000}
                                                     for line in GOOD.splitlines()[1:]])},
         "data validate {d}/s.json", 1, ("key 'scale': the column 'scale' says the values are in 1000",)),
    Case("unit-column-other-unit", {"s.csv": _with_column("Unit", "FTE")}, "gap {d}/s.csv --paths 50", 1,
         ("column 'Unit': the column 'Unit' gives the values' unit as 'FTE', not a headcount in persons",)),
    Case("unit-column-share", {"s.csv": _with_column("单位", "%")}, V, 1,
         ("column '单位': the column '单位' gives the values' unit as '%', not a headcount in persons",)),
    # a word that is no unit this reader knows: read as persons, with a warning naming it
    Case("unit-column-other-word", {"s.csv": _with_column("measure", "Employment")}, V, 0,
         ("Warning: {d}/s.csv: the column 'measure' gives the values' unit as 'Employment' (row 2); the values are "
          "read as headcounts in persons", "OK: 20 rows")),
    # persons (or a scale of 1) there: read, as before
    Case("unit-column-persons", {"s.csv": _with_column("unit", "persons")}, V, 0, ("OK: 20 rows",)),
    Case("scale-column-one", {"s.csv": _with_column("scale", "1")}, V, 0, ("OK: 20 rows",)),
]


@pytest.mark.parametrize("case", UNIT_CASES, ids=[c.id for c in UNIT_CASES])
def test_unit_column(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1GiB")
    run_case(case, tmp_path, monkeypatch, cli)


def _wide(suffix: str = "") -> str:
    """GOOD as a wide table: one row per series, a column per year (named `2015` + `suffix`)."""
    rows = [line.split(",") for line in GOOD.splitlines()[1:]]
    series = list(dict.fromkeys(tuple(r[:4]) for r in rows))
    years = list(dict.fromkeys(r[4] for r in rows))
    head = ",".join(["region", "role", "level", "kind", *(y + suffix for y in years)])
    return "\n".join([head] + [",".join([*key, *(r[5] for r in rows if tuple(r[:4]) == key)]) for key in series]) + "\n"


WIDE_CASES = [
    # years as columns listed 'year' and 'value' as missing and the years as unrecognised columns, with no word of
    # the layout; now one problem says what the table is and how to reshape it
    Case("wide-table", {"s.csv": _wide()}, V, 1,
         ("1 problem found", "{d}/s.csv, row 1, column '2015': the years are columns (2015 to 2024, 10 columns): a "
          "wide table, one row per series; series files are long tables, one row per series and year. Fix: reshape "
          "it to the columns region, role, level, kind, year, value",)),
    Case("wide-table-chinese-years", {"s.csv": _wide("年")}, "forecast {d}/s.csv", 1,
         ("column '2015年': the years are columns (2015年 to 2024年, 10 columns)",)),
]


@pytest.mark.parametrize("case", WIDE_CASES, ids=[c.id for c in WIDE_CASES])
def test_wide_table(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


SEMICOLON_ROWS = GOOD.replace("\nCN,machine_learning,expert,demand,2018,",
                              "\nCN;machine_learning;expert;demand;2018;", 1)
SEPARATOR_CASES = [
    # rows separated by ';' under column names separated by ',' (two exports joined) were 'a line of text, not a row
    # of data (a note or a source line?)'
    Case("row-other-separator", {"s.csv": SEMICOLON_ROWS}, V, 1,
         ("{d}/s.csv, row 5: the row's cells are separated by semicolons (;), the column names by commas (,) (value: "
          "'CN;machine_learning;expert;demand;2018;1150'). Fix: save the file with one separator throughout",)),
    Case("rows-tab-separated-at-the-end", {"s.csv": GOOD + "CN\tmachine_learning\texpert\tdemand\t2025\t1500\n"},
         "gap {d}/s.csv --paths 50", 1, ("row 22: the row's cells are separated by tabs, the column names by commas",)),
]


@pytest.mark.parametrize("case", SEPARATOR_CASES, ids=[c.id for c in SEPARATOR_CASES])
def test_row_of_another_separator(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def _json_values(as_text: bool) -> str:
    """GOOD as JSON records, the four-digit values written with a point grouping thousands (1057 as 1.057): as
    text ("1.057", typed by a person) or as JSON numbers (1.057, a number: never grouped)."""
    out = []
    for line in GOOD.splitlines()[1:]:
        record: dict[str, object] = dict(zip(NAMES, line.split(","), strict=True))
        value = str(record["value"])
        dotted = f"{value[0]}.{value[1:]}" if len(value) == 4 else value
        record["value"] = dotted if as_text else float(dotted)
        out.append(record)
    return json.dumps(out)


JSON_CASES = [
    # JSON text "1.057" was read as 1.057 persons, as a comma file's 1.057 was
    Case("json-text-point-groups-thousands", {"s.json": _json_values(True)}, "data validate {d}/s.json", 1,
         ("{d}/s.json, record 1, key 'value': ambiguous number: it reads as 1 with a decimal point or 1000 with a "
          "decimal comma, and no other value of the file shows which (value: '1.000')",)),
    # a JSON number is a number: 1.057 is read as 1.057, as before
    Case("json-number-with-point", {"s.json": _json_values(False)}, "data validate {d}/s.json", 0, ("OK: 20 rows",)),
]


@pytest.mark.parametrize("case", JSON_CASES, ids=[c.id for c in JSON_CASES])
def test_json_text_numbers(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def test_more_jobs_than_cores_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         cli: Callable[..., CliResult]) -> None:
    """`--jobs 256` on a machine of 2 cores started 256 worker processes, each with a copy of the data (a large
    file times 256: the machine's memory); now the cores are used, with a warning."""
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    case = Case("jobs-above-cores", {"s.csv": GOOD}, "forecast {d}/s.csv --jobs 256 --horizon 1", 0,
                ("Warning: 256 worker processes asked for (--jobs, or [forecast] jobs of the settings), on a "
                 "machine of 2 core(s): 2 are used",))
    run_case(case, tmp_path, monkeypatch, cli)


PATH_CASES = [
    # a file name off by case, a space or its suffix was 'file not found' with no more: the file meant is named
    Case("file-name-case", {"Data.csv": GOOD}, "data validate {d}/data.csv", 1,
         ("Error: {d}/data.csv: file not found; did you mean '{d}/Data.csv'?",)),
    Case("file-name-suffix", {"s.xlsx": GOOD.encode()}, "forecast {d}/s.csv", 1,
         ("Error: {d}/s.csv: file not found; did you mean '{d}/s.xlsx'?",)),
    Case("file-name-dash", {}, "gap - --paths 50", 1,
         ("Error: -: file not found; '-' (standard input) is not read: save the table to a file and give its path",)),
    Case("file-name-nothing-near", {"s.csv": GOOD}, "data validate {d}/nothing.csv", 1,
         ("Error: {d}/nothing.csv: file not found\n",)),
]


@pytest.mark.parametrize("case", PATH_CASES, ids=[c.id for c in PATH_CASES])
def test_file_not_found_names_the_file_meant(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def _parquet(text: str = GOOD, numbers: bool = True) -> Callable[[Path], None]:
    """A Parquet file of `text`'s table (written by DuckDB; year and value as numbers when `numbers`)."""
    def make(path: Path) -> None:
        import duckdb
        import pandas as pd

        rows = [line.split(",") for line in text.splitlines()]
        frame = pd.DataFrame(rows[1:], columns=rows[0])
        if numbers:
            frame = frame.astype({"year": int, "value": float})
        con = duckdb.connect()
        con.register("t", frame)
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    return make


FORMAT_CASES = [
    # Parquet was 'unknown table format': now read (through DuckDB, the run store's engine), validated as the
    # other formats are, its rows named as records
    Case("parquet-read", {"s.parquet": _parquet()}, "data validate {d}/s.parquet", 0,
         ("{d}/s.parquet: OK: 20 rows, 2 series, 1 region(s), years 2015–2024",)),
    Case("parquet-forecast", {"s.parquet": _parquet()}, "forecast {d}/s.parquet --horizon 1", 0,
         ("Forecast (2 rows)",)),
    Case("parquet-bad-value", {"s.parquet": _parquet(_value(4, "n.a."), numbers=False)},
         "gap {d}/s.parquet --paths 50", 1, ("{d}/s.parquet, record 3, key 'value': value is not a number (value: "
                                             "'n.a.')",)),
    Case("parquet-damaged", {"s.parquet": b"PAR1 this is not parquet PAR1"}, "data validate {d}/s.parquet", 1,
         ("Error: {d}/s.parquet: not a readable Parquet file (", "or save the table as CSV")),
    # other formats named with their fix (they were 'unknown table format', use one of …)
    Case("xls-suffix", {"s.xls": b"\xd0\xcf\x11\xe0"}, "data validate {d}/s.xls", 1,
         ("{d}/s.xls: unknown table format '.xls'; this is an Excel 97-2003 workbook, which this reader does not "
          "take; open it in Excel or LibreOffice and save it as .xlsx or CSV (UTF-8)",)),
    Case("gzip-suffix", {"s.csv.gz": b"\x1f\x8b\x08"}, "run --data {d}/s.csv.gz --out {d}/o", 1,
         ("{d}/s.csv.gz: unknown table format '.gz'; this is a compressed file (gzip); unpack it first",)),
]


@pytest.mark.parametrize("case", FORMAT_CASES, ids=[c.id for c in FORMAT_CASES])
def test_table_formats(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def test_scientific_notation_with_a_decimal_comma(tmp_path: Path) -> None:
    """'1,23E+03' (Excel's scientific notation where the decimal mark is a comma) was 'value is not a number'."""
    from talent.io.series import load_series

    path = tmp_path / "s.csv"
    path.write_text(_value(2, "1,23E+03", GOOD).replace(",", ";").replace("1;23E+03", "1,23E+03"), encoding="utf-8")
    series = load_series(path)
    assert series["value"].iloc[0] == 1230.0


def _dotted_workbook(as_text: bool) -> Callable[[Path], None]:
    """GOOD as a workbook, the four-digit values with a point grouping thousands: text cells ('1.057', typed
    into cells formatted as text) or number cells (1.057)."""
    def make(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        for k, line in enumerate(_dotted(GOOD).splitlines()):
            cells: list[object] = line.split(",")
            if k:
                cells[4] = int(str(cells[4]))
                cells[5] = str(cells[5]) if as_text else float(str(cells[5]))
            book.active.append(cells)
        book.save(path)
    return make


XLSX_TEXT_CASES = [
    # text cells '1.057' were read as 1.057 persons, as a comma CSV's were
    Case("xlsx-text-point-groups-thousands", {"s.xlsx": _dotted_workbook(True)}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx, row 2, column 'value': ambiguous number: it reads as 1 with a decimal point or 1000 with a "
          "decimal comma, and no other value of the file shows which (value: '1.000')",)),
    # number cells are numbers: 1.057 is read as 1.057, as before
    Case("xlsx-number-with-point", {"s.xlsx": _dotted_workbook(False)}, "data validate {d}/s.xlsx", 0,
         ("OK: 20 rows",)),
]


@pytest.mark.parametrize("case", XLSX_TEXT_CASES, ids=[c.id for c in XLSX_TEXT_CASES])
def test_workbook_text_numbers(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def test_forecast_until_within_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        cli: Callable[..., CliResult]) -> None:
    """`forecast --until 2020` on data to 2024 was 'forecast failed: … of series region=CN, …', with no fix; now
    as gap and run say it."""
    case = Case("forecast-until-in-the-data", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2020", 1,
                ("Error: --until 2020 is not after the last observed year 2024; choose a year after 2024, e.g. "
                 "--until 2030",))
    r = run_case(case, tmp_path, monkeypatch, cli)
    assert "forecast failed" not in r.err


def test_chinese_column_names_with_spaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          cli: Callable[..., CliResult]) -> None:
    """'岗 位' and '年　份' (a space, an ideographic space inside a Chinese name) were 'not a known column'."""
    text = GOOD.replace(GOOD.splitlines()[0], "地区,岗 位,层级,类型,年\u3000份,人数")
    case = Case("chinese-names-spaced", {"s.csv": text}, V, 0, ("OK: 20 rows, 2 series",))
    run_case(case, tmp_path, monkeypatch, cli)


QUARTERLY = "region,role,level,kind,year,quarter,value\n" + "".join(
    f"CN,machine_learning,expert,{kind},{year},Q{q},{1000 + 40 * (year - 2015) + q}\n"
    for kind in ("demand", "supply") for year in range(2015, 2025) for q in range(1, 5))


def test_quarterly_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliResult]) -> None:
    """A quarter column beside the year gave 60 'duplicated key' problems, the quarter column never named."""
    case = Case("quarterly", {"s.csv": QUARTERLY}, "gap {d}/s.csv --paths 50", 1,
                ("1 problem found", "{d}/s.csv, row 1, column 'quarter': the column 'quarter' divides the years (Q1, "
                 "Q2, Q3, Q4, …): a quarterly or monthly table; series files hold one value per series and year. Fix: "
                 "give one row per year",))
    run_case(case, tmp_path, monkeypatch, cli)


def _swap(a: int, b: int) -> str:
    """GOOD with the cells of columns `a` and `b` swapped under the same header (two columns pasted crosswise)."""
    lines = GOOD.splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[a], cells[b] = cells[b], cells[a]
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


SWAP_CASES = [
    # columns swapped under their names gave a problem per row and column ('unknown role (value: 1000)', 'value is
    # not a number (value: machine_learning)', 40 of them); now one problem naming both columns
    Case("swapped-role-and-value", {"s.csv": _swap(1, 5)}, V, 1,
         ("1 problem found", "{d}/s.csv, row 1, column 'role': the columns 'role' and 'value' seem swapped: 'role' "
          "holds numbers (value: '1000') and 'value' holds roles (value: 'machine_learning'). Fix: swap the names "
          "'role' and 'value' in the header row",)),
    Case("swapped-year-and-value", {"s.csv": _swap(4, 5)}, "forecast {d}/s.csv", 1,
         ("1 problem found", "the columns 'value' and 'year' seem swapped: 'value' holds years (value: '2015') and "
          "'year' holds numbers (value: '1000')",)),
    Case("swapped-region-and-kind", {"s.csv": _swap(0, 3)}, V, 1,
         ("the columns 'kind' and 'region' seem swapped",)),
]


@pytest.mark.parametrize("case", SWAP_CASES, ids=[c.id for c in SWAP_CASES])
def test_swapped_columns(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def test_a_forecast_further_ahead_than_the_data_reach_back_is_warned(cli: Callable[..., CliResult],
                                                                    tmp_path: Path) -> None:
    """Data of 1950–59 forecast to 2030 (71 years ahead) went silently."""
    path = tmp_path / "old.csv"
    path.write_text("region,role,kind,year,value\n" + "".join(
        f"CN,machine_learning,demand,{y},{1000 + y - 1950}\n" for y in range(1950, 1960)), encoding="utf-8")
    far = cli("forecast", str(path), "--until", "2030", "-m", "drift")
    assert far.code == 0, far.err
    assert ("Warning: forecasting 71 years past the last observed year 1959 from data that begin in 1950: further "
            "ahead than the data reach back") in " ".join(far.err.split())
    near = cli("forecast", str(path), "--until", "1969", "-m", "drift")  # 10 years ahead of 10 years
    assert near.code == 0 and "further ahead" not in near.err


def test_percentage_cells_are_not_persons(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    """A workbook's value cells formatted as percentages (0.12 shown as 12%) were read as 0.12 persons; the same
    decimals without the format stay numbers."""
    from openpyxl import Workbook

    for name, fmt in (("pct.xlsx", "0%"), ("plain.xlsx", "General")):
        wb = Workbook()
        ws = wb.active
        ws.append(["region", "role", "kind", "year", "value"])
        for k, y in enumerate(range(2018, 2024)):
            ws.append(["CN", "machine_learning", "demand", y, 0.10 + 0.01 * k])
            ws.cell(row=ws.max_row, column=5).number_format = fmt
        wb.save(tmp_path / name)
    r = cli("data", "validate", str(tmp_path / "pct.xlsx"))
    assert r.code == 1
    assert (f"{tmp_path / 'pct.xlsx'}, row 2, column 'value': value is not a number: a percentage (value: '10%'). "
            "Fix: write persons as a plain number") in " ".join(r.err.split())
    assert cli("data", "validate", str(tmp_path / "plain.xlsx")).code == 0
