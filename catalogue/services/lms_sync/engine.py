"""Running one sync: lock, SyncRun, the step for its kind, and what a failure means.

``run_sync`` is the one entry point the Celery tasks and the ``sync`` command
call. It owns its transactions (each item commits on its own, see
``context.SyncContext``), so it takes a session that nothing else is using.

Failures of the run as a whole:

- transient (LMS down, slow, rate limiting) with attempts left: the run stays
  RUNNING with a note, the error is re-raised, and the caller retries (the
  Celery task with backoff and jitter). On the last attempt the run is FAILED
  with the LMS's message and the number of attempts.
- permanent (bad token, missing web-service function, wrong setting) or
  anything unexpected: FAILED at once with a clear message, re-raised, never
  retried.

Either way what was committed stays, and undelivered outbox events stay
undelivered, so a later run finishes the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from catalogue.models import SyncKind, SyncRun, SyncStatus
from catalogue.services.errors import DomainError
from catalogue.services.lms_sync.competencies import push_competencies
from catalogue.services.lms_sync.completion_pull import pull_completions
from catalogue.services.lms_sync.context import SyncContext, error_message
from catalogue.services.lms_sync.courses import pull_courses
from catalogue.services.lms_sync.delivery import deliver_outbox
from catalogue.services.lms_sync.locks import SyncLock, holding
from catalogue.services.lms_sync.port import FailureKind, LmsGateway
from catalogue.services.lms_sync.reconcile import reconcile_enrolments
from catalogue.services.lms_sync.runs import Tally, begin_run, fail_run, finish_run, note_retry

log = logging.getLogger("catalogue.lms_sync")

STEPS: dict[SyncKind, Callable[[SyncContext], None]] = {
    SyncKind.COURSES: pull_courses,
    SyncKind.OUTBOX: deliver_outbox,
    SyncKind.ENROLMENTS: reconcile_enrolments,
    SyncKind.COMPLETIONS: pull_completions,
    SyncKind.COMPETENCIES: push_competencies,
}


@dataclass(frozen=True)
class SyncOutcome:
    """How a run ended; ``run_id`` None when there was nothing to run."""

    kind: SyncKind
    run_id: int | None
    status: SyncStatus | None
    message: str
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    #: What changed (or, in a dry run, would change), in words.
    changes: tuple[str, ...] = ()
    #: Per-item errors and warnings, as "item id: message".
    issues: tuple[str, ...] = ()

    @classmethod
    def of(cls, run: SyncRun, tally: Tally) -> SyncOutcome:
        issues = tuple(
            f"{'fejl' if e.get('level') == 'error' else 'advarsel'}: {e.get('item')} "
            f"{e.get('item_id')}: {e.get('message')}"
            for e in run.errors or []
        )
        return cls(
            kind=run.kind,
            run_id=run.id,
            status=run.status,
            message=run.message or "",
            dry_run=run.dry_run,
            created=run.created_count,
            updated=run.updated_count,
            unchanged=run.unchanged_count,
            failed=run.failed_count,
            changes=tuple(tally.changes),
            issues=issues,
        )


def run_sync(
    session: Session,
    gateway: LmsGateway,
    *,
    kind: SyncKind,
    lock: SyncLock,
    dry_run: bool = False,
    task_id: str | None = None,
    attempt: int = 1,
    final_attempt: bool = True,
) -> SyncOutcome:
    """Run ``kind`` once; raises ``SyncBusyError`` if another run of the kind holds the lock.

    ``task_id`` ties the run to a Celery task (and to the QUEUED run HR asked
    for); ``attempt``/``final_attempt`` say where this call is in the task's
    retries. LMS errors that end the run are re-raised after it is recorded.
    """
    with holding(lock, kind):
        run = begin_run(session, kind=kind, dry_run=dry_run, task_id=task_id)
        session.commit()
        if run is None:
            return SyncOutcome(kind, None, None, "Kørslen er allerede afsluttet.", dry_run)
        run_id = run.id
        tally = Tally.resumed(run)
        ctx = SyncContext(session=session, gateway=gateway, tally=tally, dry_run=run.dry_run)
        try:
            gateway.check()
            STEPS[kind](ctx)
        except Exception as exc:
            session.rollback()
            run = _reloaded(session, run_id)
            _record_failure(session, gateway, run, tally, exc, attempt, final_attempt)
            session.commit()
            raise
        if run.dry_run:
            session.rollback()  # everything the dry run wrote; the run row was committed
        run = _reloaded(session, run_id)
        finish_run(session, run, tally)
        session.commit()
        log.info("lms sync %s finished: %s", kind, run.message)
        return SyncOutcome.of(run, tally)


def _reloaded(session: Session, run_id: int) -> SyncRun:
    run = session.get(SyncRun, run_id)
    assert run is not None
    return run


def _record_failure(
    session: Session,
    gateway: LmsGateway,
    run: SyncRun,
    tally: Tally,
    error: Exception,
    attempt: int,
    final_attempt: bool,
) -> None:
    kind = gateway.failure_kind(error)
    message = error_message(error).rstrip(".") + "."
    if kind is FailureKind.TRANSIENT and not final_attempt:
        log.warning("lms sync %s attempt %d failed, will retry: %s", run.kind, attempt, error)
        note_retry(session, run, tally, message, attempt)
        return
    if kind is FailureKind.TRANSIENT:
        reason = f"{gateway.describe()} svarede ikke efter {attempt} forsøg: {message}"
    elif isinstance(error, DomainError):
        reason = message
    elif kind is not None:
        reason = f"{gateway.describe()} afviste synkroniseringen: {message} Ret opsætningen."
    else:
        reason = f"Uventet fejl ({type(error).__name__}): {message}"
    log.error("lms sync %s failed: %s", run.kind, reason, exc_info=kind is None)
    fail_run(session, run, tally, reason)
