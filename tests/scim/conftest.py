"""A SCIM service provider on a database of its own, per backend, for the SCIM tests.

The SCIM routes commit (a provisioning client's changes are real), so these tests
do not share the rolled-back transaction of the other tests: each module gets a
freshly migrated database (a SQLite file, a PostgreSQL schema) and names what it
creates uniquely.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.app import create_app
from catalogue.db import make_engine, make_session_factory
from catalogue.settings import Settings
from tests.backends import postgres_schema_url, require_postgres

SCIM_TOKEN = "scim-test-token-" + "s" * 32
SCIM_MEDIA_TYPE = "application/scim+json"
ROLE_GROUPS = {"LTK Kompetencekatalog HR": "HR", "LTK Kompetencekatalog Chefer": "CHEF"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def scim_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('scim') / 'scim.sqlite3'}"
        migrate.upgrade(url)
        yield url
    else:
        with postgres_schema_url(require_postgres()) as url:
            migrate.upgrade(url)
            yield url


def scim_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "secret_key": "test-secret-" + "x" * 32,
        "scim_token": SCIM_TOKEN,
        "scim_group_roles": ROLE_GROUPS,
        "scim_max_results": 50,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="module")
def scim_engine(scim_database_url: str) -> Iterator[Engine]:
    engine = make_engine(scim_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def scim_app(scim_database_url: str, scim_engine: Engine) -> FastAPI:
    return create_app(scim_settings(scim_database_url), engine=scim_engine)


@pytest.fixture(scope="module")
def scim(scim_app: FastAPI) -> Iterator[TestClient]:
    """A client of the SCIM routes with the provisioning token, as Entra ID sends it."""
    with TestClient(
        scim_app,
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {SCIM_TOKEN}", "Content-Type": SCIM_MEDIA_TYPE},
    ) as client:
        yield client


@pytest.fixture
def db(scim_engine: Engine) -> Iterator[Session]:
    """A session on the SCIM database, to check what the requests stored."""
    factory: sessionmaker[Session] = make_session_factory(scim_engine)
    with factory() as session:
        yield session


def unique(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}"


def user_body(name: str, **extra: Any) -> dict[str, Any]:
    """A User as Entra ID's provisioning service creates one (Microsoft's documented body)."""
    tag = unique(name)
    return {
        "schemas": [
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        ],
        "externalId": str(uuid.uuid4()),
        "userName": f"{tag}@ltk.example",
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": f"{tag}@ltk.example"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": f"{name} Test", "familyName": "Test", "givenName": name},
        "roles": [],
        **extra,
    }


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": list(operations),
    }


def error_of(response: Any) -> dict[str, Any]:
    """The SCIM Error body of a refused request, checked for its shape."""
    assert response.headers["content-type"].startswith(SCIM_MEDIA_TYPE)
    body: dict[str, Any] = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == str(response.status_code)
    return body
