"""Masked internal errors in production: logged in full, shown as a generic error with an id.

The id is the request id of the X-Request-ID middleware (bound in structlog's
context), so the person who reports the message and the log line meet on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import structlog
from strawberry.extensions import MaskErrors

from graphql import GraphQLError

log = structlog.get_logger("catalogue.graphql")

INTERNAL_ERROR_CODE = "INTERNAL_SERVER_ERROR"


def masked_message(request_id: str) -> str:
    return (
        f"Der opstod en uventet fejl (fejl-id {request_id}). "
        "Prøv igen senere, og oplys fejl-id'et, hvis du kontakter support."
    )


def current_request_id() -> str:
    """The request id bound by the middleware; a fresh one outside an HTTP request."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if not request_id:
        request_id = uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request_id)
    return str(request_id)


class MaskUnexpectedErrors(MaskErrors):
    """Strawberry's ``MaskErrors``, with the original error logged and the request id shown."""

    def __init__(self, should_mask_error: Callable[[GraphQLError], bool]) -> None:
        super().__init__(should_mask_error=should_mask_error)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = current_request_id()
        original = error.original_error or error
        log.error(
            "graphql.unexpected_error",
            graphql_path=".".join(str(part) for part in error.path or ()),
            error_type=type(original).__name__,
            error=str(original),
            exc_info=original,
        )
        return GraphQLError(
            message=masked_message(request_id),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": INTERNAL_ERROR_CODE, "requestId": request_id},
        )
