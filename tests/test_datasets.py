"""The embedded default data against the raw public files they came from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from insight import datasets
from insight._errors import InputFileError


def test_26_wards_with_real_ons_codes(wards):
    assert len(wards) == 26
    expected = {f"E0501{n}" for n in range(1256, 1282)}
    assert set(wards["ward_code"]) == expected
    assert wards.crs.to_epsg() == 27700
    assert wards.geometry.is_valid.all()


def test_residents_sum_to_census_2021_total(wards):
    # ONS publishes 180,800 (rounded); the LSOA file sums to 180,835.
    assert wards["residents"].sum() == pytest.approx(180_800, rel=0.005)
    assert wards["residents"].sum() == pytest.approx(180_835, abs=0.5)


def test_age_bands_add_up_to_residents(wards):
    bands = [
        "age_0_15",
        "age_16_24",
        "age_25_34",
        "age_35_49",
        "age_50_64",
        "age_65_plus",
    ]
    assert wards[bands].sum(axis=1).to_numpy() == pytest.approx(
        wards["residents"].to_numpy()
    )


def test_ward_populations_agree_with_published_estimate(wards, shared):
    # An estimate made independently (plain postcode counts) for the data manifest.
    path = shared / "geo" / "huntingdonshire_ward25_census2021_population_estimate.csv"
    theirs = pd.read_csv(path).set_index("wd25cd")["usual_residents_total"]
    ours = wards.set_index("ward_code")["residents"]
    assert ours.sum() == pytest.approx(theirs.sum(), abs=1)
    assert ((ours / theirs.reindex(ours.index) - 1).abs() < 0.07).all()


def test_whole_lsoa_ward_indicator_matches_raw_census(wards, postcodes, shared):
    # Kimbolton's share aged 75+ recomputed by hand from the raw census rows of the
    # LSOAs whose residential postcodes all lie in Kimbolton.
    census = pd.read_csv(
        shared / "stats/census2021/census2021_lsoa21_ew_indicators.csv"
    )
    live = postcodes[(postcodes["status"] == "live") & postcodes["residential"]]
    wards_per_lsoa = live.groupby("lsoa21_code")["ward_code"].nunique()
    whole = live[live["lsoa21_code"].map(wards_per_lsoa) == 1]
    kimbolton = wards.set_index("ward_name").loc["Kimbolton", "ward_code"]
    lsoas = set(whole.loc[whole["ward_code"] == kimbolton, "lsoa21_code"])
    split = set(live.loc[live["ward_code"] == kimbolton, "lsoa21_code"]) - lsoas
    assert lsoas and not split, "Kimbolton should be made of whole LSOAs"
    rows = census[census["lsoa21cd"].isin(lsoas)]
    expected = rows["age_75plus"].sum() / rows["usual_residents_total"].sum()
    got = wards.set_index("ward_name").loc["Kimbolton", "share_aged_75_plus"]
    assert got == pytest.approx(expected, rel=1e-9)


def test_postcodes_fall_in_their_own_ward(postcodes, wards):
    live = postcodes[postcodes["status"] == "live"]
    polygons = wards[["ward_code", "geometry"]].rename(columns={"ward_code": "pip"})
    joined = gpd.sjoin(live, polygons, how="left", predicate="within")
    wrong = joined[joined["pip"] != joined["ward_code"]]
    assert len(live) == 5212
    assert 1 - len(wrong) / len(live) >= 0.999
    # The two known exceptions, named in geodata/README.md.
    assert sorted(wrong["postcode"]) == ["PE26 2TN", "PE28 5XQ"]


def test_sites_are_filtered_and_centres_placed(sites, shared):
    kinds = sites["kind"].value_counts()
    assert kinds.to_dict() == {
        "gp_surgery": 17,
        "library": 10,
        "customer_service_centre": 4,
    }
    assert not sites["name"].str.contains("HMP|HMOB|Mobile").any()
    codepoint = pd.read_csv(shared / "geo/huntingdonshire_postcodes_codepoint_2025.csv")
    pathfinder = codepoint.set_index("postcode").loc["PE29 3TN"]
    huntingdon = sites.set_index("site_id").loc["CSC-HUNTINGDON"]
    assert (huntingdon["easting"], huntingdon["northing"]) == (
        pathfinder["easting"],
        pathfinder["northing"],
    )
    assert sites["existing_centre"].sum() == 4


def test_unknown_district_is_a_clear_error():
    with pytest.raises(InputFileError, match="E07000012"):
        datasets.load_wards("E07000012")


def test_recipe_rebuilds_the_committed_data(tmp_path, shared, wards, sites):
    # The embedded GeoPackage is exactly what geodata/build_default.py makes.
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "rebuilt.gpkg"
    subprocess.run(
        [
            sys.executable,
            "geodata/build_default.py",
            "--shared",
            str(shared),
            "--out",
            str(out),
        ],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=300,
    )
    rebuilt = gpd.read_file(out, layer="wards")
    numeric = wards.select_dtypes("number").columns
    assert list(rebuilt["ward_code"]) == list(wards["ward_code"])
    assert rebuilt[numeric].to_numpy() == pytest.approx(
        wards[numeric].to_numpy(), nan_ok=True
    )
    assert (
        gpd.read_file(out, layer="sites")["site_id"].tolist()
        == sites["site_id"].tolist()
    )
    rebuilt_postcodes = gpd.read_file(out, layer="postcodes")
    postcodes = datasets.load_postcodes()
    assert rebuilt_postcodes["postcode"].tolist() == postcodes["postcode"].tolist()
    assert rebuilt_postcodes["residents"].to_numpy() == pytest.approx(
        postcodes["residents"].to_numpy()
    )
