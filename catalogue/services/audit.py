"""Writing the audit log: every change with who, when, from, to and why."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry


def record_change(
    session: Session,
    *,
    actor_id: int | None,
    entity_type: str,
    entity_id: int,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Add an audit row to the caller's transaction, so it commits or rolls back with the change."""
    entry = AuditLogEntry(
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        details=details or {},
    )
    session.add(entry)
    return entry
