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

from insight._errors import DataError
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
#: IoD 2019 suppresses IDAOPI numerators below 10; carried as the middle of 0-9.
IDAOPI_SUPPRESSED = 5.0


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

    # Postcodes no longer live (terminated, or gone from Code-Point since May
    # 2022): placed at a point inside their 2011 Output Area.
    gone = lookup[~lookup["pcds"].isin(live["postcode"])]
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

    # Counts carried by weights; scores averaged over the residents carried.
    parts = [
        apportion_counts(read_population(geo), w21, "lsoa21cd"),
        apportion_counts(read_census_indicators(stats), w21, "lsoa21cd"),
        apportion_counts(read_idaopi(stats), w11, "lsoa11cd"),
        apportion_counts(read_fixmystreet(stats, w11["area"]), w11, "lsoa11cd"),
        apportion_means(read_imd2025_scores(stats), w21, "lsoa21cd"),
        apportion_means(read_deri(stats), w11, "lsoa11cd"),
    ]
    table = add_shares(pd.concat(parts, axis=1))
    wards = wards.merge(table, left_on="ward_code", right_index=True, how="left")
    if wards["residents"].isna().any():
        missing = wards.loc[wards["residents"].isna(), "ward_code"].tolist()
        raise DataError(f"wards with no residents: {missing}")
    logger.info("wards: %d, residents %.0f", len(wards), wards["residents"].sum())
    return wards.sort_values("ward_code").reset_index(drop=True)


def read_population(geo: Path) -> pd.DataFrame:
    """Census 2021 usual residents by age band, per LSOA21 (persons)."""
    population = pd.read_csv(geo / "huntingdonshire_lsoa21_census2021_population.csv")
    return population.drop(columns=["lsoa21_name"]).rename(
        columns={"lsoa21_code": "lsoa21cd", "usual_residents_total": "residents"}
    )


def read_census_indicators(stats: Path) -> pd.DataFrame:
    """Age 75+, disability (persons) and tenure (households), per LSOA21."""
    census = pd.read_csv(stats / "census2021" / "census2021_lsoa21_ew_indicators.csv")
    social = (
        census["tenure: Social rented: Rents from council or Local Authority"]
        + census["tenure: Social rented: Other social rented"]
    )
    return pd.DataFrame(
        {
            "lsoa21cd": census["lsoa21cd"],
            "census_residents": census["usual_residents_total"],
            "age_75_plus": census["age_75plus"],
            "disabled": census["disabled_equality_act"],
            "households": census["households_total"],
            "social_rented_households": social,
        }
    )


def read_idaopi(stats: Path) -> pd.DataFrame:
    """IoD 2019 IDAOPI numerator and its denominator (60+, mid-2015), per LSOA11.

    The source suppresses numerators below 10; those LSOAs are carried with 5,
    the middle of 0-9, rather than left out, which would raise their wards'
    rates.
    """
    iod19 = pd.read_csv(stats / "imd" / "imd2019_lsoa11_england.csv")
    suppressed = iod19["idaopi_numerator"].isna()
    logger.info(
        "IDAOPI numerators suppressed (<10) in England, carried as 5: %d",
        suppressed.sum(),
    )
    return pd.DataFrame(
        {
            "lsoa11cd": iod19["lsoa11cd"],
            "idaopi_older_people": iod19["idaopi_numerator"].fillna(IDAOPI_SUPPRESSED),
            "aged_60_plus_2015": iod19["pop_60plus_mid2015"],
        }
    )


def read_imd2025_scores(stats: Path) -> pd.DataFrame:
    """IMD 2025 score and digital connectivity indicator, per LSOA21."""
    imd25 = pd.read_csv(stats / "imd" / "imd2025_lsoa21_england.csv")
    indicators = pd.read_csv(
        stats / "imd" / "imd2025_lsoa21_underlying_indicators_england.csv"
    )
    connectivity = "digital_connectivity_broadband_download_and_upload_speeds"
    return (
        imd25[["lsoa21cd", "imd_score"]]
        .merge(indicators[["lsoa21cd", connectivity]], on="lsoa21cd")
        .rename(
            columns={
                "imd_score": "imd_score_2025",
                connectivity: "digital_connectivity_2025",
            }
        )
    )


def read_deri(stats: Path) -> pd.DataFrame:
    """DERI broadband component and score (0-10, Ofcom May 2022), per LSOA11."""
    deri = pd.read_csv(stats / "digital_exclusion" / "deri_depahri_lsoa11_england.csv")
    return deri[["lsoa11cd", "broadband_comp_national", "deri_score_national"]].rename(
        columns={
            "broadband_comp_national": "broadband_risk_2022",
            "deri_score_national": "deri_score_2022",
        }
    )


def read_fixmystreet(stats: Path, lsoas: pd.Series) -> pd.DataFrame:
    """FixMyStreet reports in 2019 and 2020 per LSOA11 (absent means 0)."""
    fms = pd.read_csv(stats / "contact" / "fms_reports_lsoa_annual_gb_2007_2020.csv")
    fms = fms[fms["year"].isin([2019, 2020])].pivot_table(
        index="lsoa_code", columns="year", values="reports", aggfunc="sum"
    )
    fms = fms.reindex(lsoas.unique()).fillna(0)
    fms.columns = [f"fms_reports_{year}" for year in fms.columns]
    return fms.reset_index(names="lsoa11cd")


def add_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Shares and rates from carried counts; drops the IDAOPI parts."""
    table = table.assign(
        share_aged_75_plus=table["age_75_plus"] / table["census_residents"],
        share_disabled=table["disabled"] / table["census_residents"],
        share_social_rented=table["social_rented_households"] / table["households"],
        idaopi_rate=table["idaopi_older_people"] / table["aged_60_plus_2015"],
    )
    return table.drop(columns=["idaopi_older_people", "aged_60_plus_2015"])


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
    if not (wards["lad_code"] == DEFAULT_DISTRICT).all():
        raise DataError(f"wards outside {DEFAULT_DISTRICT} in the ward file")

    args.out.unlink(missing_ok=True)
    wards.to_file(args.out, layer="wards", driver="GPKG")
    sites.to_file(args.out, layer="sites", driver="GPKG")
    postcodes.to_file(args.out, layer="postcodes", driver="GPKG")
    logger.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)


if __name__ == "__main__":
    main()
