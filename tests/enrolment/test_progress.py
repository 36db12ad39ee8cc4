"""Progress against the profile: covered, planned or open, per statement and per field."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from catalogue.models import CompetenceStatement
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completions import record_completion
from catalogue.services.progress import PersonProgress, StatementStatus, progress_for
from tests.enrolment.factories import Org, make_run, new_leader, started, viewer

COVERED, PLANNED, OPEN = StatementStatus.COVERED, StatementStatus.PLANNED, StatementStatus.OPEN


def _by_key(session: Session, progress: PersonProgress) -> dict[str, StatementStatus]:
    keys = {}
    for field in progress.fields:
        for item in field.statements:
            statement = session.get(CompetenceStatement, item.statement_id)
            assert statement is not None
            keys[statement.key] = item.status
    return keys


def test_a_new_leader_has_every_statement_open(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef)
    progress = progress_for(session, [leader.id])[leader.id]
    assert len(progress.fields) == 7
    assert (progress.count(COVERED), progress.count(PLANNED), progress.count(OPEN)) == (0, 0, 39)


def test_enrolling_plans_and_completing_covers_primary_links_only(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef)
    run = make_run(
        session,
        activities=[True, True],
        primary=["K1.1"],
        supporting=["K1.2"],
        activity_primary=[(1, "K2.1")],
    )
    first, second = run.course.activities
    enrolment = enrolments.enrol(
        session, actor=viewer(leader), course_run_id=run.id, focus_statement_keys=["K1.1"]
    )
    started(session, run)

    planned = progress_for(session, [leader.id])[leader.id]
    statuses = _by_key(session, planned)
    assert (statuses["K1.1"], statuses["K1.2"], statuses["K2.1"]) == (PLANNED, OPEN, PLANNED)
    k1 = planned.fields[0]
    assert (k1.count(COVERED), k1.count(PLANNED)) == (0, 1)
    assert [s.focus for s in k1.statements][:2] == [True, False]
    assert k1.statements[0].planned_course_ids == (run.course_id,)

    record_completion(
        session,
        actor=viewer(org.hr),
        person_id=leader.id,
        activity_id=second.id,
        completed_at=utcnow() - timedelta(hours=1),
    )
    halfway = _by_key(session, progress_for(session, [leader.id])[leader.id])
    assert (halfway["K1.1"], halfway["K2.1"]) == (PLANNED, COVERED)

    record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        activity_id=first.id,
        completed_at=utcnow(),
    )
    done = progress_for(session, [leader.id])[leader.id]
    statuses = _by_key(session, done)
    assert (statuses["K1.1"], statuses["K1.2"], statuses["K2.1"]) == (COVERED, OPEN, COVERED)
    assert done.fields[0].statements[0].covered_by_course_ids == (run.course_id,)
    assert (done.count(COVERED), done.count(PLANNED), done.count(OPEN)) == (2, 0, 37)


def test_completed_activities_count_even_without_an_enrolment(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef)
    run = make_run(session, activities=[True], primary=["K5.1"])
    record_completion(
        session,
        actor=viewer(org.lms),
        person_id=leader.id,
        activity_id=run.course.activities[0].id,
        completed_at=utcnow(),
    )
    assert _by_key(session, progress_for(session, [leader.id])[leader.id])["K5.1"] is COVERED


def test_withdrawing_takes_the_plan_back_to_open(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef)
    run = make_run(session, primary=["K6.2"])
    enrolment = enrolments.enrol(session, actor=viewer(leader), course_run_id=run.id)
    enrolments.withdraw(session, actor=viewer(leader), enrolment_id=enrolment.id)
    assert _by_key(session, progress_for(session, [leader.id])[leader.id])["K6.2"] is OPEN


def test_many_people_cost_the_same_number_of_queries(session: Session, org: Org) -> None:
    from sqlalchemy import event

    statements: list[str] = []

    def count_statement(*args: object) -> None:
        statements.append(str(args[2]))

    bind = session.connection()
    people = [new_leader(session, org.chef) for _ in range(6)]
    event.listen(bind, "before_cursor_execute", count_statement)
    try:
        progress_for(session, [people[0].id])
        one = len(statements)
        statements.clear()
        progress_for(session, [p.id for p in people])
        many = len(statements)
    finally:
        event.remove(bind, "before_cursor_execute", count_statement)
    assert many == one
