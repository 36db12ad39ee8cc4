"""The LMS sync tasks, one per SyncRun kind, each a thin call into ``run_sync``.

Retry policy (as Celery's guides advise): transient LMS failures (timeouts,
429/5xx, connection errors) are retried with exponential backoff and full
jitter, at most ``CATALOGUE_SYNC_MAX_RETRIES`` times; a retried task keeps its
id and so its SyncRun. Permanent failures (bad token, missing function, wrong
setting) are not retried: the run is FAILED at once. A run HR asked for that
finds its kind busy waits its turn through the same retries; a scheduled one
just skips, since the next tick does the same work.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from celery import Task

from catalogue.models import SyncKind
from catalogue.services.lms_sync import TASK_NAMES, SyncBusyError
from catalogue.settings import get_settings
from workers.celery_app import app
from workers.lms.errors import LmsSettingsError, LmsTransientError
from workers.lms.registry import connector_for
from workers.runtime import execute_sync, give_up_queued, is_queued

_settings = get_settings()

#: First retry after about this many seconds (then 2x, 4x, ... up to the maximum), jittered.
RETRY_BACKOFF_FACTOR = 5


class SyncTask(Task[..., dict[str, Any]]):
    autoretry_for = (LmsTransientError, SyncBusyError)
    retry_backoff = RETRY_BACKOFF_FACTOR
    retry_backoff_max = _settings.sync_retry_backoff_max
    retry_jitter = True
    max_retries = _settings.sync_max_retries
    acks_late = True
    soft_time_limit = _settings.sync_soft_time_limit
    time_limit = _settings.sync_time_limit


def run_kind(task: Task[..., Any], kind: SyncKind, *, dry_run: bool) -> dict[str, Any]:
    settings = get_settings()
    task_id: str | None = task.request.id
    if not settings.lms_connected:
        give_up_queued(settings, task_id, "Ikke startet: der er ikke forbundet noget LMS.")
        return {"kind": kind.value, "status": "SKIPPED", "message": "no LMS configured"}
    try:
        connector_for(settings)
    except LmsSettingsError as exc:  # only new settings help: the run HR asked for ends here
        give_up_queued(settings, task_id, f"Ikke startet: {exc}")
        raise
    retries: int = task.request.retries
    final = retries >= (task.max_retries or 0)
    try:
        outcome = execute_sync(
            settings,
            kind,
            dry_run=dry_run,
            task_id=task_id,
            attempt=retries + 1,
            final_attempt=final,
        )
    except SyncBusyError:
        if not is_queued(settings, task_id):
            return {"kind": kind.value, "status": "SKIPPED", "message": "another run is busy"}
        if final:
            give_up_queued(
                settings,
                task_id,
                "Ikke startet: en anden kørsel af samme slags var i gang ved hvert forsøg.",
            )
            return {"kind": kind.value, "status": "SKIPPED", "message": "another run was busy"}
        raise
    result = asdict(outcome)
    result["kind"] = kind.value
    result["status"] = outcome.status.value if outcome.status else "SKIPPED"
    return result


@app.task(bind=True, base=SyncTask, name=TASK_NAMES[SyncKind.COURSES])
def sync_courses(self: Task[..., Any], dry_run: bool = False) -> dict[str, Any]:
    """Pull courses and activities from the LMS."""
    return run_kind(self, SyncKind.COURSES, dry_run=dry_run)


@app.task(bind=True, base=SyncTask, name=TASK_NAMES[SyncKind.OUTBOX])
def drain_outbox(self: Task[..., Any], dry_run: bool = False) -> dict[str, Any]:
    """Deliver undelivered outbox events (enrolments, withdrawals) to the LMS."""
    return run_kind(self, SyncKind.OUTBOX, dry_run=dry_run)


@app.task(bind=True, base=SyncTask, name=TASK_NAMES[SyncKind.COMPLETIONS])
def sync_completions(self: Task[..., Any], dry_run: bool = False) -> dict[str, Any]:
    """Pull completions for everyone holding a place on an LMS course."""
    return run_kind(self, SyncKind.COMPLETIONS, dry_run=dry_run)


@app.task(bind=True, base=SyncTask, name=TASK_NAMES[SyncKind.ENROLMENTS])
def reconcile_enrolments(self: Task[..., Any], dry_run: bool = False) -> dict[str, Any]:
    """Check every mapped LMS course's enrolments against the catalogue's places."""
    return run_kind(self, SyncKind.ENROLMENTS, dry_run=dry_run)


@app.task(bind=True, base=SyncTask, name=TASK_NAMES[SyncKind.COMPETENCIES])
def push_competencies(self: Task[..., Any], dry_run: bool = False) -> dict[str, Any]:
    """Push the competence profile to the LMS as a competency framework and link courses."""
    return run_kind(self, SyncKind.COMPETENCIES, dry_run=dry_run)


TASKS = {
    SyncKind.COURSES: sync_courses,
    SyncKind.OUTBOX: drain_outbox,
    SyncKind.COMPLETIONS: sync_completions,
    SyncKind.ENROLMENTS: reconcile_enrolments,
    SyncKind.COMPETENCIES: push_competencies,
}
