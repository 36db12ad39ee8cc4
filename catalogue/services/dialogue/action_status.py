"""The development action's status machine, and how a booked enrolment moves its action.

Kept apart from ``actions`` so the enrolment state machine can call
``follow_enrolments`` without importing the enrolment service back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import ActionStatus, DevelopmentAction, Dialogue, DialogueFocus
from catalogue.services.audit import AuditAction, record_change

AS = ActionStatus

ACTION_TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    AS.PLANNED: frozenset({AS.BOOKED, AS.IN_PROGRESS, AS.DONE, AS.CANCELLED, AS.NOT_DONE}),
    AS.BOOKED: frozenset({AS.IN_PROGRESS, AS.DONE, AS.CANCELLED, AS.NOT_DONE}),
    AS.IN_PROGRESS: frozenset({AS.DONE, AS.CANCELLED, AS.NOT_DONE}),
    AS.DONE: frozenset(),
    AS.CANCELLED: frozenset(),
    AS.NOT_DONE: frozenset(),
}

ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    AS.PLANNED: "planlagt",
    AS.BOOKED: "booket",
    AS.IN_PROGRESS: "i gang",
    AS.DONE: "gennemført",
    AS.CANCELLED: "aflyst",
    AS.NOT_DONE: "ikke gennemført",
}


def record_action_move(
    session: Session,
    action: DevelopmentAction,
    target: ActionStatus,
    *,
    actor_id: int | None,
    person_id: int,
    now: datetime,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Set the action's status with its audit entry; the caller checked the move."""
    record_change(
        session,
        actor_id=actor_id,
        entity_type="DevelopmentAction",
        entity_id=action.id,
        action=AuditAction.DEVELOPMENT_ACTION_STATUS_CHANGED,
        from_state=action.status.value,
        to_state=target.value,
        reason=reason,
        person_id=person_id,
        details=details,
        at=now,
    )
    action.status = target
    action.status_reason = reason
    action.updated_at = now


def follow_enrolments(
    session: Session,
    enrolment_ids: Iterable[int],
    target: ActionStatus,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Booked actions follow their enrolment: started is IN_PROGRESS, completed is DONE."""
    ids = list(enrolment_ids)
    if not ids:
        return
    rows = session.execute(
        select(DevelopmentAction, Dialogue.leader_id)
        .join(DialogueFocus, DialogueFocus.id == DevelopmentAction.focus_id)
        .join(Dialogue, Dialogue.id == DialogueFocus.dialogue_id)
        .where(DevelopmentAction.enrolment_id.in_(ids))
        .order_by(DevelopmentAction.id)
    ).all()
    for action, leader_id in rows:
        if target not in ACTION_TRANSITIONS[action.status]:
            continue
        record_action_move(
            session,
            action,
            target,
            actor_id=actor_id,
            person_id=leader_id,
            now=now,
            reason="Tilmeldingen er gennemført." if target is AS.DONE else "Kurset er i gang.",
            details={"enrolment_id": action.enrolment_id},
        )
    if rows:
        session.flush()  # the bulk path expires what it moved; these changes must not wait
