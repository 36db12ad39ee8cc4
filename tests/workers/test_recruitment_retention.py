"""Candidate data of a vacancy closed past the retention period is anonymised by a real worker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import AuditLogEntry, Candidate, JobProfile, Scorecard
from catalogue.models.base import utcnow
from catalogue.seeding.loader import seed
from catalogue.services.audit import AuditAction
from catalogue.services.recruitment import job_profiles
from catalogue.services.recruitment.retention import ANONYMOUS_NAME
from catalogue.settings import Settings
from tests.backends import postgres_schema_url, postgres_url, require_redis
from tests.enrolment.factories import load_org, viewer
from tests.recruitment.factories import KEYS, clear, submit, vacancy_with_committee
from tests.workers.celery_worker import celery_worker, wait_for
from workers.celery_app import RECRUITMENT_RETENTION_TASK, create_celery

pytestmark = pytest.mark.redis


@contextmanager
def _database(tmp_path: Path) -> Iterator[str]:
    base = postgres_url()
    if base is None:
        yield f"sqlite:///{tmp_path / 'retention.sqlite3'}"
        return
    with postgres_schema_url(base) as url:
        yield url


def _closed_vacancy(session: Session, days_ago: int) -> int:
    org = load_org(session)
    vacancy = vacancy_with_committee(session, org)
    clear(session, vacancy, vacancy.people[1])
    submit(session, vacancy, vacancy.people[1], vacancy.candidates[0], dict.fromkeys(KEYS, 3))
    job_profiles.close(
        session,
        actor=viewer(org.hr),
        job_profile_id=vacancy.job_profile.id,
        now=utcnow() - timedelta(days=days_ago),
    )
    return vacancy.job_profile.id


def test_a_worker_anonymises_candidates_only_after_the_retention_period(tmp_path: Path) -> None:
    redis_url = require_redis()
    queue = f"retention-{uuid.uuid4().hex[:10]}"
    with _database(tmp_path) as database_url:
        migrate.upgrade(database_url)
        engine = make_engine(database_url)
        factory: sessionmaker[Session] = make_session_factory(engine)
        seed(factory, demo=True, today=date.today())
        with factory() as session, session.begin():
            old = _closed_vacancy(session, days_ago=200)
            recent = _closed_vacancy(session, days_ago=10)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")},
            "CATALOGUE_DATABASE_URL": database_url,
            "CATALOGUE_REDIS_URL": redis_url,
            "CATALOGUE_CELERY_QUEUE": queue,
            "CATALOGUE_SECRET_KEY": "retention-secret-" + "x" * 32,
        }
        app = create_celery(
            Settings(database_url=database_url, redis_url=redis_url, celery_queue=queue)
        )
        log = tmp_path / "worker.log"

        def erased_count() -> int:
            with factory() as session:
                return (
                    session.scalar(
                        select(func.count())
                        .select_from(AuditLogEntry)
                        .where(AuditLogEntry.action == AuditAction.CANDIDATES_ERASED.value)
                    )
                    or 0
                )

        try:
            with celery_worker(env, queue, log) as worker:
                for _ in range(2):  # a second run finds nothing left to do
                    result = app.send_task(RECRUITMENT_RETENTION_TASK, queue=queue)
                    wait_for("retention task", lambda r=result: r.ready(), worker, log)
                    assert result.successful(), log.read_text()[-2000:]
                assert erased_count() == 1
            with factory() as session:
                first, second = (
                    session.scalars(
                        select(Candidate)
                        .where(Candidate.job_profile_id == job_profile_id)
                        .order_by(Candidate.id)
                    ).all()
                    for job_profile_id in (old, recent)
                )
                assert {(c.name, c.email) for c in first} == {(ANONYMOUS_NAME, "")}
                assert all(c.anonymised_at is not None for c in first)
                assert [c.name for c in second] == ["Birgitte Ærø", "Jonas Østergård"]
                ours = [c.id for c in (*first, *second)]
                cards = session.scalars(
                    select(Scorecard.candidate_id).where(Scorecard.candidate_id.in_(ours))
                ).all()
                assert set(cards) == {second[0].id}
                old_profile = session.get_one(JobProfile, old)
                assert old_profile.candidates_erased_at is not None
                assert len(old_profile.statements) == len(KEYS)
        finally:
            engine.dispose()
