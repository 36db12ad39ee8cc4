"""No log line holds the signing secret, a bearer token or the database password.

The app runs with its real logging setup, in both formats, through every error
path that used to print them (tracebacks with each frame's locals): a broken
token, a validly signed token with malformed claims, a fault inside a resolver
and the database unreachable during an authenticated request. Then the whole
captured log is searched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import Role
from catalogue.services import course_search
from catalogue.settings import Settings
from tests.api.tokens import person, token_for

SECRET = "log-scan-signing-secret-" + "s" * 24
DB_PASSWORD = "log-scan-db-password-7f3a"
UNREACHABLE_DB = f"postgresql+psycopg://katalog:{DB_PASSWORD}@127.0.0.1:1/katalog"
ME = "{ me { email } }"
COURSES = "{ courses(first: 1) { totalCount } }"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """create_app installs its handler on the root logger; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _signed(settings: Settings, **claims: Any) -> str:
    key = settings.signing_key()
    assert key is not None
    base = {
        "aud": "kompetencekatalog",
        "iss": settings.token_issuer,
        "exp": datetime.now(UTC) + timedelta(hours=1),
    }
    return jwt.encode({**base, **claims}, key, algorithm="HS256")


def _post(client: TestClient, token: str, query: str = ME) -> int:
    response = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("resolver-fault-marker: søgningen fejlede")


@pytest.mark.parametrize("log_json", [False, True], ids=["console", "json"])
def test_no_error_path_logs_the_secret_a_token_or_the_database_password(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    log_json: bool,
) -> None:
    configured = Settings(database_url=settings.database_url, secret_key=SECRET, log_json=log_json)
    hr = person(session, is_hr=True)
    good = token_for(configured, hr, Role.HR)
    bad_roles = _signed(configured, sub=hr.email, email=hr.email, roles=["HR", {"x": 1}, None])
    nul_email = _signed(configured, sub=hr.email, email="hr\x00@ltk.dk", roles=["HR"])
    expired = token_for(configured, hr, Role.HR, timedelta(seconds=-5))
    tampered = good[:-4] + "AAAA"
    tokens = [good, bad_roles, nul_email, expired, tampered]

    capsys.readouterr()
    app = create_app(configured, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        assert _post(client, bad_roles) == 401
        assert _post(client, nul_email) == 401
        assert _post(client, expired) == 401
        assert _post(client, tampered) == 401
        monkeypatch.setattr(course_search, "course_search_statement", _fail)
        assert _post(client, good, COURSES) == 200
    # The database unreachable while an authenticated request looks up its person.
    unreachable = Settings(database_url=UNREACHABLE_DB, secret_key=SECRET, log_json=log_json)
    with TestClient(create_app(unreachable), raise_server_exceptions=False) as client:
        response = client.post(
            "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {good}"}
        )
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"

    logged = capsys.readouterr().err
    # The failures were logged, tracebacks included: the search below had something to find.
    assert "request.failed" in logged
    assert "OperationalError" in logged
    assert "resolver-fault-marker" in logged
    assert "Traceback" in logged
    assert SECRET not in logged
    assert DB_PASSWORD not in logged
    for token in tokens:
        assert token not in logged
        assert token.split(".")[1][:16] not in logged  # not even the start of its claims
    assert "eyJ" not in logged  # nothing shaped like a JWT at all
    assert SECRET not in response.text


def test_settings_print_their_secrets_masked() -> None:
    configured = Settings(
        database_url=UNREACHABLE_DB,
        secret_key=SECRET,
        lms_kind="moodle",
        moodle_url="https://moodle.example.dk",
        moodle_token="moodle-token-" + "m" * 20,
    )
    for text in (repr(configured), str(configured), str(configured.model_dump())):
        assert SECRET not in text
        assert DB_PASSWORD not in text
        assert "moodle-token-" not in text
    assert configured.signing_key() == SECRET
