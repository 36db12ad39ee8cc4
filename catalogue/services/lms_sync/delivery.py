"""Outbox delivery: enrolments and withdrawals pushed to the LMS, at least once.

An event is a reminder, not an instruction: delivering it applies the
*current* state of the person's places on the course (re-read now), so events
delivered twice, late or out of order still leave the LMS right, and the LMS's
enrol/unenrol calls are idempotent. Together that is "at least once, applied
exactly once in effect".

- The person should be on the LMS course while any of their enrolments on the
  course holds a place (approved, enrolled, underway) or is finished
  (completed, failed: they keep access to the material); otherwise they are
  unenrolled.
- An event is marked delivered only after the LMS accepted the call. A failed
  event keeps ``delivered_at`` empty, counts ``attempts`` and keeps
  ``last_error``; the next drain tries it again. When the LMS is down the
  drain stops at the first failure, and nothing is lost.
- Events for courses that are not in the LMS, and topics the LMS does not
  need, are marked delivered without a call: the reconciliation
  (``reconcile``) puts anyone on a course that is mapped later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from catalogue.models import CourseRun, Enrolment, EnrolmentStatus, OutboxEvent
from catalogue.models.base import utcnow
from catalogue.services.lms_sync.context import SyncContext, error_message
from catalogue.services.lms_sync.runs import Change
from catalogue.services.lms_sync.users import lms_user_id

ENROLMENT_AGGREGATE = "enrolment"
#: Statuses that keep a person on the LMS course.
KEEPS_LMS_PLACE = frozenset(
    {
        EnrolmentStatus.APPROVED,
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.IN_PROGRESS,
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.FAILED,
    }
)
BATCH_SIZE = 200
LAST_ERROR_MAX = 2000


def deliver_outbox(ctx: SyncContext) -> None:
    """Deliver every undelivered event, oldest first, in batches."""
    applied: dict[tuple[int, int], bool] = {}
    after = 0
    while True:
        events = list(
            ctx.session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.delivered_at.is_(None), OutboxEvent.id > after)
                .order_by(OutboxEvent.id)
                .limit(BATCH_SIZE)
            )
        )
        if not events:
            return
        for event in events:
            after = event.id
            with ctx.item(
                "udbakke-hændelse", event.id, on_failure=_failure_noter(ctx, event.id)
            ) as result:
                result.add(*_deliver(ctx, event, applied))


def _deliver(
    ctx: SyncContext, event: OutboxEvent, applied: dict[tuple[int, int], bool]
) -> tuple[Change, str | None]:
    enrolment = _enrolment(ctx, event)
    course = enrolment.course_run.course if enrolment is not None else None
    if enrolment is None or course is None or not course.lms_course_id:
        _mark_delivered(ctx, event)  # nothing the LMS needs to hear
        return Change.UNCHANGED, None
    user_id = lms_user_id(ctx, enrolment.person)
    lms_course_id = int(course.lms_course_id)
    wanted = keeps_lms_place(ctx, enrolment.person_id, course.id)
    if applied.get((user_id, lms_course_id)) is wanted:
        _mark_delivered(ctx, event)  # an earlier event of this drain already did it
        return Change.UNCHANGED, None
    if not ctx.dry_run:
        if wanted:
            warnings = ctx.gateway.enrol(user_id=user_id, course_id=lms_course_id)
        else:
            warnings = ctx.gateway.unenrol(user_id=user_id, course_id=lms_course_id)
        for warning in warnings:
            ctx.tally.warn("udbakke-hændelse", event.id, warning.code, warning.message)
    applied[(user_id, lms_course_id)] = wanted
    _mark_delivered(ctx, event)
    verb = "tilmeldt" if wanted else "afmeldt"
    note = f"{enrolment.person.email} {verb} LMS-kursus {lms_course_id} ({course.code})"
    return (Change.CREATED if wanted else Change.UPDATED), note


def _enrolment(ctx: SyncContext, event: OutboxEvent) -> Enrolment | None:
    if event.aggregate_type.casefold() != ENROLMENT_AGGREGATE and not event.topic.startswith(
        f"{ENROLMENT_AGGREGATE}."
    ):
        return None
    payload: dict[str, Any] = event.payload or {}
    raw = payload.get("enrolment_id", event.aggregate_id)
    enrolment_id = int(raw) if isinstance(raw, int | str) and str(raw).isdigit() else None
    return ctx.session.get(Enrolment, enrolment_id) if enrolment_id is not None else None


def keeps_lms_place(ctx: SyncContext, person_id: int, course_id: int) -> bool:
    """Whether any of the person's enrolments on the course keeps them on the LMS course."""
    found = ctx.session.scalar(
        select(Enrolment.id)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .where(
            Enrolment.person_id == person_id,
            CourseRun.course_id == course_id,
            Enrolment.status.in_(KEEPS_LMS_PLACE),
        )
        .limit(1)
    )
    return found is not None


def _mark_delivered(ctx: SyncContext, event: OutboxEvent) -> None:
    event.attempts += 1
    event.delivered_at = utcnow()
    event.last_error = None


def _failure_noter(ctx: SyncContext, event_id: int) -> Callable[[Exception], None]:
    def note(error: Exception) -> None:
        """Kept for the next drain: one more attempt, and why it failed."""
        if ctx.dry_run:
            return
        event = ctx.session.get(OutboxEvent, event_id)
        if event is not None:
            event.attempts += 1
            event.last_error = error_message(error)[:LAST_ERROR_MAX]
            ctx.session.commit()

    return note
