"""The retention task through a real Celery worker on Redis, against a database it commits to."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import AuditLogEntry, Person
from catalogue.models.base import utcnow
from catalogue.services.privacy.areas import ERASED_NAME
from catalogue.settings import Settings
from tests.backends import postgres_schema_url, postgres_url, require_redis
from tests.workers.celery_worker import STEP_TIMEOUT, celery_worker
from workers.celery_app import ERASE_LEAVERS_TASK, create_celery

pytestmark = pytest.mark.redis


@contextmanager
def _database(tmp_path: Path) -> Iterator[str]:
    base = postgres_url()
    if base is None:
        yield f"sqlite:///{tmp_path / 'retention.sqlite3'}"
        return
    with postgres_schema_url(base) as url:
        yield url


def test_a_real_worker_erases_the_leavers_past_retention(tmp_path: Path) -> None:
    redis_url = require_redis()
    queue = f"retention-it-{uuid.uuid4().hex[:10]}"
    with _database(tmp_path) as database_url:
        migrate.upgrade(database_url)
        engine = make_engine(database_url)
        factory = make_session_factory(engine)
        with factory() as session:
            long_gone = Person(email="gaaet.for.laenge@ltk.dk", name="Lang Tid", active=False)
            just_left = Person(email="gaaet.nu@ltk.dk", name="Kort Tid", active=False)
            staying = Person(email="bliver@ltk.dk", name="Bliver Her")
            session.add_all([long_gone, just_left, staying])
            session.flush()
            long_gone.deactivated_at = utcnow() - timedelta(days=400)
            session.commit()
            ids = (long_gone.id, just_left.id, staying.id)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")},
            "CATALOGUE_DATABASE_URL": database_url,
            "CATALOGUE_REDIS_URL": redis_url,
            "CATALOGUE_CELERY_QUEUE": queue,
            "CATALOGUE_SECRET_KEY": "retention-secret-" + "x" * 32,
            "CATALOGUE_LEAVER_RETENTION_DAYS": "365",
        }
        producer = create_celery(
            Settings(database_url=database_url, redis_url=redis_url, celery_queue=queue)
        )
        log = tmp_path / "worker.log"
        try:
            with celery_worker(env, queue, log):
                result = producer.send_task(ERASE_LEAVERS_TASK, queue=queue)
                try:
                    answer = result.get(timeout=STEP_TIMEOUT * 2)
                except Exception:
                    pytest.fail(f"the task did not finish. Worker log:\n{log.read_text()[-4000:]}")
                again = producer.send_task(ERASE_LEAVERS_TASK, queue=queue).get(
                    timeout=STEP_TIMEOUT * 2
                )
            assert answer == {"status": "DONE", "erased": [ids[0]], "kept": []}
            assert again == {"status": "DONE", "erased": [], "kept": []}
            with factory() as session:
                names = dict(
                    session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()
                )
                assert names == {ids[0]: ERASED_NAME, ids[1]: "Kort Tid", ids[2]: "Bliver Her"}
                actions = session.scalars(
                    select(AuditLogEntry.action).where(AuditLogEntry.person_id == ids[0])
                ).all()
                assert actions == ["PERSON_ERASED"]
            assert "gaaet.for.laenge@ltk.dk" not in log.read_text()  # ids in the log, no names
        finally:
            producer.close()
            engine.dispose()
