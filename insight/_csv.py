"""Read a delimited text file into records that remember their physical lines.

Council exports come from many tools: UTF-8 with or without a byte-order mark,
UTF-16 from Excel, Windows-1252, commas or semicolons, an Excel ``sep=`` first
line, quoted fields spanning lines. :func:`split_records` reads all of them,
keeps the file line each record starts and ends on (for error messages that
an analyst can follow), and raises :class:`~insight._errors.InputFileError`
naming the file for what it cannot read. It knows nothing of contact data:
:mod:`insight.crm` chooses the separator by the header it expects.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from insight._errors import InputFileError

logger = logging.getLogger(__name__)

#: Separators tried, in order of preference when they tie.
DELIMITERS = (",", ";", "\t", "|")

#: First bytes of files that are not text, and what to tell the user.
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook or zip file: save it as CSV (UTF-8) first",
    b"\x1f\x8b": "a gzip file: unzip it first",
    b"\x89PNG": "an image, not a CSV",
    b"%PDF": "a PDF, not a CSV",
}


@dataclass
class Records:
    """A delimited file split into records, with the lines each came from.

    ``first_line`` and ``last_line`` are 1-based physical line numbers of the
    file (line 1 is the header, or the ``sep=`` line where there is one).
    """

    header: list[str]
    rows: list[list[str]]
    first_line: list[int]
    last_line: list[int]
    encoding: str
    delimiter: str
    empty_lines: int


def decode_file(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with.

    Raises
    ------
    InputFileError
        If the path is missing or a folder, cannot be read, is a binary file
        (workbook, archive, image, PDF) or is not UTF-8, UTF-16 or
        Windows-1252 text; the message names the file and, for text, the line.

    """
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise InputFileError(f"{path}: {what}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputFileError(f"{path}: this is {what}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    if b"\x00" in data[:1000]:
        raise InputFileError(f"{path}: looks like UTF-16 without a byte-order mark")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path}: line {line} is neither UTF-8 nor Windows-1252 text"
        ) from exc
    logger.warning("%s: not UTF-8 (line %d); read as Windows-1252", path.name, line)
    return text, f"cp1252 (first non-UTF-8 byte on line {line})"


def split_records(path: Path, score_header: Callable[[list[str]], int]) -> Records:
    """Split a delimited file into records, keeping each one's physical lines.

    Parameters
    ----------
    path : Path
        The file.
    score_header : callable
        Given the header split by a candidate separator, how many names it
        recognises; the separator with the best score is used.

    Returns
    -------
    Records
        The raw header names and the records (lists of strings); blank lines
        are counted in ``empty_lines``, not returned.

    """
    text, encoding = decode_file(path)
    lines = text.splitlines(keepends=True)
    skipped = 1 if lines and lines[0].lower().startswith("sep=") else 0
    if not "".join(lines[skipped:]).strip():
        raise InputFileError(f"{path}: the file is empty")
    delimiter = max(DELIMITERS, key=lambda sep: score_header(lines[skipped].split(sep)))
    reader = csv.reader(io.StringIO("".join(lines[skipped:])), delimiter=delimiter)
    header = next(reader)

    # Each record starts on the line after the previous one ended.
    rows, first, last, empty, previous = [], [], [], 0, reader.line_num
    try:
        for record in reader:
            if not record:
                empty += 1
            else:
                rows.append(record)
                first.append(previous + 1 + skipped)
                last.append(reader.line_num + skipped)
            previous = reader.line_num
    except csv.Error as exc:
        raise InputFileError(
            f"{path}: line {reader.line_num + skipped}: {exc} (an unclosed quote?)"
        ) from exc
    return Records(header, rows, first, last, encoding, delimiter, empty)
