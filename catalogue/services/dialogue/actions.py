"""Development actions after the meeting: booking a course run, and each action's status.

PLANNED → BOOKED → IN_PROGRESS → DONE, or CANCELLED / NOT_DONE (with a reason) from
any of the first three. A course is booked through the enrolment service
(``enrolments.enrol``), so approval, seats and the waiting list apply as for any
enrolment; the booked enrolment then drives the action: its start makes the action
IN_PROGRESS and its completion DONE (``follow_enrolments``, called by the enrolment
state machine), so a course action is never set DONE by hand.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionKind,
    ActionStatus,
    DevelopmentAction,
    DialogueFocus,
    DialogueStatus,
)
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.dialogue.access import party_dialogue
from catalogue.services.dialogue.action_status import (
    ACTION_STATUS_LABELS,
    ACTION_TRANSITIONS,
    record_action_move,
)
from catalogue.services.dialogue.rules import STATUS_LABELS
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.validation import Checks

#: A plan is carried out once agreed (and while a reopened agreement is reworked).
PLAN_ACTIVE = frozenset(
    {
        DialogueStatus.HELD,
        DialogueStatus.AGREED,
        DialogueStatus.FOLLOWED_UP,
        DialogueStatus.REOPENED,
    }
)
REASON_MAX_LENGTH = 2000


def _action_in_dialogue(
    session: Session, actor: Viewer, action_id: int
) -> tuple[DevelopmentAction, int]:
    row = session.execute(
        select(DevelopmentAction, DialogueFocus.dialogue_id)
        .join(DialogueFocus, DialogueFocus.id == DevelopmentAction.focus_id)
        .where(DevelopmentAction.id == action_id)
    ).first()
    if row is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Handlingen findes ikke.", field="actionId")
    action, dialogue_id = row
    return action, dialogue_id


def book_action(
    session: Session, *, actor: Viewer, action_id: int, now: datetime | None = None
) -> DevelopmentAction:
    """Book a course action's run for the leader through the enrolment service."""
    now = now or utcnow()
    action, dialogue_id = _action_in_dialogue(session, actor, action_id)
    dialogue, _ = party_dialogue(session, actor, dialogue_id, field="actionId")
    if dialogue.status not in PLAN_ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Handlingen kan ikke bookes, fordi samtalen er {STATUS_LABELS[dialogue.status]}.",
            field="actionId",
        )
    if action.kind is not ActionKind.COURSE or action.course_run_id is None:
        raise DomainError(
            ErrorCode.INVALID, "Kun et kursus med et hold kan bookes.", field="actionId"
        )
    if action.status is ActionStatus.BOOKED and action.enrolment_id is not None:
        return action  # the same booking twice is one booking
    if ActionStatus.BOOKED not in ACTION_TRANSITIONS[action.status]:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Handlingen kan ikke bookes, fordi den er {ACTION_STATUS_LABELS[action.status]}.",
            field="actionId",
        )
    enrolment = enrolments.enrol(
        session,
        actor=actor,
        course_run_id=action.course_run_id,
        person_id=dialogue.leader_id,
        focus_statement_keys=[action.focus.statement.key],
        now=now,
    )
    action.enrolment_id = enrolment.id
    record_action_move(
        session,
        action,
        ActionStatus.BOOKED,
        actor_id=actor.person_id,
        person_id=dialogue.leader_id,
        now=now,
        details={"enrolment_id": enrolment.id, "enrolment_status": enrolment.status.value},
    )
    session.flush()
    return action


def set_action_status(
    session: Session,
    *,
    actor: Viewer,
    action_id: int,
    status: ActionStatus,
    reason: str | None = None,
    now: datetime | None = None,
) -> DevelopmentAction:
    """Move an action by hand; NOT_DONE and CANCELLED need a reason."""
    now = now or utcnow()
    action, dialogue_id = _action_in_dialogue(session, actor, action_id)
    dialogue, _ = party_dialogue(session, actor, dialogue_id, field="actionId")
    if dialogue.status not in PLAN_ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Handlingen kan ikke ændres, fordi samtalen er {STATUS_LABELS[dialogue.status]}.",
            field="actionId",
        )
    if action.kind is ActionKind.COURSE and status in (ActionStatus.BOOKED, ActionStatus.DONE):
        raise DomainError(
            ErrorCode.INVALID,
            "Et kursus bookes med bookingen og bliver gennemført, når gennemførelsen registreres.",
            field="status",
        )
    checks = Checks()
    needs_reason = status in (ActionStatus.NOT_DONE, ActionStatus.CANCELLED)
    clean_reason = checks.text(
        "reason",
        reason,
        label="Begrundelsen",
        max_length=REASON_MAX_LENGTH,
        required=needs_reason,
        multiline=True,
    )
    checks.done()
    if status not in ACTION_TRANSITIONS[action.status]:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Handlingen kan ikke blive {ACTION_STATUS_LABELS[status]}, fordi den er "
            f"{ACTION_STATUS_LABELS[action.status]}.",
            field="status",
        )
    record_action_move(
        session,
        action,
        status,
        actor_id=actor.person_id,
        person_id=dialogue.leader_id,
        now=now,
        reason=clean_reason or None,
    )
    session.flush()
    return action
