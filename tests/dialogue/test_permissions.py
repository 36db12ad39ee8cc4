"""Who may see a dialogue, field by field, viewer by viewer, on every path to it.

The fields are read from the schema, so a field added to ``Dialogue`` later is
covered without touching this test. Paths: the ``dialogues`` list, ``node(id:)``,
and nested under the leader (``person { dialogues }``). Leader and chef see their
dialogue; the chef's chef reads it; HR only where the cycle allows; nobody else.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.graphql.schema import build_schema
from catalogue.models import AuditLogEntry, DialogueCycle, Role
from catalogue.services.audit import AuditAction
from catalogue.settings import Settings
from graphql import GraphQLObjectType, get_named_type
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.dialogue.factories import dialogue_of, open_cycle
from tests.enrolment.factories import Org


def dialogue_fields() -> list[tuple[str, str]]:
    schema = build_schema(Settings())._schema
    dialogue = schema.type_map["Dialogue"]
    assert isinstance(dialogue, GraphQLObjectType)
    found = []
    for name, field in dialogue.fields.items():
        named = get_named_type(field.type)
        found.append(
            (name, name + (" { __typename }" if isinstance(named, GraphQLObjectType) else ""))
        )
    return found


FIELDS = dialogue_fields()
#: Every field of Dialogue in one selection: a field that leaked or failed shows in each path.
SELECTION = " ".join(selection for _, selection in FIELDS)

# (viewer in Org, role, may see with HR reading off, may see with HR reading on)
MATRIX = [
    ("leader", Role.LEADER, True, True),
    ("chef", Role.CHEF, True, True),
    ("director", Role.CHEF, True, True),  # the chef's own chef, read only
    ("peer", Role.LEADER, False, False),
    ("other_leader", Role.LEADER, False, False),
    ("other_chef", Role.CHEF, False, False),
    ("hr", Role.HR, False, True),
    ("admin", Role.ADMIN, False, True),
    ("lms", Role.LMS, False, False),
]


def _paths(
    client: TestClient, token: str | None, dialogue_id: str, leader_id: str, selection: str
) -> dict[str, Any]:
    listed = gql(
        client,
        f"{{ dialogues(first: 100) {{ edges {{ node {{ id {selection} }} }} }} }}",
        token=token,
    )
    by_node = gql(
        client,
        f"query($id: ID!) {{ node(id: $id) {{ ... on Dialogue {{ id {selection} }} }} }}",
        {"id": dialogue_id},
        token=token,
    )
    nested = gql(
        client,
        f"query($id: ID!) {{ person(id: $id) {{ dialogues {{ id {selection} }} }} }}",
        {"id": leader_id},
        token=token,
    )
    return {"listed": listed, "node": by_node, "nested": nested}


@pytest.mark.parametrize("hr_may_read", [False, True], ids=["hr-off", "hr-on"])
@pytest.mark.parametrize(("who", "role", "off", "on"), MATRIX, ids=[m[0] for m in MATRIX])
def test_dialogue_field_by_viewer_and_path(
    client: TestClient,
    settings: Settings,
    session: Session,
    org: Org,
    who: str,
    role: Role,
    off: bool,
    on: bool,
    hr_may_read: bool,
) -> None:
    cycle = open_cycle(session, org, hr_may_read=hr_may_read)
    session.commit()
    dialogue = dialogue_of(session, cycle, org.leader)
    dialogue_id = to_base64("Dialogue", dialogue.id)
    allowed = on if hr_may_read else off
    token = token_for(settings, getattr(org, who), role)
    found = _paths(client, token, dialogue_id, to_base64("Person", org.leader.id), SELECTION)

    listed = found["listed"]
    ids = []
    if listed.get("data") and listed["data"].get("dialogues"):
        ids = [edge["node"]["id"] for edge in listed["data"]["dialogues"]["edges"]]
    node = (found["node"].get("data") or {}).get("node")
    person = (found["nested"].get("data") or {}).get("person")
    nested_ids = (
        [d["id"] for d in person["dialogues"]] if person and person.get("dialogues") else []
    )
    if allowed:
        assert dialogue_id in ids, listed
        assert node is not None, found["node"]
        assert {field for field, _ in FIELDS} <= set(node), node
        assert dialogue_id in nested_ids, found["nested"]
        for path in ("listed", "node", "nested"):
            assert "errors" not in found[path], found[path]
    else:
        assert dialogue_id not in ids
        assert node is None
        assert dialogue_id not in nested_ids


def test_without_a_token_no_dialogue_is_readable(
    client: TestClient, session: Session, org: Org
) -> None:
    cycle = open_cycle(session, org)
    session.commit()
    dialogue_id = to_base64("Dialogue", dialogue_of(session, cycle, org.leader).id)
    listed = gql(client, "{ dialogues { totalCount } }")
    assert listed["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    node = gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Dialogue { summary } } }",
        {"id": dialogue_id},
    )
    assert node["data"]["node"] is None


def test_reads_by_the_chefs_chef_and_hr_are_audited_and_the_parties_are_not(
    client: TestClient, settings: Settings, session: Session, org: Org
) -> None:
    cycle: DialogueCycle = open_cycle(session, org, hr_may_read=True)
    session.commit()
    dialogue = dialogue_of(session, cycle, org.leader)
    query = "query($id: ID!) { node(id: $id) { ... on Dialogue { status viewerStanding } } }"
    variables = {"id": to_base64("Dialogue", dialogue.id)}

    def reads() -> list[tuple[int | None, str]]:
        session.expire_all()
        rows = session.execute(
            select(AuditLogEntry.actor_id, AuditLogEntry.details)
            .where(
                AuditLogEntry.entity_type == "Dialogue",
                AuditLogEntry.entity_id == dialogue.id,
                AuditLogEntry.action == AuditAction.DIALOGUE_READ.value,
            )
            .order_by(AuditLogEntry.id)
        ).all()
        return [(actor, details["standing"]) for actor, details in rows]

    for who, role, standing in (
        (org.leader, Role.LEADER, "LEADER"),
        (org.chef, Role.CHEF, "CHEF"),
        (org.director, Role.CHEF, "CHEFS_CHEF"),
        (org.hr, Role.HR, "HR"),
    ):
        body = gql(client, query, variables, token=token_for(settings, who, role))
        assert body["data"]["node"]["viewerStanding"] == standing, body
    assert reads() == [(org.director.id, "CHEFS_CHEF"), (org.hr.id, "HR")]


def test_the_chefs_chef_may_read_but_not_write(
    client: TestClient, settings: Settings, session: Session, org: Org
) -> None:
    cycle = open_cycle(session, org)
    session.commit()
    dialogue_id = to_base64("Dialogue", dialogue_of(session, cycle, org.leader).id)
    body = gql(
        client,
        "mutation($id: ID!) { dialoguePreparationSubmit(input: {dialogueId: $id}) "
        "{ dialogue { status } userErrors { field message code } } }",
        {"id": dialogue_id},
        token=token_for(settings, org.director, Role.CHEF),
    )
    payload = body["data"]["dialoguePreparationSubmit"]
    assert payload["dialogue"] is None
    assert payload["userErrors"] == [
        {
            "field": "dialogueId",
            "message": "Du kan kun læse samtalen; kun lederen og chefen kan ændre den.",
            "code": "FORBIDDEN",
        }
    ]
    stranger = gql(
        client,
        "mutation($id: ID!) { dialoguePreparationSubmit(input: {dialogueId: $id}) "
        "{ userErrors { code } } }",
        {"id": dialogue_id},
        token=token_for(settings, org.other_chef, Role.CHEF),
    )
    assert stranger["data"]["dialoguePreparationSubmit"]["userErrors"][0]["code"] == "NOT_FOUND"
