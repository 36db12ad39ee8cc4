"""The app's health endpoints and request ids."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from catalogue.app import create_app
from catalogue.settings import Settings


def test_healthz_says_the_process_is_alive(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_migrations(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"]
    assert body["checks"]["migrations"]["ok"]
    assert "broker" not in body["checks"]


def test_readyz_fails_on_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    with TestClient(create_app(settings)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["ok"] is False


def test_readyz_fails_when_the_broker_is_unreachable(
    client: TestClient, settings: Settings
) -> None:
    broken = settings.model_copy(update={"redis_url": "redis://127.0.0.1:9/0"})
    with TestClient(create_app(broken)) as other:
        response = other.get("/readyz")
    assert response.status_code == 503
    assert "CATALOGUE_REDIS_URL" in response.json()["checks"]["broker"]["detail"]


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"]
    assert echoed == "abc-123"


def test_graphiql_is_served_in_development(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
