"""`python -m insight report`, run as a user would, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from insight.report import SITE_COLUMNS, WARD_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "insight", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory, extract_path):
    out = tmp_path_factory.mktemp("report")
    done = run_cli(
        "report", "--out", str(out), "--crm", str(extract_path), "--pods", "4"
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["synthetic"] is True
    return out


def test_writes_the_five_files(report_dir):
    names = {p.name for p in report_dir.iterdir()}
    assert names == {
        "wards.gpkg",
        "wards.csv",
        "sites.csv",
        "map.html",
        "import_report.json",
    }


def test_wards_layer(report_dir, extract_path):
    wards = gpd.read_file(report_dir / "wards.gpkg", layer="wards")
    assert wards.crs.to_epsg() == 27700
    assert len(wards) == 26
    assert list(wards.columns) == [*WARD_COLUMNS, "geometry"]
    table = pd.read_csv(report_dir / "wards.csv")
    assert list(table.columns) == list(WARD_COLUMNS)
    assert (table["contacts_source"] == "synthetic").all()
    # Ward contacts add up to the rows used (no ward is small enough to suppress).
    report = json.loads((report_dir / "import_report.json").read_text())
    assert table["contacts_total"].sum() == report["rows_used"]
    assert report["rows_used"] + report["rows_set_aside"] == report["rows_read"]
    assert report["rows_read"] == len(pd.read_csv(extract_path, usecols=["case_id"]))


def test_sites_file(report_dir):
    sites = pd.read_csv(report_dir / "sites.csv")
    assert list(sites.columns) == list(SITE_COLUMNS)
    assert sites["tier"].value_counts().to_dict() == {
        "existing_centre": 4,
        "pod": 4,
        "outlet": 1,
    }
    assert sites["easting"].between(490_000, 560_000).all()


def test_map_says_synthetic(report_dir):
    html = (report_dir / "map.html").read_text()
    assert "leaflet" in html.lower()
    assert "<title>Digital exclusion risk and recommended sites</title>" in html
    assert "cdn.jsdelivr.net/npm/leaflet" not in html  # Leaflet is embedded
    assert "Census 2021" in html and "FixMyStreet" in html  # attribution lines


def test_bad_crm_file_is_a_clear_error(tmp_path):
    done = run_cli(
        "report", "--out", str(tmp_path / "o"), "--crm", str(tmp_path / "nope.csv")
    )
    assert done.returncode == 2
    assert "nope.csv" in done.stderr and "no such file" in done.stderr


def test_other_district_not_yet_embedded(tmp_path):
    done = run_cli("report", "--out", str(tmp_path / "o"), "--district", "E07000012")
    assert done.returncode == 2
    assert "E07000012" in done.stderr


def test_column_map_and_all_bad_rows(tmp_path):
    export = tmp_path / "theirs.csv"
    export.write_text(
        "Ref,When,Method,Area,Where\n"
        "X1,2024-06-03T11:00,phone,planning,PE27 5BW\n"
        "X2,2024-06-03T11:05,email,housing,PE29 3TN\n"
    )
    mapping = "Ref=case_id,When=created_at,Method=channel,Area=service,Where=postcode"
    out = tmp_path / "o"
    done = run_cli(
        "report", "--out", str(out), "--crm", str(export), "--column-map", mapping
    )
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(out / "wards.csv")["contacts_source"].eq("crm extract").all()
    assert json.loads((out / "import_report.json").read_text())["rows_used"] == 2

    export.write_text(
        "case_id,created_at,channel,service,postcode\nA,never,phone,planning,PE27 5BW\n"
    )
    done = run_cli("report", "--out", str(out), "--crm", str(export))
    assert done.returncode == 2
    assert "none of the 1 rows can be used" in done.stderr and "line 2" in done.stderr
    assert "PE27" not in done.stderr


def test_column_map_repeated_for_a_name_with_a_comma(tmp_path):
    export = tmp_path / "theirs.csv"
    export.write_text(
        'Ref,created_at,channel,service,"Post, code"\n'
        "X1,2024-06-03T11:00,phone,planning,PE27 5BW\n"
    )
    out = tmp_path / "o"
    args = ["report", "--out", str(out), "--crm", str(export)]
    maps = ["--column-map", "Ref=case_id", "--column-map", "Post, code=postcode"]
    done = run_cli(*args, *maps)
    assert done.returncode == 0, done.stderr
    twice = run_cli(*args, "--column-map", "Ref=case_id,Ref=postcode")
    assert twice.returncode == 2 and "'Ref' is mapped twice" in twice.stderr


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_crm_argument(tmp_path, bad):
    done = run_cli("report", "--out", str(tmp_path / "o"), "--crm", bad)
    assert done.returncode == 2 and "--crm is empty" in done.stderr


def test_published_files_hold_no_small_counts(tmp_path, postcodes):
    # A small export: 400 contacts spread thinly, so many ward counts are 1-4.
    rng = np.random.default_rng(7)
    live = postcodes[postcodes["status"] == "live"]["postcode"].to_numpy()
    channels = ["phone", "face_to_face", "email", "web_form", "automated_payment"]
    rows = [
        f"C{i},2024-05-0{1 + i % 9}T10:00,{rng.choice(channels)},housing,"
        f"{rng.choice(live)},,{rng.choice(['true', 'false'])}"
        for i in range(400)
    ]
    export = tmp_path / "small.csv"
    export.write_text(
        "case_id,created_at,channel,service,postcode,centre,avoidable\n"
        + "\n".join(rows)
        + "\n"
    )
    out = tmp_path / "o"
    done = run_cli(
        "report",
        "--out",
        str(out),
        "--crm",
        str(export),
        "--demand",
        "assisted_contacts",
    )
    assert done.returncode == 0, done.stderr

    wards = pd.read_csv(out / "wards.csv")
    counts = wards[["contacts_total", *(f"contacts_{c}" for c in channels)]]
    published = counts.to_numpy()[~counts.isna().to_numpy()]
    assert published.size and not ((published >= 1) & (published <= 4)).any()
    assert counts.isna().to_numpy().any(), "the export was meant to need suppression"
    # No row or column holds a single blank that its total would give away.
    assert not (counts.isna().sum(axis=1) == 1).any()
    assert not (counts.isna().sum(axis=0) == 1).any()
    hidden = counts[["contacts_phone", "contacts_face_to_face"]].isna().any(axis=1)
    assert wards.loc[hidden, "assisted_share"].isna().all()

    sites = pd.read_csv(out / "sites.csv")
    demand = sites[["demand_covered", "demand_covered_first", "demand_added"]]
    values = demand.to_numpy()[~demand.isna().to_numpy()]
    assert not ((values >= 1) & (values <= 4)).any()
    # The contacts covered follow from the share covered printed (and shown):
    # blanks in what each site serves must not be worked out from it.
    assisted = sum(",phone," in r or ",face_to_face," in r for r in rows)
    covered = round(json.loads(done.stdout)["share_covered"] * assisted)
    first = sites["demand_covered_first"]
    hidden = covered - first.sum()
    assert first.isna().sum() >= 2, "the export was meant to need suppression"
    assert first.isna().sum() == 0 or hidden >= 5
    # Nor from a site's own bounds: only it reaches <= it serves <= in reach.
    assert demand[first.isna()].isna().all(axis=None)


def test_the_readme_example_export(tmp_path, postcodes):
    # The README's second command, on the example file it names.
    example = "examples/crm_export_example.csv"
    done = run_cli("report", "--out", str(tmp_path / "o"), "--crm", example)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["synthetic"] is True  # its Synthetic column says so
    # Independently: rows whose postcode (spaces and case aside) is known.
    rows = pd.read_csv(ROOT / example, dtype=str, keep_default_na=False)
    squeezed = rows["Post Code"].str.upper().str.replace(r"\s+", "", regex=True)
    known = set(postcodes["postcode"].str.replace(" ", ""))
    assert summary["rows_used"] == int(squeezed.isin(known).sum())
    assert summary["rows_used"] + summary["rows_set_aside"] == len(rows) == 2000
    assert summary["sites_asked_for"] == {"outlet": 1, "pod": 5}
