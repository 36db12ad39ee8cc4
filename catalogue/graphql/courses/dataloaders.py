"""DataLoaders for courses, activities and runs: one bulk query per batch."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import group_rows, load_by_ids
from catalogue.models import Activity, Course, CourseRun, CourseRunSession
from catalogue.services.catalogue_queries import (
    course_activities_statement,
    course_runs_statement,
    run_sessions_statement,
    seats_taken,
)


def course_by_id(session: Session) -> DataLoader[int, Course | None]:
    async def load(keys: Sequence[int]) -> list[Course | None]:
        return load_by_ids(session, Course, keys)

    return DataLoader(load_fn=load)


def activity_by_id(session: Session) -> DataLoader[int, Activity | None]:
    async def load(keys: Sequence[int]) -> list[Activity | None]:
        return load_by_ids(session, Activity, keys)

    return DataLoader(load_fn=load)


def run_by_id(session: Session) -> DataLoader[int, CourseRun | None]:
    async def load(keys: Sequence[int]) -> list[CourseRun | None]:
        return load_by_ids(session, CourseRun, keys)

    return DataLoader(load_fn=load)


def run_session_by_id(session: Session) -> DataLoader[int, CourseRunSession | None]:
    async def load(keys: Sequence[int]) -> list[CourseRunSession | None]:
        return load_by_ids(session, CourseRunSession, keys)

    return DataLoader(load_fn=load)


def sessions_by_run_id(session: Session) -> DataLoader[int, list[CourseRunSession]]:
    async def load(keys: Sequence[int]) -> list[list[CourseRunSession]]:
        statement = run_sessions_statement(keys)
        return group_rows(session, statement, keys, lambda s: s.course_run_id)

    return DataLoader(load_fn=load)


def activities_by_course_id(session: Session) -> DataLoader[int, list[Activity]]:
    async def load(keys: Sequence[int]) -> list[list[Activity]]:
        statement = course_activities_statement(keys)
        return group_rows(session, statement, keys, lambda a: a.course_id)

    return DataLoader(load_fn=load)


def runs_by_course_id(session: Session) -> DataLoader[int, list[CourseRun]]:
    async def load(keys: Sequence[int]) -> list[list[CourseRun]]:
        statement = course_runs_statement(keys)
        return group_rows(session, statement, keys, lambda r: r.course_id)

    return DataLoader(load_fn=load)


def seats_taken_by_run_id(session: Session) -> DataLoader[int, int]:
    async def load(keys: Sequence[int]) -> list[int]:
        taken = seats_taken(session, keys)
        return [taken.get(key, 0) for key in keys]

    return DataLoader(load_fn=load)
