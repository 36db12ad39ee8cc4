"""Read-side queries of the course catalogue, shared by GraphQL and the CLI."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from catalogue.models import Course, CourseStatus, Enrolment, EnrolmentStatus

SEAT_HOLDING_STATUSES = (
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.IN_PROGRESS,
    EnrolmentStatus.COMPLETED,
)


def courses_statement(
    *, statuses: Sequence[CourseStatus] = (CourseStatus.PUBLISHED,)
) -> Select[Course]:
    """Courses in a stable order: title, then id."""
    return select(Course).where(Course.status.in_(statuses)).order_by(Course.title, Course.id)


def seats_taken(session: Session, run_ids: Sequence[int]) -> dict[int, int]:
    """How many seats each run has given away (approved, enrolled, underway or completed)."""
    rows = session.execute(
        select(Enrolment.course_run_id, func.count())
        .where(
            Enrolment.course_run_id.in_(run_ids),
            Enrolment.status.in_(SEAT_HOLDING_STATUSES),
        )
        .group_by(Enrolment.course_run_id)
    ).all()
    return dict(rows)
