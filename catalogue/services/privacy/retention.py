"""Leavers' data kept no longer than the retention period, then erased by the schedule.

``CATALOGUE_LEAVER_RETENTION_DAYS`` after a person was deactivated (``Person.
deactivated_at``, stamped by every way of deactivating), their data is erased
as ADMIN's ``personErase`` would, but never forced: a leaver who still has an open
place or people reporting to them is kept, with the reason, until HR sorts that
out, and the next run tries again. Each person is erased in a transaction of
their own, so one refusal holds up nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import Person
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.privacy.erasure import erase_person

log = structlog.get_logger("catalogue.privacy")


@dataclass
class RetentionRun:
    """Who was erased, and who was kept and why (ids only: the log must not name them)."""

    erased: list[int] = field(default_factory=list)
    kept: dict[int, str] = field(default_factory=dict)
    dry_run: bool = False


def leavers_past_retention(session: Session, *, retention_days: int, now: datetime) -> list[int]:
    cutoff = now - timedelta(days=retention_days)
    return list(
        session.scalars(
            select(Person.id)
            .where(
                Person.active.is_(False),
                Person.erased_at.is_(None),
                Person.deactivated_at <= cutoff,
            )
            .order_by(Person.id)
        )
    )


def erase_leavers_past_retention(
    sessions: sessionmaker[Session],
    *,
    retention_days: int,
    now: datetime | None = None,
    dry_run: bool = False,
) -> RetentionRun:
    """Erase every leaver past retention, one transaction each; ``dry_run`` stores nothing."""
    now = now or utcnow()
    outcome = RetentionRun(dry_run=dry_run)
    with sessions() as session:
        due = leavers_past_retention(session, retention_days=retention_days, now=now)
    reason = f"Opbevaringsperioden på {retention_days} dage efter fratræden er udløbet."
    for person_id in due:
        with sessions() as session:
            try:
                erase_person(session, actor=None, person_id=person_id, reason=reason, now=now)
            except DomainError as exc:
                session.rollback()
                if exc.code is not ErrorCode.ALREADY_ERASED:  # another run was quicker
                    outcome.kept[person_id] = exc.message
                continue
            if dry_run:
                session.rollback()
            else:
                session.commit()
            outcome.erased.append(person_id)
    log.info(
        "privacy.retention_run",
        erased=len(outcome.erased),
        kept=sorted(outcome.kept),
        dry_run=dry_run,
        retention_days=retention_days,
    )
    return outcome
