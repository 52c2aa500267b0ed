r"""Read a delimited text file into records that remember their physical lines.

Council exports come from many tools: UTF-8 with or without a byte-order mark,
UTF-16 from Excel (with or without its mark), Windows-1252, commas or
semicolons, an Excel ``sep=`` first line, quoted fields spanning lines, and
Windows, Unix or old Mac (CR-only) line endings. :func:`split_records` reads
all of them, keeps the file line each record starts and ends on (for error
messages that an analyst can follow), and raises
:class:`~insight._errors.InputFileError` naming the file for what it cannot
read. It knows nothing of contact data: :mod:`insight.crm` chooses the
separator by the header it expects.

A physical line ends at ``\r\n``, ``\n`` or a lone ``\r``, as text editors
count them; other Unicode line separators stay inside their field.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from insight._errors import InputFileError

logger = logging.getLogger(__name__)

#: Separators tried, in order of preference when they tie.
DELIMITERS = (",", ";", "\t", "|")

#: Largest field read, in characters (a free-text notes column can be long).
FIELD_SIZE_LIMIT = 10_000_000

#: First bytes of files that are not text, and what to tell the user.
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook or zip file: save it as CSV (UTF-8) first",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": (
        "an old Excel (.xls) workbook: save it as CSV (UTF-8) first"
    ),
    b"\x1f\x8b": "a gzip file: unzip it first",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive: unpack it first",
    b"Rar!": "a RAR archive: unpack it first",
    b"\x89PNG": "an image, not a CSV",
    b"\xff\xd8\xff": "an image, not a CSV",
    b"GIF8": "an image, not a CSV",
    b"%PDF": "a PDF, not a CSV",
}

# Where a physical line ends: after CRLF, after LF, or after a CR not before LF.
_LINE_END = re.compile(r"(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)")


@dataclass
class Records:
    """A delimited file split into records, with the lines each came from.

    ``first_line`` and ``last_line`` are 1-based physical line numbers of the
    file (line 1 is the header, or the ``sep=`` line where there is one);
    ``lines`` counts the file's physical lines.
    """

    header: list[str]
    rows: list[list[str]]
    first_line: list[int]
    last_line: list[int]
    encoding: str
    delimiter: str
    empty_lines: int
    lines: int = 0


def decode_file(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with.

    Raises
    ------
    InputFileError
        If the path is missing, a folder or not a regular file, cannot be
        read, is a binary file (workbook, archive, image, PDF) or is not
        UTF-8, UTF-16 or Windows-1252 text; the message names the file and,
        for text, the line.

    """
    data = _read_bytes(path)
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputFileError(f"{path}: this is {what}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(path, data, "utf-16"), "utf-16"
    unmarked = _utf16_without_mark(data)
    if unmarked:
        return _decode(path, data, unmarked), unmarked
    if data.count(b"\x00") > max(8, len(data) // 100):
        raise InputFileError(f"{path}: this is a binary file, not a CSV")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    text = _decode(path, data, "cp1252")
    logger.warning("%s: not UTF-8 (line %d); read as Windows-1252", path.name, line)
    return text, f"cp1252 (first non-UTF-8 byte on line {line})"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, or a plain error saying why there are none."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: a folder, not a file")
    if not path.is_file():
        raise InputFileError(f"{path}: not a regular file (a device or a pipe?)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from exc


def _utf16_without_mark(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` if the bytes look like it, else None.

    Mostly-ASCII text in UTF-16 has a zero in every other byte: in the odd
    positions for little-endian, the even ones for big-endian.
    """
    head = data[:2000]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(path: Path, data: bytes, encoding: str) -> str:
    """Decode, or say on which line the bytes stop being ``encoding``."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")
        line = len(split_lines(before + "?"))
        if encoding == "cp1252":
            what = "neither UTF-8 nor Windows-1252 text"
        else:
            what = f"not {encoding} text"
        raise InputFileError(f"{path}: line {line} is {what}") from exc


def split_lines(text: str) -> list[str]:
    r"""Physical lines, each with its ending (CRLF, LF or a lone CR).

    >>> split_lines("a,b\r\nc\rd\ne")
    ['a,b\r\n', 'c\r', 'd\n', 'e']
    """
    lines = _LINE_END.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


@contextmanager
def _field_size_limit(limit: int) -> Iterator[None]:
    """Let the csv module read fields up to ``limit`` characters, then restore."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


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
    lines = split_lines(text)
    skipped = 1 if lines and lines[0].lower().startswith("sep=") else 0
    if not "".join(lines[skipped:]).strip():
        raise InputFileError(f"{path}: the file is empty")
    delimiter = max(DELIMITERS, key=lambda sep: score_header(lines[skipped].split(sep)))

    # Each record starts on the line after the previous one ended.
    reader = csv.reader(lines[skipped:], delimiter=delimiter)
    rows, first, last, empty, previous = [], [], [], 0, 0
    with _field_size_limit(FIELD_SIZE_LIMIT):
        try:
            header = next(reader)
            previous = reader.line_num
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
                f"{path}: line {previous + 1 + skipped}: {exc}"
            ) from exc
    return Records(
        header, rows, first, last, encoding, delimiter, empty, lines=len(lines)
    )
