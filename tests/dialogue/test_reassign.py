"""A manager change moves the leader's open dialogues to the new chef, and the log says so."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, DialogueCycle, DialogueStatus
from catalogue.services.audit import AuditAction
from catalogue.services.dialogue.access import Standing, standing_in
from catalogue.services.dialogue.reassign import reassign_open_dialogues
from catalogue.services.errors import DomainError, ErrorCode
from tests.dialogue.factories import dialogue_of, open_cycle, stored_dialogue
from tests.enrolment.factories import Org, viewer


def test_open_dialogues_follow_the_leader_to_the_new_chef_and_closed_ones_stay(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    closed_cycle = open_cycle(session, org, year=2026 - 1)
    old = stored_dialogue(session, closed_cycle, org.leader, DialogueStatus.CLOSED)
    current = stored_dialogue(session, cycle, org.leader, DialogueStatus.PREPARING)

    moved = reassign_open_dialogues(session, org.leader.id, org.other_chef.id, org.hr.id)

    assert current.id in {d.id for d in moved}  # with the demo cycle's open dialogue, if any
    assert old.id not in {d.id for d in moved}
    assert all(d.status is not DialogueStatus.CLOSED for d in moved)
    assert current.chef_id == org.other_chef.id
    assert current.status is DialogueStatus.PREPARING
    assert old.chef_id == org.chef.id
    assert standing_in(session, viewer(org.other_chef), current) is Standing.CHEF
    assert standing_in(session, viewer(org.chef), current) is None
    entry = session.scalar(
        select(AuditLogEntry).where(
            AuditLogEntry.entity_type == "Dialogue",
            AuditLogEntry.entity_id == current.id,
            AuditLogEntry.action == AuditAction.DIALOGUE_CHEF_CHANGED.value,
        )
    )
    assert entry is not None
    assert entry.actor_id == org.hr.id
    assert entry.details["from_chef_id"] == org.chef.id
    assert entry.details["to_chef_id"] == org.other_chef.id
    assert entry.reason == "Lederen har fået en ny chef."


def test_the_same_change_twice_moves_nothing_the_second_time(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    assert reassign_open_dialogues(session, org.leader.id, org.other_chef.id, None)
    assert reassign_open_dialogues(session, org.leader.id, org.other_chef.id, None) == []
    assert reassign_open_dialogues(session, org.leader.id, None, None) == []
    assert dialogue_of(session, cycle, org.leader).chef_id == org.other_chef.id


def test_an_unknown_chef_or_oneself_is_refused(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    with pytest.raises(DomainError) as unknown:
        reassign_open_dialogues(session, org.leader.id, 2_000_000, None)
    assert unknown.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainError) as own:
        reassign_open_dialogues(session, org.leader.id, org.leader.id, None)
    assert own.value.code is ErrorCode.INVALID
    assert dialogue_of(session, cycle, org.leader).chef_id == org.chef.id


def test_a_manager_change_in_the_directory_moves_the_open_dialogue(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    from catalogue.models.base import utcnow
    from catalogue.services.managers import set_manager

    current = stored_dialogue(session, cycle, org.leader, DialogueStatus.PREPARING)

    set_manager(
        session,
        person=org.leader,
        manager_id=org.other_chef.id,
        actor_id=org.hr.id,
        source="SCIM",
        now=utcnow(),
    )

    assert current.chef_id == org.other_chef.id
    assert session.scalar(
        select(AuditLogEntry).where(
            AuditLogEntry.entity_id == current.id,
            AuditLogEntry.action == AuditAction.DIALOGUE_CHEF_CHANGED.value,
        )
    )
