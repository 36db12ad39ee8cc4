"""The full cycle through a real Celery worker process, real Redis and Moodle over HTTP.

No eager mode anywhere: the test process plays the API (GraphQL through the
ASGI app) and the simulated Moodle (served on loopback); a separate
``celery worker`` process, started from the command line with settings from
the environment, takes the tasks from Redis and talks to both. The database is
a fresh PostgreSQL schema (or, without PostgreSQL, a SQLite file) that both
processes open.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from strawberry.relay import to_base64

from catalogue import migrate
from catalogue.app import create_app
from catalogue.db import make_engine, make_session_factory
from catalogue.models import (
    ActivityCompletion,
    ChangeSource,
    Course,
    CourseRun,
    Person,
    Role,
    SyncKind,
    SyncRun,
    SyncStatus,
)
from catalogue.seeding.loader import seed
from catalogue.services.tokens import mint_token
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.backends import postgres_schema_url, postgres_url, require_redis
from tests.enrolment.factories import started as run_started
from tests.fakes.moodle import MoodleSimulator, serve_on_loopback
from tests.workers.celery_worker import celery_worker, wait_for

pytestmark = pytest.mark.redis

INTRO = "EL-LTK-INTRO"
MODULES = (
    "Organisation, direktion og centre",
    "Styringsdokumenter, delegation og ledelsesgrundlag",
    "Kommunalbestyrelsen og de politiske udvalg",
)
LEADER = "sofie.noergaard@demo.ltk.example"
HR = "nanna.stougaard@demo.ltk.example"
SECRET = "integration-secret-" + "x" * 32

TRIGGER = """
mutation($kind: SyncKind!) {
  triggerLmsSync(input: {kind: $kind}) { syncRun { id status } userErrors { code message } }
}
"""
ENROL = """
mutation($run: ID!) {
  enrol(input: {courseRunId: $run}) { enrolment { status } userErrors { code message } }
}
"""
PROGRESS = "{ me { progress { covered planned } enrolments { status course { code } } } }"


@contextmanager
def _database() -> Iterator[str]:
    base = postgres_url()
    if base is None:
        yield ""  # the caller makes a SQLite file
        return
    with postgres_schema_url(base) as url:
        yield url


def test_courses_enrolment_and_completion_go_round_through_a_real_worker(
    tmp_path: Path,
) -> None:
    redis_url = require_redis()
    queue = f"sync-it-{uuid.uuid4().hex[:10]}"
    started = time.monotonic()
    sim = MoodleSimulator()
    intro = sim.add_course("Kend kommunen", idnumber=INTRO)
    modules = [sim.add_module(intro, name, required_for_course=True) for name in MODULES]
    leader_user = sim.add_user(LEADER)

    with _database() as pg_url, serve_on_loopback(sim) as moodle_url:
        database_url = pg_url or f"sqlite:///{tmp_path / 'integration.sqlite3'}"
        migrate.upgrade(database_url)
        engine = make_engine(database_url)
        factory: sessionmaker[Session] = make_session_factory(engine)
        seed(factory, demo=True, today=date.today())
        env_settings = {
            "CATALOGUE_DATABASE_URL": database_url,
            "CATALOGUE_REDIS_URL": redis_url,
            "CATALOGUE_CELERY_QUEUE": queue,
            "CATALOGUE_SECRET_KEY": SECRET,
            "CATALOGUE_LMS_KIND": "moodle",
            "CATALOGUE_MOODLE_URL": moodle_url,
            "CATALOGUE_MOODLE_TOKEN": sim.service.token,
            "CATALOGUE_LOG_JSON": "true",
        }
        settings = Settings(
            database_url=database_url,
            redis_url=redis_url,
            celery_queue=queue,
            secret_key=SECRET,
            lms_kind="moodle",
            moodle_url=moodle_url,
            moodle_token=sim.service.token,
        )
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
        log = tmp_path / "worker.log"
        broker = redis.Redis.from_url(redis_url)
        try:
            with (
                celery_worker({**clean, **env_settings}, queue, log) as worker,
                TestClient(create_app(settings, engine=engine)) as api,
            ):
                with factory() as session:
                    hr = _token(session, settings, HR, Role.HR)
                    leader = _token(session, settings, LEADER, Role.LEADER)
                    run_id = session.scalar(
                        select(CourseRun.id).where(CourseRun.code == f"{INTRO}-H1")
                    )

                def run_through_worker(kind: SyncKind) -> SyncRun:
                    body = gql(api, TRIGGER, {"kind": kind.value}, token=hr)
                    payload = body["data"]["triggerLmsSync"]
                    assert payload["userErrors"] == [], payload
                    assert payload["syncRun"]["status"] == "QUEUED"

                    def finished() -> SyncRun | None:
                        with factory() as session:
                            run = session.scalars(
                                select(SyncRun).where(SyncRun.kind == kind)
                            ).first()
                            done = (SyncStatus.SUCCEEDED, SyncStatus.PARTIAL, SyncStatus.FAILED)
                            return run if run is not None and run.status in done else None

                    run: SyncRun = wait_for(f"{kind} run", finished, worker, log)
                    assert run.status is SyncStatus.SUCCEEDED, run.message
                    return run

                # 1. Courses pulled.
                courses = run_through_worker(SyncKind.COURSES)
                assert courses.updated_count == 1
                with factory() as session:
                    course = session.scalar(select(Course).where(Course.code == INTRO))
                    assert course is not None
                    assert course.lms_course_id == str(intro)
                    assert sorted(a.lms_module_id for a in course.activities) == sorted(
                        str(m) for m in modules
                    )

                # 2. An enrolment made in GraphQL reaches Moodle.
                enrolled = gql(api, ENROL, {"run": to_base64("CourseRun", run_id)}, token=leader)
                assert enrolled["data"]["enrol"]["enrolment"]["status"] == "ENROLLED", enrolled
                before = gql(api, PROGRESS, token=leader)["data"]["me"]["progress"]
                outbox = run_through_worker(SyncKind.OUTBOX)
                assert outbox.created_count == 1
                assert leader_user in sim.enrolled_user_ids(intro)

                # 3. The run begins; a completion in Moodle reaches the leader's progress
                # (after Moodle's cron). Completions belong to a run from its start.
                with factory() as session, session.begin():
                    run_started(session, session.get_one(CourseRun, run_id))
                for cmid in modules:
                    sim.set_activity_completion(leader_user, cmid, 1)
                sim.run_cron()
                completions = run_through_worker(SyncKind.COMPLETIONS)
                assert completions.created_count == 3
                with factory() as session:
                    recorded = session.scalars(select(ActivityCompletion)).all()
                    assert {c.source for c in recorded} == {ChangeSource.LMS}
                me = gql(api, PROGRESS, token=leader)["data"]["me"]
                [on_intro] = [e for e in me["enrolments"] if e["course"]["code"] == INTRO]
                assert on_intro["status"] == "COMPLETED"
                assert me["progress"]["covered"] > before["covered"]
                assert me["progress"]["planned"] < before["planned"]

                # 4. Every line a task logged carries its task id, also from the reader thread.
                runs = {run.task_id: run.kind for run in (courses, outbox, completions)}
                lines = _json_lines(log)
                finished = {
                    line.get("task_id"): line["event"].split()[2]
                    for line in lines
                    if line["event"].startswith("lms sync ") and " finished: " in line["event"]
                }
                assert finished == {task_id: str(kind) for task_id, kind in runs.items()}
                calls = [line for line in lines if line["event"].startswith("HTTP Request:")]
                assert calls, "httpx logs each call to Moodle"
                assert {line.get("task_id") for line in calls} == set(runs)
                assert all(line["task"].startswith("lms.") for line in calls)
        finally:
            with factory() as session:
                task_ids = session.scalars(select(SyncRun.task_id)).all()
            broker.delete(
                queue,
                f"_kombu.binding.{queue}",
                f"_kombu.binding_permanent.{queue}",
                *(f"celery-task-meta-{task_id}" for task_id in task_ids),
            )
            broker.close()
            engine.dispose()
    assert time.monotonic() - started < 60


def _json_lines(log: Path) -> list[dict[str, Any]]:
    """The worker's structured log lines (Celery's banner and the like are plain text)."""
    lines = []
    for text in log.read_text(encoding="utf-8").splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def _token(session: Session, settings: Settings, email: str, role: Role) -> str:
    person = session.scalar(select(Person).where(Person.email == email))
    assert person is not None
    return mint_token(settings, person=person, roles=[role], expires_in=timedelta(hours=1))
