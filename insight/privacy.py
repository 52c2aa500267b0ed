"""Small-number suppression for published counts.

CRM records are personal data. Counts shown in maps, tables and exports are
suppressed (set to missing) when they are 1 to ``threshold - 1``: a ward with
two housing contacts could point at a household. Zero is published as zero.

Primary suppression alone is not enough when totals are published too: a
ward's single blank channel is its total minus the other channels, and a
ward's blank total is the district total minus the other wards. So
:func:`suppress_small_counts` treats every row (the ward total and its parts)
and every column (whose district total is published) as a line, and keeps
suppressing the smallest non-zero published count of any line whose blanks
are a single cell or add up to less than ``threshold``, until none is left.
Rates and shares derived from a suppressed count are suppressed with it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from insight.settings import SUPPRESSION_THRESHOLD

logger = logging.getLogger(__name__)


def suppress_small_counts(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    total: str | None = None,
    derived: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Blank counts between 1 and ``threshold - 1``, and what would reveal them.

    Parameters
    ----------
    frame : DataFrame
        Table of counts, one row per area.
    columns : sequence of str
        Count columns to check.
    threshold : int
        Smallest count that may be published (default 5).
    total : str, optional
        Column (among ``columns``) holding each row's total of the other
        count columns. When given, secondary suppression protects blanks from
        being worked out from row totals and from column (district) totals.
    derived : mapping, optional
        ``{derived column: [count columns]}``: the derived column is blanked
        wherever any of its count columns is.

    Returns
    -------
    DataFrame
        A copy; suppressed cells are missing (``<NA>``), counts become nullable
        integers.

    """
    out = frame.copy()
    counts = out[list(columns)].round().astype("Int64")
    values = counts.fillna(0).to_numpy(dtype=np.int64)
    blank = (values >= 1) & (values < threshold)
    if total is not None:
        blank = protect_lines(values, blank, threshold)
    for j, column in enumerate(columns):
        out[column] = counts[column].mask(blank[:, j])
    for target, sources in (derived or {}).items():
        hidden = out[list(sources)].isna().any(axis=1)
        out[target] = out[target].mask(hidden)
    return out


def protect_lines(
    values: NDArray[np.int64], blank: NDArray[np.bool_], threshold: int
) -> NDArray[np.bool_]:
    """Secondary suppression over rows and columns of a table with margins.

    Every row and every column is a line whose sum is published. A line is
    safe when it has no blank, or at least two blanks adding up to at least
    ``threshold``. Unsafe lines get their smallest published count blanked
    (non-zero first), until every line is safe or has nothing left to blank.
    """
    blank = blank.copy()
    changed = True
    while changed:
        changed = False
        for axis in (1, 0):
            for line in range(values.shape[1 - axis]):
                cells = blank[line] if axis == 1 else blank[:, line]
                numbers = values[line] if axis == 1 else values[:, line]
                if not _unsafe(cells, numbers, threshold):
                    continue
                other = _next_to_blank(cells, numbers)
                if other is None:
                    continue
                if axis == 1:
                    blank[line, other] = True
                else:
                    blank[other, line] = True
                changed = True
    return blank


def _unsafe(
    cells: NDArray[np.bool_], numbers: NDArray[np.int64], threshold: int
) -> bool:
    """A line with one blank, or blanks adding up to less than the threshold."""
    count = int(cells.sum())
    return count == 1 or (count > 1 and int(numbers[cells].sum()) < threshold)


def _next_to_blank(cells: NDArray[np.bool_], numbers: NDArray[np.int64]) -> int | None:
    """Index of the smallest published count, non-zero ones first."""
    published = np.flatnonzero(~cells)
    if not len(published):
        return None
    key = [(numbers[i] == 0, numbers[i], i) for i in published]
    return int(min(key)[2])


def publishable_share(
    part: float, whole: float, *, threshold: int = SUPPRESSION_THRESHOLD
) -> float | None:
    """``part / whole`` of two counts, or None where it would give one away.

    A share of contacts with its total published (or bounded by published
    ward totals) reveals the part and the rest: 1/27 is one contact. The share
    is withheld when the part or the rest is between 1 and ``threshold - 1``,
    and when the whole is 0.

    >>> publishable_share(90, 100), publishable_share(2, 54), publishable_share(16, 17)
    (0.9, None, None)
    """
    part, rest = round(part), round(whole) - round(part)
    if round(whole) <= 0 or 1 <= part < threshold or 1 <= rest < threshold:
        return None
    return part / round(whole)
