"""Reading CRM extracts: every row accounted for, errors that name the place."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from insight import crm
from insight._errors import InputFileError

HEADER = (
    "case_id,created_at,channel,service,postcode,centre,"
    "resolved_first_contact,avoidable"
)
ROWS = [
    "A1,2024-04-01T09:00,phone,council_tax,pe29 3tn,,true,false",  # line 2: ok
    "A2,2024-04-01T09:05,Telephone,Council Tax,PE293TN,,yes,no",  # 3: ok (spellings)
    "A3,not a date,phone,council_tax,PE29 3TN,,true,false",  # 4: bad_timestamp
    "A4,2024-04-01T09:07,pigeon,council_tax,PE29 3TN,,true,false",  # 5: unknown_channel
    "A5,2024-04-01T09:07,phone,parking,PE29 3TN,,true,false",  # 6: unknown_service
    "A6,2024-04-01T09:07,phone,benefits,,,true,false",  # 7: missing_postcode
    "A7,2024-04-01T09:07,phone,benefits,XYZ,,true,false",  # 8: malformed_postcode
    "A8,2024-04-01T09:07,phone,benefits,PE1 1HQ,,true,false",  # 9: not in district
    "A1,2024-04-01T09:07,phone,benefits,PE29 3TN,,true,false",  # 10: duplicate
    ",2024-04-01T09:07,phone,benefits,PE29 3TN,,true,false",  # 11: missing_case_id
    "A9,2024-04-01T09:07,Face to Face,Waste & Street Scene,PE29 3TN,Huntingdon,1,0",
]


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_every_row_is_used_or_set_aside_with_its_reason(messy, postcodes):
    result = crm.read_contacts(messy, postcodes)
    report = result.report
    assert report.rows_read == 11
    assert report.rows_used == 3
    assert report.rows_used + report.rows_set_aside == report.rows_read
    assert report.example_rows == {
        "duplicate_case_id": [10],
        "missing_case_id": [11],
        "bad_timestamp": [4],
        "unknown_channel": [5],
        "unknown_service": [6],
        "missing_postcode": [7],
        "malformed_postcode": [8],
        "postcode_not_in_district": [9],
    }
    assert report.columns["bad_timestamp"] == "created_at"
    assert report.synthetic is False
    assert report.rows_by_channel == {"phone": 9, "unknown": 1, "face_to_face": 1}


def test_usable_rows_are_normalised_and_placed(messy, postcodes):
    contacts = crm.read_contacts(messy, postcodes).contacts
    assert list(contacts["line"]) == [2, 3, 12]
    assert list(contacts["channel"]) == ["phone", "phone", "face_to_face"]
    assert list(contacts["service"]) == [
        "council_tax",
        "council_tax",
        "waste_and_street_scene",
    ]
    assert set(contacts["postcode"]) == {"PE29 3TN"}
    assert contacts.crs.to_epsg() == 27700
    # Pathfinder House's postcode centroid, and its ward (Huntingdon North).
    assert (
        contacts.geometry.x.iloc[0] == 523999 and contacts.geometry.y.iloc[0] == 271531
    )
    assert set(contacts["ward_code"]) == {"E05011266"}
    assert contacts["avoidable"].tolist() == [False, False, False]


def test_terminated_postcodes_still_match(tmp_path, postcodes):
    old = postcodes[postcodes["status"] == "terminated"].iloc[0]
    path = tmp_path / "old.csv"
    path.write_text(
        f"{HEADER}\nB1,2024-05-01T10:00,email,housing,{old['postcode']},,false,true\n"
    )
    result = crm.read_contacts(path, postcodes)
    assert result.report.matched_terminated_postcode == 1
    assert result.contacts["ward_code"].iloc[0] == old["ward_code"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" pe29 3tn", "PE29 3TN"),
        ("PE293TN", "PE29 3TN"),
        ("pe7  3jl", "PE7 3JL"),
        ("", ""),
    ],
)
def test_normalise_postcode(raw, expected):
    assert crm.normalise_postcode(pd.Series([raw])).iloc[0] == expected


def test_missing_column_names_file_and_columns(tmp_path, postcodes):
    path = tmp_path / "short.csv"
    path.write_text("case_id,created_at,channel\nA,2024-01-01,phone\n")
    with pytest.raises(InputFileError, match=r"short\.csv.*\['service', 'postcode'\]"):
        crm.read_contacts(path, postcodes)


def test_column_map_renames_export_columns(tmp_path, postcodes):
    path = tmp_path / "theirs.csv"
    path.write_text(
        "Ref,Date,Method,Service,Postcode\nX1,2024-06-03T11:00,web,planning,PE27 5BW\n"
    )
    mapping = {
        "Ref": "case_id",
        "Date": "created_at",
        "Method": "channel",
        "Service": "service",
        "Postcode": "postcode",
    }
    result = crm.read_contacts(path, postcodes, column_map=mapping)
    assert result.report.rows_used == 1
    assert result.contacts["channel"].iloc[0] == "web_form"


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00bad"])
def test_unreadable_files_are_clear_errors(tmp_path, postcodes, content):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=r"broken\.csv"):
        crm.read_contacts(path, postcodes)


def test_missing_file(tmp_path, postcodes):
    with pytest.raises(InputFileError, match="no such file"):
        crm.read_contacts(tmp_path / "nope.csv", postcodes)


def test_report_json_has_no_postcodes(messy, postcodes, tmp_path):
    report = crm.read_contacts(messy, postcodes).report
    text = report.write_json(tmp_path / "r.json").read_text()
    assert "PE29" not in text and "XYZ" not in text
    assert json.loads(text)["rows_set_aside"] == 8


def test_synthetic_extract_is_read_in_full(extract_path, postcodes):
    result = crm.read_contacts(extract_path, postcodes)
    report = result.report
    raw = pd.read_csv(extract_path, dtype=str, keep_default_na=False)
    assert report.synthetic is True
    assert report.rows_read == len(raw)
    assert report.rows_used + report.rows_set_aside == len(raw)
    # Only postcode problems are planted in the synthetic extract.
    assert set(report.set_aside) <= {"missing_postcode", "postcode_not_in_district"}
    assert (
        report.set_aside["missing_postcode"]
        == (raw["postcode"].str.strip() == "").sum()
    )
    assert report.matched_terminated_postcode > 0
    assert report.rows_by_channel["phone"] == 140_000
    assert report.rows_by_channel["email"] == 17_307
