"""Read a CRM contact extract, check it row by row and place it on the map.

A council's CRM export and the synthetic default take the same path:
:func:`read_contacts` reads a CSV, normalises channels, services, timestamps
and postcodes, looks each postcode up in the district's postcode centroids and
returns the usable contacts as points in British National Grid (EPSG:27700)
with an :class:`ImportReport` that accounts for every row. Rows that cannot be
used are set aside with a reason and counted, never dropped silently.

The report names rows (physical line numbers of the file) and columns, never
values: CRM records are personal data, and a shifted column can put a name or
an address in any field. Unknown channel and service spellings are counted,
with the lines they are on, but not repeated.

Expected columns
----------------
``case_id``, ``created_at`` (ISO 8601, or UK ``dd/mm/yyyy hh:mm``; a file
whose slashed dates are month first is refused rather than misread),
``channel`` (phone, face_to_face, email, web_form, automated_payment),
``service`` (see :data:`insight.settings.SERVICES`) and ``postcode``.
Optional: ``centre``, ``resolved_first_contact`` and ``avoidable``
(true/false). Names match ignoring case, spaces and punctuation ("Case ID" is
``case_id``); other names map with ``column_map``. Commas, semicolons, tabs or
bars separate fields; UTF-8 (with or without BOM), UTF-16 and Windows-1252
files are read.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa

from insight._csv import Records, split_records
from insight._errors import InputFileError
from insight.settings import BNG, CHANNELS, EARLIEST_CONTACT_DATE, SERVICES

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("case_id", "created_at", "channel", "service", "postcode")
OPTIONAL_COLUMNS = ("centre", "resolved_first_contact", "avoidable", "synthetic")

#: Column names seen in council exports (normalised), mapped to ours.
COLUMN_ALIASES = {
    "case_ref": "case_id",
    "case_number": "case_id",
    "reference": "case_id",
    "created": "created_at",
    "date_created": "created_at",
    "created_date": "created_at",
    "date_time": "created_at",
    "contact_method": "channel",
    "contact_channel": "channel",
    "service_area": "service",
    "post_code": "postcode",
    "postal_code": "postcode",
}

#: A UK postcode once upper-cased and spaced: outward code, space, inward code.
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"

#: Spellings of channels seen in council exports (normalised), mapped to ours.
CHANNEL_ALIASES = {
    "telephone": "phone",
    "call": "phone",
    "phone_call": "phone",
    "f2f": "face_to_face",
    "visit": "face_to_face",
    "in_person": "face_to_face",
    "e_mail": "email",
    "web": "web_form",
    "webform": "web_form",
    "online": "web_form",
    "online_form": "web_form",
    "ivr": "automated_payment",
    "automated_payments": "automated_payment",
    "automated_payment_line": "automated_payment",
}

#: Why a row is set aside, in the order the checks run (first reason wins).
REASONS = {
    "blank_row": "every field is empty",
    "wrong_field_count": "more or fewer fields than the header",
    "unclosed_quote": "a quote left open joins several lines into one record",
    "missing_case_id": "case id is blank or NA",
    "bad_timestamp": "created_at is not a date and time",
    "timestamp_out_of_range": (
        f"created_at is before {EARLIEST_CONTACT_DATE} or after the import"
    ),
    "unknown_channel": "channel is not one we know",
    "unknown_service": "service is not one we know",
    "missing_postcode": "postcode is blank",
    "malformed_postcode": "postcode is not a UK postcode",
    "postcode_not_in_district": "postcode is not in the district's postcode list",
    "duplicate_case_id": "case id already used by an earlier usable row",
}
_REASON_COLUMN = {
    "blank_row": "(row)",
    "wrong_field_count": "(row)",
    "unclosed_quote": "(row)",
    "missing_case_id": "case_id",
    "bad_timestamp": "created_at",
    "timestamp_out_of_range": "created_at",
    "unknown_channel": "channel",
    "unknown_service": "service",
    "missing_postcode": "postcode",
    "malformed_postcode": "postcode",
    "postcode_not_in_district": "postcode",
    "duplicate_case_id": "case_id",
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}
_NA_IDS = {"", "na", "n/a", "#n/a", "null", "none", "nan", "-"}
_UK_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
#: Reasons that mean the row itself could not be split into our columns.
_SHAPE_REASONS = ("blank_row", "wrong_field_count", "unclosed_quote")
#: ISO 8601 date or date-time; a time may carry an offset (``Z``, ``+01``, ``+0100``).
_ISO = (
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
#: The offset at the end of an ISO 8601 date-time (after the time, so the day
#: of a plain date is not taken for one).
_ZONE = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
#: UK day-first date, with an optional time.
_UK = (
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?: \d{1,2}:\d{2}(?::\d{2})?)?"
)


@dataclass
class ImportReport:
    """What happened to every row of an extract.

    ``set_aside`` counts rows per reason; ``example_rows`` gives up to ten file
    line numbers per reason (line 1 is the header) so an analyst can find them.
    ``rows_by_channel`` counts every row read by its (normalised) channel,
    whether used or not: the extract's own volumes. ``period_start`` and
    ``period_end`` are the first and last dates of the usable rows (ISO).
    ``unknown_values`` counts rows whose channel or service is not one we
    know, the distinct spellings and up to ten lines (the spellings themselves
    are not repeated); ``unreadable_values`` counts true/false flags that were
    neither (the row is kept, the flag is missing). ``lines_read`` counts the
    file's physical lines, header and blank lines included, and
    ``lines_in_unclosed_quotes`` the lines swallowed by quotes left open.

    The report is for the file's owner, not for publication: it counts rows
    before small-number suppression (``for_publication`` is False).
    """

    source: str
    rows_read: int
    lines_read: int = 0
    rows_used: int = 0
    matched_live_postcode: int = 0
    matched_terminated_postcode: int = 0
    set_aside: dict[str, int] = field(default_factory=dict)
    example_rows: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    rows_by_channel: dict[str, int] = field(default_factory=dict)
    unknown_values: dict[str, dict[str, object]] = field(default_factory=dict)
    unreadable_values: dict[str, dict[str, object]] = field(default_factory=dict)
    missing_optional_columns: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    empty_lines: int = 0
    multiline_records: int = 0
    lines_in_unclosed_quotes: int = 0
    period_start: str | None = None
    period_end: str | None = None
    synthetic: bool = False
    for_publication: bool = False

    @property
    def rows_set_aside(self) -> int:
        """Rows not used, all reasons together."""
        return sum(self.set_aside.values())

    def to_dict(self) -> dict[str, object]:
        """Plain dict for JSON, with the reasons spelt out."""
        out = asdict(self)
        out["rows_set_aside"] = self.rows_set_aside
        out["reasons"] = {key: REASONS[key] for key in self.set_aside}
        return out

    def write_json(self, path: Path) -> Path:
        """Write the report as JSON (UTF-8) and return the path."""
        path.write_text(json.dumps(self.to_dict(), indent=2), encoding="utf-8")
        return path


@dataclass
class ContactImport:
    """Usable contacts (points, EPSG:27700) and the report of the import."""

    contacts: gpd.GeoDataFrame
    report: ImportReport


def normalise_postcode(raw: pd.Series) -> pd.Series:
    """Upper-case postcodes and put one space before the inward code.

    ``" pe29 3tn"``, ``"PE293TN"``, ``"'PE29 3TN"`` (Excel's text marker) and
    ``"PE29  3TN"`` all become ``"PE29 3TN"``. Blank entries become empty
    strings; the result is not checked against the postcode pattern here.
    """
    text = raw.fillna("").astype(str).str.upper().str.lstrip("'")
    squeezed = text.str.replace(r"[\s\u200b\ufeff]+", "", regex=True)
    spaced = squeezed.str[:-3] + " " + squeezed.str[-3:]
    return spaced.where(squeezed.str.len() >= 5, squeezed)


def normalise_name(name: str) -> str:
    """A column or category name in lower case with ``_`` between words."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def read_contacts(
    path: str | Path,
    postcodes: gpd.GeoDataFrame,
    *,
    column_map: dict[str, str] | None = None,
) -> ContactImport:
    """Read a CRM extract (CSV) and geocode it by postcode.

    Parameters
    ----------
    path : str or Path
        CSV file, one contact per row, with a header line.
    postcodes : GeoDataFrame
        Postcode centroids (EPSG:27700) with ``postcode``, ``status`` and
        ``ward_code``, as from :func:`insight.datasets.load_postcodes`.
    column_map : dict, optional
        Renames the export's column names to ours, e.g.
        ``{"Contact Method": "channel"}`` (matched ignoring case and spaces).

    Returns
    -------
    ContactImport
        ``contacts``: one point per usable row at its postcode centroid
        (EPSG:27700) with ``ward_code``, the ``line`` of the file it starts on
        and the normalised columns; ``report``: rows read, used and set aside.

    Raises
    ------
    InputFileError
        If the file is missing, not a text CSV, has no header with the
        required columns, or names one of our columns twice.

    """
    path = Path(path)
    records = _split_records(path, column_map)
    frame, reason = _frame(records)
    report = ImportReport(
        source=path.name,
        rows_read=len(frame),
        lines_read=records.lines,
        encoding=records.encoding,
        delimiter=records.delimiter,
        empty_lines=records.empty_lines,
        multiline_records=int((frame["last_line"] > frame["line"]).sum()),
        missing_optional_columns=[
            c for c in OPTIONAL_COLUMNS[:3] if c not in records.header
        ],
    )

    # Check the rows, then look their postcodes up.
    shaped = reason.isna()
    _refuse_month_first_dates(path, frame["created_at"][shaped], frame["line"])
    clean = _normalise(frame, report, shaped)
    reason = _check_rows(clean, reason)
    lookup = postcodes.drop_duplicates("postcode").set_index("postcode")
    reason = reason.mask(
        reason.isna() & ~clean["postcode"].isin(lookup.index),
        "postcode_not_in_district",
    )
    usable_ids = clean["case_id"].where(reason.isna())
    reason = reason.mask(
        reason.isna() & usable_ids.duplicated() & usable_ids.notna(),
        "duplicate_case_id",
    )

    # Count what is set aside, by reason and line, never by value.
    _fill_report(report, reason, frame)
    used = clean[reason.isna()]
    status = lookup["status"].reindex(used["postcode"])
    report.rows_used = len(used)
    if len(used):
        report.period_start = str(used["created_at"].min().date())
        report.period_end = str(used["created_at"].max().date())
    report.matched_live_postcode = int((status == "live").sum())
    report.matched_terminated_postcode = int((status == "terminated").sum())
    report.synthetic = bool(len(used)) and bool(used["synthetic"].fillna(False).all())
    channel = clean.loc[shaped, "channel"]
    known = channel.where(channel.isin(CHANNELS), "unknown")
    report.rows_by_channel = {k: int(v) for k, v in known.value_counts().items()}
    logger.info(
        "%s: %d rows read, %d used, %d set aside",
        path.name,
        report.rows_read,
        report.rows_used,
        report.rows_set_aside,
    )
    return ContactImport(_place(used, lookup), report)


