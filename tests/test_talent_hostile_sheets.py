"""Hostile series files (fifth pass): tables as statistics offices and spreadsheets lay them out.

Each case was a defect before its fix: a table under a title refused, hidden rows read silently, a year column
of dates refused, a province written by name refused, an Excel error in a column not read refusing the sheet,
a JSON key's problem labelled "row 1". Each asserts the exit code, no traceback, the key parts of the message,
the inputs unchanged and, for a failure, no file written (`tests.test_talent_bad_inputs.run_case`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case

NAMES = GOOD.splitlines()[0].split(",")
ROWS: list[list[Any]] = [[*c[:4], int(c[4]), int(c[5])] for c in (line.split(",") for line in GOOD.splitlines()[1:])]
X = "data validate {d}/s.xlsx"
V = "data validate {d}/s.csv"
J = "data validate {d}/s.json"


def _book(fill: Callable[[Any], None]) -> Callable[[Path], None]:
    """A workbook of one sheet that `fill` writes."""
    def make(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        fill(book.active)
        book.save(path)
    return make


def _table(sheet: Any, rows: list[list[Any]] | None = None, top: int = 1, left: int = 1) -> None:
    """The table (NAMES over `rows`, default ROWS) with its column names in row `top`, from column `left`."""
    for i, row in enumerate([NAMES, *(ROWS if rows is None else rows)]):
        for j, value in enumerate(row):
            sheet.cell(top + i, left + j, value)


def _titled(title: str) -> Callable[[Path], None]:
    """A statistics office's layout: a title in A1, a note in A2, the column names in row 3 from column B."""
    def fill(sheet: Any) -> None:
        sheet["A1"], sheet["A2"] = title, "数据来源：模拟"
        _table(sheet, top=3, left=2)
    return _book(fill)


def _hidden(sheet: Any) -> None:
    _table(sheet)
    for row in (5, 6):
        sheet.row_dimensions[row].hidden = True


def _dates(day: Callable[[int], datetime]) -> Callable[[Path], None]:
    """The table with each year written as the date `day(year)`, in cells formatted as dates."""
    def fill(sheet: Any) -> None:
        _table(sheet, [[*r[:4], day(r[4]), r[5]] for r in ROWS])
        for i in range(len(ROWS)):
            sheet.cell(i + 2, 5).number_format = "yyyy-mm-dd"
    return _book(fill)


def _serial(sheet: Any) -> None:
    """The years as numbers in cells formatted as dates (2015 shows as 1905-07-07)."""
    _table(sheet)
    for i in range(len(ROWS)):
        sheet.cell(i + 2, 5).number_format = "yyyy-mm-dd"


def _error_in(column: int, name: str | None = None) -> Callable[[Path], None]:
    """The table with an Excel error cell (#REF!, #N/A) in rows 3 and 4 of `column` (1-based); `name`: the
    header of an extra column there."""
    def fill(sheet: Any) -> None:
        _table(sheet)
        if name:
            sheet.cell(1, column, name)
        for row, error in ((3, "#REF!"), (4, "#N/A")):
            sheet.cell(row, column).value = error
            sheet.cell(row, column).data_type = "e"
    return _book(fill)


def _region(name: str) -> str:
    """GOOD with its region written as `name`."""
    return GOOD.replace("\nCN,", f"\n{name},")


BIG5 = GOOD.replace("machine_learning", "機器學習").replace("demand", "需求").replace("supply", "供給")
SIMPLIFIED = GOOD.replace("machine_learning", "机器学习").replace("demand", "需求").replace("supply", "供给")
def _full_width(text: str) -> str:
    """`text` as typed in full-width mode (CN as ＣＮ; quotes kept, for the CSV)."""
    return text.translate({0x21 + i: 0xFF01 + i for i in range(94) if chr(0x21 + i) != '"'})


RECORDS = [dict(zip(NAMES, r, strict=True)) for r in ROWS]

