"""Who is at risk of digital exclusion: a transparent, adjustable ward index.

Method
------
Each indicator is a ward figure where higher means more risk:

========================  ==================================================
``share_aged_75_plus``    residents aged 75 and over (Census 2021), share
``share_disabled``        disabled under the Equality Act (Census 2021), share
``share_social_rented``   households renting socially (Census 2021), share
``idaopi_rate``           income deprivation affecting older people (IoD 2019)
``imd_score_2025``        Index of Multiple Deprivation score (IoD 2025)
``broadband_risk_2022``   DERI broadband component, 0-10 (Ofcom, May 2022)
========================  ==================================================

Every indicator is rescaled across the district's wards to 0 (lowest ward) -
1 (highest ward); the index is the weighted mean of the rescaled indicators
times 100, so 0 is a ward lowest on every indicator and 100 one highest on
all. Weights are non-negative and need not sum to 1; they are normalised.
The index ranks wards *within* the district: it is not comparable with the
national DERI scale.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping

import pandas as pd

from insight._errors import DataError

logger = logging.getLogger(__name__)

#: Indicator columns and the labels tables and legends show.
INDICATORS: dict[str, str] = {
    "share_aged_75_plus": "Aged 75+",
    "share_disabled": "Disabled",
    "share_social_rented": "Social renting",
    "idaopi_rate": "Older, low income",
    "imd_score_2025": "IMD 2025",
    "broadband_risk_2022": "Broadband (DERI)",
}

#: Equal weights: the starting point an analyst adjusts.
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(INDICATORS, 1.0)


def rescale_indicators(wards: pd.DataFrame) -> pd.DataFrame:
    """Each indicator rescaled to 0-1 across the wards (min-max).

    Returns
    -------
    DataFrame
        Same index as ``wards``, one column per indicator. An indicator equal in
        every ward gets 0 throughout; a missing value stays missing.

    """
    missing = [c for c in INDICATORS if c not in wards]
    if missing:
        raise DataError(f"`wards` lacks indicator column(s) {missing}")
    values = wards[list(INDICATORS)].astype(float)
    low, high = values.min(), values.max()
    span = (high - low).where(high > low)
    scaled = (values - low).div(span)
    constant = list(span.index[span.isna()])
    scaled[constant] = values[constant] * 0.0  # 0 where known, missing stays
    return scaled


def score_exclusion_risk(
    wards: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.Series:
    """Digital exclusion risk index per ward, 0-100 (higher is more at risk).

    Parameters
    ----------
    wards : DataFrame
        Wards with the indicator columns of :data:`INDICATORS`.
    weights : mapping, optional
        Weight per indicator; missing indicators weigh 0. Defaults to
        :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    Series
        ``exclusion_index`` aligned to ``wards.index``. A ward missing an
        indicator is scored on the others, re-weighted, with a warning.

    """
    return contributions(wards, weights).sum(axis=1).rename("exclusion_index")


def contributions(
    wards: pd.DataFrame, weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Points each indicator adds to a ward's index; rows sum to the index.

    Each ward's weights are normalised over the indicators it has, so a
    missing indicator neither adds nor removes risk.
    """
    vector = _weight_vector(weights)
    scaled = rescale_indicators(wards)
    if scaled.isna().any().any():
        gaps = scaled.isna().sum()
        warnings.warn(
            f"indicators missing in some wards, scored on the others: "
            f"{gaps[gaps > 0].to_dict()}",
            stacklevel=2,
        )
    present = scaled.notna().mul(vector, axis=1)
    share = present.div(present.sum(axis=1), axis=0)
    return 100 * scaled.fillna(0.0).mul(share).fillna(0.0)


def _weight_vector(weights: Mapping[str, float] | None) -> pd.Series:
    """Weights per indicator, checked: known names, >= 0, not all 0."""
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(INDICATORS)
    if unknown:
        raise DataError(f"unknown indicator(s) in `weights`: {sorted(unknown)}")
    vector = pd.Series({k: float(weights.get(k, 0.0)) for k in INDICATORS})
    if (vector < 0).any() or vector.sum() <= 0:
        raise DataError(f"`weights` must be >= 0 and not all 0; got {dict(vector)}")
    return vector