def _split_records(path: Path, column_map: dict[str, str] | None) -> Records:
    """Records of the file, with the header in our column names and checked."""
    ours = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    given = _check_column_map(column_map or {}, ours)
    mapping = {**COLUMN_ALIASES, **given}

    def ours_named(names: list[str]) -> list[str]:
        return [mapping.get(normalise_name(n), normalise_name(n)) for n in names]

    records = split_records(path, lambda names: len(set(ours_named(names)) & ours))
    raw_header, records.header = records.header, ours_named(records.header)
    _check_header(path, records.header, raw_header)
    absent = set(given) - {normalise_name(n) for n in raw_header}
    if absent:
        raise InputFileError(
            f"{path}: column_map names {sorted(absent)}, not in the header"
            f"{_shown_header(raw_header)}"
        )
    return records


def _check_column_map(column_map: dict[str, str], ours: set[str]) -> dict[str, str]:
    """The map with both sides normalised; each target must be one of ours."""
    given: dict[str, str] = {}
    for theirs, target in column_map.items():
        name = normalise_name(target)
        if name not in ours:
            raise InputFileError(
                f"column_map: {target!r} is not one of our columns {sorted(ours)}"
            )
        given[normalise_name(theirs)] = name
    return given


def _shown_header(raw_header: list[str]) -> str:
    """The file's column names for an error message, if they can be shown.

    A first line with a digit in it may be a record (every record has a date),
    and records are personal data: then only the number of fields is given.
    """
    if any(char.isdigit() for name in raw_header for char in name):
        return (
            f" (its first line has {len(raw_header)} fields and digits, so it may be "
            "a record: not shown)"
        )
    return f" {raw_header}"


