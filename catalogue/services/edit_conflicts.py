"""Optimistic locking: an edit based on an old read is refused, not silently applied.

HR often has a course open while a colleague edits it. The client sends back the
``updatedAt`` it read; if the row changed since, the edit is a CONFLICT and nothing
is written. For that to work the ``updatedAt`` a mutation returns must be the new
one, so a changed row is stamped here, in Python, before the payload is built
(the column's ``onupdate`` would only stamp it at flush, after the payload).
"""

from __future__ import annotations

from datetime import datetime

from catalogue.models.base import Timestamped, utcnow
from catalogue.services.errors import DomainError, ErrorCode


def refuse_stale_edit(row: Timestamped, expected_updated_at: datetime | None, *, what: str) -> None:
    """CONFLICT if ``row`` changed after the ``updatedAt`` the editor read (when they sent one)."""
    if expected_updated_at is not None and row.updated_at != expected_updated_at:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"{what} er ændret af en anden, siden du hentede det; "
            "hent det igen og gentag ændringen.",
            field="expectedUpdatedAt",
        )


def stamp_changed(row: Timestamped) -> None:
    """Give a changed row its new ``updatedAt`` now, so the answer carries it."""
    row.updated_at = utcnow()
