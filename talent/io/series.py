"""Series files: read and validate against the data contract, collecting every problem.

Contract (long format, one row per observation): region, role, [level], kind,
year, value. Headers may be the ids or their English/Chinese labels from the
taxonomy; role, level and kind values may be ids or labels too. Every problem
names the file, the row as an editor shows it, the column, the value and the fix.

Region codes are checked against the shipped list (`talent.io.regions`) and
stored in upper case (`cn` becomes `CN`, with a note); values are read with the
file's decimal convention (`talent.io.numbers`): `19.000,0` in a semicolon
file is 19000, and a number that reads two ways is refused, never guessed.
Two columns that mean the same (`value` and `人数`) are refused.
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from talent.errors import DataValidationError, Problem, TalentWarning, shorten
from talent.io import plain
from talent.io.headers import header_elsewhere, levels_unread, sub_annual, swapped
from talent.io.json_table import text_separator
from talent.io.jumps import unit_columns, unit_jumps
from talent.io.numbers import read_column, unit_hint
from talent.io.read import line_numbers, read_table
from talent.io.regions import SUGGESTED, load_regions, region_code
from talent.io.sheets import merged_in_table, unsaved_formulas, warn_hidden
from talent.io.table_rows import (
    empty_columns,
    excel_errors,
    footnotes,
    header_problem,
    repeated_header,
    resolve_header,
    row_unit,
    text_lines,
    without_invisible,
)
from talent.io.title_rows import under_title
from talent.io.years import check_years, cut_short
from talent.limits import MAX_HEADCOUNT
from talent.paths import default_series_path
from talent.taxonomy import Taxonomy, load_taxonomy

REQUIRED = ("region", "role", "kind", "year", "value")
OPTIONAL = ("level",)
KEYS = ("region", "role", "level", "kind", "year")
NO_LEVEL = "all"


def _closest(word: str, options: list[str]) -> str | None:
    match = difflib.get_close_matches(word.casefold(), options, n=1, cutoff=0.6)
    return match[0] if match else None


def _similarity(header: str, names: list[str]) -> float:
    return max(difflib.SequenceMatcher(None, header.casefold(), n.casefold()).ratio() for n in names)


def _map_columns(df: pd.DataFrame, file: str, tax: Taxonomy, problems: list[Problem]) -> dict[str, str]:
    """Map file headers to contract names; report missing and misspelled columns."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for header in df.columns:
        target, scale = resolve_header(tax, header)
        if scale is not None:
            problems.append(header_problem(df.attrs, file, header, f"the column gives values in {scale}, not in "
                                           f"persons", f"multiply the values to persons and rename the column to "
                                           f"'{target}'"))
        if target is not None and target in mapping.values():
            first = next(h for h, t in mapping.items() if t == target)
            problems.append(header_problem(df.attrs, file, header, f"column '{shorten(header)}' means the same as "
                                           f"column '{first}' ({target})", "keep one of them, or rename the other"))
        elif target is not None:
            mapping[header] = target
        else:
            unknown.append(header)
    for col in [c for c in REQUIRED if c not in mapping.values()]:
        entry = next(e for e in tax.columns if e.id == col)
        names = [entry.id, entry.en, entry.zh]
        scored = sorted(((_similarity(u, names), u) for u in unknown if len(u) <= 100), reverse=True)
        if scored and scored[0][0] >= 0.6:
            original = scored[0][1]
            problems.append(header_problem(df.attrs, file, original,
                                           f"column {shorten(repr(original))} is not a known column",
                                           f"rename it to '{col}' (the closest known name)"))
            unknown.remove(original)
            mapping[original] = col  # keep checking its cells as if it were named right
        else:
            others = f" or rename one of the unrecognised columns {shorten(str(unknown))}" if unknown else ""
            problems.append(header_problem(df.attrs, file, col, f"required column '{col}' is missing",
                                           f"add it{others}; required columns are " + ", ".join(REQUIRED)))
    return mapping


