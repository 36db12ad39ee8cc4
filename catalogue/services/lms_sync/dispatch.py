"""HR's "sync now": a QUEUED run in the database, then a message to the workers.

``catalogue`` never imports ``workers``. The request is data first: a QUEUED
SyncRun with a fresh task id, in the caller's transaction. Only after that
transaction commits is the Celery task sent, *by name*, through a small Celery
client built from settings here, with the run's task id as the Celery task id;
the worker finds the run by it. If the transaction rolls back, nothing is sent.

Without Redis (the embedded default) there is no broker to send to: the run
waits as QUEUED until ``catalogue sync`` (or an embedded runner) starts the
queued runs in-process.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from celery import Celery
from sqlalchemy import event
from sqlalchemy.orm import Session

from catalogue.models import SyncKind, SyncRun
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.lms_sync.runs import queue_run
from catalogue.settings import Settings

log = logging.getLogger("catalogue.lms_sync")

#: Celery task names, shared with ``workers.tasks.sync`` (which asserts they match).
TASK_NAMES: dict[SyncKind, str] = {
    SyncKind.COURSES: "lms.sync_courses",
    SyncKind.OUTBOX: "lms.drain_outbox",
    SyncKind.ENROLMENTS: "lms.reconcile_enrolments",
    SyncKind.COMPLETIONS: "lms.sync_completions",
    SyncKind.COMPETENCIES: "lms.push_competencies",
}


@lru_cache(maxsize=4)
def _celery_client(broker_url: str) -> Celery:
    """A producer only: it sends messages and never imports a task."""
    client = Celery("kompetencekatalog-api", broker=broker_url)
    client.conf.update(task_serializer="json", accept_content=["json"])
    return client


def request_sync(
    session: Session,
    settings: Settings,
    *,
    kind: SyncKind,
    dry_run: bool,
    requested_by_id: int | None,
) -> SyncRun:
    """Queue a run of ``kind``; the worker is told once the caller's transaction commits."""
    if not settings.lms_connected:
        raise DomainError(
            ErrorCode.INVALID,
            "Der er ikke forbundet noget LMS (CATALOGUE_LMS_KIND=none), så der er intet at "
            "synkronisere med.",
            field="kind",
        )
    run = queue_run(session, kind=kind, dry_run=dry_run, requested_by_id=requested_by_id)
    if settings.redis_url:
        _send_after_commit(session, settings, kind, dry_run, run.task_id or "")
    else:
        run.message = (
            "I kø: der er ingen Redis (CATALOGUE_REDIS_URL), så kørslen startes af "
            "`catalogue sync`, der kører ventende kørsler."
        )
    return run


def _send_after_commit(
    session: Session, settings: Settings, kind: SyncKind, dry_run: bool, task_id: str
) -> None:
    """Send the task when the caller commits; forget it if the caller rolls back."""
    broker_url = settings.redis_url or ""
    state = {"pending": True}

    def send(_session: Session) -> None:
        if not state["pending"]:
            return
        state["pending"] = False
        try:
            _celery_client(broker_url).send_task(
                TASK_NAMES[kind],
                kwargs={"dry_run": dry_run},
                task_id=task_id,
                queue=settings.celery_queue,
            )
        except Exception:
            # The run stays QUEUED and visible; the next scheduled run of the kind
            # does the same work, and HR can ask again.
            log.exception("could not send the %s sync task to the broker", kind)

    def forget(_session: Session) -> None:
        state["pending"] = False

    event.listen(session, "after_commit", send, once=True)
    event.listen(session, "after_rollback", forget, once=True)
