"""A seeded, documented generator of SYNTHETIC council contact (CRM) records.

THE RECORDS ARE SYNTHETIC. No real council CRM data are public, so the product
ships one year of made-up contacts for Huntingdonshire District Council, shaped
like a CRM export and calibrated to the council's published volumes. Every case
id starts with ``SYN-`` and :data:`SYNTHETIC_NOTICE` must be shown beside any
table, map or export built from them.

Calibration (:class:`Calibration`, defaults in :data:`DEFAULT_CALIBRATION`)
--------------------------------------------------------------------------
Financial year 2024-04-01 00:00 to 2025-03-31 23:59 (365 days). Yearly counts
are exact:

* phone calls to the call centre: 140,000 (published);
* automated payment line calls: 19,563 (published);
* emails: 17,307 (published);
* web forms: 36,500, i.e. 100 a day. ASSUMPTION: not published (4,000 web
  visits a day are, but a visit is not a transaction);
* face-to-face visits, published per month: 3,330 at Huntingdon (39,960 a
  year), 1,016 at St Neots (12,192) and 437 at "Ramsey and Yaxley". We READ
  437 AS THE TWO OFFICES TOGETHER: 5,244 a year, split between Ramsey and
  Yaxley in proportion to the residents for whom each is the nearer of the two
  offices, counting the residents whose nearest of the four centres is Ramsey
  or Yaxley (the two offices' catchment), rounded by largest remainder so the
  two add up to exactly 5,244: on the embedded data 2,738 Ramsey and 2,506
  Yaxley. (Over every resident of the district the split would be 4,493 and
  751, since most of the district lies south of Ramsey.) A seasonal profile
  shapes the months, so a centre's months vary around the published figure
  while its year is exact.

That is 270,766 records. First-contact resolution is exact per channel,
``round(rate * count)`` records drawn at random: phone 0.65 (published; 91,000
calls), face to face 0.80, email 0.50, web form 0.70 and automated payment 1.0
(assumed). Exactly ``round(total / 3)`` records (90,255) are avoidable, drawn
without replacement with weights by service, by channel and by whether the
contact was resolved (Gumbel top-k: the ``k`` largest ``log(w) + Gumbel``
keys), so the count is exact and chasing contacts about waste or council tax
are the likeliest.

Each channel has a documented service mix (``Calibration.service_mix``): phone
is 30% council tax, 22% waste and street scene and 20% benefits; face to face
leans on benefits and housing; web forms are 40% waste; the automated payment
line is all ``payments``.

Where contacts come from
------------------------
Demand points are live residential postcodes. A record of channel ``c`` comes
from postcode ``p`` in ward ``w`` with probability proportional to::

    residents(p) * exp(beta_75[c] * z_75(w) + beta_imd[c] * z_imd(w))

where ``z_75`` and ``z_imd`` are the ward's share aged 75+ and IMD 2025 score
standardised across wards (mean 0, SD 1, unweighted). ``beta`` is positive for
assisted channels (phone 0.30 / 0.20, face to face 0.45 / 0.30), negative for
digital ones (email -0.20 / -0.15, web form -0.30 / -0.20) and zero for the
automated payment line. A face-to-face visit to centre ``k`` multiplies the
face-to-face weight by ``exp(-d / 4,000 m)``, ``d`` the British National Grid
distance (metres) from the postcode to the centre.

Timestamps
----------
Days follow a monthly profile peaking in March and April (annual council tax
bills) and a day-of-week profile. Phone calls fall on weekdays 08:30-17:29 and
visits on weekdays 09:00-16:59 (bank holidays are not skipped); email, web form
and automated payment contacts come on any day with a daytime-weighted hour
profile. Times are local, to the minute.

Messy postcodes
---------------
The ``postcode`` field is given as a resident would give it. Exact shares of
all records, chosen at random from the seed (counts on the defaults):

* 3% blank, no address given (8,123);
* 2% formatting variants of a real postcode: lower case, no space, a double
  space or surrounding spaces (5,415);
* 0.5% postcodes outside the district, from :data:`OUT_OF_AREA_POSTCODES`
  (1,354);
* 0.5% terminated district postcodes (1,354).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from insight import datasets, settings
from insight._errors import DataError

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Shown beside every table, map and export built from the generated records.
SYNTHETIC_NOTICE: Final = (
    "SYNTHETIC DATA: these contact records are generated, not real. They are "
    "calibrated to Huntingdonshire District Council's published yearly volumes "
    "but no record describes a real person or contact."
)

#: Columns of the extract, in order.
#: Bumped whenever the output changes, so cached extracts are regenerated.
GENERATOR_VERSION: Final = 2

OUTPUT_COLUMNS: Final = (
    "case_id",
    "created_at",
    "channel",
    "centre",
    "service",
    "postcode",
    "resolved_first_contact",
    "avoidable",
    "synthetic",
)

#: Plausible postcodes outside the district (Peterborough, Cambridge, Bedford).
OUT_OF_AREA_POSTCODES: Final = (
    "PE1 1HQ",
    "PE1 1XS",
    "PE1 5DD",
    "CB2 1TN",
    "CB1 2JB",
    "CB4 3AZ",
    "MK40 1SJ",
    "MK40 3AD",
)

# Columns the generator reads from the postcode table.
_POSTCODE_COLUMNS: Final = (
    "postcode",
    "status",
    "easting",
    "northing",
    "ward_code",
    "residents",
)

# Opening hours of the assisted channels, minutes after midnight, [open, close).
_OPENING: Final = {"phone": (510, 1050), "face_to_face": (540, 1020)}

# Relative weight of each hour of the day (0-23) by channel.
_OFFICE_HOURS: Final = (0.0,) * 8 + (
    1.0, 1.5, 1.4, 1.3, 1.0, 1.0, 1.2, 1.1, 0.9, 0.6,
) + (0.0,) * 6  # fmt: skip
_DIGITAL_HOURS: Final = (
    0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.25, 0.6, 1.0, 1.3, 1.4, 1.35,
    1.3, 1.3, 1.25, 1.2, 1.1, 1.0, 0.95, 1.0, 0.95, 0.75, 0.5, 0.3,
)  # fmt: skip

# Relative weight of each day of the week, Monday first.
_OFFICE_DAYS: Final = (1.25, 1.05, 1.0, 0.95, 0.85, 0.0, 0.0)
_DIGITAL_DAYS: Final = (1.15, 1.05, 1.0, 1.0, 0.95, 0.7, 0.75)


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    """Read-only copy of a mapping, for dataclass defaults."""
    return MappingProxyType(dict(mapping))


def _default_service_mix() -> Mapping[str, Mapping[str, float]]:
    """Share of each channel's contacts by service (each row sums to 1)."""
    return MappingProxyType(
        {
            "phone": _frozen(
                {
                    "council_tax": 0.30,
                    "benefits": 0.20,
                    "housing": 0.08,
                    "waste_and_street_scene": 0.22,
                    "planning": 0.05,
                    "payments": 0.04,
                    "licensing": 0.03,
                    "elections": 0.02,
                    "other": 0.06,
                }
            ),
            "face_to_face": _frozen(
                {
                    "council_tax": 0.22,
                    "benefits": 0.25,
                    "housing": 0.20,
                    "waste_and_street_scene": 0.05,
                    "planning": 0.05,
                    "payments": 0.10,
                    "licensing": 0.04,
                    "elections": 0.02,
                    "other": 0.07,
                }
            ),
            "email": _frozen(
                {
                    "council_tax": 0.20,
                    "benefits": 0.12,
                    "housing": 0.08,
                    "waste_and_street_scene": 0.20,
                    "planning": 0.15,
                    "payments": 0.03,
                    "licensing": 0.07,
                    "elections": 0.05,
                    "other": 0.10,
                }
            ),
            "web_form": _frozen(
                {
                    "council_tax": 0.20,
                    "benefits": 0.10,
                    "housing": 0.05,
                    "waste_and_street_scene": 0.40,
                    "planning": 0.08,
                    "payments": 0.05,
                    "licensing": 0.05,
                    "elections": 0.02,
                    "other": 0.05,
                }
            ),
            "automated_payment": _frozen({"payments": 1.0}),
        }
    )


