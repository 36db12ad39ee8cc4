"""Leader and chef confirm the summary at the same moment, on PostgreSQL, really committing.

Each confirmation locks the dialogue's row first, so the two are serialised: both
confirmations count, the dialogue is AGREED exactly once, with one snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import AuditLogEntry, Dialogue, DialogueSnapshot, DialogueStatus
from catalogue.seeding.loader import seed
from catalogue.services.audit import AuditAction
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.agreement import FocusInput
from tests.backends import postgres_schema_url, require_postgres
from tests.dialogue.factories import dialogue_of, open_cycle, statement
from tests.enrolment.factories import load_org, viewer

pytestmark = pytest.mark.postgres
ROUNDS = 3


@pytest.fixture(scope="module")
def committed_engine() -> Iterator[Engine]:
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        engine = make_engine(url, pool_size=6, max_overflow=0)
        seed(make_session_factory(engine), demo=True)
        yield engine
        engine.dispose()


def _at_once(
    factory: sessionmaker[Session], calls: list[Callable[[Session], object]]
) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [RuntimeError("not run")] * len(calls)

    def worker(index: int) -> None:
        barrier.wait()
        try:
            with factory() as session, session.begin():
                results[index] = calls[index](session).status  # type: ignore[attr-defined]
        except BaseException as exc:  # reported by the test
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_both_sides_confirming_at_once_agree_the_dialogue_exactly_once(
    committed_engine: Engine, round_: int
) -> None:
    factory = make_session_factory(committed_engine)
    with factory() as session, session.begin():
        org = load_org(session)
        cycle = open_cycle(session, org, year=2040 + round_)
        dialogue = dialogue_of(session, cycle, org.leader)
        dialogue.status = DialogueStatus.HELD
        session.flush()
        agreement.set_agreement(
            session,
            actor=viewer(org.chef),
            dialogue_id=dialogue.id,
            summary="Referat.",
            focuses=[FocusInput(statement(session, "K1.5").id, "Mål.", "Tegn.")],
        )
        dialogue_id, leader, chef = dialogue.id, viewer(org.leader), viewer(org.chef)

    results = _at_once(
        factory,
        [
            lambda s: agreement.confirm_summary(s, actor=leader, dialogue_id=dialogue_id),
            lambda s: agreement.confirm_summary(s, actor=chef, dialogue_id=dialogue_id),
        ],
    )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(str(r) for r in results) == ["AGREED", "HELD"]
    with factory() as session:
        stored = session.get(Dialogue, dialogue_id)
        assert stored is not None
        assert stored.status is DialogueStatus.AGREED
        assert stored.leader_confirmed_at is not None
        assert stored.chef_confirmed_at is not None
        snapshots = session.scalar(
            select(func.count()).where(DialogueSnapshot.dialogue_id == dialogue_id)
        )
        agreed = session.scalar(
            select(func.count()).where(
                AuditLogEntry.entity_type == "Dialogue",
                AuditLogEntry.entity_id == dialogue_id,
                AuditLogEntry.action == AuditAction.DIALOGUE_AGREED.value,
            )
        )
        assert (snapshots, agreed) == (1, 1)
