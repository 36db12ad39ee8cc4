"""Fixtures for the recruitment tests: the demo cast, an open dialogue cycle, a vacancy."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from catalogue.models import DialogueCycle
from tests.dialogue.factories import open_cycle
from tests.enrolment.factories import Org, load_org
from tests.recruitment.factories import Vacancy, vacancy_with_committee


@pytest.fixture
def org(session: Session) -> Org:
    return load_org(session)


@pytest.fixture
def cycle(session: Session, org: Org) -> DialogueCycle:
    return open_cycle(session, org, year=2031)


@pytest.fixture
def vacancy(session: Session, org: Org) -> Vacancy:
    return vacancy_with_committee(session, org)
