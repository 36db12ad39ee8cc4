"""The last seat under load, on PostgreSQL, over separate connections that really commit.

Each request runs in its own thread, connection and transaction, all released
at once by a barrier. The run's row lock serialises them, so the order in
which they take the lock is the request order: the enrolment ids (drawn from
the sequence after the lock) and the waiting-list positions must agree with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import ActivityCompletion, AuditLogEntry, Enrolment, EnrolmentStatus, Person
from catalogue.models.base import utcnow
from catalogue.seeding.loader import seed
from catalogue.services import enrolments
from catalogue.services.completion_batches import ReportedCompletion, record_activity_completions
from tests.backends import postgres_schema_url, require_postgres
from tests.enrolment.factories import leaders, load_org, make_run, started, viewer

pytestmark = pytest.mark.postgres

REQUESTS = 20


@pytest.fixture(scope="module")
def committed_engine() -> Iterator[Engine]:
    """A fresh, migrated and seeded schema whose commits other connections see."""
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        engine = make_engine(url, pool_size=REQUESTS + 5, max_overflow=0)
        seed(make_session_factory(engine), demo=True)
        yield engine
        engine.dispose()


def _all_at_once(
    factory: sessionmaker[Session], calls: list[Callable[[Session], int]]
) -> list[int | BaseException]:
    barrier = threading.Barrier(len(calls))
    results: list[int | BaseException] = [RuntimeError("not run")] * len(calls)

    def worker(index: int) -> None:
        barrier.wait()
        try:
            with factory() as session, session.begin():
                results[index] = calls[index](session)
        except BaseException as exc:  # reported by the test, not swallowed
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _setup_run(factory: sessionmaker[Session], **run_args: Any) -> tuple[int, list[Person]]:
    with factory() as session, session.begin():
        run = make_run(session, **run_args)
        people = leaders(session, REQUESTS)
        session.expunge_all()
        return run.id, people


def test_twenty_requests_for_the_last_seat_give_it_to_exactly_one_in_request_order(
    committed_engine: Engine,
) -> None:
    factory = make_session_factory(committed_engine)
    run_id, people = _setup_run(factory, capacity=1)

    def request(person: Person) -> Callable[[Session], int]:
        def call(session: Session) -> int:
            return enrolments.enrol(session, actor=viewer(person), course_run_id=run_id).id

        return call

    started = time.perf_counter()
    results = _all_at_once(factory, [request(p) for p in people])
    elapsed = time.perf_counter() - started

    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == []
    with factory() as session:
        rows = session.scalars(
            select(Enrolment).where(Enrolment.course_run_id == run_id).order_by(Enrolment.id)
        ).all()
    assert len(rows) == REQUESTS
    assert [r.status for r in rows] == [EnrolmentStatus.ENROLLED] + [EnrolmentStatus.WAITLISTED] * (
        REQUESTS - 1
    )
    assert [r.waitlist_position for r in rows] == [None, *range(1, REQUESTS)]
    stamps = [r.requested_at for r in rows]
    assert stamps == sorted(stamps)
    print(f"\n{REQUESTS} concurrent enrolments for the last seat: {elapsed * 1000:.0f} ms")


def test_the_same_request_sent_concurrently_stores_one_enrolment(
    committed_engine: Engine,
) -> None:
    factory = make_session_factory(committed_engine)
    run_id, people = _setup_run(factory, capacity=5)
    person = people[0]

    def call(session: Session) -> int:
        return enrolments.enrol(
            session, actor=viewer(person), course_run_id=run_id, motivation="Samme anmodning."
        ).id

    results = _all_at_once(factory, [call] * 10)

    assert len(set(results)) == 1, results
    with factory() as session:
        stored = session.scalars(
            select(Enrolment).where(
                Enrolment.course_run_id == run_id, Enrolment.person_id == person.id
            )
        ).all()
    assert [e.status for e in stored] == [EnrolmentStatus.ENROLLED]


def test_the_last_seat_through_the_http_app_on_one_event_loop(committed_engine: Engine) -> None:
    """As one uvicorn worker serves them: concurrent requests share one event loop.

    A request waiting for the run's row lock must not block the loop that the lock
    holder needs to finish and commit; if it did, this would never settle. The
    timeout only turns such a hang into a failure; it measures nothing.
    """
    import asyncio
    from datetime import timedelta

    import httpx
    from strawberry.relay import to_base64

    from catalogue.app import create_app
    from catalogue.models import Role
    from catalogue.services.tokens import mint_token
    from catalogue.settings import Settings

    factory = make_session_factory(committed_engine)
    run_id, people = _setup_run(factory, capacity=1)
    url = committed_engine.url.render_as_string(hide_password=False)
    # A pool smaller than the crowd, as when 500 leaders press at once in production.
    settings = Settings(
        database_url=url,
        secret_key="http-concurrency-" + "k" * 32,
        db_pool_size=3,
        db_max_overflow=2,
    )
    app = create_app(settings)
    served_engine = app.state.engine
    mutation = """mutation($run: ID!) { enrol(input: {courseRunId: $run}) {
        enrolment { status } userErrors { code } } }"""
    tokens = [
        mint_token(settings, person=p, roles=[Role.LEADER], expires_in=timedelta(minutes=5))
        for p in people
    ]

    async def rush() -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def enrol(token: str) -> dict[str, Any]:
                response = await client.post(
                    "/graphql",
                    json={"query": mutation, "variables": {"run": to_base64("CourseRun", run_id)}},
                    headers={"Authorization": f"Bearer {token}"},
                )
                body: dict[str, Any] = response.json()
                return body

            return await asyncio.wait_for(asyncio.gather(*(enrol(t) for t in tokens)), 60)

    try:
        answers = asyncio.run(rush())
    finally:
        served_engine.dispose()
    statuses = sorted(a["data"]["enrol"]["enrolment"]["status"] for a in answers)
    assert statuses == ["ENROLLED"] + ["WAITLISTED"] * (REQUESTS - 1)


def test_the_same_completions_reported_at_once_are_recorded_once(
    committed_engine: Engine,
) -> None:
    """The LMS pull and HR (or two pulls) report the same facts at the same moment."""
    factory = make_session_factory(committed_engine)
    with factory() as session, session.begin():
        run = make_run(session, capacity=None, activities=[True, True])
        people = leaders(session, 5)
        lms = viewer(load_org(session).lms)
        enrolled = [
            enrolments.enrol(session, actor=viewer(p), course_run_id=run.id) for p in people
        ]
        started(session, run)  # completions belong to a run from its start
        yesterday = utcnow() - timedelta(days=1)
        reported = [
            ReportedCompletion(e.id, a.id, yesterday)
            for e in enrolled
            for a in run.course.activities
        ]
        enrolment_ids = [e.id for e in enrolled]

    def report(session: Session) -> int:
        outcome = record_activity_completions(session, actor=lms, reported=reported)
        return sum(len(created) for created in outcome.created.values())

    results = _all_at_once(factory, [report] * 6)

    assert sorted(results) == [0, 0, 0, 0, 0, len(reported)], results  # type: ignore[type-var]
    with factory() as session:
        completions = session.scalar(
            select(func.count()).where(ActivityCompletion.enrolment_id.in_(enrolment_ids))
        )
        logged = session.scalar(
            select(func.count()).where(
                AuditLogEntry.person_id.in_([p.id for p in people]),
                AuditLogEntry.entity_type.in_(["ActivityCompletion", "Enrolment"]),
                AuditLogEntry.action.in_(
                    ["COMPLETION_RECORDED", "ENROLMENT_COMPLETED", "ENROLMENT_STARTED"]
                ),
            )
        )
        statuses = set(
            session.scalars(select(Enrolment.status).where(Enrolment.id.in_(enrolment_ids)))
        )
    assert completions == len(reported)
    assert logged == len(reported) + len(enrolled), "each fact once, each completion once"
    assert statuses == {EnrolmentStatus.COMPLETED}
