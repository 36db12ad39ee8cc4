"""The scheduled erasure of leavers past retention: a thin task over ``services.privacy``."""

from __future__ import annotations

from typing import Any

from catalogue.services.privacy.retention import erase_leavers_past_retention
from catalogue.settings import get_settings
from workers.celery_app import ERASE_LEAVERS_TASK, app
from workers.runtime import session_factory


@app.task(name=ERASE_LEAVERS_TASK, acks_late=True)
def erase_leavers() -> dict[str, Any]:
    """Erase the leavers whose retention period has passed; idempotent, so safe to redeliver."""
    settings = get_settings()
    if settings.leaver_retention_days is None:
        return {"status": "SKIPPED", "message": "CATALOGUE_LEAVER_RETENTION_DAYS is not set"}
    outcome = erase_leavers_past_retention(
        session_factory(settings.database_url), retention_days=settings.leaver_retention_days
    )
    return {"status": "DONE", "erased": outcome.erased, "kept": sorted(outcome.kept)}
