"""Web login sessions: how long they last, whose roles they carry, how they end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import LoginSession, Person, Role
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.login_sessions import (
    DEV_METHOD,
    SessionLimits,
    demo_people,
    end_session,
    end_sessions_of,
    person_for_dev_login,
    start_session,
    viewer_for_session,
)

LIMITS = SessionLimits(idle=timedelta(minutes=120), lifetime=timedelta(hours=12))


def _person(session: Session, email: str) -> Person:
    person = session.scalar(select(Person).where(Person.email == email))
    assert person is not None
    return person


@pytest.fixture
def chef(session: Session) -> Person:
    return _person(session, "mette.kjaergaard@demo.ltk.example")


def test_a_session_carries_the_roles_granted_at_login(session: Session, chef: Person) -> None:
    now = utcnow()
    token = start_session(session, person=chef, roles={Role.LEADER}, method=DEV_METHOD, now=now)
    viewer = viewer_for_session(session, token, limits=LIMITS, now=now)
    assert viewer is not None
    assert viewer.person_id == chef.id
    assert viewer.roles == {Role.LEADER}


def test_roles_the_person_does_not_hold_are_never_granted(session: Session, chef: Person) -> None:
    now = utcnow()
    token = start_session(session, person=chef, roles=set(Role), method=DEV_METHOD, now=now)
    viewer = viewer_for_session(session, token, limits=LIMITS, now=now)
    assert viewer is not None
    assert viewer.roles == chef.roles


def test_a_role_taken_away_stops_counting_at_the_next_request(
    session: Session, chef: Person
) -> None:
    now = utcnow()
    token = start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=now)
    chef.is_chef = False
    session.flush()
    viewer = viewer_for_session(session, token, limits=LIMITS, now=now)
    assert viewer is not None
    assert Role.CHEF not in viewer.roles


def test_the_token_is_not_stored(session: Session, chef: Person) -> None:
    token = start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=utcnow())
    stored = session.scalars(select(LoginSession.token_hash)).all()
    assert token not in stored
    assert all(len(value) == 64 for value in stored)


def test_an_idle_session_ends(session: Session, chef: Person) -> None:
    start = utcnow()
    token = start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=start)
    later = start + LIMITS.idle + timedelta(seconds=1)
    assert viewer_for_session(session, token, limits=LIMITS, now=later) is None
    # Ended for good: coming back within the idle time of that moment does not revive it.
    assert viewer_for_session(session, token, limits=LIMITS, now=later) is None


def test_a_used_session_lives_until_its_lifetime(session: Session, chef: Person) -> None:
    start = utcnow()
    token = start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=start)
    moment = start
    while moment < start + LIMITS.lifetime - timedelta(hours=1):
        moment += timedelta(minutes=90)
        assert viewer_for_session(session, token, limits=LIMITS, now=moment) is not None
    after = start + LIMITS.lifetime + timedelta(minutes=1)
    assert viewer_for_session(session, token, limits=LIMITS, now=after) is None


def test_logout_ends_the_session_once(session: Session, chef: Person) -> None:
    now = utcnow()
    token = start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=now)
    assert end_session(session, token, now=now) is True
    assert end_session(session, token, now=now) is False
    assert viewer_for_session(session, token, limits=LIMITS, now=now) is None


def test_deactivation_ends_every_session(session: Session, chef: Person) -> None:
    now = utcnow()
    tokens = [
        start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=now)
        for _ in range(2)
    ]
    chef.active = False
    session.flush()
    assert all(viewer_for_session(session, t, limits=LIMITS, now=now) is None for t in tokens)
    end_sessions_of(session, chef.id, now=now)
    rows = session.scalars(select(LoginSession).where(LoginSession.person_id == chef.id)).all()
    assert all(row.ended_at is not None for row in rows)


def test_a_deactivated_person_cannot_log_in(session: Session, chef: Person) -> None:
    chef.active = False
    session.flush()
    with pytest.raises(DomainError) as refused:
        start_session(session, person=chef, roles=chef.roles, method=DEV_METHOD, now=utcnow())
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert "deaktiveret" in refused.value.message


@pytest.mark.parametrize("token", ["", "unknown", "x" * 500, "\x00"])
def test_an_unknown_token_is_nobody(session: Session, token: str) -> None:
    assert viewer_for_session(session, token, limits=LIMITS, now=utcnow()) is None


def test_the_dev_picker_offers_people_but_not_the_lms_account(session: Session) -> None:
    emails = {person.email for person in demo_people(session)}
    assert "sofie.noergaard@demo.ltk.example" in emails
    assert "moodle-sync@demo.ltk.example" not in emails
    lms = _person(session, "moodle-sync@demo.ltk.example")
    with pytest.raises(DomainError):
        person_for_dev_login(session, lms.id)
