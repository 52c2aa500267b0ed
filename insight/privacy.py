"""Small-number suppression for published counts.

CRM records are personal data. Counts shown in maps, tables and exports are
suppressed (set to missing) when they are 1 to ``threshold - 1``: a ward with
two housing contacts could point at a household. Zero is published as zero.
Rates and shares derived from a suppressed count are suppressed with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from insight.settings import SUPPRESSION_THRESHOLD


def suppress_small_counts(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    derived: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Blank counts between 1 and ``threshold - 1``.

    Parameters
    ----------
    frame : DataFrame
        Table of counts.
    columns : sequence of str
        Count columns to check.
    threshold : int
        Smallest count that may be published (default 5).
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
    for column in columns:
        small = out[column].between(1, threshold - 1)
        out[column] = out[column].round().astype("Int64").mask(small)
    for target, source in (derived or {}).items():
        out[target] = out[target].mask(out[source].isna())
    return out
