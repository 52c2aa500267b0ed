"""Exceptions that pages and the command line catch to show a clear message."""

from __future__ import annotations


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