def _check_label(value: str, section: str, tax: Taxonomy, suggest: bool = True) -> tuple[str | None, str]:
    resolved = tax.resolve(section, value)
    if resolved is not None:
        return resolved, ""
    ids = tax.ids(section)
    guess = None
    if suggest and len(value) <= 100:  # no suggestion for a pasted paragraph
        guess = _closest(value, ids) or next((i for i in ids if value.strip().casefold() in i), None)
    hint = f"did you mean '{guess}'? " if guess else ""
    return None, f"{hint}use one of {', '.join(ids)}{known_names(tax, section)}"


def known_names(tax: Taxonomy, section: str) -> str:
    """The other names a data file may use for the entries of `section` (aliases, labels), and where a role
    outside the taxonomy belongs: the end of an 'unknown role' fix."""
    aliases = [str(a) for e in tax.section(section) if isinstance(e.extra.get("aliases"), list)
               for a in e.extra["aliases"]]  # type: ignore[attr-defined]
    named = f", or an alias: {', '.join(aliases)}" if aliases else ""
    first = tax.section(section)[0] if tax.section(section) else None
    labels = f" (the English and Chinese labels, such as '{first.en}', are read too)" if first else ""
    other = "; a role outside these belongs under 'other'" if section == "roles" and "other" in tax.ids(section) else ""
    return f"{named}{labels}{other}"


def _check_labels(df: pd.DataFrame, rows: Sequence[int], tax: Taxonomy, file: str, problems: list[Problem],
                  ok: pd.Series) -> None:
    """Role, level and kind: ids or labels from the taxonomy, replaced by their ids (each distinct text
    checked once: a file of a million rows has a few dozen)."""
    for col, section in (("role", "roles"), ("level", "levels"), ("kind", "kinds")):
        if col not in df.columns:
            ok[:] = False
            continue
        seen: dict[str, tuple[str | None, str]] = {}
        resolved, bad = [], []
        for i, (row, value) in enumerate(zip(rows, df[col].tolist(), strict=True)):
            text = str(value)
            if text not in seen:
                seen[text] = _check_label(text, section, tax, len(seen) < SUGGESTED) if text.strip() else (
                    None, f"fill it in with one of {', '.join(tax.ids(section))}")
            rid, fix = seen[text]
            if rid is None:
                what = f"unknown {col}" if text.strip() else f"empty {col}"
                problems.append(Problem(file, row, col, value, what, fix))
                bad.append(i)
            resolved.append(rid)
        ok.iloc[bad] = False
        df[col] = resolved


def _check_regions(df: pd.DataFrame, rows: Sequence[int], file: str, problems: list[Problem], ok: pd.Series) -> None:
    """Region codes from the shipped list (or joined with '+'), stored in upper case; a mainland province
    written by its name ('河南', 'Henan Sheng') is read as its code. One note lists what was read otherwise."""
    if "region" not in df.columns:
        ok[:] = False
        return
    stored: list[str] = []
    bad: list[int] = []
    seen: dict[str, tuple[str | None, str]] = {}
    changed: dict[tuple[str, str], int] = {}
    for i, (row, value) in enumerate(zip(rows, df["region"].tolist(), strict=True)):
        text = str(value).strip()
        code, fix = region_code(text, seen)
        if code is None and text and (named := load_regions().province(text) or
                                      load_regions().from_alpha3(text)) is not None:
            seen[text] = code, fix = named, ""  # looked up once per distinct text
        if code is None:
            problems.append(Problem(file, row, "region", value, "unknown region code" if text else "empty region",
                                    fix))
            bad.append(i)
        elif code != text:
            changed.setdefault((text, code), row)
        stored.append(code or text)
    ok.iloc[bad] = False
    df["region"] = stored
    _note_regions(file, changed)


