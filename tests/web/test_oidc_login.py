"""Login through a real OpenID Connect provider process (oidc-provider-mock on loopback).

Nothing is patched: the app discovers the provider, sends the browser to its
authorization endpoint with a PKCE S256 challenge, state and nonce, exchanges the code
over HTTP and checks the ID token with the provider's published keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import LoginSession, Person
from catalogue.settings import Settings
from catalogue.web.security import SESSION_COOKIE
from tests.web.browser import free_port

LEADER = "sofie.noergaard@demo.ltk.example"
UNKNOWN = "nobody@elsewhere.example"
CLIENT_ID = "kompetencekatalog-web"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The provider as a process of its own on a free loopback port, stopped afterwards."""
    users = [
        # The provider claims HR too; the person holds only LEADER, so only LEADER counts.
        {"sub": "sofie", "email": LEADER, "roles": ["LEADER", "HR"]},
        {"sub": "nobody", "email": UNKNOWN, "roles": ["LEADER"]},
    ]
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port"]
    command.append(str(port))
    for user in users:
        command += ["--user-claims", json.dumps(user)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"OIDC-udbyderen startede ikke: {process.stderr and process.stderr.read()!r}"
                )
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


@pytest.fixture
def oidc_client(
    provider: str, database_url: str, engine: object, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    settings = Settings(
        database_url=database_url,
        secret_key="test-secret-" + "x" * 32,
        web_session_secret="web-secret-" + "y" * 32,
        oidc_issuer=provider,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret="client-secret",
    )
    app = create_app(settings, engine=engine, session_factory=session_factory)  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client


def _authorize(client: TestClient, sub: str, next_path: str = "/") -> httpx.Response:
    """Start at our app, log in at the provider, and come back: the callback's response."""
    start = client.get(f"/log-ind/oidc?next={next_path}", follow_redirects=False)
    assert start.status_code == 302, start.text
    authorize_url = start.headers["location"]
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"][0]
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["client_id"] == [CLIENT_ID]
    answer = httpx.post(authorize_url, data={"sub": sub}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == "/log-ind/oidc/retur"
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def test_a_leader_logs_in_through_the_identity_provider(
    oidc_client: TestClient, session: Session
) -> None:
    response = _authorize(oidc_client, "sofie", "/profil")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/profil"
    assert SESSION_COOKIE in oidc_client.cookies
    assert "Velkommen, Sofie Nørgaard" in oidc_client.get("/").text
    person = session.scalar(select(Person).where(Person.email == LEADER))
    assert person is not None
    row = session.scalars(
        select(LoginSession)
        .where(LoginSession.person_id == person.id)
        .order_by(LoginSession.id.desc())
    ).first()
    assert row is not None
    assert row.method == "oidc"
    assert row.roles == "LEADER"  # HR claimed by the provider, not held by the person


def test_someone_the_catalogue_does_not_know_is_refused(oidc_client: TestClient) -> None:
    response = _authorize(oidc_client, "nobody")
    assert response.status_code == 403
    assert f"Tokenets person {UNKNOWN} findes ikke i kataloget." in response.text
    assert SESSION_COOKIE not in oidc_client.cookies


def test_a_callback_with_a_forged_state_logs_nobody_in(oidc_client: TestClient) -> None:
    oidc_client.get("/log-ind/oidc", follow_redirects=False)
    response = oidc_client.get(
        "/log-ind/oidc/retur?code=made-up&state=forged", follow_redirects=False
    )
    assert response.status_code == 400
    assert "Login mislykkedes" in response.text
    assert SESSION_COOKIE not in oidc_client.cookies


def test_a_code_is_good_for_one_login_only(oidc_client: TestClient) -> None:
    start = oidc_client.get("/log-ind/oidc", follow_redirects=False)
    answer = httpx.post(start.headers["location"], data={"sub": "sofie"}, follow_redirects=False)
    back = urlsplit(answer.headers["location"])
    first = oidc_client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert first.status_code == 303
    oidc_client.cookies.clear()
    again = oidc_client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert again.status_code == 400
    assert SESSION_COOKIE not in oidc_client.cookies


def test_without_a_provider_the_oidc_login_says_it_is_not_set_up(client: TestClient) -> None:
    response = client.get("/log-ind/oidc")
    assert response.status_code == 404
    assert "Identitetsudbyderen er ikke sat op" in response.text


def test_no_secret_or_code_reaches_the_log(
    oidc_client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    response = _authorize(oidc_client, "sofie")
    assert response.status_code == 303
    cookie = oidc_client.cookies[SESSION_COOKIE]
    logged = capsys.readouterr()
    assert "client-secret" not in logged.out + logged.err
    assert cookie not in logged.out + logged.err


def test_a_provider_that_does_not_answer_is_a_clear_page(
    database_url: str, engine: object, session_factory: sessionmaker[Session]
) -> None:
    settings = Settings(
        database_url=database_url,
        web_session_secret="web-secret-" + "y" * 32,
        oidc_issuer=f"http://127.0.0.1:{free_port()}",  # nobody listens there
        oidc_client_id=CLIENT_ID,
    )
    app = create_app(settings, engine=engine, session_factory=session_factory)  # type: ignore[arg-type]
    with TestClient(app) as client:
        response = client.get("/log-ind/oidc", follow_redirects=False)
    assert response.status_code == 502
    assert "identitetsudbyder svarer ikke" in response.text
