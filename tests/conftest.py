"""Shared fixtures: a migrated database per backend, and a rolled-back transaction per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.app import create_app
from catalogue.db import make_engine
from catalogue.seeding.loader import seed
from catalogue.settings import Settings
from tests.backends import postgres_schema_url, require_postgres

BACKENDS = ["sqlite", "postgresql"]

# The production time budget (5 s) is tried by tests/api/test_time_budget.py with budgets of
# its own; every other Settings a test makes must not cut a request short on a busy CI machine.
os.environ.setdefault("CATALOGUE_REQUEST_TIME_BUDGET", "120")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, seeded database for the whole run, one per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        _prepare(url)
        yield url
    else:
        with postgres_schema_url(require_postgres()) as url:
            _prepare(url)
            yield url


def _prepare(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(_factory(engine), demo=True, today=SEED_DAY)
    engine.dispose()


SEED_DAY = date.today()


def _factory(bind: Engine | Connection) -> sessionmaker[Session]:
    return sessionmaker(bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """Everything a test writes is rolled back at the end, even what it commits."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return _factory(connection)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, secret_key="test-secret-" + "x" * 32)


@pytest.fixture
def client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        yield client
