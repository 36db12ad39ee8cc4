"""What a worker process (or the ``sync`` command) needs to run a sync: sessions and the LMS."""

from __future__ import annotations

from contextlib import ExitStack
from functools import lru_cache

import httpx
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import make_engine, make_session_factory
from catalogue.models import SyncKind, SyncRun, SyncStatus
from catalogue.services.lms_sync import (
    FailureKind,
    SyncOutcome,
    run_sync,
    skip_queued_run,
    sync_lock,
)
from catalogue.settings import Settings
from workers.lms.errors import LmsTransientError
from workers.lms.registry import gateway_from_settings


@lru_cache(maxsize=4)
def session_factory(database_url: str | SecretStr) -> sessionmaker[Session]:
    """One engine per process and database, created on first use (after a prefork fork)."""
    return make_session_factory(make_engine(database_url))


def execute_sync(
    settings: Settings,
    kind: SyncKind,
    *,
    dry_run: bool = False,
    task_id: str | None = None,
    attempt: int = 1,
    final_attempt: bool = True,
    session: Session | None = None,
    client: httpx.Client | None = None,
) -> SyncOutcome:
    """One run of ``kind`` against the configured LMS, under the kind's lock.

    ``session`` and ``client`` are for tests (a rolled-back session, HTTP routed
    to the simulator); a worker uses its own session and a real HTTP client.

    A failure the connector calls transient is raised as ``LmsTransientError``
    (the original as its cause), the one type the tasks retry, so any
    connector's own errors get the same retry policy as Moodle's.
    """
    with ExitStack() as stack:
        gateway = stack.enter_context(gateway_from_settings(settings, client=client))
        if session is None:
            session = stack.enter_context(session_factory(settings.database_url)())
        try:
            return run_sync(
                session,
                gateway,
                kind=kind,
                lock=sync_lock(settings, kind, session.get_bind()),
                dry_run=dry_run,
                task_id=task_id,
                attempt=attempt,
                final_attempt=final_attempt,
            )
        except LmsTransientError:
            raise
        except Exception as exc:
            if gateway.failure_kind(exc) is FailureKind.TRANSIENT:
                raise LmsTransientError(str(exc), errorcode="transient") from exc
            raise


def is_queued(settings: Settings, task_id: str | None) -> bool:
    """Whether ``task_id`` is a run HR asked for that has not started yet."""
    if not task_id:
        return False
    with session_factory(settings.database_url)() as session:
        status = session.scalar(select(SyncRun.status).where(SyncRun.task_id == task_id))
    return status is SyncStatus.QUEUED


def give_up_queued(settings: Settings, task_id: str | None, reason: str) -> None:
    if not task_id:
        return
    with session_factory(settings.database_url)() as session:
        skip_queued_run(session, task_id, reason)
        session.commit()
