"""The outbox of changes the LMS must hear about, and the record of each sync run."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalogue.models.base import Base, enum_type, utcnow


class OutboxEvent(Base):
    """Written in the same transaction as the change; a worker delivers it at least once."""

    __tablename__ = "outbox_event"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    topic: Mapped[str] = mapped_column(String(100), index=True)
    aggregate_type: Mapped[str] = mapped_column(String(50))
    aggregate_id: Mapped[int]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    delivered_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncKind(StrEnum):
    COURSES = "COURSES"
    ENROLMENTS = "ENROLMENTS"
    COMPLETIONS = "COMPLETIONS"
    OUTBOX = "OUTBOX"
    #: The competence profile pushed to the LMS as a competency framework, linked to courses.
    COMPETENCIES = "COMPETENCIES"


class SyncStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"


class SyncRun(Base):
    """One run of one sync kind, visible to HR, with counts and per-item errors."""

    __tablename__ = "sync_run"
    __table_args__ = (
        CheckConstraint(
            "created_count >= 0 AND updated_count >= 0 AND unchanged_count >= 0 "
            "AND failed_count >= 0",
            name="counts_non_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SyncKind] = mapped_column(enum_type(SyncKind, "sync_kind"), index=True)
    status: Mapped[SyncStatus] = mapped_column(enum_type(SyncStatus, "sync_status"))
    dry_run: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The Celery task that runs it; a retried task keeps its id, so its attempts share a run.
    task_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Who asked for it (HR through ``triggerLmsSync``); None for scheduled and CLI runs.
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
