"""Write the outputs of the main job to a folder, with stable names and columns.

Files
-----
``wards.gpkg``
    Layer ``wards``, EPSG:27700, one row per ward: :data:`WARD_COLUMNS`.
``wards.csv``
    The same without geometry.
``sites.csv``
    Chosen sites: :data:`SITE_COLUMNS` (easting/northing in metres, BNG;
    ``demand_covered`` is all demand within reach, ``demand_covered_first``
    what the site serves as the nearest covering outlet or else pod, and
    ``demand_added`` what no other chosen site reaches).
``map.html``
    Exclusion index by ward with the chosen sites and their reach.
``import_report.json``
    Rows read, used and set aside by reason (line numbers, never values). It
    is the data owner's check on the import and counts rows before
    suppression: keep it with the export, do not publish it.

Contact counts of 1-4 are suppressed (blank) in the four other files; see
:mod:`insight.privacy`. When the contacts are synthetic, the column
``contacts_source`` says so on every ward row.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import geopandas as gpd
from branca.element import Element, Figure

from insight.analysis import Analysis
from insight.datasets import ATTRIBUTION
from insight.demand import DEMAND_COLUMNS, suppress_ward_counts
from insight.exclusion import INDICATORS
from insight.mapping import make_ward_map
from insight.privacy import protect_lines, suppress_small_counts
from insight.settings import BNG, SUPPRESSION_THRESHOLD

logger = logging.getLogger(__name__)

WARD_COLUMNS = (
    "ward_code",
    "ward_name",
    "residents",
    *INDICATORS,
    "exclusion_index",
    *DEMAND_COLUMNS,
    "contacts_source",
)
SITE_COLUMNS = (
    "site_id",
    "name",
    "kind",
    "tier",
    "easting",
    "northing",
    "radius_m",
    "demand_covered",
    "demand_covered_first",
    "demand_added",
)


def publishable_wards(analysis: Analysis) -> gpd.GeoDataFrame:
    """Ward table for publication: stable columns, small counts suppressed."""
    wards = analysis.wards.assign(
        contacts_source="synthetic" if analysis.synthetic else "crm extract",
        residents=analysis.wards["residents"].round(),
    )
    wards = suppress_ward_counts(wards)
    return gpd.GeoDataFrame(wards[[*WARD_COLUMNS, "geometry"]], crs=analysis.wards.crs)


def _title_box(title: str, scenario: str, analysis: Analysis) -> str:
    """The saved map's heading: what it shows, the scenario, the period."""
    report = analysis.import_report
    contacts = "synthetic contacts" if analysis.synthetic else f"{report.source}"
    period = f"{contacts}, {report.period_start} to {report.period_end}"
    return (
        '<div style="position:fixed;top:10px;left:60px;right:60px;z-index:1000;'
        "background:white;padding:6px 10px;font:13px sans-serif;border-radius:4px;"
        'box-shadow:0 0 4px rgba(0,0,0,.3)">'
        f"<b style='font-size:15px'>{html.escape(title)}</b><br>"
        f"{html.escape(scenario)}. Contacts: {html.escape(period)}.</div>"
    )


def _sources_box() -> str:
    """A small 'Sources' box for the saved map, with every attribution line."""
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in ATTRIBUTION)
    return (
        '<details style="position:fixed;top:80px;left:10px;z-index:1000;'
        "max-width:520px;background:white;padding:4px 8px;font:11px sans-serif;"
        'border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)">'
        f"<summary>Sources</summary><ul>{lines}</ul></details>"
    )


def publishable_sites(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Chosen sites for publication: :data:`SITE_COLUMNS`, rounded.

    When the sites cover contacts (``attrs["demand_basis"]`` is
    ``"assisted_contacts"``), the demand columns are counts of contacts and
    1-4 are suppressed. ``demand_covered_first`` adds up to the contacts
    covered, which the share covered gives away, so its blanks are made
    never to stand alone or add up to less than the threshold; and as a
    site serves at least what only it reaches and at most what it reaches,
    a site whose share is blank has all three figures blank.
    """
    table = sites[list(SITE_COLUMNS)].round(2)
    if sites.attrs.get("demand_basis") == "assisted_contacts":
        demand = ["demand_covered", "demand_covered_first", "demand_added"]
        table = suppress_small_counts(table, demand)
        first = table["demand_covered_first"]
        values = sites["demand_covered_first"].round().to_numpy(dtype="int64")
        blank = protect_lines(
            values[:, None], first.isna().to_numpy()[:, None], SUPPRESSION_THRESHOLD
        )
        for column in demand:
            table[column] = table[column].mask(blank[:, 0])
    return table


def write_report(analysis: Analysis, out_dir: str | Path) -> dict[str, Path]:
    """Write the five output files to ``out_dir`` (created if needed).

    Returns
    -------
    dict
        File role to path: ``wards_gpkg``, ``wards_csv``, ``sites_csv``,
        ``map_html``, ``import_report``.

    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "wards_gpkg": out / "wards.gpkg",
        "wards_csv": out / "wards.csv",
        "sites_csv": out / "sites.csv",
        "map_html": out / "map.html",
        "import_report": out / "import_report.json",
    }

    # Wards: GeoPackage in British National Grid, and the same as CSV.
    wards = publishable_wards(analysis).to_crs(BNG)
    paths["wards_gpkg"].unlink(missing_ok=True)
    wards.to_file(paths["wards_gpkg"], layer="wards", driver="GPKG")
    wards.drop(columns="geometry").round(4).to_csv(paths["wards_csv"], index=False)

    # Sites, the map and the import report.
    publishable_sites(analysis.sites).to_csv(paths["sites_csv"], index=False)
    by_contacts = analysis.options.demand_basis == "assisted_contacts"
    note = (
        "Sites cover SYNTHETIC contacts" if analysis.synthetic and by_contacts else None
    )
    fmap = make_ward_map(
        wards,
        "exclusion_index",
        label="Digital exclusion risk index (0-100)",
        sites=analysis.sites,
        note=note,
    )
    title = "Digital exclusion risk and recommended sites"
    page = fmap.get_root()
    if isinstance(page, Figure):
        page.header.add_child(Element(f"<title>{title}</title>"), name="title")
        page.html.add_child(
            Element(_title_box(title, analysis.describe_siting(), analysis)),
            name="heading",
        )
        page.html.add_child(Element(_sources_box()), name="sources")
    fmap.save(str(paths["map_html"]))
    analysis.import_report.write_json(paths["import_report"])
    logger.info("report written to %s", out)
    return paths