_MAP_HINT = (
    "map them: column_map={'their name': 'ours'} in Python, "
    "--column-map 'Their name=ours' on the command line"
)


def _check_header(path: Path, header: list[str], raw_header: list[str]) -> None:
    """Required columns present, none of ours twice; never echo data."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if len(missing) == len(REQUIRED_COLUMNS):
        raise InputFileError(
            f"{path}: the first line is not a header with the expected columns "
            f"{list(REQUIRED_COLUMNS)} (is the header missing, or are the columns "
            f"named differently? {_MAP_HINT})"
        )
    if missing:
        found = [c for c in header if c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
        raise InputFileError(
            f"{path}: missing column(s) {missing}; found ours {found} in the header"
            f"{_shown_header(raw_header)}. Rename them in the file, or {_MAP_HINT}."
        )
    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        places = [i + 1 for i, c in enumerate(header) if c == name]
        if len(places) > 1:
            raise InputFileError(
                f"{path}: columns {places} are all {name!r}; keep one of them"
            )


def _frame(records: Records) -> tuple[pd.DataFrame, pd.Series]:
    """Our columns as a text table; rows of the wrong shape get their reason.

    Columns of the export that are not ours are read (to tell blank and
    swallowed rows) but not kept, whatever they are called.
    """
    width = len(records.header)
    reason = pd.Series(pd.NA, index=range(len(records.rows)), dtype="object")
    shaped = records.rows
    for i, row in enumerate(records.rows):
        if len(row) == width:
            continue
        if any(cell.strip() for cell in row[width:]) or len(row) < width:
            reason[i] = "wrong_field_count"
        shaped[i] = (row + [""] * width)[:width]
    cells = pd.DataFrame(shaped, columns=range(width), dtype=str)
    blank = cells.apply(lambda c: c.str.strip() == "").all(axis=1)
    swallowed = _swallowed_records(cells, records, width)

    # Keep the first column of each of our names, then the physical lines.
    keep: dict[str, int] = {}
    for position, name in enumerate(records.header):
        if name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
            keep.setdefault(name, position)
    frame = cells[list(keep.values())].set_axis(list(keep), axis=1)
    frame["line"] = records.first_line
    frame["last_line"] = records.last_line
    reason = reason.mask(blank, "blank_row")
    return frame, reason.mask(reason.isna() & swallowed, "unclosed_quote")


def _swallowed_records(cells: pd.DataFrame, records: Records, width: int) -> pd.Series:
    """Multi-line records whose inner lines look like records of their own."""
    spans = pd.Series(records.last_line) > pd.Series(records.first_line)
    out = pd.Series(False, index=cells.index)
    for i in cells.index[spans]:
        inner = [ln for c in cells.loc[i] for ln in str(c).splitlines()[1:]]
        out[i] = any(ln.count(records.delimiter) >= width - 1 for ln in inner)
    return out


def _normalise(
    frame: pd.DataFrame, report: ImportReport, shaped: pd.Series
) -> pd.DataFrame:
    """Tidy spelling: channel and service names, timestamps, booleans.

    Unknown channels and services are counted over the rows of the right
    shape (``shaped``) only: a blank or ragged row is set aside for that.
    """
    clean = pd.DataFrame({"line": frame["line"]})
    clean["case_id"] = frame["case_id"].str.strip()
    clean["created_at"] = parse_timestamps(frame["created_at"])
    clean["channel"] = _category(frame["channel"], CHANNEL_ALIASES)
    clean["service"] = _category(frame["service"], {}).str.replace(
        "waste_street_scene", "waste_and_street_scene"
    )
    for column, known in (("channel", CHANNELS), ("service", SERVICES)):
        unknown = shaped & ~clean[column].isin(known)
        if unknown.any():
            report.unknown_values[column] = {
                "rows": int(unknown.sum()),
                "spellings": int(frame.loc[unknown, column].str.strip().nunique()),
                "example_rows": [int(n) for n in frame.loc[unknown, "line"].head(10)],
            }
    clean["postcode"] = normalise_postcode(frame["postcode"])
    clean["centre"] = frame["centre"].str.strip() if "centre" in frame else ""
    for column in ("resolved_first_contact", "avoidable", "synthetic"):
        clean[column] = _to_boolean(frame, column, report)
    return clean


def parse_timestamps(raw: pd.Series) -> pd.Series:
    """Parse ISO 8601 or UK day-first timestamps to naive UK local time.

    Times with an offset (``Z``, ``+01``, ``+01:00``, ``-0500``) are converted
    to Europe/London; times without one are taken as UK local time already.
    What cannot be read, words such as "today" and years outside 1900-2199
    included, is missing (``NaT``); nothing raises.

    >>> parse_timestamps(pd.Series(["2024-06-01T12:00+01", "03/06/2024 11:00",
    ...                             "2024-06-01", "now", "0001-01-01"])).tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [Timestamp('2024-06-01 12:00:00'), Timestamp('2024-06-03 11:00:00'),
     Timestamp('2024-06-01 00:00:00'), NaT, NaT]
    """
    text = raw.fillna("").astype(str).str.strip()
    iso = text.str.fullmatch(_ISO)
    uk = ~iso & text.str.fullmatch(_UK)
    year = pd.Series(np.nan, index=raw.index)
    year[iso] = pd.to_numeric(text[iso].str[:4])
    year[uk] = pd.to_numeric(text[uk].str.extract(f"^{_UK}$")["year"])
    readable = year.between(1900, 2199)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")

    zoned = readable & iso & text.str.contains(_ZONE)
    local = readable & iso & ~zoned
    out[local] = _to_datetime(text[local], format="ISO8601")
    if zoned.any():
        # "+01" is "+01:00"; pandas wants the minutes.
        full = text[zoned].str.replace(r"([+-]\d{2})$", r"\1:00", regex=True)
        utc = _to_datetime(full, format="ISO8601", utc=True)
        out[zoned] = utc.dt.tz_convert("Europe/London").dt.tz_localize(None)
    for form in _UK_FORMATS:
        missing = readable & uk & out.isna()
        if not missing.any():
            break
        out[missing] = _to_datetime(text[missing], format=form)
    return out


def _to_datetime(text: pd.Series, **kwargs: object) -> pd.Series:
    """``pd.to_datetime`` with ``errors="coerce"`` that never raises.

    A value pandas cannot hold (a time zone it cannot convert, say) turns
    the whole call into an exception; then each value is parsed on its own.
    """
    try:
        return pd.to_datetime(text, errors="coerce", **kwargs)
    except (ValueError, OverflowError, NotImplementedError):
        parsed = []
        for value in text:
            try:
                parsed.append(pd.to_datetime(value, errors="coerce", **kwargs))
            except (ValueError, OverflowError, NotImplementedError):
                parsed.append(pd.NaT)
        return pd.Series(parsed, index=text.index, dtype="datetime64[ns]")


def _refuse_month_first_dates(path: Path, raw: pd.Series, line: pd.Series) -> None:
    """Raise if slashed dates are month first (US style), or mix both orders.

    A file with dates such as 06/13/2024 would be read wrong wherever both
    numbers are 12 or below, so it is refused whole rather than partly
    misread: when no date is plainly day first (13-31/01-12), or when at least
    1% of the slashed dates are plainly month first. A UK file with the odd
    typo (06/13/2024 among thousands) is read, the typo set aside.
    """
    text = raw.fillna("").str.strip()
    parts = text[text.str.fullmatch(_UK)].str.extract(f"^{_UK}$")
    day = pd.to_numeric(parts["day"], errors="coerce")
    month = pd.to_numeric(parts["month"], errors="coerce")
    month_first = month.between(13, 31) & day.between(1, 12)
    day_first = day.between(13, 31) & month.between(1, 12)
    if month_first.any() and (
        not day_first.any() or month_first.sum() >= 0.01 * len(parts)
    ):
        first = int(line[month_first[month_first].index[0]])
        raise InputFileError(
            f"{path}: line {first}, column 'created_at': dates look month first "
            "(mm/dd/yyyy), in all or part of the file; save them as ISO 8601 "
            "(yyyy-mm-dd hh:mm) or UK dd/mm/yyyy and load the file again"
        )


def _category(raw: pd.Series, aliases: dict[str, str]) -> pd.Series:
    """A category in our spelling: lower case, ``_`` between words, aliases."""
    spellings = pd.unique(raw.fillna(""))
    ours = {}
    for spelling in spellings:
        name = normalise_name(str(spelling)).replace("_and_", "_")
        ours[spelling] = aliases.get(name, name)
    return raw.fillna("").map(ours)


def _to_boolean(frame: pd.DataFrame, column: str, report: ImportReport) -> pd.Series:
    """true/yes/1 and false/no/0; blank is missing; anything else is counted."""
    out = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    if column not in frame:
        return out
    lowered = frame[column].str.strip().str.lower()
    out[lowered.isin(_TRUE)] = True
    out[lowered.isin(_FALSE)] = False
    unreadable = out.isna() & lowered.ne("")
    if unreadable.any():
        lines = frame.loc[unreadable, "line"].head(10).tolist()
        report.unreadable_values[column] = {
            "count": int(unreadable.sum()),
            "example_rows": [int(n) for n in lines],
        }
    return out


def _check_rows(clean: pd.DataFrame, reason: pd.Series) -> pd.Series:
    """The first reason each row cannot be used (missing where it can)."""
    earliest = pd.Timestamp(EARLIEST_CONTACT_DATE)
    latest = pd.Timestamp.now(tz="Europe/London").tz_localize(None)
    failing = {
        "missing_case_id": clean["case_id"].str.lower().isin(_NA_IDS),
        "bad_timestamp": clean["created_at"].isna(),
        "timestamp_out_of_range": ~clean["created_at"].between(earliest, latest),
        "unknown_channel": ~clean["channel"].isin(CHANNELS),
        "unknown_service": ~clean["service"].isin(SERVICES),
        "missing_postcode": clean["postcode"].eq(""),
        "malformed_postcode": ~clean["postcode"].str.match(POSTCODE_PATTERN),
    }
    for key, mask in failing.items():
        reason = reason.mask(reason.isna() & mask, key)
    return reason


def _fill_report(report: ImportReport, reason: pd.Series, frame: pd.DataFrame) -> None:
    """Count rows set aside per reason and keep a few line numbers of each."""
    line = frame["line"]
    for key in REASONS:
        hit = reason == key
        count = int(hit.sum())
        if count:
            report.set_aside[key] = count
            report.example_rows[key] = [int(n) for n in line[hit].head(10)]
            report.columns[key] = _REASON_COLUMN[key]
            logger.warning(
                "%s: %d rows set aside (%s), column %r, first at line %d",
                report.source,
                count,
                REASONS[key],
                _REASON_COLUMN[key],
                report.example_rows[key][0],
            )
    open_quotes = frame[reason == "unclosed_quote"]
    spans = open_quotes["last_line"] - open_quotes["line"] + 1
    report.lines_in_unclosed_quotes = int(spans.sum())
    for start, end in zip(open_quotes["line"], open_quotes["last_line"], strict=True):
        logger.warning(
            "%s: a quote opened on line %d is not closed before line %d: "
            "%d lines read as one record and set aside; close the quote",
            report.source,
            start,
            end,
            end - start + 1,
        )


#: The contract of the contacts every analysis step receives.
CONTACTS_SCHEMA = pa.DataFrameSchema(
    {
        "line": pa.Column(int, pa.Check.ge(2)),
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "created_at": pa.Column("datetime64[ns]"),
        "channel": pa.Column(str, pa.Check.isin(CHANNELS)),
        "service": pa.Column(str, pa.Check.isin(SERVICES)),
        "postcode": pa.Column(str, pa.Check.str_matches(POSTCODE_PATTERN)),
        "ward_code": pa.Column(str, nullable=True),
    },
    strict=False,
)


def _place(used: pd.DataFrame, lookup: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Put each usable contact at its postcode centroid (EPSG:27700)."""
    located = used.join(lookup[["ward_code", "status", "geometry"]], on="postcode")
    located = located.rename(columns={"status": "postcode_status"})
    located["line"] = located["line"].astype(np.int64)
    contacts = gpd.GeoDataFrame(located, geometry="geometry", crs=BNG)
    return CONTACTS_SCHEMA.validate(contacts.reset_index(drop=True))
