"""Every move of the dialogue state machine, legal and illegal.

``LEGAL`` below is the specification from the issue, written out by hand and not
derived from ``rules.TRANSITIONS``; the first test checks every (action, status)
pair against it. The service tests then drive the chef's moves from every stored
status and check that an illegal one is INVALID_TRANSITION with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import pytest
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, Dialogue, DialogueCycle, DialogueStatus
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.rules import DialogueAction, next_status
from catalogue.services.errors import DomainError, ErrorCode
from tests.dialogue.factories import stored_dialogue
from tests.enrolment.factories import Org, count, viewer

S = DialogueStatus
A = DialogueAction

LEGAL: set[tuple[DialogueAction, DialogueStatus, DialogueStatus]] = {
    (A.BEGIN, S.INVITED, S.PREPARING),
    (A.COMPLETE_PREPARATION, S.PREPARING, S.READY),
    (A.HOLD, S.READY, S.HELD),
    (A.AGREE, S.HELD, S.AGREED),
    (A.AGREE, S.REOPENED, S.AGREED),
    (A.FOLLOW_UP, S.AGREED, S.FOLLOWED_UP),
    (A.REOPEN, S.HELD, S.REOPENED),
    (A.REOPEN, S.AGREED, S.REOPENED),
    (A.CLOSE, S.INVITED, S.CLOSED),
    (A.CLOSE, S.PREPARING, S.CLOSED),
    (A.CLOSE, S.READY, S.CLOSED),
    (A.CLOSE, S.HELD, S.CLOSED),
    (A.CLOSE, S.AGREED, S.CLOSED),
    (A.CLOSE, S.FOLLOWED_UP, S.CLOSED),
    (A.CLOSE, S.REOPENED, S.CLOSED),
}
EXPECTED = {(action, current): target for action, current, target in LEGAL}


@pytest.mark.parametrize(
    ("action", "current"), list(product(DialogueAction, DialogueStatus)), ids=str
)
def test_every_action_from_every_status_is_legal_only_as_specified(
    action: DialogueAction, current: DialogueStatus
) -> None:
    expected = EXPECTED.get((action, current))
    if expected is not None:
        assert next_status(current, action) is expected
    else:
        with pytest.raises(DomainError) as caught:
            next_status(current, action)
        assert caught.value.code is ErrorCode.INVALID_TRANSITION
        assert caught.value.message.startswith("Samtalen kan ikke ")


def test_a_closed_dialogue_has_no_way_out() -> None:
    assert not [a for a in DialogueAction if (a, S.CLOSED) in EXPECTED]


Operation = Callable[[Session, Org, Dialogue], Dialogue]


def _hold(session: Session, org: Org, dialogue: Dialogue) -> Dialogue:
    return agreement.record_meeting(session, actor=viewer(org.chef), dialogue_id=dialogue.id)


def _reopen(session: Session, org: Org, dialogue: Dialogue) -> Dialogue:
    return agreement.reopen(
        session, actor=viewer(org.chef), dialogue_id=dialogue.id, reason="Nye opgaver."
    )


def _follow_up(session: Session, org: Org, dialogue: Dialogue) -> Dialogue:
    return agreement.record_follow_up(
        session, actor=viewer(org.chef), dialogue_id=dialogue.id, note="Godt på vej."
    )


OPERATIONS: dict[str, tuple[Operation, dict[DialogueStatus, DialogueStatus]]] = {
    "hold": (_hold, {S.READY: S.HELD}),
    "reopen": (_reopen, {S.HELD: S.REOPENED, S.AGREED: S.REOPENED}),
    "follow_up": (_follow_up, {S.AGREED: S.FOLLOWED_UP}),
}


@pytest.mark.parametrize(
    ("operation", "status"), list(product(OPERATIONS, DialogueStatus)), ids=str
)
def test_the_chefs_moves_from_every_stored_status(
    session: Session, org: Org, cycle: DialogueCycle, operation: str, status: DialogueStatus
) -> None:
    dialogue = stored_dialogue(session, cycle, org.leader, status)
    act, outcomes = OPERATIONS[operation]
    audit_before = count(session, AuditLogEntry)
    expected = outcomes.get(status)
    if expected is None:
        with pytest.raises(DomainError) as caught:
            act(session, org, dialogue)
        assert caught.value.code is ErrorCode.INVALID_TRANSITION
        session.expire_all()
        assert session.get(Dialogue, dialogue.id).status is status  # type: ignore[union-attr]
        assert count(session, AuditLogEntry) == audit_before
    else:
        assert act(session, org, dialogue).status is expected
        assert count(session, AuditLogEntry) == audit_before + 1


def test_only_the_chef_reopens_and_says_so_in_danish(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    dialogue = stored_dialogue(session, cycle, org.leader, S.AGREED)
    with pytest.raises(DomainError) as caught:
        agreement.reopen(
            session, actor=viewer(org.leader), dialogue_id=dialogue.id, reason="Jeg vil ændre."
        )
    assert caught.value.code is ErrorCode.FORBIDDEN
    assert caught.value.message == "Kun chefen kan genåbne samtalen."
    assert dialogue.status is S.AGREED
