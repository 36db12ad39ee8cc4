"""The same link answered twice at once, on PostgreSQL, over connections that really commit.

The invitation row lock serialises the two: the second finds the first one's answer set
(by its change key) and changes it, so there is one answer set, one rating per
statement, one answered-record, and every request either succeeded or got a Danish
CONFLICT; none failed with an unexpected error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import (
    EvaluationAnswerSet,
    EvaluationInvitationAnswered,
    EvaluationRating,
    RespondentGroup,
    RoundStatus,
)
from catalogue.seeding.loader import seed
from catalogue.services.errors import DomainError
from tests.backends import postgres_schema_url, require_postgres
from tests.evaluation.factories import (
    answer,
    issue_tokens,
    make_org,
    make_round,
    move,
    tokens_of,
)

pytestmark = pytest.mark.postgres

REQUESTS = 8


@pytest.fixture(scope="module")
def committed_engine() -> Iterator[Engine]:
    with postgres_schema_url(require_postgres()) as url:
        migrate.upgrade(url)
        engine = make_engine(url, pool_size=REQUESTS + 4, max_overflow=0)
        seed(make_session_factory(engine), demo=False)
        yield engine
        engine.dispose()


def _setup(factory: sessionmaker[Session]) -> tuple[str, int]:
    with factory() as session, session.begin():
        org = make_org(session, employees=5, peers=0)
        round_id, evaluatee = make_round(session, org, statement_keys=["K1.1", "K1.2"])
        move(session, org, round_id, RoundStatus.OPEN)
        tokens = issue_tokens(session, evaluatee)
        return tokens_of(session, evaluatee, tokens, RespondentGroup.EMPLOYEE)[0], evaluatee.id


def test_one_link_submitted_eight_times_at_once_stores_one_answer_set(
    committed_engine: Engine,
) -> None:
    factory = make_session_factory(committed_engine)
    token, evaluatee_id = _setup(factory)
    barrier = threading.Barrier(REQUESTS)
    outcomes: list[object] = [None] * REQUESTS

    def worker(index: int) -> None:
        barrier.wait()
        try:
            with factory() as session, session.begin():
                answer(session, token, {"K1.1": 1 + index % 5, "K1.2": 3})
            outcomes[index] = "ok"
        except DomainError as exc:
            outcomes[index] = exc.code.value
        except BaseException as exc:  # reported by the test, not swallowed
            outcomes[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(outcomes) <= {"ok", "CONFLICT"}, outcomes
    assert "ok" in outcomes
    with factory() as session:
        sets = session.scalars(
            select(EvaluationAnswerSet).where(EvaluationAnswerSet.evaluatee_id == evaluatee_id)
        ).all()
        assert len(sets) == 1
        ratings = session.scalar(
            select(func.count())
            .select_from(EvaluationRating)
            .where(EvaluationRating.answer_set_id == sets[0].id)
        )
        assert ratings == 2
        answered = session.scalar(select(func.count()).select_from(EvaluationInvitationAnswered))
        assert answered == 1
