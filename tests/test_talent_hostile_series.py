"""Hostile series files (fourth pass): workbooks, JSON and CSV exports as other programs and people make them.

Each case was a defect before its fix: a misnamed file kind, one mistake reported as a problem per column, a
value shown as something the user never typed, or a readable file refused. Each asserts the exit code, no
traceback, the key parts of the message (file, row, column, value, fix), the inputs unchanged and, for a
failure, no file written (`tests.test_talent_bad_inputs.run_case`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case

OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
# a password-protected .xlsx is an OLE compound file whose directory names the streams in UTF-16
ENCRYPTED = OLE_HEAD + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 200 + \
    "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
ENCRYPTED_FIX = "Fix: open it in Excel, remove the password"
NAMES = GOOD.splitlines()[0].split(",")
RECORDS = [{k: (int(v) if v.isdigit() else v) for k, v in zip(NAMES, line.split(","), strict=True)}
           for line in GOOD.splitlines()[1:]]
J = "data validate {d}/s.json"
V = "data validate {d}/s.csv"
BIG5_HEADER = "地區,職位,層級,類型,年份,人數"  # traditional characters, as a Taiwan or Hong Kong export writes them
SUPPLY_2015 = "\nCN,machine_learning,expert,supply,2015"
SHAPE = "JSON must be a list of records (objects), or an object with a 'data' list; "


def _sheet(rows: list[list[object]]) -> Callable[[Path], None]:
    """A workbook of one sheet holding `rows` as written (openpyxl keeps a text "'1000" as that text)."""
    def make(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    return make


def _apostrophes(rows: list[list[object]]) -> list[list[object]]:
    """`rows` with each year and value written as text behind a spreadsheet's apostrophe ('2015, '1000)."""
    return [rows[0]] + [[*r[:4], f"'{r[4]}", f"'{r[5]}"] for r in rows[1:]]


TABLE: list[list[object]] = [NAMES] + [list(r.values()) for r in RECORDS]


