"""Literacy-coverage data files: audience populations and people already trained, per region and year.

Contract (long, one row per region × audience × year): region, audience (an
audience id or label of the taxonomy), year, population (persons > 0),
trained (persons already AI-literate without the plan, 0 ≤ trained ≤
population); optional provenance columns `population_status` and
`trained_status` (published | modelled | observed). Every problem is
collected and reported with its row, column, value and fix.

Laid out as statistics offices lay tables out, it is read as a series file is,
with the series readers' helpers: the column names below a title and notes
(`talent.io.title_rows`), in English or Chinese (地区, 受众, 年份, 人口, 已培训), lines
of text below the table skipped with a warning, full-width digits and
invisible characters read as the text they show (`without_invisible`),
provinces written by name (河南, 河南省, Henan) read as their codes with one
warning, years as `2024`, `2024年` or a workbook's date (`talent.io.years`).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from talent.errors import DataValidationError, InputFileError, Problem
from talent.io.numbers import convention, read_number, unit_hint
from talent.io.read import line_numbers, read_table
from talent.io.series import _check_regions
from talent.io.sheets import merged_in_table, unsaved_formulas, warn_hidden
from talent.io.table_rows import footnotes, header_problem, resolve_header, row_unit, text_lines, without_invisible
from talent.io.title_rows import under_title
from talent.io.years import check_years
from talent.limits import MAX_HEADCOUNT
from talent.taxonomy import Taxonomy, load_taxonomy

COLUMNS = ("region", "audience", "year", "population", "trained")
STATUS_COLUMNS = ("population_status", "trained_status")
STATUSES = ("published", "observed", "modelled")
# column names besides the ids (region and year also take the taxonomy's names: 地区, Region, 年份)
_NAMES = {"audience": ("受众", "对象", "培训对象"), "population": ("人口", "总人数", "受众人数"),
          "trained": ("已培训", "已培训人数", "已受训人数"), "population_status": ("人口来源",),
          "trained_status": ("已培训来源",)}


_UNIT = re.compile(r"(?P<name>.+?)\s*[(（\[]\s*(?P<unit>[^()（）\[\]]*?)\s*[)）\]]")  # 'population (persons)'
_PERSONS = {"persons", "person", "people", "headcount", "人", "人数", "名"}
_SCALES = re.compile(r"thousands?|k|'?000s?|千人|千|万人|万|萬人|萬|millions?|mn|百万人|百万|亿人|亿|億", re.IGNORECASE)


def scaled_column(tax: Taxonomy, header: str) -> tuple[str, str] | None:
    """(column, unit) for a header naming population or trained in a multiple of persons ('人口（万人）')."""
    found = _UNIT.fullmatch(" ".join(str(header).split()))
    if found and _SCALES.fullmatch(found["unit"]) and column_of(tax, found["name"]) in ("population", "trained"):
        return str(column_of(tax, found["name"])), found["unit"]
    return None


def column_of(tax: Taxonomy, header: str) -> str | None:
    """The coverage column a header names (case, spaces and underscores aside; a unit of persons in brackets
    changes nothing: 'population (persons)'), or None."""
    unit = _UNIT.fullmatch(" ".join(str(header).split()))
    if unit and unit["unit"].casefold() in _PERSONS:
        header = unit["name"]
    key = "_".join(str(header).replace("_", " ").split()).casefold()
    if key in (*COLUMNS, *STATUS_COLUMNS):
        return key
    named = next((c for c, names in _NAMES.items() if str(header).strip() in names), None)
    if named is not None:
        return named
    contract = resolve_header(tax, str(header))[0]
    return contract if contract in ("region", "year") else None


def _columns(raw: pd.DataFrame, file: str, tax: Taxonomy) -> pd.DataFrame:
    """`raw` with its columns renamed to the contract's; a column missing or named twice is refused."""
    mapping: dict[str, str] = {}
    problems = []
    for header in raw.columns:
        target = column_of(tax, str(header))
        if target is not None and target in mapping.values():
            first = next(h for h, t in mapping.items() if t == target)
            problems.append(header_problem(raw.attrs, file, str(header), f"column '{header}' means the same as "
                                           f"column '{first}' ({target})", "keep one of them, or rename the other"))
        elif target is not None:
            mapping[str(header)] = target
    scaled = {col: (str(h), unit) for h in raw.columns if (found := scaled_column(tax, str(h))) for col, unit in
              [found]}
    problems += [header_problem(raw.attrs, file, scaled[c][0], f"the column gives {c} in {scaled[c][1]}, not in "
                                "persons", f"multiply the values to persons and rename the column to '{c}'")
                 if c in scaled else header_problem(raw.attrs, file, c, f"required column '{c}' is missing",
                                                    "add it; columns are " + ", ".join(COLUMNS))
                 for c in COLUMNS if c not in mapping.values()]
    if problems:
        raise DataValidationError(problems)
    out = raw[list(mapping)].rename(columns=mapping)
    out.attrs.update(raw.attrs)
    return out


