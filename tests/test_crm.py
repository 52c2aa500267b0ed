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
    # Our side matches ignoring case and spaces too.
    spelt = {**mapping, "Ref": "Case ID", "Postcode": " POSTCODE"}
    assert crm.read_contacts(path, postcodes, column_map=spelt).report.rows_used == 1


@pytest.mark.parametrize(
    ("mapping", "match"),
    [
        ({"Ref": "case_idd"}, r"'case_idd' is not one of our columns"),
        ({"Nonexistent": "case_id"}, r"names \['nonexistent'\], not in the header"),
    ],
)
def test_column_map_mistakes_are_errors(tmp_path, postcodes, mapping, match):
    path = tmp_path / "theirs.csv"
    path.write_text(f"Ref,{H}\nR1,A1,{OK}\n")
    with pytest.raises(InputFileError, match=match):
        crm.read_contacts(path, postcodes, column_map=mapping)


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


# Hostile files found by trying to break the import (one test per failure mode).

H = "case_id,created_at,channel,service,postcode"
OK = "2024-04-01T09:00,phone,council_tax,PE29 3TN"


def _write(tmp_path, text, name="x.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _read(tmp_path, postcodes, text, **kwargs):
    return crm.read_contacts(_write(tmp_path, text), postcodes, **kwargs)


def test_trailing_comma_on_data_rows_only(tmp_path, postcodes):
    result = _read(tmp_path, postcodes, f"{H}\nA1,{OK},\nA2,{OK},\n")
    assert result.report.rows_used == 2


def test_ragged_row_is_set_aside_with_its_line(tmp_path, postcodes):
    result = _read(tmp_path, postcodes, f"{H}\nA1,{OK}\nA2,{OK},extra\nA3,{OK}\n")
    assert result.report.example_rows == {"wrong_field_count": [3]}
    assert result.report.rows_used == 2


def test_same_column_twice_is_a_clear_error(tmp_path, postcodes):
    with pytest.raises(InputFileError, match=r"columns \[5, 6\] are all 'postcode'"):
        _read(tmp_path, postcodes, f"{H}, Postcode \nA1,{OK},PE27 5BW\n")


def test_time_zones_become_uk_local_time(tmp_path, postcodes):
    text = (
        f"{H}\nA1,2024-06-01T08:00:00Z,phone,council_tax,PE29 3TN\n"
        "A2,2024-01-10T08:00:00+00:00,phone,council_tax,PE29 3TN\n"
        "A3,2024-06-01T09:30:00+01:00,phone,council_tax,PE29 3TN\n"
    )
    stamps = _read(tmp_path, postcodes, text).contacts["created_at"]
    assert [str(s) for s in stamps] == [
        "2024-06-01 09:00:00",  # BST
        "2024-01-10 08:00:00",  # GMT
        "2024-06-01 09:30:00",
    ]


def test_uk_day_first_dates(tmp_path, postcodes):
    text = (
        f"{H}\nA1,31/12/2024 14:05,phone,council_tax,PE29 3TN\nA2,45383.5,{OK[17:]}\n"
    )
    result = _read(tmp_path, postcodes, text)
    assert str(result.contacts["created_at"].iloc[0]) == "2024-12-31 14:05:00"
    assert result.report.example_rows == {"bad_timestamp": [3]}


def test_folder_instead_of_file(tmp_path, postcodes):
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputFileError, match="a folder"):
        crm.read_contacts(tmp_path / "d.csv", postcodes)


def test_no_header_does_not_echo_personal_data(tmp_path, postcodes):
    with pytest.raises(InputFileError, match="not a header") as error:
        _read(tmp_path, postcodes, "A1,2024-04-01T09:00,phone,council_tax,PE29 3TN\n")
    assert "PE29" not in str(error.value)


def test_line_numbers_count_physical_lines(tmp_path, postcodes):
    text = (
        f"{H},notes\n\n"
        f'A1,{OK},"first line\nsecond line"\n'
        "A2,BAD,phone,council_tax,PE29 3TN,x\n"
    )
    report = _read(tmp_path, postcodes, text).report
    assert report.example_rows == {"bad_timestamp": [5]}
    assert report.empty_lines == 1 and report.multiline_records == 1


def test_stray_quote_that_swallows_rows_is_reported(tmp_path, postcodes):
    text = f'{H},notes\nA1,{OK},"stray\nA2,{OK},ok\nA3,{OK},said "hi"\nA4,{OK},fine\n'
    report = _read(tmp_path, postcodes, text).report
    assert report.example_rows["unclosed_quote"] == [2]
    assert report.rows_used == 1  # A4; A2 and A3 are inside A1's record
    assert report.rows_used + report.rows_set_aside == report.rows_read
    assert report.lines_in_unclosed_quotes == 3  # lines 2 to 4


