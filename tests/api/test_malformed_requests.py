"""Malformed HTTP requests: each is a 4xx with a GraphQL-shaped error, never a plain 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from strawberry.relay import to_base64

from catalogue.app import create_app
from catalogue.models import Role
from catalogue.settings import Settings
from tests.api.tokens import person, token_for

DEEP = 100_000
JSON = {"Content-Type": "application/json"}


def _deep(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["message"]
    assert error["extensions"]["code"]
    return dict(error)


MALFORMED = {
    "variables nested 100,000 deep": '{"query": "{ __typename }", "variables": '
    + _deep(DEEP)
    + "}",
    "extensions nested 100,000 deep": '{"query": "{ __typename }", "extensions": '
    + _deep(DEEP)
    + "}",
    "a JSON string": '"{ __typename }"',
    "a JSON number": "42",
    "not JSON": "{ __typename }",
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_body_is_a_400_in_the_graphql_error_shape(
    client: TestClient, body: str
) -> None:
    error = _error(client.post("/graphql", content=body, headers=JSON), 400)
    assert error["extensions"]["code"] == "BAD_REQUEST"


def test_invalid_utf8_is_a_400_naming_utf8(client: TestClient) -> None:
    body = b'{"query": "{ courses(filter: {search: \\"\xff\xfe\\"}) { totalCount } }"}'
    error = _error(client.post("/graphql", content=body, headers=JSON), 400)
    assert "UTF-8" in error["message"]


def test_a_list_of_operations_is_refused_in_danish(client: TestClient) -> None:
    body = '[{"query": "{ __typename }"}]'
    error = _error(client.post("/graphql", content=body, headers=JSON), 400)
    assert error["message"].startswith("Send én operation ad gangen")


def test_an_enrolment_id_past_64_bits_is_a_400_not_an_overflow(
    client: TestClient, session: Session, settings: Settings
) -> None:
    token = token_for(settings, person(session, is_hr=True), Role.HR)
    response = client.get(
        f"/calendar/enrolments/{to_base64('Enrolment', 99999999999999999999)}.ics",
        headers={"Authorization": f"Bearer {token}"},
    )
    error = _error(response, 400)
    assert "/calendar/enrolments/<id>.ics" in error["message"]
    assert "nummeret skal være et heltal" in error["message"]


@pytest.fixture
def small_limits(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[tuple[TestClient, Settings]]:
    small = settings.model_copy(
        update={"max_request_body_bytes": 2048, "max_request_header_bytes": 2048}
    )
    with TestClient(create_app(small, engine=engine, session_factory=session_factory)) as client:
        yield client, small


def _padded_query(size: int) -> bytes:
    frame = '{"query": "{ __typename }", "variables": {"pad": "%s"}}'
    return (frame % ("x" * (size - len(frame) + 2))).encode()


def test_a_body_up_to_the_limit_runs_and_one_byte_more_is_a_413(
    small_limits: tuple[TestClient, Settings],
) -> None:
    client, small = small_limits
    at_limit = _padded_query(small.max_request_body_bytes)
    assert len(at_limit) == small.max_request_body_bytes
    assert client.post("/graphql", content=at_limit, headers=JSON).status_code == 200

    error = _error(client.post("/graphql", content=at_limit + b" ", headers=JSON), 413)
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert str(small.max_request_body_bytes) in error["message"]


def test_a_streamed_body_without_length_is_counted_as_it_arrives(
    small_limits: tuple[TestClient, Settings],
) -> None:
    client, small = small_limits
    body = _padded_query(small.max_request_body_bytes * 4)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    response = client.post("/graphql", content=chunks(), headers=JSON)
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert _error(response, 413)["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_headers_past_the_limit_are_a_431(small_limits: tuple[TestClient, Settings]) -> None:
    client, small = small_limits
    response = client.get("/healthz", headers={"X-Padding": "x" * small.max_request_header_bytes})
    error = _error(response, 431)
    assert error["extensions"]["code"] == "REQUEST_HEADER_FIELDS_TOO_LARGE"
    assert client.get("/healthz").status_code == 200
