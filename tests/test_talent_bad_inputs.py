"""Bad-input suite (issue 15): damaged, odd and hostile inputs through the CLI, table-driven.

Every case runs `talent` in-process in an empty folder holding the files it
needs and asserts: the exit code; no traceback; every expected piece of the
message (file, row or key, value, fix); the input files unchanged; and, for
a failure, no output file written. Successful cases ("a correct answer")
assert what was read instead. The families: settings files, command-line
options, resource bounds, encodings and formats, cell values, workbooks and
JSON, paths. Outputs, injection, interrupted runs and damaged output folders
are in `test_talent_bad_outputs.py`.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CliResult

GOOD = "region,role,level,kind,year,value\n" + "".join(
    f"CN,machine_learning,expert,{kind},{year},{base + 50 * i + (i % 3) * 7}\n"
    for kind, base in (("demand", 1000), ("supply", 400)) for i, year in enumerate(range(2015, 2025)))
FIRST = "CN,machine_learning,expert,demand,2015,1000"  # row 2 of GOOD
SEMI = GOOD.replace(",", ";")
MARKUP = "occ,year,value\n" + "".join(f"[/x],{y},{y % 9}\n" for y in range(2010, 2020))  # rich markup in a cell
REGION_FIX = ("Fix: use an ISO 3166-1 alpha-2 country code such as CN, an ISO 3166-2:CN province code such as CN-HA, "
              "or codes joined with + such as US+CA")
Content = str | bytes | Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One bad input: files to create, the command (`{d}` is the case folder), the exit code and message parts."""

    id: str
    files: dict[str, Content]
    args: str
    code: int
    expect: tuple[str, ...] = ()
    out: tuple[str, ...] = field(default=())  # files a successful case must write


def _row(value: str, column: str = "value") -> str:
    """GOOD with the first data row's `column` replaced by `value`."""
    cells = dict(zip(["region", "role", "level", "kind", "year", "value"], FIRST.split(","), strict=True))
    cells[column] = value
    return GOOD.replace(FIRST, ",".join(cells.values()), 1)