@dataclass(frozen=True)
class Calibration:
    """Documented inputs of the synthetic generator; counts are per year.

    Attributes
    ----------
    start, end : date
        First and last day (inclusive) of the year generated.
    phone_calls, automated_payment_calls, emails, web_forms : int
        Records per year of each channel (published, except ``web_forms``).
    face_to_face_monthly : Mapping[tuple[str, ...], int]
        Published visits per month, keyed by the centre or centres the figure
        covers; a year is 12 months. A figure for several centres is split in
        proportion to the residents for whom each is the nearest centre of
        all; each name must start exactly one name in ``centres``.
    first_contact_rate : Mapping[str, float]
        Share of each channel's records resolved at first contact (0-1).
    avoidable_share : float
        Share of all records that are avoidable contact (0-1).
    avoidable_service_weight, avoidable_channel_weight : Mapping[str, float]
        Relative odds (> 0) that a record is avoidable, by service and channel.
    avoidable_unresolved_factor : float
        Extra odds that a record not resolved at first contact is avoidable.
    service_mix : Mapping[str, Mapping[str, float]]
        Share of each channel's records by service.
    propensity_beta : Mapping[str, tuple[float, float]]
        Per channel, ``(beta_75, beta_imd)``: log change in contacts per
        resident for one SD of the ward's share aged 75+ and IMD 2025 score.
    distance_decay_m : float
        Face-to-face distance decay length, metres (BNG).
    monthly_profile : Mapping[int, float]
        Relative volume of each calendar month (1-12) for every channel.
    blank_share, variant_share, out_of_area_share, terminated_share : float
        Shares of all records whose postcode is blank, reformatted, outside the
        district or terminated.
    out_of_area_postcodes : tuple[str, ...]
        Postcodes outside the district to draw from.

    """

    start: date = date(2024, 4, 1)
    end: date = date(2025, 3, 31)
    phone_calls: int = 140_000
    automated_payment_calls: int = 19_563
    emails: int = 17_307
    web_forms: int = 36_500
    face_to_face_monthly: Mapping[tuple[str, ...], int] = field(
        default_factory=lambda: MappingProxyType(
            {("Huntingdon",): 3_330, ("St Neots",): 1_016, ("Ramsey", "Yaxley"): 437}
        )
    )
    first_contact_rate: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "phone": 0.65,
                "face_to_face": 0.80,
                "email": 0.50,
                "web_form": 0.70,
                "automated_payment": 1.0,
            }
        )
    )
    avoidable_share: float = 1 / 3
    avoidable_service_weight: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "council_tax": 1.6,
                "benefits": 1.0,
                "housing": 0.8,
                "waste_and_street_scene": 2.0,
                "planning": 1.0,
                "payments": 0.5,
                "licensing": 0.6,
                "elections": 0.8,
                "other": 1.0,
            }
        )
    )
    avoidable_channel_weight: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "phone": 1.3,
                "face_to_face": 1.0,
                "email": 1.1,
                "web_form": 0.6,
                "automated_payment": 0.1,
            }
        )
    )
    avoidable_unresolved_factor: float = 1.8
    service_mix: Mapping[str, Mapping[str, float]] = field(
        default_factory=_default_service_mix
    )
    propensity_beta: Mapping[str, tuple[float, float]] = field(
        default_factory=lambda: MappingProxyType(
            {
                "phone": (0.30, 0.20),
                "face_to_face": (0.45, 0.30),
                "email": (-0.20, -0.15),
                "web_form": (-0.30, -0.20),
                "automated_payment": (0.0, 0.0),
            }
        )
    )
    distance_decay_m: float = 4_000.0
    monthly_profile: Mapping[int, float] = field(
        default_factory=lambda: MappingProxyType(
            {1: 0.95, 2: 1.0, 3: 1.25, 4: 1.30, 5: 1.05, 6: 0.95}
            | {7: 0.95, 8: 0.90, 9: 0.95, 10: 1.0, 11: 0.95, 12: 0.75}
        )
    )
    blank_share: float = 0.03
    variant_share: float = 0.02
    out_of_area_share: float = 0.005
    terminated_share: float = 0.005
    out_of_area_postcodes: tuple[str, ...] = OUT_OF_AREA_POSTCODES


