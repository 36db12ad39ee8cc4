"""A manager change moves the leader's open dialogues to the new chef, and says so in the log.

Called by the directory service when a person's manager changes (SCIM, HR file,
HR's edit). A dialogue that has not ended (not CLOSED) follows the leader to the
new chef, with its status and everything written so far; a closed one keeps the
chef it was held with. The chef's submitted preparation stays the old chef's
words, so the audit entry names both chefs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Dialogue, Person
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.dialogue.rules import OPEN_STATUSES
from catalogue.services.errors import DomainError, ErrorCode


def reassign_open_dialogues(
    session: Session,
    person_id: int,
    new_chef_id: int | None,
    actor_id: int | None,
    *,
    now: datetime | None = None,
) -> list[Dialogue]:
    """Move ``person_id``'s open dialogues to ``new_chef_id``; returns the moved ones.

    Without a new chef (the person has no manager any more) nothing moves: the
    dialogue stays with the chef who has it until HR closes the cycle.
    """
    if new_chef_id is None:
        return []
    if new_chef_id == person_id:
        raise DomainError(ErrorCode.INVALID, "En leder kan ikke være sin egen chef.")
    if session.get(Person, new_chef_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Den nye chef findes ikke.", field="managerId")
    now = now or utcnow()
    moved = list(
        session.scalars(
            select(Dialogue)
            .where(
                Dialogue.leader_id == person_id,
                Dialogue.status.in_(OPEN_STATUSES),
                Dialogue.chef_id != new_chef_id,
            )
            .order_by(Dialogue.id)
            .with_for_update()
        )
    )
    for dialogue in moved:
        record_change(
            session,
            actor_id=actor_id,
            entity_type="Dialogue",
            entity_id=dialogue.id,
            action=AuditAction.DIALOGUE_CHEF_CHANGED,
            person_id=person_id,
            reason="Lederen har fået en ny chef.",
            details={
                "cycle_id": dialogue.cycle_id,
                "from_chef_id": dialogue.chef_id,
                "to_chef_id": new_chef_id,
                "status": dialogue.status.value,
            },
            at=now,
        )
        dialogue.chef_id = new_chef_id
        dialogue.updated_at = now
    session.flush()
    return moved
