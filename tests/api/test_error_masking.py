"""Internal errors in production: logged with the request id, shown as a generic Danish error."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.graphql.core.masking import masked_message
from catalogue.services import course_search
from catalogue.settings import Settings

REQUEST_ID = "fejl-test-0001"
COURSES = "{ courses(first: 1) { totalCount } }"


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("forbindelsen til databasen røg (intern detalje)")


def _client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> TestClient:
    return TestClient(create_app(settings, engine=engine, session_factory=session_factory))


@pytest.fixture
def prod_client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    prod = Settings(env="prod", database_url=settings.database_url, secret_key=settings.secret_key)
    with _client(prod, engine, session_factory) as client:
        yield client


def _post(client: TestClient, query: str) -> tuple[dict[str, Any], str]:
    response = client.post("/graphql", json={"query": query}, headers={"X-Request-ID": REQUEST_ID})
    assert response.status_code == 200
    return response.json(), response.headers["X-Request-ID"]


def test_an_unexpected_error_is_shown_generically_with_the_request_id_and_logged_in_full(
    prod_client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(course_search, "course_search_statement", _fail)
    with caplog.at_level(logging.ERROR):
        body, request_id = _post(prod_client, COURSES)

    assert request_id == REQUEST_ID
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == masked_message(REQUEST_ID)
    assert REQUEST_ID in error["message"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": REQUEST_ID}
    assert error["path"] == ["courses"]
    assert "databasen" not in str(body)

    [logged] = [
        record.msg
        for record in caplog.records
        if record.name == "catalogue.graphql" and isinstance(record.msg, dict)
    ]
    assert logged["event"] == "graphql.unexpected_error"
    assert logged["request_id"] == REQUEST_ID
    assert logged["graphql_path"] == "courses"
    assert logged["error_type"] == "RuntimeError"
    assert "forbindelsen til databasen røg" in logged["error"]
    assert isinstance(logged["exc_info"], RuntimeError)


def test_expected_errors_keep_their_message_in_production(prod_client: TestClient) -> None:
    body, _ = _post(prod_client, "{ competenceCoverage { isGap } }")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"].startswith("Log ind")


def test_invalid_queries_keep_their_message_in_production(prod_client: TestClient) -> None:
    body, _ = _post(prod_client, "{ courses { noSuchField } }")
    [error] = body["errors"]
    assert "noSuchField" in error["message"]


def test_development_shows_the_original_error(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(course_search, "course_search_statement", _fail)
    with _client(settings, engine, session_factory) as client:
        body, _ = _post(client, COURSES)
    assert "forbindelsen til databasen røg" in body["errors"][0]["message"]


CREATE = "mutation($i: CourseCreateInput!) { courseCreate(input: $i) { course { id } } }"
PAGE = "query($n: Int) { courses(first: $n) { totalCount } }"
KINDS = "query($k: [CourseKind!]) { courses(filter: {kind: $k}) { totalCount } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"

CLIENT_MISTAKES = {
    "string given a number": (CREATE, {"i": {"title": 123}}, "BAD_USER_INPUT", "title"),
    "unknown enum value": (KINDS, {"k": ["NOPE"]}, "BAD_USER_INPUT", "NOPE"),
    "input null": (CREATE, {"i": None}, "BAD_USER_INPUT", "$i"),
    "first not a number": (PAGE, {"n": "ten"}, "BAD_USER_INPUT", "ten"),
    "first past 32 bits": (PAGE, {"n": 2147483648}, "BAD_USER_INPUT", "2147483648"),
    "empty global id": (NODE, {"id": ""}, "BAD_USER_INPUT", "'id' er ikke et gyldigt id"),
    "empty global id literal": (
        '{ node(id: "") { id } }',
        {},
        "BAD_USER_INPUT",
        "'id' er ikke et gyldigt id",
    ),
    "literal past 32 bits": (
        "{ courses(first: 2147483648) { totalCount } }",
        {},
        "GRAPHQL_VALIDATION_FAILED",
        "2147483648",
    ),
    "syntax error": ("{ courses {", {}, "GRAPHQL_PARSE_FAILED", "Syntax Error"),
}


@pytest.mark.parametrize(
    ("query", "variables", "code", "said"), CLIENT_MISTAKES.values(), ids=CLIENT_MISTAKES.keys()
)
def test_client_mistakes_keep_their_message_and_a_client_code_in_production(
    prod_client: TestClient,
    caplog: pytest.LogCaptureFixture,
    query: str,
    variables: dict[str, Any],
    code: str,
    said: str,
) -> None:
    with caplog.at_level(logging.ERROR):
        response = prod_client.post("/graphql", json={"query": query, "variables": variables})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert said in error["message"]
    assert not [r for r in caplog.records if r.name == "catalogue.graphql"]
