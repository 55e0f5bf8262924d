"""Hostile series data (fourth pass): what exports from other systems leave in a file, table-driven.

Each case was a defect before its fix: rows of separators only below a table
(one problem per column), a web page or an XML spreadsheet saved under a
table's name (named as a table without data rows, or as five missing
columns), a column of levels under another name or an empty header cell
(ignored: every row read as all levels), UTF-8 text garbled by a round trip
through Windows-1252 or joined to a GBK export (every Chinese name unknown, the
cause never named), a year column of spreadsheet day numbers (42005 for 2015-01-01)
named only as out of range, and in plain series files a year cell the engine
could not read ('FY2000', '2000年', full-width digits, an empty cell below the
table, a repeated header, two rows of one year) named without its row. The
helpers are those of `tests/test_talent_bad_inputs.py`.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import FRAME, GOOD, Case, _row, _xlsx, run_case
from tests.test_talent_hostile_series_values import _parquet

V = "data validate {d}/s.csv"
HTML = ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Export</title></head>\n<body><table><tr><th>region"
        "</th><th>value</th></tr><tr><td>CN</td><td>1000</td></tr></table></body></html>\n")
XML = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:'
       'office:spreadsheet"><Worksheet ss:Name="Sheet1"><Table></Table></Worksheet></Workbook>\n')
PLAIN = "unique_id,ds,y\n" + "".join(f"s{k},{y},{100 + 10 * k + y % 7}\n" for k in range(2) for y in range(2000, 2015))
P = "forecast {d}/p.csv --horizon 2 --model drift --out {d}/f.csv"
HTML_FIX = ("a system's 'Export to Excel' often saves one. Fix: open it in Excel or LibreOffice and save it as .xlsx "
            "or CSV, or export the table again as CSV")


ZH = GOOD.replace("region,role,level,kind,year,value", "地区,岗位,层级,类型,年份,人数").replace(
    "machine_learning", "机器学习")
ZH_LINES = ZH.splitlines(keepends=True)


def _wide_sheet(header: Callable[[int], object], formula: str | None = None) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["id", *[header(y) for y in range(2010, 2020)]])
        sheet.append(["a", *[100 + i for i in range(10)]])
        sheet.append(["b", *[200 + 3 * i for i in range(9)], formula or 230])
        book.save(path)
    return make


def _years(form: str | Callable[[str], str]) -> str:
    """GOOD with every year written as `form` ('{y}' the year, or a function of it)."""
    lines = GOOD.splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        cells[4] = form(cells[4]) if callable(form) else form.format(y=cells[4])
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


RECORDS = [dict(zip(GOOD.splitlines()[0].split(","), line.split(","), strict=True)) for line in GOOD.splitlines()[1:]]


def _plain(old: str, new: str) -> str:
    assert old in PLAIN
    return PLAIN.replace(old, new, 1)


CASES = [
    # a spreadsheet's CSV export writes the cells it once touched below the table as rows of separators only:
    # each was a problem per column ('empty role', 'missing value' …); they are skipped as blank lines are
    Case("separator-rows-below", {"s.csv": GOOD + ",,,,,\n,,,,,\n"}, V, 0, ("OK: 20 rows, 2 series",)),
    Case("separator-row-between-keeps-row-numbers",
         {"s.csv": GOOD.replace("\nCN,machine_learning,expert,demand,2017,", "\n,,,,,\nCN,machine_learning,expert,"
                                "demand,2017,", 1).replace(",2019,1207", ",2019,x")}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 7, column 'value': value is not a number (value: 'x')")),
    Case("bom-crlf-empty-columns-and-rows",
         {"s.csv": codecs.BOM_UTF8 + "".join(line + ",,\r\n" for line in GOOD.splitlines()).encode()
          + b",,,,,,,,\r\n,,,,,,,,\r\n"}, V, 0, ("OK: 20 rows, 2 series",)),
    Case("plain-separator-rows-below", {"p.csv": PLAIN + ",,\n,,\n"}, P, 0, (), ("f.csv",)),
    # a web page (a system's "Export to Excel") was 'a header but no data rows' as .csv, not JSON as .json,
    # and 'if it is a CSV table, name it .csv' as .xlsx; an XML spreadsheet was five missing columns
    Case("html-named-csv", {"s.csv": HTML}, V, 1,
         ("{d}/s.csv: this is a web page (HTML), not a table file (it starts with '<!DOCTYPE html>\\n<html><head>",
          HTML_FIX)),
    Case("html-named-json", {"s.json": HTML}, "data validate {d}/s.json", 1,
         ("{d}/s.json: this is a web page (HTML), not a table file", HTML_FIX)),
    Case("html-named-xlsx", {"s.xlsx": HTML}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable Excel workbook (File is not a zip file); it is a web page (HTML), not a table "
          "file, as a system's 'Export to Excel' often saves one: to read it, open it in Excel or LibreOffice and "
          "save it again as .xlsx",)),
    Case("html-utf16-named-csv", {"s.csv": HTML.encode("utf-16")}, V, 1,
         ("{d}/s.csv: this is a web page (HTML), not a table file",)),
    Case("html-forecast", {"p.csv": HTML}, P, 1, ("{d}/p.csv: this is a web page (HTML), not a table file",)),
    Case("xml-spreadsheet-named-csv", {"s.csv": XML}, V, 1,
         ("{d}/s.csv: this is an Excel 2003 XML spreadsheet (.xml), not a table file this reader takes", HTML_FIX)),
    Case("xml-spreadsheet-named-xlsx", {"s.xlsx": XML}, "data validate {d}/s.xlsx", 1,
         ("it is an Excel 2003 XML spreadsheet (.xml), not a table file this reader takes",)),
    # a year column of dates formatted as Number shows Excel's day numbers: it was only 'year out of range'
    Case("year-excel-day-number", {"s.csv": _row("42005", "year")}, V, 1,
         ("{d}/s.csv, row 2, column 'year': year out of range; it reads as a date as a spreadsheet stores it: day "
          "42005 is 2015-01-01 (a date column formatted as Number?), the year 2015 (value: '42005'). Fix: use a year "
          "between 1950 and 2100 (in the spreadsheet: =YEAR(cell) gives the year of a date)",)),
    Case("year-out-of-range-no-day-number", {"s.csv": _row("1900", "year")}, V, 1,
         ("{d}/s.csv, row 2, column 'year': year out of range (value: '1900'). Fix: use a year between 1950 and "
          "2100",)),
    Case("year-mistyped-no-day-number", {"s.csv": _row("20150", "year")}, V, 1,
         ("{d}/s.csv, row 2, column 'year': year out of range (value: '20150'). Fix: use a year between 1950 and "
          "2100",)),
    # a table file under another table format's suffix: '.parquet' named only Parquet's own error; a Parquet file
    # named .csv or .xlsx was 'binary data' or 'not a zip file' without saying what it is
    Case("csv-named-parquet", {"s.parquet": GOOD}, "data validate {d}/s.parquet", 1,
         ("{d}/s.parquet: not a readable Parquet file (", "it looks like a text file: if it is a CSV table, name it "
          ".csv; or write it again",)),
    Case("json-named-parquet", {"s.parquet": json.dumps(RECORDS)}, "data validate {d}/s.parquet", 1,
         ("it looks like JSON: if it is, name it .json",)),
    Case("xlsx-named-parquet", {"s.parquet": _xlsx({"data": FRAME})}, "data validate {d}/s.parquet", 1,
         ("it looks like an Excel workbook (or another ZIP archive): if it is a workbook, name it .xlsx",)),
    Case("parquet-named-csv", {"s.csv": _parquet()}, V, 1,
         ("{d}/s.csv: this is not a text table (it contains binary data; it looks like a Parquet file; name it "
          ".parquet)",)),
    Case("parquet-named-xlsx", {"s.xlsx": _parquet()}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable Excel workbook (File is not a zip file); it looks like a Parquet file: if it is "
          "one, name it .parquet; if it is a workbook, open it in Excel",)),
    # a year column of dates written day or month first, as European and US exports write them (01/01/2015,
    # 1/1/2015, 01.01.2015) or with milliseconds (SQL): 'not a whole number' per row, where 2015-01-01 was read
    Case("year-dates-day-first", {"s.csv": _years("01/01/{y}")}, V, 0,
         ("Warning: {d}/s.csv: the year column holds dates, read as years (1 January of each year): '01/01/2015' as "
          "2015 (row 2)", "OK: 20 rows")),
    Case("year-dates-us", {"s.csv": _years("1/1/{y}")}, V, 0, ("'1/1/2015' as 2015 (row 2)", "OK: 20 rows")),
    Case("year-dates-german", {"s.csv": _years("01.01.{y}")}, V, 0, ("'01.01.2015' as 2015", "OK: 20 rows")),
    Case("year-dates-milliseconds", {"s.csv": _years("{y}-01-01 00:00:00.000")}, V, 0, ("OK: 20 rows",)),
    Case("year-dates-day-first-31-december", {"s.csv": _years("31/12/{y}")}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 2, column 'year': the year is a date, not a year number, in every row "
          "(2 to 21;", "(value: '31/12/2015')")),
    # the whole country as Chinese tables write it ('全国') and provinces by their pre-2017 ISO codes or their
    # statistical codes (CN-11, 110000) were unknown codes without a suggestion
    Case("region-national-in-chinese", {"s.csv": GOOD.replace("\nCN,", "\n全国,")}, V, 1,
         ("{d}/s.csv, rows 2–21 (20 rows), column 'region': unknown region code (value: '全国'). Fix: did you mean "
          "'CN (China)'?",)),
    Case("region-pre-2017-iso-code", {"s.csv": GOOD.replace("\nCN,", "\nCN-11,")}, V, 1,
         ("column 'region': unknown region code (value: 'CN-11'). Fix: did you mean 'CN-BJ (Beijing Shi)'?",)),
    Case("region-statistical-code", {"s.csv": GOOD.replace("\nCN,", "\n410000,")}, V, 1,
         ("column 'region': unknown region code (value: '410000'). Fix: did you mean 'CN-HA (Henan Sheng)'?",)),
    Case("region-number-gets-no-guess", {"s.csv": GOOD.replace("\nCN,", "\n11,")}, V, 1,
         ("column 'region': unknown region code (value: '11'). Fix: use an ISO 3166-1",)),
    # a year column formatted as Number with thousands separators exports '2,015': 'not a whole number' per row
    Case("year-with-thousands-separator", {"s.csv": _years(lambda y: f'"{y[0]},{y[1:]}"')}, V, 0, ("OK: 20 rows",)),
    Case("year-with-point-groups", {"s.csv": _years(lambda y: f"{y[0]}.{y[1:]}")}, V, 0, ("OK: 20 rows",)),
    # the figure space (U+2007), which some locales group digits with, was 'a number mixed with other text'
    Case("value-grouped-with-figure-spaces", {"s.csv": _row('"1\u2007000"')}, V, 0, ("OK: 20 rows",)),
    # column names in two languages in one cell ('Region / 地区', '地区 Region'), as bilingual statistical tables
    # write them: five 'not a known column' problems, and the level column ignored (every row all levels)
    Case("header-two-languages-in-one-cell", {"s.csv": GOOD.replace(
        "region,role,level,kind,year,value",
        "Region / 地区,Role / 岗位,Level / 层级,Kind / 类型,Year / 年份,Value / 人数", 1)},
         V, 0, ("OK: 20 rows, 2 series",)),
    Case("header-two-languages-chinese-first", {"s.csv": GOOD.replace(
        "region,role,level,kind,year,value", "地区 Region,岗位 Role,层级 Level,类型 Kind,年份 Year,人数（人） Value",
        1)},
         V, 0, ("OK: 20 rows, 2 series",)),
    Case("header-two-languages-scaled", {"s.csv": GOOD.replace(
        "region,role,level,kind,year,value", "region,role,level,kind,year,人数（万人） / Value", 1)}, V, 1,
         ("{d}/s.csv, row 1, column '人数（万人） / Value': the column gives values in 万人, not in persons",)),
    Case("header-two-different-names-in-one-cell", {"s.csv": GOOD.replace(
        "region,role,level,kind,year,value", "region,role,level,kind,year / value,value", 1)}, V, 1,
         ("required column 'year' is missing",)),
    # a column of levels under another name or none (a blank header cell, a merged one) was ignored without a
    # word: every row read as all levels, a file of expert headcounts as the total
    Case("levels-under-another-name", {"s.csv": GOOD.replace(",level,", ",tier,", 1)}, V, 1,
         ("1 problem found:", "{d}/s.csv, row 1, column 'tier': the column 'tier' holds levels (expert), but only a "
          "column named 'level' is read as the level: every row would be read as all levels. Fix: name the column "
          "'level' (or 层级)")),
    Case("levels-under-a-blank-name", {"s.csv": GOOD.replace(",level,", ",,", 1)}, V, 1,
         ("{d}/s.csv, row 1, column 'column 3': the column 'column 3' (its name is empty) holds levels (expert)",)),
    Case("levels-under-a-blank-name-xlsx", {"s.xlsx": _xlsx({"data": FRAME.rename(columns={"level": " "})})},
         "data validate {d}/s.xlsx", 1, ("the column 'column 3' (its name is empty) holds levels (expert)",)),
    Case("column-of-totals-is-not-levels", {"s.csv": GOOD.replace(",level,", ",scope,", 1).replace(
        ",expert,", ",all,")}, V, 0, ("OK: 20 rows",)),
    Case("levels-unread-but-required-columns-missing-first", {"s.csv": GOOD.replace(",level,", ",tier,", 1).replace(
        "role,", "job,", 1)}, V, 1, ("required column 'role' is missing",)),
    # a UTF-8 file read as Windows-1252 ('ANSI') and saved again: valid UTF-8, so every Chinese name was unknown
    # (five missing columns, the cause never named)
    Case("utf8-read-as-ansi-and-saved-again", {"s.csv": ZH.encode("utf-8").decode("cp1252", errors="replace")
                                               .encode("utf-8")}, V, 1,
         ("{d}/s.csv, row 1: the text is garbled: 'åœ°åŒº' is '地区' saved in UTF-8, read back as Windows-1252 "
          "(Western 'ANSI') and saved again", "Fix: use the original file; or open it in Excel through Data > From "
          "Text/CSV with File origin 'Unicode (UTF-8)' and save it as 'CSV UTF-8'")),
    Case("utf8-read-as-latin1-and-saved-again", {"s.csv": GOOD.replace("machine_learning", "机器学习").encode(
        "utf-8").decode("latin-1").encode("utf-8")}, V, 1,
         ("{d}/s.csv, row 2: the text is garbled:", "is '机器学习' saved in UTF-8")),
    Case("accented-text-is-not-garbled", {"s.csv": GOOD.replace("value\n", "value,note\n", 1).replace(
        "\nCN,machine_learning,expert,demand,2015,1000\n", "\nCN,machine_learning,expert,demand,2015,1000,"
        "Übersicht für Zürich: ça; São Paulo; 北京（万人）; Ærø; Tromsø\n", 1)}, V, 0, ("OK: 20 rows",)),
    # an export of Chinese Excel (GBK) joined to a UTF-8 one: read whole as GBK, the UTF-8 part was garbled
    Case("utf8-and-gbk-joined", {"s.csv": "".join(ZH_LINES[:11]).encode("utf-8") + "".join(ZH_LINES[11:])
                                 .encode("gbk")}, V, 1,
         ("{d}/s.csv: the file mixes two encodings: row 1 is UTF-8 ('地区,岗位,层级,类型,年份,人数') and row 12 is not "
          "(GBK, as Chinese Excel saves CSV: 'CN,机器学习,expert,supply,2015,400')", "Fix: save every part as UTF-8")),
    Case("gbk-alone-is-read", {"s.csv": ZH.encode("gbk")}, V, 0, ("OK: 20 rows",)),
    # one series ending decades before the rest (supply of 1990–99 beside demand up to 2024) was forecast 31 years
    # ahead to 2030 without a word: the file-wide check saw data from 1990 to 2024
    Case("one-series-ends-long-before-the-rest", {"s.csv": "".join(
        line.replace(f",{y},", f",{y - 25},") if ",supply," in line else line
        for line in GOOD.splitlines(keepends=True) for y in [int(line.split(",")[4]) if line[0] == "C" else 0])},
         "gap {d}/s.csv --out {d}/g.csv", 0,
         ("Warning: 1 series ends long before the rest and is forecast further ahead than its data reach back: "
          "CN/machine_learning/expert/supply (1990–1999, 31 years ahead); the intervals that far out are the "
          "reference class's widths extended, so read those figures as a scenario (or add the recent years)",),
         ("g.csv",)),
    # plain series files: the year cells went to the engine as they were, which named no row ('time column 'ds'
    # must hold integer years …; found nan (2 bad row(s))'), and refused '2000年' and '２０００', which series
    # files read
    Case("plain-year-with-nian", {"p.csv": _plain("s0,2000,", "s0,2000年,")}, P, 0, (), ("f.csv",)),
    Case("plain-year-full-width", {"p.csv": _plain("s0,2000,", "s0,２０００,")}, P, 0, (), ("f.csv",)),
    Case("plain-year-with-decimals", {"p.csv": _plain("s0,2000,", "s0,2000.0,")}, P, 0, (), ("f.csv",)),
    Case("plain-year-fiscal", {"p.csv": _plain("s0,2000,", "s0,FY2000,")}, P, 1,
         ("1 problem found:", "{d}/p.csv, row 2, column 'ds': year is not a whole number (value: 'FY2000'). Fix: "
          "write the calendar year as digits, e.g. 2024",)),
    Case("plain-year-two-years", {"p.csv": _plain("s0,2000,", "s0,2000-16,")}, P, 1,
         ("{d}/p.csv, row 2, column 'ds': year is not a whole number (value: '2000-16')",)),
    Case("plain-total-and-source-below", {"p.csv": PLAIN + "合计,,9999\nSource: NBS,,\n"}, P, 1,
         ("{d}/p.csv, rows 32–33 (2 rows), column 'ds': the year is empty (value: ''). Fix: fill in the year, or "
          "delete the row (a total or a note below the table?)",)),
    Case("plain-header-repeated", {"p.csv": PLAIN + PLAIN.replace("s0", "s5").replace("s1", "s6")}, P, 1,
         ("1 problem found:", "{d}/p.csv, row 32: this row repeats the column names (two tables pasted one under "
          "the other?). Fix: delete the row")),
    Case("plain-year-excel-day-number", {"p.csv": _plain("s0,2000,", "s0,36526,")}, P, 1,
         ("{d}/p.csv, row 2, column 'ds': year out of range; it reads as a date as a spreadsheet stores it: day "
          "36526 is 2000-01-01 (a date column formatted as Number?), the year 2000 (value: '36526'). Fix: write the "
          "year as digits (in the spreadsheet: =YEAR(cell) gives the year of a date)",)),
    Case("plain-year-and-value-problems-together", {"p.csv": _plain("s0,2000,", "s0,FY2000,").replace(
        "s1,2003,", "s1,2003,x", 1)}, P, 1,
         ("2 problems found:", "row 2, column 'ds': year is not a whole number", "row 20, column 'y': value is not "
          "a number")),
    Case("plain-json-names-records", {"p.json": json.dumps(
        [{"unique_id": "a", "ds": y, "y": y - 1990} for y in range(2000, 2012)] + [{"unique_id": "a", "ds": "FY2012",
                                                                                    "y": 3}])},
         "forecast {d}/p.json --horizon 2 --out {d}/f.csv", 1,
         ("{d}/p.json, record 13, key 'ds': year is not a whole number (value: 'FY2012')",)),
    # a wide sheet (one row per series) whose year headers are dates, as Excel shows a header of dates: read as
    # a contract file with 8 problems ('required column region is missing' …)
    Case("plain-wide-year-headers-as-dates", {"w.xlsx": _wide_sheet(lambda y: datetime(y, 1, 1))},
         "forecast {d}/w.xlsx --horizon 1 --out {d}/f.csv", 0, ("the years as columns",), ("f.csv",)),
    # a value of a wide sheet was named under the column 'value', which the file does not have
    Case("plain-wide-names-the-year-column", {"w.csv": "id,2010,2011,2012,2013\na,1,2,x,4\nb,1,2,3,4\n"},
         "forecast {d}/w.csv --horizon 1 --out {d}/f.csv", 1,
         ("{d}/w.csv, row 2, column '2012': value is not a number (value: 'x')",)),
    # a formula saved without its result read as its text, 'value is not a number (value: '=1/0')': fix 'digits'
    Case("plain-wide-formula-without-result", {"w.xlsx": _wide_sheet(lambda y: y, formula="=1/0")},
         "forecast {d}/w.xlsx --horizon 1 --out {d}/f.csv", 1,
         ("{d}/w.xlsx: sheet 'Sheet' has 1 formula cell(s) without saved results (e.g. K3: =1/0), which read as "
          "empty; open the workbook in Excel or LibreOffice and save it",)),
    # dates written day or month first (31/12/2015, 12/31/2015) and periods (2015Q1, 2015M03) were 'not a whole
    # number' per row: their year is sure whatever the order; several in one year of a series are refused
    Case("plain-dates-day-first", {"p.csv": "id,date,value\n" + "".join(f"a,31/12/{y},{y - 1990}\n"
                                                                         for y in range(2000, 2015))},
         "forecast {d}/p.csv --horizon 1 --out {d}/f.csv", 0, (), ("f.csv",)),
    Case("plain-dates-month-first", {"p.csv": "id,date,value\n" + "".join(f"a,12/31/{y},{y - 1990}\n"
                                                                           for y in range(2000, 2015))},
         "forecast {d}/p.csv --horizon 1 --out {d}/f.csv", 0, (), ("f.csv",)),
    Case("plain-quarters-refused", {"p.csv": "id,period,value\n" + "".join(
        f"a,{y}Q{q},{y - 1990 + q}\n" for y in range(2000, 2005) for q in range(1, 5))},
         "forecast {d}/p.csv --horizon 1 --out {d}/f.csv", 1,
         ("{d}/p.csv, row 2, column 'period': 4 dates fall in 2000 in series id=a (2000Q1, 2000Q2, 2000Q3, 2000Q4)",)),
    Case("plain-date-that-is-none", {"p.csv": "id,date,value\n" + "".join(f"a,31/31/{y},{y - 1990}\n"
                                                                           for y in range(2000, 2005))},
         "forecast {d}/p.csv --horizon 1 --out {d}/f.csv", 1,
         ("{d}/p.csv, row 2, column 'date': the year is written as a date that does not exist (value: "
          "'31/31/2000'). Fix: write the calendar year as digits, e.g. 2024",)),
    # two-digit years (05, 06 …, as a spreadsheet shows 'yy') were read as years 5, 6 … without a word
    Case("plain-two-digit-years", {"p.csv": "id,year,value\n" + "".join(f"a,{y:02d},{100 + y}\n"
                                                                         for y in range(5, 20))},
         "forecast {d}/p.csv --horizon 1 --out {d}/f.csv", 0,
         ("Warning: {d}/p.csv: the years in column 'year' are 5 to 19, read as written (years of the first "
          "century); if they are two-digit years (2005 to 2019), write them in full",), ("f.csv",)),
    # a key column named that is not there: the rows were checked as one series first (15 'rows sharing a year')
    Case("plain-key-column-missing-is-named", {"p.csv": PLAIN}, "forecast {d}/p.csv --id-cols uid --time-col ds "
         "--target-col y --out {d}/f.csv", 1,
         ("{d}/p.csv: forecast failed: id column(s) ['uid'] not in the data; columns are ['unique_id', 'ds', 'y']",)),
    # '2,000' was 'not a whole number'; '2.000' (2000 grouped the European way) was read as the year 2
    Case("plain-years-with-thousands-separators", {"p.csv": "id,year,value\n" + "".join(
        f'a,"{str(y)[0]}{sep}{str(y)[1:]}",{y - 1990}\n' for y in range(2000, 2015) for sep in [",." [y % 2]])},
         "forecast {d}/p.csv --horizon 1 --out {d}/f.csv", 0, (), ("f.csv",)),
    # JSON dates with a time zone ('2000-12-31T00:00:00Z'); mixed zones were an internal error once read as dates
    Case("plain-json-dates-with-time-zones", {"p.json": json.dumps(
        [{"id": "a", "date": f"{y}-12-31T00:00:00" + ("+08:00" if y % 2 else "Z"), "y": y - 1990}
         for y in range(2000, 2015)])}, "forecast {d}/p.json --horizon 1 --out {d}/f.csv", 0, (), ("f.csv",)),
    Case("year-dates-json-utc", {"s.json": json.dumps(
        [dict(r, year=f"{r['year']}-01-01T00:00:00.000Z") for r in (
            dict(zip(GOOD.splitlines()[0].split(","), line.split(","), strict=True))
            for line in GOOD.splitlines()[1:])])}, "data validate {d}/s.json", 0,
         ("'2015-01-01T00:00:00.000Z' as 2015 (record 1)", "write the years as numbers (2015)", "OK: 20 rows")),
    # the warnings of a JSON series file named rows, where its problems name records
    Case("json-jump-names-the-record", {"s.json": json.dumps(
        [dict(r, value="10000000000") if r["year"] == "2024" and r["kind"] == "demand" else r for r in RECORDS])},
         "data validate {d}/s.json", 0, ("a hundredth of it or less: record 10 (CN/machine_learning/expert/demand "
                                         "2024)",)),
    Case("json-cut-short-names-the-record", {"s.json": json.dumps(RECORDS[:13])}, "data validate {d}/s.json", 0,
         ("the file ends inside a series (record 13, CN/machine_learning/expert/supply)",)),
    # a plain file's value cells were 'not a number', fix 'digits only', whatever they held: an Excel error, a
    # formula's text, a number with a unit now get the series files' reasons and fixes
    Case("plain-value-excel-error", {"p.csv": _plain("s0,2003,101", "s0,2003,#DIV/0!")}, P, 1,
         ("{d}/p.csv, row 5, column 'y': an Excel error (#DIV/0!) where a formula failed, not a number (value: "
          "'#DIV/0!'). Fix: correct the formula in the spreadsheet and export the table again",)),
    Case("plain-value-with-a-unit", {"p.csv": _plain("s0,2003,101", "s0,2003,10万")}, P, 1,
         ("{d}/p.csv, row 5, column 'y': a number with the unit '万' (× 10,000) (value: '10万'). Fix: write the value "
          "as a plain number: 100000",)),
    Case("plain-value-formula-text", {"p.csv": _plain("s0,2003,101", "s0,2003,=SUM(C2:C4)")}, P, 1,
         ("row 5, column 'y': a formula written as its text, not its result",)),
    Case("plain-row-repeated-with-another-value", {"p.csv": PLAIN + "s0,2000,555\n"}, P, 1,
         ("{d}/p.csv, row 32: rows sharing a year: this row and row 2 both give series unique_id=s0 in 2000; each "
          "series needs one value per year (value: 's0, 2000'). Fix: keep one row per series and year",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_export(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        cli: Callable[..., CliResult]) -> None:
    run_case(case, tmp_path, monkeypatch, cli, ("Traceback", "internal error"))
    for name in case.out:
        assert (tmp_path / name).is_file()


def test_plain_year_bound_is_the_engines() -> None:
    from forecasts.prepare import MAX_YEAR
    from talent.io.plain import MAX_YEAR as PLAIN_MAX_YEAR

    assert PLAIN_MAX_YEAR == MAX_YEAR


def test_a_role_with_demand_only_keeps_the_totals_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           cli: Callable[..., CliResult]) -> None:
    """A role with demand data and no supply series: the totals counted its supply as 0 in their means but not
    in their paths, so the total gap had no interval and no P(shortage): the headline read 'interval nan–nan',
    'P(shortage) nan%'. The paths now count it as the means do; the role's own cell stays without a gap."""
    demand = [line for line in GOOD.splitlines()[1:] if ",demand," in line]
    path = tmp_path / "s.csv"
    path.write_text(GOOD + "".join(line.replace("machine_learning", "ai_chips") + "\n" for line in demand),
                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = cli("gap", str(path), "--out", str(tmp_path / "g.csv"))
    assert r.code == 0, r.err
    assert "nan" not in r.out + r.err
    assert ("Warning: no gap where a side is missing (CN/ai_chips/expert has demand only): its gap, ratio and "
            "P(shortage) are left empty; the totals count the missing side as 0") in r.err
    head = next(line for line in r.out.splitlines() if line.startswith("CN 2030: gap "))
    assert "(interval " in head and "P(shortage) 100%" in head, head
    table = pd.read_csv(tmp_path / "g.csv")
    total = table[(table["Role"] == "All roles") & (table["Level"] == "All levels") & (table["Year"] == 2030)]
    assert total.notna().all(axis=None), total.T
    chips = table[(table["Role"] == "AI chips") & (table["Year"] == 2030)]
    assert chips["Gap (demand − supply)"].isna().all() and chips["P(shortage)"].isna().all()


def test_positions_get_no_two_digit_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            cli: Callable[..., CliResult]) -> None:
    (tmp_path / "p.csv").write_text("V1," + ",".join(f"V{i}" for i in range(2, 22)) + "\n" + "".join(
        f"S{k}," + ",".join(str(100 + i + k) for i in range(20)) + "\n" for k in range(3)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = cli("forecast", str(tmp_path / "p.csv"), "--horizon", "1", "--out", str(tmp_path / "f.csv"))
    assert r.code == 0 and "two-digit" not in r.err, r.err
    (tmp_path / "t.tsf").write_text("@relation t\n@attribute series_name string\n@frequency yearly\n@data\n"
                                    "T1:1,2,3,4,5,6,7,8,9,10\nT2:2,3,4,5,6,7,8,9,10,11\n", encoding="utf-8")
    r = cli("forecast", str(tmp_path / "t.tsf"), "--horizon", "1", "--out", str(tmp_path / "g.csv"))
    assert r.code == 0 and "two-digit" not in r.err, r.err


def test_series_ending_together_are_not_warned_about(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     cli: Callable[..., CliResult]) -> None:
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = cli("gap", str(tmp_path / "s.csv"), "--out", str(tmp_path / "g.csv"))
    assert r.code == 0 and "Warning" not in r.err, r.err
