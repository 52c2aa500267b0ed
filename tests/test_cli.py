"""`python -m insight report`, run as a user would, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
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
    assert "SYNTHETIC" in html and "leaflet" in html.lower()
    assert "<title>Digital exclusion risk and recommended sites</title>" in html
    assert "cdn.jsdelivr.net/npm/leaflet" not in html  # Leaflet is embedded


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


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_crm_argument(tmp_path, bad):
    done = run_cli("report", "--out", str(tmp_path / "o"), "--crm", bad)
    assert done.returncode == 2 and "--crm is empty" in done.stderr
