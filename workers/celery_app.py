"""The one Celery app, configured from the catalogue's settings.

With ``CATALOGUE_REDIS_URL`` set, Redis is broker and result store; without it
(the embedded default) tasks run in the calling process, so ``make run`` needs
nothing else running.

Beat schedule (intervals in settings): always, close evaluation rounds whose time
is up and send their due invitations and reminders, and anonymise the candidates of
vacancies closed longer than the recruitment retention period; when e-mail is configured, send
due dialogue reminders; when an LMS is configured, pull
the catalogue from the LMS, drain the outbox, pull completions, reconcile
enrolments, push the competence profile (daily by default); when
``CATALOGUE_LEAVER_RETENTION_DAYS`` is set, erase leavers past retention (daily). Run one beat per
deployment: ``celery -A workers.celery_app beat``.

Logging: worker and beat log through the catalogue's structlog setup (one
line per event, JSON with ``CATALOGUE_LOG_JSON``) instead of Celery's own, and
while a task runs its Celery task id (also the SyncRun's ``task_id``) and name
are bound to every line it logs, so one run's lines can be picked out of many
workers' output.
"""

from __future__ import annotations

from typing import Any

import structlog
from celery import Celery, Task
from celery.signals import setup_logging, task_postrun, task_prerun

from catalogue.logging_setup import configure_logging
from catalogue.services.lms_sync import TASK_NAMES
from catalogue.settings import Settings, get_settings
from workers.schedule import sync_intervals

# Longer than the longest task's hard time limit, so Redis never redelivers a task
# that is still running.
VISIBILITY_TIMEOUT_SECONDS = 3600
TASK_MODULES = [
    "workers.tasks.sync",
    "workers.tasks.privacy",
    "workers.tasks.evaluation",
    "workers.tasks.dialogue",
    "workers.tasks.recruitment",
]
#: The retention task's name (``workers.tasks.privacy``), known here without importing tasks.
ERASE_LEAVERS_TASK = "catalogue.privacy.erase_leavers"
#: The evaluation beat task (workers/tasks/evaluation.py); named here so beat needs no import.
EVALUATION_MAIL_TASK = "evaluation.send_due_mail"
#: The dialogue reminders task (workers/tasks/dialogue.py), named here for the schedule.
DIALOGUE_REMINDERS_TASK = "catalogue.dialogue.send_reminders"
#: The recruitment retention task (workers/tasks/recruitment.py), run daily by beat.
RECRUITMENT_RETENTION_TASK = "catalogue.recruitment.erase_expired_candidates"


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    # A tick that waits longer than its interval is stale: the next one does the work.
    # Evaluation rounds close on time and their e-mails go out whether or not an LMS is set.
    schedule: dict[str, dict[str, Any]] = {
        "evaluation-mail": {
            "task": EVALUATION_MAIL_TASK,
            "schedule": float(settings.evaluation_mail_interval),
            "options": {"expires": float(settings.evaluation_mail_interval)},
        },
        # Candidate data past the retention period is anonymised whatever else is configured.
        "recruitment-retention": {
            "task": RECRUITMENT_RETENTION_TASK,
            "schedule": float(settings.recruitment_retention_interval),
            "options": {"expires": float(settings.recruitment_retention_interval)},
        },
    }
    if settings.lms_connected:
        schedule |= {
            f"lms-{kind.value.lower()}": {
                "task": TASK_NAMES[kind],
                "schedule": float(seconds),
                "options": {"expires": float(seconds)},
            }
            for kind, seconds in sync_intervals(settings).items()
        }
    if settings.smtp_host:
        # Dialogue reminders only when e-mail is configured.
        seconds = float(settings.dialogue_reminders_interval)
        schedule["dialogue-reminders"] = {
            "task": DIALOGUE_REMINDERS_TASK,
            "schedule": seconds,
            "options": {"expires": seconds},
        }
    if settings.leaver_retention_days is not None:
        interval = float(settings.leaver_retention_interval)
        schedule["privacy-erase-leavers"] = {
            "task": ERASE_LEAVERS_TASK,
            "schedule": interval,
            "options": {"expires": interval},
        }
    return schedule


def create_celery(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    visibility_timeout = max(VISIBILITY_TIMEOUT_SECONDS, settings.sync_time_limit * 2)
    app = Celery("kompetencekatalog", include=TASK_MODULES)
    app.conf.update(
        broker_url=settings.redis_url or "memory://",
        result_backend=settings.redis_url or "cache+memory://",
        task_default_queue=settings.celery_queue,
        task_always_eager=settings.tasks_in_process,
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.sync_soft_time_limit,
        task_time_limit=settings.sync_time_limit,
        broker_transport_options={"visibility_timeout": visibility_timeout},
        result_backend_transport_options={"visibility_timeout": visibility_timeout},
        result_expires=24 * 3600,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="Europe/Copenhagen",
        broker_connection_retry_on_startup=True,
        beat_schedule=beat_schedule(settings),
    )
    return app


app = create_celery()

#: The keys bound to the log context while a task runs.
TASK_LOG_KEYS = ("task_id", "task")


@setup_logging.connect
def _log_like_the_catalogue(**_: Any) -> None:
    """With a receiver here Celery leaves the root logger to us (no hijack)."""
    settings = get_settings()
    configure_logging(
        level=settings.log_level, json=settings.log_json, secrets=settings.secret_values()
    )


@task_prerun.connect
def _bind_task_to_logs(task_id: str, task: Task[..., Any], **_: Any) -> None:
    structlog.contextvars.bind_contextvars(task_id=task_id, task=task.name)


@task_postrun.connect
def _unbind_task_from_logs(**_: Any) -> None:
    structlog.contextvars.unbind_contextvars(*TASK_LOG_KEYS)
