"""Named exceptions: every library error a user can cause derives from `TalentError`.

The CLI turns any `TalentError` into ``Error: …`` on stderr and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time

SHOWN_CHARS = 200  # a value quoted in a message is cut to this many characters
LISTED_PROBLEMS = 100  # a message lists at most this many problems, then counts the rest


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text` cut to at most `limit` characters; a cut ends with '…' and the full length."""
    if len(text) <= limit:
        return text
    note = f"… ({len(text):,} characters)"
    return text[: max(limit - len(note), 0)] + note


class TalentError(Exception):
    """Base class of every error the user can cause and fix. The CLI exits with `exit_code`."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is, what is wrong, how to fix it."""

    file: str
    row: int | None  # 1-based line number in the file as a spreadsheet shows it (header = 1)
    column: str | None
    value: object
    message: str
    fix: str
    key: str | None = None  # a key path in a settings or planning file, e.g. 'forecast.paths'
    unit: str = "row"  # what `row` counts: 'record' in a JSON file (its records numbered from 1)

    def __str__(self) -> str:
        return self.describe()

    def describe(self, rows: str | None = None) -> str:
        """The problem in one line; `rows` ("rows 5–244 (240 rows)") in place of its own row, for the same
        problem on several rows."""
        where = self.file
        if rows is not None:
            where += f", {rows}"
        elif self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.column is not None:  # control characters (a line break in a header) shown escaped
            column = self.column if self.column.isprintable() else repr(self.column)[1:-1]
            where += f", {'key' if self.unit == 'record' else 'column'} '{shorten(column)}'"  # JSON: its keys
        if self.key is not None:
            where += f", key {self.key}"
        # a TOML date or time as written (2030-01-01), not as Python's repr (datetime.date(2030, 1, 1))
        shown = self.value.isoformat() if isinstance(self.value, date | time) else repr(self.value)
        value = "" if self.value is None else f" (value: {shorten(shown)})"
        return f"{where}: {self.message}{value}. Fix: {self.fix}"


def rows_text(rows: list[int], unit: str = "row") -> str:
    """'rows 5–244 (240 rows)': runs of consecutive rows (or other `unit`s: records) as ranges, the first five
    runs."""
    runs: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if runs and r == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    shown = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs[:5])
    return f"{unit}s {shown}{', …' if len(runs) > 5 else ''} ({len(rows):,} {unit}s)"


def _grouped(problems: list[Problem]) -> list[tuple[Problem, list[int]]]:
    """The problems with the same file, column, key, value, message and fix on several rows as one, with
    their rows (a value wrong on every row of a file is one line, not hundreds), in the order first seen."""
    groups: dict[object, tuple[Problem, list[int]]] = {}
    for i, p in enumerate(problems):
        if p.row is None:  # a problem of the whole file or a key: its own line
            groups[i] = (p, [])
            continue
        groups.setdefault((p.file, p.column, p.key, repr(p.value), p.message, p.fix), (p, []))[1].append(p.row)
    return list(groups.values())


def problem_list(problems: list[Problem]) -> str:
    """'N problems found:' and one line per problem (the same problem on several rows: one line naming them),
    the first `LISTED_PROBLEMS` lines, then a count of the rest."""
    n = len(problems)
    groups = _grouped(problems)
    lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
    lines += [f"  - {p.describe(rows_text(rows, p.unit) if len(rows) > 1 else None)}"
              for p, rows in groups[:LISTED_PROBLEMS]]
    rest = sum(max(1, len(rows)) for _, rows in groups[LISTED_PROBLEMS:])
    if rest:
        lines.append(f"  … and {rest:,} more (fix these first, then check again)")
    return "\n".join(lines)


class DataValidationError(TalentError):
    """A data file has one or more problems; all of them are listed together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(problem_list(problems))


class InputFileError(TalentError):
    """A file cannot be read at all (missing, empty, not a table, unknown format)."""


class ConfigError(TalentError):
    """A configuration or planning file is invalid."""


class OptionError(ConfigError):
    """A command-line option's value is wrong in a way its type cannot say (e.g. --scenarios probabilities that do
    not sum to 1): a usage error, exit code 2 like the option errors of the command-line parser."""

    exit_code = 2


class ConfigValidationError(ConfigError):
    """A settings or planning file (or command-line options) has problems; all of them are listed together.

    When every problem comes from a command-line option it is a usage error (exit code 2).
    """

    def __init__(self, problems: list[Problem], *, usage: bool = False) -> None:
        self.problems = problems
        self.exit_code = 2 if usage else 1
        super().__init__(problem_list(problems))


class ResourceLimitError(TalentError):
    """A request would need more memory or time than the limits allow; the message states both."""


class OutputError(TalentError):
    """An output cannot be written (for example it would overwrite an input)."""


class ForecastFailed(TalentError):
    """The forecast engine could not forecast the data (its message names the series and values)."""


class TalentWarning(UserWarning):
    """Something the user should know that did not stop the run (for example a model fallback)."""


@contextmanager
def collect_warnings() -> Iterator[list[str]]:
    """Record the `TalentWarning`s raised inside the block; yields the list of their texts, in order, once each."""
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TalentWarning)
        yield notes
    for w in caught:
        if issubclass(w.category, TalentWarning) and str(w.message) not in notes:
            notes.append(str(w.message))
        elif not issubclass(w.category, TalentWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
