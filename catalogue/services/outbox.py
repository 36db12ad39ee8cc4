"""The outbox: changes the LMS must hear about, written in the same transaction.

``catalogue`` never calls a worker. A service that changes something the LMS
mirrors calls ``emit`` before the transaction commits; if the transaction rolls
back, the event is gone too. A worker drains the table and delivers each event
at least once (issue "LMS sync workers").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from catalogue.models import OutboxEvent
from catalogue.models.base import utcnow


def emit(
    session: Session,
    topic: str,
    *,
    aggregate_type: str,
    aggregate_id: int,
    payload: dict[str, Any],
) -> OutboxEvent:
    """Queue ``topic`` (e.g. ``enrolment.enrolled``) for ``aggregate_type`` ``aggregate_id``."""
    event = OutboxEvent(
        created_at=utcnow(),
        topic=topic,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        payload=payload,
        attempts=0,
    )
    session.add(event)
    return event
