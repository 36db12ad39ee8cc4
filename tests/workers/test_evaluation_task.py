"""The evaluation beat task, executed by Celery eagerly on a database of its own.

It closes a round whose time is up and sends the invitations of an open one through a
real local SMTP server; a second tick sends nothing more.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import EvaluationRound, RoundStatus
from catalogue.models.base import utcnow
from catalogue.seeding.loader import seed
from catalogue.settings import Settings
from tests.evaluation.factories import make_org, make_round, move
from tests.evaluation.smtp import smtp_server
from workers.tasks import evaluation as tasks


def test_the_tick_closes_due_rounds_and_sends_each_invitation_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'evaluation.sqlite3'}"
    migrate.upgrade(url)
    factory = make_session_factory(make_engine(url))
    seed(factory, demo=False)
    with factory() as session, session.begin():
        org = make_org(session, employees=2, peers=0)
        open_id, _ = make_round(session, org, statement_keys=["K1.1"])
        move(session, org, open_id, RoundStatus.OPEN)
        due_id, _ = make_round(session, org, statement_keys=["K1.1"], closes_in=timedelta(hours=1))
        move(session, org, due_id, RoundStatus.OPEN)
        due = session.get(EvaluationRound, due_id)
        assert due is not None
        due.closes_at = utcnow() - timedelta(minutes=5)
    with smtp_server() as (inbox, port):
        settings = Settings(database_url=url, smtp_host="127.0.0.1", smtp_port=port)
        monkeypatch.setattr(tasks, "get_settings", lambda: settings)
        first = tasks.evaluation_mail.apply().get()
        second = tasks.evaluation_mail.apply().get()
    assert first == {"closed": 1, "invitations": 4, "reminders": 0}  # Lea, Carl, two employees
    assert second == {"closed": 0, "invitations": 0, "reminders": 0}
    assert len(inbox.messages) == 4
    with factory() as session:
        statuses = dict(session.execute(select(EvaluationRound.id, EvaluationRound.status)).all())
    assert statuses == {open_id: RoundStatus.OPEN, due_id: RoundStatus.CLOSED}


def test_smtp_failures_are_retried_with_backoff_and_jitter() -> None:
    task = tasks.evaluation_mail
    assert OSError in task.autoretry_for
    assert task.retry_jitter is True
    assert task.max_retries == 5
    assert task.acks_late is True
