"""Who may see and change a dialogue, and what of the other side's preparation they see.

- The leader: their own dialogues; the chef: the dialogues where they are the chef.
  Both may write their own side (``dialogue.take_part``).
- The chef's own chef (the chef's manager, ``dialogue.oversee``): read only.
- HR (``dialogue.read_single``): a single dialogue only where its cycle allows it
  (``hr_may_read_dialogues``, default off); otherwise only the aggregate view.
- Anyone else gets the NOT_FOUND of an id that does not exist, so ids cannot be probed.

Reads by the chef's chef and HR are written to the audit log (``record_read``).

Blind preparation: the leader's and the chef's drafts and submissions are visible to
the other side only when the cycle's ``visibility`` says so (at once, after one's own
submission, after both). Third parties (the chef's chef, HR) see a side only once
both have submitted. The server applies this rule when it reads; nothing hidden is
sent to a client.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Dialogue, DialogueCycle, DialogueSide, Person, PreparationVisibility
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer


class Standing(StrEnum):
    """How the viewer stands to a dialogue."""

    LEADER = "LEADER"
    CHEF = "CHEF"
    CHEFS_CHEF = "CHEFS_CHEF"
    HR = "HR"


PARTIES = frozenset({Standing.LEADER, Standing.CHEF})
SIDE_OF = {Standing.LEADER: DialogueSide.LEADER, Standing.CHEF: DialogueSide.CHEF}

NOT_FOUND_MESSAGE = "Samtalen findes ikke, eller du har ikke adgang til den."


def standing(
    viewer: Viewer | None,
    dialogue: Dialogue,
    *,
    chef_manager_id: int | None,
    cycle: DialogueCycle,
) -> Standing | None:
    """The viewer's standing, from the dialogue, the chef's manager and the cycle's rule."""
    if viewer is None:
        return None
    if viewer.can(Capability.DIALOGUE_TAKE_PART):
        if viewer.person_id == dialogue.leader_id:
            return Standing.LEADER
        if viewer.person_id == dialogue.chef_id:
            return Standing.CHEF
    if viewer.can(Capability.DIALOGUE_OVERSEE) and chef_manager_id == viewer.person_id:
        return Standing.CHEFS_CHEF
    if viewer.can(Capability.DIALOGUE_READ_SINGLE) and cycle.hr_may_read_dialogues:
        return Standing.HR
    return None


def standing_in(session: Session, viewer: Viewer | None, dialogue: Dialogue) -> Standing | None:
    chef_manager_id = session.scalar(select(Person.manager_id).where(Person.id == dialogue.chef_id))
    return standing(viewer, dialogue, chef_manager_id=chef_manager_id, cycle=dialogue.cycle)


def get_dialogue(
    session: Session, dialogue_id: int, *, field: str = "dialogueId", lock: bool = False
) -> Dialogue:
    """The dialogue, re-read (and locked until the transaction ends when ``lock``)."""
    statement = select(Dialogue).where(Dialogue.id == dialogue_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    dialogue = session.scalar(statement)
    if dialogue is None:
        raise DomainError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE, field=field)
    return dialogue


def party_dialogue(
    session: Session, viewer: Viewer, dialogue_id: int, *, field: str = "dialogueId"
) -> tuple[Dialogue, Standing]:
    """The dialogue locked for a change by the leader or the chef; others are refused.

    The chef's chef and HR get FORBIDDEN (they may read, not write); anyone who may
    not even read it gets NOT_FOUND.
    """
    dialogue = get_dialogue(session, dialogue_id, field=field, lock=True)
    where = standing_in(session, viewer, dialogue)
    if where is None:
        raise DomainError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE, field=field)
    if where not in PARTIES:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du kan kun læse samtalen; kun lederen og chefen kan ændre den.",
            field=field,
        )
    return dialogue, where


def require_chef(where: Standing, *, doing: str) -> None:
    if where is not Standing.CHEF:
        raise DomainError(ErrorCode.FORBIDDEN, f"Kun chefen kan {doing}.")


def both_submitted(dialogue: Dialogue) -> bool:
    return dialogue.leader_submitted_at is not None and dialogue.chef_submitted_at is not None


def submitted_at(dialogue: Dialogue, side: DialogueSide) -> datetime | None:
    if side is DialogueSide.LEADER:
        return dialogue.leader_submitted_at
    if side is DialogueSide.CHEF:
        return dialogue.chef_submitted_at
    return None


def visible_sides(
    dialogue: Dialogue, visibility: PreparationVisibility, where: Standing
) -> frozenset[DialogueSide]:
    """The preparation sides the viewer may read: always their own, the other's by the rule.

    The starting point and the agreed rows are visible to everyone who may read at all.
    """
    shared = {DialogueSide.START, DialogueSide.AGREED}
    both = both_submitted(dialogue)
    if where not in PARTIES:
        return frozenset(shared | ({DialogueSide.LEADER, DialogueSide.CHEF} if both else set()))
    own = SIDE_OF[where]
    other = DialogueSide.CHEF if own is DialogueSide.LEADER else DialogueSide.LEADER
    if visibility is PreparationVisibility.AT_ONCE:
        sees_other = True
    elif visibility is PreparationVisibility.AFTER_OWN_SUBMISSION:
        sees_other = submitted_at(dialogue, own) is not None
    else:
        sees_other = both
    return frozenset(shared | {own} | ({other} if sees_other else set()))


def record_read(session: Session, viewer: Viewer, dialogue: Dialogue, where: Standing) -> None:
    """Audit a read of a single dialogue by someone other than its leader and chef."""
    if where in PARTIES:
        return
    record_change(
        session,
        actor_id=viewer.person_id,
        entity_type="Dialogue",
        entity_id=dialogue.id,
        action=AuditAction.DIALOGUE_READ,
        person_id=dialogue.leader_id,
        details={"standing": where.value, "cycle_id": dialogue.cycle_id},
    )
