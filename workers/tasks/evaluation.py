"""The evaluation's beat task: close rounds whose time is up, send due invitations and reminders.

Thin over the services (``evaluation_rounds.close_due_rounds``,
``evaluation_mail.send_due_mail``). Idempotent: every e-mail has its sent-record, so
a retried or doubled tick sends nothing twice. A failing SMTP server is retried with
backoff and jitter; what was sent before the failure stays sent.
"""

from __future__ import annotations

import smtplib

from celery import Task

from catalogue.models.base import utcnow
from catalogue.services.evaluation_mail import send_due_mail
from catalogue.services.evaluation_rounds import close_due_rounds
from catalogue.settings import get_settings
from workers.celery_app import app
from workers.runtime import session_factory

TASK_NAME = "evaluation.send_due_mail"


@app.task(
    name=TASK_NAME,
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def evaluation_mail(task: Task[..., dict[str, int]]) -> dict[str, int]:
    settings = get_settings()
    factory = session_factory(settings.database_url)
    with factory() as session:
        closed = close_due_rounds(session, now=utcnow())
        session.commit()
        if not settings.smtp_host:
            return {"closed": len(closed), "invitations": 0, "reminders": 0}
        run = send_due_mail(session, settings, now=utcnow())
    return {"closed": len(closed), "invitations": run.invitations, "reminders": run.reminders}
