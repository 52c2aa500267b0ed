"""Defaults for the customer-insight package, in one typed, documented place.

Every constant here is a default that a caller can override by argument; nothing
in ``insight`` reads a setting at import time except the paths below.

Coordinate reference systems
----------------------------
``BNG`` (EPSG:27700, British National Grid, metres) is used for every distance,
area and buffer. ``WGS84`` (EPSG:4326, degrees) is used only for the web map.

Environment variables
---------------------
``INSIGHT_CACHE_DIR``
    Where generated files (the synthetic CRM extract) are cached. Defaults to
    ``~/.cache/insight``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

#: British National Grid, metres: the CRS of every distance and area.
BNG: Final = "EPSG:27700"
#: WGS84 longitude/latitude, degrees: only for folium web maps.
WGS84: Final = "EPSG:4326"

#: ONS code of the default district, Huntingdonshire.
DEFAULT_DISTRICT: Final = "E07000011"
DEFAULT_DISTRICT_NAME: Final = "Huntingdonshire"

#: Folder holding the embedded default data built by ``geodata/build_default.py``.
GEODATA_DIR: Final = Path(__file__).resolve().parent.parent / "geodata"
#: The embedded default GeoPackage (layers ``wards``, ``sites``, ``postcodes``).
DEFAULT_GPKG: Final = GEODATA_DIR / "huntingdonshire.gpkg"

#: Cache folder for generated files such as the synthetic CRM extract.
CACHE_DIR: Final = Path(
    os.environ.get("INSIGHT_CACHE_DIR", Path.home() / ".cache" / "insight")
)

#: Seed of the default synthetic CRM extract.
SYNTHETIC_SEED: Final = 2013

#: Published counts below this are suppressed (shown as blank) in exports.
SUPPRESSION_THRESHOLD: Final = 5

#: Contacts dated before this are set aside as out of range (a typo or a
#: placeholder date such as 1900-01-01); so are contacts dated after the import.
EARLIEST_CONTACT_DATE: Final = "2000-01-01"

#: Contact channels, in the order tables and legends show them.
CHANNELS: Final = ("phone", "face_to_face", "email", "web_form", "automated_payment")
#: Channels as tables and legends name them.
CHANNEL_LABELS: Final = {
    "phone": "Phone",
    "face_to_face": "Face to face",
    "email": "Email",
    "web_form": "Web form",
    "automated_payment": "Automated payment",
}
#: Kinds of candidate site as tables name them.
SITE_KIND_LABELS: Final = {
    "customer_service_centre": "Customer service centre",
    "library": "Library",
    "gp_surgery": "GP surgery",
}
#: Recommendation tiers as tables and legends name them.
TIER_LABELS: Final = {
    "existing_centre": "Existing customer service centre",
    "outlet": "New face-to-face outlet",
    "pod": "Self-service pod",
}

#: Tiers in narrow table columns.
SHORT_TIER_LABELS: Final = {
    "existing_centre": "Existing centre",
    "outlet": "New outlet",
    "pod": "Pod",
}

#: Channels that need a member of staff: the ones channel shift aims to reduce.
ASSISTED_CHANNELS: Final = ("phone", "face_to_face")

#: Services a contact can be about.
SERVICES: Final = (
    "council_tax",
    "benefits",
    "housing",
    "waste_and_street_scene",
    "planning",
    "payments",
    "licensing",
    "elections",
    "other",
)

#: Default coverage radius of a staffed face-to-face outlet, metres (BNG).
OUTLET_RADIUS_M: Final = 8_000.0
#: Default coverage radius of a self-service pod, metres (BNG).
POD_RADIUS_M: Final = 3_000.0
