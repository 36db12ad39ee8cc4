"""Who may see whose personal data (docs/architecture.md §6), field by field, role by role.

The personal fields are found from the schema itself (their description says so),
so a personal field added later is covered without touching this test.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.graphql.schema import build_schema
from catalogue.models import Person, Role
from catalogue.settings import Settings
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type
from tests.api.graphql_client import gql
from tests.api.tokens import token_for

PERSONAL_MARK = "Personlige data"


def _selection(field_type: Any) -> str:
    named = get_named_type(field_type)
    return " { __typename }" if isinstance(named, GraphQLObjectType) else ""


def personal_fields() -> list[tuple[str, str]]:
    """(field name, selection) for every personal field of Person."""
    graphql_schema = build_schema(Settings())._schema
    person = graphql_schema.type_map["Person"]
    assert isinstance(person, GraphQLObjectType)
    found = []
    for name, field in person.fields.items():
        if field.description and PERSONAL_MARK in field.description:
            required_args = [
                a
                for a, arg in field.args.items()
                if isinstance(arg.type, GraphQLNonNull) and arg.default_value is None
            ]
            if required_args:
                continue
            found.append((name, name + _selection(field.type)))
    return found


PERSONAL = personal_fields()


def test_person_has_personal_fields() -> None:
    names = {name for name, _ in PERSONAL}
    assert {"email", "roles", "lmsUserId"} <= names


@pytest.fixture
def org(session: Session) -> dict[str, Person]:
    """A chef, one of their leaders, and a leader in another chef's unit."""
    chef = session.scalars(
        select(Person)
        .where(Person.is_chef.is_(True), Person.manager_id.is_not(None))
        .order_by(Person.email)
    ).first()
    assert chef is not None
    report = session.scalars(
        select(Person).where(Person.manager_id == chef.id).order_by(Person.email)
    ).first()
    stranger = session.scalars(
        select(Person)
        .where(
            Person.is_leader.is_(True),
            Person.is_chef.is_(False),
            Person.manager_id.is_not(None),
            Person.manager_id != chef.id,
        )
        .order_by(Person.email)
    ).first()
    hr = session.scalars(select(Person).where(Person.is_hr.is_(True))).first()
    admin = session.scalars(select(Person).where(Person.is_admin.is_(True))).first()
    lms = session.scalars(select(Person).where(Person.is_lms.is_(True))).first()
    assert report is not None
    assert stranger is not None
    assert hr is not None
    assert admin is not None
    assert lms is not None
    return {
        "chef": chef,
        "report": report,
        "stranger": stranger,
        "hr": hr,
        "admin": admin,
        "lms": lms,
    }


# (viewer, role, target) -> may see
MATRIX = [
    ("report", Role.LEADER, "report", True),
    ("report", Role.LEADER, "stranger", False),
    ("report", Role.LEADER, "chef", False),
    ("chef", Role.CHEF, "report", True),
    ("chef", Role.CHEF, "stranger", False),
    ("chef", Role.LEADER, "chef", True),
    ("hr", Role.HR, "stranger", True),
    ("admin", Role.ADMIN, "report", True),
    ("lms", Role.LMS, "report", True),
]


@pytest.mark.parametrize(("field", "selection"), PERSONAL, ids=[f for f, _ in PERSONAL])
@pytest.mark.parametrize(("viewer", "role", "target", "allowed"), MATRIX)
def test_personal_field_by_role_and_relation(
    client: TestClient,
    settings: Settings,
    org: dict[str, Person],
    field: str,
    selection: str,
    viewer: str,
    role: Role,
    target: str,
    allowed: bool,
) -> None:
    token = token_for(settings, org[viewer], role)
    target_id = to_base64("Person", org[target].id)
    direct = gql(
        client,
        f"query($id: ID!) {{ person(id: $id) {{ id {selection} }} }}",
        {"id": target_id},
        token=token,
    )
    by_node = gql(
        client,
        f"query($id: ID!) {{ node(id: $id) {{ ... on Person {{ id {selection} }} }} }}",
        {"id": target_id},
        token=token,
    )
    for body in (direct, by_node):
        data = body["data"]["person" if "person" in body["data"] else "node"]
        if allowed:
            assert "errors" not in body, body
            assert data is not None
            assert field in data
        else:
            assert data is None, body  # the person is not even visible


def test_nested_paths_do_not_leak_personal_data(
    client: TestClient, settings: Settings, org: dict[str, Person]
) -> None:
    token = token_for(settings, org["report"], Role.LEADER)
    body = gql(client, "{ me { name manager { name email } } }", token=token)
    assert body["data"] is None or body["data"]["me"]["manager"] is None or "errors" in body
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["errors"][0]["path"][-1] == "email"
    own = gql(client, "{ me { email manager { name } } }", token=token)
    assert own["data"]["me"]["email"] == org["report"].email
    assert own["data"]["me"]["manager"]["name"] == org["chef"].name


@pytest.mark.parametrize(("field", "selection"), PERSONAL, ids=[f for f, _ in PERSONAL])
def test_without_a_token_nothing_personal_is_readable(
    client: TestClient, org: dict[str, Person], field: str, selection: str
) -> None:
    target_id = to_base64("Person", org["report"].id)
    body = gql(
        client, f"query($id: ID!) {{ person(id: $id) {{ {selection} }} }}", {"id": target_id}
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    node = gql(
        client,
        f"query($id: ID!) {{ node(id: $id) {{ ... on Person {{ {selection} }} }} }}",
        {"id": target_id},
    )
    assert node["data"]["node"] is None
