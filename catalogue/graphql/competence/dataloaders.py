"""DataLoaders for competence links, by statement, course, activity and id."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import group_rows, load_by_ids
from catalogue.models import Activity, CompetenceLink, Course, CourseStatus
from catalogue.services.catalogue_queries import current_links_statement


def link_by_id(session: Session) -> DataLoader[int, CompetenceLink | None]:
    async def load(keys: Sequence[int]) -> list[CompetenceLink | None]:
        return load_by_ids(session, CompetenceLink, keys)

    return DataLoader(load_fn=load)


def links_by_statement_id(session: Session) -> DataLoader[int, list[CompetenceLink]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceLink]]:
        statement = (
            select(CompetenceLink)
            .where(CompetenceLink.statement_id.in_(keys), CompetenceLink.removed_at.is_(None))
            .order_by(CompetenceLink.strength, CompetenceLink.id)
        )
        return group_rows(session, statement, keys, lambda link: link.statement_id)

    return DataLoader(load_fn=load)


def links_by_course_id(session: Session) -> DataLoader[int, list[CompetenceLink]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceLink]]:
        statement = current_links_statement(course_ids=keys)
        return group_rows(session, statement, keys, lambda link: link.course_id or 0)

    return DataLoader(load_fn=load)


def links_by_activity_id(session: Session) -> DataLoader[int, list[CompetenceLink]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceLink]]:
        statement = current_links_statement(activity_ids=keys)
        return group_rows(session, statement, keys, lambda link: link.activity_id or 0)

    return DataLoader(load_fn=load)


def course_title_order(course: Course) -> tuple[str, int]:
    """The published-courses lists' order, and so their cursors' sort key: title, then id."""
    return (course.title, course.id)


def published_courses_by_statement_id(session: Session) -> DataLoader[int, list[Course]]:
    """Published courses linked to each statement directly or through an activity, by title."""

    async def load(keys: Sequence[int]) -> list[list[Course]]:
        direct = (
            select(CompetenceLink.statement_id, Course)
            .join(Course, Course.id == CompetenceLink.course_id)
            .where(CompetenceLink.statement_id.in_(keys))
        )
        via_activity = (
            select(CompetenceLink.statement_id, Course)
            .join(Activity, Activity.id == CompetenceLink.activity_id)
            .join(Course, Course.id == Activity.course_id)
            .where(CompetenceLink.statement_id.in_(keys))
        )
        grouped: dict[int, dict[int, Course]] = {key: {} for key in keys}
        for query in (direct, via_activity):
            rows = session.execute(
                query.where(
                    CompetenceLink.removed_at.is_(None), Course.status == CourseStatus.PUBLISHED
                )
            ).all()
            for statement_id, course in rows:
                grouped[statement_id][course.id] = course
        return [sorted(grouped[key].values(), key=course_title_order) for key in keys]

    return DataLoader(load_fn=load)
