"""Reading enrolments: who sees what, the calendar file, HR's audit log and completions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from catalogue.models import EnrolmentStatus, Person, Role
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completions import record_completion
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.enrolment.factories import Org, make_run, stored_enrolment, viewer
from tests.enrolment.operations import gid

S = EnrolmentStatus


def _data(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


# --- visibility -------------------------------------------------------------------------


def test_node_shows_an_enrolment_only_to_who_may_see_its_person(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    enrolment = stored_enrolment(session, make_run(session), org.leader, S.ENROLLED)
    query = "query($id: ID!) { node(id: $id) { ... on Enrolment { status person { name } } } }"
    variables = {"id": gid("Enrolment", enrolment.id)}
    seen = {
        who: _data(gql(client, query, variables, token=token_for(settings, person, role)))["node"]
        for who, person, role in [
            ("self", org.leader, Role.LEADER),
            ("chef", org.chef, Role.CHEF),
            ("director", org.director, Role.CHEF),
            ("hr", org.hr, Role.HR),
            ("lms", org.lms, Role.LMS),
            ("peer", org.peer, Role.LEADER),
            ("other chef", org.other_chef, Role.CHEF),
        ]
    }
    assert {who for who, node in seen.items() if node is not None} == {
        "self",
        "chef",
        "director",
        "hr",
        "lms",
    }
    assert _data(gql(client, query, variables))["node"] is None


@pytest.mark.parametrize(
    "field", ["enrolments { id }", "progress { covered }", "completions { id }"]
)
def test_personal_fields_of_another_leader_are_forbidden(
    client: TestClient, settings: Settings, org: Org, field: str
) -> None:
    query = "query($id: ID!) { node(id: $id) { ... on Person { name " + field + " } } }"
    variables = {"id": gid("Person", org.leader.id)}
    peer = gql(client, query, variables, token=token_for(settings, org.peer, Role.LEADER))
    assert peer["data"]["node"] is None
    chef_of_another = "{ me { manager { " + field + " } } }"
    body = gql(client, chef_of_another, token=token_for(settings, org.leader, Role.LEADER))
    assert _codes(body) == ["FORBIDDEN"]
    assert _data(gql(client, query, variables, token=token_for(settings, org.chef, Role.CHEF)))[
        "node"
    ]["name"]


def test_enrolments_query_is_scoped_to_the_viewer(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session)
    for person in (org.leader, org.peer, org.other_leader):
        stored_enrolment(session, run, person, S.ENROLLED)
    query = (
        "query($run: ID!) { enrolments(courseRun: $run) { totalCount nodes { person { name } } } }"
    )
    variables = {"run": gid("CourseRun", run.id)}

    def names(person, role) -> set[str]:  # type: ignore[no-untyped-def]
        result = _data(gql(client, query, variables, token=token_for(settings, person, role)))
        return {n["person"]["name"] for n in result["enrolments"]["nodes"]}

    assert names(org.leader, Role.LEADER) == {org.leader.name}
    assert names(org.chef, Role.CHEF) == {org.leader.name, org.peer.name}
    assert names(org.hr, Role.HR) == {org.leader.name, org.peer.name, org.other_leader.name}


@pytest.mark.parametrize(
    ("query", "allowed"),
    [
        ("{ myTeam { totalCount } }", {Role.CHEF}),
        ("{ auditLog { totalCount } }", {Role.HR, Role.ADMIN}),
        ("{ completions { totalCount } }", {Role.HR, Role.ADMIN, Role.LMS}),
    ],
)
def test_team_audit_and_completion_lists_need_their_roles(
    client: TestClient, settings: Settings, org: Org, query: str, allowed: set[Role]
) -> None:
    cast = {
        Role.LEADER: org.leader,
        Role.CHEF: org.chef,
        Role.HR: org.hr,
        Role.ADMIN: org.admin,
        Role.LMS: org.lms,
    }
    for role, person in cast.items():
        body = gql(client, query, token=token_for(settings, person, role))
        assert (_codes(body) == []) is (role in allowed), (role, body)
    assert _codes(gql(client, query)) == ["UNAUTHENTICATED"]


def test_my_team_lists_the_whole_subtree_with_open_requests(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session, approval_required=True)
    stored_enrolment(session, run, org.leader, S.REQUESTED)
    query = "{ myTeam { totalCount nodes { person { name } directReport openApprovals { id } } } }"
    team = _data(gql(client, query, token=token_for(settings, org.director, Role.CHEF)))["myTeam"]
    by_name = {m["person"]["name"]: m for m in team["nodes"]}
    assert team["totalCount"] == len(by_name) > 20
    assert by_name[org.chef.name]["directReport"] is True
    assert by_name[org.leader.name]["directReport"] is False
    assert len(by_name[org.leader.name]["openApprovals"]) == 1


def test_node_answers_the_same_for_an_invisible_and_a_missing_enrolment(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    enrolment = stored_enrolment(session, make_run(session), org.leader, S.ENROLLED)
    query = "query($id: ID!) { node(id: $id) { ... on Enrolment { status } } }"
    token = token_for(settings, org.peer, Role.LEADER)
    invisible = gql(client, query, {"id": gid("Enrolment", enrolment.id)}, token=token)
    missing = gql(client, query, {"id": gid("Enrolment", 999999999)}, token=token)
    assert invisible == missing == {"data": {"node": None}}


# --- HR's audit log and completions ---------------------------------------------------------

AUDIT = """
query($person: ID, $course: ID, $since: DateTime, $first: Int, $after: String) {
  auditLog(person: $person, course: $course, since: $since, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { action fromState toState reason entityType actor { name } person { name }
            course { code } }
  }
}"""


def test_hr_reads_the_audit_log_by_person_course_and_time_page_by_page(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session, capacity=1, approval_required=True)
    start = utcnow() - timedelta(seconds=1)
    request = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    enrolments.approve(session, actor=viewer(org.chef), enrolment_id=request.id, comment="Ja.")
    enrolments.withdraw(session, actor=viewer(org.leader), enrolment_id=request.id, reason="Syg.")
    other = make_run(session)
    enrolments.enrol(session, actor=viewer(org.leader), course_run_id=other.id)
    session.flush()  # what the mutation layer's commit does; the API reads on another session
    token = token_for(settings, org.hr, Role.HR)

    by_course = _data(gql(client, AUDIT, {"course": gid("Course", run.course_id)}, token=token))[
        "auditLog"
    ]
    assert [(n["action"], n["fromState"], n["toState"]) for n in by_course["nodes"]] == [
        ("ENROLMENT_WITHDRAWN", "ENROLLED", "WITHDRAWN"),
        ("ENROLMENT_ENROLLED", "APPROVED", "ENROLLED"),
        ("ENROLMENT_APPROVED", "REQUESTED", "APPROVED"),
        ("ENROLMENT_REQUESTED", None, "REQUESTED"),
    ]
    assert by_course["nodes"][2]["actor"]["name"] == org.chef.name
    assert by_course["nodes"][0]["reason"] == "Syg."
    assert {n["person"]["name"] for n in by_course["nodes"]} == {org.leader.name}

    mine = {"person": gid("Person", org.leader.id), "since": start.isoformat()}
    first = _data(gql(client, AUDIT, {**mine, "first": 3}, token=token))["auditLog"]
    assert first["totalCount"] == 5
    assert first["pageInfo"]["hasNextPage"] is True
    rest = _data(
        gql(client, AUDIT, {**mine, "after": first["pageInfo"]["endCursor"]}, token=token)
    )["auditLog"]
    assert len(first["nodes"]) + len(rest["nodes"]) == 5
    assert rest["nodes"][-1]["action"] == "ENROLMENT_REQUESTED"
    future = {"since": (utcnow() + timedelta(hours=1)).isoformat()}
    assert _data(gql(client, AUDIT, future, token=token))["auditLog"]["totalCount"] == 0


def test_hr_sees_completions_recorded_without_an_enrolment(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session, activities=[True])
    record_completion(
        session,
        actor=viewer(org.lms),
        person_id=org.other_leader.id,
        activity_id=run.course.activities[0].id,
        completed_at=utcnow(),
    )
    session.flush()
    query = """query($person: ID) { completions(person: $person, withoutEnrolment: true) {
        totalCount nodes { source withoutEnrolment enrolment { id } activity { code } } } }"""
    result = _data(
        gql(
            client,
            query,
            {"person": gid("Person", org.other_leader.id)},
            token=token_for(settings, org.hr, Role.HR),
        )
    )["completions"]
    assert result["totalCount"] == 1
    assert result["nodes"] == [
        {
            "source": "LMS",
            "withoutEnrolment": True,
            "enrolment": None,
            "activity": {"code": run.course.activities[0].code},
        }
    ]


def test_an_enrolment_shows_its_own_history_to_the_leader(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session, approval_required=True)
    request = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    enrolments.reject(session, actor=viewer(org.chef), enrolment_id=request.id, reason="Ikke i år.")
    session.flush()
    query = """query($id: ID!) { node(id: $id) { ... on Enrolment {
        status history { action toState reason actor { name } } } } }"""
    node = _data(
        gql(
            client,
            query,
            {"id": gid("Enrolment", request.id)},
            token=token_for(settings, org.leader, Role.LEADER),
        )
    )["node"]
    assert node["status"] == "REJECTED"
    assert node["history"] == [
        {
            "action": "ENROLMENT_REQUESTED",
            "toState": "REQUESTED",
            "reason": None,
            "actor": {"name": org.leader.name},
        },
        {
            "action": "ENROLMENT_REJECTED",
            "toState": "REJECTED",
            "reason": "Ikke i år.",
            "actor": {"name": org.chef.name},
        },
    ]


TEAM_IN_DEPTH = """
{ myTeam(first: 100) { nodes {
    person { name enrolments { status course { title } focusStatements { key }
                               history { action } } }
    progress { covered fields { field { key } statements {
        status statement { key } coveredBy { code } plannedIn { code } } } }
    openApprovals { id courseRun { code } }
} } }"""


def test_the_team_view_costs_the_same_statements_for_a_bigger_team(
    client: TestClient, connection: Connection, settings: Settings, org: Org
) -> None:
    """No N+1: Mette has 5 leaders below her, Anne everyone but the LMS account."""
    statements: list[str] = []

    def count_statement(*args: object) -> None:
        statements.append(str(args[2]))

    def cost(chef: Person) -> tuple[int, int]:
        statements.clear()
        event.listen(connection, "before_cursor_execute", count_statement)
        try:
            body = gql(client, TEAM_IN_DEPTH, token=token_for(settings, chef, Role.CHEF))
        finally:
            event.remove(connection, "before_cursor_execute", count_statement)
        return len(_data(body)["myTeam"]["nodes"]), len(statements)

    small_team, small_cost = cost(org.chef)
    big_team, big_cost = cost(org.director)
    assert (small_team, big_team) == (5, 25)
    assert big_cost == small_cost
