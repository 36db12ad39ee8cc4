"""Fixtures for the dialogue tests: the demo cast, an open cycle, one app per backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import DialogueCycle
from catalogue.settings import Settings
from tests.dialogue.factories import open_cycle
from tests.enrolment.factories import Org, load_org


@pytest.fixture
def org(session: Session) -> Org:
    return load_org(session)


@pytest.fixture
def cycle(session: Session, org: Org) -> DialogueCycle:
    return open_cycle(session, org)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32)


@pytest.fixture(scope="session")
def shared_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


@pytest.fixture
def client(shared_client: TestClient, session_factory: sessionmaker[Session]) -> TestClient:
    app = shared_client.app
    app.state.session_factory = session_factory  # type: ignore[attr-defined]
    return shared_client
