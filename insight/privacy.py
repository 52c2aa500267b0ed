"""Small-number suppression for published counts.

CRM records are personal data. Counts shown in maps, tables and exports are
suppressed (set to missing) when they are 1 to ``threshold - 1``: a ward with
two housing contacts could point at a household. Zero is published as zero.

Primary suppression alone is not enough when totals are published too: a
ward's single blank channel is its total minus the other channels. So
:func:`suppress_small_counts` also suppresses, in any ward (row) or channel
(column) left with exactly one blank, the next smallest count, until no blank
can be worked out by one subtraction from a published total. Rates and shares
derived from a suppressed count are suppressed with it.
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
    derived: Mapping[str, str] | None = None,
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
        being recovered from row totals and from column (district) totals.
    derived : mapping, optional
        ``{derived column: count column}``: the derived column is blanked
        wherever its count column is.

    Returns
    -------
    DataFrame
        A copy; suppressed cells are missing (``<NA>``), counts become nullable
        integers.

    """
    out = frame.copy()
    counts = out[list(columns)].round().astype("Int64")
    blank = counts.apply(lambda c: c.between(1, threshold - 1)).to_numpy(dtype=bool)
    if total is not None:
        parts = [c for c in columns if c != total]
        values = counts[parts].fillna(0).to_numpy(dtype=np.int64)
        total_blank = blank[:, list(columns).index(total)]
        part_blank = blank[:, [list(columns).index(c) for c in parts]]
        part_blank = _protect_margins(values, part_blank, total_blank)
        for j, column in enumerate(parts):
            blank[:, list(columns).index(column)] = part_blank[:, j]
    for j, column in enumerate(columns):
        out[column] = counts[column].mask(blank[:, j])
    for target, source in (derived or {}).items():
        out[target] = out[target].mask(out[source].isna())
    return out


def _protect_margins(
    values: NDArray[np.int64],
    blank: NDArray[np.bool_],
    row_total_blank: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Secondary suppression: no published line keeps exactly one blank."""
    blank = blank.copy()
    while True:
        changed = False
        for axis in (1, 0):
            lonely = blank.sum(axis=axis) == 1
            if axis == 1:
                lonely &= ~row_total_blank
            for line in np.flatnonzero(lonely):
                cells = blank[line] if axis == 1 else blank[:, line]
                numbers = values[line] if axis == 1 else values[:, line]
                candidates = np.where(cells, np.iinfo(np.int64).max, numbers)
                other = int(np.argmin(candidates))
                if axis == 1:
                    blank[line, other] = True
                else:
                    blank[other, line] = True
                changed = True
        if not changed:
            return blank
