"""A role may do what its entry in the capability table says, and nothing more.

The table is complete (every role has an entry and a flag column, every
capability some holder), and no code grants by role name: a role whose entry
is emptied gets nothing, query by query and mutation by mutation, which is what
a newly added role with no capabilities gets. The guarded queries are found in
the schema, so a guard added later is tried without touching this test.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Boolean, select
from sqlalchemy.orm import Session
from strawberry.types.field import StrawberryField

from catalogue.graphql.core.permissions import RequireCapability
from catalogue.graphql.schema import build_schema
from catalogue.models import CourseStatus, EnrolmentStatus, Person, Role
from catalogue.models.person import role_flag
from catalogue.services import capabilities, completions, course_search, enrolments, people
from catalogue.services.capabilities import ROLE_CAPABILITIES, Capability
from catalogue.services.errors import DomainError
from catalogue.services.identity import Viewer
from catalogue.settings import Settings
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.enrolment.factories import make_run, stored_enrolment
from tests.enrolment.operations import error_codes, gid, mutate


def test_every_role_has_an_entry_in_the_capability_table() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role)


def test_every_role_is_stored_in_a_flag_column_of_its_own() -> None:
    columns = Person.__table__.columns
    for role in Role:
        assert role_flag(role) in columns, role
        assert isinstance(columns[role_flag(role)].type, Boolean), role


def test_every_capability_is_granted_by_some_role() -> None:
    granted = set().union(*ROLE_CAPABILITIES.values())
    assert granted == set(Capability)


def test_the_field_description_names_the_capability_and_the_roles_holding_it() -> None:
    schema = build_schema(Settings())._schema
    audit_log = schema.type_map["Query"].fields["auditLog"]  # type: ignore[attr-defined]
    assert "Kræver audit.read (rollen ADMIN eller HR)." in audit_log.description


def guarded_queries() -> list[tuple[str, str]]:
    """(field name, query) for every Query field behind a capability guard."""
    schema = build_schema(Settings())
    query_type = schema._schema.type_map["Query"]
    assert isinstance(query_type, GraphQLObjectType)
    strawberry_fields: list[StrawberryField] = schema.query.__strawberry_definition__.fields
    guarded = {
        schema.config.name_converter.from_field(f)
        for f in strawberry_fields
        if any(isinstance(e, RequireCapability) for e in f.extensions)
    }
    found = []
    for name, field in query_type.fields.items():
        if name not in guarded:
            continue
        required = [a for a, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)]
        params = "($id: ID!)" if required else ""
        args = "(" + ", ".join(f"{a}: $id" for a in required) + ")" if required else ""
        named = get_named_type(field.type)
        selection = " { __typename }" if isinstance(named, GraphQLObjectType) else ""
        found.append((name, f"query{params} {{ {name}{args}{selection} }}"))
    return found


GUARDED_QUERIES = guarded_queries()


def test_the_personal_and_curating_queries_are_guarded() -> None:
    names = {name for name, _ in GUARDED_QUERIES}
    assert {"me", "person", "people", "enrolments", "myTeam", "completions"} <= names
    assert {"auditLog", "syncRuns", "competenceCoverage"} <= names


@pytest.fixture(params=list(Role), ids=str)
def emptied_role(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Role:
    """One role at a time with its table entry emptied, as a new role with nothing would be."""
    role: Role = request.param
    table = MappingProxyType({**ROLE_CAPABILITIES, role: frozenset[Capability]()})
    monkeypatch.setattr(capabilities, "ROLE_CAPABILITIES", table)
    return role


def _holder(session: Session, role: Role, *, besides: Person | None = None) -> Person:
    """An active person holding ``role``; a role nobody holds yet (a new one) is given to one."""
    statement = select(Person).where(Person.active.is_(True)).order_by(Person.id)
    if besides is not None:
        statement = statement.where(Person.id != besides.id)
    person = session.scalars(statement.where(Person.holds_any([role]))).first()
    if person is None:
        person = session.scalars(statement).first()
        assert person is not None
        person.set_roles(person.roles | {role})
        session.flush()
    return person


def test_a_role_with_an_empty_entry_is_refused_every_guarded_query(
    client: TestClient, session: Session, settings: Settings, emptied_role: Role
) -> None:
    holder = _holder(session, emptied_role)
    token = token_for(settings, holder, emptied_role)
    own_id = gid("Person", holder.id)
    for name, query in GUARDED_QUERIES:
        body = gql(client, query, {"id": own_id} if "$id" in query else None, token=token)
        codes = [error["extensions"]["code"] for error in body.get("errors", [])]
        assert codes == ["FORBIDDEN"], (name, body)
    node = gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Person { email } } }",
        {"id": own_id},
        token=token,
    )
    assert node["data"]["node"] is None, node  # not even their own personal data


def test_a_role_with_an_empty_entry_is_refused_every_enrolment_mutation(
    client: TestClient, session: Session, settings: Settings, emptied_role: Role
) -> None:
    holder = _holder(session, emptied_role)
    token = token_for(settings, holder, emptied_role)
    run = make_run(session, approval_required=True, activities=[True])
    own = stored_enrolment(session, run, holder, EnrolmentStatus.ENROLLED)
    leader = _holder(session, Role.LEADER, besides=holder)
    other = stored_enrolment(session, run, leader, EnrolmentStatus.REQUESTED)
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("enrol", {"courseRunId": gid("CourseRun", run.id)}),
        ("withdraw", {"enrolmentId": gid("Enrolment", own.id)}),
        ("approveEnrolment", {"enrolmentId": gid("Enrolment", other.id)}),
        ("rejectEnrolment", {"enrolmentId": gid("Enrolment", other.id), "reason": "Nej."}),
        (
            "recordCompletion",
            {
                "personId": gid("Person", holder.id),
                "activityId": gid("Activity", run.course.activities[0].id),
                "completedAt": "2026-11-30T12:00:00+00:00",
            },
        ),
    ]
    for name, payload in attempts:
        assert error_codes(mutate(client, name, payload, token)) == ["FORBIDDEN"], name


def test_a_role_with_an_empty_entry_passes_no_rule_in_the_services(
    session: Session, emptied_role: Role
) -> None:
    holder = _holder(session, emptied_role)
    viewer = Viewer(person_id=holder.id, email=holder.email, roles=frozenset({emptied_role}))
    someone_else = _holder(session, Role.LEADER, besides=holder)
    assert viewer.capabilities == frozenset()
    assert people.visible_person_ids(session, viewer) == set()
    assert not enrolments.may_approve_for(session, viewer, someone_else.id)
    assert not course_search.may_see_course(viewer, CourseStatus.DRAFT)
    with pytest.raises(DomainError, match=re.escape(Capability.CATALOGUE_READ_DRAFTS)):
        course_search.allowed_statuses(viewer, [CourseStatus.DRAFT], tombstones=False)
    with pytest.raises(DomainError, match=re.escape(Capability.COMPLETION_RECORD)):
        completions.require_completion_recorder(viewer)
