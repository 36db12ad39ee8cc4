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

A document the fast path was not checked against (``lms_page.page_plan``)
stops start-up in production: quietly answering every pull per field would
only show as a slower LMS sync. In development it logs a warning and runs
without the fast path, so the document can be edited before the pin.
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
    OPERATION_NAME,
    VARIABLES,
    FastPathUnavailableError,
    PagePlan,
    catalogue_page,
    page_plan,
)
from catalogue.services.errors import DomainError
from catalogue.settings import Settings
from graphql import ExecutionResult

log = structlog.get_logger("catalogue.graphql")

# GraphQL's Int is 32 bits; a larger ``first`` is a coercion error normal execution reports.
INT_RANGE = range(-(2**31), 2**31)


class LmsCataloguePageExecutor(SchemaExtension):
    def __init__(self, document: str, plan: PagePlan) -> None:
        self.document = document
        self.plan = plan

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.query == self.document and execution.operation_name == OPERATION_NAME:
            data = _answer(execution.context, execution.variables, self.plan)
            if data is not None:
                execution.result = ExecutionResult(data=data)
        yield


def lms_page_extension(
    operations: PersistedOperations, settings: Settings
) -> Callable[[], SchemaExtension] | None:
    """The extension's factory, or ``None`` when it is switched off (or, in development, stale).

    Raises ``FastPathUnavailableError`` outside development when the document is
    not the one the fast path was checked against.
    """
    if not settings.lms_page_fast_path:
        return None
    operation = operations.by_name().get(OPERATION_NAME)
    try:
        plan = page_plan(operation)
    except FastPathUnavailableError as exc:
        if settings.is_dev:
            log.warning("lms_page.fast_path_off", reason=str(exc))
            return None
        raise FastPathUnavailableError(
            f"{exc}. Uden den hurtige vej starter tjenesten ikke i produktion "
            "(CATALOGUE_ENV=prod); slå den bevidst fra med CATALOGUE_LMS_PAGE_FAST_PATH=false"
        ) from exc
    assert operation is not None
    document = operation.document
    return lambda: LmsCataloguePageExecutor(document, plan)


def _answer(
    context: Any, variables: Mapping[str, Any] | None, plan: PagePlan
) -> dict[str, Any] | None:
    arguments = _page_arguments(variables or {}, plan.default_first)
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
        return catalogue_page(context.session, context.viewer, window, plan)
    except DomainError:
        return None  # a cursor of another list: normal execution words the error
    except Exception:
        log.exception("lms_page.fast_path_failed")
        context.session.rollback()
        return None


def _page_arguments(
    variables: Mapping[str, Any], default_first: int | None
) -> tuple[int | None, str | None] | None:
    """``first`` and ``after`` as the resolver gets them, or ``None`` for anything unusual."""
    if not set(VARIABLES).issuperset(variables):
        return None
    if "first" not in variables and default_first is None:
        return None  # the resolver's own default applies; normal execution knows it
    first = variables.get("first", default_first)
    after = variables.get("after")
    if first is not None and not (type(first) is int and first in INT_RANGE):
        return None
    if after is not None and not isinstance(after, str):
        return None
    return first, after
