"""Reading an HR system's export, CSV or XLSX, one row at a time.

CSV must be UTF-8 (Excel's "CSV UTF-8", a byte-order mark is fine), separated by
semicolons (Danish Excel) or commas, whichever the header uses; another encoding
is refused with the row and byte where it shows. XLSX is read with openpyxl in
read-only mode, which streams the sheet instead of loading it.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from catalogue.services.errors import DomainError, ErrorCode

XLSX_SUFFIXES = (".xlsx", ".xlsm")


class PeopleFileError(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.INVALID, message, field="file")


def rows(path: Path) -> Iterator[list[str]]:
    """The file's rows as lists of text, header first."""
    if not path.is_file():
        raise PeopleFileError(f"Filen {path} findes ikke.")
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _xlsx_rows(path)
    return _csv_rows(path)


def _decoded(path: Path, raw: Iterator[bytes]) -> Iterator[str]:
    """Each line decoded on its own, so a wrong encoding is named with its exact line."""
    for number, line in enumerate(raw, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = line[exc.start : exc.start + 1].hex().upper()
            raise PeopleFileError(
                f"{path.name} er ikke UTF-8: byte 0x{bad} i linje {number}, tegn {exc.start + 1}. "
                "Gem filen som 'CSV UTF-8' (i Excel: Gem som > CSV UTF-8), eller som XLSX."
            ) from exc
        yield text.removeprefix("\ufeff") if number == 1 else text


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open("rb") as raw:
        lines = _decoded(path, iter(raw))
        first = next(lines, "")
        delimiter = ";" if ";" in first and first.count(";") >= first.count(",") else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        try:
            yield from reader
        except csv.Error as exc:
            raise PeopleFileError(
                f"{path.name}, linje {reader.line_num}: ikke gyldig CSV ({exc})."
            ) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an employee number Excel stored as 1001.0
    return str(value)


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise PeopleFileError(f"{path.name} kan ikke læses som XLSX ({exc}).") from exc
    try:
        sheet = workbook.active
        if sheet is None:
            raise PeopleFileError(f"{path.name} har intet ark.")
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        workbook.close()
