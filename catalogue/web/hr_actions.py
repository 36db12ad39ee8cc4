"""One HR form's change: the service call in one transaction, its failures as field messages.

The same shape as the GraphQL mutations (``graphql/core/mutations.py``): commit when the
service succeeds; on a ``DomainError`` roll back, so nothing stored changes, and hand
the Danish messages back per form field. A unique constraint that the service's own
checks could not see coming (two requests at once, e.g. a double click) is the same
CONFLICT the API reports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.services.errors import DomainError, ErrorCode
from catalogue.web.forms import errors_by_field

T = TypeVar("T")
log = structlog.get_logger("catalogue.web")

CONCURRENT_CHANGE = DomainError(
    ErrorCode.CONFLICT,
    "Ændringen strider mod noget, der blev gemt samtidig (måske blev formularen sendt to "
    "gange); genindlæs siden og se, om ændringen allerede er gemt.",
)


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def change(
    session: Session,
    action: Callable[[], T],
    *,
    fields: Mapping[str, str],
    default: str,
    read_errors: Mapping[str, str] | None = None,
) -> Outcome[T]:
    """Run ``action`` and commit, or roll back and return its messages by form field.

    ``read_errors`` are the values the form could not even read (passed to the service
    as missing). The service is still asked, so every problem is named at once, but
    with any of them nothing is committed; a read error wins at its own field.
    """
    errors: dict[str, str] = {}
    value: T | None = None
    try:
        value = action()
        if not read_errors:
            session.commit()
    except DomainError as error:
        errors = errors_by_field(error, fields, default=default)
    except IntegrityError as error:
        log.warning("web.integrity_conflict", error=str(error.orig))
        errors = errors_by_field(CONCURRENT_CHANGE, fields, default=default)
    if errors or read_errors:
        session.rollback()
        return Outcome(errors=errors | dict(read_errors or {}))
    return Outcome(value=value)
