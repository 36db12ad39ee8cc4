"""Tokens: who is asking, and clear UNAUTHENTICATED / FORBIDDEN errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import Person, Role
from catalogue.services.people import subordinate_ids
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

ME = "{ me { name email roles } }"


def _post(client: TestClient, token: str, query: str = ME) -> tuple[int, dict]:
    response = client.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, response.json()


def test_me_is_the_person_behind_the_token(
    client: TestClient, session: Session, settings: Settings
) -> None:
    hr = person(session, is_hr=True)
    body = gql(client, ME, token=token_for(settings, hr, Role.HR))
    assert body["data"]["me"] == {"name": hr.name, "email": hr.email, "roles": ["HR"]}


@pytest.mark.parametrize(
    ("make_token", "says"),
    [
        (lambda s, p: token_for(s, p, Role.LEADER, timedelta(seconds=-5)), "udløbet"),
        (lambda s, p: "not-a-jwt", "ikke et gyldigt JWT"),
        (
            lambda s, p: token_for(s, p, Role.LEADER)[:-4] + "AAAA",
            "signatur",
        ),
        (
            lambda s, p: jwt.encode(
                {
                    "sub": p.email,
                    "aud": "kompetencekatalog",
                    "iss": s.token_issuer,
                    "exp": datetime.now(UTC) + timedelta(hours=1),
                },
                "another-secret-that-is-long-enough-for-hs256",
                algorithm="HS256",
            ),
            "signatur",
        ),
        (
            lambda s, p: jwt.encode(
                {
                    "sub": "nobody@example.org",
                    "aud": "kompetencekatalog",
                    "iss": s.token_issuer,
                    "exp": datetime.now(UTC) + timedelta(hours=1),
                },
                s.signing_key(),
                algorithm="HS256",
            ),
            "findes ikke",
        ),
    ],
    ids=["expired", "malformed", "tampered", "wrong key", "unknown person"],
)
def test_bad_tokens_are_unauthenticated_with_a_clear_reason(
    client: TestClient, session: Session, settings: Settings, make_token, says: str
) -> None:
    leader = person(session, is_leader=True, is_chef=False)
    status, body = _post(client, make_token(settings, leader))
    assert status == 401
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert says in body["errors"][0]["message"]


def test_wrong_authorization_scheme_is_rejected(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": ME}, headers={"Authorization": "Basic x"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


def test_no_token_on_a_personal_field_is_unauthenticated(client: TestClient) -> None:
    body = gql(client, ME)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "token" in body["errors"][0]["message"]


def test_a_role_the_person_does_not_hold_cannot_be_minted(
    session: Session, settings: Settings
) -> None:
    leader = person(session, is_leader=True, is_hr=False, is_chef=False)
    from catalogue.services.errors import DomainError

    with pytest.raises(DomainError, match="har ikke rollen HR"):
        token_for(settings, leader, Role.HR)


def test_leaders_may_not_list_people_but_chefs_see_their_whole_subtree(
    client: TestClient, session: Session, settings: Settings
) -> None:
    leader = person(session, is_leader=True, is_chef=False)
    body = gql(client, "{ people { totalCount } }", token=token_for(settings, leader, Role.LEADER))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "CHEF" in body["errors"][0]["message"]

    director = session.query(Person).filter(Person.is_chef, Person.manager_id.is_(None)).one()
    body = gql(
        client,
        "{ people(first: 100) { totalCount nodes { email } } }",
        token=token_for(settings, director, Role.CHEF),
    )
    emails = {n["email"] for n in body["data"]["people"]["nodes"]}
    expected = {
        p.email
        for p in session.query(Person).filter(
            Person.id.in_(subordinate_ids(session, director.id) | {director.id})
        )
    }
    assert emails == expected
    assert len(emails) > 20


def _serve_jwks(jwks: dict) -> tuple[ThreadingHTTPServer, str]:
    payload = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/jwks.json"


@pytest.fixture
def idp() -> Iterator[tuple[rsa.RSAPrivateKey, str]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    server, url = _serve_jwks(
        {"keys": [{**public, "kid": "test-key", "use": "sig", "alg": "RS256"}]}
    )
    yield key, url
    server.shutdown()
    server.server_close()


def test_identity_provider_tokens_are_checked_against_its_jwks(
    idp: tuple[rsa.RSAPrivateKey, str],
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
) -> None:
    key, url = idp
    oidc = settings.model_copy(
        update={"oidc_jwks_url": url, "oidc_issuer": "https://idp.test", "oidc_audience": "katalog"}
    )
    chef = person(session, is_chef=True)
    claims = {
        "sub": "idp-subject-1",
        "email": chef.email,
        "roles": ["CHEF"],
        "iss": "https://idp.test",
        "aud": "katalog",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
    }
    good = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key"})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": "test-key"})
    wrong_audience = jwt.encode(
        {**claims, "aud": "else"}, key, algorithm="RS256", headers={"kid": "test-key"}
    )

    with TestClient(create_app(oidc, engine=engine, session_factory=session_factory)) as client:
        status, body = _post(client, good)
        assert status == 200
        assert body["data"]["me"]["email"] == chef.email
        assert _post(client, forged)[0] == 401
        status, body = _post(client, wrong_audience)
        assert status == 401
        assert "modtager" in body["errors"][0]["message"]


def _local_token(settings: Settings, **claims: object) -> str:
    """A token signed with the right key, carrying whatever claims the test wants."""
    key = settings.signing_key()
    assert key is not None
    base = {
        "aud": "kompetencekatalog",
        "iss": settings.token_issuer,
        "exp": datetime.now(UTC) + timedelta(hours=1),
    }
    return jwt.encode({**base, **claims}, key, algorithm="HS256")


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"roles": ["HR", {"x": 1}, None]}, "'roles' skal være en liste af rollenavne"),
        ({"roles": "HR"}, "'roles' skal være en liste af rollenavne"),
        ({"email": "hr\x00@ltk.dk"}, "kontroltegn"),
        ({"email": "a" * 400 + "@ltk.dk"}, "over 320 tegn"),
    ],
    ids=["roles holds an object", "roles is a string", "NUL in email", "overlong email"],
)
def test_a_validly_signed_token_with_malformed_claims_is_unauthenticated(
    client: TestClient, session: Session, settings: Settings, claims: dict, says: str
) -> None:
    hr = person(session, is_hr=True)
    token = _local_token(settings, **{"sub": hr.email, "email": hr.email, **claims})
    status, body = _post(client, token)
    assert status == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert says in body["errors"][0]["message"]


@pytest.fixture
def idp_only_prod(
    idp: tuple[rsa.RSAPrivateKey, str], settings: Settings
) -> tuple[rsa.RSAPrivateKey, Settings]:
    """Production with the identity provider configured and no CATALOGUE_SECRET_KEY."""
    key, url = idp
    prod = Settings(
        env="prod",
        database_url=settings.database_url,
        oidc_jwks_url=url,
        oidc_issuer="https://idp.test",
        oidc_audience="katalog",
    )
    return key, prod


def test_production_without_a_secret_takes_no_local_tokens(
    idp_only_prod: tuple[rsa.RSAPrivateKey, Settings],
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
) -> None:
    _, prod = idp_only_prod
    hr = person(session, is_hr=True)
    # What the dev default would sign with: the key generated into var/secret_key.
    generated = Settings(database_url=prod.database_url)
    forged = _local_token(generated, sub=hr.email, email=hr.email, roles=["HR"])

    assert prod.signing_key() is None
    with TestClient(create_app(prod, engine=engine, session_factory=session_factory)) as client:
        status, body = _post(client, forged)
    assert status == 401
    assert "Lokale tokens" in body["errors"][0]["message"]
    from catalogue.services.errors import DomainError

    with pytest.raises(DomainError, match="CATALOGUE_SECRET_KEY"):
        token_for(prod, hr, Role.HR)


@pytest.mark.parametrize(
    ("verified", "status"),
    [(False, 401), ("false", 401), (True, 200), ("true", 200), (None, 200)],
    ids=["false", "'false'", "true", "'true'", "absent"],
)
def test_an_identity_provider_token_with_an_unverified_email_is_refused(
    idp_only_prod: tuple[rsa.RSAPrivateKey, Settings],
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    verified: object,
    status: int,
) -> None:
    key, prod = idp_only_prod
    chef = person(session, is_chef=True)
    claims: dict[str, object] = {
        "sub": "idp-subject-2",
        "email": chef.email,
        "roles": ["CHEF"],
        "iss": "https://idp.test",
        "aud": "katalog",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
    }
    if verified is not None:
        claims["email_verified"] = verified
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key"})
    with TestClient(create_app(prod, engine=engine, session_factory=session_factory)) as client:
        answered, body = _post(client, token)
    assert answered == status
    if status == 401:
        assert "email_verified" in body["errors"][0]["message"]
    else:
        assert body["data"]["me"]["email"] == chef.email


INTROSPECT = "{ __schema { queryType { name } } }"


@pytest.mark.parametrize(
    ("env", "setting", "allowed"),
    [("prod", None, False), ("prod", True, True), ("dev", None, True), ("dev", False, False)],
)
def test_introspection_is_off_in_production_unless_switched_on(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    env: str,
    setting: bool | None,
    allowed: bool,
) -> None:
    configured = Settings(
        env=env,
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        graphql_introspection=setting,
    )
    app = create_app(configured, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        response = client.post("/graphql", json={"query": INTROSPECT})
        typename = client.post("/graphql", json={"query": "{ __typename }"}).json()
    assert typename == {"data": {"__typename": "Query"}}
    body = response.json()
    if allowed:
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    else:
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"INTROSPECTION_DISABLED"}
        first = body["errors"][0]["message"]
        assert "Introspektion er slået fra" in first
        assert "__schema" in first
