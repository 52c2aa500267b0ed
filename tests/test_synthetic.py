"""Tests of the synthetic CRM generator on the embedded Huntingdonshire data."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from insight import datasets, settings, synthetic
from insight._errors import DataError
from insight.synthetic import (
    DEFAULT_CALIBRATION,
    GENERATOR_VERSION,
    OUT_OF_AREA_POSTCODES,
    OUTPUT_COLUMNS,
    SYNTHETIC_NOTICE,
    calibration_totals,
    default_extract_path,
    generate_contacts,
    write_synthetic_extract,
)

# Published yearly figures, typed out so a wrong default also fails
PUBLISHED = {
    "phone": 140_000,
    "automated_payment": 19_563,
    "email": 17_307,
    "web_form": 36_500,
}
TOTAL = 140_000 + 19_563 + 17_307 + 36_500 + 39_960 + 12_192 + 5_244
ASSISTED = ("phone", "face_to_face")


@pytest.fixture(scope="module")
def inputs() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    sites = datasets.load_sites()
    centres = sites[sites["kind"] == "customer_service_centre"]
    return datasets.load_postcodes(), datasets.load_wards(), centres


@pytest.fixture(scope="module")
def contacts(
    inputs: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> pd.DataFrame:
    return generate_contacts(*inputs)


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("extract") / "contacts.csv"
    return write_synthetic_extract(path)


@pytest.fixture(scope="module")
def postcode_table() -> pd.DataFrame:
    return datasets.load_postcodes().set_index("postcode")


def normalise(postcodes: pd.Series) -> pd.Series:
    """Upper case, no inner spaces but one before the last three characters."""
    compact = postcodes.fillna("").str.replace(r"\s+", "", regex=True).str.upper()
    spaced = compact.str[:-3] + " " + compact.str[-3:]
    return spaced.where(compact != "", "")


def visitor_xy(
    contacts: pd.DataFrame, postcode_table: pd.DataFrame, centre: str
) -> pd.DataFrame:
    """BNG coordinates (metres) of the district postcodes of one centre's visitors."""
    visits = contacts.loc[contacts["centre"] == centre, "postcode"]
    codes = normalise(visits)
    codes = codes[codes.isin(postcode_table.index)]
    return postcode_table.loc[codes, ["easting", "northing"]]


def centre_xy(centres: pd.DataFrame, prefix: str) -> np.ndarray:
    row = centres[centres["name"].str.startswith(prefix)]
    assert len(row) == 1
    return row[["easting", "northing"]].to_numpy(float)[0]


# Calibrated totals


