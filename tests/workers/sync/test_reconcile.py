"""Reconciliation: Moodle's course lists brought in line with the catalogue's places."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from catalogue.models import OutboxEvent, Role, SyncKind
from catalogue.models import SyncStatus as S
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from tests.fakes.moodle import MoodleSimulator
from tests.workers.sync.conftest import HR, LEADER, SEEDED_ON_INTRO, MoodleSite, Sync, viewer
from tests.workers.sync.test_outbox_delivery import _enrol


def test_missing_places_are_enrolled_lost_withdrawals_removed_and_strangers_left_alone(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    sync(SyncKind.COURSES)
    teacher = sim.add_user("underviser@example.dk")
    sim.enrol_user(moodle_site.intro, teacher, role_id=3)
    leader = moodle_site.users[LEADER]
    sim.enrol_user(moodle_site.intro, leader)  # enrolled once, but the withdrawal got lost
    enrolment = _enrol(session, LEADER)
    enrolments.withdraw(session, actor=viewer(session, HR, Role.HR), enrolment_id=enrolment.id)
    session.execute(update(OutboxEvent).values(delivered_at=utcnow()))
    session.commit()

    dry = sync(SyncKind.ENROLMENTS, dry_run=True)
    assert (dry.created, dry.updated, dry.failed) == (2, 1, 0)
    assert sim.calls_to("enrol_manual_enrol_users") == []

    outcome = sync(SyncKind.ENROLMENTS)

    assert (outcome.status, outcome.created, outcome.updated) == (S.SUCCEEDED, 2, 1)
    on_course = set(sim.enrolled_user_ids(moodle_site.intro))
    assert on_course == {teacher, *(moodle_site.users[e] for e in SEEDED_ON_INTRO)}

    again = sync(SyncKind.ENROLMENTS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