#: The calibration of the shipped extract.
DEFAULT_CALIBRATION: Final = Calibration()


def calibration_totals(
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> dict[str, int]:
    """Count the records a calibration gives per year.

    Parameters
    ----------
    calibration : Calibration
        The calibration to count.

    Returns
    -------
    dict[str, int]
        Records per year: one key per channel of ``settings.CHANNELS``;
        ``"centre:<name>"`` per published face-to-face figure (for example
        ``"centre:Ramsey and Yaxley"``); ``"resolved_first_contact:<channel>"``;
        ``"total"`` and ``"avoidable"``.

    Examples
    --------
    >>> calibration_totals()["centre:Huntingdon"]
    39960

    """
    # Face-to-face visits: 12 months of each published monthly figure
    centres = {
        f"centre:{' and '.join(names)}": 12 * monthly
        for names, monthly in calibration.face_to_face_monthly.items()
    }
    channels = {
        "phone": calibration.phone_calls,
        "face_to_face": sum(centres.values()),
        "email": calibration.emails,
        "web_form": calibration.web_forms,
        "automated_payment": calibration.automated_payment_calls,
    }

    # Outcomes: exact rounded shares
    total = sum(channels.values())
    resolved = {
        f"resolved_first_contact:{channel}": round(
            calibration.first_contact_rate[channel] * count
        )
        for channel, count in channels.items()
    }
    avoidable = round(calibration.avoidable_share * total)
    return channels | centres | resolved | {"total": total, "avoidable": avoidable}


def generate_contacts(
    postcodes: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    centres: gpd.GeoDataFrame,
    *,
    seed: int = settings.SYNTHETIC_SEED,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> pd.DataFrame:
    """Generate one year of synthetic contact records.

    A pure function of its inputs: the same inputs and seed give an identical
    frame. See the module docstring for the method.

    Parameters
    ----------
    postcodes : GeoDataFrame
        Columns ``postcode``, ``status`` (``live`` or ``terminated``),
        ``easting``, ``northing`` (BNG metres), ``ward_code`` and
        ``residents`` (persons), as :func:`insight.datasets.load_postcodes`.
    wards : GeoDataFrame
        Columns ``ward_code``, ``share_aged_75_plus`` (0-1) and
        ``imd_score_2025``, as :func:`insight.datasets.load_wards`.
    centres : GeoDataFrame
        Customer service centres with ``name``, ``easting`` and ``northing``
        (BNG metres); each calibrated centre must match the start of one name.
    seed : int
        Seed of :func:`numpy.random.default_rng`.
    calibration : Calibration
        Volumes, rates and profiles.

    Returns
    -------
    DataFrame
        One row per contact, columns :data:`OUTPUT_COLUMNS`, in time order.

    Raises
    ------
    DataError
        If an input lacks a column, has no residents, or a centre is missing.

    """
    _check_inputs(postcodes, wards, centres)
    rng = np.random.default_rng(seed)

    # Demand points and their per-channel weights
    demand = _demand_points(postcodes, wards)
    sites = _centre_locations(centres, calibration)
    visits = _face_to_face_counts(demand, sites, calibration)

    # Draw where and when each channel's records come from
    blocks = [
        _draw_channel(rng, demand, channel, count, calibration)
        for channel, count in _remote_counts(calibration).items()
    ]
    blocks += [
        _draw_visits(rng, demand, centre, xy, visits[centre], calibration)
        for centre, xy in sites.items()
    ]
    records = pd.concat(blocks, ignore_index=True)
    records = records.sort_values("minute", kind="stable", ignore_index=True)

    # Outcomes and the postcode as given
    records["resolved_first_contact"] = _draw_resolved(rng, records, calibration)
    records["avoidable"] = _draw_avoidable(rng, records, calibration)
    records["postcode"] = _messy_postcodes(rng, records, postcodes, calibration)
    logger.info("generated %d synthetic contacts (seed %d)", len(records), seed)
    return _finish(records, calibration)


def write_synthetic_extract(
    path: Path,
    *,
    seed: int = settings.SYNTHETIC_SEED,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> Path:
    """Generate the extract from the embedded data and write it as CSV.

    Parameters
    ----------
    path : Path
        CSV file to write; booleans are written ``true``/``false``, no index.
    seed : int
        Seed of the generator.
    calibration : Calibration
        Volumes, rates and profiles.

    Returns
    -------
    Path
        ``path``.

    """
    # Generate from the embedded default data
    sites = datasets.load_sites()
    centres = sites[sites["kind"] == "customer_service_centre"]
    frame = generate_contacts(
        datasets.load_postcodes(),
        datasets.load_wards(),
        centres,
        seed=seed,
        calibration=calibration,
    )

    # Write booleans the way a CRM export does
    for column in ("resolved_first_contact", "avoidable", "synthetic"):
        frame[column] = np.where(frame[column], "true", "false")
    frame.to_csv(path, index=False, lineterminator="\n")
    logger.info("wrote %d synthetic contacts to %s", len(frame), path)
    return path


def default_extract_path(seed: int = settings.SYNTHETIC_SEED) -> Path:
    """Path of the cached default extract, generating it if missing.

    The file is ``synthetic_contacts_v{GENERATOR_VERSION}_seed{seed}.csv`` in
    ``settings.CACHE_DIR``: a new generator version never reuses an old file.
    It is written to a temporary file first and renamed, so a half-written
    file is never read.

    Parameters
    ----------
    seed : int
        Seed of the generator.

    Returns
    -------
    Path
        Path of the CSV extract.

    """
    name = f"synthetic_contacts_v{GENERATOR_VERSION}_seed{seed}.csv"
    path = Path(settings.CACHE_DIR) / name
    if path.exists():
        return path

    # Write beside the target, then rename atomically
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        dir=path.parent, prefix=path.stem, suffix=".tmp"
    )
    os.close(handle)
    try:
        write_synthetic_extract(Path(temp_name), seed=seed)
        Path(temp_name).replace(path)
    finally:
        Path(temp_name).unlink(missing_ok=True)
    return path


def _check_inputs(
    postcodes: pd.DataFrame, wards: pd.DataFrame, centres: pd.DataFrame
) -> None:
    """Raise if an input frame lacks a column the generator needs."""
    required = {
        "postcodes": (postcodes, _POSTCODE_COLUMNS),
        "wards": (wards, ("ward_code", "share_aged_75_plus", "imd_score_2025")),
        "centres": (centres, ("name", "easting", "northing")),
    }
    for argument, (frame, columns) in required.items():
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise DataError(
                f"`{argument}` lacks columns {missing}; it has {list(frame.columns)}"
            )


def _demand_points(postcodes: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Live postcodes with residents, with their ward's standardised indicators."""
    live = postcodes[(postcodes["status"] == "live") & (postcodes["residents"] > 0)]
    if live.empty:
        raise DataError("`postcodes` has no live postcode with residents > 0")

    # Standardise the indicators across wards (mean 0, SD 1)
    indicators = wards.set_index("ward_code")[["share_aged_75_plus", "imd_score_2025"]]
    z = (indicators - indicators.mean()) / indicators.std(ddof=0)
    z = z.fillna(0.0)

    # Postcodes in wards without indicators get average propensity
    points = live[["postcode", "easting", "northing", "ward_code", "residents"]]
    points = points.reset_index(drop=True)
    points["z_75"] = points["ward_code"].map(z["share_aged_75_plus"]).fillna(0.0)
    points["z_imd"] = points["ward_code"].map(z["imd_score_2025"]).fillna(0.0)
    return points


def _propensity_weights(
    demand: pd.DataFrame, channel: str, calibration: Calibration
) -> FloatArray:
    """Residents times exp(beta_75 z_75 + beta_imd z_imd) per demand point."""
    beta_75, beta_imd = calibration.propensity_beta[channel]
    log_propensity = beta_75 * demand["z_75"] + beta_imd * demand["z_imd"]
    weights = demand["residents"] * np.exp(log_propensity)
    return np.asarray(weights, dtype=np.float64)


def _centre_locations(
    centres: pd.DataFrame, calibration: Calibration
) -> dict[str, tuple[float, float]]:
    """BNG easting and northing (metres) of each calibrated centre."""
    locations = {}
    names = centres["name"].astype(str)
    for group in calibration.face_to_face_monthly:
        for centre in group:
            match = centres[names.str.startswith(centre)]
            if len(match) != 1:
                raise DataError(
                    f"`centres` must have exactly one name starting {centre!r}; "
                    f"found {len(match)} in {names.tolist()}"
                )
            row = match.iloc[0]
            locations[centre] = (float(row["easting"]), float(row["northing"]))
    return locations


def _distance_m(demand: pd.DataFrame, xy: tuple[float, float]) -> FloatArray:
    """BNG distance, metres, from each demand point to one location."""
    east = np.asarray(demand["easting"], dtype=np.float64) - xy[0]
    north = np.asarray(demand["northing"], dtype=np.float64) - xy[1]
    return np.hypot(east, north)


def _face_to_face_counts(
    demand: pd.DataFrame,
    sites: dict[str, tuple[float, float]],
    calibration: Calibration,
) -> dict[str, int]:
    """Count visits per year at each centre; split shared figures by catchment."""
    # Residents for whom each centre is the nearest of all centres
    names = list(sites)
    distances = np.column_stack([_distance_m(demand, sites[c]) for c in names])
    residents = demand["residents"].to_numpy(np.float64)
    nearest = distances.argmin(axis=1)
    totals = np.bincount(nearest, weights=residents, minlength=len(names))
    catchment = dict(zip(names, totals.tolist(), strict=True))

    # Round so that each group adds up to exactly 12 months of its figure
    counts: dict[str, int] = {}
    for group, monthly in calibration.face_to_face_monthly.items():
        shares = np.array([catchment.get(c, 0.0) for c in group], dtype=np.float64)
        if shares.sum() <= 0:
            shares = np.ones(len(group))
        split = _round_to_total(shares / shares.sum() * 12 * monthly, 12 * monthly)
        counts.update(zip(group, split.tolist(), strict=True))
    return counts


def _round_to_total(values: FloatArray, total: int) -> IntArray:
    """Round values >= 0 to integers summing to ``total`` (largest remainder)."""
    floors = np.floor(values).astype(np.int64)
    remainders = values - floors
    short = total - int(floors.sum())
    order = np.argsort(-remainders, kind="stable")
    floors[order[:short]] += 1
    return floors


def _remote_counts(calibration: Calibration) -> dict[str, int]:
    """Yearly records of each channel other than face to face."""
    return {
        "phone": calibration.phone_calls,
        "email": calibration.emails,
        "web_form": calibration.web_forms,
        "automated_payment": calibration.automated_payment_calls,
    }


def _draw_channel(
    rng: np.random.Generator,
    demand: pd.DataFrame,
    channel: str,
    count: int,
    calibration: Calibration,
) -> pd.DataFrame:
    """Postcodes, services and times of one channel's records."""
    weights = _propensity_weights(demand, channel, calibration)
    origin = rng.choice(len(demand), size=count, p=_to_probabilities(weights))
    return _block(rng, demand, origin, channel, "", calibration)


def _draw_visits(
    rng: np.random.Generator,
    demand: pd.DataFrame,
    centre: str,
    xy: tuple[float, float],
    count: int,
    calibration: Calibration,
) -> pd.DataFrame:
    """Postcodes, services and times of the visits to one centre."""
    decay = np.exp(-_distance_m(demand, xy) / calibration.distance_decay_m)
    weights = _propensity_weights(demand, "face_to_face", calibration) * decay
    origin = rng.choice(len(demand), size=count, p=_to_probabilities(weights))
    return _block(rng, demand, origin, "face_to_face", centre, calibration)


def _block(
    rng: np.random.Generator,
    demand: pd.DataFrame,
    origin: IntArray,
    channel: str,
    centre: str,
    calibration: Calibration,
) -> pd.DataFrame:
    """Build one channel's (and centre's) records from demand-point indices."""
    mix = calibration.service_mix[channel]
    shares = np.array(list(mix.values()), dtype=np.float64)
    services = rng.choice(
        np.array(list(mix)), size=len(origin), p=_to_probabilities(shares)
    )
    return pd.DataFrame(
        {
            "minute": _draw_minutes(rng, channel, len(origin), calibration),
            "channel": channel,
            "centre": centre,
            "service": services,
            "postcode": demand["postcode"].to_numpy()[origin],
        }
    )


def _draw_minutes(
    rng: np.random.Generator, channel: str, count: int, calibration: Calibration
) -> IntArray:
    """Minutes after the start of the year of ``count`` records of a channel."""
    day_weights = _day_weights(channel, calibration)
    minute_weights = _minute_weights(channel)
    days = rng.choice(len(day_weights), size=count, p=day_weights)
    minutes = rng.choice(len(minute_weights), size=count, p=minute_weights)
    return (days * 1440 + minutes).astype(np.int64)


def _day_weights(channel: str, calibration: Calibration) -> FloatArray:
    """Probability of each day of the year; months follow the monthly profile."""
    days = np.arange(
        np.datetime64(calibration.start, "D"), np.datetime64(calibration.end, "D") + 1
    )
    weekday = (days.astype(np.int64) + 3) % 7
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1

    # Day-of-week shape, rescaled so each month's total is its profile value
    by_day = _OFFICE_DAYS if channel in _OPENING else _DIGITAL_DAYS
    shape = np.asarray(by_day, dtype=np.float64)[weekday]
    month_sum = np.asarray(
        pd.Series(shape).groupby(month).transform("sum"), dtype=np.float64
    )
    profile = np.asarray(
        pd.Series(month).map(calibration.monthly_profile), dtype=np.float64
    )
    return _to_probabilities(profile * shape / month_sum)


def _minute_weights(channel: str) -> FloatArray:
    """Probability of each minute of the day (0-1439) for a channel."""
    by_hour = _OFFICE_HOURS if channel in _OPENING else _DIGITAL_HOURS
    weights: FloatArray = np.repeat(np.asarray(by_hour, dtype=np.float64), 60)

    # Assisted channels only within opening hours
    if channel in _OPENING:
        opens, closes = _OPENING[channel]
        minute = np.arange(1440)
        weights = np.where((minute >= opens) & (minute < closes), weights, 0.0)
    return _to_probabilities(weights)


def _to_probabilities(weights: FloatArray) -> FloatArray:
    """Scale non-negative weights to sum to 1."""
    total = float(weights.sum())
    if not total > 0:
        raise DataError("weights of a random draw must have a positive sum")
    return weights / total


def _draw_resolved(
    rng: np.random.Generator, records: pd.DataFrame, calibration: Calibration
) -> npt.NDArray[np.bool_]:
    """Exactly round(rate x count) records of each channel resolved first time."""
    resolved = np.zeros(len(records), dtype=bool)
    for channel in settings.CHANNELS:
        rows = np.flatnonzero(records["channel"].to_numpy() == channel)
        count = round(calibration.first_contact_rate[channel] * len(rows))
        resolved[rng.permutation(rows)[:count]] = True
    return resolved


def _draw_avoidable(
    rng: np.random.Generator, records: pd.DataFrame, calibration: Calibration
) -> npt.NDArray[np.bool_]:
    """Exactly round(share x total) avoidable records, weighted, by Gumbel top-k."""
    weights = (
        records["service"].map(calibration.avoidable_service_weight).to_numpy(float)
        * records["channel"].map(calibration.avoidable_channel_weight).to_numpy(float)
        * np.where(
            records["resolved_first_contact"],
            1.0,
            calibration.avoidable_unresolved_factor,
        )
    )
    count = round(calibration.avoidable_share * len(records))
    if np.count_nonzero(weights > 0) < count or np.isnan(weights).any():
        raise DataError("avoidable weights must be > 0 for every service and channel")

    # The k largest log(w) + Gumbel keys are a weighted sample without replacement
    keys = np.log(weights) + rng.gumbel(size=len(records))
    avoidable = np.zeros(len(records), dtype=bool)
    if count > 0:
        avoidable[np.argpartition(-keys, count - 1)[:count]] = True
    return avoidable


def _messy_postcodes(
    rng: np.random.Generator,
    records: pd.DataFrame,
    postcodes: pd.DataFrame,
    calibration: Calibration,
) -> npt.NDArray[np.object_]:
    """Give postcodes as residents do: exact shares blank, reformatted, wrong."""
    shares = (
        calibration.blank_share,
        calibration.variant_share,
        calibration.out_of_area_share,
        calibration.terminated_share,
    )
    counts = [round(share * len(records)) for share in shares]
    if sum(counts) > len(records):
        raise DataError(f"postcode messiness shares {shares} add up to more than 1")

    # Disjoint random sets of records for each kind of mess
    order = rng.permutation(len(records))
    blank, variant, outside, terminated = np.split(order, np.cumsum(counts))[:4]
    given = np.array(records["postcode"], dtype=object)
    given[blank] = ""
    given[variant] = _reformat(rng, given[variant])
    given[outside] = rng.choice(_outside_pool(postcodes, calibration), len(outside))
    given[terminated] = rng.choice(_terminated_pool(postcodes), len(terminated))
    return given


def _reformat(
    rng: np.random.Generator, codes: npt.NDArray[np.object_]
) -> npt.NDArray[np.object_]:
    """Lower case, no space, a double space or surrounding spaces, at random."""
    text = pd.Series(codes, dtype=object).astype(str)
    variants = np.column_stack(
        [
            text.str.lower(),
            text.str.replace(" ", "", regex=False),
            text.str.replace(" ", "  ", regex=False),
            " " + text + " ",
        ]
    ).astype(object)
    kind = rng.integers(0, variants.shape[1], size=len(codes))
    return variants[np.arange(len(codes)), kind]


def _outside_pool(postcodes: pd.DataFrame, calibration: Calibration) -> list[str]:
    """Out-of-area postcodes that are really not in the district list."""
    district = set(postcodes["postcode"].astype(str))
    pool = [code for code in calibration.out_of_area_postcodes if code not in district]
    dropped = len(calibration.out_of_area_postcodes) - len(pool)
    if dropped:
        logger.warning("%d out-of-area postcodes are in the district; skipped", dropped)
    if not pool:
        raise DataError("no `out_of_area_postcodes` outside the district")
    return pool


def _terminated_pool(postcodes: pd.DataFrame) -> list[str]:
    """Terminated district postcodes."""
    pool = postcodes.loc[postcodes["status"] == "terminated", "postcode"]
    if pool.empty:
        raise DataError("`postcodes` has no row with status 'terminated'")
    return [str(code) for code in pool]


def _finish(records: pd.DataFrame, calibration: Calibration) -> pd.DataFrame:
    """Case ids, ISO timestamps and the export's column order."""
    start = np.datetime64(calibration.start, "m")
    stamps = start + records["minute"].to_numpy().astype("timedelta64[m]")
    frame = records.assign(
        case_id=np.char.mod("SYN-%07d", np.arange(1, len(records) + 1)),
        created_at=np.datetime_as_string(stamps, unit="m"),
        synthetic=True,
    )
    return frame[list(OUTPUT_COLUMNS)]
