"""Introspection off in production unless CATALOGUE_GRAPHQL_INTROSPECTION says otherwise.

The schema is no secret (``graphql/schema.graphql`` is the published contract),
but a production endpoint that answers ``__schema`` hands every field and
argument to anyone probing it. graphql-core's rule does the refusing; this
subclass only says it in Danish, with a stable code.
"""

from __future__ import annotations

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules

from graphql import FieldNode, GraphQLError

INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"


class DanishNoIntrospectionRule(NoSchemaIntrospectionCustomRule):
    def report_error(self, error: GraphQLError) -> None:
        node = error.nodes[0] if error.nodes else None
        field = node.name.value if isinstance(node, FieldNode) else "?"
        super().report_error(
            GraphQLError(
                f"Introspektion er slået fra på denne tjeneste (feltet {field}); "
                "skemaet findes i graphql/schema.graphql.",
                nodes=error.nodes,
                extensions={"code": INTROSPECTION_DISABLED},
            )
        )


class NoIntrospection(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([DanishNoIntrospectionRule])