def _audience_problem(value: str, line: int, file: str, tax: Taxonomy) -> Problem:
    ids = tax.ids("audiences")
    guess = difflib.get_close_matches(value.strip().casefold(), ids, n=1, cutoff=0.6) if len(value) <= 100 else []
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    labels = ", ".join(f"{e.en} / {e.zh}" for e in tax.section("audiences"))
    return Problem(file, line, "audience", value, "unknown audience" if value.strip() else "empty audience",
                   f"{hint}use one of {', '.join(ids)} (or their labels: {labels})")


def _number_problems(row: dict[str, str], line: int, file: str, decimal: dict[str, str | None]) -> list[Problem]:
    out = []
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
        if col in row and str(row[col]).strip().casefold() not in STATUSES:  # 'Published' as 'published'
            out.append(Problem(file, line, col, row[col], "unknown provenance", f"use one of {', '.join(STATUSES)}"))
    return out


def _table(path: Path | str, tax: Taxonomy, sheet: str | None) -> tuple[pd.DataFrame, list[int], list[Problem]]:
    """The file's rows of data under its column names (renamed to the contract's), their lines, and the lines
    of text inside the table (problems); lines of text below it are skipped with a warning."""
    file = str(path)
    try:
        raw = read_table(path, sheet)
    except InputFileError as exc:  # the series commands' --sheet is the planning file's [coverage] sheet here
        raise InputFileError(str(exc).replace("--sheet NAME", "sheet = \"NAME\" in the planning file's [coverage]")
                             ) from None
    if raw.empty:
        raise DataValidationError([Problem(file, None, None, None, "the table has a header but no data rows",
                                           "add one row per region, audience and year")])
    raw = under_title(without_invisible(raw), file, line_numbers(raw), tax, COLUMNS, lambda h: column_of(tax, h))
    lines = line_numbers(raw)
    df = _columns(raw, file, tax)
    at = raw.attrs.get("columns_at") or list(range(raw.shape[1]))
    used = {at[j] + 1 for j, c in enumerate(raw.columns) if column_of(tax, str(c)) is not None}
    unsaved_formulas(file, df, raw.attrs)  # a workbook's formulas saved without results, merged and hidden cells
    merged_in_table(file, used, lines, raw.attrs)
    warn_hidden(file, used, lines, raw.attrs)
    notes, data = text_lines(df, file, lines)  # a '#' comment or a note inside the table: one problem each
    problems = footnotes(notes, lines, data, file)  # below the table: skipped, with a warning
    df, lines = df[data].reset_index(drop=True), [n for n, keep in zip(lines, data, strict=True) if keep]
    return df, lines, problems


def load_coverage(path: Path | str, taxonomy: Taxonomy | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Read and validate a coverage file (`sheet`: a workbook's sheet); return region, audience, year, population,
    trained and the provenance columns (`modelled` where the file gives none)."""
    tax = taxonomy or load_taxonomy()
    file = str(path)
    df, lines, problems = _table(path, tax, sheet)
    if df.empty:
        raise DataValidationError(problems or [Problem(file, None, None, None, "the table has no rows of data",
                                                       "add one row per region, audience and year")])
    ok = pd.Series(True, index=df.index)
    audiences = [tax.resolve("audiences", str(a).strip()) for a in df["audience"]]
    problems += [_audience_problem(str(a), lines[i], file, tax) for i, a in enumerate(df["audience"])
                 if audiences[i] is None]
    df["audience"] = [str(a) for a in audiences]
    _check_regions(df, lines, file, problems, ok)  # codes in upper case; provinces by name, with a warning
    check_years(df, lines, file, problems, ok, df.attrs.get("epoch"))  # 2024, 2024年, a workbook's date
    decimal = {c: convention([str(v).strip() for v in df[c]], df.attrs.get("separator"))
               for c in ("population", "trained")}
    records: list[dict[str, str]] = df.to_dict("records")  # type: ignore[assignment]  # the cells, as text
    problems += [p for i, row in enumerate(records) for p in _number_problems(row, lines[i], file, decimal)]
    if problems:
        raise DataValidationError([replace(p, unit=row_unit(df.attrs))
                                   for p in sorted(problems, key=lambda p: (p.row is None, p.row or 0))])
    for col in STATUS_COLUMNS:
        df[col] = df[col].astype(str).str.strip().str.casefold() if col in df else "modelled"
    df = df.astype({"year": int})
    for col in ("population", "trained"):
        df[col] = [read_number(str(v).strip(), decimal[col]).value for v in df[col]]
    dup = df.duplicated(["region", "audience", "year"], keep="first")
    if dup.any():
        raise DataValidationError([Problem(file, lines[int(i)], None, f"{r.region}, {r.audience}, {r.year}",
                                           "duplicated region, audience and year", "keep one row per key")
                                   for i, r in zip(df.index[dup], df[dup].itertuples(), strict=True)])
    return df[[*COLUMNS, *STATUS_COLUMNS]].sort_values(["region", "audience", "year"]).reset_index(drop=True)
