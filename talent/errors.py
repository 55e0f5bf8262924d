"""Named exceptions: every library error a user can cause derives from `TalentError`.

The CLI turns any `TalentError` into ``Error: …`` on stderr and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class TalentError(Exception):
    """Base class of every error the user can cause and fix."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is, what is wrong, how to fix it."""

    file: str
    row: int | None  # 1-based line number in the file as a spreadsheet shows it (header = 1)
    column: str | None
    value: object
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        value = "" if self.value is None else f" (value: {self.value!r})"
        return f"{where}: {self.message}{value}. Fix: {self.fix}"


class DataValidationError(TalentError):
    """A data file has one or more problems; all of them are listed together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} found:"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class InputFileError(TalentError):
    """A file cannot be read at all (missing, empty, not a table, unknown format)."""


class ConfigError(TalentError):
    """A configuration or planning file is invalid."""


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
