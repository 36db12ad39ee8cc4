"""Domain errors: a stable English code, a Danish message, and the input field at fault.

Services raise these; the GraphQL layer turns them into ``userErrors`` with one
shared helper, the CLI prints them.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    ALREADY_ENROLLED = "ALREADY_ENROLLED"
    DEADLINE_PASSED = "DEADLINE_PASSED"
    RUN_STARTED = "RUN_STARTED"
    RUN_CANCELLED = "RUN_CANCELLED"
    COURSE_NOT_OPEN = "COURSE_NOT_OPEN"
    ARCHIVED = "ARCHIVED"
    HAS_PARTICIPANTS = "HAS_PARTICIPANTS"
    ALREADY_ERASED = "ALREADY_ERASED"
    OPEN_OBLIGATIONS = "OPEN_OBLIGATIONS"
    #: A manager or org-unit change that would make the tree a loop.
    CYCLE = "CYCLE"
    INVALID_TOKEN = "INVALID_TOKEN"  # noqa: S105 - an error code, not a secret
    ROUND_NOT_OPEN = "ROUND_NOT_OPEN"
    SETTING_LOCKED = "SETTING_LOCKED"
    NOT_RELEASED = "NOT_RELEASED"


class DomainError(Exception):
    """An expected failure that a person can act on."""

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def extensions(self) -> dict[str, str]:
        """Picked up by graphql-core when a query resolver raises this error."""
        extensions = {"code": self.code.value}
        if self.field is not None:
            extensions["field"] = self.field
        return extensions


class DomainValidationError(DomainError):
    """Several invalid fields of one input, reported together so all can be fixed at once."""

    def __init__(self, errors: list[DomainError]) -> None:
        super().__init__(ErrorCode.INVALID, "; ".join(e.message for e in errors))
        self.errors = errors
