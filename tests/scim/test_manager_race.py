"""Two manager changes at once that together make a loop: exactly one wins (PostgreSQL).

A under B and B under A, each in its own transaction: each alone sees no loop.
Each holds its change open at a barrier before committing; the manager-tree
advisory lock makes the second wait for the first's commit, see the loop and
refuse it. (SQLite, the single-process development default, refuses a second
concurrent writer outright.)
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import Person
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.managers import set_manager
from tests.backends import postgres_schema_url, require_postgres


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_a_loop_made_by_two_concurrent_changes_is_refused(pg_engine: Engine) -> None:
    factory = make_session_factory(pg_engine)
    with factory() as session:
        tag = uuid.uuid4().hex[:8]
        a = Person(email=f"a.{tag}@ltk.example", name=f"A {tag}")
        b = Person(email=f"b.{tag}@ltk.example", name=f"B {tag}")
        session.add_all([a, b])
        session.commit()
        ids = (a.id, b.id)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def change(person_id: int, manager_id: int) -> None:
        with factory() as session:
            try:
                person = session.get(Person, person_id)
                assert person is not None
                set_manager(
                    session,
                    person=person,
                    manager_id=manager_id,
                    actor_id=None,
                    source="TEST",
                    now=utcnow(),
                )
                # Broken: the other one is waiting for our lock; commit and let it see us.
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=2)
                session.commit()
                outcomes.append("ok")
            except DomainError as exc:
                session.rollback()
                outcomes.append(exc.code.value)

    threads = [
        threading.Thread(target=change, args=(ids[0], ids[1])),
        threading.Thread(target=change, args=(ids[1], ids[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["ok", ErrorCode.CYCLE.value])
    with factory() as session:
        managers = {p.id: p.manager_id for p in (session.get(Person, i) for i in ids) if p}
    assert list(managers.values()).count(None) == 1
