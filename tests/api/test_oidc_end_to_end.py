"""The production path, end to end: a real OIDC provider's token for a provisioned person.

Nothing is patched. A fresh database is migrated and seeded with
``catalogue seed --no-demo`` as a municipality would; one person is provisioned (by
the model, as SCIM or the HR file would store them); ``oidc-provider-mock`` runs as
its own process on loopback, serving discovery and JWKS, and issues an ID token
through the authorization-code flow; the service validates it against the
provider's JWKS and answers GraphQL with the role the person's group maps to.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from catalogue.app import create_app
from catalogue.db import make_engine, make_session_factory
from catalogue.models import Person
from catalogue.settings import PROJECT_ROOT, Settings
from tests.backends import postgres_schema_url, require_postgres

CLIENT_ID = "kompetencekatalog"
REDIRECT_URI = "http://127.0.0.1/login/callback"
HR_GROUP = "b7a1e0c2-5d3f-4e8a-9c61-2f0d7e4b9a13"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """``oidc-provider-mock`` as a separate process; its issuer URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("oidc-provider-mock startede ikke")
            time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _id_token(issuer: str, sub: str, claims: dict[str, object]) -> str:
    """Log ``sub`` in at the provider, as a browser would, and redeem the code for tokens."""
    assert httpx.put(f"{issuer}/users/{quote(sub)}", json=claims).status_code == 204
    config = httpx.get(f"{issuer}/.well-known/openid-configuration").json()
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": "openid email profile",
        "state": "tilstand",
    }
    authorized = httpx.post(config["authorization_endpoint"], params=params, data={"sub": sub})
    assert authorized.status_code == 302, authorized.text
    code = parse_qs(urlparse(authorized.headers["location"]).query)["code"][0]
    tokens = httpx.post(
        config["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID,
            "client_secret": "hemmelig",
        },
    )
    assert tokens.status_code == 200, tokens.text
    token: str = tokens.json()["id_token"]
    return token


def _catalogue(*args: str, database_url: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    done = subprocess.run(
        [sys.executable, "-m", "catalogue.cli", *args],
        env={**clean, "CATALOGUE_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database as production starts it: migrated, the profile seeded, no demo data."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'production.sqlite3'}"
        _catalogue("migrate", database_url=url)
        _catalogue("seed", "--no-demo", database_url=url)
        yield url
    else:
        with postgres_schema_url(require_postgres()) as url:
            _catalogue("migrate", database_url=url)
            _catalogue("seed", "--no-demo", database_url=url)
            yield url


ME = "{ me { name email roles } auditLog(first: 1) { totalCount } }"


def test_a_real_provider_token_of_a_provisioned_person_works_with_the_mapped_role(
    provider: str, fresh_database: str
) -> None:
    engine = make_engine(fresh_database)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            assert session.query(Person).count() == 0  # --no-demo: nobody yet
            session.add(Person(email="karen.hr@ltk.dk", name="Karen Sørensen", title="HR-partner"))
            session.commit()
        config = httpx.get(f"{provider}/.well-known/openid-configuration").json()
        settings = Settings(
            env="prod",
            database_url=fresh_database,
            oidc_issuer=config["issuer"],
            oidc_audience=CLIENT_ID,
            oidc_jwks_url=config["jwks_uri"],
            oidc_roles_claim="groups",
            oidc_role_mapping={HR_GROUP: ["HR"]},
        )
        token = _id_token(
            provider,
            "karen-objekt-id",
            {
                "email": "karen.hr@ltk.dk",
                "email_verified": True,
                "name": "Karen Sørensen",
                "groups": ["Alle medarbejdere", HR_GROUP],
            },
        )
        unknown = _id_token(
            provider,
            "ole-objekt-id",
            {"email": "ole@ltk.dk", "email_verified": True, "groups": [HR_GROUP]},
        )
        no_role = _id_token(
            provider, "karen-uden-gruppe", {"email": "karen.hr@ltk.dk", "groups": ["Alle"]}
        )
        app = create_app(settings, engine=engine, session_factory=factory)
        with TestClient(app) as client:
            answer = client.post(
                "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert "errors" not in body, body
            assert body["data"]["me"] == {
                "name": "Karen Sørensen",
                "email": "karen.hr@ltk.dk",
                "roles": [],
            }
            assert body["data"]["auditLog"]["totalCount"] >= 1  # HR's audit.read, by the group

            refused = client.post(
                "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {unknown}"}
            )
            assert refused.status_code == 401
            assert "ole@ltk.dk findes ikke i kataloget" in refused.json()["errors"][0]["message"]

            no_group = client.post(
                "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {no_role}"}
            )
            assert no_group.status_code == 403
            assert "ingen rolle" in no_group.json()["errors"][0]["message"]
    finally:
        engine.dispose()


def test_the_provider_token_stops_working_when_the_person_is_deactivated(
    provider: str, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'leaver.sqlite3'}"
    _catalogue("migrate", database_url=url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with factory() as session:
            boss = Person(email="chef@ltk.dk", name="Chef")
            session.add(boss)
            session.flush()
            session.add(Person(email="medarbejder@ltk.dk", name="M", manager_id=boss.id))
            session.commit()
        config = httpx.get(f"{provider}/.well-known/openid-configuration").json()
        settings = Settings(
            env="prod",
            database_url=url,
            oidc_issuer=config["issuer"],
            oidc_audience=CLIENT_ID,
            oidc_jwks_url=config["jwks_uri"],
        )
        token = _id_token(provider, "chef-objekt-id", {"email": "chef@ltk.dk"})
        with TestClient(create_app(settings, engine=engine, session_factory=factory)) as client:
            me = {"query": "{ me { email } }"}
            headers = {"Authorization": f"Bearer {token}"}
            # No role claim at all: a LEADER, because someone has them as manager.
            assert client.post("/graphql", json=me, headers=headers).status_code == 200
            with factory() as session:
                leaver = session.query(Person).filter_by(email="chef@ltk.dk").one()
                leaver.active = False
                session.commit()
            assert client.post("/graphql", json=me, headers=headers).status_code == 401
    finally:
        engine.dispose()
