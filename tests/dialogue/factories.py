"""Cycles and dialogues made to measure for the dialogue tests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceStatement,
    Dialogue,
    DialogueCycle,
    DialogueStatus,
    Person,
    PreparationVisibility,
)
from catalogue.services.dialogue import cycles
from catalogue.services.profiles import statement_by_key
from tests.enrolment.factories import Org, viewer


def draft_cycle(
    session: Session,
    org: Org,
    *,
    year: int = 2027,
    visibility: PreparationVisibility = PreparationVisibility.AFTER_BOTH_SUBMITTED,
    hr_may_read: bool = False,
) -> DialogueCycle:
    today = date.today()
    return cycles.create_cycle(
        session,
        actor=viewer(org.hr),
        year=year,
        title=f"LUS {year}",
        opens_on=today - timedelta(days=10),
        preparation_due=today + timedelta(days=7),
        meeting_from=today - timedelta(days=5),
        meeting_until=today + timedelta(days=30),
        closes_on=today + timedelta(days=200),
        visibility=visibility,
        hr_may_read_dialogues=hr_may_read,
    )


def open_cycle(session: Session, org: Org, **options: object) -> DialogueCycle:
    cycle = draft_cycle(session, org, **options)  # type: ignore[arg-type]
    return cycles.open_cycle(session, actor=viewer(org.hr), cycle_id=cycle.id)


def dialogue_of(session: Session, cycle: DialogueCycle, leader: Person) -> Dialogue:
    found = session.scalar(
        select(Dialogue).where(Dialogue.cycle_id == cycle.id, Dialogue.leader_id == leader.id)
    )
    assert found is not None, leader.email
    return found


def statement(session: Session, key: str) -> CompetenceStatement:
    found = statement_by_key(session, key)
    assert found is not None, key
    return found


def stored_dialogue(
    session: Session, cycle: DialogueCycle, leader: Person, status: DialogueStatus
) -> Dialogue:
    """The leader's dialogue put straight into ``status``, to test what may happen from there."""
    dialogue = dialogue_of(session, cycle, leader)
    dialogue.status = status
    session.flush()
    return dialogue


def foreign_statement(session: Session) -> CompetenceStatement:
    """A statement of a profile version no cycle uses: an unpublished draft made here."""
    from catalogue.models import CompetenceField, CompetenceProfile

    version = (session.scalar(select(func.max(CompetenceProfile.version))) or 0) + 1
    profile = CompetenceProfile(
        version=version,
        title="Udkast",
        intro="",
        work_environment_note="",
        dialogue_note="",
        content_digest="x" * 64,
        published_at=None,
    )
    session.add(profile)
    session.flush()
    field = CompetenceField(
        profile_id=profile.id, key="K1", name="Felt", description="", position=1
    )
    session.add(field)
    session.flush()
    statement = CompetenceStatement(
        profile_id=profile.id, field_id=field.id, key="K1.1", text="Vi skal noget.", position=1
    )
    session.add(statement)
    session.flush()
    return statement
