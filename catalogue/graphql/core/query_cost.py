"""The query cost limit: how many objects a query may ask for, computed before it runs.

Depth, alias and token limits bound the document, not the work: a query well
within all three (``courses → competenceLinks → statement → courses`` nested
three times under 30 aliases) asked for billions of objects. The cost follows
Saleor's, GitHub's and Shopify's published models: every object-typed field
costs 1 for each object it returns, scalars and enums are free, a connection
returns ``first`` objects (the maximum page size when ``first`` is absent) and
a plain list returns ``query_cost_list_size`` objects (an estimate: the schema
does not bound them). A child costs as often as its parent is returned, so the
cost of a query is the number of objects it can make the server load.

Inline fragments on the types of a union or interface are added, not maxed: an
upper bound, and cheap to compute. A named fragment is costed once per page
context however often it is spread, so a document can't make the count slow.

Variables are coerced here (before graphql-core would), so ``first: $n`` costs
its value; a variable that does not coerce ends the request as BAD_USER_INPUT,
the same error normal execution gives, coded as the client's mistake.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from strawberry.extensions import SchemaExtension

from catalogue.graphql.core.client_errors import ClientErrorCode, with_code
from catalogue.graphql.core.guards import LimitCode
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    get_argument_values,
    get_named_type,
    get_nullable_type,
    get_variable_values,
    is_leaf_type,
    is_list_type,
)

PAGE_ARGUMENT = "first"


@dataclass
class _CostWalk:
    """One document's cost under one set of variables; fragments are costed once."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Any
    max_page_size: int
    list_size: int
    _fragment_costs: dict[tuple[str, int | None], int] = field(default_factory=dict)

    def selection_cost(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode | None, page: int | None
    ) -> int:
        """The objects one ``parent`` object's selection returns; ``page`` inside a connection."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(parent, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection_cost(inner or parent, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment_cost(selection.name.value, page)
        return total

    def fragment_cost(self, name: str, page: int | None) -> int:
        key = (name, page)
        if key not in self._fragment_costs:
            self._fragment_costs[key] = 0  # a cycle (refused by validation) costs nothing more
            fragment = self.fragments.get(name)
            if fragment is not None:
                inner = self.schema.get_type(fragment.type_condition.name.value)
                if inner is not None:
                    self._fragment_costs[key] = self.selection_cost(
                        inner, fragment.selection_set, page
                    )
        return self._fragment_costs[key]

    def field_cost(self, parent: GraphQLNamedType, node: FieldNode, page: int | None) -> int:
        definition = self._field(parent, node.name.value)
        if definition is None:
            return 0
        returned = get_named_type(definition.type)
        if is_leaf_type(returned):
            return 0
        count = 1
        if is_list_type(get_nullable_type(definition.type)):
            count = page if page is not None else self.list_size
        inner_page = self._page_size(definition, node) if PAGE_ARGUMENT in definition.args else None
        return count * (1 + self.selection_cost(returned, node.selection_set, inner_page))

    def _field(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
        fields = getattr(parent, "fields", None)
        return fields.get(name) if fields else None

    def _page_size(self, definition: GraphQLField, node: FieldNode) -> int:
        """``first`` as the resolver will get it, capped where the resolver refuses it."""
        try:
            first = get_argument_values(definition, node, self.variables).get(PAGE_ARGUMENT)
        except GraphQLError:
            first = None
        if not isinstance(first, int) or isinstance(first, bool):
            return self.max_page_size
        return max(0, min(first, self.max_page_size))


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Any,
    *,
    max_page_size: int,
    list_size: int,
) -> int:
    """The cost of the operation that will run, with its variables already coerced."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    walk = _CostWalk(schema, fragments, variables, max_page_size, list_size)
    return walk.selection_cost(root, operation.selection_set, None)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def too_complex(cost: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"Forespørgslen er for kompleks: den kan hente op til {cost} objekter; "
        f"højst {limit} er tilladt. Bed om færre felter eller en mindre side (first).",
        extensions={"code": LimitCode.QUERY_TOO_COMPLEX.value, "cost": cost, "limit": limit},
    )


class QueryCostLimiter(SchemaExtension):
    """Refuses, before execution, an operation that costs more than ``max_cost``."""

    def __init__(self, *, max_cost: int, max_page_size: int, list_size: int) -> None:
        self.max_cost = max_cost
        self.max_page_size = max_page_size
        self.list_size = list_size

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.result is None and context.graphql_document is not None:
            self._check(context.graphql_document)
        yield

    def _check(self, document: DocumentNode) -> None:
        context = self.execution_context
        schema = context.schema._schema
        operation = _operation(document, context.operation_name)
        if operation is None:
            return  # graphql-core reports the missing operation
        coerced = get_variable_values(
            schema, operation.variable_definitions or (), dict(context.variables or {})
        )
        if isinstance(coerced, list):
            context.result = ExecutionResult(
                data=None,
                errors=[with_code(error, ClientErrorCode.BAD_USER_INPUT) for error in coerced],
            )
            return
        cost = operation_cost(
            schema,
            document,
            context.operation_name,
            coerced,
            max_page_size=self.max_page_size,
            list_size=self.list_size,
        )
        if cost > self.max_cost:
            context.result = ExecutionResult(data=None, errors=[too_complex(cost, self.max_cost)])
