"""Completions recorded in bulk (the LMS pull): one-at-a-time's rules, in a few statements."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActivityCompletion,
    AuditLogEntry,
    ChangeSource,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Person,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completion_batches import ReportedCompletion, record_activity_completions
from catalogue.services.completions import record_completion
from catalogue.services.errors import DomainError, ErrorCode
from tests.api.test_sql_counts import counted_statements
from tests.enrolment.factories import Org, audit_rows, count, make_run, new_leader, started, viewer

S = EnrolmentStatus


def _enrol_all(session: Session, org: Org, run: CourseRun, people: list[Person]) -> list[Enrolment]:
    """Enrol ``people`` on ``run``, then let it start, so the completions belong to it."""
    enrolled = [
        enrolments.enrol(session, actor=viewer(person), course_run_id=run.id) for person in people
    ]
    started(session, run)
    return enrolled


def _steps(session: Session, enrolment: Enrolment) -> list[tuple[str, str | None]]:
    return [(e.action, e.to_state) for e in audit_rows(session, enrolment.id)]


def test_a_batch_completes_starts_and_records_as_the_course_rule_says(
    session: Session, org: Org
) -> None:
    run = make_run(session, activities=[True, False, True])
    required_one, optional, required_two = run.course.activities
    people = [new_leader(session, org.chef) for _ in range(3)]
    done, underway, optional_only = _enrol_all(session, org, run, people)
    day_one, day_two = utcnow() - timedelta(days=3), utcnow() - timedelta(days=1)

    outcome = record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[
            ReportedCompletion(done.id, required_two.id, day_two),
            ReportedCompletion(done.id, required_one.id, day_one),
            ReportedCompletion(underway.id, required_one.id, day_one),
            ReportedCompletion(optional_only.id, optional.id, day_one),
        ],
    )

    assert outcome.rejected == {}
    assert outcome.created == {
        done.id: [required_one.id, required_two.id],
        underway.id: [required_one.id],
        optional_only.id: [optional.id],
    }
    assert outcome.status == {
        done.id: S.COMPLETED,
        underway.id: S.IN_PROGRESS,
        optional_only.id: S.IN_PROGRESS,
    }
    session.expire_all()
    assert [session.get(Enrolment, e.id).status for e in (done, underway, optional_only)] == [  # type: ignore[union-attr]
        S.COMPLETED,
        S.IN_PROGRESS,
        S.IN_PROGRESS,
    ]
    assert done.completed_at == day_two, "completed when the last required activity was"
    assert underway.completed_at is None
    assert _steps(session, done) == [
        ("ENROLMENT_ENROLLED", "ENROLLED"),
        ("ENROLMENT_COMPLETED", "COMPLETED"),
    ]
    assert _steps(session, underway) == [
        ("ENROLMENT_ENROLLED", "ENROLLED"),
        ("ENROLMENT_STARTED", "IN_PROGRESS"),
    ]
    rows = session.scalars(
        select(ActivityCompletion).where(ActivityCompletion.person_id.in_([p.id for p in people]))
    ).all()
    assert sorted((r.enrolment_id, r.activity_id, r.source) for r in rows) == sorted(
        [
            (done.id, required_one.id, ChangeSource.LMS),
            (done.id, required_two.id, ChangeSource.LMS),
            (underway.id, required_one.id, ChangeSource.LMS),
            (optional_only.id, optional.id, ChangeSource.LMS),
        ]
    )
    logged = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.entity_type == "ActivityCompletion",
            AuditLogEntry.entity_id.in_([r.id for r in rows]),
        )
    ).all()
    assert sorted((e.entity_id, e.person_id, e.course_id, e.actor_id) for e in logged) == sorted(
        (r.id, r.person_id, run.course_id, org.lms.id) for r in rows
    )
    assert all(e.details["source"] == "LMS" and not e.details["without_enrolment"] for e in logged)


def test_what_is_already_recorded_is_a_no_op_and_the_first_fact_stands(
    session: Session, org: Org
) -> None:
    run = make_run(session, activities=[True, True])
    first, second = run.course.activities
    [enrolment] = _enrol_all(session, org, run, [new_leader(session, org.chef)])
    when = utcnow() - timedelta(hours=5)
    record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        activity_id=first.id,
        completed_at=when,
    )
    rows = (count(session, ActivityCompletion), count(session, AuditLogEntry))

    outcome = record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[
            ReportedCompletion(enrolment.id, first.id, when + timedelta(hours=1)),
            ReportedCompletion(enrolment.id, first.id, when + timedelta(hours=2)),
        ],
    )

    assert outcome.created == {}
    assert (count(session, ActivityCompletion), count(session, AuditLogEntry)) == rows
    stored = session.scalar(
        select(ActivityCompletion).where(
            ActivityCompletion.person_id == enrolment.person_id,
            ActivityCompletion.activity_id == first.id,
        )
    )
    assert stored is not None
    assert (stored.completed_at, stored.source) == (when, ChangeSource.HR)

    again = record_activity_completions(
        session, actor=viewer(org.lms), reported=[ReportedCompletion(enrolment.id, second.id, when)]
    )
    assert again.created == {enrolment.id: [second.id]}
    assert again.status == {enrolment.id: S.COMPLETED}


def test_an_enrolment_breaking_a_rule_is_refused_whole_and_the_others_are_recorded(
    session: Session, org: Org
) -> None:
    run = make_run(session, activities=[True, True])
    other = make_run(session, activities=[True])
    mine, theirs = run.course.activities
    [foreign] = other.course.activities
    wrong_course, from_the_future, fine = _enrol_all(
        session, org, run, [new_leader(session, org.chef) for _ in range(3)]
    )
    before = count(session, ActivityCompletion)
    yesterday = utcnow() - timedelta(days=1)

    outcome = record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[
            ReportedCompletion(wrong_course.id, mine.id, yesterday),
            ReportedCompletion(wrong_course.id, foreign.id, yesterday),
            ReportedCompletion(from_the_future.id, mine.id, utcnow() + timedelta(days=2)),
            ReportedCompletion(fine.id, mine.id, yesterday),
            ReportedCompletion(fine.id, theirs.id, yesterday),
            ReportedCompletion(10**9, mine.id, yesterday),
        ],
    )

    refused = {eid: (e.code, e.field) for eid, e in outcome.rejected.items()}
    assert refused == {
        wrong_course.id: (ErrorCode.INVALID, "activityId"),
        from_the_future.id: (ErrorCode.INVALID, "completedAt"),
        10**9: (ErrorCode.NOT_FOUND, "enrolmentId"),
    }
    assert outcome.created == {fine.id: [mine.id, theirs.id]}
    assert count(session, ActivityCompletion) == before + 2, "nothing of the refused is written"
    session.expire_all()
    assert session.get(Enrolment, wrong_course.id).status is S.ENROLLED  # type: ignore[union-attr]
    assert session.get(Enrolment, fine.id).status is S.COMPLETED  # type: ignore[union-attr]


def test_only_hr_admin_and_the_lms_record_completions_in_bulk(session: Session, org: Org) -> None:
    run = make_run(session, activities=[True])
    [enrolment] = _enrol_all(session, org, run, [org.leader])
    with pytest.raises(DomainError) as caught:
        record_activity_completions(
            session,
            actor=viewer(org.leader),
            reported=[ReportedCompletion(enrolment.id, run.course.activities[0].id, utcnow())],
        )
    assert caught.value.code is ErrorCode.FORBIDDEN
    assert count(session, ActivityCompletion, ActivityCompletion.enrolment_id == enrolment.id) == 0


@pytest.mark.parametrize("people", [2, 12])
def test_a_batch_costs_the_same_statements_whatever_its_size(
    session: Session, org: Org, people: int, request: pytest.FixtureRequest
) -> None:
    run = make_run(session, capacity=None, activities=[True, True, False])
    enrolled = _enrol_all(session, org, run, [new_leader(session, org.chef) for _ in range(people)])
    yesterday = utcnow() - timedelta(days=1)
    reported = [
        ReportedCompletion(e.id, a.id, yesterday) for e in enrolled for a in run.course.activities
    ]
    # half complete their course, half only start it: both transitions are in the batch
    reported = [r for i, r in enumerate(reported) if i % 6 != 1]
    session.flush()

    with counted_statements(session.connection()) as seen:
        outcome = record_activity_completions(session, actor=viewer(org.lms), reported=reported)

    assert set(outcome.status.values()) == {S.COMPLETED, S.IN_PROGRESS}
    assert len(outcome.created) == people
    # enrolments, activities, completions, their audit, required, done, 2 x (update, audit,
    # the development actions booked as these enrolments, which follow them: dialogue/LUS)
    assert len(seen) == 12, "\n".join(seen)


def test_a_poll_leaves_out_an_enrolment_withdrawn_since_it_was_read(
    session: Session, org: Org
) -> None:
    run = make_run(session, activities=[True, True])
    first, _second = run.course.activities
    withdrawn, underway = _enrol_all(
        session, org, run, [new_leader(session, org.chef) for _ in range(2)]
    )
    enrolments.withdraw(session, actor=viewer(org.hr, Role.HR), enrolment_id=withdrawn.id)
    yesterday = utcnow() - timedelta(days=1)
    reported = [
        ReportedCompletion(withdrawn.id, first.id, yesterday),
        ReportedCompletion(underway.id, first.id, yesterday),
    ]

    outcome = record_activity_completions(
        session, actor=viewer(org.lms), reported=reported, only_underway=True
    )

    assert outcome.created == {underway.id: [first.id]}
    assert outcome.status[withdrawn.id] is S.WITHDRAWN
    assert count(session, ActivityCompletion, ActivityCompletion.enrolment_id == withdrawn.id) == 0
    # HR recording the same fact directly still may: the option is the poll's
    anyway = record_activity_completions(session, actor=viewer(org.hr), reported=reported[:1])
    assert anyway.created == {withdrawn.id: [first.id]}
