"""The enrolment state machine: the one place an enrolment's status changes.

``TRANSITIONS`` lists every legal move as (action, from) -> to; ``None`` as
"from" is an enrolment that does not exist yet. ``apply_transition`` (and its bulk
form for quiet moves, ``apply_quiet_transitions``) is the only code that
assigns ``Enrolment.status``: it refuses anything not in the table
with INVALID_TRANSITION (before touching the row), keeps the waiting list
numbered 1..n, writes the audit entry and, where the LMS must hear of it, an
outbox event, all in the caller's transaction.

APPROVED is the chef's (or HR's) yes to a request. It holds a seat, but the
service places an approved enrolment at once in the same transaction (ENROLLED
if a seat is free, WAITLISTED if not), so APPROVED is seen in the audit log
rather than stored; a stored APPROVED row (from an import) behaves as holding
a seat.

Outbox topics: ``enrolment.enrolled`` whenever an enrolment becomes ENROLLED
(new, approved, or promoted from the waiting list, ``payload.promoted``) and
``enrolment.withdrawn`` when an enrolment that held a seat is withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from catalogue.models import ActionStatus, ChangeSource, CourseRun, Enrolment, EnrolmentStatus
from catalogue.services.audit import AuditAction, audit_row, record_change, record_changes
from catalogue.services.dialogue.action_status import follow_enrolments
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.outbox import emit

S = EnrolmentStatus


class EnrolmentAction(StrEnum):
    REQUEST = "request"
    APPROVE = "approve"
    REJECT = "reject"
    ENROL = "enrol"
    WAITLIST = "waitlist"
    PROMOTE = "promote"
    START = "start"
    COMPLETE = "complete"
    FAIL = "fail"
    WITHDRAW = "withdraw"


A = EnrolmentAction

# What each move is called in the audit log (``AuditAction``'s one naming).
AUDIT_ACTIONS: dict[EnrolmentAction, AuditAction] = {
    A.REQUEST: AuditAction.ENROLMENT_REQUESTED,
    A.APPROVE: AuditAction.ENROLMENT_APPROVED,
    A.REJECT: AuditAction.ENROLMENT_REJECTED,
    A.ENROL: AuditAction.ENROLMENT_ENROLLED,
    A.WAITLIST: AuditAction.ENROLMENT_WAITLISTED,
    A.PROMOTE: AuditAction.ENROLMENT_PROMOTED,
    A.START: AuditAction.ENROLMENT_STARTED,
    A.COMPLETE: AuditAction.ENROLMENT_COMPLETED,
    A.FAIL: AuditAction.ENROLMENT_FAILED,
    A.WITHDRAW: AuditAction.ENROLMENT_WITHDRAWN,
}

TRANSITIONS: dict[EnrolmentAction, dict[EnrolmentStatus | None, EnrolmentStatus]] = {
    # A run that needs approval: the request waits for a chef or HR.
    A.REQUEST: {None: S.REQUESTED, S.WITHDRAWN: S.REQUESTED},
    A.APPROVE: {S.REQUESTED: S.APPROVED},
    A.REJECT: {S.REQUESTED: S.REJECTED},
    # Placing: a seat if one is free, otherwise the end of the waiting list.
    A.ENROL: {None: S.ENROLLED, S.WITHDRAWN: S.ENROLLED, S.APPROVED: S.ENROLLED},
    A.WAITLIST: {None: S.WAITLISTED, S.WITHDRAWN: S.WAITLISTED, S.APPROVED: S.WAITLISTED},
    A.PROMOTE: {S.WAITLISTED: S.ENROLLED},
    # Completion: the first activity starts it, the course's rule completes it.
    A.START: {S.APPROVED: S.IN_PROGRESS, S.ENROLLED: S.IN_PROGRESS},
    A.COMPLETE: {S.APPROVED: S.COMPLETED, S.ENROLLED: S.COMPLETED, S.IN_PROGRESS: S.COMPLETED},
    A.FAIL: {S.APPROVED: S.FAILED, S.ENROLLED: S.FAILED, S.IN_PROGRESS: S.FAILED},
    A.WITHDRAW: {
        S.REQUESTED: S.WITHDRAWN,
        S.APPROVED: S.WITHDRAWN,
        S.ENROLLED: S.WITHDRAWN,
        S.WAITLISTED: S.WITHDRAWN,
        S.IN_PROGRESS: S.WITHDRAWN,
    },
}

# Statuses the LMS knows as a place on the course: leaving one of them is news to the LMS.
LMS_ENROLLED_STATUSES = frozenset({S.APPROVED, S.ENROLLED, S.IN_PROGRESS})

STATUS_LABELS: dict[EnrolmentStatus, str] = {
    S.REQUESTED: "anmodet og afventer godkendelse",
    S.APPROVED: "godkendt",
    S.ENROLLED: "tilmeldt",
    S.WAITLISTED: "på venteliste",
    S.IN_PROGRESS: "i gang",
    S.COMPLETED: "gennemført",
    S.WITHDRAWN: "afmeldt",
    S.REJECTED: "afvist",
    S.FAILED: "ikke bestået",
}

ACTION_LABELS: dict[EnrolmentAction, str] = {
    A.REQUEST: "sendes til godkendelse",
    A.APPROVE: "godkendes",
    A.REJECT: "afvises",
    A.ENROL: "tilmeldes",
    A.WAITLIST: "sættes på venteliste",
    A.PROMOTE: "rykke op fra ventelisten",
    A.START: "sættes i gang",
    A.COMPLETE: "registreres som gennemført",
    A.FAIL: "registreres som ikke bestået",
    A.WITHDRAW: "afmeldes",
}


def next_status(current: EnrolmentStatus | None, action: EnrolmentAction) -> EnrolmentStatus:
    """Where ``action`` takes an enrolment in ``current``, or INVALID_TRANSITION."""
    target = TRANSITIONS[action].get(current)
    if target is None:
        state = STATUS_LABELS[current] if current is not None else "ikke oprettet"
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Tilmeldingen kan ikke {ACTION_LABELS[action]}, fordi den er {state}.",
        )
    return target


def outbox_payload(enrolment: Enrolment, run: CourseRun) -> dict[str, Any]:
    return {
        "enrolment_id": enrolment.id,
        "person_id": enrolment.person_id,
        "course_run_id": run.id,
        "course_id": run.course_id,
        "status": enrolment.status.value,
    }


def apply_transition(
    session: Session,
    enrolment: Enrolment,
    action: EnrolmentAction,
    *,
    run: CourseRun,
    actor_id: int | None,
    now: datetime,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> Enrolment:
    """Move ``enrolment`` by ``action``, with its audit entry and outbox event.

    A new enrolment (not yet flushed) starts from ``None``; it is added and
    flushed here so that its id can go into the log.
    """
    current: EnrolmentStatus | None = enrolment.status if enrolment.id is not None else None
    target = next_status(current, action)
    left_position = enrolment.waitlist_position if current is S.WAITLISTED else None
    if current is S.WAITLISTED:
        enrolment.waitlist_position = None
    if target is S.WAITLISTED:
        enrolment.waitlist_position = _last_waitlist_position(session, run.id) + 1
    enrolment.status = target
    session.add(enrolment)
    session.flush()
    if left_position is not None:
        _close_waitlist_gap(session, run.id, left_position)
    details = {"course_run_id": run.id, "source": enrolment.source.value, **(details or {})}
    if target is S.WAITLISTED:
        details["waitlist_position"] = enrolment.waitlist_position
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Enrolment",
        entity_id=enrolment.id,
        action=AUDIT_ACTIONS[action],
        from_state=current.value if current is not None else None,
        to_state=target.value,
        reason=reason,
        person_id=enrolment.person_id,
        course_id=run.course_id,
        details=details,
        at=now,
    )
    _move_dialogue_actions(session, [enrolment.id], target, actor_id=actor_id, now=now)
    if target is S.ENROLLED:
        payload = outbox_payload(enrolment, run) | {"promoted": action is A.PROMOTE}
        emit(
            session,
            "enrolment.enrolled",
            aggregate_type="Enrolment",
            aggregate_id=enrolment.id,
            payload=payload,
        )
    elif target is S.WITHDRAWN and current in LMS_ENROLLED_STATUSES:
        emit(
            session,
            "enrolment.withdrawn",
            aggregate_type="Enrolment",
            aggregate_id=enrolment.id,
            payload=outbox_payload(enrolment, run) | {"previous_status": current.value},
        )
    return enrolment


#: A development action booked as an enrolment follows it (catalogue/services/dialogue).
ACTION_FOLLOWS = {S.IN_PROGRESS: ActionStatus.IN_PROGRESS, S.COMPLETED: ActionStatus.DONE}


def _move_dialogue_actions(
    session: Session,
    enrolment_ids: list[int],
    target: EnrolmentStatus,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    if target in ACTION_FOLLOWS:
        follow_enrolments(
            session, enrolment_ids, ACTION_FOLLOWS[target], actor_id=actor_id, now=now
        )


def _last_waitlist_position(session: Session, run_id: int) -> int:
    last = session.scalar(
        select(func.max(Enrolment.waitlist_position)).where(
            Enrolment.course_run_id == run_id, Enrolment.status == S.WAITLISTED
        )
    )
    return last or 0


def _close_waitlist_gap(session: Session, run_id: int, left_position: int) -> None:
    """Everyone behind the one who left moves up one place."""
    session.execute(
        update(Enrolment)
        .where(
            Enrolment.course_run_id == run_id,
            Enrolment.status == S.WAITLISTED,
            Enrolment.waitlist_position > left_position,
        )
        .values(waitlist_position=Enrolment.waitlist_position - 1)
        .execution_options(synchronize_session="fetch")
    )


#: Targets whose move changes nothing but the status: no outbox event, no waiting list.
QUIET_TARGETS = frozenset({S.IN_PROGRESS, S.COMPLETED, S.FAILED})


@dataclass(frozen=True)
class QuietMove:
    """One enrolment for ``apply_quiet_transitions``, as its caller read it under lock."""

    enrolment_id: int
    person_id: int
    course_run_id: int
    course_id: int
    source: ChangeSource
    current: EnrolmentStatus
    completed_at: datetime | None = None


def apply_quiet_transitions(
    session: Session,
    moves: Sequence[QuietMove],
    action: EnrolmentAction,
    *,
    actor_id: int | None,
    now: datetime,
    reason: str | None = None,
) -> None:
    """Move many enrolments by one action, as ``apply_transition`` would, in two statements.

    Only for moves with no side effect beyond the status (start, complete), so
    one UPDATE and one audit insert say all; ``completed_at`` is set for a
    completion. The caller has read each ``current`` under lock in this
    transaction; ORM copies of the moved enrolments are expired.
    """
    if not moves:
        return
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    for move in moves:
        target = next_status(move.current, action)
        if target not in QUIET_TARGETS:
            raise ValueError(
                f"{action.value} -> {target.value} has side effects; use apply_transition"
            )
        updates.append(
            {"b_id": move.enrolment_id, "b_status": target, "b_completed_at": move.completed_at}
        )
        audits.append(
            audit_row(
                actor_id=actor_id,
                entity_type="Enrolment",
                entity_id=move.enrolment_id,
                action=AUDIT_ACTIONS[action],
                from_state=move.current.value,
                to_state=target.value,
                reason=reason,
                person_id=move.person_id,
                course_id=move.course_id,
                details={"course_run_id": move.course_run_id, "source": move.source.value},
                at=now,
            )
        )
    table = Enrolment.__table__
    assert isinstance(table, Table)
    values: dict[str, Any] = {"status": bindparam("b_status"), "updated_at": now}
    if action in (A.COMPLETE, A.FAIL):
        values["completed_at"] = bindparam("b_completed_at")
    session.execute(update(table).where(table.c.id == bindparam("b_id")).values(values), updates)
    record_changes(session, audits)
    _move_dialogue_actions(
        session,
        [move.enrolment_id for move in moves],
        next_status(moves[0].current, action),
        actor_id=actor_id,
        now=now,
    )
    for move in moves:
        held = session.identity_map.get(session.identity_key(Enrolment, move.enrolment_id))
        if held is not None:
            session.expire(held)
