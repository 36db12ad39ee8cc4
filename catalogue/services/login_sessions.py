"""Web logins: starting, reading and ending the server-side sessions of the web app.

A session is a row (``LoginSession``) so that logout ends it on the server, not just in
one browser, and a deactivated person or a removed role stops counting at the next
request. The browser gets a random token (``secrets.token_urlsafe``); only its SHA-256 is
stored. The roles are those granted at login, cut to the roles the person holds now.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalogue.models import LoginSession, Person, Role
from catalogue.services.capabilities import ROLE_CAPABILITIES, Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer

DEV_METHOD = "dev"
OIDC_METHOD = "oidc"
#: Opened from an LMS as an LTI 1.3 tool (``catalogue/lti``).
LTI_METHOD = "lti"
#: Roles a person logs in to the web app with, read from the capability table: any role
#: that grants something, except a service account's (``lms.client``: the LMS's machine).
PEOPLE_ROLES = tuple(
    role
    for role, granted in ROLE_CAPABILITIES.items()
    if granted and Capability.LMS_CLIENT not in granted
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    lifetime: timedelta


def start_session(
    session: Session, *, person: Person, roles: Iterable[Role], method: str, now: datetime
) -> str:
    """A new session for ``person``; returns the token for the cookie (never stored)."""
    if not person.active:
        raise DomainError(
            ErrorCode.FORBIDDEN, f"{person.name} er deaktiveret og kan ikke logge ind."
        )
    granted = frozenset(roles) & person.roles
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_hash(token),
            person_id=person.id,
            roles=",".join(sorted(granted)),
            method=method,
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return token


def viewer_for_session(
    session: Session, token: str, *, limits: SessionLimits, now: datetime
) -> Viewer | None:
    """The viewer behind a session token, or None when it is unknown, ended or too old.

    Touches ``last_seen_at`` (at most once a minute, so a page's many requests do not
    each write) to keep an active session alive.
    """
    row = session.scalar(select(LoginSession).where(LoginSession.token_hash == _hash(token)))
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > limits.idle or now - row.created_at > limits.lifetime:
        row.ended_at = now
        session.flush()
        return None
    person = session.get(Person, row.person_id)
    if person is None or not person.active:
        return None
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now
        session.flush()
    claimed = {Role(name) for name in row.roles.split(",") if name in Role.__members__}
    return Viewer(person_id=person.id, email=person.email, roles=frozenset(claimed & person.roles))


def end_session(session: Session, token: str, *, now: datetime) -> bool:
    """Log out: the session ends for every request that carries its token. Idempotent."""
    result = session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def end_sessions_of(session: Session, person_id: int, *, now: datetime) -> None:
    """End every open session of a person (deactivation, erasure)."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.person_id == person_id, LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def demo_people(session: Session) -> Sequence[Person]:
    """The people the development login page offers: active, with a role a person uses."""
    return session.scalars(
        select(Person)
        .where(Person.active.is_(True), Person.holds_any(PEOPLE_ROLES))
        .order_by(Person.name, Person.id)
    ).all()


def person_for_dev_login(session: Session, person_id: int) -> Person:
    """The person picked on the development login page; refused when not one on offer."""
    person = session.get(Person, person_id)
    if person is None or not person.active or person.roles.isdisjoint(PEOPLE_ROLES):
        raise DomainError(
            ErrorCode.NOT_FOUND,
            "Personen findes ikke blandt demo-personerne; vælg en fra listen.",
            field="personId",
        )
    return person
