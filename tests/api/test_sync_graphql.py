"""``syncRuns`` and ``triggerLmsSync``: HR sees and starts LMS syncs; nobody else can."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import Role, SyncKind, SyncRun, SyncStatus
from catalogue.models.base import utcnow
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for
from tests.backends import require_redis

RUNS = """
query Runs($kind: SyncKind, $first: Int) {
  syncRuns(kind: $kind, first: $first) {
    totalCount
    nodes {
      id kind status dryRun createdCount updatedCount unchangedCount failedCount message
      issues { level item itemId code message }
      requestedBy { email }
    }
  }
}
"""
TRIGGER = """
mutation Trigger($kind: SyncKind!, $dryRun: Boolean!) {
  triggerLmsSync(input: {kind: $kind, dryRun: $dryRun}) {
    syncRun { id kind status dryRun message requestedBy { email } }
    userErrors { field message code }
  }
}
"""

NODE = "query($id: ID!) { node(id: $id) { ... on SyncRun { status } } }"


def _lms_settings(settings: Settings, **overrides: object) -> Settings:
    values = {
        "database_url": settings.database_url,
        "secret_key": settings.secret_key,
        "lms_kind": "moodle",
        "moodle_url": "https://moodle.example.dk",
        "moodle_token": "token",
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def lms_client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    app = create_app(_lms_settings(settings), engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        yield client


def _hr_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


def test_hr_sees_the_runs_newest_first_with_their_issues(
    client: TestClient, session: Session, settings: Settings
) -> None:
    session.add_all(
        [
            SyncRun(
                kind=SyncKind.COURSES,
                status=SyncStatus.SUCCEEDED,
                started_at=utcnow(),
                errors=[],
                message="første",
            ),
            SyncRun(
                kind=SyncKind.OUTBOX,
                status=SyncStatus.PARTIAL,
                started_at=utcnow(),
                created_count=1,
                failed_count=1,
                errors=[
                    {
                        "level": "error",
                        "item": "udbakke-hændelse",
                        "item_id": "7",
                        "code": "NOT_FOUND",
                        "message": "Findes ikke i LMS'et.",
                    }
                ],
            ),
        ]
    )
    session.commit()

    body = gql(client, RUNS, token=_hr_token(session, settings))

    runs = body["data"]["syncRuns"]
    assert runs["totalCount"] == 2
    newest, oldest = runs["nodes"]
    assert (newest["kind"], newest["status"], newest["failedCount"]) == ("OUTBOX", "PARTIAL", 1)
    assert newest["issues"] == [
        {
            "level": "ERROR",
            "item": "udbakke-hændelse",
            "itemId": "7",
            "code": "NOT_FOUND",
            "message": "Findes ikke i LMS'et.",
        }
    ]
    assert oldest["message"] == "første"
    only_courses = gql(client, RUNS, {"kind": "COURSES"}, token=_hr_token(session, settings))
    assert only_courses["data"]["syncRuns"]["totalCount"] == 1


@pytest.mark.parametrize("role", [Role.LEADER, Role.CHEF, Role.LMS])
def test_only_hr_and_admin_see_or_start_syncs(
    lms_client: TestClient, session: Session, settings: Settings, role: Role
) -> None:
    flag = {Role.LEADER: "is_leader", Role.CHEF: "is_chef", Role.LMS: "is_lms"}[role]
    token = token_for(settings, person(session, **{flag: True}), role)

    runs = gql(lms_client, RUNS, token=token)
    assert runs["data"] is None
    assert runs["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    trigger = gql(lms_client, TRIGGER, {"kind": "COURSES", "dryRun": False}, token=token)
    assert trigger["data"]["triggerLmsSync"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert session.scalars(select(SyncRun)).all() == []

    anonymous = gql(lms_client, RUNS)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_hr_queues_a_sync_once_and_is_told_when_one_is_already_waiting(
    lms_client: TestClient, session: Session, settings: Settings
) -> None:
    token = _hr_token(session, settings)

    body = gql(lms_client, TRIGGER, {"kind": "COURSES", "dryRun": True}, token=token)

    payload = body["data"]["triggerLmsSync"]
    assert payload["userErrors"] == []
    run = payload["syncRun"]
    assert (run["kind"], run["status"], run["dryRun"]) == ("COURSES", "QUEUED", True)
    assert run["requestedBy"]["email"] == person(session, is_hr=True).email
    assert "catalogue sync" in run["message"], "without Redis the command line starts it"

    again = gql(lms_client, TRIGGER, {"kind": "COURSES", "dryRun": True}, token=token)
    assert again["data"]["triggerLmsSync"] == {
        "syncRun": None,
        "userErrors": [
            {
                "field": "kind",
                "code": "CONFLICT",
                "message": "Kurser hentet fra LMS'et: en kørsel venter allerede på at blive "
                "startet.",
            }
        ],
    }
    node = gql(lms_client, NODE, {"id": run["id"]}, token=token)
    assert node["data"]["node"] == {"status": "QUEUED"}
    leader = token_for(settings, person(session, is_leader=True), Role.LEADER)
    hidden = gql(lms_client, NODE, {"id": run["id"]}, token=leader)
    assert hidden["data"]["node"] is None


def test_without_an_lms_there_is_nothing_to_trigger(
    client: TestClient, session: Session, settings: Settings
) -> None:
    body = gql(
        client, TRIGGER, {"kind": "OUTBOX", "dryRun": False}, token=_hr_token(session, settings)
    )
    [error] = body["data"]["triggerLmsSync"]["userErrors"]
    assert error["code"] == "INVALID"
    assert "CATALOGUE_LMS_KIND=none" in error["message"]


@pytest.mark.parametrize(
    ("kind", "task"),
    [("COMPLETIONS", "lms.sync_completions"), ("COMPETENCIES", "lms.push_competencies")],
)
def test_with_redis_the_task_is_sent_after_commit_under_the_runs_task_id(
    settings: Settings,
    engine: Engine,
    session: Session,
    session_factory: sessionmaker[Session],
    kind: str,
    task: str,
) -> None:
    redis_url = require_redis()
    queue = f"test-trigger-{uuid.uuid4().hex[:8]}"
    app = create_app(
        _lms_settings(settings, redis_url=redis_url, celery_queue=queue),
        engine=engine,
        session_factory=session_factory,
    )
    broker = redis.Redis.from_url(redis_url)
    try:
        with TestClient(app) as client:
            body = gql(
                client,
                TRIGGER,
                {"kind": kind, "dryRun": False},
                token=_hr_token(session, settings),
            )
        assert body["data"]["triggerLmsSync"]["userErrors"] == []
        run = session.scalar(select(SyncRun).where(SyncRun.kind == SyncKind(kind)))
        assert run is not None
        assert run.status is SyncStatus.QUEUED
        [raw] = broker.lrange(queue, 0, -1)
        message = json.loads(raw)
        assert message["headers"]["task"] == task
        assert message["headers"]["id"] == run.task_id
    finally:
        broker.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        broker.close()
