"""The rows of an HR file, checked one at a time: columns, fields, unit paths, roles.

``read_rows`` turns the file's cells (header first) into ImportRows and collects
each problem with its row and column, in Danish; it keeps nothing of a row once
it has yielded it, so a file of any size streams through. The whole-file checks
(duplicates, managers, loops) are ``people_import``'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from catalogue.models import Role
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from catalogue.services.person_fields import PersonFields, check_person_fields
from catalogue.services.validation import CODE_PATTERN

#: Column -> the header texts that name it (compared case-insensitively, trimmed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_number": ("medarbejdernummer", "medarbejdernr", "employee number", "employeenumber"),
    "email": ("e-mail", "email", "mail", "e-mailadresse"),
    "name": ("navn", "name"),
    "title": ("titel", "stilling", "title"),
    "org_unit": ("enhed", "organisationsenhed", "org unit", "orgunit"),
    "manager": ("leder", "nærmeste leder", "manager"),
    "roles": ("roller", "rolle", "roles"),
}
REQUIRED_COLUMNS = ("employee_number", "email", "name")
LABELS = {
    "employee_number": "medarbejdernummer",
    "email": "e-mail",
    "name": "navn",
    "title": "titel",
    "org_unit": "enhed",
    "manager": "leder",
    "roles": "roller",
}
#: Most problems reported from one file; the rest are counted.
MAX_PROBLEMS = 50


class ImportFileError(DomainValidationError):
    """The file cannot be imported; each problem names its row and column."""


@dataclass(frozen=True)
class UnitSegment:
    key: str
    name: str | None


@dataclass(frozen=True)
class ImportRow:
    row: int
    fields: PersonFields
    units: tuple[UnitSegment, ...]
    manager: str | None
    #: None when the file has no roles column: roles are then left as they are.
    roles: frozenset[Role] | None


class Problems:
    def __init__(self) -> None:
        self.errors: list[DomainError] = []
        self.more = 0

    def add(self, row: int, column: str | None, message: str) -> None:
        if len(self.errors) >= MAX_PROBLEMS:
            self.more += 1
            return
        where = f"række {row}" + (f", kolonne {LABELS.get(column, column)!r}" if column else "")
        self.errors.append(DomainError(ErrorCode.INVALID, f"{where}: {message}", field=column))

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        if self.more:
            self.errors.append(
                DomainError(ErrorCode.INVALID, f"... og {self.more} problemer mere.")
            )
        raise ImportFileError(self.errors)


def _header(cells: list[str]) -> dict[str, int]:
    wanted = {text: column for column, texts in COLUMNS.items() for text in texts}
    found: dict[str, int] = {}
    problems = Problems()
    for index, cell in enumerate(cells):
        column = wanted.get((cell or "").strip().lower().replace("_", " "))
        if column is None:
            problems.add(1, None, f"kolonnen {cell!r} kendes ikke")
        elif column in found:
            problems.add(1, column, "kolonnen står der to gange")
        else:
            found[column] = index
    for column in REQUIRED_COLUMNS:
        if column not in found:
            problems.add(1, column, "kolonnen mangler")
    problems.raise_if_any()
    return found


def _units(text: str, row: int, problems: Problems) -> tuple[UnitSegment, ...]:
    segments = []
    for part in (p.strip() for p in text.split("/")):
        if not part:
            problems.add(row, "org_unit", f"{text!r} har et tomt led")
            return ()
        key, _, name = part.partition("=")
        key = key.strip().upper()
        if not CODE_PATTERN.match(key):
            problems.add(
                row, "org_unit", f"koden {key[:40]!r} må kun have A-Z, 0-9, punktum og bindestreg"
            )
            return ()
        segments.append(UnitSegment(key, name.strip() or None))
    return tuple(segments)


def _roles(text: str, row: int, problems: Problems) -> frozenset[Role]:
    roles = set()
    for part in (p.strip().upper() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        if part not in Role.__members__:
            problems.add(
                row, "roles", f"rollen {part[:40]!r} findes ikke (kendte: {', '.join(Role)})"
            )
        else:
            roles.add(Role(part))
    return frozenset(roles)


def read_rows(cells: Iterator[list[str]], problems: Problems | None = None) -> Iterator[ImportRow]:
    """The file's rows (header first) as ImportRows; problems collected, not raised."""
    problems = problems or Problems()
    header = next(cells, None)
    if header is None:
        problems.add(1, None, "filen er tom")
        return
    columns = _header(header)

    def cell(values: list[str], column: str) -> str:
        index = columns.get(column)
        if index is None or index >= len(values):
            return ""
        return (values[index] or "").strip()

    for row, values in enumerate(cells, start=2):
        if not any((v or "").strip() for v in values):
            continue
        if len(values) > len(header) and any((v or "").strip() for v in values[len(header) :]):
            problems.add(row, None, f"rækken har {len(values)} felter; overskriften {len(header)}")
            continue
        fields = PersonFields(
            email=cell(values, "email"),
            name=cell(values, "name"),
            title=cell(values, "title"),
            employee_number=cell(values, "employee_number") or None,
        )
        try:
            fields = check_person_fields(fields)
        except DomainError as exc:
            parts = exc.errors if isinstance(exc, DomainValidationError) else [exc]
            for part in parts:
                column = {"employeeNumber": "employee_number"}.get(part.field or "", part.field)
                problems.add(row, column, part.message)
            continue
        if fields.employee_number is None:
            problems.add(row, "employee_number", "medarbejdernummeret skal udfyldes")
            continue
        units = _units(cell(values, "org_unit"), row, problems) if cell(values, "org_unit") else ()
        yield ImportRow(
            row=row,
            fields=fields,
            units=units,
            manager=cell(values, "manager") or None,
            roles=_roles(cell(values, "roles"), row, problems) if "roles" in columns else None,
        )
