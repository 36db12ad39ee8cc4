"""A person's fields as a provisioning source gives them, checked by one set of rules.

SCIM, the HR-file import and an administrator all hand the directory service a
``PersonFields``; ``check_person_fields`` cleans it (NFC, no control characters,
lengths, an e-mail that is one) and reports every problem at once, in Danish,
naming the field. E-mail addresses and login names are stored in lower case, so
the unique indexes and the token lookup compare them case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from catalogue.services.errors import ErrorCode
from catalogue.services.validation import Checks

EMAIL_MAX_LENGTH = 320
NAME_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 200
EMPLOYEE_NUMBER_MAX_LENGTH = 64
EXTERNAL_ID_MAX_LENGTH = 200
DEPARTMENT_MAX_LENGTH = 200
#: One @, something printable without spaces on each side, a dot in the domain.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class PersonFields:
    """What a source says about a person; ``None`` for an optional key means "none"."""

    email: str
    name: str
    title: str = ""
    user_name: str | None = None
    external_id: str | None = None
    employee_number: str | None = None
    department: str = ""
    org_unit_id: int | None = None
    provisioned_attributes: dict[str, Any] = field(default_factory=dict)


def check_person_fields(fields: PersonFields) -> PersonFields:
    """The fields cleaned, or DomainValidationError naming every field at fault."""
    checks = Checks()
    email = _address(checks, "email", fields.email, label="E-mailadressen")
    name = checks.text("name", fields.name, label="Navnet", max_length=NAME_MAX_LENGTH)
    title = checks.text(
        "title", fields.title, label="Titlen", max_length=TITLE_MAX_LENGTH, required=False
    )
    user_name = None
    if fields.user_name is not None:
        user_name = checks.text(
            "userName", fields.user_name, label="Brugernavnet", max_length=EMAIL_MAX_LENGTH
        )
        user_name = user_name.lower() if user_name else None
    external_id = _optional(
        checks, "externalId", fields.external_id, "Det eksterne id", EXTERNAL_ID_MAX_LENGTH
    )
    employee_number = _optional(
        checks,
        "employeeNumber",
        fields.employee_number,
        "Medarbejdernummeret",
        EMPLOYEE_NUMBER_MAX_LENGTH,
    )
    department = checks.text(
        "department",
        fields.department,
        label="Afdelingen",
        max_length=DEPARTMENT_MAX_LENGTH,
        required=False,
    )
    checks.done()
    return replace(
        fields,
        email=email,
        name=name or "",
        title=title or "",
        user_name=user_name,
        external_id=external_id,
        employee_number=employee_number,
        department=department or "",
    )


def _optional(
    checks: Checks, field_name: str, value: str | None, label: str, max_length: int
) -> str | None:
    cleaned = checks.text(field_name, value, label=label, max_length=max_length, required=False)
    return cleaned or None


def _address(checks: Checks, field_name: str, value: str, *, label: str) -> str:
    cleaned = checks.text(field_name, value, label=label, max_length=EMAIL_MAX_LENGTH)
    if cleaned and not EMAIL_PATTERN.match(cleaned):
        checks.fail(
            field_name,
            ErrorCode.INVALID,
            f"{label} {cleaned[:80]!r} er ikke en e-mailadresse (navn@domæne.dk).",
        )
    return (cleaned or "").lower()
