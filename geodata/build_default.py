"""Build the embedded Huntingdonshire default from the raw public files.

Reads ``../shared/data/geo`` and ``../shared/data/stats`` (beside the checkout,
or the folder given with ``--shared``) and writes ``geodata/huntingdonshire.gpkg``
with four layers, all in British National Grid (EPSG:27700):

``wards``
    The 26 wards (ONS May 2025 BGC boundaries) with residents by age band and
    the digital-exclusion indicators, carried from LSOAs by postcode-resident
    weights (see :mod:`insight.apportion`).
``postcodes``
    Live Code-Point Open postcodes with estimated residents, plus postcodes
    terminated before May 2022 placed at their 2011 Output Area.
``sites``
    Candidate sites: static public libraries, GP practices and today's four
    customer service centres.

Run from the checkout: ``python geodata/build_default.py``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insight.apportion import (
    apportion_counts,
    apportion_means,
    derive_pair_weights,
)
from insight.settings import BNG, DEFAULT_DISTRICT, DEFAULT_GPKG

logger = logging.getLogger("geodata.build_default")

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

#: The three centres with no address in the data sit at their town library.
CENTRE_AT_LIBRARY = {
    "St Neots Customer Service Centre": "St Neots Library",
    "Ramsey Customer Service Centre": "Ramsey Library",
    "Yaxley Customer Service Centre": "Yaxley Library",
}
HUNTINGDON_CENTRE_POSTCODE = "PE29 3TN"  # Pathfinder House


def build_postcodes(geo: Path) -> gpd.GeoDataFrame:
    """Postcodes with estimated residents, live and terminated, in BNG."""
    live = pd.read_csv(geo / "huntingdonshire_postcodes_codepoint_2025.csv")
    lookup = pd.read_csv(
        geo / "huntingdonshire_postcode_oa11_lsoa11_lookup_may2022.csv"
    )
    population = pd.read_csv(geo / "huntingdonshire_lsoa21_census2021_population.csv")

    # Residential postcodes: small users, and new postcodes (no 2022 record).
    usertype = lookup.set_index("pcds")["usertype"]
    live["residential"] = live["postcode"].map(usertype).fillna(0).eq(0)

    # Spread each LSOA21's residents evenly over its residential postcodes.
    per_lsoa = live[live["residential"]].groupby("lsoa21cd_pip")["postcode"].count()
    residents = population.set_index("lsoa21_code")["usual_residents_total"]
    share = (residents / per_lsoa).reindex(live["lsoa21cd_pip"]).to_numpy()
    live["residents"] = share * live["residential"]

    live_out = pd.DataFrame(
        {
            "postcode": live["postcode"],
            "status": "live",
            "easting": live["easting"].astype(float),
            "northing": live["northing"].astype(float),
            "ward_code": live["wd25cd"],
            "lsoa21_code": live["lsoa21cd_pip"],
            "lsoa11_code": live["lsoa11cd"],
            "residential": live["residential"],
            "residents": live["residents"],
        }
    )

    # Terminated postcodes: placed at a point inside their 2011 Output Area.
    gone = lookup[lookup["doterm"].notna() & ~lookup["pcds"].isin(live["postcode"])]
    oas = gpd.read_file(geo / "huntingdonshire_oa11.geojson").to_crs(BNG)
    oa_ward = pd.read_csv(geo / "huntingdonshire_oa11_to_ward25_derived.csv")
    oas = oas.merge(oa_ward[["OA11CD", "WD25CD"]], on="OA11CD")
    points = oas.set_index("OA11CD").geometry.representative_point()
    oa_ward_code = oas.set_index("OA11CD")["WD25CD"]
    gone = gone[gone["oa11cd"].isin(points.index)]
    gone_out = pd.DataFrame(
        {
            "postcode": gone["pcds"].to_numpy(),
            "status": "terminated",
            "easting": points.reindex(gone["oa11cd"]).x.round().to_numpy(),
            "northing": points.reindex(gone["oa11cd"]).y.round().to_numpy(),
            "ward_code": oa_ward_code.reindex(gone["oa11cd"]).to_numpy(),
            "lsoa21_code": None,
            "lsoa11_code": gone["lsoa11cd"].to_numpy(),
            "residential": False,
            "residents": 0.0,
        }
    )
    frame = pd.concat([live_out, gone_out], ignore_index=True)
    geometry = gpd.points_from_xy(frame["easting"], frame["northing"], crs=BNG)
    logger.info("postcodes: %d live, %d terminated", len(live_out), len(gone_out))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=BNG)


def build_wards(geo: Path, stats: Path, postcodes: pd.DataFrame) -> gpd.GeoDataFrame:
    """The 26 wards with residents and indicators, in BNG."""
    wards = gpd.read_file(geo / "huntingdonshire_wards_2025.geojson").to_crs(BNG)
    wards = wards.rename(
        columns={"WD25CD": "ward_code", "WD25NM": "ward_name", "LAD25CD": "lad_code"}
    )[["ward_code", "ward_name", "lad_code", "geometry"]]
    live = postcodes[postcodes["status"] == "live"]
    w21 = derive_pair_weights(live, "lsoa21_code")
    w11 = derive_pair_weights(live, "lsoa11_code")

    # Residents by age band (Census 2021, LSOA21).
    population = pd.read_csv(geo / "huntingdonshire_lsoa21_census2021_population.csv")
    ages = population.drop(columns=["lsoa21_name"]).rename(
        columns={"usual_residents_total": "residents"}
    )
    parts = [apportion_counts(ages, w21, "lsoa21_code")]

    # Age 75+, disability and tenure (Census 2021 indicators, LSOA21).
    census = pd.read_csv(stats / "census2021" / "census2021_lsoa21_ew_indicators.csv")
    census = pd.DataFrame(
        {
            "lsoa21cd": census["lsoa21cd"],
            "census_residents": census["usual_residents_total"],
            "age_75_plus": census["age_75plus"],
            "disabled": census["disabled_equality_act"],
            "households": census["households_total"],
            "social_rented_households": census[
                "tenure: Social rented: Rents from council or Local Authority"
            ]
            + census["tenure: Social rented: Other social rented"],
        }
    )
    parts.append(apportion_counts(census, w21, "lsoa21cd"))

    # Income deprivation affecting older people (IoD2019, LSOA11): carry
    # numerator and denominator, then divide; suppressed numerators drop both.
    iod19 = pd.read_csv(stats / "imd" / "imd2019_lsoa11_england.csv")
    idaopi = pd.DataFrame(
        {
            "lsoa11cd": iod19["lsoa11cd"],
            "idaopi_older_people": iod19["idaopi_numerator"],
            "aged_60_plus_2015": iod19["pop_60plus_mid2015"].where(
                iod19["idaopi_numerator"].notna()
            ),
        }
    )
    parts.append(apportion_counts(idaopi, w11, "lsoa11cd"))

    # Scores: IMD 2025 and its digital connectivity indicator (LSOA21),
    # the DERI broadband component and score (LSOA11, Ofcom May 2022).
    imd25 = pd.read_csv(stats / "imd" / "imd2025_lsoa21_england.csv")
    ind25 = pd.read_csv(
        stats / "imd" / "imd2025_lsoa21_underlying_indicators_england.csv"
    )
    scores21 = (
        imd25[["lsoa21cd", "imd_score"]]
        .merge(
            ind25[
                [
                    "lsoa21cd",
                    "digital_connectivity_broadband_download_and_upload_speeds",
                ]
            ],
            on="lsoa21cd",
        )
        .rename(
            columns={
                "imd_score": "imd_score_2025",
                "digital_connectivity_broadband_download_and_upload_speeds": (
                    "digital_connectivity_2025"
                ),
            }
        )
    )
    parts.append(apportion_means(scores21, w21, "lsoa21cd"))
    deri = pd.read_csv(stats / "digital_exclusion" / "deri_depahri_lsoa11_england.csv")
    deri = deri[["lsoa11cd", "broadband_comp_national", "deri_score_national"]].rename(
        columns={
            "broadband_comp_national": "broadband_risk_2022",
            "deri_score_national": "deri_score_2022",
        }
    )
    parts.append(apportion_means(deri, w11, "lsoa11cd"))

    # Real web reporting: FixMyStreet reports per LSOA11, latest full years.
    fms = pd.read_csv(stats / "contact" / "fms_reports_lsoa_annual_gb_2007_2020.csv")
    fms = fms[fms["year"].isin([2019, 2020])].pivot_table(
        index="lsoa_code", columns="year", values="reports", aggfunc="sum"
    )
    fms = fms.reindex(w11["area"].unique()).fillna(0)
    fms.columns = [f"fms_reports_{year}" for year in fms.columns]
    parts.append(apportion_counts(fms.reset_index(names="lsoa11cd"), w11, "lsoa11cd"))

    # Shares and rates per ward.
    table = pd.concat(parts, axis=1)
    table["share_aged_75_plus"] = table["age_75_plus"] / table["census_residents"]
    table["share_disabled"] = table["disabled"] / table["census_residents"]
    table["share_social_rented"] = (
        table["social_rented_households"] / table["households"]
    )
    table["idaopi_rate"] = table["idaopi_older_people"] / table["aged_60_plus_2015"]
    table = table.drop(columns=["idaopi_older_people", "aged_60_plus_2015"])
    wards = wards.merge(table, left_on="ward_code", right_index=True, how="left")
    missing = wards["residents"].isna()
    if missing.any():
        raise RuntimeError(
            f"wards with no residents: {wards.loc[missing, 'ward_code']}"
        )
    logger.info("wards: %d, residents %.0f", len(wards), wards["residents"].sum())
    return wards.sort_values("ward_code").reset_index(drop=True)


def build_sites(geo: Path) -> gpd.GeoDataFrame:
    """Candidate sites in the district: libraries, GP practices, centres."""
    libraries = gpd.read_file(geo / "sites_libraries_huntingdonshire_10km.geojson")
    libraries = libraries[
        libraries["in_huntingdonshire"]
        & (libraries["type"] == "Static Library")
        & libraries["closed"].isna()
    ]
    gps = gpd.read_file(geo / "sites_gp_practices_huntingdonshire_10km.geojson")
    gps = gps[gps["in_huntingdonshire"]]
    rows = [
        _site(r, "library", "LIB-" + _slug(r["name"]), "DCMS public libraries 2023")
        for _, r in libraries.iterrows()
    ]
    rows += [
        _site(r, "gp_surgery", f"GP-{r['org_code']}", "NHS ODS epraccur ~Dec 2023")
        for _, r in gps.iterrows()
    ]
    rows.append(_huntingdon_centre(geo))
    by_name = {row["name"]: row for row in rows}
    for centre, library in CENTRE_AT_LIBRARY.items():
        row = dict(by_name[library])
        town = centre.split(" Customer")[0]
        row.update(
            site_id=f"CSC-{town.upper().replace(' ', '')}",
            name=centre,
            kind="customer_service_centre",
            existing_centre=True,
            source=f"placed at {library} (no address in the data)",
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    geometry = gpd.points_from_xy(frame["easting"], frame["northing"], crs=BNG)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=BNG)


def _site(row: pd.Series, kind: str, site_id: str, source: str) -> dict[str, object]:
    """One candidate site record from a library or GP row."""
    return {
        "site_id": site_id,
        "name": _tidy_name(str(row["name"])),
        "kind": kind,
        "postcode": row["postcode"],
        "easting": float(row["easting"]),
        "northing": float(row["northing"]),
        "ward_code": row["ward_code"],
        "existing_centre": False,
        "source": source,
    }


def _tidy_name(name: str) -> str:
    """Title-case names given in capitals (NHS ODS), keep others as given."""
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


def _slug(name: str) -> str:
    """Upper-case letters of a site name, as a stable identifier."""
    return "".join(ch for ch in name.upper() if ch.isalnum())[:20]


def _huntingdon_centre(geo: Path) -> dict[str, object]:
    """Pathfinder House, Huntingdon, at its Code-Point postcode centroid."""
    codepoint = pd.read_csv(geo / "huntingdonshire_postcodes_codepoint_2025.csv")
    row = codepoint.set_index("postcode").loc[HUNTINGDON_CENTRE_POSTCODE]
    return {
        "site_id": "CSC-HUNTINGDON",
        "name": "Huntingdon Customer Service Centre (Pathfinder House)",
        "kind": "customer_service_centre",
        "postcode": HUNTINGDON_CENTRE_POSTCODE,
        "easting": float(row["easting"]),
        "northing": float(row["northing"]),
        "ward_code": row["wd25cd"],
        "existing_centre": True,
        "source": "Code-Point Open centroid of PE29 3TN",
    }


def main(argv: list[str] | None = None) -> None:
    """Build the default GeoPackage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=SHARED, help="shared/data folder"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_GPKG)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )

    geo, stats = args.shared / "geo", args.shared / "stats"
    postcodes = build_postcodes(geo)
    wards = build_wards(geo, stats, postcodes)
    sites = build_sites(geo)
    assert (wards["lad_code"] == DEFAULT_DISTRICT).all()

    args.out.unlink(missing_ok=True)
    wards.to_file(args.out, layer="wards", driver="GPKG")
    sites.to_file(args.out, layer="sites", driver="GPKG")
    postcodes.to_file(args.out, layer="postcodes", driver="GPKG")
    logger.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)


if __name__ == "__main__":
    main()