CASES = [
    # 1. the column names under a title and a note, from column B: refused ("delete the rows above row 3")
    Case("title-above-from-column-b", {"s.xlsx": _titled("表1 人工智能人才供需（人）")}, X, 0,
         ("Warning: {d}/s.xlsx: the column names are in row 3; the rows above them are read as a title and skipped "
          "(row 1: '表1 人工智能人才供需（人）'; row 2: '数据来源：模拟')", "{d}/s.xlsx: OK: 20 rows, 2 series")),
    Case("title-with-scaling-unit", {"s.xlsx": _titled("表1 人工智能人才供需（万人）")}, X, 1,
         ("{d}/s.xlsx, row 1: the title or note above the column names (row 3) says the values are in 万人, not in "
          "persons (value: '表1 人工智能人才供需（万人）'). Fix: multiply the values to persons",)),
    Case("title-unit-label-thousands", {"s.csv": "AI talent,\nUnit: thousands,\n" + GOOD}, V, 1,
         ("{d}/s.csv, row 2: the title or note above the column names (row 3) says the values are in thousands",)),
    # a header in two languages (地区 over region) was 'this row repeats the column names (two tables pasted?)'
    Case("header-in-two-languages", {"s.csv": "地区,岗位,层级,类型,年份,人数\n" + GOOD}, V, 0,
         ("Warning: {d}/s.csv: row 2 names the columns again, in other words ('region, role, level, kind, year, "
          "value'): read as a second header row and skipped", "OK: 20 rows")),
    Case("header-in-two-languages-under-a-title", {"s.csv": "表1 人工智能人才\n地区,岗位,层级,类型,年份,人数\n" + GOOD},
         V, 0, ("the column names are in row 2", "row 3 names the columns again, in other words", "OK: 20 rows")),
    Case("comment-with-scaling-unit", {"s.csv": "# AI talent\n# 单位：万人\n" + GOOD}, V, 1,
         ("{d}/s.csv, row 2: the title or note above the column names (row 3) says the values are in 万人, not in "
          "persons (value: '单位：万人'). Fix: multiply the values to persons",)),
    Case("title-blank-line-then-column-names", {"s.csv": "表1 人工智能人才供需\n\n单位：人\n" + GOOD}, V, 0,
         ("the column names are in row 4; the rows above them are read as a title and skipped (row 1: '表1 "
          "人工智能人才供需'; row 3: '单位：人')", "OK: 20 rows")),
    Case("title-and-column-names-without-data", {"s.csv": "表1\n\n" + GOOD.splitlines()[0] + "\n"}, V, 1,
         ("{d}/s.csv, row 3: the column names (row 3) have no rows of data below them. Fix: add one row per "
          "observation",)),
    Case("units-row-with-scaling-unit", {"s.csv": GOOD.replace("value\n", "value\n,,,,,(万人)\n", 1)}, V, 1,
         ("1 problem found", "{d}/s.csv, row 2: a second header row giving the values in 万人, not in persons (value: "
          "'(万人)'). Fix: multiply the values to persons and delete the row",)),
    Case("comment-with-plain-unit", {"s.csv": "# Unit: persons\n" + GOOD}, V, 0, ("OK: 20 rows",)),
    # rows above the column names that look like a table stay refused, with the fix
    Case("table-above-the-column-names", {"s.csv": "a,b,c,d,e,f\n" + GOOD}, V, 1,
         ("{d}/s.csv, row 2: the column names are in row 2, not in the first row",
          "Fix: delete the row(s) above row 2")),
    # 2. hidden rows were read silently
    Case("hidden-rows", {"s.xlsx": _book(_hidden)}, X, 0,
         ("Warning: {d}/s.xlsx: sheet 'Sheet' has hidden rows 5–6 (2 rows), read as data like the others; if they "
          "should not count, delete them from the sheet", "OK: 20 rows")),
    Case("hidden-column-read", {"s.xlsx": _book(lambda sheet: (_table(sheet), setattr(
        sheet.column_dimensions["F"], "hidden", True)))}, X, 0,
         ("Warning: {d}/s.xlsx: sheet 'Sheet' has hidden column F, read as data like the others", "OK: 20 rows")),
    Case("hidden-column-not-read", {"s.xlsx": _book(lambda sheet: (_table(sheet), sheet.cell(1, 7, "old"),
                                                                   sheet.cell(2, 7, 5), setattr(
        sheet.column_dimensions["G"], "hidden", True)))}, X, 0, ("OK: 20 rows",)),
    # 3. a year column formatted as dates was refused
    Case("year-numbers-shown-as-dates", {"s.xlsx": _book(_serial)}, X, 0,
         ("Warning: {d}/s.xlsx: the year column holds dates, read as years (year numbers in cells formatted as "
          "dates: 2015 shows as 1905-07-07): '1905-07-07' as 2015 (row 2)", "OK: 20 rows, 2 series")),
    Case("year-dates-1-january", {"s.xlsx": _dates(lambda y: datetime(y, 1, 1))}, X, 0,
         ("read as years (1 January of each year): '2015-01-01' as 2015 (row 2)", "OK: 20 rows")),
    Case("year-dates-30-june", {"s.xlsx": _dates(lambda y: datetime(y, 6, 30))}, X, 1,
         ("{d}/s.xlsx, row 2, column 'year': the year is a date, not a year number, in every row (2 to 21",
          "the dates are neither 1 January nor year numbers shown as dates (value: '2015-06-30 00:00:00'). Fix: "
          "write the years as numbers")),
    Case("year-dates-slashes-1-january",
         {"s.csv": GOOD.replace(",2015,", ",2015/1/1,").replace(",2016,", ",2016/1/1,")}, V, 0,
         ("read as years (1 January of each year): '2015/1/1' as 2015 (row 2)", "OK: 20 rows")),
    # a year written as Chinese tables write it, 2015年, was 'year is not a whole number'
    Case("year-with-nian", {"s.csv": GOOD.replace(",2015,", ",2015年,").replace(",2016,", ",2016 年,")}, V, 0,
         ("OK: 20 rows, 2 series, 1 region(s), years 2015–2024",)),
    Case("year-with-other-text", {"s.csv": GOOD.replace(",2015,", ",FY2015,", 1)}, V, 1,
         ("{d}/s.csv, row 2, column 'year': year is not a whole number (value: 'FY2015')",)),
    # 4. a province written by its name was refused ("did you mean 'CN-HA'?") on every row
    Case("province-chinese-name", {"s.csv": _region("河南省")}, V, 0,
         ("Warning: {d}/s.csv: region names are read as their province codes: read '河南省' as 'CN-HA' (first in "
          "row 2); write the codes in the file to silence this", "OK: 20 rows, 2 series, 1 region(s)")),
    Case("province-pinyin-name", {"s.csv": _region("henan sheng")}, V, 0, ("read 'henan sheng' as 'CN-HA'",)),
    Case("province-autonomous-region", {"s.csv": _region("广西壮族自治区")}, V, 0,
         ("read '广西壮族自治区' as 'CN-GX'",)),
    Case("province-name-ambiguous-stays-an-error", {"s.csv": _region("Henan or Hebei")}, V, 1,
         ("{d}/s.csv, rows 2–21 (20 rows), column 'region': unknown region code (value: 'Henan or Hebei')",)),
    # 5. an Excel error cell in a column the tool does not read refused the whole sheet
    Case("excel-error-in-notes-column", {"s.xlsx": _error_in(7, "notes")}, X, 0, ("{d}/s.xlsx: OK: 20 rows",)),
    Case("excel-error-in-role-column", {"s.xlsx": _error_in(2)}, X, 1,
         ("2 problems found", "{d}/s.xlsx, row 3, column 'role': an Excel error (#REF!) where a formula failed, not "
          "a role (value: '#REF!'). Fix: correct the formula in the spreadsheet (or type the role in the cell)",
          "{d}/s.xlsx, row 4, column 'role': an Excel error (#N/A)")),
    # 6. a JSON key's problem was labelled "row 1" (record 1, which is data); a CSV's header under comment lines too
    Case("json-key-misspelt", {"s.json": json.dumps([{("valeu" if k == "value" else k): v for k, v in r.items()}
                                                     for r in RECORDS])}, J, 1,
         ("{d}/s.json, key 'valeu': column 'valeu' is not a known column. Fix: rename it to 'value'",)),
    Case("json-key-from-a-later-record", {"s.json": json.dumps(
        RECORDS[:4] + [{**{k: v for k, v in r.items() if k != "value"}, "value (thousands)": r["value"]}
                       for r in RECORDS[4:]])}, J, 1,
         ("{d}/s.json, key 'value (thousands)' (first in record 5): the column gives values in thousands",)),
    # 7. a Big5 file that reads as GBK without an error passed on garbage labels ('機器學習' as '诀竟厩策'); GBK files,
    # even of traditional characters, are read
    Case("big5-labels-read-as-gbk", {"s.csv": BIG5.encode("big5")}, V, 1,
         ("{d}/s.csv: the text is not valid UTF-8, and it reads as Big5 (Traditional Chinese, as Excel saves CSV in "
          "Taiwan or Hong Kong; line 2 reads 'CN,機器學習,expert,需求,2015,1000'), which this reader does not take; "
          "save it as UTF-8 (Excel: File > Save As > 'CSV UTF-8'), or convert it: iconv -f BIG5 -t UTF-8",)),
    Case("gbk-simplified-labels", {"s.csv": SIMPLIFIED.encode("gbk")}, V, 0, ("OK: 20 rows, 2 series",)),
    Case("gbk-traditional-labels", {"s.csv": BIG5.encode("gbk")}, V, 1,
         ("{d}/s.csv, rows 2–21 (20 rows), column 'role': unknown role (value: '機器學習')",)),
    # a JSON file's records were called rows and its keys columns ('row 1' in a file of one line)
    Case("json-records-and-keys", {"s.json": json.dumps(RECORDS).replace('"value": 1000', '"value": "x"', 1)}, J, 1,
         ("{d}/s.json, record 1, key 'value': value is not a number (value: 'x')",)),
    Case("json-records-grouped", {"s.json": json.dumps([{k: v for k, v in r.items() if k != "level"} if i > 4
                                                       else r for i, r in enumerate(RECORDS)])}, J, 1,
         ("{d}/s.json, records 6–20 (15 records), key 'level': empty level",)),
    # JSON syntax errors people make had the one fix "a missing comma, quote or bracket is the usual cause"
    Case("json-comment", {"s.json": "// exported 2024\n" + json.dumps(RECORDS)}, J, 1,
         ("{d}/s.json: not valid JSON (Expecting value: line 1 column 1 (char 0)). Fix: JSON has no comments: "
          "delete the comment at that line",)),
    Case("json-trailing-comma", {"s.json": json.dumps(RECORDS)[:-1] + ",\n]"}, J, 1,
         ("Fix: delete the comma before the ']' at that line (JSON allows none after the last item)",)),
    Case("json-single-quotes", {"s.json": json.dumps(RECORDS).replace('"', "'")}, J, 1,
         ("Fix: JSON writes text and keys in double quotes (\"CN\"), not single quotes",)),
    Case("json-cut-short", {"s.json": json.dumps(RECORDS)[:-200]}, J, 1,
         ("Fix: the file ends before its lists and objects are closed: it may be cut short (an interrupted "
          "download or copy); get it again",)),
    Case("csv-header-under-comments", {"s.csv": "# source: modelled\n# unit: persons\n" + GOOD.replace(
        "value", "valeu", 1)}, V, 1, ("{d}/s.csv, row 3, column 'valeu': column 'valeu' is not a known column",)),
]

