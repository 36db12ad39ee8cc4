"""Erasing one person from several requests at once, on PostgreSQL, over real commits.

Each request runs in its own thread, connection and transaction, released together
by a barrier. The person's row lock serialises them: exactly one erases, the rest
find the work done (ALREADY_ERASED), and the log holds one erasure.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import AuditLogEntry, Person, Role
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.privacy.erasure import erase_person
from tests.backends import postgres_schema_url, require_postgres

pytestmark = pytest.mark.postgres

REQUESTS = 6


@pytest.fixture(scope="module")
def committed_engine() -> Iterator[Engine]:
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        engine = make_engine(url, pool_size=REQUESTS + 2, max_overflow=0)
        yield engine
        engine.dispose()


def test_concurrent_erasures_of_one_person_erase_once(committed_engine: Engine) -> None:
    factory = make_session_factory(committed_engine)
    with factory() as session, session.begin():
        admin = Person(email="admin@ltk.dk", name="Admin", is_admin=True)
        leaver = Person(email="samtidig@ltk.dk", name="Samtidig Sletning")
        session.add_all([admin, leaver])
        session.flush()
        actor = Viewer(person_id=admin.id, email=admin.email, roles=frozenset({Role.ADMIN}))
        leaver_id = leaver.id

    barrier = threading.Barrier(REQUESTS)
    results: list[object] = [None] * REQUESTS

    def erase(index: int) -> None:
        barrier.wait()
        try:
            with factory() as session, session.begin():
                results[index] = erase_person(session, actor=actor, person_id=leaver_id).erased_at
        except DomainError as exc:
            results[index] = exc.code
        except BaseException as exc:  # reported below, not swallowed
            results[index] = exc

    threads = [threading.Thread(target=erase, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    codes = [r for r in results if isinstance(r, ErrorCode)]
    assert codes == [ErrorCode.ALREADY_ERASED] * (REQUESTS - 1), results
    with factory() as session:
        erasures = session.scalar(
            select(func.count()).where(
                AuditLogEntry.person_id == leaver_id, AuditLogEntry.action == "PERSON_ERASED"
            )
        )
        assert erasures == 1
        stored = session.get(Person, leaver_id)
        assert stored is not None
        assert stored.name == "Slettet person"
