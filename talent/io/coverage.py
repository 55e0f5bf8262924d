"""Literacy-coverage data files: audience populations and people already trained, per region and year.

Contract (long, one row per region × audience × year): region, audience (an
audience id or label of the taxonomy), year, population (persons > 0),
trained (persons already AI-literate without the plan, 0 ≤ trained ≤
population); optional provenance columns `population_status` and
`trained_status` (published | modelled | observed). Every problem is
collected and reported with its row, column, value and fix.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from talent.errors import DataValidationError, Problem
from talent.io.numbers import convention, read_number, unit_hint
from talent.io.read import line_numbers, read_table
from talent.io.regions import load_regions, region_code
from talent.io.table_rows import header_problem, text_lines
from talent.limits import MAX_HEADCOUNT
from talent.taxonomy import Taxonomy, load_taxonomy

COLUMNS = ("region", "audience", "year", "population", "trained")
STATUS_COLUMNS = ("population_status", "trained_status")
STATUSES = ("published", "observed", "modelled")


def _row_problems(row: dict[str, str], line: int, file: str, tax: Taxonomy, decimal: dict[str, str | None],
                  seen: dict[str, tuple[str | None, str]]) -> list[Problem]:
    out = []
    if tax.resolve("audiences", row["audience"]) is None:
        out.append(Problem(file, line, "audience", row["audience"], "unknown audience",
                           f"use one of {', '.join(tax.ids('audiences'))}"))
    if not row["region"].strip():
        out.append(Problem(file, line, "region", row["region"], "empty region", "fill in a region code such as CN"))
    elif (found := region_code(row["region"].strip(), seen))[0] is None:
        out.append(Problem(file, line, "region", row["region"], "unknown region code", found[1]))
    year = read_number(str(row["year"]).strip(), None).value
    if not (math.isfinite(year) and year.is_integer() and 1950 <= year <= 2100):
        out.append(Problem(file, line, "year", row["year"], "not a calendar year",
                           "write the year as digits, e.g. 2027"))
    population = read_number(str(row["population"]).strip(), decimal["population"]).value
    trained = read_number(str(row["trained"]).strip(), decimal["trained"]).value
    if not (math.isfinite(population) and 0 < population <= MAX_HEADCOUNT):
        hint = unit_hint(str(row["population"]), decimal["population"])
        out.append(Problem(file, line, "population", row["population"], "population must be a number above 0 "
                           f"and at most {MAX_HEADCOUNT:,}" + (f"; this is {hint[0]}" if hint else ""),
                           hint[1] if hint else "write the audience's size in persons, e.g. 20000000"))
    if not (math.isfinite(trained) and 0 <= trained <= (population if math.isfinite(population) else math.inf)):
        hint = unit_hint(str(row["trained"]), decimal["trained"])
        out.append(Problem(file, line, "trained", row["trained"],
                           "trained must be a number from 0 to the population" + (f"; this is {hint[0]}" if hint
                                                                                  else ""),
                           hint[1] if hint else "write the persons already trained, at most the population"))
    for col in STATUS_COLUMNS:
        if col in row and row[col].strip() not in STATUSES:
            out.append(Problem(file, line, col, row[col], "unknown provenance", f"use one of {', '.join(STATUSES)}"))
    return out


def load_coverage(path: Path | str, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Read and validate a coverage file; return region, audience, year, population, trained and the
    provenance columns (`modelled` where the file gives none)."""
    tax = taxonomy or load_taxonomy()
    raw = read_table(path)
    file, lines = str(path), line_numbers(raw)
    if raw.empty:
        raise DataValidationError([Problem(file, None, None, None, "the table has a header but no data rows",
                                           "add one row per region, audience and year")])
    known = (*COLUMNS, *STATUS_COLUMNS)  # headers matched whatever their case, as in a series file
    raw = raw.rename(columns={c: c.casefold() for c in raw.columns if c.casefold() in known})
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError([header_problem(raw.attrs, file, c, f"required column '{c}' is missing",
                                                  "add it; columns are " + ", ".join(COLUMNS)) for c in missing])
    problems, data = text_lines(raw, file, lines)  # a '#' comment or a note inside the table: one problem each
    raw, lines = raw[data].reset_index(drop=True), [n for n, keep in zip(lines, data, strict=True) if keep]
    records: list[dict[str, str]] = raw.to_dict("records")  # type: ignore[assignment]  # every cell is text
    separator = raw.attrs.get("separator")
    decimal = {c: convention([str(v).strip() for v in raw[c]], separator) for c in ("population", "trained")}
    seen: dict[str, tuple[str | None, str]] = {}  # region codes looked up once per distinct text
    problems += [p for i, row in enumerate(records) for p in _row_problems(row, lines[i], file, tax, decimal, seen)]
    if problems:
        raise DataValidationError(problems)
    df = raw.assign(audience=[str(tax.resolve("audiences", a)) for a in raw["audience"]],
                    region=[str(load_regions().canonical(r.strip())) for r in raw["region"]])  # 'cn' as 'CN'
    for col in STATUS_COLUMNS:
        df[col] = df[col].str.strip() if col in df else "modelled"
    df = df.astype({"year": float}).astype({"year": int})
    for col in ("population", "trained"):
        df[col] = [read_number(str(v).strip(), decimal[col]).value for v in df[col]]
    dup = df.duplicated(["region", "audience", "year"], keep="first")
    if dup.any():
        raise DataValidationError([Problem(file, lines[int(i)], None, f"{r.region}, {r.audience}, {r.year}",
                                           "duplicated region, audience and year", "keep one row per key")
                                   for i, r in zip(df.index[dup], df[dup].itertuples(), strict=True)])
    return df[[*COLUMNS, *STATUS_COLUMNS]].sort_values(["region", "audience", "year"]).reset_index(drop=True)
