"""personDataExport and personErase over GraphQL: ADMIN only, bad ids, twice, nested reads."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, Person, Role
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.enrolment.factories import Org, new_leader
from tests.enrolment.operations import gid
from tests.privacy.history import MOTIVATION, leader_with_history

ERRORS = "userErrors { field message code }"
EXPORT = f"""
mutation Export($input: PersonDataExportInput!) {{
  personDataExport(input: $input) {{ data {ERRORS} }}
}}"""
ERASE = f"""
mutation Erase($input: PersonEraseInput!) {{
  personErase(input: $input) {{
    person {{ id name email erasedAt roles enrolments {{ motivation }} }}
    erasure {{ erasedAt forced withdrawnEnrolments anonymisedEnrolments
               anonymisedCompletions anonymisedAuditEntries }}
    {ERRORS}
  }}
}}"""

PERSONAS: dict[str, tuple[str, Role] | None] = {
    "anonymous": None,
    "leader": ("leader", Role.LEADER),
    "chef": ("chef", Role.CHEF),
    "hr": ("hr", Role.HR),
    "lms": ("lms", Role.LMS),
    "admin": ("admin", Role.ADMIN),
}


def _token(settings: Settings, org: Org, persona: str) -> str | None:
    spec = PERSONAS[persona]
    if spec is None:
        return None
    attribute, role = spec
    return token_for(settings, getattr(org, attribute), role)


def _call(
    client: TestClient, document: str, name: str, payload: dict[str, Any], token: str | None
) -> dict[str, Any]:
    body = gql(client, document, {"input": payload}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditLogEntry)) or 0


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_only_admin_may_export_a_persons_data(
    client: TestClient, session: Session, settings: Settings, org: Org, persona: str
) -> None:
    history = leader_with_history(session, org)
    before = _audit_count(session)
    token = _token(settings, org, persona)
    # The leader asking for their own data is refused too: the export is ADMIN's task.
    result = _call(
        client, EXPORT, "personDataExport", {"personId": gid("Person", history.leader.id)}, token
    )
    if persona == "admin":
        assert result["userErrors"] == []
        assert result["data"]["person"]["email"] == history.leader.email
        assert result["data"]["enrolments"][0]["motivation"] == MOTIVATION
        assert _audit_count(session) == before + 1
    else:
        assert result["data"] is None
        [error] = result["userErrors"]
        expected = "UNAUTHENTICATED" if persona == "anonymous" else "FORBIDDEN"
        assert error["code"] == expected
        assert "people.export_data (rollen ADMIN)" in error["message"]
        assert _audit_count(session) == before


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_only_admin_may_erase_a_person(
    client: TestClient, session: Session, settings: Settings, org: Org, persona: str
) -> None:
    leader = new_leader(session, org.chef, "Slettes")
    token = _token(settings, org, persona)
    result = _call(client, ERASE, "personErase", {"personId": gid("Person", leader.id)}, token)
    session.expire_all()
    stored = session.get(Person, leader.id)
    assert stored is not None
    if persona == "admin":
        assert result["userErrors"] == []
        assert result["person"]["name"] == "Slettet person"
        assert result["person"]["erasedAt"] == result["erasure"]["erasedAt"]
        assert result["person"]["roles"] == []
        assert stored.erased_at is not None
    else:
        assert result["person"] is None
        assert result["erasure"] is None
        [error] = result["userErrors"]
        assert error["code"] == ("UNAUTHENTICATED" if persona == "anonymous" else "FORBIDDEN")
        assert "people.erase (rollen ADMIN)" in error["message"]
        assert stored.erased_at is None
        assert stored.name.startswith("Slettes")


@pytest.mark.parametrize("mutation", ["personDataExport", "personErase"])
@pytest.mark.parametrize(
    ("person_id", "code", "says"),
    [
        (gid("Person", 2_000_000_000), "NOT_FOUND", "Personen findes ikke"),
        (gid("Course", 1), "INVALID", "id'et på et objekt af typen Person"),
    ],
    ids=["unknown", "forged type"],
)
def test_unknown_and_forged_ids_are_user_errors_on_person_id(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    mutation: str,
    person_id: str,
    code: str,
    says: str,
) -> None:
    before = _audit_count(session)
    document = EXPORT if mutation == "personDataExport" else ERASE
    token = _token(settings, org, "admin")
    result = _call(client, document, mutation, {"personId": person_id}, token)
    [error] = result["userErrors"]
    assert (error["field"], error["code"]) == ("personId", code)
    assert says in error["message"]
    assert _audit_count(session) == before


@pytest.mark.parametrize(
    "person_id", ["ikke-et-id", "UGVyc29uOjE\x00", "x" * 5000], ids=["garbage", "NUL", "huge"]
)
def test_malformed_ids_are_refused_before_execution(
    client: TestClient, settings: Settings, org: Org, person_id: str
) -> None:
    body = gql(
        client, ERASE, {"input": {"personId": person_id}}, token=_token(settings, org, "admin")
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_erasing_twice_over_graphql_says_already_erased(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    leader = new_leader(session, org.chef, "To gange")
    token = _token(settings, org, "admin")
    payload = {"personId": gid("Person", leader.id), "reason": "Sag 17"}
    first = _call(client, ERASE, "personErase", payload, token)
    assert first["userErrors"] == []
    before = _audit_count(session)
    second = _call(client, ERASE, "personErase", {**payload, "force": True}, token)
    assert second["userErrors"][0]["code"] == "ALREADY_ERASED"
    assert _audit_count(session) == before


def test_open_obligations_refuse_until_forced_and_the_payload_says_what_was_done(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    history = leader_with_history(session, org)
    token = _token(settings, org, "admin")
    payload = {"personId": gid("Person", history.leader.id)}
    refused = _call(client, ERASE, "personErase", payload, token)
    [error] = refused["userErrors"]
    assert (error["code"], error["field"]) == ("OPEN_OBLIGATIONS", "personId")
    assert history.upcoming_run.code in error["message"]
    forced = _call(client, ERASE, "personErase", {**payload, "force": True}, token)
    assert forced["userErrors"] == []
    assert forced["erasure"]["forced"] is True
    assert forced["erasure"]["withdrawnEnrolments"] == 1
    assert forced["erasure"]["anonymisedEnrolments"] == 2
    assert forced["erasure"]["anonymisedCompletions"] == 1
    assert forced["erasure"]["anonymisedAuditEntries"] > 0
    # Nested: the anonymised person's enrolments are still there, without the motivation.
    assert [e["motivation"] for e in forced["person"]["enrolments"]] == ["", ""]


ERASED_AT_BY_NODE = """
query Node($id: ID!) { node(id: $id) { ... on Person { name erasedAt } } }
"""


def test_erased_at_is_personal_data_by_node_and_directly(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Node")
    erase = _call(
        client,
        ERASE,
        "personErase",
        {"personId": gid("Person", leader.id)},
        _token(settings, org, "admin"),
    )
    erased_at = erase["erasure"]["erasedAt"]
    variables = {"id": gid("Person", leader.id)}
    for persona, sees in [("admin", True), ("hr", True), ("leader", False), ("anonymous", False)]:
        body = gql(client, ERASED_AT_BY_NODE, variables, token=_token(settings, org, persona))
        node = body["data"]["node"]
        if sees:
            assert node == {"name": "Slettet person", "erasedAt": erased_at}, persona
        else:
            assert node is None, (persona, body)