def _many_sheets(n: int) -> Callable[[Path], None]:
    """A workbook of the table and `n` more sheets holding one note each."""
    def make(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        for row in TABLE:
            book.active.append(row)
        for k in range(n):
            book.create_sheet(f"note {k}").append(["see the data sheet"])
        book.save(path)
    return make


def _moved_year(line: str) -> str:
    """A line of GOOD with its year moved to the front (a table of another column order)."""
    cells = line.split(",")
    return ",".join([cells[4], *cells[:4], cells[5]]) + "\n"


def _zip(parts: dict[str, str]) -> Callable[[Path], None]:
    """A ZIP archive of these parts."""
    def make(path: Path) -> None:
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            for name, text in parts.items():
                z.writestr(name, text)
    return make


def _dated_years(path: Path) -> None:
    """The table as a workbook whose year cells are dates (1 January of the year), formatted yyyy."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(TABLE[0])
    for row in TABLE[1:]:
        book.active.append([*row[:4], datetime(int(str(row[4])), 1, 1), row[5]])
        book.active.cell(book.active.max_row, 5).number_format = "yyyy"
    book.save(path)


def _emptied(column: int) -> str:
    """GOOD with one column's cells emptied in every data row."""
    lines = GOOD.splitlines()
    return "\n".join([lines[0]] + [",".join("" if j == column else c for j, c in enumerate(line.split(",")))
                                    for line in lines[1:]]) + "\n"


def _first_value(text: str) -> str:
    """RECORDS as JSON with the first record's value written as `text`."""
    return json.dumps(RECORDS).replace('"value": 1000', f'"value": {text}', 1)

CASES = [
    # an encrypted workbook was called "an old Excel 97-2003 workbook (.xls)" with two contradicting fixes
    Case("xlsx-encrypted", {"s.xlsx": ENCRYPTED}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable .xlsx workbook: it looks like a password-protected (encrypted) Excel "
          "workbook, which cannot be read", ENCRYPTED_FIX)),
    Case("xlsx-encrypted-gap", {"s.xlsx": ENCRYPTED}, "gap {d}/s.xlsx --paths 50", 1,
         ("{d}/s.xlsx", "password-protected", ENCRYPTED_FIX)),
    Case("xlsx-encrypted-run", {"s.xlsx": ENCRYPTED}, "run --data {d}/s.xlsx --paths 50 --out {d}/o", 1,
         ("{d}/s.xlsx", "password-protected", ENCRYPTED_FIX)),
    Case("xlsm-encrypted", {"s.xlsm": ENCRYPTED}, "data validate {d}/s.xlsm", 1, ("password-protected",)),
    Case("encrypted-named-csv", {"s.csv": ENCRYPTED}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv: this is not a text table: it looks like a password-protected", ENCRYPTED_FIX)),
    Case("xls-named-xlsx-one-fix", {"s.xlsx": OLE_HEAD + b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00" + b"\x00" * 600},
         "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable .xlsx workbook: it looks like an old Excel 97-2003 workbook (.xls), which "
          "this reader does not take. Fix: open it in Excel or LibreOffice and save it as .xlsx",)),
    # JSON wrappers other than "data" were refused although the records were plain to see
    Case("json-records-wrapper", {"s.json": json.dumps({"records": RECORDS})}, J, 0, ("OK: 20 rows, 2 series",)),
    Case("json-rows-beside-meta", {"s.json": json.dumps({"meta": {"source": "NBS"}, "rows": RECORDS})}, J, 0,
         ("OK: 20 rows, 2 series",)),
    Case("json-columns", {"s.json": json.dumps({k: [r[k] for r in RECORDS] for k in NAMES})}, J, 0,
         ("OK: 20 rows, 2 series",)),
    Case("json-rows-with-header", {"s.json": json.dumps([NAMES] + [list(r.values()) for r in RECORDS])}, J, 0,
         ("OK: 20 rows, 2 series",)),
    Case("json-two-record-lists", {"s.json": json.dumps({"cn": RECORDS[:10], "us": RECORDS[10:]})}, J, 1,
         (SHAPE + "this is an object: the records are under several keys ('cn', 'us'). Fix: put the records to read "
          'under "data"',)),
    # a top-level number, string or null was "must be a list of records" without saying what the file held
    Case("json-top-number", {"s.json": "42"}, J, 1,
         (SHAPE + "the file holds a number (value: 42). Fix: write a list of records",)),
    Case("json-top-string", {"s.json": '"hello"'}, J, 1, (SHAPE + 'the file holds a string (value: "hello")',)),
    Case("json-top-null", {"s.json": "null"}, J, 1, (SHAPE + "the file holds null (value: null)",)),
    Case("json-object-of-scalars", {"s.json": '{"meta": {"v": 1}, "count": 3}'}, J, 1,
         (SHAPE + "this is an object: its keys are 'meta', 'count', none of them a list of records. Fix:",)),
    Case("json-data-not-list", {"s.json": '{"data": {"a": 1}}'}, J, 1,
         (SHAPE + "its 'data' holds an object (value: {{\"a\": 1}})",)),
    # values were shown as Python wrote them (True, {'n': '5'}, inf) or as empty (NaN), not as typed
    Case("json-value-true", {"s.json": _first_value("true")}, J, 1,
         ("{d}/s.json, record 1, key 'value': value is not a number (value: 'true')",)),
    Case("json-value-object", {"s.json": _first_value('{"n": 5}')}, J, 1,
         ("{d}/s.json, record 1, key 'value': value is not a number (value: '{{\"n\": 5}}')",)),
    Case("json-value-list", {"s.json": _first_value("[5, 6.5, null]")}, J, 1,
         ("record 1, key 'value': value is not a number (value: '[5, 6.5, null]')",)),
    Case("json-value-nan", {"s.json": _first_value("NaN")}, J, 1,
         ("{d}/s.json, record 1, key 'value': value is not a number (value: 'NaN')",)),
    Case("json-value-infinity", {"s.json": _first_value("-Infinity")}, J, 1,
         ("record 1, key 'value': value is not a number (value: '-Infinity')",)),
    # an empty record ({} or all null) was a problem per column; it is skipped as a blank line is, and rows keep
    # their record numbers. An item that is not a record was named by its value only; now by its number too
    Case("json-empty-records-skipped", {"s.json": json.dumps([*RECORDS[:2], {}, {"region": None}, *RECORDS[2:]])
                                        .replace('"value": 1114', '"value": "x"')}, J, 1,
         ("Error: 1 problem found:\n  - {d}/s.json, record 5, key 'value': value is not a number (value: 'x')",)),
    Case("json-empty-record-only", {"s.json": json.dumps([*RECORDS, {}])}, J, 0, ("OK: 20 rows",)),
    Case("json-null-item", {"s.json": json.dumps([*RECORDS[:1], None, *RECORDS[1:]])}, J, 1,
         (SHAPE + "the file holds a list whose items are not all records (objects): item 2 is not (value: null)",)),
    # a number behind a spreadsheet's text marker ('1000, as typed to keep it text or as a guarded export wrote
    # it) was "not a number"; the apostrophe is dropped, for values and years, in CSV, XLSX and JSON alike
    Case("apostrophe-numbers-xlsx", {"s.xlsx": _sheet(_apostrophes(TABLE))}, "data validate {d}/s.xlsx", 0,
         ("OK: 20 rows, 2 series, 1 region(s), years 2015–2024",)),
    Case("apostrophe-numbers-csv", {"s.csv": "\n".join(",".join(map(str, r)) for r in _apostrophes(TABLE))},
         "data validate {d}/s.csv", 0, ("OK: 20 rows, 2 series, 1 region(s), years 2015–2024",)),
    Case("apostrophe-grouped-json", {"s.json": _first_value('"\'1,000"')}, J, 0, ("OK: 20 rows",)),
    Case("apostrophe-negative", {"s.csv": GOOD.replace(",1000\n", ",'-1000\n", 1)}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv, row 2, column 'value': negative value (value: \"'-1000\")",)),
    Case("apostrophe-text-stays-text", {"s.csv": GOOD.replace(",1000\n", ",'many\n", 1)}, "data validate {d}/s.csv",
         1, ("{d}/s.csv, row 2, column 'value': value is not a number (value: \"'many\")",)),
    # a total row and a units row under the column names were a problem per empty column (5 and 6 problems,
    # "unknown region code (value: 'Total')"); each is now one problem naming the row, its text and the fix
    Case("total-row-csv", {"s.csv": GOOD + "Total,,,,,123456\n"}, V, 1,
         ("Error: 1 problem found:\n  - {d}/s.csv, row 22: a total row, not a row of data (value: 'Total, 123456'). "
          "Fix: delete it: every row is read as one observation, so a total would be counted twice",)),
    Case("total-row-middle", {"s.csv": GOOD.replace("\nCN,machine_learning,expert,supply,2015",
                                                    "\nGrand total:,,,,2024,99999" + SUPPLY_2015)},
         V, 1, ("1 problem found:", "{d}/s.csv, row 12: a total row, not a row of data (value: 'Grand total:, 2024, "
                "99999')",)),
    Case("total-row-chinese-xlsx", {"s.xlsx": _sheet([*TABLE, ["合计", None, None, None, None, 123456]])},
         "data validate {d}/s.xlsx", 1, ("1 problem found:", "{d}/s.xlsx, row 22: a total row, not a row of data "
                                          "(value: '合计, 123456')",)),
    Case("units-row-xlsx", {"s.xlsx": _sheet([TABLE[0], [None] * 5 + ["persons"], *TABLE[1:]])},
         "data validate {d}/s.xlsx", 1,
         ("1 problem found:", "{d}/s.xlsx, row 2: a second header row (units or types under the column names), not "
          "a row of data (value: 'persons'). Fix: delete it",)),
    Case("units-row-csv", {"s.csv": GOOD.replace("value\n", "value\ncode,text,text,text,yyyy,(人)\n", 1)}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 2: a second header row",
          "(value: 'code, text, text, text, yyyy, (人)')",)),
    # a workbook of 300 sheets listed every name in one message (3,000 characters); now the first ten and a count
    # (the notes sheets hold no table: the table's sheet is read, with a warning listing them the same way)
    Case("xlsx-300-sheets-with-data", {"s.xlsx": _many_sheets(299)}, "data validate {d}/s.xlsx", 0,
         ("Warning: {d}/s.xlsx: sheet 'Sheet' is read, the only one holding a table; the other sheet(s) with cells "
          "filled ('note 0', 'note 1', 'note 2', 'note 3', 'note 4', 'note 5', 'note 6', 'note 7', 'note 8', "
          "'note 9' and 289 more) hold none", "OK: 20 rows")),
    Case("xlsx-300-sheets-wrong-name", {"s.xlsx": _many_sheets(299)}, "data validate {d}/s.xlsx --sheet data", 1,
         ("{d}/s.xlsx: no sheet named 'data'; the workbook's sheets are 'Sheet', 'note 0', ", "'note 8' and 290 more "
          "(--sheet takes a name or a number from 1 to 300)",)),
    Case("xlsx-300-sheets-chosen", {"s.xlsx": _many_sheets(299)}, "data validate {d}/s.xlsx --sheet 1", 0,
         ("OK: 20 rows",)),
    # an Excel error cell (#REF!, #DIV/0!) read as empty: "missing value (value: '')" where the sheet shows
    # #DIV/0!; then one error for the sheet, which refused it even for an error in a column not read; now each
    # cell of a column read is a problem naming its error. In a CSV export the text was "not a number"
    # with the fix "digits only"; now it is named as an Excel error, or a formula's text, with its fix
    Case("xlsx-error-cells", {"s.xlsx": _sheet([TABLE[0], [*TABLE[1][:5], "#REF!"], [*TABLE[2][:5], "#DIV/0!"],
                                                *TABLE[3:]])}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx, row 2, column 'value': value is not a number: an Excel error (#REF!) where a formula failed",
          "{d}/s.xlsx, row 3, column 'value': value is not a number: an Excel error (#DIV/0!) where a formula failed",
          "Fix: correct the formula in the spreadsheet")),
    Case("csv-excel-error", {"s.csv": GOOD.replace(",1000\n", ",#N/A\n", 1)}, V, 1,
         ("{d}/s.csv, row 2, column 'value': value is not a number: an Excel error (#N/A) where a formula failed, "
          "not a number (value: '#N/A'). Fix: correct the formula in the spreadsheet and export the table again",)),
    Case("csv-formula-text", {"s.csv": GOOD.replace(",1000\n", ",=SUM(F3:F4)\n", 1)}, V, 1,
         ("{d}/s.csv, row 2, column 'value': value is not a number: a formula written as its text, not its result "
          "(value: '=SUM(F3:F4)'). Fix: in the spreadsheet copy the column and paste it as values",)),
    # footnotes without a space in their first cell (注：…, 数据来源：…) or split at a colon (Source:,NBS) were read
    # as data: 6 problems ("unknown role (value: 'NBS')", "empty level", …), then one note each; below the table
    # (as statistics tables end) they are now skipped with a warning quoting them
    Case("footnote-chinese", {"s.csv": GOOD + "注：2024年为初步数据\n"}, V, 0,
         ("Warning: {d}/s.csv: the line(s) of text below the table are read as notes and skipped (row 22: "
          "'注：2024年为初步数据')", "{d}/s.csv: OK: 20 rows")),
    Case("footnote-source-cells", {"s.csv": GOOD + "Source:,NBS,,,,\n"}, V, 0,
         ("skipped (row 22: 'Source:, NBS')", "OK: 20 rows")),
    Case("footnote-chinese-cells", {"s.csv": GOOD + "资料来源,国家统计局,,,,\n"}, V, 0,
         ("skipped (row 22: '资料来源, 国家统计局')", "OK: 20 rows")),
    Case("note-between-rows", {"s.csv": GOOD.replace(SUPPLY_2015, "\n注：下为供给" + SUPPLY_2015)}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 12: a line of text, not a row of data (a note or a source line?) "
          "(value: '注：下为供给'). Fix: delete it, or start it with #",)),
    # a second table pasted below with its columns in another order was 56 problems (every row below misread)
    Case("header-again-other-order", {"s.csv": "\n".join(GOOD.splitlines()[:11]) + "\nyear,region,role,level,kind,"
                                      "value\n" + "".join(_moved_year(line) for line in GOOD.splitlines()[11:])}, V, 1,
         ("Error: 1 problem found:\n  - {d}/s.csv, row 12: this row holds the column names in another order (two "
          "tables pasted one under the other?): the rows below it follow that order (value: 'year, region, role, "
          "level, kind, value'). Fix: move the cells of the rows below into the first header's order (region, role, "
          "level, kind, year, value) and delete this row, or save the two tables as separate files",)),
    # a header with a line break or a unit that changes nothing ("value\n(persons)", "Year (年)", "人数（人）") was
    # "not a known column"; it is read. A unit that scales ("value (thousands)", "人数（万人）") got the fix "rename it
    # to 'value'", which misreads every value; now the scale is the problem, with the fix to convert
    Case("header-line-break-xlsx", {"s.xlsx": _sheet([[*NAMES[:5], "value\n(persons)"], *TABLE[1:]])},
         "data validate {d}/s.xlsx", 0, ("OK: 20 rows",)),
    Case("header-plain-units", {"s.csv": GOOD.replace("year,value", "Year (年),人数（人）", 1)}, V, 0,
         ("OK: 20 rows",)),
    Case("header-scaled-thousands", {"s.csv": GOOD.replace(",value", ",value (thousands)", 1)}, V, 1,
         ("Error: 1 problem found:\n  - {d}/s.csv, row 1, column 'value (thousands)': the column gives values in "
          "thousands, not in persons. Fix: multiply the values to persons and rename the column to 'value'",)),
    Case("header-scaled-wan", {"s.csv": GOOD.replace(",value", ",人数（万人）", 1)}, V, 1,
         ("1 problem found:", "column '人数（万人）': the column gives values in 万人, not in persons",)),
    # a required or optional column empty in every row was one problem per row (20); now one for the column
    Case("column-empty-level", {"s.csv": _emptied(2)}, V, 1,
         ("Error: 1 problem found:\n  - {d}/s.csv, row 1, column 'level': column 'level' is empty in every row (2 to "
          "21). Fix: fill in expert, applied or all in every row, or delete the column",)),
    Case("column-empty-value", {"s.csv": _emptied(5)}, V, 1,
         ("Error: 1 problem found:\n  - {d}/s.csv, row 1, column 'value': column 'value' is empty in every row (2 to "
          "21). Fix: fill it in in every row: the headcount in persons, e.g. 125000",)),
    Case("column-empty-region-xlsx", {"s.xlsx": _sheet([TABLE[0]] + [[None, *r[1:]] for r in TABLE[1:]])},
         "data validate {d}/s.xlsx", 1, ("1 problem found:", "{d}/s.xlsx, row 1, column 'region': column 'region' "
                                          "is empty in every row (2 to 21). Fix: fill it in in every row",)),
    # another document in a ZIP archive named .xlsx (.ods, .xlsb, .docx) was "not a readable Excel workbook
    # (File contains no valid workbook part)" with a generic fix; now it is named, with its own fix
    Case("ods-named-xlsx", {"s.xlsx": _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                            "content.xml": "<x/>"})}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable .xlsx workbook: it looks like an OpenDocument file (.ods, LibreOffice Calc). "
          "Fix: save it as .xlsx or CSV",)),
    Case("xlsb-named-xlsx", {"s.xlsx": _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": "\x00"})},
         "data validate {d}/s.xlsx", 1, ("it looks like an Excel binary workbook (.xlsb). Fix: save it in Excel",)),
    Case("docx-named-xlsx", {"s.xlsx": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<x/>"})},
         "data validate {d}/s.xlsx", 1, ("it looks like a Word document (.docx), not a workbook. Fix: give the "
                                          "workbook that holds the table",)),
    # a Windows-1252 file was named by a byte (0xe9); now by the character it is there too. A Big5 file read as GBK
    # passed garbage labels on ("required column 'region' is missing … ['\ue6c7…']"); now refused by its line
    Case("cp1252-character-named", {"s.csv": GOOD.replace(",1000\n", ",1000\n# été\n", 1).encode("cp1252")}, V, 1,
         ("{d}/s.csv: the text is not valid UTF-8 or GBK; save it as UTF-8 (the first byte that is not UTF-8: 0xe9 on "
          "line 3, 'é' in Windows-1252)",)),
    Case("big5-not-read-as-gbk", {"s.csv": GOOD.replace("region,role,level,kind,year,value", BIG5_HEADER, 1)
                                  .encode("big5")}, V, 1,
         ("{d}/s.csv: the text is not valid UTF-8, and it reads as Big5 (Traditional Chinese, as Excel saves CSV in "
          "Taiwan or Hong Kong; line 1 reads '地區,職位,層級,類型,年份,人數'), which this reader does not take; save "
          "it as UTF-8 (Excel: File > Save As > 'CSV UTF-8')",)),
    # a year column formatted as dates in a workbook was one problem per row (20), then one for the column; the
    # dates are all 1 January, so each is its year, read with a warning
    Case("year-dates-xlsx", {"s.xlsx": _dated_years}, "data validate {d}/s.xlsx", 0,
         ("Warning: {d}/s.xlsx: the year column holds dates, read as years (1 January of each year): '2015-01-01' as "
          "2015 (row 2)", "format the column as Number (not Date)", "{d}/s.xlsx: OK: 20 rows, 2 series")),
    Case("first-row-without-numbers-is-data", {"s.csv": GOOD.replace(",2015,1000\n", ",,\n", 1)}, V, 1,
         ("{d}/s.csv, row 2, column 'year': year is not a whole number", "row 2, column 'value': missing value")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_series(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1GiB")
    r = run_case(case, tmp_path, monkeypatch, cli, forbidden=("Traceback", "internal error"))
    assert r.err.count("Fix:") <= max(1, r.err.count("\n  - ")), r.err  # one fix per problem, never two
