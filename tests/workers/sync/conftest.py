"""Fixtures for the sync engine: the demo catalogue on one side, a simulated Moodle on the other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Course, Person, Role, SyncKind
from catalogue.services.identity import Viewer
from catalogue.services.lms_sync import SyncOutcome
from catalogue.settings import Settings
from tests.fakes.moodle import MoodleSimulator
from workers.runtime import execute_sync

INTRO = "EL-LTK-INTRO"
INTRO_ACTIVITIES = (
    "Organisation, direktion og centre",
    "Styringsdokumenter, delegation og ledelsesgrundlag",
    "Kommunalbestyrelsen og de politiske udvalg",
)
LEADER = "sofie.noergaard@demo.ltk.example"
SEEDED_ON_INTRO = ("camilla.friis@demo.ltk.example", "anja.lykke@demo.ltk.example")
HR = "nanna.stougaard@demo.ltk.example"


@dataclass
class MoodleSite:
    """Ids of what ``moodle_site`` put in the simulator."""

    intro: int
    intro_modules: list[int]
    forum: int
    new_course: int
    new_modules: list[int]
    users: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def sim() -> MoodleSimulator:
    return MoodleSimulator()


@pytest.fixture
def moodle_site(sim: MoodleSimulator) -> MoodleSite:
    """The intro e-learning (idnumber = catalogue code) and one course the catalogue lacks."""
    intro = sim.add_course(
        "Kend kommunen (Moodle-titel)", idnumber=INTRO, summary="<p>Moodles tekst</p>"
    )
    modules = [
        sim.add_module(intro, name, modname="scorm", required_for_course=True)
        for name in INTRO_ACTIVITIES
    ]
    forum = sim.add_module(intro, "Opslag", modname="forum", completion=0)
    new_course = sim.add_course(
        "Trivsel i teamet", summary="<p>Om trivsel &amp; samarbejde.</p><p>To moduler.</p>"
    )
    new_modules = [
        sim.add_module(new_course, "Introduktion", modname="page"),
        sim.add_module(new_course, "Quiz om trivsel", modname="quiz"),
    ]
    site = MoodleSite(intro, modules, forum, new_course, new_modules)
    for email in (LEADER, *SEEDED_ON_INTRO):
        site.users[email] = sim.add_user(email)
    return site


@pytest.fixture
def lms_settings(settings: Settings, sim: MoodleSimulator) -> Settings:
    return Settings(
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        lms_kind="moodle",
        moodle_url=sim.service.site_url,
        moodle_token=sim.service.token,
        moodle_timeout_seconds=2,
    )


@pytest.fixture
def http(sim: MoodleSimulator) -> Iterator[httpx.Client]:
    with sim.client() as client:
        yield client


class Sync:
    """``sync(SyncKind.COURSES)`` runs the engine in the test's session against the simulator."""

    def __init__(self, session: Session, settings: Settings, http: httpx.Client) -> None:
        self.session = session
        self.settings = settings
        self.http = http

    def __call__(self, kind: SyncKind, **kwargs: Any) -> SyncOutcome:
        return execute_sync(self.settings, kind, session=self.session, client=self.http, **kwargs)


@pytest.fixture
def sync(session: Session, lms_settings: Settings, http: httpx.Client) -> Sync:
    return Sync(session, lms_settings, http)


def course(session: Session, code: str) -> Course:
    found = session.scalar(select(Course).where(Course.code == code))
    assert found is not None, code
    return found


def person(session: Session, email: str) -> Person:
    found = session.scalar(select(Person).where(Person.email == email))
    assert found is not None, email
    return found


def viewer(session: Session, email: str, *roles: Role) -> Viewer:
    found = person(session, email)
    return Viewer(person_id=found.id, email=found.email, roles=frozenset(roles))
