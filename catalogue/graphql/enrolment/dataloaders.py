"""DataLoaders for enrolments, completions, progress and enrolment history."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import group_rows, load_by_ids
from catalogue.models import (
    ActivityCompletion,
    AuditLogEntry,
    CompetenceField,
    CompetenceStatement,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
)
from catalogue.models.enrolment import enrolment_focus
from catalogue.services.progress import PersonProgress, progress_for


def enrolment_by_id(session: Session) -> DataLoader[int, Enrolment | None]:
    async def load(keys: Sequence[int]) -> list[Enrolment | None]:
        return load_by_ids(session, Enrolment, keys)

    return DataLoader(load_fn=load)


def enrolments_by_person_id(session: Session) -> DataLoader[int, list[Enrolment]]:
    async def load(keys: Sequence[int]) -> list[list[Enrolment]]:
        statement = (
            select(Enrolment)
            .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
            .where(Enrolment.person_id.in_(keys))
            .order_by(CourseRun.starts_at, Enrolment.id)
        )
        return group_rows(session, statement, keys, lambda e: e.person_id)

    return DataLoader(load_fn=load)


def requests_by_person_id(session: Session) -> DataLoader[int, list[Enrolment]]:
    """Requests waiting for a chef's or HR's decision."""

    async def load(keys: Sequence[int]) -> list[list[Enrolment]]:
        statement = (
            select(Enrolment)
            .where(Enrolment.person_id.in_(keys), Enrolment.status == EnrolmentStatus.REQUESTED)
            .order_by(Enrolment.requested_at, Enrolment.id)
        )
        return group_rows(session, statement, keys, lambda e: e.person_id)

    return DataLoader(load_fn=load)


def focus_statements_by_enrolment_id(
    session: Session,
) -> DataLoader[int, list[CompetenceStatement]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceStatement]]:
        rows = session.execute(
            select(enrolment_focus.c.enrolment_id, CompetenceStatement)
            .join(CompetenceStatement, CompetenceStatement.id == enrolment_focus.c.statement_id)
            .join(CompetenceField, CompetenceField.id == CompetenceStatement.field_id)
            .where(enrolment_focus.c.enrolment_id.in_(keys))
            .order_by(CompetenceField.position, CompetenceStatement.position)
        ).all()
        grouped: dict[int, list[CompetenceStatement]] = {key: [] for key in keys}
        for enrolment_id, statement in rows:
            grouped[enrolment_id].append(statement)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load)


def completion_by_id(session: Session) -> DataLoader[int, ActivityCompletion | None]:
    async def load(keys: Sequence[int]) -> list[ActivityCompletion | None]:
        return load_by_ids(session, ActivityCompletion, keys)

    return DataLoader(load_fn=load)


def completions_by_person_id(session: Session) -> DataLoader[int, list[ActivityCompletion]]:
    async def load(keys: Sequence[int]) -> list[list[ActivityCompletion]]:
        statement = (
            select(ActivityCompletion)
            .where(ActivityCompletion.person_id.in_(keys))
            .order_by(ActivityCompletion.completed_at, ActivityCompletion.id)
        )
        return group_rows(session, statement, keys, lambda c: c.person_id)

    return DataLoader(load_fn=load)


def progress_by_person_id(session: Session) -> DataLoader[int, PersonProgress]:
    async def load(keys: Sequence[int]) -> list[PersonProgress]:
        progress = progress_for(session, keys)
        return [progress[key] for key in keys]

    return DataLoader(load_fn=load)


def history_by_enrolment_id(session: Session) -> DataLoader[int, list[AuditLogEntry]]:
    async def load(keys: Sequence[int]) -> list[list[AuditLogEntry]]:
        statement = (
            select(AuditLogEntry)
            .where(AuditLogEntry.entity_type == "Enrolment", AuditLogEntry.entity_id.in_(keys))
            .order_by(AuditLogEntry.at, AuditLogEntry.id)
        )
        return group_rows(session, statement, keys, lambda a: a.entity_id)

    return DataLoader(load_fn=load)
