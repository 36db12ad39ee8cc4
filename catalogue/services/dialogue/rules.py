"""The dialogue state machine: the one place a dialogue's status changes.

``TRANSITIONS`` lists every legal move as (action, from) -> to. ``apply_transition``
is the only code that assigns ``Dialogue.status``: it refuses a move that is not in
the table with INVALID_TRANSITION before touching the row, and writes the audit
entry in the caller's transaction. Who may make a move (the chef holds the meeting,
both confirm, HR closes) is the calling service's rule, not the table's.

INVITED → PREPARING (first save) → READY (both submitted) → HELD (the chef records
the meeting) → AGREED (both confirmed the summary) → FOLLOWED_UP → CLOSED (the cycle
closes). The chef may reopen a HELD or AGREED dialogue with a reason; a reopened
dialogue is edited and agreed again, with a new snapshot beside the old ones.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from catalogue.models import Dialogue, DialogueStatus
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode

S = DialogueStatus


class DialogueAction(StrEnum):
    BEGIN = "begin"
    COMPLETE_PREPARATION = "complete_preparation"
    HOLD = "hold"
    AGREE = "agree"
    FOLLOW_UP = "follow_up"
    REOPEN = "reopen"
    CLOSE = "close"


A = DialogueAction

TRANSITIONS: dict[DialogueAction, dict[DialogueStatus, DialogueStatus]] = {
    A.BEGIN: {S.INVITED: S.PREPARING},
    A.COMPLETE_PREPARATION: {S.PREPARING: S.READY},
    A.HOLD: {S.READY: S.HELD},
    A.AGREE: {S.HELD: S.AGREED, S.REOPENED: S.AGREED},
    A.FOLLOW_UP: {S.AGREED: S.FOLLOWED_UP},
    A.REOPEN: {S.HELD: S.REOPENED, S.AGREED: S.REOPENED},
    A.CLOSE: {
        S.INVITED: S.CLOSED,
        S.PREPARING: S.CLOSED,
        S.READY: S.CLOSED,
        S.HELD: S.CLOSED,
        S.AGREED: S.CLOSED,
        S.FOLLOWED_UP: S.CLOSED,
        S.REOPENED: S.CLOSED,
    },
}

AUDIT_ACTIONS: dict[DialogueAction, AuditAction] = {
    A.BEGIN: AuditAction.DIALOGUE_PREPARATION_STARTED,
    A.COMPLETE_PREPARATION: AuditAction.DIALOGUE_READY,
    A.HOLD: AuditAction.DIALOGUE_HELD,
    A.AGREE: AuditAction.DIALOGUE_AGREED,
    A.FOLLOW_UP: AuditAction.DIALOGUE_FOLLOWED_UP,
    A.REOPEN: AuditAction.DIALOGUE_REOPENED,
    A.CLOSE: AuditAction.DIALOGUE_CLOSED,
}

STATUS_LABELS: dict[DialogueStatus, str] = {
    S.INVITED: "inviteret",
    S.PREPARING: "under forberedelse",
    S.READY: "klar til samtalen",
    S.HELD: "afholdt",
    S.AGREED: "aftalt",
    S.FOLLOWED_UP: "fulgt op",
    S.CLOSED: "afsluttet",
    S.REOPENED: "genåbnet",
}

ACTION_LABELS: dict[DialogueAction, str] = {
    A.BEGIN: "forberedes",
    A.COMPLETE_PREPARATION: "meldes klar",
    A.HOLD: "registreres som afholdt",
    A.AGREE: "aftales",
    A.FOLLOW_UP: "følges op",
    A.REOPEN: "genåbnes",
    A.CLOSE: "afsluttes",
}

#: Where the agreement (agreed importances, focus, actions, summary) may be edited.
AGREEMENT_EDITABLE = frozenset({S.HELD, S.REOPENED})
#: Where each side may still write its own preparation (until it submits).
PREPARATION_EDITABLE = frozenset({S.INVITED, S.PREPARING})
#: A dialogue that has not ended: a manager change moves these to the new chef.
OPEN_STATUSES = frozenset(set(S) - {S.CLOSED})


def next_status(current: DialogueStatus, action: DialogueAction) -> DialogueStatus:
    """Where ``action`` takes a dialogue in ``current``, or INVALID_TRANSITION."""
    target = TRANSITIONS[action].get(current)
    if target is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Samtalen kan ikke {ACTION_LABELS[action]}, fordi den er {STATUS_LABELS[current]}.",
        )
    return target


def apply_transition(
    session: Session,
    dialogue: Dialogue,
    action: DialogueAction,
    *,
    actor_id: int | None,
    now: datetime,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> Dialogue:
    """Move ``dialogue`` by ``action`` with its audit entry, or refuse with nothing changed."""
    current = dialogue.status
    target = next_status(current, action)
    dialogue.status = target
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Dialogue",
        entity_id=dialogue.id,
        action=AUDIT_ACTIONS[action],
        from_state=current.value,
        to_state=target.value,
        reason=reason,
        person_id=dialogue.leader_id,
        details={"cycle_id": dialogue.cycle_id, **(details or {})},
        at=now,
    )
    return dialogue
