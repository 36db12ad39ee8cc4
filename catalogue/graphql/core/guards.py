"""Danish messages and stable codes for the query limits of docs/architecture.md §5.

Strawberry's depth and alias limiters and graphql-core's token limit report in
English and without a code; this extension rewrites those three errors after
the operation, so a client can tell which limit it hit and a person can read why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from enum import StrEnum

from strawberry.extensions import SchemaExtension

from graphql import GraphQLError


class LimitCode(StrEnum):
    QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
    TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"


_LIMITS: list[tuple[re.Pattern[str], LimitCode, Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^'.*' exceeds maximum operation depth of (?P<limit>\d+)$"),
        LimitCode.QUERY_TOO_DEEP,
        lambda m: f"Forespørgslen er for dyb: højst {m['limit']} niveauer er tilladt.",
    ),
    (
        re.compile(r"^(?P<count>\d+) aliases found\. Allowed: (?P<limit>\d+)$"),
        LimitCode.TOO_MANY_ALIASES,
        lambda m: f"Forespørgslen bruger {m['count']} aliasser; højst {m['limit']} er tilladt.",
    ),
    (
        re.compile(r"Document contains more than (?P<limit>\d+) tokens"),
        LimitCode.TOO_MANY_TOKENS,
        lambda m: f"Forespørgslen er for lang: højst {m['limit']} tokens er tilladt.",
    ),
]


def translate_limit_error(error: GraphQLError) -> GraphQLError:
    if error.original_error is not None:
        return error
    for pattern, code, message in _LIMITS:
        if match := pattern.search(error.message):
            return GraphQLError(
                message(match),
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": code.value},
            )
    return error


class LimitErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [translate_limit_error(error) for error in errors]
