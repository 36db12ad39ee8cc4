"""The one Celery app, configured from the catalogue's settings.

With ``CATALOGUE_REDIS_URL`` set, Redis is broker and result store; without it
(the embedded default) tasks run in the calling process, so ``make run`` needs
nothing else running.
"""

from __future__ import annotations

from celery import Celery

from catalogue.settings import Settings, get_settings

# Longer than the longest task's hard time limit, so Redis never redelivers a task
# that is still running.
VISIBILITY_TIMEOUT_SECONDS = 3600


def create_celery(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    app = Celery("kompetencekatalog")
    app.conf.update(
        broker_url=settings.redis_url or "memory://",
        result_backend=settings.redis_url or "cache+memory://",
        task_always_eager=settings.tasks_in_process,
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
        result_backend_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="Europe/Copenhagen",
        broker_connection_retry_on_startup=True,
    )
    return app


app = create_celery()
