"""Exceptions that pages and the command line catch to show a clear message."""

from __future__ import annotations

import traceback
from pathlib import Path


class InsightError(ValueError):
    """Base class of every error the ``insight`` package raises on bad input."""


class InputFileError(InsightError):
    """A file cannot be read at all: missing, empty or without required columns.

    The message names the file and, where it applies, the row and column.
    """


class CRSError(InsightError):
    """A GeoDataFrame has no CRS, or not the one a step needs."""


class DataError(InsightError):
    """Values are out of range or inconsistent (for example weights summing to 0)."""


class InfeasibleError(InsightError):
    """An optimisation problem has no solution (for example p larger than sites)."""


def describe_failure(exc: BaseException) -> str:
    """An unexpected exception by type and where it was raised, not its message.

    Messages of errors raised deep in pandas or the csv module can quote the
    value that upset them, and CRM values are personal data: logs and screens
    get this instead.

    >>> try:
    ...     int("PE29 3TN")
    ... except ValueError as exc:
    ...     print(describe_failure(exc).split(" at ")[0])
    ValueError
    """
    frames = traceback.extract_tb(exc.__traceback__)
    places = " <- ".join(
        f"{Path(frame.filename).name}:{frame.lineno}" for frame in reversed(frames[-4:])
    )
    return f"{type(exc).__name__} at {places or 'unknown place'}"