def test_columns_and_notice(contacts: pd.DataFrame) -> None:
    assert tuple(contacts.columns) == OUTPUT_COLUMNS
    assert OUTPUT_COLUMNS == (
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
    assert contacts["synthetic"].all()
    assert "SYNTHETIC" in SYNTHETIC_NOTICE.upper()
    assert "SYNTHETIC" in (synthetic.__doc__ or "")


def test_channel_totals_are_exact(contacts: pd.DataFrame) -> None:
    counts = contacts["channel"].value_counts().to_dict()
    assert counts == PUBLISHED | {"face_to_face": 39_960 + 12_192 + 5_244}
    assert len(contacts) == TOTAL


def test_centre_totals_are_exact(contacts: pd.DataFrame) -> None:
    visits = contacts[contacts["channel"] == "face_to_face"]
    counts = visits["centre"].value_counts()
    assert counts["Huntingdon"] == 39_960
    assert counts["St Neots"] == 12_192
    assert counts["Ramsey"] + counts["Yaxley"] == 5_244
    assert set(counts.index) == {"Huntingdon", "St Neots", "Ramsey", "Yaxley"}


def test_centre_only_for_face_to_face(contacts: pd.DataFrame) -> None:
    in_person = contacts["channel"] == "face_to_face"
    assert (contacts.loc[in_person, "centre"] != "").all()
    assert (contacts.loc[~in_person, "centre"] == "").all()


def test_ramsey_yaxley_split_by_catchment(
    contacts: pd.DataFrame,
    inputs: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    postcodes, _, centres = inputs
    live = postcodes[(postcodes["status"] == "live") & (postcodes["residents"] > 0)]
    names = ("Huntingdon", "St Neots", "Ramsey", "Yaxley")
    xy = live[["easting", "northing"]].to_numpy(float)

    # Residents whose nearest centre is Ramsey, among those nearest to either
    distances = np.column_stack(
        [np.hypot(*(xy - centre_xy(centres, name)).T) for name in names]
    )
    nearest = np.asarray(names)[distances.argmin(axis=1)]
    ramsey = live["residents"][nearest == "Ramsey"].sum()
    yaxley = live["residents"][nearest == "Yaxley"].sum()
    expected = 5_244 * ramsey / (ramsey + yaxley)

    counts = contacts["centre"].value_counts()
    assert abs(counts["Ramsey"] - expected) <= 0.5 + 1e-9


def test_calibration_totals() -> None:
    totals = calibration_totals(DEFAULT_CALIBRATION)
    assert {channel: totals[channel] for channel in PUBLISHED} == PUBLISHED
    assert totals["face_to_face"] == 57_396
    assert totals["centre:Huntingdon"] == 39_960
    assert totals["centre:St Neots"] == 12_192
    assert totals["centre:Ramsey and Yaxley"] == 5_244
    assert totals["total"] == TOTAL
    assert totals["avoidable"] == round(TOTAL / 3)
    assert totals["resolved_first_contact:phone"] == 91_000


# Outcomes


def test_first_contact_resolution_is_exact(contacts: pd.DataFrame) -> None:
    resolved = contacts.groupby("channel")["resolved_first_contact"].sum()
    assert resolved["phone"] == 91_000
    for channel, count in contacts["channel"].value_counts().items():
        rate = DEFAULT_CALIBRATION.first_contact_rate[channel]
        assert resolved[channel] == round(rate * count)
    assert contacts["resolved_first_contact"].dtype == bool


def test_avoidable_count_is_exact_and_weighted(contacts: pd.DataFrame) -> None:
    assert contacts["avoidable"].sum() == round(len(contacts) / 3) == 90_255

    # Waste chasing is the likeliest avoidable contact; payments the least
    rate = contacts.groupby("service")["avoidable"].mean()
    assert rate["waste_and_street_scene"] > rate["benefits"] > rate["payments"]
    by_channel = contacts.groupby("channel")["avoidable"].mean()
    assert by_channel["phone"] > by_channel["web_form"]


def test_services_follow_the_mix(contacts: pd.DataFrame) -> None:
    assert set(contacts["service"]) <= set(settings.SERVICES)
    payments = contacts[contacts["channel"] == "automated_payment"]
    assert (payments["service"] == "payments").all()
    phone = contacts.loc[contacts["channel"] == "phone", "service"]
    share = phone.value_counts(normalize=True)
    assert share["council_tax"] == pytest.approx(0.30, abs=0.01)


# Identifiers and timestamps


def test_case_ids_in_time_order(contacts: pd.DataFrame) -> None:
    expected = [f"SYN-{number:07d}" for number in range(1, len(contacts) + 1)]
    assert contacts["case_id"].tolist() == expected
    assert contacts["created_at"].is_monotonic_increasing


def test_created_at_within_the_year(contacts: pd.DataFrame) -> None:
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
    assert contacts["created_at"].map(lambda text: bool(pattern.match(text))).all()
    assert contacts["created_at"].min() >= "2024-04-01T00:00"
    assert contacts["created_at"].max() <= "2025-03-31T23:59"


@pytest.mark.parametrize(
    ("channel", "first", "last"),
    [("phone", "08:30", "17:29"), ("face_to_face", "09:00", "16:59")],
)
def test_assisted_channels_in_office_hours(
    contacts: pd.DataFrame, channel: str, first: str, last: str
) -> None:
    stamps = contacts.loc[contacts["channel"] == channel, "created_at"]
    assert (pd.to_datetime(stamps).dt.day_of_week < 5).all()

    # Every minute of opening is used and none outside it
    times = stamps.str[11:]
    assert times.min() == first
    assert times.max() == last


def test_digital_channels_any_day_daytime_weighted(contacts: pd.DataFrame) -> None:
    digital = contacts[~contacts["channel"].isin(ASSISTED)]
    stamps = pd.to_datetime(digital["created_at"])
    assert (stamps.dt.day_of_week >= 5).mean() > 0.15
    hours = stamps.dt.hour
    assert (hours == 11).sum() > 5 * (hours == 3).sum() > 0


def test_council_tax_peak_in_march_and_april(contacts: pd.DataFrame) -> None:
    months = pd.to_datetime(contacts["created_at"]).dt.month.value_counts()
    others = months.drop([3, 4])
    assert months[3] > others.max()
    assert months[4] > others.max()


# Postcodes


def test_out_of_area_list_is_outside_the_district(
    postcode_table: pd.DataFrame,
) -> None:
    assert not set(OUT_OF_AREA_POSTCODES) & set(postcode_table.index)
    assert {"PE1 1HQ", "CB2 1TN", "MK40 1SJ"} <= set(OUT_OF_AREA_POSTCODES)


def test_every_postcode_is_known(
    contacts: pd.DataFrame, postcode_table: pd.DataFrame
) -> None:
    codes = normalise(contacts["postcode"])
    given = codes[codes != ""]
    known = set(postcode_table.index) | set(OUT_OF_AREA_POSTCODES)
    assert given.isin(known).all()


def test_postcode_messiness_shares(
    contacts: pd.DataFrame, postcode_table: pd.DataFrame
) -> None:
    raw = contacts["postcode"]
    codes = normalise(raw)
    status = codes.map(postcode_table["status"])
    blank = (raw == "").mean()
    assert 0.02 <= blank <= 0.04

    # Exact counts: round(share x total) of each kind of mess
    assert (raw == "").sum() == round(0.03 * TOTAL)
    assert ((raw != codes) & (raw != "")).sum() == round(0.02 * TOTAL)
    assert codes.isin(OUT_OF_AREA_POSTCODES).sum() == round(0.005 * TOTAL)
    assert (status == "terminated").sum() == round(0.005 * TOTAL)


def test_variants_include_each_format(contacts: pd.DataFrame) -> None:
    raw = contacts["postcode"]
    variants = raw[(raw != normalise(raw)) & (raw != "")]
    assert variants.str.contains("[a-z]").any()
    assert (~variants.str.contains(" ")).any()
    assert variants.str.contains("  ").any()
    assert variants.str.startswith(" ").any()


# Where contacts come from


def test_assisted_share_higher_where_more_older_residents(
    contacts: pd.DataFrame, postcode_table: pd.DataFrame
) -> None:
    wards = datasets.load_wards().set_index("ward_code")["share_aged_75_plus"]
    oldest = wards.index[wards >= wards.quantile(0.75)]
    youngest = wards.index[wards <= wards.quantile(0.25)]

    # Map each record to a ward through its (normalised) postcode
    ward = normalise(contacts["postcode"]).map(postcode_table["ward_code"])
    assisted = contacts["channel"].isin(ASSISTED)
    share_oldest = assisted[ward.isin(oldest)].mean()
    share_youngest = assisted[ward.isin(youngest)].mean()
    assert share_oldest > share_youngest + 0.03


def test_visitors_come_from_near_their_centre(
    contacts: pd.DataFrame,
    postcode_table: pd.DataFrame,
    inputs: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    huntingdon = centre_xy(inputs[2], "Huntingdon")

    # Mean BNG distance (metres) to Huntingdon of each centre's visitors
    def mean_distance(centre: str) -> float:
        xy = visitor_xy(contacts, postcode_table, centre).to_numpy(float)
        return float(np.hypot(*(xy - huntingdon).T).mean())

    assert mean_distance("Huntingdon") < mean_distance("St Neots")
    assert mean_distance("Huntingdon") < 8_000


# Reproducibility and files


def test_same_seed_same_bytes_other_seed_differs(extract: Path, tmp_path: Path) -> None:
    again = write_synthetic_extract(tmp_path / "again.csv")
    other = write_synthetic_extract(tmp_path / "other.csv", seed=7)
    assert again.read_bytes() == extract.read_bytes()
    assert other.read_bytes() != extract.read_bytes()


def test_extract_matches_frame(extract: Path, contacts: pd.DataFrame) -> None:
    text = extract.read_text()
    header = text.split("\n", 1)[0]
    assert header == ",".join(OUTPUT_COLUMNS)

    # Booleans as true/false; blanks kept blank
    read = pd.read_csv(extract, dtype=str, keep_default_na=False)
    assert set(read["avoidable"]) == {"true", "false"}
    assert read["case_id"].equals(contacts["case_id"])
    assert read["postcode"].equals(contacts["postcode"])
    assert (read["resolved_first_contact"] == "true").sum() == contacts[
        "resolved_first_contact"
    ].sum()


def test_generate_does_not_touch_inputs(
    inputs: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
    contacts: pd.DataFrame,
) -> None:
    postcodes, wards, centres = inputs
    assert postcodes.equals(datasets.load_postcodes())
    assert wards.equals(datasets.load_wards())
    assert len(centres) == 4


def test_default_extract_path_generates_once(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSIGHT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path)
    path = default_extract_path()
    name = f"synthetic_contacts_v{GENERATOR_VERSION}_seed{settings.SYNTHETIC_SEED}.csv"
    assert path == tmp_path / name
    assert path.read_bytes() == extract.read_bytes()
    assert sorted(tmp_path.iterdir()) == [path]

    # A second call uses the cached file
    def fail(*args: object, **kwargs: object) -> Path:
        raise AssertionError("regenerated a cached extract")

    monkeypatch.setattr(synthetic, "write_synthetic_extract", fail)
    assert default_extract_path() == path


def test_default_extract_path_never_leaves_half_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "CACHE_DIR", tmp_path / "cache")
    written: list[Path] = []

    # A writer that fails half way through its file
    def half_write(path: Path, **kwargs: object) -> Path:
        written.append(path)
        path.write_text("case_id,created_at\nSYN-0000001,")
        raise OSError("disk full")

    monkeypatch.setattr(synthetic, "write_synthetic_extract", half_write)
    with pytest.raises(OSError, match="disk full"):
        default_extract_path(seed=5)
    assert written and not written[0].name.endswith("_seed5.csv")
    assert list((tmp_path / "cache").iterdir()) == []


# Input checks


def test_missing_column_is_named(
    inputs: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    postcodes, wards, centres = inputs
    with pytest.raises(DataError, match="residents"):
        generate_contacts(postcodes.drop(columns="residents"), wards, centres)


def test_missing_centre_is_named(
    inputs: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    postcodes, wards, centres = inputs
    without = centres[~centres["name"].str.startswith("Yaxley")]
    with pytest.raises(DataError, match="Yaxley"):
        generate_contacts(postcodes, wards, without)
