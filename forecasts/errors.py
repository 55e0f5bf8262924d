"""Exceptions and warnings of the forecasting engine.

Every error a caller can cause is a :class:`ForecastError` (a ``ValueError``) whose
message names the offending series and numbers; every fallback the engine takes on
its own is announced with a :class:`ForecastWarning` so users see it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable


class ForecastError(ValueError):
    """Invalid input or an impossible request; the message names series and values."""


class ForecastWarning(UserWarning):
    """The engine fell back to a simpler rule (short series, failed fit, filled years, ...)."""


def warn_grouped(reason: str, series: Iterable[str], limit: int = 5) -> None:
    """Emit one :class:`ForecastWarning` for many series sharing the same reason.

    One warning per reason (not per series) keeps a 20,000-series run readable.
    """
    names = list(series)
    if not names:
        return
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    warnings.warn(
        f"{reason}: {len(names)} series ({shown}{more})", ForecastWarning, stacklevel=3
    )