def _xlsx(sheets: dict[str, pd.DataFrame]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with pd.ExcelWriter(path) as w:
            for name, df in sheets.items():
                df.to_excel(w, sheet_name=name, index=False)
    return make


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


FRAME = pd.read_csv(pd.io.common.StringIO(GOOD))
TOML_CASES = [
    ("toml-unknown-key", "[forecast]\nshortage_penality = 999\n",
     ("key forecast.shortage_penality: unknown key (value: 999). Fix: remove it or rename it; keys allowed in "
      "[forecast]: models, until, quantiles, paths, seed, jobs",)),
    ("toml-misspelt-key", "[gap]\nintervall = 0.8\n", ("key gap.intervall: unknown key", "did you mean 'interval'?")),
    ("toml-key-in-wrong-table", "paths = 50\n", ("key paths: unknown key (value: 50). Fix: put it under [forecast]",)),
    ("toml-unknown-table", "[plot]\nx = 1\n", ("key plot: unknown table",)),
    ("toml-paths-huge", "[forecast]\npaths = 1000000000\n",
     ("key forecast.paths: 1,000,000,000 simulated paths are above the limit of 1,000,000; they would need at least "
      "186.3 GiB of memory for each series and year", "Fix: use 1 to 1,000,000 paths")),
    ("toml-paths-zero", "[forecast]\npaths = 0\n", ("key forecast.paths: 0 simulated paths: at least 1 is needed",)),
    ("toml-paths-text", '[forecast]\npaths = "1000"\n',
     ("key forecast.paths: must be a whole number (value: '1000')",)),
    ("toml-paths-bool", "[forecast]\npaths = true\n", ("key forecast.paths: must be a whole number (value: True)",)),
    ("toml-paths-float", "[forecast]\npaths = 100.5\n", ("key forecast.paths: must be a whole number (value: 100.5)",)),
    ("toml-interval-above-one", "[gap]\ninterval = 1.5\n",
     ("key gap.interval: must be less than 1 (value: 1.5). Fix: use a share strictly between 0 and 1",)),
    ("toml-interval-negative", "[gap]\ninterval = -0.5\n", ("key gap.interval: must be greater than 0 (value: -0.5)",)),
    ("toml-interval-inf", "[gap]\ninterval = inf\n", ("key gap.interval: must be a finite number (value: inf)",)),
    ("toml-interval-nan", "[gap]\ninterval = nan\n", ("key gap.interval: must be a finite number (value: nan)",)),
    ("toml-thresholds-crossed", "[gap]\nshortage_below = 0.95\nsurplus_above = 0.95\n",
     ("key gap.surplus_above: must be greater than or equal to 1 (value: 0.95)",)),
    ("toml-thresholds-equal", "[gap]\nshortage_below = 1.0\nsurplus_above = 1.0\n",
     ("key gap.surplus_above: must be above shortage_below (1) (value: 1.0). Fix: make shortage_below < "
      "surplus_above, e.g. 0.9 and 1.1",)),
    ("toml-reliability-order", "[gap]\ncaution_below = 100\nunreliable_below = 5000\n",
     ("key gap.unreliable_below: must not exceed caution_below (100) (value: 5000.0)",)),
    ("toml-lang", '[report]\nlang = "fr"\n', ("key report.lang: must be 'en' or 'zh' (value: 'fr'). Fix: use 'en' or "
                                              "'zh'",)),
    ("toml-quantile-one", "[forecast]\nquantiles = [0.1, 1.0]\n", ("key forecast.quantiles[1]: must be less than 1",)),
    ("toml-quantile-repeated", "[forecast]\nquantiles = [0.5, 0.5]\n",
     ("key forecast.quantiles: a quantile level is listed twice (value: [0.5]). Fix: list each level once",)),
    ("toml-models-empty", "[forecast]\nmodels = []\n", ("key forecast.models: must not be empty",)),
    ("toml-jobs-zero", "[forecast]\njobs = 0\n", ("key forecast.jobs: 0 worker processes (value: 0)",)),
    ("toml-jobs-huge", "[forecast]\njobs = 100000\n", ("key forecast.jobs: must be less than or equal to 256",)),
    ("toml-seed-negative", "[forecast]\nseed = -1\n", ("key forecast.seed: must be greater than or equal to 0",)),
    ("toml-until-date", "[forecast]\nuntil = 2030-01-01\n",
     ("key forecast.until: must be a whole number (value: 2030-01-01)",)),
    ("toml-until-far", "[forecast]\nuntil = 3000\n", ("key forecast.until: must be less than or equal to 2100",)),
    ("toml-table-not-table", "forecast = 3\n", ("key forecast: must be a table (value: 3)",)),
    ("toml-several-problems", '[gap]\ninterval = 2\n[report]\nlang = "de"\n[forecast]\npaths = -1\n',
     ("3 problems found:", "key gap.interval", "key report.lang", "key forecast.paths")),
    ("toml-invalid", "[forecast\n",
     ("talent.toml: not valid TOML", ". Fix: correct the TOML at that line: one key = value")),
    ("toml-duplicate-key", "[forecast]\nseed = 1\nseed = 2\n",
     ("talent.toml: not valid TOML (Cannot overwrite a value",
      ". Fix: a key or [table] appears twice: keep one of them")),
    ("toml-cp1252", "[forecast]\n# café\nseed = 1\n".encode("cp1252"),  # UTF-16 with its BOM is read
     ("talent.toml: the config file is not UTF-8 text: byte 0xe9 on line 2 is not UTF-8",
      "Fix: save the config file as UTF-8")),
]
CASES = [Case(name, {"s.csv": GOOD, "talent.toml": text}, "gap {d}/s.csv --paths 50 --config {d}/talent.toml", 1,
              tuple(f"{{d}}/talent.toml, {e}" if e.startswith("key") else e for e in expect))
         for name, text, expect in TOML_CASES]
CASES += [
    Case("toml-bad-file-overridden-by-option", {"s.csv": GOOD, "t.toml": "[forecast]\npaths = true\n"},
         "gap {d}/s.csv --paths 50 --config {d}/t.toml", 1,
         ("{d}/t.toml, key forecast.paths: must be a whole number",)),
    Case("toml-missing", {"s.csv": GOOD}, "gap {d}/s.csv --config {d}/none.toml", 1,
         ("Error: {d}/none.toml: config file not found",)),
    Case("toml-is-folder", {"s.csv": GOOD, "conf.toml": lambda p: p.mkdir()}, "gap {d}/s.csv --config {d}/conf.toml",
         1, ("Error: {d}/conf.toml: is a folder; give the path of the config file",)),
    # command-line options: checked by the same schema, usage errors (exit 2)
    Case("option-paths-zero", {"s.csv": GOOD}, "gap {d}/s.csv --paths 0", 2,
         ("  - --paths: 0 simulated paths: at least 1 is needed (value: 0). Fix: use 1 to 1,000,000 paths",)),
    Case("option-paths-negative", {"s.csv": GOOD}, "run --data {d}/s.csv --paths -5 --out {d}/o", 2, ("--paths:",)),
    Case("option-until-far", {"s.csv": GOOD}, "gap {d}/s.csv --until 3000 --paths 50", 2,
         ("--until: must be less than or equal to 2100 (value: 3000)",)),
    Case("option-year-early", {"s.csv": GOOD}, "gap {d}/s.csv --year 1900 --paths 50", 1,
         ("Error: --year 1900: not in these tables",)),
    Case("option-until-not-after-data", {"s.csv": GOOD}, "run --data {d}/s.csv --until 2024 --paths 50 --out {d}/o",
         1, ("--until 2024 is not after the last observed year 2024; choose a year after 2024",)),
    Case("option-jobs-zero", {"s.csv": GOOD}, "run --data {d}/s.csv --jobs 0 --out {d}/o", 2,
         ("--jobs: 0 worker processes (value: 0). Fix: use 1 to 256, or -1 for all cores",)),
    Case("option-forecast-jobs", {"s.csv": GOOD}, "forecast {d}/s.csv --jobs 0", 2,
         ("0: use 1 to 256 worker processes, or -1 for all cores",)),
    # --windows 100000 was accepted (and ran); the range is in the help and a usage error names it
    Case("option-backtest-windows-huge", {"s.csv": GOOD}, "backtest {d}/s.csv --windows 100000", 2,
         ("Invalid value for '--windows': 100000: use 1 to 100 backtest windows",)),
    Case("option-forecast-windows-zero", {"s.csv": GOOD}, "forecast {d}/s.csv --windows 0", 2,
         ("Invalid value for '--windows': 0: use 1 to 100 backtest windows",)),
    Case("option-backtest-step-huge", {"s.csv": GOOD}, "backtest {d}/s.csv --step 1000", 2,
         ("Invalid value for '--step': 1000: use 1 to 100 years between backtest origins",)),
    Case("option-seed-negative", {"s.csv": GOOD}, "gap {d}/s.csv --seed -3 --paths 50", 2,
         ("--seed: must be greater than or equal to 0 (value: -3)",)),
    Case("option-budget-negative", {"s.csv": GOOD}, "run --data {d}/s.csv --budget -1 --out {d}/o", 2,
         ("Invalid value for '--budget': -1: scale the budget by a number from 0 to 1000",)),
    Case("option-budget-nan", {}, "plan --budget nan", 2, ("Invalid value for '--budget': nan",)),
    Case("option-lang", {"s.csv": GOOD}, "run --data {d}/s.csv --lang fr --out {d}/o", 2,
         ("Invalid value for '--lang'",)),
    Case("option-quantiles", {"s.csv": GOOD}, "forecast {d}/s.csv --quantiles 0,1", 2,
         ("quantiles must lie strictly between 0 and 1, got '0,1'",)),
    Case("option-quantiles-twice", {"s.csv": GOOD}, "forecast {d}/s.csv --quantiles 0.1,0.5,0.5,0.10", 2,
         ("0.1, 0.5 given more than once in '0.1,0.5,0.5,0.10'; list each level once",)),
    Case("option-options-and-file-together", {"s.csv": GOOD, "t.toml": '[report]\nlang = "fr"\n'},
         "gap {d}/s.csv --paths 0 --config {d}/t.toml", 1,
         ("2 problems found:", "{d}/t.toml, key report.lang", "  - --paths: 0 simulated paths")),
    # resource bounds: stated before anything is allocated
    Case("bound-horizon", {"s.csv": GOOD}, "forecast {d}/s.csv --horizon 100000", 1,
         ("Error: the forecast horizon is 100,000 years ahead, above the limit of 100 years; it would need about ",
          "GiB of memory (the memory limit is ", "Fix: forecast at most 100 years ahead")),
    Case("bound-until", {"s.csv": GOOD}, "forecast {d}/s.csv --until 2200", 1,
         ("forecasting up to 2200 from the last observed year 2024 is 176 years ahead, above the limit of 100 years",)),
    Case("bound-backtest-horizon", {"s.csv": GOOD}, "backtest {d}/s.csv --horizon 500", 1,
         ("500 years ahead, above the limit of 100 years",)),
    Case("bound-paths-memory", {"s.csv": GOOD}, "gap {d}/s.csv --paths 1000000", 1,
         ("Error: simulating 1,000,000 paths of 2 series over 6 years would need about 2.2 GiB of memory; the limit is "
          "1.0 GiB (TALENT_MEMORY_LIMIT). Fix: use at most 447,392 paths",)),
    # encodings and formats
    Case("empty-file", {"s.csv": ""}, "data validate {d}/s.csv", 1,
         ("Error: {d}/s.csv: the file is empty; it needs a header row and data rows",)),
    Case("bom-only", {"s.csv": codecs.BOM_UTF8}, "data validate {d}/s.csv", 1, ("{d}/s.csv: the file is empty",)),
    Case("header-only", {"s.csv": "region,role,level,kind,year,value\n"}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv: the table has a header but no data rows. Fix: add one row per observation",)),
    Case("binary", {"s.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv: this is not a text table (it contains binary data; it looks like a PNG image); save it as CSV",)),
    Case("xlsx-named-csv", {"s.csv": _xlsx({"data": FRAME})}, "data validate {d}/s.csv", 1,
         ("it looks like an Excel workbook or another ZIP archive; if it is a workbook, name it .xlsx",)),
    Case("latin1", {"s.csv": ("# café\n" + GOOD).encode("latin-1")}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv: the text is not valid UTF-8 or GBK; save it as UTF-8",)),
    Case("utf16-with-bom", {"s.csv": GOOD.encode("utf-16")}, "data validate {d}/s.csv", 0,
         ("OK: 20 rows, 2 series",)),
    Case("utf16-big-endian", {"s.csv": codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be")}, "data validate {d}/s.csv", 0,
         ("OK: 20 rows",)),
    Case("utf16-without-bom", {"s.csv": GOOD.encode("utf-16-le")}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
    Case("utf32", {"s.csv": GOOD.encode("utf-32")}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
    Case("old-mac-line-ends", {"s.csv": GOOD.replace("\n", "\r")}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
    Case("ragged-row", {"s.csv": GOOD.replace(FIRST, FIRST + ",9")}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv, row 2: the row has 7 cells, more than the 6 column names (value: '9'). Fix: delete the extra "
          "cells or name their columns in the header row",)),
    Case("ragged-row-empty-cells", {"s.csv": GOOD.replace(FIRST, FIRST + ",,")}, "data validate {d}/s.csv", 0,
         ("OK: 20 rows",)),
    Case("unknown-suffix", {"s.sas7bdat": b"SAS"}, "data validate {d}/s.sas7bdat", 1,
         ("{d}/s.sas7bdat: unknown table format '.sas7bdat'; use one of .csv, .tsv, .txt, .xlsx, .xlsm, .json, "
          ".parquet",)),
    Case("trailing-separators", {"s.csv": SEMI.replace("\n", ";\n")}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
    Case("tab-separated", {"s.tsv": GOOD.replace(",", "\t")}, "data validate {d}/s.tsv", 0, ("OK: 20 rows",)),
    Case("excel-sep-line", {"s.csv": "sep=;\n" + SEMI.replace(";1000\n", ";1.000,5\n", 1)}, "data validate {d}/s.csv",
         0, ("OK: 20 rows",)),
    Case("excel-sep-line-rows", {"s.csv": "sep=;\n" + SEMI.replace(";1000\n", ";x\n", 1)}, "data validate {d}/s.csv",
         1, ("{d}/s.csv, row 3, column 'value': value is not a number (value: 'x')",)),
    # a sep= line whose separator the column names do not use was 25 problems of missing columns
    Case("excel-sep-line-wrong", {"s.csv": "sep=;\n" + GOOD}, "data validate {d}/s.csv", 1,
         ("Error: {d}/s.csv, row 1: the line 'sep=;' declares ';' as the separator, but the column names are "
          "separated by ',' (value: 'region,role,level,kind,year,value'). Fix: delete the sep= line, or write sep=,",)),
    Case("excel-sep-line-tab", {"s.csv": "# note\nsep=\t\n" + SEMI}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv, row 2: the line 'sep=\\t' declares a tab as the separator, but the column names are "
          "separated by ';'", "Fix: delete the sep= line, or write sep=;")),
    Case("excel-sep-line-comma", {"s.csv": "sep=,\n" + GOOD}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
    Case("nul-bytes", {"s.csv": GOOD + "CN,x\x00\x00,1\n"}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv, row 22: the text holds NUL characters (\\x00; 2 in the file), which a table never has",)),
    Case("nul-bytes-binary", {"s.csv": b"\x00\x01\x02\x03" * 300}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv: this is not a text table (it contains binary data)",)),
    Case("unbalanced-quote", {"s.csv": GOOD.replace("CN,machine", '"CN,machine', 1)}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv, row 2: a cell there opens a double quote (\") that is never closed",)),
    Case("huge-header", {"s.csv": GOOD.replace("region,", "R" * 1_000_000 + ",", 1)}, "data validate {d}/s.csv", 1,
         ("required column 'region' is missing. Fix: add it or rename one of the unrecognised columns ['RRR",
          "… (1,000,004 characters); required columns are")),
    Case("toml-nested-too-deep", {"s.csv": GOOD, "t.toml": "a = " + "[" * 100_000 + "]" * 100_000 + "\n"},
         "gap {d}/s.csv --config {d}/t.toml", 1, ("Error: {d}/t.toml: the config file is nested too deeply",)),
    Case("markup-in-file-name", {"[x]/[/b].csv": GOOD}, "data validate {d}/[x]/[/b].csv", 0,
         ("{d}/[x]/[/b].csv: OK: 20 rows",)),
    Case("markup-in-a-cell", {"o.csv": MARKUP},
         "forecast {d}/o.csv --id-cols occ --model drift", 0, ("│ [/x] │",)),
]


def _value_cases() -> list[Case]:
    row2 = "{d}/s.csv, row 2, column"
    return [
        Case("decimal-comma-read", {"s.csv": SEMI.replace(";1000\n", ";19.000,0\n", 1)}, "data validate {d}/s.csv",
             0, ("OK: 20 rows",)),
        Case("decimal-comma-ambiguous", {"s.csv": SEMI.replace(";1000\n", ";19.000\n", 1)}, "data validate {d}/s.csv",
             1, (f"{row2} 'value': ambiguous number: it reads as 19 with a decimal point or 19000 with a decimal "
                 "comma (value: '19.000'). Fix: write the number without thousands separators",)),
        Case("decimal-mixed-conventions", {"s.csv": SEMI.replace(";1000\n", ";1,234\n", 1)
                                           .replace(";400\n", ";2.5\n", 1).replace(";1057\n", ";3,5\n", 1)},
             "data validate {d}/s.csv", 1, (f"{row2} 'value': ambiguous number: it reads as 1234",)),
        Case("thousands-comma-quoted", {"s.csv": _row('"1,234,567"')}, "data validate {d}/s.csv", 0, ("OK",)),
        Case("negative-zero", {"s.csv": _row("-0")}, "data validate {d}/s.csv", 0, ("OK: 20 rows",)),
        Case("negative-value", {"s.csv": _row("-5")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': negative value (value: '-5'). Fix: headcounts are 0 or more",)),
        Case("nan-value", {"s.csv": _row("nan")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number (value: 'nan')",)),
        Case("inf-value", {"s.csv": _row("1e400")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number (value: '1e400')",)),
        # a number written with a unit, a percent sign or lakh digit groups: refused without a word of the unit
        Case("value-lakh-groups", {"s.csv": _row('"1,00,000"')}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number: digits grouped in twos (1,00,000), which this reader does "
              "not take (value: '1,00,000'). Fix: write persons as a plain number: 100000",)),
        Case("value-percent", {"s.csv": _row("12%")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number: a percentage (value: '12%'). Fix: write persons as a plain "
              "number, e.g. 1234; a share is written as a decimal: 0.12 for 12%",)),
        Case("value-with-unit", {"s.csv": _row('"1,234 人"')}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number: a number followed by the unit or text '人' (value: "
              "'1,234 人'). Fix: write persons as a plain number: 1234",)),
        Case("value-ten-thousands", {"s.csv": _row("1.2万")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number: a number with the unit '万' (× 10,000) (value: '1.2万'). "
              "Fix: write persons as a plain number: 12000",)),
        Case("formula-value", {"s.csv": _row("=1+1")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'value': value is not a number: a formula written as its text, not its result (value: "
              "'=1+1')",)),
        Case("duplicate-columns", {"s.csv": GOOD.replace("value\n", "value,value\n", 1).replace("\n", ",1\n")
                                   .replace("value,value,1", "value,value")}, "data validate {d}/s.csv", 1,
             ("{d}/s.csv, row 1, column 'value': column 'value' appears 2 times (columns 6, 7). "
              "Fix: keep one of them",)),
        Case("same-column-two-names", {"s.csv": GOOD.replace("value\n", "value,人数\n", 1).replace("\n", ",1\n")
                                       .replace("value,人数,1", "value,人数")}, "data validate {d}/s.csv", 1,
             ("column '人数' means the same as column 'value' (value). Fix: keep one of them, or rename the other",)),
        Case("long-value-truncated", {"s.csv": _row("X" * 1_000_000, "region")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'region': unknown region code (value: 'XXXX", "… (1,000,002 characters))",)),
        Case("region-unknown", {"s.csv": _row("ZZ-99", "region")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'region': unknown region code (value: 'ZZ-99'). {REGION_FIX}",)),
        # the fix pointed into the program's own files (talent/assets/taxonomy.toml, regions.toml), which a user
        # of the installed program cannot edit; it lists the names a file may use instead
        Case("role-unknown-lists-aliases", {"s.csv": _row("quantum", "role")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'role': unknown role (value: 'quantum'). Fix: use one of machine_learning, ai_chips, "
              "computer_vision, decision_systems, robotics, other, or an alias: ml, 机器学习算法, AI chip, chips, "
              "芯片, cv (the English and Chinese labels, such as 'Machine learning', are read too); "
              "a role outside these belongs under 'other'\n",)),
        Case("region-unknown-no-package-path", {"s.csv": _row("ZZ", "region")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'region': unknown region code (value: 'ZZ'). {REGION_FIX}\n",)),
        Case("region-by-name", {"s.csv": _row("Henan", "region")}, "data validate {d}/s.csv", 0,
             ("Warning: {d}/s.csv: region names are read as their province codes: read 'Henan' as 'CN-HA' (first "
              "in row 2)", "OK: 20 rows")),
        Case("region-by-name-hong-kong", {"s.csv": _row("香港", "region")}, "data validate {d}/s.csv", 1,
             ("unknown region code (value: '香港'). Fix: did you mean 'CN-HK (Hong Kong SAR)'?",)),
        Case("region-typo", {"s.csv": _row("CN-HAX", "region")}, "data validate {d}/s.csv", 1,
             ("did you mean 'CN-HA (Henan Sheng)'?",)),
        Case("region-formula", {"s.csv": _row('"=HYPERLINK(""http://x"",""click"")"', "region")},
             "data validate {d}/s.csv", 1, ("unknown region code (value: '=HYPERLINK(\"http://x\",\"click\")')",)),
        Case("region-script", {"s.csv": _row("<script>alert(1)</script>", "region")}, "data validate {d}/s.csv", 1,
             ("unknown region code (value: '<script>alert(1)</script>')",)),
        Case("region-combined-bad-part", {"s.csv": _row("US+ZZ", "region")}, "data validate {d}/s.csv", 1,
             ("unknown region code (value: 'US+ZZ')",)),
        Case("region-lower-case-normalised", {"s.csv": GOOD.replace("CN,", "cn,")}, "data validate {d}/s.csv", 0,
             ("Warning: {d}/s.csv: region codes are stored in upper case: read 'cn' as 'CN' (first in row 2)",)),
        Case("region-combined", {"s.csv": GOOD.replace("CN,", "us+ca,")}, "data validate {d}/s.csv", 0,
             ("read 'us+ca' as 'US+CA'",)),
        # a year typed wrong (2100 for 2024, 1960 for 2015) was 'years missing inside the series' listing 76
        # years, with no row
        Case("year-typo-last", {"s.csv": GOOD.replace("demand,2024,", "demand,2100,")}, "data validate {d}/s.csv", 1,
             ("{d}/s.csv, row 11, column 'year': year 2100 is 77 years after the year before it in the series "
              "CN/machine_learning/expert/demand (2023) (value: '2100'). Fix: check the year (typed wrong?); if it "
              "is right, add the years 2024–2099",)),
        Case("year-typo-first", {"s.csv": _row("1960", "year")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'year': year 1960 is 56 years before the next year of the series "
              "CN/machine_learning/expert/demand (2016) (value: '1960')",)),
        Case("year-gap-has-a-row", {"s.csv": GOOD.replace("CN,machine_learning,expert,demand,2020,1264\n", "")},
             "data validate {d}/s.csv", 1, ("{d}/s.csv, row 7, column 'year': years missing inside the series "
                                            "CN/machine_learning/expert/demand (value: '2020')",)),
        Case("year-fraction", {"s.csv": _row("2015.5", "year")}, "data validate {d}/s.csv", 1,
             (f"{row2} 'year': year is not a whole number (value: '2015.5')",)),
        Case("role-case", {"s.csv": GOOD.replace("machine_learning", "Machine_Learning")}, "data validate {d}/s.csv", 0,
             ("OK: 20 rows",)),
    ]


def _container_cases() -> list[Case]:
    two = {"notes": pd.DataFrame({"note": ["x"]}), "data": FRAME}
    return [
        Case("xlsx-two-sheets", {"b.xlsx": _xlsx(two)}, "data validate {d}/b.xlsx", 0,
             ("Warning: {d}/b.xlsx: sheet 'data' is read, the only one holding a table; the other sheet(s) with "
              "cells filled ('notes') hold none and are skipped (--sheet NAME chooses another)", "OK: 20 rows")),
        Case("xlsx-two-tables", {"b.xlsx": _xlsx({"old": FRAME, "data": FRAME})}, "data validate {d}/b.xlsx", 1,
             ("Error: {d}/b.xlsx: the workbook has 2 sheets with data ('old', 'data'); "
              "choose one with --sheet NAME",)),
        Case("xlsx-sheet-chosen", {"b.xlsx": _xlsx(two)}, "data validate {d}/b.xlsx --sheet data", 0, ("OK: 20 rows",)),
        Case("xlsx-sheet-by-number", {"b.xlsx": _xlsx(two)}, "data validate {d}/b.xlsx --sheet 2", 0, ("OK",)),
        Case("xlsx-sheet-unknown", {"b.xlsx": _xlsx(two)}, "data validate {d}/b.xlsx --sheet Dat", 1,
             ("{d}/b.xlsx: no sheet named 'Dat'; did you mean 'data'? the workbook's sheets are 'notes', 'data'",)),
        Case("xlsx-data-on-second-sheet", {"b.xlsx": _xlsx({"empty": pd.DataFrame(), "data": FRAME})},
             "data validate {d}/b.xlsx", 0, ("OK: 20 rows",)),
        Case("sheet-on-csv", {"s.csv": GOOD}, "data validate {d}/s.csv --sheet data", 1,
             ("{d}/s.csv: --sheet applies to Excel workbooks only",)),
        Case("xlsx-corrupt", {"b.xlsx": b"PK\x03\x04garbage"}, "data validate {d}/b.xlsx", 1,
             ("{d}/b.xlsx: not a readable Excel workbook (File is not a zip file)",)),
        Case("json-duplicate-key", {"s.json": '[{"region": "CN", "region": "US"}]'}, "data validate {d}/s.json", 1,
             ("{d}/s.json: a record has the key 'region' twice; keep one",)),
        Case("json-deep", {"s.json": "[" * 100_000 + "]" * 100_000}, "data validate {d}/s.json", 1,
             ("{d}/s.json: the JSON is nested too deeply",)),
        Case("json-null-value", {"s.json": '[{"region": "CN", "role": "robotics", "kind": "demand", "year": 2020, '
                                           '"value": null}]'}, "data validate {d}/s.json", 1,
             ("{d}/s.json, record 1, key 'value': missing value",)),
        Case("json-not-records", {"s.json": '{"a": 1}'}, "data validate {d}/s.json", 1,
             ("JSON must be a list of records",)),
        Case("json-missing-comma", {"s.json": '[{"region": "CN" "role": "robotics"}]'}, "data validate {d}/s.json", 1,
             ("{d}/s.json: not valid JSON (Expecting ',' delimiter: line 1 column 18 (char 17)). Fix: correct the JSON "
              "at that line and column (a missing comma, quote or bracket is the usual cause)",)),
    ]


def _path_cases() -> list[Case]:
    return [
        Case("missing-file", {}, "data validate {d}/none.csv", 1, ("Error: {d}/none.csv: file not found",)),
        Case("folder-as-file", {"s.csv": lambda p: p.mkdir()}, "data validate {d}/s.csv", 1,
             ("Error: {d}/s.csv: is a folder; give the path of the file",)),
        Case("symlink-loop", {"s.csv": _symlink("s.csv")}, "data validate {d}/s.csv", 1,
             ("Error: {d}/s.csv: the file is a symbolic link loop",)),
        Case("broken-symlink", {"s.csv": _symlink("gone.csv")}, "data validate {d}/s.csv", 1,
             ("{d}/s.csv: file not found (a symbolic link to a missing file)",)),
        Case("device", {}, "data validate /dev/null", 1, ("/dev/null: not a regular file",)),
        Case("planning-is-folder", {"p.toml": lambda p: p.mkdir()}, "plan {d}/p.toml", 1,
             ("{d}/p.toml: is a folder; give the path of the planning file",)),
        Case("out-is-input", {"s.csv": GOOD}, "gap {d}/s.csv --paths 50 --out {d}/s.csv", 1,
             ("Error: {d}/s.csv: refusing to overwrite an input file; choose another output path",)),
        Case("out-is-config", {"s.csv": GOOD, "c.json": "[gap]\ninterval = 0.8\n"},
             "gap {d}/s.csv --paths 50 --config {d}/c.json --out {d}/c.json", 1, ("refusing to overwrite an input",)),
        Case("out-unknown-format", {"s.csv": GOOD}, "gap {d}/s.csv --out {d}/g.txt", 2,
             ("Invalid value for --out: '{d}/g.txt': unknown output format '.txt'; use a .csv, .xlsx, .md or .json "
              "file, e.g. gap.xlsx",)),
        Case("out-under-a-file", {"s.csv": GOOD}, "gap {d}/s.csv --out {d}/s.csv/g.csv", 1,
             ("Error: {d}/s.csv: is a file, not a folder; choose another output folder",)),
        Case("out-is-folder", {"s.csv": GOOD, "g.csv": lambda p: p.mkdir()}, "gap {d}/s.csv --out {d}/g.csv", 2,
             ("Invalid value for --out: '{d}/g.csv' is a folder; give a file name, e.g. {d}/g.csv/gap.xlsx",)),
        Case("out-unwritable", {"s.csv": GOOD}, "gap {d}/s.csv --out /proc/g.csv", 1,
             ("Error: /proc: cannot write into this folder",)),
        Case("out-symlink-loop", {"s.csv": GOOD, "g.csv": _symlink("g.csv")}, "forecast {d}/s.csv --out {d}/g.csv", 1,
             ("Error: {d}/g.csv: is a symbolic link loop; choose another output path",)),
        Case("forecast-out-input", {"s.csv": GOOD}, "forecast {d}/s.csv --out {d}/s.csv", 1,
             ("refusing to overwrite an input file",)),
        Case("run-out-is-file", {"s.csv": GOOD}, "run --data {d}/s.csv --out {d}/s.csv", 1,
             ("Error: {d}/s.csv: is a file, not a folder; give --out a folder",)),
        Case("run-out-holds-input", {"o/s.csv": GOOD}, "run --data {d}/o/s.csv --out {d}/o", 1,
             ("Error: {d}/o: holds the input file {d}/o/s.csv, which a run into this folder would delete",)),
        Case("run-out-holds-config", {"s.csv": GOOD, "o/t.toml": "[gap]\ninterval = 0.8\n"},
             "run --data {d}/s.csv --config {d}/o/t.toml --out {d}/o", 1, ("holds the input file {d}/o/t.toml",)),
        Case("run-out-user-folder", {"s.csv": GOOD, "o/notes.txt": "mine"}, "run --data {d}/s.csv --out {d}/o", 1,
             ("Error: {d}/o: holds files that `talent run` did not write (notes.txt); "
              "a run replaces the whole folder",)),
        Case("run-out-current-folder", {"s.csv": GOOD}, "run --data {d}/s.csv --out .", 1,
             ("Error: .: is the current folder or one of its parents",)),
        Case("run-out-unwritable", {"s.csv": GOOD}, "run --data {d}/s.csv --out /proc/out", 1,
             ("Error: /proc: cannot write into this folder",)),
        Case("run-out-package-data", {"s.csv": GOOD}, "run --data {d}/s.csv --out {assets}/o", 1,
             ("is inside the program's own data folder",)),
    ]


CASES += _value_cases() + _container_cases() + _path_cases()


def _make(folder: Path, files: dict[str, Content]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        else:
            path.write_bytes(content.encode() if isinstance(content, str) else content)


def _snapshot(folder: Path) -> dict[str, str]:
    out = {}
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_the_suite_is_large() -> None:
    assert len(CASES) >= 80 and len({c.id for c in CASES}) == len(CASES)


def run_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., CliResult],
             forbidden: tuple[str, ...] = ("Traceback",)) -> CliResult:
    """Run `case` in `tmp_path` (its files made there first) and check what every bad-input case promises:
    the exit code, each expected text, none of `forbidden` in the output, the inputs unchanged and, on
    failure, no file written."""
    from talent.paths import assets_dir

    monkeypatch.chdir(tmp_path)
    _make(tmp_path, case.files)
    before = _snapshot(tmp_path)
    fill = {"d": str(tmp_path), "assets": str(assets_dir())}
    r = cli(*[a.format(**fill) for a in case.args.split()])
    assert r.code == case.code, r.err
    for text in forbidden:
        assert text not in r.err + r.out, r.err
    for part in case.expect:
        assert part.format(**fill) in r.err + r.out, r.err
    after = _snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before  # inputs unchanged
    if case.code != 0:
        assert set(after) == set(before), "a failed command wrote a file"
    return r


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1GiB")
    r = run_case(case, tmp_path, monkeypatch, cli)
    if os.environ.get("TALENT_BAD_INPUT_ECHO"):
        print(r.err)