LAST = GOOD.splitlines()[-1]  # row 21: CN,machine_learning,expert,supply,2024,…
CUT = "\n".join(GOOD.splitlines()[:-5]) + "\n"  # the supply series stops at 2019, the demand series goes to 2024


def _formula_beside(path: Path) -> None:
    """The table with a formula saved without its result (never calculated) in a notes column."""
    _book(lambda sheet: (_table(sheet), sheet.cell(1, 7, "notes"), sheet.cell(2, 7, "=F2*2")))(path)


def _merged(*refs: str, top: int = 1) -> Callable[[Path], None]:
    """The table (column names in row `top`, a title in A1 when below it) with the cells `refs` merged; a notes
    column G beside it."""
    def fill(sheet: Any) -> None:
        _table(sheet, top=top)
        sheet.cell(top, 7, "notes")
        sheet["A1"] = sheet["A1"].value if top == 1 else "表1 人工智能人才"
        for ref in refs:
            sheet.merge_cells(ref)
    return _book(fill)


CASES += [
    # a title merged over two rows refused the sheet ('cells merged down several rows (A1:F2)'), as did a note
    # merged in a column not read; cells merged over the table's cells still are refused, naming the range
    Case("merged-title-over-two-rows", {"s.xlsx": _merged("A1:F2", top=3)}, X, 0,
         ("the column names are in row 3", "OK: 20 rows")),
    Case("merged-note-in-a-column-not-read", {"s.xlsx": _merged("G2:G6", "G7:H7")}, X, 0, ("OK: 20 rows",)),
    Case("merged-across-the-table", {"s.xlsx": _merged("C2:D2")}, X, 1,
         ("{d}/s.xlsx: sheet 'Sheet' has cells merged across columns (C2:D2), which read as a value in the first "
          "column and empty cells beside it; unmerge them and fill the value into every cell",)),
    # damaged files: a file cut short at a line break, or inside its last value (12345 read as 12), was read silently
    Case("cut-short-at-a-line-break", {"s.csv": CUT}, V, 0,
         ("Warning: {d}/s.csv: the file ends inside a series (row 16, CN/machine_learning/expert/supply): its last "
          "year is 2019, where every other series goes on to 2024; if the file was cut short", "OK: 15 rows")),
    Case("cut-short-inside-a-value", {"s.csv": CUT.rstrip("\n")[:-2]}, V, 0,
         ("the file ends inside a series (row 16", "and no line break follows that row, so its value may be cut "
          "too (12345 read as 12)")),
    Case("series-of-one-length-without-line-break", {"s.csv": GOOD.rstrip("\n")}, V, 0, ("OK: 20 rows",)),
    # pandas' 'EOF inside string starting at row 3' with 'check that every row has the same number of separators'
    Case("quote-never-closed", {"s.csv": "# note\n" + GOOD.replace("\nCN,machine_learning,expert,demand,2017",
                                                                  '\n"CN,machine_learning,expert,demand,2017', 1)},
         V, 1, ("{d}/s.csv, row 5: a cell there opens a double quote (\") that is never closed, so the rest of the "
                "file reads as one cell (value: '\"CN,machine_learning,expert,demand,2017,1114'). Fix: close the "
                "quote, or delete it",)),
    # a NUL byte near the start was "binary data"; further down it was an unknown kind 'sup\x00ply'
    Case("nul-in-a-label", {"s.csv": GOOD.replace(",supply,2020,", ",sup\x00ply,2020,")}, V, 1,
         ("{d}/s.csv, row 17: the text holds NUL characters (\\x00; 1 in the file), which a table never has: the "
          "file is damaged (a crash, a full disk or a bad copy). Fix: get the file again",)),
    Case("nul-padding", {"s.csv": GOOD + "\x00" * 5000}, V, 1, ("{d}/s.csv, row 22: the text holds NUL characters "
                                                                "(\\x00; 5,000 in the file)",)),
    Case("xlsx-cut-short", {"s.xlsx": lambda p: (_book(_table)(p), p.write_bytes(p.read_bytes()[:3000]))}, X, 1,
         ("{d}/s.xlsx: not a readable Excel workbook (File is not a zip file); it starts as a workbook does but is "
          "damaged or incomplete (cut short by an interrupted download or copy?): get the file again",)),
    # a formula without its saved result refused the sheet even in a column not read
    Case("formula-unsaved-in-notes-column", {"s.xlsx": _formula_beside}, X, 0, ("{d}/s.xlsx: OK: 20 rows",)),
    # characters that show nothing (copied from a web page) made 'CN' an unknown code 'CN\u200b' and a column
    # name unknown
    Case("zero-width-space-in-cells",
         {"s.csv": GOOD.replace("\nCN,", "\nCN\u200b,").replace(",demand,", ",\u200edemand,")}, V, 0,
         ("OK: 20 rows, 2 series, 1 region(s)",)),
    Case("zero-width-space-in-a-column-name", {"s.csv": GOOD.replace("region", "re\u200bgion", 1)}, V, 0,
         ("OK: 20 rows",)),
    # text typed in full-width mode (ＣＮ, １，０００) was an unknown code and 'a number followed by the unit or text
    # '，000'' with the fix 'write 1'; underscores between digit groups were that too
    Case("full-width-text", {"s.csv": GOOD.replace("\nCN,machine_learning,expert,demand,2015,1000", "\n" + ",".join(
        map(_full_width, ["CN", "machine_learning", "expert", "demand", "2015", '"1,000"'])))}, V, 0,
         ("OK: 20 rows, 2 series, 1 region(s), years 2015–2024",)),
    Case("underscore-groups", {"s.csv": GOOD.replace(",1000\n", ",1_000\n", 1)}, V, 1,
         ("digits grouped with underscores '_'", "Fix: write persons as a plain number: 1000")),
    Case("date-in-the-value-column", {"s.xlsx": _book(lambda sheet: (_table(sheet), sheet.cell(3, 6, datetime(
        2018, 1, 1))))}, X, 1, ("{d}/s.xlsx, row 3, column 'value': value is not a number: a date, not a number (in a "
                                 "workbook: a cell formatted as a date) (value: '2018-01-01 00:00:00'). Fix: format "
                                 "the cell as Number",)),
    Case("hex-number", {"s.csv": GOOD.replace(",1000\n", ",0x3E8\n", 1)}, V, 1,
         ("value is not a number: a number mixed with other text ('x3E8') (value: '0x3E8'). Fix: write persons as a "
          "plain number, digits only, e.g. 125000",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_sheet(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1GiB")
    forbidden = ("Traceback", "internal error") + (("has hidden",) if case.id == "hidden-column-not-read" else ())
    r = run_case(case, tmp_path, monkeypatch, cli, forbidden=forbidden)
    assert r.err.count("Fix:") <= max(1, r.err.count("\n  - ")), r.err  # one fix per problem, never two


def test_coverage_header_problem_names_the_header_row(tmp_path: Path) -> None:
    """A literacy-coverage file's missing column was 'row 1' under comment lines; now the header's row."""
    from talent.errors import DataValidationError
    from talent.io.coverage import load_coverage

    path = tmp_path / "c.csv"
    path.write_text("# modelled\n# persons\nregion,audience,year,populaton,trained\nCN,students,2024,1,0\n",
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_coverage(path)
    assert f"{path}, row 3, column 'population': required column 'population' is missing" in str(err.value)
