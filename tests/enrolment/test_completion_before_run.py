"""A completion dated before its run starts is no evidence of the run (issue 13, point 7).

Against an enrolment it is refused, naming both times; for a person it goes to
no enrolment; in the LMS's batch it is recorded without the enrolment and moves
nothing (``completions``' docstring says why).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import ActivityCompletion, AuditLogEntry, EnrolmentStatus
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completion_batches import ReportedCompletion, record_activity_completions
from catalogue.services.completions import record_completion
from catalogue.services.errors import DomainError, ErrorCode
from tests.enrolment.factories import Org, count, make_run, started, viewer


def _started_run_with_enrolment(session: Session, org: Org, *, activities: list[bool]):  # type: ignore[no-untyped-def]
    run = make_run(session, activities=activities)
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run, days_ago=2)
    return run, enrolment


@pytest.mark.parametrize("what", ["activity", "course"])
def test_against_an_enrolment_it_is_refused_with_both_times_and_nothing_is_stored(
    session: Session, org: Org, what: str
) -> None:
    run, enrolment = _started_run_with_enrolment(
        session, org, activities=[True] if what == "activity" else []
    )
    activity_id = run.course.activities[0].id if what == "activity" else None
    before = (count(session, ActivityCompletion), count(session, AuditLogEntry))
    with pytest.raises(DomainError) as caught:
        record_completion(
            session,
            actor=viewer(org.hr),
            enrolment_id=enrolment.id,
            activity_id=activity_id,
            completed_at=run.starts_at - timedelta(days=1),
        )
    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID, "completedAt")
    assert caught.value.message.startswith("Gennemførelsen (")
    assert "ligger før holdets start (" in caught.value.message
    assert (count(session, ActivityCompletion), count(session, AuditLogEntry)) == before
    assert enrolment.status is EnrolmentStatus.ENROLLED


def test_a_few_minutes_early_is_the_clocks_and_counts(session: Session, org: Org) -> None:
    run, enrolment = _started_run_with_enrolment(session, org, activities=[True])
    recorded = record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        activity_id=run.course.activities[0].id,
        completed_at=run.starts_at - timedelta(minutes=2),
    )
    assert recorded.created
    assert recorded.enrolment is enrolment
    assert enrolment.status is EnrolmentStatus.COMPLETED


def test_for_a_person_it_is_recorded_without_the_enrolment_and_moves_nothing(
    session: Session, org: Org
) -> None:
    run, enrolment = _started_run_with_enrolment(session, org, activities=[True, True])
    early, on_time = run.course.activities
    recorded = record_completion(
        session,
        actor=viewer(org.hr),
        person_id=org.leader.id,
        activity_id=early.id,
        completed_at=run.starts_at - timedelta(days=3),
    )
    assert recorded.created
    assert recorded.enrolment is None
    assert recorded.activity_completion is not None
    assert recorded.activity_completion.enrolment_id is None
    assert enrolment.status is EnrolmentStatus.ENROLLED

    later = record_completion(
        session,
        actor=viewer(org.hr),
        person_id=org.leader.id,
        activity_id=on_time.id,
        completed_at=run.starts_at + timedelta(hours=1),
    )
    assert later.enrolment is enrolment


def test_the_batch_records_an_early_fact_without_the_enrolment_and_the_rest_as_usual(
    session: Session, org: Org
) -> None:
    run, enrolment = _started_run_with_enrolment(session, org, activities=[True, True])
    early, on_time = run.course.activities
    outcome = record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[
            ReportedCompletion(enrolment.id, early.id, run.starts_at - timedelta(days=5)),
            ReportedCompletion(enrolment.id, on_time.id, run.starts_at + timedelta(hours=2)),
        ],
    )
    assert outcome.rejected == {}
    assert outcome.before_run == {enrolment.id: [early.id]}
    assert outcome.created == {enrolment.id: [on_time.id]}
    session.expire_all()
    rows = {
        c.activity_id: c.enrolment_id
        for c in session.scalars(
            select(ActivityCompletion).where(ActivityCompletion.person_id == org.leader.id)
        )
        if c.activity_id in (early.id, on_time.id)
    }
    assert rows == {early.id: None, on_time.id: enrolment.id}
    [entry] = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.entity_type == "ActivityCompletion",
            AuditLogEntry.person_id == org.leader.id,
            AuditLogEntry.details["activity_id"].as_integer() == early.id,
        )
    )
    assert entry.details["without_enrolment"] is True
    assert entry.details["before_run_start"] is True
    assert entry.details["reported_for_enrolment_id"] == enrolment.id


def test_a_batch_of_only_early_facts_leaves_the_enrolment_as_it_was(
    session: Session, org: Org
) -> None:
    run, enrolment = _started_run_with_enrolment(session, org, activities=[True])
    [only] = run.course.activities
    outcome = record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[ReportedCompletion(enrolment.id, only.id, utcnow() - timedelta(days=30))],
    )
    assert (outcome.created, outcome.before_run) == ({}, {enrolment.id: [only.id]})
    session.expire_all()
    assert enrolment.status is EnrolmentStatus.ENROLLED
