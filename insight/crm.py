"""Read a CRM contact extract, check it row by row and place it on the map.

A council's CRM export and the synthetic default take the same path:
:func:`read_contacts` reads a CSV, normalises channels, services, timestamps
and postcodes, looks each postcode up in the district's postcode centroids and
returns the usable contacts as points in British National Grid (EPSG:27700)
with an :class:`ImportReport` that accounts for every row. Rows that cannot be
used are set aside with a reason and counted, never dropped silently.

The report names rows (file line numbers) and columns, never values: CRM
records are personal data.

Expected columns
----------------
``case_id``, ``created_at`` (ISO 8601), ``channel`` (phone, face_to_face,
email, web_form, automated_payment), ``service`` (see
:data:`insight.settings.SERVICES`) and ``postcode``. Optional: ``centre``,
``resolved_first_contact`` and ``avoidable`` (true/false).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa

from insight._errors import InputFileError
from insight.settings import BNG, CHANNELS, SERVICES

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("case_id", "created_at", "channel", "service", "postcode")
OPTIONAL_COLUMNS = ("centre", "resolved_first_contact", "avoidable")

#: A UK postcode once upper-cased and spaced: outward code, space, inward code.
POSTCODE_PATTERN = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"

#: Spellings of channels seen in council exports, mapped to ours.
CHANNEL_ALIASES = {
    "telephone": "phone",
    "call": "phone",
    "f2f": "face_to_face",
    "face to face": "face_to_face",
    "face-to-face": "face_to_face",
    "visit": "face_to_face",
    "e-mail": "email",
    "web": "web_form",
    "online": "web_form",
    "web form": "web_form",
    "ivr": "automated_payment",
    "automated payment": "automated_payment",
}

#: Why a row is set aside, in the order the checks run (first failure wins).
REASONS = {
    "duplicate_case_id": "case id seen on an earlier row",
    "missing_case_id": "case id is blank",
    "bad_timestamp": "created_at is not a date and time",
    "unknown_channel": "channel is not one we know",
    "unknown_service": "service is not one we know",
    "missing_postcode": "postcode is blank",
    "malformed_postcode": "postcode is not a UK postcode",
    "postcode_not_in_district": "postcode is not in the district's postcode list",
}
_REASON_COLUMN = {
    "duplicate_case_id": "case_id",
    "missing_case_id": "case_id",
    "bad_timestamp": "created_at",
    "unknown_channel": "channel",
    "unknown_service": "service",
    "missing_postcode": "postcode",
    "malformed_postcode": "postcode",
    "postcode_not_in_district": "postcode",
}
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


@dataclass
class ImportReport:
    """What happened to every row of an extract.

    ``set_aside`` counts rows per reason; ``example_rows`` gives up to ten file
    line numbers per reason (line 1 is the header) so an analyst can find them.
    ``rows_by_channel`` counts every row read by its (normalised) channel,
    whether used or not: the extract's own volumes.
    """

    source: str
    rows_read: int
    rows_used: int = 0
    matched_live_postcode: int = 0
    matched_terminated_postcode: int = 0
    set_aside: dict[str, int] = field(default_factory=dict)
    example_rows: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    rows_by_channel: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False

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

    ``" pe29 3tn"``, ``"PE293TN"`` and ``"PE29  3TN"`` all become
    ``"PE29 3TN"``. Blank entries become empty strings; the result is not
    checked against the postcode pattern here.
    """
    squeezed = (
        raw.fillna("").astype(str).str.upper().str.replace(r"\s+", "", regex=True)
    )
    spaced = squeezed.str[:-3] + " " + squeezed.str[-3:]
    return spaced.where(squeezed.str.len() >= 5, squeezed)


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
        CSV file, UTF-8, one contact per row.
    postcodes : GeoDataFrame
        Postcode centroids (EPSG:27700) with ``postcode``, ``status`` and
        ``ward_code``, as from :func:`insight.datasets.load_postcodes`.
    column_map : dict, optional
        Renames the export's column names to ours, e.g.
        ``{"Contact Method": "channel"}``.

    Returns
    -------
    ContactImport
        ``contacts``: one point per usable row at its postcode centroid
        (EPSG:27700) with ``ward_code``, the ``line`` of the file it came from
        and the normalised columns; ``report``: rows read, used and set aside.

    Raises
    ------
    InputFileError
        If the file is missing, not a CSV or lacks a required column.

    """
    path = Path(path)
    raw = _read_csv(path, column_map)
    report = ImportReport(source=path.name, rows_read=len(raw))
    frame = _normalise(raw)
    report.synthetic = bool(frame["case_id"].str.startswith("SYN-").all())
    known = frame["channel"].where(frame["channel"].isin(CHANNELS), "unknown")
    report.rows_by_channel = {k: int(v) for k, v in known.value_counts().items()}

    # Check rows: schema failures first, then the postcode look-up.
    reason = _schema_failures(frame)
    lookup = postcodes.drop_duplicates("postcode").set_index("postcode")
    shaped = reason.isna() & frame["postcode"].str.match(POSTCODE_PATTERN)
    reason = reason.mask(
        reason.isna() & shaped & ~frame["postcode"].isin(lookup.index),
        "postcode_not_in_district",
    )

    # Count and log what is set aside, by reason and line, never by value.
    _fill_report(report, reason, frame["line"])
    used = frame[reason.isna()]
    status = lookup["status"].reindex(used["postcode"])
    report.rows_used = len(used)
    report.matched_live_postcode = int((status == "live").sum())
    report.matched_terminated_postcode = int((status == "terminated").sum())
    logger.info(
        "%s: %d rows read, %d used, %d set aside",
        path.name,
        report.rows_read,
        report.rows_used,
        report.rows_set_aside,
    )
    return ContactImport(_place(used, lookup), report)


def _read_csv(path: Path, column_map: dict[str, str] | None) -> pd.DataFrame:
    """Read every cell as text; check the required columns are there."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as exc:
        raise InputFileError(f"{path}: the file is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: not a readable UTF-8 CSV ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    if column_map:
        raw = raw.rename(columns=column_map)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise InputFileError(
            f"{path}: missing column(s) {missing}; found {list(raw.columns)}. "
            "Rename them in the file or pass column_map={'their name': 'ours'}."
        )
    return raw


def _normalise(raw: pd.DataFrame) -> pd.DataFrame:
    """Tidy spelling: channel and service names, timestamps, booleans."""
    frame = pd.DataFrame({"line": raw.index + 2})
    frame["case_id"] = raw["case_id"].str.strip()
    frame["created_at"] = pd.to_datetime(
        raw["created_at"].str.strip(), errors="coerce", format="ISO8601"
    )
    channel = raw["channel"].str.strip().str.lower()
    frame["channel"] = channel.replace(CHANNEL_ALIASES).str.replace(" ", "_")
    service = (
        raw["service"].str.strip().str.lower().str.replace(r"[\s&-]+", "_", regex=True)
    )
    frame["service"] = service.str.replace("_and_", "_").str.replace(
        "waste_street_scene", "waste_and_street_scene"
    )
    frame["postcode"] = normalise_postcode(raw["postcode"])
    frame["centre"] = raw["centre"].str.strip() if "centre" in raw else ""
    for column in ("resolved_first_contact", "avoidable"):
        frame[column] = _to_boolean(raw[column]) if column in raw else pd.NA
    return frame


def _to_boolean(values: pd.Series) -> pd.Series:
    """true/yes/1 and false/no/0 in any case; anything else is missing."""
    lowered = values.str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[lowered.isin(_TRUE)] = True
    out[lowered.isin(_FALSE)] = False
    return out


_ROW_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "created_at": pa.Column("datetime64[ns]", nullable=False, coerce=False),
        "channel": pa.Column(str, pa.Check.isin(CHANNELS)),
        "service": pa.Column(str, pa.Check.isin(SERVICES)),
        "postcode": pa.Column(
            str,
            [
                pa.Check.str_length(min_value=1),
                pa.Check.str_matches(POSTCODE_PATTERN),
            ],
        ),
    },
    strict=False,
)


