"""The same first login sent several times at once creates one person (PostgreSQL, real commits)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import AuditLogEntry, Person
from catalogue.services.idp_keys import IdentityProviderKeys
from catalogue.services.tokens import viewer_from_token
from catalogue.settings import Settings
from tests.api.provider_tokens import AUDIENCE, ISSUER, serve_provider
from tests.backends import postgres_schema_url, require_postgres

pytestmark = pytest.mark.postgres

LOGINS = 6


@pytest.fixture
def committed_url() -> Iterator[str]:
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        yield url


def test_simultaneous_first_logins_create_one_person(committed_url: str) -> None:
    engine: Engine = make_engine(committed_url, pool_size=LOGINS + 2, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        with serve_provider() as provider:
            settings = Settings(
                database_url=committed_url,
                oidc_jwks_url=provider.jwks_url,
                oidc_issuer=ISSUER,
                oidc_audience=AUDIENCE,
                oidc_roles_claim="groups",
                oidc_role_mapping={"Ledere": ["LEADER"]},
                oidc_create_people=True,
            )
            keys = IdentityProviderKeys.from_settings(settings)
            assert keys is not None
            token = provider.token(sub="s", email="samtidig@ltk.dk", name="Sam", groups=["Ledere"])
            asyncio.run(keys.prepare(token))

            barrier = threading.Barrier(LOGINS)
            results: list[object] = [None] * LOGINS

            def login(index: int) -> None:
                barrier.wait()
                try:
                    with factory() as session:
                        results[index] = viewer_from_token(
                            session, settings, token, idp_keys=keys
                        ).person_id
                except BaseException as exc:  # reported below
                    results[index] = exc

            threads = [threading.Thread(target=login, args=(i,)) for i in range(LOGINS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)

        assert len(set(results)) == 1, results
        assert isinstance(results[0], int)
        with factory() as session:
            assert (
                session.scalar(select(func.count()).where(Person.email == "samtidig@ltk.dk")) == 1
            )
            assert (
                session.scalar(
                    select(func.count()).where(AuditLogEntry.action == "PERSON_CREATED_AT_LOGIN")
                )
                == 1
            )
    finally:
        engine.dispose()
