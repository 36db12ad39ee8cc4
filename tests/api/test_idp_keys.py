"""The identity provider's keys are fetched without holding up anyone else.

A real JWKS server on 127.0.0.1 (http.server in a thread) answers as slowly or
as badly as each test needs. Order is shown with events, never with timings:
the slow server holds its answer until the other requests have been answered.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.settings import Settings
from tests.api.tokens import person

ME = "{ me { email } }"
#: Only a safety net so a broken build fails instead of hanging; no assertion uses it.
NEVER = 30.0


@dataclass
class JwksServer:
    """Serves ``keys``; ``answer`` decides per request: 'keys', 'error' or 'hold'."""

    keys: dict[str, object]
    answer: Callable[[int], str] = lambda _n: "keys"
    asked: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    events: list[str] = field(default_factory=list)
    requests: int = 0
    url: str = ""


@pytest.fixture
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def jwks(signing_key: rsa.RSAPrivateKey) -> Iterator[JwksServer]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    state = JwksServer(keys={"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]})

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests += 1
            how = state.answer(state.requests)
            state.events.append("jwks asked")
            state.asked.set()
            if how == "hold":
                state.release.wait(NEVER)
            if how == "error":
                self.send_response(500)
                self.end_headers()
                return
            payload = json.dumps(state.keys).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up waiting (its timeout)
                return
            state.events.append("jwks answered")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


def _oidc(settings: Settings, url: str, **extra: object) -> Settings:
    return Settings(
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        oidc_jwks_url=url,
        oidc_issuer="https://idp.test",
        oidc_audience="katalog",
        **extra,  # type: ignore[arg-type]
    )


def _idp_token(key: rsa.RSAPrivateKey, email: str) -> str:
    claims = {
        "sub": "idp-subject",
        "email": email,
        "roles": ["CHEF"],
        "iss": "https://idp.test",
        "aud": "katalog",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def _me(client: TestClient, token: str) -> tuple[int, dict]:
    response = client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.json()


def test_a_slow_key_endpoint_holds_up_only_the_request_that_needs_the_keys(
    jwks: JwksServer,
    signing_key: rsa.RSAPrivateKey,
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
) -> None:
    jwks.answer = lambda _n: "hold"
    chef = person(session, is_chef=True)
    token = _idp_token(signing_key, chef.email)
    app = create_app(_oidc(settings, jwks.url), engine=engine, session_factory=session_factory)
    authenticated: list[tuple[int, dict]] = []

    with TestClient(app) as client:
        waiting = threading.Thread(target=lambda: authenticated.append(_me(client, token)))
        waiting.start()
        assert jwks.asked.wait(NEVER)

        health = client.get("/healthz")
        jwks.events.append("healthz answered")
        anonymous = client.post("/graphql", json={"query": "{ courses(first: 1) { totalCount } }"})
        jwks.events.append("anonymous query answered")
        jwks.release.set()
        waiting.join(NEVER)

    assert health.json() == {"status": "ok"}
    assert anonymous.status_code == 200
    assert anonymous.json()["data"]["courses"]["totalCount"] > 0
    assert jwks.events == [
        "jwks asked",
        "healthz answered",
        "anonymous query answered",
        "jwks answered",
    ]
    [(status, body)] = authenticated
    assert status == 200
    assert body["data"]["me"]["email"] == chef.email


@pytest.mark.parametrize("failure", ["error", "hold"], ids=["HTTP 500", "timeout"])
def test_a_failed_key_fetch_keeps_the_last_good_keys(
    jwks: JwksServer,
    signing_key: rsa.RSAPrivateKey,
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    failure: str,
) -> None:
    # Every request finds the keys stale (max age 0); every fetch after the first fails.
    jwks.answer = lambda n: "keys" if n == 1 else failure
    configured = _oidc(
        settings, jwks.url, oidc_jwks_max_age_seconds=0, oidc_jwks_timeout_seconds=0.5
    )
    chef = person(session, is_chef=True)
    token = _idp_token(signing_key, chef.email)
    app = create_app(configured, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        first = _me(client, token)
        second = _me(client, token)

    assert first[0] == 200
    assert jwks.requests == 2
    assert second[0] == 200, second
    assert second[1]["data"]["me"]["email"] == chef.email


def test_no_keys_at_all_is_a_clear_unauthenticated(
    jwks: JwksServer,
    signing_key: rsa.RSAPrivateKey,
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
) -> None:
    jwks.answer = lambda _n: "error"
    chef = person(session, is_chef=True)
    app = create_app(_oidc(settings, jwks.url), engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        status, body = _me(client, _idp_token(signing_key, chef.email))
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "nøgler kan ikke hentes" in body["errors"][0]["message"]
