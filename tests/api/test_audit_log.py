"""The audit log speaks one naming (``AuditAction``) and says what a link change changed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import AuditLogEntry, Course, Role
from catalogue.services import enrolments
from catalogue.services.audit import AuditAction
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for
from tests.enrolment.factories import demo_person, make_run, viewer

LINK = """mutation($input: CompetenceLinkCreateInput!) { competenceLinkCreate(input: $input) {
  competenceLink { id } userErrors { field code } } }"""
LINK_UPDATE = """mutation($input: CompetenceLinkUpdateInput!) {
  competenceLinkUpdate(input: $input) { userErrors { field code } } }"""
LINK_REMOVE = """mutation($id: ID!) {
  competenceLinkRemove(input: {id: $id}) { userErrors { field code } } }"""
LOG = """query($course: ID!) { auditLog(course: $course, entityType: "CompetenceLink", first: 20) {
  nodes { action fromState toState details } } }"""
BY_ACTION = """query($action: AuditAction!) { auditLog(action: $action, first: 50) {
  nodes { action entityType } } }"""


def test_each_link_entry_says_what_changed(
    client: TestClient, session: Session, settings: Settings
) -> None:
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    course_id = to_base64("Course", course.id)
    created = gql(
        client,
        LINK,
        {
            "input": {
                "statementKey": "K6.4",
                "courseId": course_id,
                "strength": "SUPPORTING",
                "rationale": "Relationer på tværs.",
            }
        },
        token=hr,
    )["data"]["competenceLinkCreate"]
    assert created["userErrors"] == []
    link_id = created["competenceLink"]["id"]

    def update(**change: Any) -> None:
        answer = gql(client, LINK_UPDATE, {"input": {"id": link_id, **change}}, token=hr)
        assert answer["data"]["competenceLinkUpdate"]["userErrors"] == []

    update(strength="PRIMARY")
    update(rationale="Samarbejde med andre forvaltninger.")
    removed = gql(client, LINK_REMOVE, {"id": link_id}, token=hr)["data"]
    assert removed["competenceLinkRemove"]["userErrors"] == []
    restored = gql(
        client,
        LINK,
        {
            "input": {
                "statementKey": "K6.4",
                "courseId": course_id,
                "strength": "SUPPORTING",
                "rationale": "Samarbejde med andre forvaltninger.",
            }
        },
        token=hr,
    )["data"]["competenceLinkCreate"]
    assert restored["userErrors"] == []

    nodes = gql(client, LOG, {"course": course_id}, token=hr)["data"]["auditLog"]["nodes"]
    mine = [n for n in reversed(nodes) if n["details"].get("statement_key") == "K6.4"]
    target = {"statement_key": "K6.4", "course_id": course.id, "activity_id": None}
    assert [(n["action"], n["fromState"], n["toState"]) for n in mine] == [
        ("LINK_CREATED", None, "SUPPORTING"),
        ("LINK_UPDATED", "SUPPORTING", "PRIMARY"),
        ("LINK_UPDATED", "PRIMARY", "PRIMARY"),
        ("LINK_REMOVED", "PRIMARY", None),
        ("LINK_RESTORED", "PRIMARY", "SUPPORTING"),
    ]
    changes = [n["details"].pop("changes") for n in mine]
    assert all(n["details"] == target for n in mine)
    assert changes[0] == {"rationale": {"from": None, "to": "Relationer på tværs."}}
    assert changes[1] == {"strength": {"from": "SUPPORTING", "to": "PRIMARY"}}
    assert changes[2] == {
        "rationale": {
            "from": "Relationer på tværs.",
            "to": "Samarbejde med andre forvaltninger.",
        }
    }
    assert set(changes[3]) == {"removed_at"}
    assert changes[3]["removed_at"]["from"] is None
    assert changes[3]["removed_at"]["to"]
    assert changes[4] == {
        "strength": {"from": "PRIMARY", "to": "SUPPORTING"},
        "removed_at": {"from": changes[3]["removed_at"]["to"], "to": None},
    }


def test_every_stored_action_is_one_of_the_audit_actions(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """The demo seed and the enrolment moves all write ``AuditAction`` values, read as the enum."""
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    leader = demo_person(session, "sofie.noergaard")
    enrolments.enrol(session, actor=viewer(leader), course_run_id=make_run(session).id)
    session.flush()
    stored = set(session.scalars(select(AuditLogEntry.action).distinct()))
    assert stored, "the demo seed writes audit entries"
    assert stored <= {a.value for a in AuditAction}
    enrolled = gql(client, BY_ACTION, {"action": "ENROLMENT_ENROLLED"}, token=hr)["data"]
    nodes = enrolled["auditLog"]["nodes"]
    assert nodes
    assert {(n["action"], n["entityType"]) for n in nodes} == {("ENROLMENT_ENROLLED", "Enrolment")}