def _note_regions(file: str, changed: dict[tuple[str, str], int]) -> None:
    """One warning for the region codes written in lower case, one for alpha-3 country codes and one for the
    provinces written by name."""
    cased = {k: r for k, r in changed.items() if k[0].upper() == k[1]}
    alpha3 = {k: r for k, r in changed.items() if k not in cased and load_regions().from_alpha3(k[0]) == k[1]}
    named = {k: r for k, r in changed.items() if k not in cased and k not in alpha3}
    for found, what in ((cased, "region codes are stored in upper case"),
                        (alpha3, "ISO 3166-1 alpha-3 country codes are read as their alpha-2 codes"),
                        (named, "region names are read as their province codes")):
        if found:
            shown = ", ".join(f"'{shorten(a, 40)}' as '{b}' (first in row {r})"
                              for (a, b), r in list(found.items())[:5])
            more = f" and {len(found) - 5} more" if len(found) > 5 else ""
            fix = "; write the codes in the file to silence this" if found is not cased else ""
            warnings.warn(f"{file}: {what}: read {shown}{more}{fix}", TalentWarning, stacklevel=3)


def _same_areas(df: pd.DataFrame, rows: Sequence[int], file: str, problems: list[Problem], ok: pd.Series) -> None:
    """Combined regions of the same codes in another order ('US+CA', 'CA+US') are one area written two ways:
    they would be two regions, each with part of its rows."""
    first_at: dict[str, int] = {}
    for i, (code, valid) in enumerate(zip(df["region"].tolist() if "region" in df else [], ok.tolist(), strict=False)):
        if valid and "+" in code:
            first_at.setdefault(code, i)
    seen: dict[frozenset[str], str] = {}
    for code, i in first_at.items():  # in the order they first appear
        written = seen.setdefault(frozenset(code.split("+")), code)
        if written != code:
            problems.append(Problem(file, rows[i], "region", code, f"the same area as '{shorten(written, 60)}' (row "
                                    f"{rows[first_at[written]]}), its codes in another order",
                                    f"write it as '{shorten(written, 60)}' in every row"))


def _check_values(df: pd.DataFrame, rows: Sequence[int], file: str, problems: list[Problem],
                  separator: str | None) -> None:
    if "value" not in df.columns:
        return
    texts = [str(v).strip() for v in df["value"]]
    readings, decimal = read_column(texts, separator)  # the file's convention; "1.234" may group thousands
    values = []
    for row, value, text, reading in zip(rows, df["value"], texts, readings, strict=True):
        number = reading.value
        if reading.problem is not None:
            problems.append(Problem(file, row, "value", value, reading.problem, reading.fix or ""))
        elif not math.isfinite(number):
            hint = unit_hint(text, decimal) if text else None
            message = "missing value" if not text else f"value is not a number: {hint[0]}" if hint else \
                "value is not a number"
            problems.append(Problem(file, row, "value", value, message,
                                    hint[1] if hint else "write a headcount in persons, digits only, e.g. 125000"))
        elif number < 0:
            problems.append(Problem(file, row, "value", value, "negative value",
                                    "headcounts are 0 or more; correct the sign or remove the row"))
        elif number > MAX_HEADCOUNT:
            problems.append(Problem(file, row, "value", value, f"value above {MAX_HEADCOUNT:,} persons (more people "
                                    "than live on Earth)", "write the headcount in persons; check the digits and "
                                    "the unit"))
        values.append(number)
    df["value"] = values


def _check_keys(df: pd.DataFrame, rows: Sequence[int], file: str, problems: list[Problem], ok: pd.Series) -> None:
    """Duplicated keys among the valid rows; years missing inside a series."""
    good = df[ok]
    keyed = good[list(KEYS)]
    dup = keyed.duplicated(keep=False)
    if dup.any():
        first_of: dict[tuple[object, ...], int] = {}
        positions = [i for i, valid in enumerate(ok) if valid]  # of the good rows in df
        for pos, idx, key in zip(positions, good.index, keyed.itertuples(index=False, name=None), strict=True):
            row = rows[pos]
            if key not in first_of:
                first_of[key] = row
            elif dup.loc[idx]:
                problems.append(Problem(file, row, None, ", ".join(map(str, key)),
                                        f"duplicated key (same as row {first_of[key]})",
                                        "keep one row per region, role, level, kind and year"))
    # gaps are checked only when every row's key is valid: a row with a misspelt role
    # would otherwise show up again as a "missing year" of its real series
    for key, g in (good.groupby(["region", "role", "level", "kind"], sort=True) if ok.all() else []):
        gap = _year_gap(g, rows, file, "/".join(map(str, key)))
        if gap is not None:
            problems.append(gap)


