"""Each exposed type's field spec agrees with the schema and with the LMS's persisted documents.

The spec (``catalogue.graphql.core.field_spec``) is read from the types; the
LMS page's fast path is compiled from its document through it. These tests
hold the three together: the spec names what the schema serves, every plain
field a document selects is in it, and the fast path writes exactly the keys
its document selects, also for a document it has never seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from strawberry.types.base import get_object_definition

from catalogue.graphql.core.field_spec import field_spec
from catalogue.graphql.core.pagination import PageWindow
from catalogue.graphql.courses.lms_page import (
    FastPathUnavailableError,
    catalogue_page,
    compile_plan,
)
from catalogue.graphql.schema import NODE_TYPES, build_schema
from catalogue.settings import Settings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    SelectionSetNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    is_leaf_type,
    parse,
    visit,
)
from tests.api.lms_operations import OPERATIONS

PAGE = OPERATIONS["LmsCataloguePage"]
BY_NAME = {field_spec(node_type).type_name: node_type for node_type in NODE_TYPES}


def _resolved_fields(node_type: type, settings: Settings) -> set[str]:
    """The GraphQL names of the type's fields that have a resolver (and so no spec entry)."""
    converter = build_schema(settings).config.name_converter
    definition = get_object_definition(node_type, strict=True)
    return {
        converter.get_graphql_name(f)
        for f in definition.fields
        if f.base_resolver and f.python_name != "_id"
    }


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=lambda t: t.__name__)
def test_the_spec_names_the_plain_fields_the_schema_serves_in_its_order(
    node_type: type, settings: Settings
) -> None:
    schema_type = build_schema(settings)._schema.type_map[field_spec(node_type).type_name]
    assert isinstance(schema_type, GraphQLObjectType)
    resolved = _resolved_fields(node_type, settings)
    assert list(field_spec(node_type).scalars) == [
        n for n in schema_type.fields if n not in resolved
    ]


class _Leaves(Visitor):
    """(type, field) of every leaf field a document selects, in operations and fragments."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.leaves: list[tuple[str, str]] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        field_type = self.type_info.get_type()
        if (
            parent is not None
            and field_type is not None
            and is_leaf_type(get_named_type(field_type))
        ):
            self.leaves.append((parent.name, node.name.value))


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_plain_field_a_persisted_document_selects_is_in_its_types_spec(
    name: str, settings: Settings
) -> None:
    type_info = TypeInfo(build_schema(settings)._schema)
    leaves = _Leaves(type_info)
    visit(parse(OPERATIONS[name].document), TypeInfoVisitor(type_info, leaves))
    on_model_types = [(t, f) for t, f in leaves.leaves if t in BY_NAME and f != "__typename"]

    outside = [
        f"{t}.{f}"
        for t, f in on_model_types
        if f not in field_spec(BY_NAME[t]).scalars
        and f not in _resolved_fields(BY_NAME[t], settings)
    ]
    assert on_model_types
    assert outside == []


def _selection(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> list[tuple[str, list[Any]]]:
    """Each field's response key and sub-selection, fragment spreads inlined in place."""
    fields: list[tuple[str, list[Any]]] = []
    for node in selection_set.selections if selection_set else ():
        if isinstance(node, FragmentSpreadNode):
            fields += _selection(fragments[node.name.value].selection_set, fragments)
        else:
            assert isinstance(node, FieldNode)
            fields.append((node.name.value, _selection(node.selection_set, fragments)))
    return fields


def _assert_keys(value: Any, selection: list[tuple[str, list[Any]]], where: str) -> int:
    """Every object has exactly the selected keys in their order; returns the objects seen."""
    if isinstance(value, list):
        return sum(_assert_keys(item, selection, where) for item in value)
    if not selection or value is None:
        return 0
    assert list(value) == [key for key, _ in selection], where
    return 1 + sum(_assert_keys(value[key], sub, f"{where}.{key}") for key, sub in selection)


def _fast_page(session: Session, settings: Settings, document: str) -> dict[str, Any]:
    window = PageWindow.of(first=100, after=None, max_page_size=settings.max_page_size)
    return catalogue_page(session, None, window, compile_plan(document))


def _document_selection(document: str) -> list[tuple[str, list[Any]]]:
    parsed = parse(document)
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [operation] = [d for d in parsed.definitions if not isinstance(d, FragmentDefinitionNode)]
    return _selection(operation.selection_set, fragments)  # type: ignore[attr-defined]


def test_the_fast_path_writes_exactly_the_keys_its_document_selects(
    session: Session, settings: Settings
) -> None:
    data = _fast_page(session, settings, PAGE.document)

    objects = _assert_keys(data, _document_selection(PAGE.document), "data")
    assert objects > len(data["courses"]["nodes"]) * 2  # courses with what hangs under them


# Fields the persisted document does not select, one removed, and a list reordered.
EDITED = (
    PAGE.document.replace("  updatedAt\n  activities {", "  updatedAt\n  createdAt\n  activities {")
    .replace("    durationHours\n    lmsModuleId", "    lmsModuleId")
    .replace("    seatsLeft\n", "")
    .replace("  runs {\n    id\n", "  runs {\n    seatsLeft\n    id\n")
    .replace(
        "  updatedAt\n  statement {\n    key\n",
        "  updatedAt\n  removedAt\n  statement {\n    id\n    key\n    text\n",
    )
)


def test_a_document_edited_by_fields_alone_needs_no_code_in_the_fast_path(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """Its plan gives what normal execution gives for the edited text, key for key."""
    assert EDITED.count("createdAt") == EDITED.count("removedAt") == 1
    assert "text" in EDITED
    assert "durationHours" not in EDITED.split("activities {")[1]

    fast = _fast_page(session, settings, EDITED)
    response = client.post("/graphql", json={"query": EDITED, "variables": {"first": 100}})
    normal = response.json()

    assert "errors" not in normal
    assert json.dumps(fast, ensure_ascii=False) == json.dumps(normal["data"], ensure_ascii=False)
    assert _assert_keys(fast, _document_selection(EDITED), "data") > 0


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        (
            "    lmsModuleId\n",
            "    lmsModuleId\n    course {\n      code\n    }\n",
            "Activity: course",
        ),
        ("  runs {\n", "  runs @include(if: true) {\n", "direktiver"),
        ("  title\n", "  name: title\n", "alias name"),
        ("    seatsLeft\n", "    seatsLeft\n    course {\n      id\n    }\n", "CourseRun: course"),
    ],
)
def test_a_selection_the_fast_path_cannot_answer_is_refused_at_compile_by_name(
    old: str, new: str, named: str
) -> None:
    document = PAGE.document.replace(old, new, 1)
    assert document != PAGE.document

    with pytest.raises(FastPathUnavailableError) as refused:
        compile_plan(document)

    assert f"vælger noget, den hurtige vej ikke kan svare på ({named}" in str(refused.value)
    assert "catalogue/graphql/courses/lms_page.py" in str(refused.value)
