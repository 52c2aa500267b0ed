"""Where contact demand comes from: contacts counted per ward.

Functions take the geocoded contacts from :func:`insight.crm.read_contacts`
(points, EPSG:27700, with ``ward_code``) and the wards from
:func:`insight.datasets.load_wards`, and return tables indexed by ward code.
Rates are per 1,000 usual residents (Census 2021).
"""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd

from insight._errors import InputFileError
from insight.privacy import suppress_small_counts
from insight.settings import (
    ASSISTED_CHANNELS,
    CHANNELS,
    SERVICES,
    SUPPRESSION_THRESHOLD,
)

logger = logging.getLogger(__name__)

#: Columns :func:`summarise_demand` adds to the wards, in order.
DEMAND_COLUMNS = (
    "contacts_total",
    *(f"contacts_{c}" for c in CHANNELS),
    "contacts_per_1000",
    "assisted_share",
    "avoidable_share",
)


def count_contacts_by_ward(
    contacts: pd.DataFrame, wards: pd.DataFrame, by: str = "channel"
) -> pd.DataFrame:
    """Contacts per ward and channel (or service).

    Parameters
    ----------
    contacts : DataFrame
        One row per contact with ``ward_code`` and the ``by`` column.
    wards : DataFrame
        The district's wards; every ward gets a row, with 0 where no contact.
    by : {"channel", "service"}
        What the columns split contacts by.

    Returns
    -------
    DataFrame
        Indexed by ``ward_code``, one integer column per channel or service.

    """
    _require(contacts, ["ward_code", by], "contacts")
    categories = CHANNELS if by == "channel" else SERVICES
    table = pd.crosstab(contacts["ward_code"], contacts[by])
    table = table.reindex(index=wards["ward_code"], columns=categories, fill_value=0)
    outside = set(contacts["ward_code"].dropna()) - set(wards["ward_code"])
    if outside:
        logger.warning("contacts in %d wards outside the district", len(outside))
    return table.fillna(0).astype(int).rename_axis(index="ward_code", columns=None)


def summarise_demand(
    contacts: pd.DataFrame, wards: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Add contact volumes, rates and channel mix to each ward.

    Returns
    -------
    GeoDataFrame
        ``wards`` (same CRS and row order) with the :data:`DEMAND_COLUMNS`:
        contacts in total and per channel, ``contacts_per_1000`` residents,
        ``assisted_share`` (phone and face to face, 0-1) and
        ``avoidable_share`` (0-1, of contacts with the flag known).

    """
    _require(wards, ["ward_code", "residents"], "wards")
    by_channel = count_contacts_by_ward(contacts, wards, "channel")
    by_channel.columns = [f"contacts_{c}" for c in by_channel.columns]
    table = by_channel.assign(contacts_total=by_channel.sum(axis=1))

    # Rates per 1,000 residents and shares of the ward's contacts.
    residents = wards.set_index("ward_code")["residents"]
    table["contacts_per_1000"] = 1000 * table["contacts_total"] / residents
    assisted = table[[f"contacts_{c}" for c in ASSISTED_CHANNELS]].sum(axis=1)
    table["assisted_share"] = assisted / table["contacts_total"].where(
        table["contacts_total"] > 0
    )
    table["avoidable_share"] = _avoidable_share(contacts, wards)

    out = wards.drop(columns=[c for c in DEMAND_COLUMNS if c in wards])
    return out.merge(table[list(DEMAND_COLUMNS)], left_on="ward_code", right_index=True)


def suppress_ward_counts(wards: pd.DataFrame) -> pd.DataFrame:
    """Ward demand figures fit to publish: small counts and what reveals them.

    Counts of 1-4 are blanked, with secondary suppression against the ward
    total and the district totals (see :mod:`insight.privacy`). The rate
    follows the total; the assisted share follows the total, phone and face
    to face; the avoidable share is blanked when it implies 1-4 avoidable or
    1-4 other contacts. Returns a copy of ``wards``.
    """
    counts = ["contacts_total", *(f"contacts_{c}" for c in CHANNELS)]
    assisted = [f"contacts_{c}" for c in ASSISTED_CHANNELS]
    out = suppress_small_counts(
        wards,
        counts,
        total="contacts_total",
        derived={
            "contacts_per_1000": ["contacts_total"],
            "assisted_share": ["contacts_total", *assisted],
            "avoidable_share": ["contacts_total"],
        },
    )

    # An avoidable share is a count in disguise: blank it where that is small.
    avoidable = (wards["avoidable_share"] * wards["contacts_total"]).round()
    others = wards["contacts_total"] - avoidable
    small = avoidable.between(1, SUPPRESSION_THRESHOLD - 1) | others.between(
        1, SUPPRESSION_THRESHOLD - 1
    )
    out["avoidable_share"] = out["avoidable_share"].mask(small)
    return out


def suppress_service_counts(table: pd.DataFrame) -> pd.DataFrame:
    """A ward x service count table fit to publish, with a ``total`` column."""
    table = table.assign(total=table.sum(axis=1))
    return suppress_small_counts(table, [*table.columns], total="total")


def suppress_channel_summary(table: pd.DataFrame) -> pd.DataFrame:
    """District channel totals fit to publish: rates of 1-4 contacts blanked.

    A first-contact or avoidable rate over fewer than five contacts is a
    small count in disguise, and so is a share of them.
    """
    small = table["contacts"].between(1, SUPPRESSION_THRESHOLD - 1)
    rates = ["share", "resolved_first_contact", "avoidable"]
    out = table.copy()
    out[rates] = out[rates].mask(small, axis=0)
    return out


def publishable_count(count: int) -> str:
    """A single count for display: ``"<5"`` for 1-4, else with separators."""
    if 1 <= count < SUPPRESSION_THRESHOLD:
        return f"<{SUPPRESSION_THRESHOLD}"
    return f"{count:,}"


def summarise_channels(contacts: pd.DataFrame) -> pd.DataFrame:
    """District totals per channel: contacts, share, first-contact resolution.

    Returns
    -------
    DataFrame
        Indexed by channel: ``contacts``, ``share`` (0-1),
        ``resolved_first_contact`` (0-1 of those with the flag known) and
        ``avoidable`` (0-1).

    """
    grouped = contacts.groupby("channel")
    table = pd.DataFrame(
        {
            "contacts": grouped.size(),
            "resolved_first_contact": grouped["resolved_first_contact"].mean(),
            "avoidable": grouped["avoidable"].mean(),
        }
    ).reindex(list(CHANNELS))
    table["contacts"] = table["contacts"].fillna(0).astype(int)
    table.insert(1, "share", table["contacts"] / table["contacts"].sum())
    return table.rename_axis("channel")


def _avoidable_share(contacts: pd.DataFrame, wards: pd.DataFrame) -> pd.Series:
    """Share of contacts flagged avoidable, per ward (flag known only)."""
    if "avoidable" not in contacts:
        return pd.Series(float("nan"), index=wards["ward_code"])
    flag = contacts["avoidable"].astype("Float64")
    share = flag.groupby(contacts["ward_code"]).mean()
    return share.reindex(wards["ward_code"]).astype(float)


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    """Raise a clear error when ``frame`` lacks a needed column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError(
            f"`{name}` lacks column(s) {missing}; it has {list(frame.columns)}"
        )
