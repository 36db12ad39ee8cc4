"""The dialogue reminders task: a thin wrapper over ``send_due_reminders``, run by beat.

Idempotent: it re-reads what is due and skips what was sent (a row per reminder),
so a retry or a second worker sends nothing twice. A mail server that cannot be
reached is retried with backoff and jitter; the next beat tick would catch up too.
"""

from __future__ import annotations

from typing import Any

from celery import Task

from catalogue.services.dialogue.reminders import send_due_reminders
from catalogue.services.mail import MailError
from catalogue.settings import get_settings
from workers.celery_app import DIALOGUE_REMINDERS_TASK as TASK_NAME
from workers.celery_app import app
from workers.runtime import session_factory


class ReminderTask(Task[..., dict[str, Any]]):
    autoretry_for = (MailError,)
    retry_backoff = 30
    retry_backoff_max = 1800
    retry_jitter = True
    max_retries = 5
    acks_late = True


@app.task(bind=True, base=ReminderTask, name=TASK_NAME)
def send_dialogue_reminders(self: Task[..., Any]) -> dict[str, Any]:
    """Send the dialogue reminders that are due and not sent yet."""
    settings = get_settings()
    if not settings.smtp_host:
        return {"status": "SKIPPED", "message": "no SMTP host configured", "sent": 0}
    with session_factory(settings.database_url)() as session:
        sent = send_due_reminders(session, settings)
    return {"status": "DONE", "sent": len(sent), "kinds": sorted({r.kind for r in sent})}