def test_quote_left_open_to_the_end_counts_every_line(tmp_path, postcodes):
    rows = "".join(f"A{i},{OK},ok\n" for i in range(3, 103))
    text = f'{H},notes\nA1,{OK},ok\nA2,{OK},"never closed\n{rows}'
    report = _read(tmp_path, postcodes, text).report
    assert (report.rows_read, report.rows_used) == (2, 1)
    assert report.lines_read == 103
    assert report.lines_in_unclosed_quotes == 101  # lines 3 to 103


@pytest.mark.parametrize(
    ("ending", "stray"),
    [("\r", ""), ("\r\n", ""), ("\n", "\r")],
    ids=["old-mac", "windows", "stray-cr"],
)
def test_line_endings_and_a_stray_carriage_return(tmp_path, postcodes, ending, stray):
    # A lone CR ends a line, as editors show it: the stray one splits row A2.
    lines = [H, f"A1,{OK}", f"A2,2024-04-01T09:00,phone,{stray}council_tax,PE29 3TN"]
    text = ending.join([*lines, f"A3,{OK}"]) + ending
    report = _read(tmp_path, postcodes, text).report
    if stray:
        assert report.rows_used == 2
        assert report.example_rows == {"wrong_field_count": [3, 4]}
    else:
        assert report.rows_used == 3 and report.lines_read == 4


def test_a_long_free_text_field_is_read(tmp_path, postcodes):
    text = f"{H},notes\nA1,{OK},{'x' * 300_000}\nA2,{OK},short\n"
    assert _read(tmp_path, postcodes, text).report.rows_used == 2


def test_a_column_of_theirs_called_line_is_ignored(tmp_path, postcodes):
    result = _read(tmp_path, postcodes, f"{H},line\nA1,{OK},seven\n")
    assert result.contacts["line"].tolist() == [2]


@pytest.mark.parametrize(
    "stamp",
    [
        "2262-04-12T09:00",  # past pandas' nanosecond range
        "01/01/1500 10:00",
        "0001-01-01T00:00Z",
        "9999-12-31T23:59:59-12:00",
        "today",
        "now",
        "2024-13-01T09:00",
        "31/02/2024",
    ],
)
def test_unreadable_dates_are_set_aside_not_raised(tmp_path, postcodes, stamp):
    text = f"{H}\nA1,{OK}\nA2,{stamp},phone,council_tax,PE29 3TN\n"
    report = _read(tmp_path, postcodes, text).report
    assert report.rows_used == 1
    assert report.example_rows == {"bad_timestamp": [3]}


def test_offsets_are_converted_to_uk_time(tmp_path, postcodes):
    stamps = ["2024-06-01T12:00:00+01", "2024-06-01T11:00Z", "2024-01-15T06:00-0500"]
    rows = "".join(
        f"A{i},{s},phone,council_tax,PE29 3TN\n" for i, s in enumerate(stamps)
    )
    contacts = _read(tmp_path, postcodes, f"{H}\n{rows}").contacts
    # BST in June (UTC+1); GMT in January.
    assert contacts["created_at"].astype(str).tolist() == [
        "2024-06-01 12:00:00",
        "2024-06-01 12:00:00",
        "2024-01-15 11:00:00",
    ]


def test_dates_before_2000_or_in_the_future_are_out_of_range(tmp_path, postcodes):
    rows = [
        f"A1,{OK}",
        "A2,1900-01-01,phone,council_tax,PE29 3TN",
        "A3,2099-06-01T09:00,phone,council_tax,PE29 3TN",
    ]
    report = _read(tmp_path, postcodes, "\n".join([H, *rows]) + "\n").report
    assert report.rows_used == 1
    assert report.example_rows == {"timestamp_out_of_range": [3, 4]}


def test_month_first_dates_are_refused_with_their_line(tmp_path, postcodes):
    rows = "".join(
        f"A{d},06/{d:02d}/2024 10:00,phone,council_tax,PE29 3TN\n" for d in range(1, 20)
    )
    with pytest.raises(InputFileError, match=r"line 14, column 'created_at'.*month"):
        _read(tmp_path, postcodes, f"{H}\n{rows}")
    # A bad day-first date does not make them UK dates, nor does a mix.
    for extra in ("99/99/2024", "25/06/2024 10:00"):
        mixed = rows + f"A99,{extra},phone,council_tax,PE29 3TN\n"
        with pytest.raises(InputFileError, match="month first"):
            _read(tmp_path, postcodes, f"{H}\n{mixed}")
    # One typo among many UK dates is set aside, not a reason to refuse.
    uk = "".join(
        f"U{i},{1 + i % 28:02d}/{1 + i % 12:02d}/2024 10:00,phone,council_tax,"
        "PE29 3TN\n"
        for i in range(200)
    )
    typo = uk + "T1,06/13/2024 10:00,phone,council_tax,PE29 3TN\n"
    report = _read(tmp_path, postcodes, f"{H}\n{typo}").report
    assert report.set_aside == {"bad_timestamp": 1}


