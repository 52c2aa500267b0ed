"""Carry small-area statistics (LSOA) to wards by postcode-resident weights.

Method
------
Census and deprivation figures come per Lower Layer Super Output Area (LSOA);
the council works in electoral wards, and LSOAs do not nest in wards. Each LSOA
is split between the wards its residents live in. The weight of an
(LSOA, ward) pair is the share of the LSOA's residents whose postcode lies in
that ward, where an LSOA's residents are spread evenly over its residential
(small-user) postcodes. Weights of one LSOA sum to 1, so:

* counts are carried with :func:`apportion_counts` and district totals are
  conserved exactly;
* rates and scores are carried with :func:`apportion_means`, a mean weighted by
  the residents each pair carries.
"""

from __future__ import annotations

import logging

import pandas as pd

from insight._errors import DataError

logger = logging.getLogger(__name__)


def derive_pair_weights(
    postcodes: pd.DataFrame, area_col: str, ward_col: str = "ward_code"
) -> pd.DataFrame:
    """Weights that split each small area between wards.

    Parameters
    ----------
    postcodes : DataFrame
        One row per postcode with ``area_col``, ``ward_col`` and ``residents``
        (estimated residents of the postcode, persons).
    area_col : str
        Column holding the small-area code (for example ``lsoa21_code``).
    ward_col : str
        Column holding the ward code.

    Returns
    -------
    DataFrame
        Columns ``area``, ``ward``, ``pair_residents`` (persons) and
        ``weight``; weights of one area sum to 1.

    """
    usable = postcodes.dropna(subset=[area_col, ward_col])
    pairs = (
        usable.groupby([area_col, ward_col], as_index=False)["residents"]
        .sum()
        .rename(
            columns={area_col: "area", ward_col: "ward", "residents": "pair_residents"}
        )
    )
    totals = pairs.groupby("area")["pair_residents"].transform("sum")
    if (totals <= 0).any():
        empty = sorted(pairs.loc[totals <= 0, "area"].unique())
        raise DataError(f"small areas with no residential postcode: {empty}")
    pairs["weight"] = pairs["pair_residents"] / totals
    return pairs


def apportion_counts(
    values: pd.DataFrame, weights: pd.DataFrame, area_col: str
) -> pd.DataFrame:
    """Split counts per small area between wards, conserving totals.

    Parameters
    ----------
    values : DataFrame
        One row per small area: ``area_col`` and numeric count columns.
    weights : DataFrame
        Output of :func:`derive_pair_weights`.
    area_col : str
        Column of ``values`` holding the small-area code.

    Returns
    -------
    DataFrame
        Indexed by ward code, one column per count column of ``values``.

    """
    merged, columns = _pair_values(values, weights, area_col)
    carried = merged[columns].multiply(merged["weight"], axis=0)
    carried["ward"] = merged["ward"]
    return carried.groupby("ward")[columns].sum()


def apportion_means(
    values: pd.DataFrame, weights: pd.DataFrame, area_col: str
) -> pd.DataFrame:
    """Resident-weighted mean of rates or scores per ward.

    Each (area, ward) pair counts with the residents it carries, so a ward's
    value is the mean over its residents of their small area's value. Missing
    values are left out of both numerator and denominator.

    Returns
    -------
    DataFrame
        Indexed by ward code, one column per value column of ``values``.

    """
    merged, columns = _pair_values(values, weights, area_col)
    out = {}
    for column in columns:
        known = merged[column].notna()
        residents = merged["pair_residents"].where(known, 0.0)
        numerator = (
            (merged[column].where(known, 0.0) * residents).groupby(merged["ward"]).sum()
        )
        denominator = residents.groupby(merged["ward"]).sum()
        out[column] = numerator / denominator
    return pd.DataFrame(out)


def _pair_values(
    values: pd.DataFrame, weights: pd.DataFrame, area_col: str
) -> tuple[pd.DataFrame, list[str]]:
    """Each (area, ward) pair with its area's values, and the value columns."""
    _check_areas_covered(values, weights, area_col)
    merged = weights.merge(values, left_on="area", right_on=area_col)
    return merged, [c for c in values.columns if c != area_col]


def _check_areas_covered(
    values: pd.DataFrame, weights: pd.DataFrame, area_col: str
) -> None:
    """Raise if a small area with residents has no values; log the reverse."""
    without_weights = set(values[area_col]) - set(weights["area"])
    without_values = set(weights["area"]) - set(values[area_col])
    if without_values:
        raise DataError(
            f"{len(without_values)} small areas have residents but no values in "
            f"`{area_col}`, e.g. {sorted(without_values)[:3]}"
        )
    if without_weights:
        logger.info("%d small areas outside the district ignored", len(without_weights))
