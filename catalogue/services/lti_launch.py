"""The rules of an LTI launch that are ours, not the protocol's: nonces used once, and
which catalogue person the platform's user is.

The person is matched the way the LMS sync matches users: the platform's ``sub`` against
the ``lms_user_id`` the sync stored (only for a platform marked as the synced LMS, whose
``sub`` is that user id), else the e-mail address the platform sends. Nobody is created:
an unknown person is refused with a Danish message that says what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalogue.models import LtiNonce, LtiPlatform, Person
from catalogue.services.errors import DomainError, ErrorCode

#: A login initiation must be followed by its launch within this time.
NONCE_LIFETIME = timedelta(minutes=10)
EMAIL_MAX_LENGTH = 320


def save_nonce(session: Session, nonce: str, *, now: datetime) -> None:
    session.execute(delete(LtiNonce).where(LtiNonce.expires_at < now))
    session.add(LtiNonce(nonce=nonce, expires_at=now + NONCE_LIFETIME))
    session.flush()


def use_nonce(session: Session, nonce: str, *, now: datetime) -> bool:
    """True once per nonce sent: the row is deleted, so a replay (or a race) finds none."""
    if not nonce or len(nonce) > 100:
        return False
    result = session.execute(
        delete(LtiNonce).where(LtiNonce.nonce == nonce, LtiNonce.expires_at >= now)
    )
    return bool(getattr(result, "rowcount", 0))


def person_for_launch(session: Session, platform: LtiPlatform, claims: Mapping[str, Any]) -> Person:
    """The active catalogue person the launch's validated claims name; else a DomainError."""
    sub = claims.get("sub")
    email = claims.get("email")
    person: Person | None = None
    if platform.sub_is_lms_user_id and isinstance(sub, str) and 0 < len(sub) <= 64:
        person = session.scalar(select(Person).where(Person.lms_user_id == sub))
    if person is None and isinstance(email, str) and email:
        if len(email) > EMAIL_MAX_LENGTH or not email.isprintable():
            raise DomainError(
                ErrorCode.INVALID,
                f"{platform.name} sendte en e-mailadresse, der ikke er gyldig "
                f"(over {EMAIL_MAX_LENGTH} tegn eller med kontroltegn).",
                field="email",
            )
        person = session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None:
        who = email if isinstance(email, str) and email.isprintable() else "brugeren"
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"{who} fra {platform.name} findes ikke i kompetencekataloget, så du er ikke "
            "logget ind. Kontakt HR, hvis du er leder i kommunen og skal have adgang.",
            field="sub",
        )
    if not person.active:
        raise DomainError(
            ErrorCode.FORBIDDEN, f"{person.name} er deaktiveret og kan ikke logge ind."
        )
    return person
