"""A client's mistake in an argument is a BAD_USER_INPUT error naming it, never an incident.

Each input below once reached the database driver or Python's int/datetime limits and
came back as an unexpected error with a traceback in the log. Each is now refused
before execution, with the argument named, nothing logged above INFO and nothing
stored changed. Both backends run every case.
"""

from __future__ import annotations

import json
import logging
from base64 import b64encode
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import Course, CourseStatus, Role
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for


def raw_id(text: str) -> str:
    return b64encode(text.encode()).decode()


NODE = "query($id: ID!) { node(id: $id) { id } }"
COURSE = "query($id: ID!) { course(id: $id) { id } }"
FILTER = "query($f: CourseFilterInput) { courses(first: 5, filter: $f) { totalCount } }"
UPDATE = """mutation($input: CourseUpdateInput!) {
  courseUpdate(input: $input) { course { title } userErrors { field message code } }
}"""

# (name, query, variables, the argument the error must name)
CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("id beyond 32 bits", NODE, {"id": raw_id("Course:99999999999999999999")}, "id"),
    ("id just beyond 32 bits", COURSE, {"id": raw_id("Course:2147483648")}, "id"),
    ("non-ASCII digit", NODE, {"id": raw_id("Course:²")}, "id"),
    ("Arabic-Indic digits", COURSE, {"id": raw_id("Course:١٢")}, "id"),
    ("5,000 digits", NODE, {"id": raw_id("Course:" + "9" * 5000)}, "id"),
    ("unknown type", NODE, {"id": raw_id("Kursus:1")}, "id"),
    ("not base64", COURSE, {"id": "!!!"}, "id"),
    ("zero", NODE, {"id": raw_id("Course:0")}, "id"),
    ("NUL in a filter", FILTER, {"f": {"search": "ledelse\x00"}}, "filter.search"),
    ("NUL in a list", FILTER, {"f": {"kind": ["EVENT"], "language": "d\x00a"}}, "filter.language"),
    ("year 1 east of UTC", FILTER, {"f": {"updatedSince": "0001-01-01T00:00:00+01:00"}}, ""),
    ("year 9999 west of UTC", FILTER, {"f": {"startsAfter": "9999-12-31T23:59:59-14:00"}}, ""),
    ("naive datetime", FILTER, {"f": {"updatedSince": "2026-01-01T00:00:00"}}, ""),
    ("not a datetime", FILTER, {"f": {"startsBefore": "i morgen"}}, ""),
    ("list of 70,000", FILTER, {"f": {"kind": ["EVENT"] * 70_000}}, "filter.kind"),
    ("list of 10,001", FILTER, {"f": {"kind": ["EVENT"] * 10_001}}, "filter.kind"),
    ("id in a mutation input", UPDATE, {"input": {"id": raw_id("Course:1e9"), "title": "X"}}, ""),
]
EXPECTED_FIELD = {
    "year 1 east of UTC": "filter.updatedSince",
    "year 9999 west of UTC": "filter.startsAfter",
    "naive datetime": "filter.updatedSince",
    "not a datetime": "filter.startsBefore",
    "id in a mutation input": "input.id",
}


def _refused(body: dict[str, Any], field: str) -> None:
    assert body.get("data") is None, body
    errors = body["errors"]
    assert len(errors) == 1, errors
    error = errors[0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, error
    assert error["message"].startswith(f"'{field}' "), error
    assert len(error["message"]) < 200, error


@pytest.fixture
def hr_token(settings: Settings, session: Session) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


@pytest.mark.parametrize(("name", "query", "variables", "field"), CASES, ids=[c[0] for c in CASES])
def test_bad_argument_is_a_user_error_naming_it(
    client: TestClient,
    hr_token: str,
    caplog: pytest.LogCaptureFixture,
    name: str,
    query: str,
    variables: dict[str, Any],
    field: str,
) -> None:
    caplog.set_level(logging.INFO)
    body = gql(client, query, variables, token=hr_token)
    _refused(body, field or EXPECTED_FIELD[name])
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_the_same_arguments_well_formed_still_work(
    client: TestClient, hr_token: str, session: Session
) -> None:
    course = session.scalars(select(Course).where(Course.status == CourseStatus.PUBLISHED)).first()
    assert course is not None
    found = gql(client, COURSE, {"id": to_base64("Course", course.id)}, token=hr_token)
    assert found["data"]["course"]["id"] == to_base64("Course", course.id)
    missing = gql(client, NODE, {"id": to_base64("Course", 2**31 - 1)}, token=hr_token)
    assert missing == {"data": {"node": None}}
    filtered = gql(
        client,
        FILTER,
        {
            "f": {
                "updatedSince": "1900-01-01T00:00:00+00:00",
                "startsBefore": "2999-12-31T23:59:59Z",
                "search": "ledelse",
                "kind": ["EVENT"] * 10_000,
            }
        },
        token=hr_token,
    )
    assert "errors" not in filtered, filtered


def test_nul_in_a_literal_argument_names_it(client: TestClient, hr_token: str) -> None:
    body = gql(client, '{ courses(first: 5, filter: {search: "a\\u0000b"}) { totalCount } }')
    _refused(body, "filter.search")
    id_literal = gql(client, f'{{ node(id: "{raw_id("Course:²")}") {{ id }} }}', token=hr_token)
    _refused(id_literal, "id")


def test_a_refused_mutation_stores_nothing(
    client: TestClient, hr_token: str, session: Session
) -> None:
    course = session.scalars(select(Course).order_by(Course.id)).first()
    assert course is not None
    before = course.title
    body = gql(
        client,
        UPDATE,
        {"input": {"id": to_base64("Course", course.id), "title": "Ny\x00titel"}},
        token=hr_token,
    )
    _refused(body, "input.title")
    session.expire_all()
    assert session.get(Course, course.id).title == before  # type: ignore[union-attr]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_json_are_refused_where_they_stand(
    client: TestClient, caplog: pytest.LogCaptureFixture, number: str
) -> None:
    """They are not JSON: the body is refused before GraphQL reads it, with line and column."""
    caplog.set_level(logging.INFO)
    query = json.dumps(FILTER)
    body = f'{{"query": {query}, "variables": {{"f": {{"ectsMin": {number}}}}}}}'
    response = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    column = body.index(number.lstrip("-")) + 1  # orjson points past a minus sign
    assert f"linje 1, kolonne {column}" in error["message"]
    assert "NaN og Infinity er ikke tal i JSON" in error["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
