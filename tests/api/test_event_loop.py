"""A GraphQL request waiting on the database does not hold up the rest of its process.

As one uvicorn worker serves them, all requests share one event loop. The test
holds a lock on the course table from another connection, so a catalogue query
waits inside PostgreSQL; meanwhile ``/healthz`` must be answered. Were the
query's statement run on the event loop, nothing else could run until the lock
went: the safety timer releases it after a while, and the order of the answers
then shows the failure. The timer measures nothing.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, text

from catalogue import migrate
from catalogue.app import create_app
from catalogue.db import make_engine, make_session_factory
from catalogue.seeding.loader import seed
from catalogue.settings import Settings
from tests.backends import postgres_schema_url, require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def committed_engine() -> Iterator[Engine]:
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        seed(make_session_factory(engine), demo=True)
        yield engine
        engine.dispose()


def _wait_for_a_lock_waiter(engine: Engine, limit_seconds: float = 10.0) -> None:
    deadline = time.monotonic() + limit_seconds
    with engine.connect() as probe:
        while time.monotonic() < deadline:
            waiting = probe.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
            if waiting.scalar_one():
                return
            probe.rollback()
            time.sleep(0.01)


def test_healthz_answers_while_a_query_waits_for_the_database(committed_engine: Engine) -> None:
    url = committed_engine.url.render_as_string(hide_password=False)
    app = create_app(Settings(database_url=url, secret_key="event-loop-" + "k" * 32))
    holder = committed_engine.connect()
    holder.execute(text("LOCK TABLE course IN ACCESS EXCLUSIVE MODE"))
    released = threading.Lock()

    def release() -> None:
        with released:
            if holder.in_transaction():
                holder.rollback()

    safety = threading.Timer(5.0, release)
    safety.start()
    order: list[str] = []

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def catalogue_page() -> None:
                response = await client.post(
                    "/graphql", json={"query": "{ courses(first: 1) { totalCount } }"}
                )
                assert response.json()["data"]["courses"]["totalCount"] > 0
                order.append("graphql")

            waiting = asyncio.create_task(catalogue_page())
            await asyncio.to_thread(_wait_for_a_lock_waiter, committed_engine)
            health = await client.get("/healthz")
            assert health.status_code == 200
            order.append("healthz")
            release()
            await asyncio.wait_for(waiting, 30)

    try:
        asyncio.run(scenario())
    finally:
        safety.cancel()
        release()
        holder.close()
        app.state.engine.dispose()
    assert order == ["healthz", "graphql"]
