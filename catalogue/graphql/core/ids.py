"""Decoding Relay global ids given as input, with a clear error naming the field."""

from __future__ import annotations

from strawberry.relay import GlobalID

from catalogue.services.errors import DomainError, ErrorCode


def decode_id(global_id: GlobalID, node_type: type, *, field: str) -> int:
    """The database id inside ``global_id``, which must name ``node_type``."""
    type_name = node_type.__strawberry_definition__.name  # type: ignore[attr-defined]
    if global_id.type_name != type_name or not global_id.node_id.isdigit():
        raise DomainError(
            ErrorCode.INVALID,
            f"'{field}' skal være id'et på et objekt af typen {type_name}.",
            field=field,
        )
    return int(global_id.node_id)
