"""Minting tokens for the demo organisation's people in tests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Person, Role
from catalogue.services.tokens import mint_token
from catalogue.settings import Settings


def person(session: Session, **flags: bool) -> Person:
    """The first demo person (by email) with the given role flags set."""
    statement = select(Person).order_by(Person.email)
    for flag, value in flags.items():
        statement = statement.where(getattr(Person, flag).is_(value))
    found = session.scalars(statement.limit(1)).first()
    assert found is not None, flags
    return found


def token_for(
    settings: Settings, who: Person, role: Role, expires_in: timedelta = timedelta(hours=1)
) -> str:
    return mint_token(settings, person=who, roles=[role], expires_in=expires_in)
