"""The recruitment retention task: a thin wrapper over ``erase_expired_candidates``, run by beat.

Idempotent: a vacancy already anonymised is skipped (``candidates_erased_at``), and
rows locked by a second worker are skipped too, so two runs never do the work twice.
"""

from __future__ import annotations

from typing import Any

from celery import Task

from catalogue.db import transaction
from catalogue.services.recruitment.retention import erase_expired_candidates
from catalogue.settings import get_settings
from workers.celery_app import RECRUITMENT_RETENTION_TASK as TASK_NAME
from workers.celery_app import app
from workers.runtime import session_factory


@app.task(bind=True, name=TASK_NAME, acks_late=True)
def erase_expired_recruitment_candidates(self: Task[..., Any]) -> dict[str, Any]:
    """Anonymise the candidates of vacancies closed longer ago than the retention period."""
    settings = get_settings()
    with transaction(session_factory(settings.database_url)) as session:
        erased = erase_expired_candidates(
            session, retention_days=settings.recruitment_retention_days
        )
    return {"status": "DONE", "job_profiles": erased}
