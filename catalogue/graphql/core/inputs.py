"""Every argument checked once, before execution: a client's mistake costs milliseconds.

A NUL in a string, an id the database cannot hold, a date that overflows after a
time-zone shift, NaN, or a list of 70,000 values used to surface deep inside the
driver as an unexpected error with a traceback that took seconds to render. This
extension walks the variables and the literal arguments of the operation with
their schema types before validation, and refuses such input with one
``BAD_USER_INPUT`` error per problem (at most ``MAX_ERRORS``), naming the argument
(for a variable, the argument it is passed to, e.g. ``input.courseId``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from strawberry.extensions import SchemaExtension

from catalogue.graphql.core.ids import global_id_problem
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    ListValueNode,
    Node,
    ObjectFieldNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableNode,
    Visitor,
    get_named_type,
    get_operation_ast,
    is_input_type,
    type_from_ast,
    visit,
)

BAD_USER_INPUT = "BAD_USER_INPUT"
#: More values than any list argument needs. The values of a list become bind parameters,
#: and PostgreSQL takes at most 65,535 in one statement; literal lists are shorter still,
#: as the token limit caps the document.
MAX_LIST_LENGTH = 10_000
MAX_ERRORS = 10
#: Every backend and Python can represent these, also after a shift of ±14 hours.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
DATETIME_EXAMPLE = "fx 2027-03-01T09:00:00+01:00"


def datetime_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a DateTime argument, in Danish; or None."""
    if not isinstance(value, str):
        return f"skal være et tidspunkt som tekst i ISO 8601, {DATETIME_EXAMPLE}"
    try:
        parsed = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        return f"er ikke et gyldigt tidspunkt; brug ISO 8601, {DATETIME_EXAMPLE}"
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return f"skal have en tidszone, {DATETIME_EXAMPLE}"
    try:
        in_range = EARLIEST <= parsed.astimezone(UTC) <= LATEST
    except (OverflowError, ValueError):
        in_range = False
    if not in_range:
        return f"skal ligge mellem år {EARLIEST.year} og {LATEST.year}"
    return None


def node_type_names(schema: GraphQLSchema) -> frozenset[str]:
    return frozenset(
        name
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and any(interface.name == "Node" for interface in graphql_type.interfaces)
    )


class _Walk:
    """Collects problems; ``where`` is the argument or variable path, e.g. ``$input.courseId``."""

    def __init__(self, type_names: Collection[str]) -> None:
        self.type_names = type_names
        self.errors: list[GraphQLError] = []

    def fail(self, where: str, problem: str, node: Node | None) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(
                GraphQLError(
                    f"'{where}' {problem}.",
                    nodes=node,
                    extensions={"code": BAD_USER_INPUT, "field": where},
                )
            )

    def scalar(self, value: Any, scalar: GraphQLScalarType, where: str, node: Node | None) -> None:
        if problem := self._scalar_problem(value, scalar.name):
            self.fail(where, problem, node)

    def _scalar_problem(self, value: Any, scalar_name: str) -> str | None:
        if isinstance(value, str) and "\x00" in value:
            return "må ikke indeholde NUL-tegnet (\\u0000)"
        if isinstance(value, float) and not math.isfinite(value):
            return "skal være et endeligt tal, ikke NaN eller Infinity"
        if scalar_name == "ID":
            return global_id_problem(value, self.type_names)
        if scalar_name == "DateTime":
            return datetime_problem(value)
        return None

    def value(self, value: Any, input_type: GraphQLInputType, where: str, node: Node) -> None:
        """A variable's JSON value against its declared type."""
        if value is None or len(self.errors) >= MAX_ERRORS:
            return
        if isinstance(input_type, GraphQLNonNull):
            self.value(value, input_type.of_type, where, node)
        elif isinstance(input_type, GraphQLList):
            if not isinstance(value, list):
                self.value(value, input_type.of_type, where, node)
            elif len(value) > MAX_LIST_LENGTH:
                self.fail(where, self._too_many(len(value)), node)
            else:
                for index, item in enumerate(value):
                    self.value(item, input_type.of_type, f"{where}[{index}]", node)
        elif isinstance(input_type, GraphQLInputObjectType):
            if isinstance(value, Mapping):
                for name, field in input_type.fields.items():
                    if name in value:
                        self.value(value[name], field.type, f"{where}.{name}", node)
        elif isinstance(input_type, GraphQLScalarType):
            self.scalar(value, input_type, where, node)

    @staticmethod
    def _too_many(count: int) -> str:
        return f"har {count} værdier; højst {MAX_LIST_LENGTH} er tilladt"


class _Literals(Visitor):
    """Literal arguments in the document, checked with the input type TypeInfo knows for them."""

    def __init__(self, walk: _Walk, type_info: TypeInfo) -> None:
        super().__init__()
        self.walk = walk
        self.type_info = type_info
        self.path: list[str] = []
        self.uses: dict[str, str] = {}

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        self.path.append(node.name.value)

    def leave_argument(self, *_: Any) -> None:
        self.path.pop()

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self.path.append(node.name.value)

    def leave_object_field(self, *_: Any) -> None:
        self.path.pop()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        if self.path:
            self.uses.setdefault(node.name.value, ".".join(self.path))

    def enter_list_value(self, node: ListValueNode, *_: Any) -> None:
        if len(node.values) > MAX_LIST_LENGTH:
            self.walk.fail(".".join(self.path), _Walk._too_many(len(node.values)), node)

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        named = get_named_type(self.type_info.get_input_type())
        if isinstance(named, GraphQLScalarType) and self.path:
            self.walk.scalar(node.value, named, ".".join(self.path), node)


def input_errors(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> list[GraphQLError]:
    """Problems in the arguments of the operation to run; empty when it may run."""
    walk = _Walk(node_type_names(schema))
    type_info = TypeInfo(schema)
    literals = _Literals(walk, type_info)
    visit(document, TypeInfoVisitor(type_info, literals))
    operation = get_operation_ast(document, operation_name)
    if isinstance(operation, OperationDefinitionNode) and variables:
        for definition in operation.variable_definitions or ():
            name = definition.variable.name.value
            declared = type_from_ast(schema, definition.type)
            if name in variables and is_input_type(declared):
                where = literals.uses.get(name, f"${name}")
                walk.value(variables[name], declared, where, definition)
    return walk.errors


class InputRules(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.pre_execution_errors is None:
            errors = input_errors(
                context.schema._schema,
                context.graphql_document,
                context.variables,
                context.operation_name,
            )
            if errors:
                context.pre_execution_errors = errors
        yield
