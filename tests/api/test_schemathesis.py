"""Generated queries and mutations for every role: none may end in a fault or a 5xx.

schemathesis reads the schema by introspection from the app and generates
documents for every root field (hypothesis-graphql); each is sent with the
role's token to the production configuration, where a fault shows as
INTERNAL_SERVER_ERROR. Refusals (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT,
validation errors, userErrors) are expected answers, not failures.

The seed is fixed and shrinking is off, so a run is repeatable and bounded:
``EXAMPLES`` documents per field and role.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase
from schemathesis import Case
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import Role
from catalogue.settings import Settings
from tests.api.tokens import person, token_for

SEED = 20261201
EXAMPLES = 3

#: Who sends the requests: no token, and each role with a demo person holding it.
ROLES: dict[str, tuple[Role, dict[str, bool]] | None] = {
    "anonymous": None,
    "LEADER": (Role.LEADER, {"is_leader": True}),
    "CHEF": (Role.CHEF, {"is_chef": True}),
    "HR": (Role.HR, {"is_hr": True}),
    "LMS": (Role.LMS, {"is_lms": True}),
    "ADMIN": (Role.ADMIN, {"is_admin": True}),
}


@pytest.fixture
def prod_app(settings: Settings, engine: Engine, session_factory: sessionmaker[Session]) -> FastAPI:
    # Introspection is off in prod by default; schemathesis reads the schema through it.
    prod = Settings(
        env="prod",
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        graphql_introspection=True,
    )
    return create_app(prod, engine=engine, session_factory=session_factory)


def _faults(response: Any) -> list[str]:
    """What in a response is a fault rather than an answer: a 5xx, or a masked internal error."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:300]}"]
    body = response.json()
    return [
        f"{error.get('path')}: {error['message']}"
        for error in body.get("errors") or []
        if (error.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
    ]


def _operations(app: FastAPI) -> Iterator[Any]:
    schema = schemathesis.graphql.from_asgi("/graphql", app)
    for result in schema.get_all_operations():
        yield result.ok()


def _explore(operation: Any, client: TestClient, headers: dict[str, str]) -> list[str]:
    """Faults found in ``EXAMPLES`` generated documents for one root field."""
    faults: list[str] = []

    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case: Case) -> None:
        response = client.post("/graphql", json={"query": case.body}, headers=headers)
        faults.extend(f"{case.body!r} -> {fault}" for fault in _faults(response))

    run()
    return faults


@pytest.mark.parametrize("role", ROLES)
def test_generated_operations_end_in_no_fault_for_any_role(
    prod_app: FastAPI, session: Session, settings: Settings, role: str
) -> None:
    headers = {}
    if (who := ROLES[role]) is not None:
        token = token_for(settings, person(session, **who[1]), who[0])
        headers = {"Authorization": f"Bearer {token}"}
    with TestClient(prod_app, raise_server_exceptions=False) as client:
        faults = {
            operation.label: found
            for operation in _operations(prod_app)
            if (found := _explore(operation, client, headers))
        }
    assert not faults, "\n".join(f"{label}: {found[0]}" for label, found in sorted(faults.items()))
