"""Recommendations on the demo catalogue for a leader whose focus is K1.5.

Demo facts used: KUR-KONFLIKT is linked PRIMARY to K1.5; its first run is full (its
deadline still open) and its second has 12 free seats. KUR-SVAERSAMTALE (starts in
3 and 64 days; the first run's deadline has passed) and COA-TEAM (starts in 58 days,
5 of 8 seats free) are linked SUPPORTING. The documented order: strength, the
statement's priority, a free seat before the waiting list, the earliest start.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import CourseRun, DialogueCycle, DialogueStatus, EnrolmentStatus, Person, Role
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.agreement import FocusInput
from catalogue.services.dialogue.recommendations import recommend
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.dialogue.factories import dialogue_of, statement
from tests.enrolment.factories import Org, fill, leaders, make_run, stored_enrolment, viewer

QUERY = """{ me { recommendations { statementKey strength seatsLeft explanation
  course { code } courseRun { code } } } }"""


def _run(session: Session, code: str) -> CourseRun:
    run = session.scalar(select(CourseRun).where(CourseRun.code == code))
    assert run is not None, code
    return run


def _with_focus_k15(session: Session, org: Org, cycle: DialogueCycle, leader: Person) -> None:
    dialogue = dialogue_of(session, cycle, leader)
    dialogue.status = DialogueStatus.HELD
    session.flush()
    agreement.set_agreement(
        session,
        actor=viewer(org.chef),
        dialogue_id=dialogue.id,
        summary="Referat.",
        focuses=[FocusInput(statement(session, "K1.5").id, "Konflikter tidligt.", "Færre sager.")],
    )


def test_a_k15_focus_gets_the_primary_course_with_seats_first_then_the_supporting_ones(
    client: TestClient, settings: Settings, session: Session, org: Org, cycle: DialogueCycle
) -> None:
    _with_focus_k15(session, org, cycle, org.peer)
    session.commit()
    body = gql(client, QUERY, token=token_for(settings, org.peer, Role.LEADER))
    found = [
        (r["course"]["code"], r["courseRun"]["code"], r["strength"], r["seatsLeft"])
        for r in body["data"]["me"]["recommendations"]
    ]
    assert found == [
        ("KUR-KONFLIKT", "KUR-KONFLIKT-H2", "PRIMARY", 12),
        ("COA-TEAM", "COA-TEAM-H1", "SUPPORTING", 5),
        ("KUR-SVAERSAMTALE", "KUR-SVAERSAMTALE-H2", "SUPPORTING", 16),
    ]
    first = body["data"]["me"]["recommendations"][0]["explanation"]
    assert first.startswith("PRIMARY-link til K1.5; start ")
    assert "; 12 ledige pladser; HR's begrundelse: Kurset giver en konkret model" in first


def test_completed_courses_and_full_runs_past_their_deadline_are_left_out(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    _with_focus_k15(session, org, cycle, org.peer)
    stored_enrolment(
        session, _run(session, "KUR-SVAERSAMTALE-H1"), org.peer, EnrolmentStatus.COMPLETED
    )
    closed = make_run(session, capacity=1, starts_in=timedelta(days=5), primary=["K1.5"])
    fill(session, closed, leaders(session, 1, exclude=[org.peer]))  # full, deadline 2 days ago
    open_but_full = make_run(session, capacity=1, starts_in=timedelta(days=40), primary=["K1.5"])
    fill(session, open_but_full, leaders(session, 1, exclude=[org.peer]))
    found = [
        (r.course_run_id, r.seats_left)
        for r in recommend(session, leader_id=org.peer.id, statement_keys=["K1.5"])
    ]
    run_ids = [run_id for run_id, _ in found]
    assert _run(session, "KUR-SVAERSAMTALE-H2").id not in run_ids  # completed course
    assert closed.id not in run_ids  # full and closed
    assert (open_but_full.id, 0) in found  # full, deadline open: the waiting list
    assert run_ids.index(_run(session, "KUR-KONFLIKT-H2").id) < run_ids.index(open_but_full.id)


def test_nobody_else_sees_a_leaders_recommendations_without_seeing_the_dialogue(
    client: TestClient, settings: Settings, session: Session, org: Org, cycle: DialogueCycle
) -> None:
    _with_focus_k15(session, org, cycle, org.peer)
    session.commit()
    query = "query($id: ID!) { person(id: $id) { recommendations { statementKey } } }"
    variables = {"id": to_base64("Person", org.peer.id)}
    chef = gql(client, query, variables, token=token_for(settings, org.chef, Role.CHEF))
    assert chef["data"]["person"]["recommendations"] != []
    hr = gql(client, query, variables, token=token_for(settings, org.hr, Role.HR))
    assert hr["data"]["person"]["recommendations"] == []  # the cycle keeps HR out