def _year_gap(g: pd.DataFrame, rows: Sequence[int], file: str, series: str) -> Problem | None:
    """Years missing inside one series, at the row of the first year after them; a last year far after the others
    (2100 for 2021, a typo) is named as such."""
    years = g["year"].astype(float).astype(int)
    present = sorted(set(years))
    gaps = [y for y in range(present[0], present[-1] + 1) if y not in set(present)]
    if not gaps:
        return None
    after = min(y for y in present if y > gaps[0])
    row = rows[int(g.index[(years == after).to_numpy()][0])]
    if after == present[-1] and len(present) > 2 and after - gaps[0] > 10:
        before = gaps[0] - 1
        return Problem(file, row, "year", str(after), f"year {after} is {after - before} years after the year before "
                       f"it in the series {series} ({before})", f"check the year (typed wrong?); if it is right, add "
                       f"the years {before + 1}–{after - 1} (annual series must be contiguous)")
    first = present[0]
    if gaps[0] == first + 1 and len(present) > 2 and after - first > 11:
        return Problem(file, rows[int(g.index[(years == first).to_numpy()][0])], "year", str(first),
                       f"year {first} is {after - first} years before the next year of the series {series} ({after})",
                       f"check the year (typed wrong?); if it is right, add the years {first + 1}–{after - 1} (annual "
                       "series must be contiguous)")
    return Problem(file, row, "year", ", ".join(map(str, gaps)), f"years missing inside the series {series}",
                   "add the missing years (annual series must be contiguous)")


def _check_levels(df: pd.DataFrame, rows: Sequence[int], file: str, problems: list[Problem], ok: pd.Series) -> None:
    """A role of a region given both as a total (level 'all') and by level: the totals would count it twice."""
    good = df[ok]
    pairs = good.groupby(["region", "role"], sort=True)["level"].unique()
    for (region, role), levels in zip(pairs.index.tolist(), pairs.tolist(), strict=True):
        if NO_LEVEL in levels and len(levels) > 1:
            at = ((df["region"] == region) & (df["role"] == role) & (df["level"] == NO_LEVEL) & ok).to_numpy()
            others = ", ".join(sorted(str(v) for v in levels if v != NO_LEVEL))
            problems.append(Problem(file, rows[int(at.nonzero()[0][0])], "level", NO_LEVEL,
                                    f"region '{region}', role '{role}' has rows for level '{NO_LEVEL}' (the total) "
                                    f"and for level(s) {others}: the total would be counted twice",
                                    f"keep either the total (level {NO_LEVEL}) or the rows by level"))


