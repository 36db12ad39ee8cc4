"""The LMS's catalogue pull answered without per-field execution, from inside the schema.

Hook point: Strawberry runs graphql-core's execution only if no extension has
set ``execution_context.result`` by then (its documented way to answer from a
cache). Setting it in ``on_execute`` replaces the execution step and nothing
else. Everything before it runs as for any request: the token and admission
control of ``app.py``, the request id, persisted-query resolution with
``CATALOGUE_LMS_PERSISTED_ONLY``, parsing, validation and the depth, alias and
token limits; so does everything after: error masking and Strawberry's JSON
encoding, done once over plain values. A route in front of /graphql would have
had to repeat those guards; a faster resolver would still pay per field.

Only the ``LmsCataloguePage`` document (by hash, or as exactly its text) with
variables handled as the resolvers handle them is answered here. Anything else,
a ``first`` or ``after`` the resolver refuses (normal execution words that
error), or a failure while answering, goes to normal execution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import structlog
from strawberry.extensions import SchemaExtension

from catalogue.graphql.context import Context
from catalogue.graphql.core.pagination import PageWindow
from catalogue.graphql.core.persisted import PersistedOperations
from catalogue.graphql.courses.lms_page import (
    DEFAULT_FIRST,
    DOCUMENT_SHA256,
    OPERATION_NAME,
    catalogue_page,
)
from catalogue.services.errors import DomainError
from catalogue.settings import Settings
from graphql import ExecutionResult

log = structlog.get_logger("catalogue.graphql")

VARIABLES = frozenset({"first", "after"})
# GraphQL's Int is 32 bits; a larger ``first`` is a coercion error normal execution reports.
INT_RANGE = range(-(2**31), 2**31)


class LmsCataloguePageExecutor(SchemaExtension):
    def __init__(self, document: str) -> None:
        self.document = document

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.query == self.document and execution.operation_name == OPERATION_NAME:
            data = _answer(execution.context, execution.variables)
            if data is not None:
                execution.result = ExecutionResult(data=data)
        yield


def lms_page_extension(
    operations: PersistedOperations, settings: Settings
) -> Callable[[], SchemaExtension] | None:
    """The extension's factory, or ``None`` when it is switched off or the document changed."""
    if not settings.lms_page_fast_path:
        return None
    operation = operations.by_name().get(OPERATION_NAME)
    if operation is None or operation.sha256 != DOCUMENT_SHA256:
        log.warning("lms_page.fast_path_off", reason="document differs from lms_page.py")
        return None
    return lambda: LmsCataloguePageExecutor(operation.document)


def _answer(context: Any, variables: Mapping[str, Any] | None) -> dict[str, Any] | None:
    arguments = _page_arguments(variables or {})
    if arguments is None or not isinstance(context, Context):
        return None
    first, after = arguments
    try:
        window = PageWindow.of(
            first=first, after=after, max_page_size=context.settings.max_page_size
        )
    except DomainError:
        return None
    try:
        return catalogue_page(context.session, context.viewer, window)
    except DomainError:
        return None  # a cursor of another list: normal execution words the error
    except Exception:
        log.exception("lms_page.fast_path_failed")
        context.session.rollback()
        return None


def _page_arguments(variables: Mapping[str, Any]) -> tuple[int | None, str | None] | None:
    """``first`` and ``after`` as the resolver gets them, or ``None`` for anything unusual."""
    if not VARIABLES.issuperset(variables):
        return None
    first = variables.get("first", DEFAULT_FIRST)
    after = variables.get("after")
    if first is not None and not (type(first) is int and first in INT_RANGE):
        return None
    if after is not None and not isinstance(after, str):
        return None
    return first, after
