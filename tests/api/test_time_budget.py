"""The per-request time budget: no statement starts after it, none runs past it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.db import make_engine
from catalogue.settings import Settings
from catalogue.time_budget import TimeBudgetExceededError, time_budget

# Counts far enough that SQLite needs many seconds without the progress handler.
SLOW_SQLITE = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300000000) "
    "SELECT count(*) FROM n"
)
SLOW_POSTGRESQL = "SELECT pg_sleep(5)"
SPENT = 1e-9  # seconds: spent before the first statement can start


def _post(client: TestClient, query: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_a_request_past_its_budget_stops_with_one_clear_error(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    spent = settings.model_copy(update={"request_time_budget": SPENT})
    app = create_app(spent, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        body = _post(client, "{ a: courses { totalCount } b: activities { totalCount } }")
    [error] = body["errors"]
    assert error["extensions"] == {"code": "TIME_BUDGET_EXCEEDED", "seconds": SPENT}
    assert error["message"].startswith("Forespørgslen blev afbrudt, fordi den tog mere end")


def test_the_budget_error_is_not_masked_in_production(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    prod = Settings(
        env="prod",
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        request_time_budget=SPENT,
    )
    with TestClient(create_app(prod, engine=engine, session_factory=session_factory)) as client:
        body = _post(client, "{ courses { totalCount } }")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["TIME_BUDGET_EXCEEDED"]


def test_a_request_within_its_budget_runs(client: TestClient) -> None:
    body = _post(client, "{ courses { totalCount } }")
    assert "errors" not in body


def test_a_statement_that_runs_past_the_budget_is_interrupted(database_url: str) -> None:
    engine = make_engine(database_url, statement_timeout=0.2)
    slow = SLOW_POSTGRESQL if engine.dialect.name == "postgresql" else SLOW_SQLITE
    try:
        with engine.connect() as connection, time_budget(0.2):
            with pytest.raises(TimeBudgetExceededError):
                connection.execute(text(slow))
            connection.rollback()
    finally:
        engine.dispose()


def test_outside_a_budget_nothing_is_checked(engine: Engine) -> None:
    with time_budget(SPENT):
        pass
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