def test_synthetic_only_by_the_generator_flag(tmp_path, postcodes):
    assert _read(tmp_path, postcodes, f"{H}\n").report.synthetic is False
    assert _read(tmp_path, postcodes, f"{H}\nSYN-1,{OK}\n").report.synthetic is False
    flagged = _read(tmp_path, postcodes, f"{H},synthetic\nSYN-1,{OK},true\n")
    assert flagged.report.synthetic is True


def test_unreadable_flags_are_counted_not_dropped(tmp_path, postcodes):
    text = f"{H},avoidable\nA1,{OK},maybe\nA2,{OK},Y\nA3,{OK},\n"
    result = _read(tmp_path, postcodes, text)
    assert result.report.rows_used == 3
    assert result.report.unreadable_values == {
        "avoidable": {"count": 1, "example_rows": [2]}
    }
    assert result.contacts["avoidable"].tolist()[1] is True


def test_semicolons_and_spelled_out_headers(tmp_path, postcodes):
    text = (
        "Case ID;Created At;Channel;Service;Post code\n"
        "A1;2024-04-01T09:00;Webform;Planning;pe27 5bw\n"
    )
    result = _read(tmp_path, postcodes, text)
    assert result.report.delimiter == ";"
    assert result.contacts["channel"].tolist() == ["web_form"]


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-16", "utf-16"), ("cp1252", "cp1252")]
)
def test_other_encodings_are_read(tmp_path, postcodes, encoding, expected):
    text = f"{H},notes\nA1,{OK},café £5\n"
    path = _write(tmp_path, text, encoding=encoding)
    report = crm.read_contacts(path, postcodes).report
    assert report.rows_used == 1
    assert report.encoding.startswith(expected)


@pytest.mark.parametrize(
    ("head", "match"),
    [
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", r"old Excel \(\.xls\)"),
        (b"\xff\xd8\xff\xe0JFIF", "an image"),
        (b"7z\xbc\xaf\x27\x1crest", "7-Zip"),
        (b"\x00\x01\x02\x00" * 100, "binary file"),
    ],
    ids=["xlsx", "xls", "jpeg", "7z", "binary"],
)
def test_binary_files_are_named(tmp_path, postcodes, head, match):
    path = tmp_path / "book.csv"
    path.write_bytes(head)
    with pytest.raises(InputFileError, match=match):
        crm.read_contacts(path, postcodes)


def test_utf16_without_byte_order_mark_is_read(tmp_path, postcodes):
    path = _write(tmp_path, f"{H}\nA1,{OK}\n", encoding="utf-16-le")
    assert crm.read_contacts(path, postcodes).report.encoding == "utf-16-le"


def test_bad_byte_is_placed_on_its_own_line(tmp_path, postcodes):
    rows = "".join(f"A{i},{OK}\n" for i in range(1, 300))
    data = f"{H}\n{rows}".encode() + b"A300,\x81\n"
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match="line 301 is neither UTF-8"):
        crm.read_contacts(path, postcodes)


def test_a_device_is_not_a_file(postcodes):
    with pytest.raises(InputFileError, match="not a regular file"):
        crm.read_contacts("/dev/null", postcodes)


def test_duplicate_keeps_the_first_usable_row(tmp_path, postcodes):
    text = f"{H}\nD1,BAD,phone,council_tax,PE29 3TN\nD1,{OK}\nNULL,{OK}\n,,,,\n"
    report = _read(tmp_path, postcodes, text).report
    assert report.rows_used == 1
    assert report.example_rows == {
        "blank_row": [5],
        "missing_case_id": [4],
        "bad_timestamp": [2],
    }


def test_unknown_spellings_are_counted_without_personal_values(tmp_path, postcodes):
    pigeons = "".join(
        f"P{i},2024-04-01T09:00,Pigeon,council_tax,PE29 3TN\n" for i in range(5)
    )
    # A shifted row puts a name in the channel and a postcode in the service.
    shifted = "S1,2024-04-01T09:00,Mrs J Smith 12 High St,PE29 3TN,planning\n"
    report = _read(tmp_path, postcodes, f"{H}\n{pigeons}{shifted}A2,{OK}\n").report
    assert report.unknown_values == {
        "channel": {"rows": 6, "spellings": 2, "example_rows": [2, 3, 4, 5, 6, 7]},
        "service": {"rows": 1, "spellings": 1, "example_rows": [7]},
    }
    text = json.dumps(report.to_dict())
    assert "Smith" not in text and "PE29" not in text and "Pigeon" not in text


@pytest.mark.parametrize("mapping", [None, {"Case Ref": "case_id"}])
def test_a_headerless_file_is_not_quoted(tmp_path, postcodes, mapping):
    # Its first line is a record whose note happens to be one of our names.
    text = "ZQX1,2024-01-10T10:30,phone,council_tax,PE28 0TA,Reference Mrs Jones\n"
    with pytest.raises(InputFileError) as error:
        _read(tmp_path, postcodes, text, column_map=mapping)
    message = str(error.value)
    assert "ZQX1" not in message and "PE28" not in message
    assert "Jones" not in message and "jones" not in message