def _schema_failures(frame: pd.DataFrame) -> pd.Series:
    """The first reason each row fails the schema, or missing if it passes."""
    reason = pd.Series(pd.NA, index=frame.index, dtype="object")
    checked = frame.assign(created_at=frame["created_at"].astype("datetime64[ns]"))
    try:
        _ROW_SCHEMA.validate(checked, lazy=True)
        failures = pd.DataFrame(columns=["column", "check", "index"])
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    for key in reversed(list(REASONS)):
        rows = _rows_failing(failures, key)
        reason.loc[rows] = key
    duplicated = frame["case_id"].duplicated() & frame["case_id"].ne("")
    return reason.mask(duplicated & reason.isna(), "duplicate_case_id")


def _rows_failing(failures: pd.DataFrame, key: str) -> list[int]:
    """Rows whose schema failure means ``key``."""
    column = _REASON_COLUMN[key]
    hits = failures[failures["column"] == column]
    check = hits["check"].astype(str)
    if key == "missing_case_id" or key == "missing_postcode":
        hits = hits[check.str.startswith("str_length")]
    elif key == "malformed_postcode":
        hits = hits[check.str.startswith("str_matches")]
    elif key in ("duplicate_case_id", "postcode_not_in_district"):
        return []
    return [int(i) for i in hits["index"].dropna().unique()]


def _fill_report(report: ImportReport, reason: pd.Series, line: pd.Series) -> None:
    """Count rows set aside per reason and keep a few line numbers of each."""
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


def _place(used: pd.DataFrame, lookup: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Put each usable contact at its postcode centroid (EPSG:27700)."""
    located = used.join(lookup[["ward_code", "status", "geometry"]], on="postcode")
    located = located.rename(columns={"status": "postcode_status"})
    return gpd.GeoDataFrame(located, geometry="geometry", crs=BNG).reset_index(
        drop=True
    )