def validate_series(raw: pd.DataFrame, tax: Taxonomy, file: str | None = None) -> pd.DataFrame:
    """Return the clean long frame, or raise DataValidationError listing every problem.

    The clean frame has columns region, role, level, kind, year (int), value
    (float), sorted by key; `level` is 'all' when the file has no level column.
    """
    file = file or str(raw.attrs.get("source", "<table>"))
    rows = line_numbers(raw)
    problems: list[Problem] = []
    if len(raw) == 0:
        raise DataValidationError([Problem(file, None, None, None, "the table has a header but no data rows",
                                           "add one row per observation")])
    raw = under_title(without_invisible(raw), file, rows, tax, REQUIRED)  # the column names below a title
    rows = line_numbers(raw)
    mapping = _map_columns(raw, file, tax, problems)
    unit = row_unit(raw.attrs)
    problems += unit_columns(raw, mapping, file, rows)  # 'unit: thousands' beside the values
    if any(c not in mapping.values() for c in REQUIRED):
        header_elsewhere(raw, file, rows, tax, REQUIRED)  # below a title, missing, or the years as columns
    sub_annual(raw, mapping, file)  # a quarter or month column beside the year
    swapped(raw, mapping, file, tax)  # the roles under 'value', the numbers under 'role'
    problems += levels_unread(raw, mapping, file, tax)  # levels under another name, or none
    df = raw[list(mapping)].rename(columns=mapping).copy()
    unsaved_formulas(file, df, raw.attrs)  # in the columns read: a notes column's formulas are no matter
    at = raw.attrs.get("columns_at") or list(range(raw.shape[1]))
    used = {at[j] + 1 for j, c in enumerate(raw.columns) if c in mapping}  # the sheet's columns read
    merged_in_table(file, used, rows, raw.attrs)
    warn_hidden(file, used, rows, raw.attrs)
    repeated_header(df, list(df.columns), file, rows, tax)
    notes, data = text_lines(raw, file, rows)
    notes = footnotes(notes, rows, data, file)  # below the table: skipped, with a warning
    problems += notes
    if not all(data):  # checked no further: their columns are empty by nature
        df, rows = df[data].reset_index(drop=True), [r for r, keep in zip(rows, data, strict=True) if keep]
    empty_columns(df, file, rows, raw.attrs)
    df["level"] = df["level"] if "level" in df.columns else NO_LEVEL
    errors, clean = excel_errors(df, file, rows)  # an error cell is named as such, not as an unknown role
    ok = pd.Series(clean, index=df.index)  # rows whose keys are all valid
    _check_labels(df, rows, tax, file, problems, ok)
    _check_regions(df, rows, file, problems, ok)
    _same_areas(df, rows, file, problems, ok)
    check_years(df, rows, file, problems, ok, raw.attrs.get("epoch"), unit)
    _check_values(df, rows, file, problems, text_separator(raw, mapping))
    if ok.any():
        _check_keys(df, rows, file, problems, ok)
        _check_levels(df, rows, file, problems, ok)
    if problems or errors:
        named = {(p.row, p.column) for p in errors}
        problems = errors + [p for p in problems if (p.row, p.column) not in named]
        problems.sort(key=lambda p: (p.row is None, p.row or 0))  # header, rows in order, series
        raise DataValidationError([replace(p, unit=unit) for p in problems] if unit == "record" else problems)
    cut_short(df, rows, file, bool(raw.attrs.get("open_end")), unit)
    unit_jumps(df, rows, file, unit)
    out = df[[*KEYS[:4], "year", "value"]].astype({"year": int, "value": float})
    out = out.sort_values(list(KEYS), kind="stable").reset_index(drop=True)
    # where each year is first written, for a message about a year of the data (e.g. a last year of 2100)
    out.attrs["year_lines"] = dict(zip(df["year"].astype(float).astype(int)[::-1], rows[::-1], strict=True))
    out.attrs["year_column"] = next((c for c, k in mapping.items() if k == "year"), "year")
    return out


def load_series(path: Path | str | None = None, taxonomy: Taxonomy | None = None,
                sheet: str | None = None) -> pd.DataFrame:
    """Read and validate a series file (default: the embedded China national data); `sheet`
    chooses a workbook's sheet.

    Returns the clean long frame (region, role, level, kind, year, value);
    raises `DataValidationError` listing every problem in the file.
    """
    path = Path(path) if path is not None else default_series_path()
    raw, tax = read_table(path, sheet), taxonomy or load_taxonomy()
    try:
        df = validate_series(raw, tax, file=str(path))
    except DataValidationError as exc:
        layout = plain.recognise(raw) if plain.outside_contract(raw, tax) else None
        if layout is None:
            raise
        raise DataValidationError([*exc.problems, Problem(
            str(path), None, None, None, f"it reads as a plain series file ({layout.describe()}), which "
            "`talent forecast` and `talent backtest` forecast; gap tables and plans need the columns above",
            f"talent forecast {path}, or add the region, role and kind columns")]) from None
    df.attrs["source"] = str(path)
    return df


def validate_file(path: Path | str, taxonomy: Taxonomy | None = None, sheet: str | None = None) -> str:
    """Validate a file; return a one-line summary when clean (raises otherwise)."""
    df = load_series(path, taxonomy, sheet)
    n_series = df.groupby(["region", "role", "level", "kind"]).ngroups
    return (f"{path}: OK: {len(df)} rows, {n_series} series, "
            f"{df['region'].nunique()} region(s), years {df['year'].min()}–{df['year'].max()}")
