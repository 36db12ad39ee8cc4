"""Global ids: the one place an id from a client is read, before any database sees it.

An id is ``base64("TypeName:number")``. The type must be one of the schema's node
types and the number plain ASCII digits within the database's integer range, so a
forged id (``Course:²``, 5,000 digits, beyond 32 bits) is a clear error naming the
argument instead of an overflow deep in the driver.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Collection

from strawberry.relay import GlobalID

from catalogue.services.errors import DomainError, ErrorCode

#: Primary keys are PostgreSQL ``integer`` columns (SQLite allows more, PostgreSQL does not).
MAX_DATABASE_ID = 2**31 - 1
#: Longer than any id this service hands out ("CompetenceStatement:2147483647" is 44).
MAX_GLOBAL_ID_LENGTH = 100


def database_id(node_id: str) -> int | None:
    """The number in an id's ``node_id`` part, or ``None`` if it is not one the database holds."""
    if not (0 < len(node_id) <= 10 and node_id.isascii() and node_id.isdigit()):
        return None
    number = int(node_id)
    return number if 0 < number <= MAX_DATABASE_ID else None


def global_id_problem(value: object, type_names: Collection[str]) -> str | None:
    """What is wrong with ``value`` as a global id of one of ``type_names``, in Danish; or None."""
    if not isinstance(value, str):
        return "skal være et id (en tekst)"
    if len(value) > MAX_GLOBAL_ID_LENGTH:
        return f"er for langt til at være et id (højst {MAX_GLOBAL_ID_LENGTH} tegn)"
    try:
        decoded = b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return "er ikke et gyldigt id"
    type_name, colon, node_id = decoded.partition(":")
    if not colon:
        return "er ikke et gyldigt id"
    if type_name not in type_names:
        return "er ikke et gyldigt id: typen findes ikke"
    if database_id(node_id) is None:
        return f"er ikke et gyldigt id: nummeret skal være et heltal fra 1 til {MAX_DATABASE_ID}"
    return None


def decode_id(global_id: GlobalID, node_type: type, *, field: str) -> int:
    """The database id inside ``global_id``, which must name ``node_type``."""
    type_name = node_type.__strawberry_definition__.name  # type: ignore[attr-defined]
    number = database_id(global_id.node_id)
    if global_id.type_name != type_name or number is None:
        raise DomainError(
            ErrorCode.INVALID,
            f"'{field}' skal være id'et på et objekt af typen {type_name}.",
            field=field,
        )
    return number
