"""Every GraphQL operation runs within the request time budget (``catalogue.time_budget``).

Once the budget is spent, each field that still needs the database fails with
the same error; the client gets it once, with whatever data was ready before.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from catalogue.time_budget import TimeBudgetExceededError, time_budget
from graphql import GraphQLError


def _budget_error(error: GraphQLError) -> TimeBudgetExceededError | None:
    original = error.original_error
    return original if isinstance(original, TimeBudgetExceededError) else None


class RequestTimeBudget(SchemaExtension):
    def __init__(self, *, seconds: float) -> None:
        self.seconds = seconds

    def on_operation(self) -> Iterator[None]:
        with time_budget(self.seconds):
            yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        stopped = next((e for e in map(_budget_error, result.errors) if e is not None), None)
        if stopped is not None:
            result.errors = [
                *(error for error in result.errors if _budget_error(error) is None),
                GraphQLError(stopped.message, extensions=stopped.extensions),
            ]
