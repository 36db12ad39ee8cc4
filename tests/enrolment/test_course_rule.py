"""The course's rule (all required, non-archived activities done) on both recording paths.

HR and the LMS record completions one at a time (``record_completion``); the
LMS pull records them a page at a time (``record_activity_completions``). Each
case here runs on both, so a rule that drifts on one path fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from catalogue.models import Activity, Enrolment, EnrolmentStatus
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completion_batches import ReportedCompletion, record_activity_completions
from catalogue.services.completions import record_completion
from tests.enrolment.factories import Org, make_run, started, viewer

S = EnrolmentStatus
Record = Callable[[Session, Org, Enrolment, list[Activity], datetime], None]


def _one_at_a_time(
    session: Session, org: Org, enrolment: Enrolment, done: list[Activity], at: datetime
) -> None:
    for activity in done:
        record_completion(
            session,
            actor=viewer(org.lms),
            enrolment_id=enrolment.id,
            activity_id=activity.id,
            completed_at=at,
        )


def _as_a_batch(
    session: Session, org: Org, enrolment: Enrolment, done: list[Activity], at: datetime
) -> None:
    outcome = record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[ReportedCompletion(enrolment.id, activity.id, at) for activity in done],
    )
    assert outcome.rejected == {}
    session.expire_all()


PATHS = pytest.mark.parametrize("record", [_one_at_a_time, _as_a_batch], ids=["one", "batch"])


def _enrolled(session: Session, org: Org, required: list[bool]) -> tuple[Enrolment, list[Activity]]:
    run = make_run(session, activities=required)
    enrolment = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id)
    started(session, run)
    return enrolment, list(run.course.activities)


def _status(session: Session, enrolment: Enrolment) -> EnrolmentStatus:
    fresh = session.get(Enrolment, enrolment.id)
    assert fresh is not None
    return fresh.status


@PATHS
def test_one_of_two_required_and_the_optional_leave_the_course_underway(
    session: Session, org: Org, record: Record
) -> None:
    enrolment, (required_one, _required_two, optional) = _enrolled(
        session, org, [True, True, False]
    )

    record(session, org, enrolment, [required_one, optional], utcnow() - timedelta(days=1))

    assert _status(session, enrolment) is S.IN_PROGRESS


@PATHS
def test_both_required_complete_the_course_without_the_optional(
    session: Session, org: Org, record: Record
) -> None:
    enrolment, (required_one, required_two, _optional) = _enrolled(
        session, org, [True, True, False]
    )
    at = utcnow() - timedelta(days=1)

    record(session, org, enrolment, [required_one, required_two], at)

    assert _status(session, enrolment) is S.COMPLETED
    assert session.get(Enrolment, enrolment.id).completed_at == at  # type: ignore[union-attr]


@PATHS
def test_an_archived_required_activity_is_not_needed_to_complete(
    session: Session, org: Org, record: Record
) -> None:
    enrolment, (kept, archived) = _enrolled(session, org, [True, True])
    archived.archived_at = utcnow() - timedelta(days=2)
    session.flush()

    record(session, org, enrolment, [kept], utcnow() - timedelta(days=1))

    assert _status(session, enrolment) is S.COMPLETED


@PATHS
def test_an_archived_required_activity_done_does_not_stand_in_for_a_current_one(
    session: Session, org: Org, record: Record
) -> None:
    enrolment, (_kept, archived) = _enrolled(session, org, [True, True])
    archived.archived_at = utcnow() - timedelta(days=2)
    session.flush()

    record(session, org, enrolment, [archived], utcnow() - timedelta(days=1))

    assert _status(session, enrolment) is S.IN_PROGRESS
