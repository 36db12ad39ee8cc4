"""The tool over HTTPS (TestClient at https://testserver) with one registered platform."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.services.lti_platforms import PlatformInput, add_platform
from catalogue.settings import Settings
from tests.lti.platform import TOOL, Platform, rsa_pem

TOOL_PRIVATE_PEM, _ = rsa_pem()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-" + "x" * 32,
        web_session_secret="web-session-secret-" + "y" * 32,
        lti_private_key=TOOL_PRIVATE_PEM,
    )


@pytest.fixture
def platform() -> Platform:
    return Platform()


def register(session: Session, platform: Platform, **changes: object) -> None:
    data = PlatformInput(
        name="Moodle (test)",
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_login_url=platform.auth_login_url,
        auth_token_url=f"{platform.issuer}/mod/lti/token.php",
        key_set=platform.jwks(),
        deployment_ids=[platform.deployment_id],
    )
    for key, value in changes.items():
        object.__setattr__(data, key, value)
    add_platform(session, data, allow_http=False)
    session.commit()


@pytest.fixture
def lti_client(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    platform: Platform,
) -> Iterator[TestClient]:
    register(session, platform)
    app = create_app(settings, engine=engine, session_factory=session_factory)
    with TestClient(app, base_url=TOOL) as client:
        yield client
