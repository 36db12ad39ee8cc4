"""The issue's "Done when", as it is done from GraphiQL with the demo tokens.

On the demo catalogue: Karsten enrols in the full conflict course and is
waitlisted; Sofie, who has a seat, withdraws and Karsten is promoted; Rasmus
asks for a diploma module that needs approval and his chef Thomas approves it
from his team view; HR records Karsten's two sessions and his progress shows
the course's PRIMARY statement as covered.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import from_base64

from catalogue.models import Activity, CourseRun, OutboxEvent, Role
from catalogue.models.base import utcnow
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.enrolment.factories import demo_person, started
from tests.enrolment.operations import gid, mutate

MY_ENROLMENTS = """
{ me { enrolments { id status waitlistPosition courseRun { code } } } }
"""
MY_PROGRESS = """
{ me { progress {
    covered planned open
    fields { field { key } covered planned open
             statements { statement { key } status coveredBy { code } plannedIn { code } } }
} } }
"""
MY_TEAM = """
{ myTeam { totalCount nodes {
    person { name } directReport
    openApprovals { id status courseRun { code } }
    progress { covered planned }
} } }
"""


def _run_id(session: Session, code: str) -> str:
    run = session.scalar(select(CourseRun).where(CourseRun.code == code))
    assert run is not None
    return gid("CourseRun", run.id)


def _pk(global_id: str) -> int:
    return int(from_base64(global_id)[1])


def _query(client: TestClient, query: str, token: str) -> dict[str, Any]:
    body = gql(client, query, token=token)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _statement(progress: dict[str, Any], key: str) -> dict[str, Any]:
    for field in progress["fields"]:
        for item in field["statements"]:
            if item["statement"]["key"] == key:
                return item  # type: ignore[no-any-return]
    raise AssertionError(key)


def test_waitlist_promotion_approval_and_completion_from_graphql(
    client: TestClient, session: Session, settings: Settings
) -> None:
    karsten = token_for(settings, demo_person(session, "karsten.moeller"), Role.LEADER)
    sofie = token_for(settings, demo_person(session, "sofie.noergaard"), Role.LEADER)
    rasmus = token_for(settings, demo_person(session, "rasmus.kjeldsen"), Role.LEADER)
    thomas = token_for(settings, demo_person(session, "thomas.brandt"), Role.CHEF)
    hr = token_for(settings, demo_person(session, "nanna.stougaard"), Role.HR)

    # Karsten enrols in the full run and is waitlisted.
    before = _query(client, MY_PROGRESS, karsten)["me"]["progress"]
    waiting = mutate(
        client,
        "enrol",
        {
            "courseRunId": _run_id(session, "KUR-KONFLIKT-H1"),
            "motivation": "Jeg vil blive bedre til at tage konflikterne tidligt.",
            "focusStatementKeys": ["K1.5"],
        },
        karsten,
    )
    assert waiting["userErrors"] == []
    assert (waiting["enrolment"]["status"], waiting["enrolment"]["waitlistPosition"]) == (
        "WAITLISTED",
        1,
    )

    # Sofie, who holds a seat, withdraws; Karsten is promoted.
    [seat] = [
        e
        for e in _query(client, MY_ENROLMENTS, sofie)["me"]["enrolments"]
        if e["courseRun"]["code"] == "KUR-KONFLIKT-H1"
    ]
    withdrawn = mutate(
        client, "withdraw", {"enrolmentId": seat["id"], "reason": "Ferie den uge."}, sofie
    )
    assert withdrawn["enrolment"]["status"] == "WITHDRAWN"
    [mine] = [
        e
        for e in _query(client, MY_ENROLMENTS, karsten)["me"]["enrolments"]
        if e["courseRun"]["code"] == "KUR-KONFLIKT-H1"
    ]
    assert (mine["id"], mine["status"], mine["waitlistPosition"]) == (
        waiting["enrolment"]["id"],
        "ENROLLED",
        None,
    )
    planned = _query(client, MY_PROGRESS, karsten)["me"]["progress"]
    assert "KUR-KONFLIKT" in [c["code"] for c in _statement(planned, "K1.5")["plannedIn"]]
    events = session.execute(
        select(OutboxEvent.aggregate_id, OutboxEvent.topic, OutboxEvent.payload).where(
            OutboxEvent.aggregate_id.in_([_pk(seat["id"]), _pk(mine["id"])])
        )
    ).all()
    assert {(pk, topic, payload.get("promoted")) for pk, topic, payload in events} == {
        (_pk(seat["id"]), "enrolment.withdrawn", None),
        (_pk(mine["id"]), "enrolment.enrolled", True),
    }

    # Rasmus asks for a module that needs approval; Thomas approves it from his team view.
    request = mutate(client, "enrol", {"courseRunId": _run_id(session, "DIP-LED-04-H1")}, rasmus)
    assert request["enrolment"]["status"] == "REQUESTED"
    team = _query(client, MY_TEAM, thomas)["myTeam"]
    [member] = [m for m in team["nodes"] if m["person"]["name"] == "Rasmus Kjeldsen"]
    assert member["directReport"] is True
    assert [a["id"] for a in member["openApprovals"]] == [request["enrolment"]["id"]]
    approved = mutate(
        client, "approveEnrolment", {"enrolmentId": request["enrolment"]["id"]}, thomas
    )
    assert (approved["userErrors"], approved["enrolment"]["status"]) == ([], "ENROLLED")
    team = _query(client, MY_TEAM, thomas)["myTeam"]
    assert all(m["openApprovals"] == [] for m in team["nodes"])

    # The conflict course has begun; HR records both sessions; Karsten's progress follows.
    started(
        session, session.scalars(select(CourseRun).where(CourseRun.code == "KUR-KONFLIKT-H1")).one()
    )
    sessions = session.scalars(
        select(Activity).where(Activity.code.in_(["KUR-KONFLIKT-S1", "KUR-KONFLIKT-S2"]))
    ).all()
    karsten_id = gid("Person", demo_person(session, "karsten.moeller").id)
    results = [
        mutate(
            client,
            "recordCompletion",
            {
                "personId": karsten_id,
                "activityId": gid("Activity", activity.id),
                "completedAt": utcnow().isoformat(),
            },
            hr,
        )
        for activity in sessions
    ]
    assert [r["enrolment"]["status"] for r in results] == ["IN_PROGRESS", "COMPLETED"]
    after = _query(client, MY_PROGRESS, karsten)["me"]["progress"]
    assert _statement(after, "K1.5")["status"] == "COVERED"
    assert [c["code"] for c in _statement(after, "K1.5")["coveredBy"]] == ["KUR-KONFLIKT"]
    assert after["covered"] == before["covered"] + 1
    assert after["covered"] + after["planned"] + after["open"] == 39
