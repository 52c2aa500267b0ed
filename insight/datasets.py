"""The embedded default data: Huntingdonshire wards, postcodes and sites.

Every loader returns a GeoDataFrame in British National Grid (EPSG:27700,
metres). The data are built by ``geodata/build_default.py`` from public files;
``geodata/README.md`` lists sources, licences and attribution.

Examples
--------
>>> from insight import datasets
>>> wards = datasets.load_wards()
>>> len(wards), wards.crs.to_epsg()
(26, 27700)

"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd

from insight._errors import InputFileError
from insight.settings import BNG, DEFAULT_DISTRICT, DEFAULT_GPKG

#: Attribution lines the app and every export must show (OGL v3, CC BY, ODC-By).
ATTRIBUTION: tuple[str, ...] = (
    "Source: Office for National Statistics licensed under the Open Government "
    "Licence v.3.0. Contains OS data © Crown copyright and database right 2025.",
    "Contains OS data © Crown copyright and database right 2025. Contains Royal "
    "Mail data © Royal Mail copyright and database right 2025. Contains National "
    "Statistics data © Crown copyright and database right 2025.",
    "Source: Office for National Statistics, Census 2021, licensed under the Open "
    "Government Licence v.3.0.",
    "Contains public sector information licensed under the Open Government Licence "
    "v3.0. Source: Ministry of Housing, Communities and Local Government, English "
    "Indices of Deprivation 2019 / 2025.",
    "Contains Ofcom data © Ofcom, licensed under the Open Government Licence v3.0.",
    "Digital Exclusion Risk Index, Greater Manchester Combined Authority / GM "
    "Office of Data Analytics.",
    "Contains information from NHS England (Organisation Data Service), licensed "
    "under the Open Government Licence v3.0.",
    "Source: DCMS / Arts Council England, Public libraries in England basic "
    "dataset 2023, OGL v3.0 (compiled by Libraries Hacked).",
    "GeoJSON UK Boundary Data by Martin Chorley (github.com/martinjc/UK-GeoJSON), "
    "CC BY 4.0.",
    "FixMyStreet Geographic Data © mySociety, ODC-By.",
)


def get_path(district: str = DEFAULT_DISTRICT) -> Path:
    """Path of the embedded GeoPackage for a district.

    Parameters
    ----------
    district : str
        ONS local authority district code. Only ``E07000011``
        (Huntingdonshire) is embedded so far.

    Raises
    ------
    InputFileError
        If no embedded data exist for ``district``.

    """
    if district != DEFAULT_DISTRICT:
        raise InputFileError(
            f"no embedded data for district {district!r}; only {DEFAULT_DISTRICT!r} "
            "(Huntingdonshire) is built so far"
        )
    if not DEFAULT_GPKG.exists():
        raise InputFileError(
            f"{DEFAULT_GPKG} is missing: run `python geodata/build_default.py`"
        )
    return DEFAULT_GPKG


@lru_cache(maxsize=8)
def _read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """Read one layer once per process; callers get a copy."""
    frame = gpd.read_file(path, layer=layer)
    if frame.crs is None or frame.crs.to_epsg() != 27700:
        raise InputFileError(f"{path}, layer {layer!r}: expected CRS {BNG}")
    return frame


def load_wards(district: str = DEFAULT_DISTRICT) -> gpd.GeoDataFrame:
    """Wards with residents by age band and exclusion indicators (EPSG:27700).

    Columns include ``ward_code``, ``ward_name``, ``residents`` (persons,
    Census 2021, carried from LSOAs), ``share_aged_75_plus``,
    ``share_disabled``, ``share_social_rented`` (of households),
    ``idaopi_rate`` (IoD 2019), ``imd_score_2025``, ``broadband_risk_2022``
    (DERI broadband component, 0-10, higher is worse) and
    ``digital_connectivity_2025`` (IoD 2025 indicator, higher is worse).
    """
    return _read_layer(get_path(district), "wards").copy()


def load_sites(district: str = DEFAULT_DISTRICT) -> gpd.GeoDataFrame:
    """Candidate outreach sites as points (EPSG:27700).

    Columns: ``site_id``, ``name``, ``kind`` (``library``, ``gp_surgery``,
    ``customer_service_centre``), ``postcode``, ``easting``, ``northing``
    (metres), ``ward_code``, ``existing_centre`` and ``source``.
    """
    return _read_layer(get_path(district), "sites").copy()


def load_postcodes(district: str = DEFAULT_DISTRICT) -> gpd.GeoDataFrame:
    """Postcode centroids for geocoding, as points (EPSG:27700).

    Columns: ``postcode`` (e.g. ``"PE29 3TN"``), ``status`` (``live`` from
    Code-Point Open 2025, or ``terminated`` placed inside its 2011 Output Area),
    ``easting``, ``northing`` (metres), ``ward_code``, ``lsoa21_code``,
    ``lsoa11_code``, ``residential`` and ``residents`` (estimated persons).
    """
    return _read_layer(get_path(district), "postcodes").copy()
