"""Fixtures for the enrolment tests: the demo organisation's cast, and one app per backend.

Building the FastAPI app and its schema costs more than most of these tests, so
``client`` here reuses one app per database and points it at each test's
rolled-back session factory; the app reads ``app.state.session_factory`` per
request, so every request still runs inside the test's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.settings import Settings
from tests.enrolment.factories import Org, load_org


@pytest.fixture
def org(session: Session) -> Org:
    return load_org(session)


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
