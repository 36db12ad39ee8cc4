"""Telling the client's mistakes from our faults, so production masks only the faults.

A client error keeps its message and gets a code a client can act on (Apollo's
names): a document that does not parse is GRAPHQL_PARSE_FAILED, one that does
not validate (unknown fields, a literal of the wrong type) is
GRAPHQL_VALIDATION_FAILED, variables that do not coerce and malformed global ids
are BAD_USER_INPUT. Domain errors, refused limits and persisted-query errors
already carry their codes. Everything else (an exception in a resolver, a
non-null field that came back null) is a fault: masked in production, logged.

Client errors reach people, so their messages are Danish: graphql-core's and
Strawberry's English coercion and validation messages are reworded here
(``danish_errors.in_danish``), keeping the names and the bad value.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from catalogue.graphql.core.danish_errors import in_danish
from catalogue.services.errors import DomainError
from catalogue.time_budget import TimeBudgetExceededError
from graphql import GraphQLError


class ClientErrorCode(StrEnum):
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    BAD_USER_INPUT = "BAD_USER_INPUT"


#: Exceptions a resolver raises because of what the client sent or asked for.
EXPECTED_EXCEPTIONS: tuple[type[Exception], ...] = (
    DomainError,
    TimeBudgetExceededError,
    GlobalIDValueError,
)


CLIENT_CODES = frozenset(code.value for code in ClientErrorCode)


def is_client_error(error: GraphQLError) -> bool:
    """Not a fault: keeps its message in production and is not logged as an incident."""
    code = (error.extensions or {}).get("code")
    if code in CLIENT_CODES:
        return True
    original = error.original_error
    if original is None:
        return bool(code)
    return isinstance(original, EXPECTED_EXCEPTIONS)


def with_code(error: GraphQLError, code: ClientErrorCode) -> GraphQLError:
    """``error`` coded as the client's; a code it already has stays."""
    if (error.extensions or {}).get("code"):
        return error
    return GraphQLError(
        error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={**(error.extensions or {}), "code": code.value},
    )


def bad_global_id(error: GraphQLError) -> GraphQLError:
    return GraphQLError(
        "Ugyldigt globalt id: et id skal være et id, som API'et har givet "
        "(base64 af 'Type:nummer').",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": ClientErrorCode.BAD_USER_INPUT.value},
    )


class ClientErrorCodes(SchemaExtension):
    """Codes the errors of parsing and validation, and rewords malformed global ids."""

    def on_parse(self) -> Iterator[None]:
        yield
        # A syntax error; anything else raised while parsing is no verdict on the document.
        self._code_pre_execution_errors(ClientErrorCode.GRAPHQL_PARSE_FAILED, only_plain=True)

    def on_validate(self) -> Iterator[None]:
        yield
        # Every validation error is about the document, even one a scalar's parser raised.
        self._code_pre_execution_errors(ClientErrorCode.GRAPHQL_VALIDATION_FAILED)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [
                bad_global_id(error)
                if isinstance(error.original_error, GlobalIDValueError)
                else _in_danish(error)
                for error in result.errors
            ]

    def _code_pre_execution_errors(
        self, code: ClientErrorCode, *, only_plain: bool = False
    ) -> None:
        """In place: Strawberry has already put these error objects into the result."""
        for error in self.execution_context.pre_execution_errors or ():
            if not (error.extensions or {}).get("code") and not (
                only_plain and error.original_error is not None
            ):
                error.extensions = {**(error.extensions or {}), "code": code.value}
            error.message = in_danish(error.message)


def _in_danish(error: GraphQLError) -> GraphQLError:
    """A client error's message in Danish (in place); a fault's is left to masking."""
    if is_client_error(error) or error.original_error is None:
        error.message = in_danish(error.message)
    return error
