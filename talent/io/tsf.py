"""Monash forecasting archive files (``.tsf``) read as a plain series file.

Why: the Monash archive (Godahewa et al., 2021) ships the M4, tourism and other yearly
benchmark sets in this format, so a user with one of them should not have to convert
it. A ``.tsf`` file has a header of ``@attribute NAME TYPE`` lines (``string``,
``numeric`` or ``date``), ``@frequency``, ``@missing`` and so on, then after ``@data``
one line per series: the attribute values and the series' values separated by ``:``,
the values by ``,`` (``?`` is a missing value).

`read_tsf` returns what `talent.io.read.read_table` returns for any table: text cells,
row 0 the column names, ``attrs["lines"]`` the file line of the header and of every
row. The columns are the string attributes (the series' key), ``year`` and ``value``,
one row per value. The years come from the ``start_timestamp`` date attribute (the
first value's year, then one a year); a file without it gets the positions 1, 2, … of
each series' values, with a warning. A file of another frequency is refused: talent
forecasts yearly series.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from talent.errors import DataValidationError, InputFileError, Problem, TalentWarning, shorten
from talent.io.files import bom_encoding

#: The largest year a series may reach (`forecasts.prepare.MAX_YEAR`; a test checks they agree).
MAX_YEAR = 9999
#: `@frequency` values read as yearly.
YEARLY = frozenset({"yearly", "annual", "annually", "year", "1y", "y"})
_DATE_YEAR = re.compile(r"\s*(-?\d{1,4})-\d{1,2}-\d{1,2}")


def read_tsf(path: Path) -> pd.DataFrame:
    """The series of a ``.tsf`` file as text cells (module docstring)."""
    data = path.read_bytes()
    try:
        text = data.decode(bom_encoding(data) or "utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text (byte {exc.start}); a .tsf file is UTF-8: save it as "
                             "UTF-8") from None
    attributes: list[tuple[str, str]] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    seen: dict[tuple[str, ...], int] = {}  # each series' key: the line that first gave it
    data_line = 0
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not data_line:
            data_line = number if line.lower() == "@data" else 0
            _header(path, number, line, attributes)
            continue
        fields = line.split(":", len(attributes))
        if len(fields) != len(attributes) + 1:
            problems.append(Problem(str(path), number, None, shorten(line),
                                    f"{len(fields)} fields separated by ':' where the header's {len(attributes)} "
                                    f"attributes ask for {len(attributes) + 1} (the attributes, then the values)",
                                    "give every series its attribute values and its values, separated by ':'"))
            continue
        keys = [v.strip() for (_, kind), v in zip(attributes, fields, strict=False) if kind == "string"]
        if seen.setdefault(tuple(keys), number) != number:
            problems.append(Problem(str(path), number, None, shorten(":".join(keys)), f"this series' name is "
                                    f"already on line {seen[tuple(keys)]}", "give every series its own name"))
            continue
        first = _first_year(path, number, attributes, fields, problems)
        values = fields[-1].split(",")
        if first + len(values) - 1 > MAX_YEAR:
            problems.append(Problem(str(path), number, None, str(first), f"its {len(values)} values from {first} "
                                    f"would run past the year {MAX_YEAR}", "check the start date"))
            continue
        for i, value in enumerate(values):
            rows.append([*keys, str(first + i), "" if value.strip() == "?" else value.strip()])
            lines.append(number)
    if not data_line:
        raise InputFileError(f"{path}: no '@data' line; a .tsf file lists its series after a line '@data'")
    if not rows and not problems:
        raise InputFileError(f"{path}: no series after its '@data' line (line {data_line}); add one line per series")
    if problems:
        raise DataValidationError(problems)
    if not any(kind == "date" for _, kind in attributes):
        warnings.warn(f"{path}: no date attribute (start_timestamp): the years are the positions 1, 2, … of each "
                      "series' values, and the forecast's years are positions too", TalentWarning, stacklevel=2)
    names = [name for name, kind in attributes if kind == "string"] + ["year", "value"]
    frame = pd.DataFrame([names, *rows], dtype=object)
    frame.attrs["lines"] = [data_line, *lines]
    return frame


def _header(path: Path, number: int, line: str, attributes: list[tuple[str, str]]) -> None:
    """Read one header line into `attributes`; refuse a frequency that is not yearly."""
    words = line.split()
    tag = words[0].lower()
    if tag == "@attribute" and len(words) >= 3:
        kind = words[2].lower()
        if kind not in ("string", "numeric", "date"):
            raise InputFileError(f"{path}, line {number}: attribute type '{shorten(words[2])}'; a .tsf attribute is "
                                 "string, numeric or date")
        attributes.append((words[1], kind))
    elif tag == "@frequency" and len(words) >= 2 and words[1].lower() not in YEARLY:
        raise InputFileError(f"{path}, line {number}: the series are {shorten(words[1])}; talent forecasts yearly "
                             "series: add them up or average them to years first (whichever the figures mean)")


def _first_year(path: Path, number: int, attributes: list[tuple[str, str]], fields: list[str],
                problems: list[Problem]) -> int:
    """The year of the series' first value: its first date attribute's year, else position 1."""
    for (name, kind), value in zip(attributes, fields, strict=False):
        if kind == "date":
            found = _DATE_YEAR.match(value)
            if found:
                return int(found.group(1))
            problems.append(Problem(str(path), number, name, shorten(value), "not a date",
                                    "write the first value's date as YYYY-MM-DD HH-MM-SS"))
            return 1
    return 1


def tsf_horizon(path: Path) -> int | None:
    """The forecast horizon a ``.tsf`` file's header states (``@horizon 4``), if it states a whole number of at
    least 1 (the competitions' own: M4 yearly 6, tourism yearly 4)."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    for line in head.decode(bom_encoding(head) or "utf-8", errors="replace").splitlines():
        words = line.split()
        if words[:1] == ["@data"]:
            break
        if len(words) >= 2 and words[0].lower() == "@horizon" and words[1].isdigit() and 1 <= int(words[1]) <= 100:
            return int(words[1])
    return None
