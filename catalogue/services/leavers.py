"""Leavers: a deactivated person's open places are given up, so others get the seats.

Each enrolment still expecting a run that is neither over nor cancelled is
withdrawn through the enrolment service's own withdrawal (``withdraw_place``):
the state machine records WITHDRAWN with the reason, the LMS hears of it through
the outbox, and a seat it held goes to the first on the waiting list. Places on
runs that are over stay as they are: their completions may still arrive.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import CourseRun, Enrolment
from catalogue.services.enrolments import OPEN_PLACE_STATUSES, withdraw_place


def withdraw_open_enrolments(
    session: Session, *, person_id: int, actor_id: int | None, now: datetime, reason: str
) -> list[int]:
    """Withdraw the person's open places on runs still to come or under way; their ids."""
    enrolment_ids = list(
        session.scalars(
            select(Enrolment.id)
            .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
            .where(
                Enrolment.person_id == person_id,
                Enrolment.status.in_(OPEN_PLACE_STATUSES),
                CourseRun.cancelled_at.is_(None),
                CourseRun.ends_at > now,
            )
            .order_by(CourseRun.id)
        )
    )
    for enrolment_id in enrolment_ids:
        withdraw_place(
            session, enrolment_id=enrolment_id, actor_id=actor_id, now=now, reason=reason
        )
    return enrolment_ids
