"""Completions: per activity, rolled up to the course by its rule, recorded once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from catalogue.models import (
    ActivityCompletion,
    AuditLogEntry,
    ChangeSource,
    EnrolmentStatus,
)
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completions import CompletionOutcome, record_completion
from catalogue.services.errors import DomainError, ErrorCode
from tests.enrolment.factories import Org, audit_rows, count, make_run, started, viewer

S = EnrolmentStatus


def _error(call) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_activities_roll_up_to_the_course_by_its_required_activities(
    session: Session, org: Org
) -> None:
    run = make_run(session, activities=[True, False, True])
    required_one, optional, required_two = run.course.activities
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    day_one, day_two = utcnow() - timedelta(days=3), utcnow() - timedelta(days=1)

    first = record_completion(
        session,
        actor=viewer(org.lms),
        person_id=org.leader.id,
        activity_id=required_one.id,
        completed_at=day_one,
        result="Bestået",
    )
    assert first.created
    assert first.enrolment is enrolment
    assert enrolment.status is S.IN_PROGRESS
    assert first.activity_completion is not None
    assert first.activity_completion.enrolment_id == enrolment.id
    assert first.activity_completion.source is ChangeSource.LMS

    record_completion(
        session,
        actor=viewer(org.hr),
        person_id=org.leader.id,
        activity_id=optional.id,
        completed_at=day_two,
    )
    assert enrolment.status is S.IN_PROGRESS

    record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        activity_id=required_two.id,
        completed_at=day_two,
    )
    assert enrolment.status is S.COMPLETED
    assert enrolment.completed_at == day_two
    steps = [(e.action, e.to_state) for e in audit_rows(session, enrolment.id)]
    assert steps == [
        ("ENROLMENT_ENROLLED", "ENROLLED"),
        ("ENROLMENT_STARTED", "IN_PROGRESS"),
        ("ENROLMENT_COMPLETED", "COMPLETED"),
    ]


def test_recording_the_same_completion_twice_is_a_no_op(session: Session, org: Org) -> None:
    run = make_run(session, activities=[True, True])
    activity = run.course.activities[0]
    enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    when = utcnow() - timedelta(hours=2)
    first = record_completion(
        session,
        actor=viewer(org.lms),
        person_id=org.leader.id,
        activity_id=activity.id,
        completed_at=when,
    )
    rows = (count(session, ActivityCompletion), count(session, AuditLogEntry))

    again = record_completion(
        session,
        actor=viewer(org.lms),
        person_id=org.leader.id,
        activity_id=activity.id,
        completed_at=when + timedelta(minutes=5),
        result="Andet resultat",
    )

    assert not again.created
    assert again.activity_completion is first.activity_completion
    assert again.activity_completion is not None
    assert (again.activity_completion.completed_at, again.activity_completion.result) == (
        when,
        None,
    )
    assert (count(session, ActivityCompletion), count(session, AuditLogEntry)) == rows


def test_a_course_without_activities_is_completed_as_a_whole_once(
    session: Session, org: Org
) -> None:
    run = make_run(session)
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    when = utcnow() - timedelta(days=1)

    done = record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        completed_at=when,
        result="Bestået",
        evidence_url="https://moodle.example/certifikat/42",
    )
    assert done.created
    assert enrolment.status is S.COMPLETED
    assert (enrolment.completed_at, enrolment.result) == (when, "Bestået")
    entry = audit_rows(session, enrolment.id)[-1]
    assert entry.details["evidence_url"] == "https://moodle.example/certifikat/42"
    rows = count(session, AuditLogEntry)

    again = record_completion(
        session, actor=viewer(org.lms), enrolment_id=enrolment.id, completed_at=when
    )
    assert not again.created
    assert count(session, AuditLogEntry) == rows


def test_failing_is_for_the_whole_course_only(session: Session, org: Org) -> None:
    run = make_run(session, activities=[True])
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    error = _error(
        lambda: record_completion(
            session,
            actor=viewer(org.hr),
            enrolment_id=enrolment.id,
            activity_id=run.course.activities[0].id,
            completed_at=utcnow(),
            outcome=CompletionOutcome.FAILED,
        )
    )
    assert (error.code, error.field) == (ErrorCode.INVALID, "outcome")

    record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        completed_at=utcnow(),
        outcome=CompletionOutcome.FAILED,
        result="Ikke bestået",
    )
    assert enrolment.status is S.FAILED


def test_a_completion_without_an_enrolment_is_kept_and_marked_as_such(
    session: Session, org: Org
) -> None:
    run = make_run(session, activities=[True])
    activity = run.course.activities[0]

    recorded = record_completion(
        session,
        actor=viewer(org.lms),
        person_id=org.other_leader.id,
        activity_id=activity.id,
        completed_at=utcnow() - timedelta(days=2),
    )

    assert recorded.created
    assert recorded.enrolment is None
    completion = recorded.activity_completion
    assert completion is not None
    assert (completion.enrolment_id, completion.source) == (None, ChangeSource.LMS)
    entry = (
        session.query(AuditLogEntry)
        .filter_by(entity_type="ActivityCompletion", entity_id=completion.id)
        .one()
    )
    assert entry.details["without_enrolment"] is True
    assert entry.person_id == org.other_leader.id


def test_a_waitlisted_person_completing_an_activity_stays_waitlisted(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=0, activities=[True, True])
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    recorded = record_completion(
        session,
        actor=viewer(org.lms),
        person_id=org.leader.id,
        activity_id=run.course.activities[0].id,
        completed_at=utcnow(),
    )
    assert enrolment.status is S.WAITLISTED
    assert recorded.enrolment is None


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"completed_at_offset": timedelta(days=1)}, ErrorCode.INVALID, "completedAt"),
        ({"evidence_url": "ftp://x"}, ErrorCode.INVALID, "evidenceUrl"),
        ({"result": "x" * 101}, ErrorCode.TOO_LONG, "result"),
        ({"other_course": True}, ErrorCode.INVALID, "activityId"),
        ({"no_target": True}, ErrorCode.REQUIRED, "enrolmentId"),
        ({"no_person": True}, ErrorCode.REQUIRED, "personId"),
    ],
    ids=[
        "future",
        "bad url",
        "long result",
        "activity of another course",
        "no target",
        "no person",
    ],
)
def test_invalid_completions_name_the_field(
    session: Session, org: Org, kwargs: dict, code: ErrorCode, field: str
) -> None:
    kwargs = dict(kwargs)  # the parameter is shared by both backends' runs
    run = make_run(session, activities=[True])
    other = make_run(session, activities=[True])
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    arguments: dict = {
        "enrolment_id": enrolment.id,
        "activity_id": run.course.activities[0].id,
        "completed_at": utcnow() + kwargs.pop("completed_at_offset", timedelta(0)),
    }
    if kwargs.pop("other_course", False):
        arguments["activity_id"] = other.course.activities[0].id
    if kwargs.pop("no_target", False):
        arguments.pop("enrolment_id")
        arguments.pop("activity_id")
    if kwargs.pop("no_person", False):
        arguments.pop("enrolment_id")
    arguments.update(kwargs)
    error = _error(lambda: record_completion(session, actor=viewer(org.hr), **arguments))
    assert (error.code, error.field) == (code, field)
    assert count(session, ActivityCompletion, ActivityCompletion.person_id == org.leader.id) == 0


def test_only_hr_admin_and_the_lms_record_completions(session: Session, org: Org) -> None:
    run = make_run(session)
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    for who in (org.leader, org.chef):
        error = _error(
            lambda who=who: record_completion(
                session, actor=viewer(who), enrolment_id=enrolment.id, completed_at=utcnow()
            )
        )
        assert error.code is ErrorCode.FORBIDDEN
    assert enrolment.status is S.ENROLLED
