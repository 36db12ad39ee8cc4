"""Leavers past retention are erased by the schedule, never forced; the clock is deactivation."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import AuditLogEntry, Person
from catalogue.models.base import utcnow
from catalogue.services.privacy.areas import ERASED_NAME
from catalogue.services.privacy.retention import erase_leavers_past_retention
from catalogue.settings import Settings
from tests.enrolment.factories import Org, new_leader
from workers.celery_app import ERASE_LEAVERS_TASK, beat_schedule

DAYS = 30


def _leaver(session: Session, org: Org, *, left_days_ago: float, name: str) -> Person:
    person = new_leader(session, org.chef, name)
    person.active = False
    session.flush()
    person.deactivated_at = utcnow() - timedelta(days=left_days_ago)
    session.flush()
    return person


def test_deactivating_starts_the_retention_clock_and_reactivating_stops_it(
    session: Session, org: Org
) -> None:
    person = new_leader(session, org.chef, "Ur")
    assert person.deactivated_at is None
    before = utcnow()
    person.active = False
    session.flush()
    assert person.deactivated_at is not None
    assert person.deactivated_at >= before
    stamped = person.deactivated_at
    person.active = False  # deactivating again keeps the first time
    assert person.deactivated_at == stamped
    person.active = True
    assert person.deactivated_at is None


def test_leavers_past_retention_are_erased_and_the_others_kept(
    session: Session, session_factory: sessionmaker[Session], org: Org
) -> None:
    old = _leaver(session, org, left_days_ago=DAYS + 1, name="Gammel")
    recent = _leaver(session, org, left_days_ago=DAYS - 1, name="Ny")
    still_leads = _leaver(session, org, left_days_ago=DAYS + 5, name="Leder")
    report = new_leader(session, still_leads, "Medarbejder")
    active = new_leader(session, org.chef, "Aktiv")
    session.commit()

    outcome = erase_leavers_past_retention(session_factory, retention_days=DAYS)

    assert outcome.erased == [old.id]
    assert list(outcome.kept) == [still_leads.id]
    assert "1 aktive medarbejdere med personen som leder" in outcome.kept[still_leads.id]
    session.expire_all()
    names = {p.id: p.name for p in session.scalars(select(Person))}
    assert names[old.id] == ERASED_NAME
    for kept in (recent, still_leads, report, active):
        assert names[kept.id] != ERASED_NAME
    entry = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.person_id == old.id, AuditLogEntry.action == "PERSON_ERASED"
        )
    ).one()
    assert entry.actor_id is None
    assert entry.details["source"] == "RETENTION"
    assert entry.reason == f"Opbevaringsperioden på {DAYS} dage efter fratræden er udløbet."

    again = erase_leavers_past_retention(session_factory, retention_days=DAYS)
    assert again.erased == []  # idempotent: the erased are not due again


def test_a_dry_run_erases_nobody(
    session: Session, session_factory: sessionmaker[Session], org: Org
) -> None:
    old = _leaver(session, org, left_days_ago=DAYS * 3, name="Prøve")
    session.commit()
    outcome = erase_leavers_past_retention(session_factory, retention_days=DAYS, dry_run=True)
    assert outcome.erased == [old.id]
    session.expire_all()
    stored = session.get(Person, old.id)
    assert stored is not None
    assert stored.erased_at is None


def test_beat_erases_leavers_daily_only_with_a_retention_period(settings: Settings) -> None:
    assert "privacy-erase-leavers" not in beat_schedule(settings)
    configured = settings.model_copy(update={"leaver_retention_days": DAYS})
    entry = beat_schedule(configured)["privacy-erase-leavers"]
    assert entry["task"] == ERASE_LEAVERS_TASK
    assert entry["schedule"] == 86400.0
