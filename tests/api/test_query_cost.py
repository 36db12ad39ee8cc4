"""The query cost limit: computed from the document and page sizes before anything runs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.graphql.core.query_cost import operation_cost
from catalogue.graphql.schema import build_schema
from catalogue.settings import Settings
from graphql import get_introspection_query, get_variable_values, parse
from tests.api.graphql_client import gql
from tests.api.lms_operations import OPERATIONS
from tests.api.test_sql_counts import counted_statements


def nested_under_aliases(levels: int, aliases: int) -> str:
    """The reported query: courses → competenceLinks → statement → courses, under aliases."""
    inner = ""
    for _ in range(levels):
        inner = f"courses {{ nodes {{ title competenceLinks {{ statement {{ key {inner} }} }} }} }}"
    return "{ " + " ".join(f"a{i}: {inner}" for i in range(aliases)) + " }"


def cost_of(settings: Settings, query: str, variables: dict[str, Any] | None = None) -> int:
    schema = build_schema(settings)._schema
    document = parse(query)
    [operation] = [d for d in document.definitions if hasattr(d, "operation")]
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    assert not isinstance(coerced, list), coerced
    return operation_cost(
        schema,
        document,
        None,
        coerced,
        max_page_size=settings.max_page_size,
        list_size=settings.query_cost_list_size,
    )


@pytest.fixture
def limited(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[TestClient, Settings]]:
    """A limit small enough to sit between a page of 5 and a page of 6."""
    small = settings.model_copy(update={"max_query_cost": 5 * (1 + 10) + 1})
    with TestClient(create_app(small, engine=engine, session_factory=session_factory)) as client:
        yield client, small


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def test_the_nested_query_under_aliases_is_refused_with_its_cost_before_any_sql(
    client: TestClient, connection: Connection, settings: Settings
) -> None:
    query = nested_under_aliases(levels=3, aliases=settings.max_aliases)
    with counted_statements(connection) as statements:
        body = gql(client, query)
    assert body["data"] is None
    [error] = body["errors"]
    cost = cost_of(settings, query)
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "cost": cost,
        "limit": settings.max_query_cost,
    }
    assert error["message"].startswith(
        f"Forespørgslen er for kompleks: den kan hente op til {cost} objekter; "
        f"højst {settings.max_query_cost} er tilladt."
    )
    assert statements == []


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_the_lms_operations_stay_within_the_limit_at_page_size_100(
    settings: Settings, name: str
) -> None:
    variables = {"first": 100, "since": "2000-01-01T00:00:00+00:00", "id": "UGVyc29uOjE="}
    document = OPERATIONS[name].document
    definitions = parse(document).definitions[0].variable_definitions or ()  # type: ignore[attr-defined]
    used = {v.variable.name.value for v in definitions}
    cost = cost_of(settings, document, {k: v for k, v in variables.items() if k in used})
    assert 0 < cost <= settings.max_query_cost


def test_the_introspection_query_of_graphiql_stays_within_the_limit(settings: Settings) -> None:
    assert cost_of(settings, get_introspection_query()) <= settings.max_query_cost


def test_a_connection_costs_its_first_and_a_plain_list_the_list_size(settings: Settings) -> None:
    assert cost_of(settings, "{ courses(first: 5) { totalCount nodes { title } } }") == 1 + 5
    assert cost_of(settings, "{ courses(first: 5) { edges { node { runs { code } } } } }") == (
        1 + 5 * (1 + 1 + settings.query_cost_list_size)
    )
    # No ``first``: a page as large as the API gives.
    assert cost_of(settings, "{ courses { nodes { title } } }") == 1 + settings.max_page_size


def test_a_named_fragment_costs_as_often_as_it_is_spread(settings: Settings) -> None:
    once = "{ courses(first: 3) { nodes { ...C } } } fragment C on Course { runs { code } }"
    twice = "{ a: courses(first: 3) { nodes { ...C } } b: courses(first: 3) { nodes { ...C } } }"
    twice += " fragment C on Course { runs { code } }"
    assert cost_of(settings, twice) == 2 * cost_of(settings, once)


def test_first_from_a_variable_costs_its_value_at_and_past_the_limit(
    limited: tuple[TestClient, Settings],
) -> None:
    client, small = limited
    query = "query($n: Int) { courses(first: $n) { nodes { runs { code } } } }"
    at_limit = gql(client, query, {"n": 5})
    assert "errors" not in at_limit
    assert cost_of(small, query, {"n": 5}) == small.max_query_cost

    too_complex = gql(client, query, {"n": 6})
    assert too_complex["data"] is None
    assert _codes(too_complex) == ["QUERY_TOO_COMPLEX"]
    assert too_complex["errors"][0]["extensions"]["cost"] == 1 + 6 * 11


def test_a_variable_that_does_not_coerce_is_the_clients_mistake_not_a_cost(
    limited: tuple[TestClient, Settings],
) -> None:
    client, _ = limited
    body = gql(client, "query($n: Int) { courses(first: $n) { totalCount } }", {"n": "ten"})
    assert body["data"] is None
    assert _codes(body) == ["BAD_USER_INPUT"]
    assert "$n" in body["errors"][0]["message"]
